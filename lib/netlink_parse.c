/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which netlink messages may change what the agent watches: an IPv6
 * global address that appears and is not the stable address already
 * known, or that goes. A router advertisement refreshes the lifetimes of
 * the addresses it built every few minutes (RTM_NEWADDR again); those
 * are not news. Pure.
 */
#include "lib/netlink.h"

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

/* The message's address and flags (IFA_FLAGS when given, else the 8-bit
 * ifa_flags); false when it has none. */
static bool
netlink_addr_of(const struct nlmsghdr *h, struct netaddr *a, uint32_t *flags)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifa));
	bool found = false;

	*flags = ifa->ifa_flags;
	for (const struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len);
	    rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFA_ADDRESS && RTA_PAYLOAD(rta) == 16) {
			*a = (struct netaddr){ .family = AF_INET6 };
			memcpy(a->bytes, RTA_DATA(rta), 16);
			found = true;
		} else if (rta->rta_type == IFA_FLAGS &&
		    RTA_PAYLOAD(rta) == sizeof(uint32_t)) {
			memcpy(flags, RTA_DATA(rta), sizeof(*flags));
		}
	}
	return found;
}

static bool
netlink_msg_stirs(const struct nlmsghdr *h, const struct netaddr *known)
{
	const struct ifaddrmsg *ifa;
	struct netaddr a;
	uint32_t flags;

	if ((h->nlmsg_type != RTM_NEWADDR && h->nlmsg_type != RTM_DELADDR) ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return false;
	ifa = NLMSG_DATA(h);
	if (ifa->ifa_family != AF_INET6 || ifa->ifa_scope != RT_SCOPE_UNIVERSE ||
	    !netlink_addr_of(h, &a, &flags) || (flags & IFA_F_TEMPORARY) ||
	    !addr_is_public(&a))
		return false;
	if (h->nlmsg_type == RTM_DELADDR)
		return addr_equal(&a, known);
	return !addr_equal(&a, known) || (flags & IFA_F_DEPRECATED);
}

/* NLMSG_OK and NLMSG_NEXT, without their mix of signed and unsigned. */
bool
netlink_parse_stirs(const void *buf, size_t len, const struct netaddr *known)
{
	const uint8_t *p = buf;
	size_t off = 0;

	while (off <= len && len - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const void *)(p + off);
		if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > len - off)
			break;
		if (netlink_msg_stirs(h, known))
			return true;
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	return false;
}
