/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * homereach relay-server: a WireGuard front door for homes nothing else
 * reaches (relay/), run in the foreground (SIGHUP reads the homes again,
 * SIGTERM takes it all down); add-home gives a home its key pair, its
 * tunnel address and its ports, and writes the [relay] section for that
 * home's homereach.conf into a file of its own (it holds the home's
 * private key, which is never printed).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/cli/cli.h"
#include "agent/config/config.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/reason.h"
#include "relay/relayhomes.h"
#include "relay/relaykey.h"
#include "relay/relayserver.h"

static const struct file_owner relay_fo = { .mode = 0600, .uid = (uid_t)-1,
	.gid = (gid_t)-1 };

static void
relaycmd_usage(FILE *out)
{
	fprintf(out, "Usage: homereach relay-server [--config FILE]\n"
	    "       homereach relay-server add-home NAME [--config FILE] "
	    "[--ports N] [--output FILE]\n"
	    "add-home writes the home's [relay] section (with its private key) "
	    "to FILE,\nby default NAME.relay.conf, for that home's homereach.conf.\n");
}

/* The relay's private key file, made if absent; its public key. */
static int
relaycmd_key(const struct relay_config *c, char pub[RELAY_KEY_LEN + 1])
{
	char buf[128], priv[RELAY_KEY_LEN + 1], why[REASON_LEN + 1100];
	size_t len;

	if (file_read_small(c->key_file, buf, sizeof(buf), &len, why,
	    sizeof(why)) < 0) {
		log_warnx("%s", why);
		return -1;
	}
	if (len == 0) {
		if (relaykey_new(priv, pub) < 0)
			return -1;
		snprintf(buf, sizeof(buf), "%s\n", priv);
		explicit_bzero(priv, sizeof(priv));
		if (file_replace(c->key_file, buf, strlen(buf), &relay_fo, why,
		    sizeof(why)) < 0) {
			explicit_bzero(buf, sizeof(buf));
			log_warnx("%s", why);
			return -1;
		}
		log_info("%s: a new key for the relay", c->key_file);
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	len = (size_t)relaykey_public(buf, pub);
	explicit_bzero(buf, sizeof(buf));
	if (len != 0)
		log_warnx("%s: not a WireGuard private key", c->key_file);
	return len == 0 ? 0 : -1;
}

static int
relaycmd_config(const char *path, struct config *cfg)
{
	if (config_read(path, cfg) < 0)
		return -1;
	if (!cfg->relay.set) {
		log_warnx("%s: no [relay-server] section", path ? path :
		    "the configuration");
		return -1;
	}
	return 0;
}

/* --- add-home --- */

static int
relaycmd_write_section(const char *out, const struct relay_config *c,
    const struct relay_home *h, const char *relay_pub, const char *priv)
{
	char text[1024], why[REASON_LEN + 1100];
	int rc;

	snprintf(text, sizeof(text), "# homereach relay %s: paste into the home's "
	    "homereach.conf\n[relay]\nserver = %s\nserver_key = %s\n"
	    "private_key = %s\naddress = %u.%u.%u.%u\nports = %u-%u\n", h->name,
	    c->listen, relay_pub, priv, h->address[0], h->address[1],
	    h->address[2], h->address[3], h->port_lo, h->port_hi);
	rc = file_replace(out, text, strlen(text), &relay_fo, why, sizeof(why));
	explicit_bzero(text, sizeof(text));
	if (rc < 0)
		log_warnx("%s", why);
	return rc;
}

static int
relaycmd_add(const struct config *cfg, const char *name, int quota,
    const char *out)
{
	static struct relay_home homes[RELAY_MAX_HOMES + 1];
	static char text[RELAY_HOMES_FILE_MAX + 256];
	const struct relay_config *c = &cfg->relay;
	char relay_pub[RELAY_KEY_LEN + 1], priv[RELAY_KEY_LEN + 1];
	char why[160] = "cannot make a WireGuard key (OpenSSL)";
	char line[256], err[REASON_LEN + 1100];
	struct relay_home *h;
	size_t len;
	int n = relayserver_homes(c, homes, text, &len);

	if (n < 0 || relaycmd_key(c, relay_pub) < 0)
		return 1;
	h = &homes[n];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	if (relayhomes_next(homes, n, c, quota, h, why, sizeof(why)) == 0 &&
	    relaykey_new(priv, h->key) == 0) {
		relayhomes_format(h, line, sizeof(line));
		if (len > 0 && text[len - 1] != '\n')
			text[len++] = '\n';
		memcpy(text + len, line, strlen(line) + 1);
		/* Read back as the server will: the name checked, none twice. */
		n = relayhomes_parse(text, strlen(text), c, homes, RELAY_MAX_HOMES,
		    why, sizeof(why));
	} else
		n = -1;
	if (n < 0) {
		explicit_bzero(priv, sizeof(priv));
		fprintf(stderr, "homereach relay-server add-home %s: %s\n", name, why);
		return 1;
	}
	h = &homes[n - 1];
	if (relaycmd_write_section(out, c, h, relay_pub, priv) < 0 ||
	    file_replace(c->homes_file, text, strlen(text), &relay_fo, err,
	    sizeof(err)) < 0) {
		explicit_bzero(priv, sizeof(priv));
		return 1;
	}
	explicit_bzero(priv, sizeof(priv));
	printf("home %s: tunnel address %u.%u.%u.%u, public ports %u-%u on %s\n"
	    "its [relay] section (with its private key) is in %s: paste it into "
	    "the home's\nhomereach.conf; a running relay-server takes the home "
	    "at SIGHUP\n", h->name, h->address[0], h->address[1], h->address[2],
	    h->address[3], h->port_lo, h->port_hi, c->listen, out);
	return 0;
}

static int
relaycmd_add_home(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ports", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct config cfg;
	const char *path = NULL, *out = NULL;
	char def[128], *end;
	long quota = 0;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'c')
			path = optarg;
		else if (ch == 'o')
			out = optarg;
		else if (ch == 'p' && ((quota = strtol(optarg, &end, 10)) < 1 ||
		    quota > 1000 || *end)) {
			fprintf(stderr, "homereach relay-server add-home: --ports "
			    "wants a number from 1 to 1000\n");
			return EXIT_USAGE;
		} else if (ch != 'p') {
			relaycmd_usage(ch == 'h' ? stdout : stderr);
			return ch == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		relaycmd_usage(stderr);
		return EXIT_USAGE;
	}
	if (relaycmd_config(path, &cfg) < 0)
		return EXIT_USAGE;
	snprintf(def, sizeof(def), "%.100s.relay.conf", argv[optind]);
	return relaycmd_add(&cfg, argv[optind], quota ? (int)quota :
	    cfg.relay.quota, out ? out : def);
}

/* --- the server --- */

static int
relaycmd_serve(const struct relay_config *c)
{
	char pub[RELAY_KEY_LEN + 1];

	if (relaycmd_key(c, pub) < 0)
		return 1;
	return relayserver_run(c, pub);
}

int
relaycmd_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct config cfg;
	const char *path = NULL;
	int ch;

	if (argc > 1 && !strcmp(argv[1], "add-home"))
		return relaycmd_add_home(argc - 1, argv + 1);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'c')
			path = optarg;
		else {
			relaycmd_usage(ch == 'h' ? stdout : stderr);
			return ch == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if (optind != argc) {
		relaycmd_usage(stderr);
		return EXIT_USAGE;
	}
	if (relaycmd_config(path, &cfg) < 0)
		return EXIT_USAGE;
	return relaycmd_serve(&cfg.relay);
}
