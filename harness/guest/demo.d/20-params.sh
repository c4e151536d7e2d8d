# Params: the values given at load time, in the log and in sysfs, and a value
# that does not parse.
if modinfo tour_params >/dev/null 2>&1; then
	new_log >/dev/null
	show modprobe tour_params verbose=1 count=7 name=reader numbers=1,-2,3
	show new_log
	show 'grep . /sys/module/tour_params/parameters/*'
	show rmmod tour_params
	new_log >/dev/null
	show "modprobe tour_params count=abc || echo refused: exit \$?"
	show new_log
else
	show 'grep . /sys/module/tour_params/parameters/*'
fi
