/* SPDX-License-Identifier: BSD-2-Clause */
/* Tables of cases for the small parsers of outside input: SSDP replies,
 * /proc/net/route, device descriptions, HTTP echo bodies, server names,
 * /proc/net/if_inet6. */
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
#include <sys/socket.h>

#include "lib/reason.h"
#include "nat/desc.h"
#include "lib/route.h"
#include "nat/ssdp.h"
#include "nat/upnphttp.h"
#include "probes/echo.h"
#include "lib/netif.h"
#include "lib/netlink.h"
#include "probes/reach.h"
#include "probes/seen6.h"
#include "lib/resolve.h"

/* As miniupnpd 2.3.1 sends it. */
static const char ssdp_good[] =
    "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
    "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
    "USN: uuid:1234::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
    "EXT:\r\nSERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n"
    "LOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n"
    "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n01-NLS: 1700000000\r\n"
    "BOOTID.UPNP.ORG: 1700000000\r\nCONFIGID.UPNP.ORG: 1337\r\n\r\n";

static void
test_ssdp_good(void **state)
{
	struct ssdp_reply r;
	char why[REASON_LEN], buf[512];

	(void)state;
	assert_int_equal(ssdp_parse_reply(ssdp_good, strlen(ssdp_good), &r, why,
	    sizeof(why)), 0);
	assert_string_equal(r.location, "http://192.168.1.1:5000/rootDesc.xml");
	assert_true(r.has_bootid);
	assert_int_equal(r.bootid, 1700000000);
	assert_string_equal(r.st, SSDP_ST_IGD);
	/* Header names are case-insensitive; bare \n line ends happen. */
	assert_int_equal(ssdp_parse_reply("HTTP/1.1 200 OK\nlocation: "
	    "http://10.0.0.1/d.xml\n\n", 44, &r, why, sizeof(why)), 0);
	assert_false(r.has_bootid);
	assert_true(ssdp_build_msearch(buf, sizeof(buf), "239.255.255.250:1900", 1) > 0);
	assert_non_null(strstr(buf, "MX: 1\r\n"));
	assert_true(ssdp_build_msearch(buf, sizeof(buf), "192.168.1.1:1900", 0) > 0);
	assert_null(strstr(buf, "MX:"));
	assert_int_equal(ssdp_build_msearch(buf, 16, "192.168.1.1:1900", 0), 0);
}

static const struct { const char *what, *text, *reason; } ssdp_bad[] = {
	{ "not 200", "HTTP/1.1 404 Not Found\r\nLOCATION: http://a/\r\n\r\n", "not HTTP/1.1 200" },
	{ "a NOTIFY", "NOTIFY * HTTP/1.1\r\n\r\n", "not HTTP/1.1 200" },
	{ "no LOCATION", "HTTP/1.1 200 OK\r\nST: x\r\n\r\n", "without LOCATION" },
	{ "https LOCATION", "HTTP/1.1 200 OK\r\nLOCATION: https://a/\r\n\r\n", "not an http://" },
	{ "space in URL", "HTTP/1.1 200 OK\r\nLOCATION: http://a/b c\r\n\r\n", "space or control" },
	{ "no colon", "HTTP/1.1 200 OK\r\nLOCATION: http://a/\r\nGARBAGE\r\n\r\n", "without a colon" },
	{ "bad BOOTID", "HTTP/1.1 200 OK\r\nLOCATION: http://a/\r\nBOOTID.UPNP.ORG: 12x\r\n\r\n", "BOOTID" },
	{ "empty", "", "not HTTP/1.1 200" },
};

static void
test_ssdp_bad(void **state)
{
	char big[SSDP_MAX_LEN + 10], why[REASON_LEN];
	struct ssdp_reply r;

	(void)state;
	for (size_t i = 0; i < sizeof(ssdp_bad) / sizeof(ssdp_bad[0]); i++) {
		why[0] = '\0';
		if (ssdp_parse_reply(ssdp_bad[i].text, strlen(ssdp_bad[i].text),
		    &r, why, sizeof(why)) == 0)
			fail_msg("\"%s\" parsed", ssdp_bad[i].what);
		if (strstr(why, ssdp_bad[i].reason) == NULL)
			fail_msg("\"%s\": \"%s\"", ssdp_bad[i].what, why);
	}
	memset(big, 'a', sizeof(big));
	assert_int_equal(ssdp_parse_reply(big, sizeof(big), &r, why,
	    sizeof(why)), -EBADMSG);
	assert_int_equal(ssdp_parse_reply("HTTP/1.1 200 OK\r\n\0", 18, &r, why,
	    sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "NUL"));
	memset(big, 'a', sizeof(big));
	memcpy(big, "HTTP/1.1 200 OK\r\nLOCATION: http://", 34);
	assert_int_equal(ssdp_parse_reply(big, 400, &r, why, sizeof(why)),
	    -EBADMSG);
	assert_non_null(strstr(why, "LOCATION header of"));
}

/* NOTIFY as miniupnpd 2.3.1 multicasts it at start and every 30 minutes. */
static const char notify_alive[] =
    "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
    "CACHE-CONTROL: max-age=1800\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n"
    "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n01-NLS: 1700000042\r\n"
    "NT: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
    "USN: uuid:1234::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
    "NTS: ssdp:alive\r\nSERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n"
    "BOOTID.UPNP.ORG: 1700000042\r\nCONFIGID.UPNP.ORG: 1337\r\n\r\n";

static const struct { const char *what, *text, *reason; } notify_cases[] = {
	{ "alive", notify_alive, NULL },
	{ "byebye without LOCATION", "NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\n"
	  "NTS: ssdp:byebye\r\nBOOTID.UPNP.ORG: 7\r\n\r\n", NULL },
	{ "a search reply", "HTTP/1.1 200 OK\r\nLOCATION: http://a/\r\n\r\n", "not NOTIFY" },
	{ "a search", "M-SEARCH * HTTP/1.1\r\n\r\n", "not NOTIFY" },
	{ "no NTS", "NOTIFY * HTTP/1.1\r\nNT: x\r\nLOCATION: http://a/\r\n\r\n", "without NT or NTS" },
	{ "odd NTS", "NOTIFY * HTTP/1.1\r\nNT: x\r\nNTS: ssdp:hello\r\n\r\n", "NTS \"ssdp:hello\"" },
	{ "alive without LOCATION", "NOTIFY * HTTP/1.1\r\nNT: x\r\nNTS: ssdp:alive\r\n\r\n", "without LOCATION" },
	{ "bad BOOTID", "NOTIFY * HTTP/1.1\r\nNT: x\r\nNTS: ssdp:byebye\r\nBOOTID.UPNP.ORG: -1\r\n\r\n", "BOOTID" },
};

static void
test_ssdp_notify(void **state)
{
	struct ssdp_reply r;
	char why[REASON_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(notify_cases) / sizeof(notify_cases[0]); i++) {
		int rc;
		why[0] = '\0';
		rc = ssdp_parse_notify(notify_cases[i].text,
		    strlen(notify_cases[i].text), &r, why, sizeof(why));
		if (notify_cases[i].reason == NULL && rc != 0)
			fail_msg("\"%s\": %s", notify_cases[i].what, why);
		if (notify_cases[i].reason != NULL &&
		    (rc == 0 || !strstr(why, notify_cases[i].reason)))
			fail_msg("\"%s\": \"%s\"", notify_cases[i].what, why);
	}
	assert_int_equal(ssdp_parse_notify(notify_alive, strlen(notify_alive), &r,
	    why, sizeof(why)), 0);
	assert_string_equal(r.nts, "ssdp:alive");
	assert_int_equal(r.bootid, 1700000042);
	assert_string_equal(r.location, "http://192.168.1.1:5000/rootDesc.xml");
}

static void
test_ssdp_url_host(void **state)
{
	char host[64];

	(void)state;
	assert_int_equal(ssdp_url_host("http://192.168.1.1:5000/rootDesc.xml",
	    host, sizeof(host)), 0);
	assert_string_equal(host, "192.168.1.1");
	assert_int_equal(ssdp_url_host("HTTP://10.0.0.1/d", host, sizeof(host)), 0);
	assert_string_equal(host, "10.0.0.1");
	assert_int_equal(ssdp_url_host("http://[fe80::1]:80/", host, sizeof(host)), 0);
	assert_string_equal(host, "fe80::1");
	assert_int_equal(ssdp_url_host("http://:80/", host, sizeof(host)), -EINVAL);
	assert_int_equal(ssdp_url_host("ftp://a/", host, sizeof(host)), -EINVAL);
	assert_int_equal(ssdp_url_host("http://[fe80::1", host, sizeof(host)), -EINVAL);
	assert_int_equal(ssdp_url_host("http://a-very-long-host-name/", host, 8),
	    -EINVAL);
}

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

static void
test_pinhole_id(void **state)
{
	static const char *bad[] = { NULL, "", "0", "65536", "-1", "+1", " 1",
	    "1 ", "12a", "0x10", "999999", "00000000001" };
	uint16_t id;

	(void)state;
	assert_int_equal(desc_pinhole_id("1", &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(desc_pinhole_id("65535", &id), 0);
	assert_int_equal(id, 65535);
	assert_int_equal(desc_pinhole_id("00042", &id), 0);
	assert_int_equal(id, 42);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (desc_pinhole_id(bad[i], &id) != -1)
			fail_msg("\"%s\" taken", bad[i] ? bad[i] : "(null)");
}

static void
test_desc(void **state)
{
	static const char xml[] = "<?xml version=\"1.0\"?><root><device>"
	    "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1"
	    "</deviceType><friendlyName>Fritz &amp; Co\x01</friendlyName>"
	    "<manufacturer>AVM</manufacturer><modelName>FRITZ!Box 7590</modelName>"
	    "<deviceList><device><friendlyName>WANDevice</friendlyName></device>"
	    "</deviceList></device></root>";
	struct desc_info d;

	(void)state;
	desc_parse_info(xml, sizeof(xml) - 1, &d);
	assert_string_equal(d.friendly_name, "Fritz & Co?");
	assert_string_equal(d.manufacturer, "AVM");
	assert_string_equal(d.model_name, "FRITZ!Box 7590");
	desc_parse_info("<friendlyName>cut", 17, &d);
	assert_string_equal(d.friendly_name, "cut");
	assert_string_equal(d.model_name, "");
	desc_parse_info("<friendlyName>\xff\xfe ok\xc3\xa9</friendlyName>", 34, &d);
	assert_string_equal(d.friendly_name, "?? ok\xc3\xa9");	/* UTF-8 kept */
	desc_parse_info("<friendlyName", 13, &d);
	assert_string_equal(d.friendly_name, "");
}

static const struct { const char *body; const char *addr, *reason; } echo_cases[] = {
	{ "5.0.1.2\n", "5.0.1.2", NULL },
	{ "5.0.1.2", "5.0.1.2", NULL },
	{ "5.0.1.2\r\n", "5.0.1.2", NULL },
	{ "2001:db8::1\n", "2001:db8::1", NULL },
	{ "", NULL, "empty body" },
	{ "\n", NULL, "empty body" },
	{ " 5.0.1.2\n", NULL, "not an address" },
	{ "<html><body>Your IP: 5.0.1.2</body></html>\n", NULL, "not an address: \"<html><body>Your IP:\"" },
	{ "5.0.1.2\n5.0.1.3\n", NULL, "not an address" },
	{ "ip=5.0.1.2", NULL, "not an address" },
	{ "999.0.1.2", NULL, "not an address" },
};

static void
test_echo_body(void **state)
{
	char why[REASON_LEN], a[ADDR_STRLEN];
	struct netaddr out;

	(void)state;
	for (size_t i = 0; i < sizeof(echo_cases) / sizeof(echo_cases[0]); i++) {
		int rc = echo_parse_body(echo_cases[i].body,
		    strlen(echo_cases[i].body), &out, why, sizeof(why));
		if (echo_cases[i].addr != NULL) {
			if (rc != 0)
				fail_msg("\"%s\": %s", echo_cases[i].body, why);
			assert_string_equal(addr_ntop(&out, a, sizeof(a)),
			    echo_cases[i].addr);
		} else if (rc == 0 || strstr(why, echo_cases[i].reason) == NULL) {
			fail_msg("\"%s\": rc %d, \"%s\"", echo_cases[i].body, rc, why);
		}
	}
	assert_int_equal(echo_parse_body("5.0.1.2\0x", 9, &out, why,
	    sizeof(why)), -EBADMSG);
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
test_reach_parse(void **state)
{
	static const struct { int code; const char *body, *result, *detail; }
	cases[] = {
		{ 200, "{\"address\": \"5.0.1.2\", \"port\": 8080, \"proto\": "
		    "\"tcp\", \"result\": \"open\", \"ms\": 0}\n", "open", "" },
		{ 200, "{\"result\": \"closed\"}", "closed", "" },
		{ 200, "{\"result\": \"no-answer\"}", "no-answer", "" },
		{ 200, "{\"result\": \"unreachable\"}", "unreachable", "" },
		{ 200, "{\"result\": \"pwned\"}", "error",
		    "the check server answered an unknown result \"pwned\"" },
		{ 200, "{\"result\": \"op\\u001b[2Jen\"}", "error",
		    "the check server answered an unknown result \"(not printable)\"" },
		{ 200, "{\"result\": \"open\", \"result\": \"closed\"}", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, "{\"result\": 1}", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, "[\"open\"]", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, "open", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, "", "error",
		    "the check server answered HTTP 200 without a result" },
		{ 200, NULL, "error",
		    "the check server answered HTTP 200 without a result" },
		{ 429, "One check at a time from your address.\n", "error",
		    "the check server answered HTTP 429 without a result" },
		{ 404, "{\"result\": \"open\"}", "error",
		    "the check server answered HTTP 404 without a result" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct reach_result r;
		const char *b = cases[i].body;
		reach_parse(cases[i].code, b, b ? strlen(b) : 0, &r);
		if (strcmp(r.result, cases[i].result) ||
		    strcmp(r.detail, cases[i].detail))
			fail_msg("case %zu: got %s \"%s\"", i, r.result, r.detail);
	}
}

/* Every global address, with what the kernel says of it; a tentative one
 * (duplicate address detection under way) is not usable yet. */
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
static void
test_seen6_rank(void **state)
{
	static const char text[] =
	    "2a05deadbeef00000000000000000010 02 40 00 80     eth0\n" /* rogue */
	    "2a050005000100000000000000000010 02 40 00 20     eth0\n" /* ours, deprecated */
	    "2a0500050001000000000000000000aa 02 40 00 01     eth0\n" /* temporary */
	    "2a050005000200000000000000000010 02 40 00 80     eth0\n"; /* new */
	struct netif_addr6 all[8], out[8];
	struct netaddr ours, fresh;
	char s[ADDR_STRLEN];
	int n = netif_parse_inet6_all(text, all, 8), k;

	(void)state;
	addr_parse("2a05:5:1::10", &ours);
	addr_parse("2a05:5:2::10", &fresh);
	k = seen6_rank(all, n, &ours, out, 8);
	assert_int_equal(k, 3);
	assert_string_equal(addr_ntop(&out[0].address, s, sizeof(s)), "2a05:dead:beef::10");
	assert_string_equal(addr_ntop(&out[1].address, s, sizeof(s)), "2a05:5:2::10");
	assert_string_equal(addr_ntop(&out[2].address, s, sizeof(s)), "2a05:5:1::10");
	k = seen6_rank(all, n, &fresh, out, 8);	/* the current one first */
	assert_string_equal(addr_ntop(&out[0].address, s, sizeof(s)), "2a05:5:2::10");
	assert_int_equal(seen6_rank(all, n, NULL, out, 2), 2);
	assert_true(seen6_stale(all, n, &ours));	/* deprecated */
	assert_false(seen6_stale(all, n, &fresh));	/* a rogue beside it: no */
	assert_true(seen6_stale(all, n, NULL));
	addr_parse("2a05:5:3::10", &fresh);
	assert_true(seen6_stale(all, n, &fresh));	/* gone */
}

/* The gateway's URLs: an address literal, a port, a path without spaces
 * or control bytes (they would end up in our request line). */
static void
test_upnphttp_url(void **state)
{
	static const struct { const char *url, *want; } cases[] = {
		{ "http://192.168.1.1:5000/rootDesc.xml", "192.168.1.1 5000 /rootDesc.xml" },
		{ "HTTP://192.168.1.1/ctl", "192.168.1.1 80 /ctl" },
		{ "http://192.168.1.1:5000", "192.168.1.1 5000 /" },
		{ "http://[fe80::1]:49152/a?b", "fe80::1 49152 /a?b" },
		{ "https://192.168.1.1/", NULL },
		{ "http://router.lan:5000/", NULL },	/* a name, not an address */
		{ "http://192.168.1.1:0/", NULL },
		{ "http://192.168.1.1:65536/", NULL },
		{ "http://192.168.1.1:50a0/", NULL },
		{ "http://192.168.1.1:/", NULL },
		{ "http://[fe80::1/", NULL },
		{ "http:///x", NULL },
		{ "http://192.168.1.1/a b", NULL },
		{ "http://192.168.1.1/a\r\nHost: x", NULL },
		{ "http://192.168.1.1?x", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct upnphttp_url u;
		char got[400] = "", a[ADDR_STRLEN], why[REASON_LEN];
		if (upnphttp_parse_url(cases[i].url, &u, why, sizeof(why)) == 0)
			snprintf(got, sizeof(got), "%s %u %s", addr_ntop(&u.host, a,
			    sizeof(a)), u.port, u.path);
		if (cases[i].want ? strcmp(got, cases[i].want) != 0 : got[0] != '\0')
			fail_msg("%s: got \"%s\"", cases[i].url, got);
	}
}

/* Replies: whole, not yet, or wrong; chunks decoded in place. */
static void
test_upnphttp_reply(void **state)
{
	static const struct {
		const char *in;
		bool eof;
		int rc, status;
		const char *body;
	} cases[] = {
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, 1, 200, "hello" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", false, 0, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", true, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, more", false, 1, 200, "hello" },
		{ "HTTP/1.0 500 Internal\r\n\r\n<errorCode>718</errorCode>", true, 1, 500, "<errorCode>718</errorCode>" },
		{ "HTTP/1.0 200 OK\r\n\r\nsoon", false, 0, 0, NULL },
		{ "HTTP/1.1 200 OK\n\nbare LF", true, 1, 200, "bare LF" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\n\r\n", false, 1, 200, "helloabc" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", false, 0, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", true, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n5\r\n", false, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", false, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", false, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n", false, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, -1, 0, NULL },
		{ "HTTP/1.1 2x0 OK\r\n\r\n", true, -1, 0, NULL },
		{ "SSH-2.0-OpenSSH\r\n\r\n", true, -1, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nServer: x", false, 0, 0, NULL },
		{ "HTTP/1.1 200 OK\r\nServer: x", true, -1, 0, NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[300], *body, why[REASON_LEN];
		size_t n = strlen(cases[i].in), blen;
		int status = 0, rc;
		memcpy(buf, cases[i].in, n);
		rc = upnphttp_parse_reply(buf, n, cases[i].eof, &status, &body,
		    &blen, why, sizeof(why));
		if ((rc < 0 ? -1 : rc) != cases[i].rc || (rc == 1 &&
		    (status != cases[i].status || blen != strlen(cases[i].body) ||
		    memcmp(body, cases[i].body, blen))))
			fail_msg("case %zu: rc %d status %d (%s)", i, rc, status,
			    rc < 0 ? why : "");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssdp_good),
		cmocka_unit_test(test_ssdp_bad),
		cmocka_unit_test(test_ssdp_notify),
		cmocka_unit_test(test_ssdp_url_host),
		cmocka_unit_test(test_upnphttp_url),
		cmocka_unit_test(test_upnphttp_reply),
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_route6),
		cmocka_unit_test(test_pinhole_id),
		cmocka_unit_test(test_desc),
		cmocka_unit_test(test_echo_body),
		cmocka_unit_test(test_resolve_split),
		cmocka_unit_test(test_inet6),
		cmocka_unit_test(test_inet6_all),
		cmocka_unit_test(test_seen6_rank),
		cmocka_unit_test(test_reach_parse),
		cmocka_unit_test(test_netlink_stirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
