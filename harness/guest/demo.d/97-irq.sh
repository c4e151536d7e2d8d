# Interrupts: a line of the kernel's IRQ simulator, with a hard handler that
# counts and a threaded one that sleeps; a write fires N interrupts.
modinfo tour_irq >/dev/null 2>&1 && show modprobe tour_irq
show 'cat /proc/tour_irq'
show 'echo 5 > /proc/tour_irq'
show 'cat /proc/tour_irq'
show 'grep tour_irq /proc/interrupts'
show 'echo 0 > /proc/tour_irq || echo refused: exit $?'
modinfo tour_irq >/dev/null 2>&1 && show rmmod tour_irq
