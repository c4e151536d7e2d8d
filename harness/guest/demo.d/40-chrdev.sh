# Chrdev: nodes that appear by themselves, a message per minor, counted writes.
modinfo tour_chrdev >/dev/null 2>&1 && show modprobe tour_chrdev minors=3
show 'ls -l /dev/tour_chrdev*'
show 'cat /dev/tour_chrdev0 /dev/tour_chrdev1'
show 'echo hello > /dev/tour_chrdev1'
show 'grep . /sys/class/tour_chrdev/tour_chrdev1/*'
modinfo tour_chrdev >/dev/null 2>&1 && show rmmod tour_chrdev
