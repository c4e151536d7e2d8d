# Kthread: a producer and a consumer thread with a FIFO between them; a write
# asks for a batch and returns once the consumer has taken all of it.
modinfo tour_kthread >/dev/null 2>&1 && show modprobe tour_kthread
show "ps | grep '[t]our_'"
show 'cat /proc/tour_kthread'
show 'echo 100 > /proc/tour_kthread'
show 'cat /proc/tour_kthread'
show 'echo 0 > /proc/tour_kthread'
if modinfo tour_kthread >/dev/null 2>&1; then
	show rmmod tour_kthread
	show "ps | grep '[t]our_' || echo no tour_ thread left"
fi
show "dmesg | grep 'tour_kthread: tour_'"
