# Workqueue: a work item on the system workqueue, one that counts 0 to 10 by
# queueing itself again on a queue of its own, and a delayed one.
modinfo tour_wq >/dev/null 2>&1 && show modprobe tour_wq interval_ms=100
show 'sleep 2; cat /proc/tour_wq'
show "dmesg | grep 'tour_wq: ' | tail -n 13"
show 'echo restart > /proc/tour_wq; echo restart > /proc/tour_wq || echo refused: exit $?'
show 'sleep 2; cat /proc/tour_wq'
show 'echo bogus > /proc/tour_wq || echo refused: exit $?'
if modinfo tour_wq >/dev/null 2>&1; then
	show 'echo restart > /proc/tour_wq; sleep 0.3; rmmod tour_wq'
	show "dmesg | grep 'tour_wq: ' | tail -n 3"
	show 'ls /proc/tour_wq'
fi
