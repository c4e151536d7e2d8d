# Hello: module init and exit, heap data, built-in or module.
if ! modinfo tour_hello >/dev/null 2>&1; then
	show "dmesg | grep tour_hello"
else
	new_log >/dev/null
	show modprobe tour_hello
	show rmmod tour_hello
	show new_log
fi
