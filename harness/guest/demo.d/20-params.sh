# Params: the values given at load time, in the log and in sysfs.
if modinfo tour_params >/dev/null 2>&1; then
	new_log >/dev/null
	show modprobe tour_params verbose=1 count=7 name=reader numbers=1,-2,3
	show new_log
fi
show 'grep . /sys/module/tour_params/parameters/*'
if modinfo tour_params >/dev/null 2>&1; then
	show "modprobe tour_params count=abc || echo refused: exit \$?"
	show rmmod tour_params
fi
