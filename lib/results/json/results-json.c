/* SPDX-License-Identifier: MIT */
/*
 * Result sets written as one JSON document (results-json-parse.c reads
 * them):
 *   {"schema":"perfkit-results","schema_version":1,"epoch_ns":N,
 *    "meta":{...},"machine":{nested},"records":[{...},...]}
 * The "machine.*" metadata keys are nested at their dots under "machine";
 * a key that cannot nest reversibly stays in "meta" as it is (see
 * nestable()).
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"

/* Deeper machine keys stay flat: jansson refuses documents nested more
 * than 2048 levels, and no machine key comes near this. */
#define MACHINE_DEPTH_MAX 16

static const char machine_prefix[] = "machine.";
#define MACHINE_PREFIX_LEN (sizeof(machine_prefix) - 1)

/*
 * Whether machine key @key ("machine.a.b") nests: its segments are
 * non-empty and few, and no other key continues it ("machine.a.b.c"), which
 * would need "b" to be both a string and an object.
 */
static int nestable(const struct perfkit_results *res, const char *key)
{
	const char *rest = key + MACHINE_PREFIX_LEN, *p;
	size_t len = strlen(key), n = perfkit_results_meta_count(res);
	int segments = 1;

	if (*rest == '\0' || *rest == '.' || key[len - 1] == '.' ||
	    strstr(rest, ".."))
		return 0;
	for (p = rest; (p = strchr(p, '.')) != NULL; p++)
		if (++segments > MACHINE_DEPTH_MAX)
			return 0;
	for (size_t i = 0; i < n; i++) {
		const char *other;

		if (perfkit_results_meta_at(res, i, &other, NULL) == 0 &&
		    other && strncmp(other, key, len) == 0 && other[len] == '.')
			return 0;
	}
	return 1;
}

static int in_machine(const struct perfkit_results *res, const char *key)
{
	return strncmp(key, machine_prefix, MACHINE_PREFIX_LEN) == 0 &&
	       nestable(res, key);
}

struct leaf {
	const char *rest; /* what is left of the key to nest */
	const char *value;
	int done;
};

/* An object of @n leaves, grouped by their first segment in the order each
 * segment first appears. */
static void put_tree(struct pk_buf *b, struct leaf *kv, size_t n)
{
	int first = 1;

	pk_buf_put(b, "{", 1);
	for (size_t i = 0; i < n; i++) {
		size_t seg = strcspn(kv[i].rest, "."), m = 0;
		struct leaf *sub;

		if (kv[i].done)
			continue;
		if (!first)
			pk_buf_put(b, ",", 1);
		first = 0;
		pk_buf_put_jstring(b, kv[i].rest, seg);
		pk_buf_put(b, ":", 1);
		if (kv[i].rest[seg] == '\0') {
			pk_buf_put_jstring(b, kv[i].value, strlen(kv[i].value));
			kv[i].done = 1;
			continue;
		}
		sub = malloc((n - i) * sizeof(*sub));
		if (!sub) {
			b->failed = 1;
			return;
		}
		for (size_t j = i; j < n; j++) {
			if (kv[j].done || strncmp(kv[j].rest, kv[i].rest, seg) ||
			    kv[j].rest[seg] != '.')
				continue;
			sub[m] = kv[j];
			sub[m++].rest += seg + 1;
			kv[j].done = 1;
		}
		put_tree(b, sub, m);
		free(sub);
	}
	pk_buf_put(b, "}", 1);
}

static void put_meta(struct pk_buf *b, const struct perfkit_results *res)
{
	size_t n = perfkit_results_meta_count(res);
	int first = 1;

	pk_buf_puts(b, "\"meta\":{");
	for (size_t i = 0; i < n; i++) {
		const char *key, *value;

		if (perfkit_results_meta_at(res, i, &key, &value) < 0 || !key ||
		    !value || in_machine(res, key))
			continue;
		pk_buf_put_key(b, key, first);
		pk_buf_put_jstring(b, value, strlen(value));
		first = 0;
	}
	pk_buf_puts(b, "},\n");
}

static void put_machine(struct pk_buf *b, const struct perfkit_results *res)
{
	size_t n = perfkit_results_meta_count(res), m = 0;
	struct leaf *kv = malloc((n ? n : 1) * sizeof(*kv));

	if (!kv) {
		b->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *key, *value;

		if (perfkit_results_meta_at(res, i, &key, &value) < 0 || !key ||
		    !value || !in_machine(res, key))
			continue;
		kv[m++] = (struct leaf){ key + MACHINE_PREFIX_LEN, value, 0 };
	}
	pk_buf_puts(b, "\"machine\":");
	put_tree(b, kv, m);
	pk_buf_puts(b, ",\n");
	free(kv);
}

int pk_results_format_json(const struct perfkit_results *res, char **data,
			   size_t *len)
{
	struct pk_buf b = { 0 };
	size_t n;

	if (!res || !data)
		return pk_error(-EINVAL, "JSON: NULL argument");
	n = perfkit_results_count(res);
	pk_buf_puts(&b, "{\"schema\":\"" PERFKIT_RESULTS_SCHEMA
			"\",\"schema_version\":");
	pk_buf_put_i64(&b, PERFKIT_RESULTS_SCHEMA_VERSION);
	pk_buf_puts(&b, ",\"epoch_ns\":");
	pk_buf_put_i64(&b, perfkit_results_epoch_ns(res));
	pk_buf_puts(&b, ",\n");
	put_meta(&b, res);
	put_machine(&b, res);
	pk_buf_puts(&b, "\"records\":[");
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *rec;

		if (perfkit_results_get(res, i, &rec) < 0)
			continue;
		pk_buf_puts(&b, i ? ",\n" : "\n");
		pk_json_put_record(&b, rec, res, i);
	}
	pk_buf_puts(&b, "\n]}\n");
	if (pk_buf_finish(&b, data, len) < 0)
		return pk_error(-ENOMEM, "JSON: out of memory");
	return 0;
}
