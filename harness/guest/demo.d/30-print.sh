# Print: every log level, shown with its <level> by dmesg -r.
if modinfo tour_print >/dev/null 2>&1; then
	show modprobe tour_print
	show "dmesg -r | grep tour_print"
	show rmmod tour_print
else
	show "dmesg -r | grep tour_print"
fi
