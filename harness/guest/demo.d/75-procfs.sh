# Procfs: /proc/tour, its seq_file iterator, a bounded text, an owner.
modinfo tour_procfs >/dev/null 2>&1 && show modprobe tour_procfs records=5
show 'ls -l /proc/tour'
show 'cat /proc/tour/version'
show 'cat /proc/tour/records'
show 'echo 42 > /proc/tour/records; tail -n 1 /proc/tour/records'
show 'echo hello > /proc/tour/text; cat /proc/tour/text'
show 'printf "%0200d" 0 > /proc/tour/text || echo refused: exit $?'
modinfo tour_procfs >/dev/null 2>&1 && show rmmod tour_procfs
