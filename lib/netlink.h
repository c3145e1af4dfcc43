/* This host's address and route changes, from the kernel over netlink. */
#ifndef HOMEREACH_NETLINK_H
#define HOMEREACH_NETLINK_H

struct event_base;
struct netlink;
typedef void netlink_cb(const char *what, void *arg);

/* cb runs once a burst of RTM_NEWADDR/DELADDR/NEWROUTE/DELROUTE messages
 * has settled (100 ms) and the host's addresses or default route really
 * differ from before: an IPv6 lifetime refresh is not a change. */
struct netlink *netlink_start(struct event_base *base, netlink_cb *cb,
    void *arg);
void netlink_free(struct netlink *n);

#endif
