// SPDX-License-Identifier: GPL-2.0-only
/*
 * kdt_frame IFNAME TYPE COUNT SIZE: send COUNT Ethernet frames of type TYPE
 * (0x1234, say) with SIZE bytes of payload on IFNAME, through an AF_PACKET
 * socket, for the tour_packet demo. Built static into the guest's /kdt.
 */

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static unsigned char frame[ETH_HLEN + 65000];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long type, count, size, i;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: kdt_frame IFNAME TYPE COUNT SIZE\n");
		return 2;
	}
	type = strtoul(argv[2], NULL, 0);
	count = strtoul(argv[3], NULL, 0);
	size = strtoul(argv[4], NULL, 0);
	if (type > 0xffff || size > sizeof(frame) - ETH_HLEN) {
		fprintf(stderr, "kdt_frame: bad type or size\n");
		return 2;
	}
	sll.sll_ifindex = if_nametoindex(argv[1]);
	if (!sll.sll_ifindex) {
		perror(argv[1]);
		return 1;
	}
	sll.sll_protocol = htons(type);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	/* Destination and source 00:00:00:00:00:00, lo's address. */
	frame[12] = type >> 8;
	frame[13] = type & 0xff;
	memset(frame + ETH_HLEN, 0xab, size);
	for (i = 0; i < count; i++) {
		if (sendto(fd, frame, ETH_HLEN + size, 0,
			   (struct sockaddr *)&sll, sizeof(sll)) < 0) {
			perror("sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
}
