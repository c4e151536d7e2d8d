# Stats: a misc device that counts read() and write() calls.
modinfo tour_stats >/dev/null 2>&1 && show modprobe tour_stats
show 'ls -l /dev/tour_stats'
show 'cat /dev/tour_stats'
show 'echo one > /dev/tour_stats; echo two > /dev/tour_stats'
show 'cat /dev/tour_stats'
show 'dd if=/dev/zero of=/dev/tour_stats bs=1 count=100 2>/dev/null'
show 'cat /dev/tour_stats'
modinfo tour_stats >/dev/null 2>&1 && show rmmod tour_stats
