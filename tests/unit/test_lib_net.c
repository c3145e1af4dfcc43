/* SPDX-License-Identifier: BSD-2-Clause */
/* lib/: what the kernel and the resolver say, as tables of cases:
 * /proc/net/route and ipv6_route, /proc/net/if_inet6, netlink address
 * messages, server names with ports. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "lib/netif.h"
#include "lib/netlink.h"
#include "lib/reason.h"
#include "lib/resolve.h"
#include "lib/route.h"

static void
test_route(void **state)
{
	static const char text[] =
	    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
	    "wlan0\t00000000\t0200A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
	    "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
	    "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
	struct route_default rt;
	char why[REASON_LEN], a[ADDR_STRLEN];

	(void)state;
	assert_int_equal(route_parse_default(text, &rt, why, sizeof(why)), 0);
	assert_string_equal(rt.ifname, "eth0");
	assert_string_equal(addr_ntop(&rt.gateway, a, sizeof(a)), "192.168.1.1");
	assert_int_equal(route_parse_default("Iface\n", &rt, why, sizeof(why)),
	    -EBADMSG);
	assert_string_equal(why, "no IPv4 default route");
	assert_int_equal(route_parse_default("", &rt, why, sizeof(why)), -EBADMSG);
	/* A default route without the gateway flag (point-to-point) is not one. */
	assert_int_equal(route_parse_default("h\nppp0\t00000000\t00000000\t0001\t"
	    "0\t0\t0\t00000000\t0\t0\t0\n", &rt, why, sizeof(why)), -EBADMSG);
}

static unsigned
test_ifindex(const char *name)
{
	return strcmp(name, "eth0") == 0 ? 2 : 0;
}

/* /proc/net/ipv6_route as the kernel prints it (lab and a home LAN). */
static void
test_route6(void **state)
{
	static const char text[] =
	    "2a050005000100000000000000000000 40 00000000000000000000000000000000 00 "
	    "00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
	    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
	    "2a050005000100000000000000000001 00000400 00000002 00000000 00000003    wlan0\n"
	    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
	    "fe800000000000000000000000000001 00000100 00000002 00000000 00000003     eth0\n"
	    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
	    "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";
	struct route_default rt;
	char why[REASON_LEN], a[ADDR_STRLEN];

	(void)state;
	assert_int_equal(route_parse_default6(text, test_ifindex, &rt, why,
	    sizeof(why)), 0);
	assert_string_equal(rt.ifname, "eth0");	/* metric 0x100 < 0x400 */
	assert_string_equal(addr_ntop(&rt.gateway, a, sizeof(a)), "fe80::1");
	assert_int_equal(rt.gateway.scope, 2);
	assert_int_equal(route_parse_default6(text + 450, test_ifindex, &rt, why,
	    sizeof(why)), -EBADMSG);	/* only the unreachable default on lo */
	assert_string_equal(why, "no IPv6 default route");
	assert_int_equal(route_parse_default6("", test_ifindex, &rt, why,
	    sizeof(why)), -EBADMSG);
	assert_int_equal(route_parse_default6("0000 00 zz\n", test_ifindex, &rt,
	    why, sizeof(why)), -EBADMSG);
	assert_int_equal(route_parse_default6(text + 300, test_ifindex, &rt, why,
	    sizeof(why)), 0);		/* the link-local one alone */
	assert_string_equal(addr_ntop(&rt.gateway, a, sizeof(a)), "fe80::1");
}

static const struct { const char *text, *host; int port; } split_cases[] = {
	{ "stun.example.net", "stun.example.net", 3478 },
	{ "stun.example.net:19302", "stun.example.net", 19302 },
	{ "5.0.0.2:3479", "5.0.0.2", 3479 },
	{ "[2001:db8::1]:3478", "2001:db8::1", 3478 },
	{ "[2001:db8::1]", "2001:db8::1", 3478 },
	{ "2001:db8::1", "2001:db8::1", 3478 },
	{ "", NULL, 0 },
	{ ":3478", NULL, 0 },
	{ "host:", NULL, 0 },
	{ "host:0", NULL, 0 },
	{ "host:65536", NULL, 0 },
	{ "host:12ab", NULL, 0 },
	{ "[2001:db8::1", NULL, 0 },
	{ "[2001:db8::1]x", NULL, 0 },
};

static void
test_resolve_split(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		char host[64], why[REASON_LEN];
		uint16_t port;
		int rc = resolve_split(split_cases[i].text, 3478, host, sizeof(host),
		    &port, why, sizeof(why));
		if (split_cases[i].host == NULL) {
			if (rc == 0)
				fail_msg("\"%s\" split", split_cases[i].text);
			continue;
		}
		if (rc != 0)
			fail_msg("\"%s\": %s", split_cases[i].text, why);
		assert_string_equal(host, split_cases[i].host);
		assert_int_equal(port, split_cases[i].port);
	}
}

static void
test_inet6(void **state)
{
	static const char text[] =
	    "fe800000000000000000000000000001 02 40 20 80     eth0\n"
	    "fd000000000000000000000000000001 02 40 00 80     eth0\n"
	    "2a0100000000000000000000000000aa 02 40 00 01     eth0\n"	/* temporary */
	    "2a0100000000000000000000000000bb 02 40 00 20     eth0\n"	/* deprecated */
	    "2a0100000000000000000000000000cc 02 40 00 80     eth0\n"
	    "00000000000000000000000000000001 01 80 10 80       lo\n";
	struct netaddr a;
	char s[ADDR_STRLEN];

	(void)state;
	assert_int_equal(netif_parse_inet6(text, &a), 0);
	assert_string_equal(addr_ntop(&a, s, sizeof(s)), "2a01::cc");
	/* Only link-local and ULA: no stable global address. */
	assert_int_equal(netif_parse_inet6("fe800000000000000000000000000001 02 40 "
	    "20 80 eth0\nfd000000000000000000000000000001 02 40 00 80 eth0\n",
	    &a), -1);
	assert_int_equal(netif_parse_inet6("", &a), -1);
	assert_int_equal(a.family, 0);
}

/* One RTM_NEWADDR or RTM_DELADDR message into buf: its length. */
static size_t
nl_addr_msg(uint8_t *buf, int type, int family, int scope, const char *addr,
    uint32_t flags)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct rtattr *rta;
	struct netaddr a;
	size_t alen = family == AF_INET6 ? 16 : 4;

	memset(buf, 0, 256);
	addr_parse(addr, &a);
	h->nlmsg_type = (uint16_t)type;
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_scope = (uint8_t)scope;
	ifa->ifa_flags = (uint8_t)flags;
	rta = IFA_RTA(ifa);
	rta->rta_type = IFA_ADDRESS;
	rta->rta_len = (unsigned short)RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), a.bytes, alen);
	rta = (struct rtattr *)((uint8_t *)rta + RTA_ALIGN(rta->rta_len));
	rta->rta_type = IFA_FLAGS;
	rta->rta_len = RTA_LENGTH(sizeof(uint32_t));
	memcpy(RTA_DATA(rta), &flags, sizeof(flags));
	h->nlmsg_len = (uint32_t)((uint8_t *)rta + RTA_ALIGN(rta->rta_len) - buf);
	return h->nlmsg_len;
}

/* Which kernel messages may change the stable IPv6 address: the helper
 * starts loading at them, so a lifetime refresh must not count. */
static void
test_netlink_stirs(void **state)
{
	static const struct { int type, family, scope; const char *addr;
	    uint32_t flags; bool stirs; } cases[] = {
		{ RTM_NEWADDR, AF_INET6, RT_SCOPE_UNIVERSE, "2a05:5:2::10", 0, true },
		{ RTM_NEWADDR, AF_INET6, RT_SCOPE_UNIVERSE, "2a05:5:1::10", 0, false },
		{ RTM_NEWADDR, AF_INET6, RT_SCOPE_UNIVERSE, "2a05:5:1::10",
		    IFA_F_DEPRECATED, true },
		{ RTM_NEWADDR, AF_INET6, RT_SCOPE_UNIVERSE, "2a05:5:2::99",
		    IFA_F_TEMPORARY, false },
		{ RTM_DELADDR, AF_INET6, RT_SCOPE_UNIVERSE, "2a05:5:1::10", 0, true },
		{ RTM_DELADDR, AF_INET6, RT_SCOPE_UNIVERSE, "2a05:5:2::10", 0, false },
		{ RTM_NEWADDR, AF_INET6, RT_SCOPE_LINK, "fe80::1", 0, false },
		{ RTM_NEWADDR, AF_INET6, RT_SCOPE_UNIVERSE, "fd00::10", 0, false },
		{ RTM_NEWADDR, AF_INET, RT_SCOPE_UNIVERSE, "5.0.1.7", 0, false },
		{ RTM_NEWROUTE, AF_INET6, RT_SCOPE_UNIVERSE, "2a05:5:2::10", 0, false },
	};
	uint8_t buf[512];
	struct netaddr known;

	(void)state;
	addr_parse("2a05:5:1::10", &known);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = nl_addr_msg(buf, cases[i].type, cases[i].family,
		    cases[i].scope, cases[i].addr, cases[i].flags);
		if (netlink_parse_stirs(buf, n, &known) != cases[i].stirs)
			fail_msg("case %zu (%s)", i, cases[i].addr);
		/* Cut anywhere: never read past the end, never a stir. */
		for (size_t cut = 0; cut < n; cut++)
			assert_false(netlink_parse_stirs(buf, cut, &known));
	}
	/* Two messages in one datagram: the second one counts. */
	size_t n = nl_addr_msg(buf, RTM_NEWADDR, AF_INET6, RT_SCOPE_UNIVERSE,
	    "2a05:5:1::10", 0);
	n += nl_addr_msg(buf + NLMSG_ALIGN(n), RTM_DELADDR, AF_INET6,
	    RT_SCOPE_UNIVERSE, "2a05:5:1::10", 0);
	assert_true(netlink_parse_stirs(buf, NLMSG_ALIGN(n), &known));
}

/* A check server's answers: only the known words are taken. */
static void
test_inet6_all(void **state)
{
	static const char text[] =
	    "fe800000000000000000000000000001 02 40 20 80     eth0\n"
	    "2a0100000000000000000000000000aa 02 40 00 01     eth0\n"
	    "2a0100000000000000000000000000bb 02 40 00 20     eth0\n"
	    "2a0100000000000000000000000000dd 03 40 00 40     wlan0\n"
	    "20010db8000000000000000000000001 02 40 00 80     eth0\n"
	    "2a0100000000000000000000000000cc 02 40 00 80     eth0\n"
	    "garbage\n"
	    "2a0100000000000000000000000000ee 02 40 00 80     eth0\n";
	struct netif_addr6 l[4];
	char s[ADDR_STRLEN];

	(void)state;
	assert_int_equal(netif_parse_inet6_all(text, l, 4), 3);
	assert_string_equal(addr_ntop(&l[0].address, s, sizeof(s)), "2a01::aa");
	assert_true(l[0].temporary && !l[0].deprecated);
	assert_true(!l[1].temporary && l[1].deprecated);
	assert_string_equal(addr_ntop(&l[2].address, s, sizeof(s)), "2a01::cc");
	assert_true(!l[2].temporary && !l[2].deprecated);
	assert_string_equal(l[2].name, "eth0");
	assert_int_equal(netif_parse_inet6_all(text, l, 2), 2);
	assert_int_equal(netif_parse_inet6_all("", l, 4), 0);
}

/* Which addresses are asked about first: stable before deprecated, the
 * current one first within each, never a temporary one; and whether the
 * current one must be asked about again at all. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_route6),
		cmocka_unit_test(test_resolve_split),
		cmocka_unit_test(test_inet6),
		cmocka_unit_test(test_inet6_all),
		cmocka_unit_test(test_netlink_stirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
