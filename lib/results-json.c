/* SPDX-License-Identifier: MIT */
/*
 * Result sets as one JSON document:
 *   {"schema":"perfkit-results","schema_version":1,"epoch_ns":N,
 *    "meta":{...},"machine":{nested},"records":[{...},...]}
 * The "machine.*" metadata keys are nested at their dots under "machine";
 * a key that cannot nest reversibly stays in "meta" as it is (see
 * nestable()).
 */
#include <stdlib.h>
#include <string.h>

#include "private.h"
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

/* A fault found after parsing, with the position of what it names. */
static int report(const char *data, size_t len, size_t record, int in_record,
		  const struct pk_json_fault *fault)
{
	size_t at = pk_json_locate(data, len, in_record ? "records" : NULL,
				   record, fault->key);
	int line, column;

	pk_json_line_col(data, len, at, &line, &column);
	if (in_record)
		return pk_error(-EBADMSG, "line %d, column %d: record %zu%s%s%s: %s",
				line, column, record, fault->key ? ", \"" : "",
				fault->key ? fault->key : "",
				fault->key ? "\"" : "", fault->why);
	if (fault->key)
		return pk_error(-EBADMSG, "line %d, column %d: \"%s\": %s", line,
				column, fault->key, fault->why);
	return pk_error(-EBADMSG, "line %d, column %d: %s", line, column,
			fault->why);
}

static int read_records(json_t *records, struct perfkit_results *res,
			size_t *bad, struct pk_json_fault *fault)
{
	size_t i;
	json_t *obj;
	int rc;

	json_array_foreach(records, i, obj) {
		struct perfkit_record rec;
		size_t extras;

		*bad = i;
		perfkit_record_init(&rec);
		rc = pk_json_record_decode(obj, &rec, &extras, fault);
		if (rc == 0)
			rc = perfkit_results_append(res, &rec);
		if (rc == 0 && extras)
			rc = pk_json_record_extras(obj, res, i, fault);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Everything but the records; a fault here is not in a record. */
static int read_top(json_t *root, struct perfkit_results *res,
		    struct pk_json_fault *fault)
{
	static const char *const known[] = { "meta", "machine", "records",
					     NULL };
	json_t *meta = json_object_get(root, "meta");
	json_t *machine = json_object_get(root, "machine");
	json_t *records = json_object_get(root, "records");
	int rc = pk_json_header_read(root, res, known, fault);

	if (rc == 0 && meta)
		rc = pk_json_meta_read(meta, res, fault);
	if (rc == 0 && machine)
		rc = pk_json_machine_read(machine, res, fault);
	if (rc == 0 && !json_is_array(records)) {
		fault->key = records ? "records" : NULL;
		snprintf(fault->why, sizeof(fault->why),
			 "\"records\" must be an array, got %s",
			 records ? (json_is_object(records) ? "an object" :
				    "another value") : "nothing");
		rc = -EBADMSG;
	}
	return rc;
}

static int parse_root(const char *data, size_t len, json_t *root,
		      struct perfkit_results *res)
{
	struct pk_json_fault fault = { 0 };
	size_t bad = 0;
	int rc;

	if (!json_is_object(root)) {
		snprintf(fault.why, sizeof(fault.why),
			 "the document must be an object");
		return report(data, len, 0, 0, &fault);
	}
	rc = read_top(root, res, &fault);
	if (rc == -EBADMSG)
		return report(data, len, 0, 0, &fault);
	if (rc == 0)
		rc = read_records(json_object_get(root, "records"), res, &bad,
				  &fault);
	if (rc == -EBADMSG)
		return report(data, len, bad, 1, &fault);
	if (rc < 0)
		return pk_error(rc, "JSON: record %zu: %s", bad,
				perfkit_strerror(rc));
	return 0;
}

int pk_results_parse_json(const char *data, size_t len,
			  struct perfkit_results **out)
{
	struct perfkit_results *res = NULL;
	json_error_t err;
	json_t *root;
	int rc;

	if (!data || !out)
		return pk_error(-EINVAL, "JSON: NULL argument");
	rc = pk_json_check_input(data, len);
	if (rc < 0)
		return rc;
	root = json_loadb(data, len, PK_JSON_LOAD_FLAGS, &err);
	if (!root)
		return pk_json_load_error(data, len, &err, 1);
	rc = pk_json_new_set(&res);
	if (rc == 0)
		rc = parse_root(data, len, root, res);
	json_decref(root);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc;
	}
	*out = res;
	return 0;
}
