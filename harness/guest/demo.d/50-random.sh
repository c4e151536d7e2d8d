# Random: a misc device that reads like /dev/urandom.
modinfo tour_random >/dev/null 2>&1 && show modprobe tour_random
show 'ls -l /dev/tour_random'
show 'head -c 32 /dev/tour_random | od -An -tx1'
show 'dd if=/dev/tour_random bs=1M count=4 2>/dev/null | wc -c'
show 'echo "mixed in, no entropy credited" > /dev/tour_random'
modinfo tour_random >/dev/null 2>&1 && show rmmod tour_random
