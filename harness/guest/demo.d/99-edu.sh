# The qemu_edu driver on QEMU's two edu devices (boot.sh adds them): the
# identification and liveness registers, a factorial through the interrupt
# (N written to the sysfs file, N! read from it), and data through the
# device's buffer by DMA.
modinfo qemu_edu >/dev/null 2>&1 && show modprobe qemu_edu
show 'ls -l /dev/qemu_edu*'
show 'grep qemu_edu /proc/interrupts'
show '(cd /sys/class/misc/qemu_edu0/device && cat id liveness)'
show 'echo 10 > /sys/class/misc/qemu_edu0/device/factorial'
show 'cat /sys/class/misc/qemu_edu0/device/factorial'
show 'echo hello edu > /dev/qemu_edu0; head -c 9 /dev/qemu_edu0; echo'
show 'head -c 4095 /dev/urandom > /tmp/r; cat /tmp/r > /dev/qemu_edu1'
show 'cmp /tmp/r /dev/qemu_edu1 && echo the 4095 bytes came back by DMA'
show 'echo x | dd of=/dev/qemu_edu0 bs=1 seek=4095 2>&1 | grep -o "File too large"'
show 'echo abc > /sys/class/misc/qemu_edu0/device/factorial || echo refused: exit $?'
show "dmesg | grep 'qemu_edu 0000'"
