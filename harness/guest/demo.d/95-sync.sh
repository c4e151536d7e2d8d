# Sync: a token device on two counting semaphores; a write adds a token per
# byte, a read takes one, and a timer samples the count into spinlocked stats.
modinfo tour_sync >/dev/null 2>&1 && show modprobe tour_sync
show 'ls -l /dev/tour_sync'
show 'echo -n abc > /dev/tour_sync'
show 'sleep 0.1; cat /sys/class/misc/tour_sync/added /sys/class/misc/tour_sync/stats'
show 'dd if=/dev/tour_sync bs=1 count=3 2>/dev/null | wc -c'
show 'echo 0 > /sys/class/misc/tour_sync/max || echo refused: exit $?'
show '(cd /sys/class/misc/tour_sync && grep . max added taken stats)'
modinfo tour_sync >/dev/null 2>&1 && show rmmod tour_sync
