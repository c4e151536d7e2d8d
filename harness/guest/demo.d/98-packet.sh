# A packet handler for Ethernet frames of type 0x1234: frames sent on lo
# with kdt_frame (an AF_PACKET socket) are counted per device; frames of
# another type are not.
modinfo tour_packet >/dev/null 2>&1 && show modprobe tour_packet
show '/kdt/kdt_frame lo 0x1234 5 100 && /kdt/kdt_frame lo 0x1235 3 100'
show 'sleep 1; cat /proc/tour_packet'
modinfo tour_packet >/dev/null 2>&1 && show rmmod tour_packet
