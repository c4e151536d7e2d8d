# A TCP echo server in the kernel, on 127.0.0.1:8080: a round trip with nc, a
# binary one compared byte for byte, and the server's counts.
modinfo tour_echo >/dev/null 2>&1 && show modprobe tour_echo
show 'echo hello, kernel | nc 127.0.0.1 8080'
show 'head -c 4000 /dev/urandom > /tmp/e; nc 127.0.0.1 8080 < /tmp/e > /tmp/e.back'
show 'cmp /tmp/e /tmp/e.back && echo the 4000 random bytes came back'
show 'cat /proc/tour_echo'
modinfo tour_echo >/dev/null 2>&1 && show rmmod tour_echo
