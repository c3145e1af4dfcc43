/* SPDX-License-Identifier: BSD-2-Clause */
/* nat/: tables of cases for its parsers of outside input: SSDP replies
 * and NOTIFYs, UPnP device descriptions and SOAP replies, IGDv2 pinhole
 * ids. (NAT-PMP and PCP: test_nat_natpmp_pcp.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lib/reason.h"
#include "nat/desc.h"
#include "nat/pcpserver.h"
#include "nat/ssdp.h"
#include "nat/upnphttp.h"

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
/* RFC 7291's PCP server option, as each DHCP client keeps it: the table
 * of good and bad values, and what each names. */
static void
test_pcpserver_option158(void **state)
{
	static const struct {
		const char *name;
		uint8_t v[16];
		size_t len;
		int want;		/* count, or -1 */
		const char *first, *why;
	} t[] = {
		{ "one", { 4, 192, 0, 0, 9 }, 5, 1, "192.0.0.9", NULL },
		{ "two lists", { 4, 100, 64, 0, 9, 8, 10, 0, 0, 1, 100, 64, 0, 9 },
		    14, 2, "100.64.0.9", NULL },	/* a duplicate dropped */
		{ "loopback, multicast skipped", { 8, 127, 0, 0, 1, 224, 0, 0, 1 },
		    9, 0, NULL, NULL },
		{ "empty", { 0 }, 0, -1, NULL, "option 158 is empty" },
		{ "list of 0", { 0 }, 1, -1, NULL,
		    "option 158: a list's length is not a multiple of 4" },
		{ "list of 5", { 5, 1, 2, 3, 4, 5 }, 6, -1, NULL,
		    "option 158: a list's length is not a multiple of 4" },
		{ "runs past", { 8, 1, 2, 3, 4 }, 5, -1, NULL,
		    "option 158: a list runs past the option" },
	};
	struct netaddr out[PCPSERVER_MAX];
	char why[120], ip[ADDR_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int n = pcpserver_option158(t[i].v, t[i].len, out, 0,
		    PCPSERVER_MAX, why, sizeof(why));
		if (n != t[i].want)
			fail_msg("%s: %d, not %d", t[i].name, n, t[i].want);
		if (t[i].first)
			assert_string_equal(addr_ntop(&out[0], ip, sizeof(ip)),
			    t[i].first);
		if (t[i].why)
			assert_string_equal(why, t[i].why);
	}
}

/* A DHCPv4 message as dhcpcd keeps it: the cookie at 236, the option
 * split in two (RFC 3396), and its end; a DHCPv6 one with option 86. */
static void
test_pcpserver_messages(void **state)
{
	uint8_t m[300] = { 0 }, m6[64] = { 0 };
	struct netaddr out[PCPSERVER_MAX];
	char why[120], ip[ADDR_STRLEN];
	size_t at = 240;

	(void)state;
	m[236] = 0x63, m[237] = 0x82, m[238] = 0x53, m[239] = 0x63;
	m[at++] = 53, m[at++] = 1, m[at++] = 5;			/* ACK */
	m[at++] = 0;							/* pad */
	m[at++] = 158, m[at++] = 3, m[at++] = 4, m[at++] = 100, m[at++] = 64;
	m[at++] = 158, m[at++] = 2, m[at++] = 0, m[at++] = 9;
	m[at++] = 255;
	assert_int_equal(pcpserver_dhcp4(m, at, out, 0, PCPSERVER_MAX, why,
	    sizeof(why)), 1);
	assert_string_equal(addr_ntop(&out[0], ip, sizeof(ip)), "100.64.0.9");
	assert_int_equal(pcpserver_dhcp4(m, 200, out, 0, PCPSERVER_MAX, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "not a DHCP message (no magic cookie at byte 236)");
	m[at - 1] = 158;		/* no end: an option past the message */
	assert_int_equal(pcpserver_dhcp4(m, at, out, 0, PCPSERVER_MAX, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "an option runs past the message");

	m6[0] = 7;					/* Reply */
	m6[4] = 0, m6[5] = 86, m6[6] = 0, m6[7] = 32;
	m6[8] = 0x20, m6[9] = 0x01, m6[10] = 0x0d, m6[11] = 0xb8, m6[23] = 1;
	m6[34] = 0xff, m6[35] = 0xff, m6[36] = 100, m6[37] = 64, m6[39] = 9;
	assert_int_equal(pcpserver_dhcp6(m6, 40, out, 0, PCPSERVER_MAX, why,
	    sizeof(why)), 1);	/* the IPv4-mapped one; IPv6 maps no IPv4 */
	assert_string_equal(addr_ntop(&out[0], ip, sizeof(ip)), "100.64.0.9");
	m6[7] = 33;
	assert_int_equal(pcpserver_dhcp6(m6, 41, out, 0, PCPSERVER_MAX, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "option 86 is not a list of IPv6 addresses");
	assert_int_equal(pcpserver_dhcp6(m6, 40, out, 0, PCPSERVER_MAX, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "an option runs past the message");
}

/* ISC dhclient's text: the last lease's unknown-158, in hex octets. */
static void
test_pcpserver_dhclient(void **state)
{
	static const char leases[] =
	    "lease {\n  interface \"wan\";\n  option unknown-158 4:1:2:3:4;\n}\n"
	    "lease {\n  interface \"wan\";\n  fixed-address 100.64.0.2;\n"
	    "  option unknown-158 4:64:40:0:9;\n  renew 4 2026/12/03 10:00:00;\n}\n";
	static const struct { const char *text, *why; } bad[] = {
		{ "lease {\n option unknown-158 4:64:40:0:9\n}\n",
		    "option unknown-158 has no ';'" },
		{ "lease {\n option unknown-158 4:64:40:0:;\n}\n",
		    "option unknown-158 is not octets in hex (4:c0:0:0:9)" },
		{ "lease {\n option unknown-158 \"abcd\";\n}\n",
		    "option unknown-158 is not octets in hex (4:c0:0:0:9)" },
		{ "lease {\n option unknown-158 4:164:40:0:9;\n}\n",
		    "option unknown-158 is not octets in hex (4:c0:0:0:9)" },
		{ "lease {\n option unknown-158 8:64:40:0:9;\n}\n",
		    "option 158: a list runs past the option" },
	};
	struct netaddr out[PCPSERVER_MAX];
	char why[120], ip[ADDR_STRLEN];

	(void)state;
	assert_int_equal(pcpserver_dhclient(leases, strlen(leases), out, 0,
	    PCPSERVER_MAX, why, sizeof(why)), 1);
	assert_string_equal(addr_ntop(&out[0], ip, sizeof(ip)), "100.64.0.9");
	assert_int_equal(pcpserver_dhclient("lease {\n}\n", 10, out, 0,
	    PCPSERVER_MAX, why, sizeof(why)), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (pcpserver_dhclient(bad[i].text, strlen(bad[i].text), out, 0,
		    PCPSERVER_MAX, why, sizeof(why)) != -1)
			fail_msg("taken: %s", bad[i].text);
		assert_string_equal(why, bad[i].why);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcpserver_option158),
		cmocka_unit_test(test_pcpserver_messages),
		cmocka_unit_test(test_pcpserver_dhclient),
		cmocka_unit_test(test_ssdp_good),
		cmocka_unit_test(test_ssdp_bad),
		cmocka_unit_test(test_ssdp_notify),
		cmocka_unit_test(test_ssdp_url_host),
		cmocka_unit_test(test_upnphttp_url),
		cmocka_unit_test(test_upnphttp_reply),
		cmocka_unit_test(test_pinhole_id),
		cmocka_unit_test(test_desc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
