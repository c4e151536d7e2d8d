# Store: a misc device that keeps what is written, up to max_size bytes.
modinfo tour_store >/dev/null 2>&1 && show modprobe tour_store max_size=4096
show 'ls -l /dev/tour_store'
show 'echo hello > /dev/tour_store'
show 'cat /dev/tour_store'
show 'echo "a write replaces the whole content" > /dev/tour_store'
show 'cat /dev/tour_store'
show 'cat /sys/module/tour_store/parameters/max_size'
max=$(cat /sys/module/tour_store/parameters/max_size)
show "dd if=/dev/zero of=/dev/tour_store bs=$((max + 1)) count=1 2>&1 | head -n 1"
show 'cat /dev/tour_store'
modinfo tour_store >/dev/null 2>&1 && show rmmod tour_store
