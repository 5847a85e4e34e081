/* SPDX-License-Identifier: MIT */
/*
 * Result sets as JSON Lines: a header object
 *   {"schema":"perfkit-results","schema_version":1,"epoch_ns":N,"meta":{...}}
 * then one record object per line. Each line is parsed on its own, so an
 * error names its line, and a file cut short by a crash (the stream writer)
 * fails only on its last line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"
#include "results-jsonl-fast.h"

int pk_results_format_jsonl(const struct perfkit_results *res, char **data,
			    size_t *len)
{
	struct pk_buf b = { 0 };
	size_t n;

	if (!res || !data)
		return pk_error(-EINVAL, "JSON Lines: NULL argument");
	n = perfkit_results_count(res);
	pk_json_put_header(&b, res, perfkit_results_epoch_ns(res));
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *rec;

		if (perfkit_results_get(res, i, &rec) < 0)
			continue;
		pk_json_put_record(&b, rec, res, i);
		pk_buf_put(&b, "\n", 1);
	}
	if (pk_buf_finish(&b, data, len) < 0)
		return pk_error(-ENOMEM, "JSON Lines: out of memory");
	return 0;
}

/* The line being read. */
struct line {
	const char *text;
	size_t len;
	int number;
	int unterminated; /* the last line, without its '\n' */
	int header;	  /* the header's line number */
	const struct pk_json_bare *bare; /* columns of a quoted copy */
};

/* @record is SIZE_MAX for the header. */
static int report(const struct line *l, size_t record,
		  const struct pk_json_fault *fault)
{
	size_t at = pk_json_locate(l->text, l->len, NULL, 0, fault->key);
	char what[48] = "header";
	int line, column;

	if (record != SIZE_MAX)
		snprintf(what, sizeof(what), "record %zu", record);
	pk_json_line_col(l->text, l->len, at, &line, &column);
	return pk_error(-EBADMSG, "line %d, column %d: %s%s%s%s: %s",
			l->number, pk_json_bare_column(l->bare, 1, column), what, fault->key ? ", \"" : "",
			fault->key ? fault->key : "", fault->key ? "\"" : "",
			fault->why);
}

static int read_header(const struct line *l, json_t *obj,
		       struct perfkit_results *res)
{
	static const char *const known[] = { "meta", "machine", NULL };
	struct pk_json_fault fault = { 0 };
	json_t *meta, *machine;
	int rc;

	if (!json_is_object(obj))
		return pk_error(-EBADMSG, "line %d, column 1: the header must "
				"be an object", l->number);
	meta = json_object_get(obj, "meta");
	machine = json_object_get(obj, "machine");
	rc = pk_json_header_read(obj, res, known, &fault);
	if (rc == 0 && meta)
		rc = pk_json_meta_read(meta, res, &fault);
	if (rc == 0 && machine)
		rc = pk_json_machine_read(machine, res, &fault);
	if (rc == -EBADMSG)
		return report(l, SIZE_MAX, &fault);
	if (rc < 0)
		return pk_error(rc, "line %d: header: %s", l->number,
				perfkit_strerror(rc));
	return 0;
}

/* A header where a record belongs: "schema" and "schema_version" and no
 * record field (every record we write has them all). */
static int is_header(json_t *obj)
{
	const char *key;
	size_t klen;
	json_t *v;

	if (!json_is_object(obj) || !json_object_get(obj, "schema") ||
	    !json_object_get(obj, "schema_version"))
		return 0;
	json_object_keylen_foreach(obj, key, klen, v)
		if (pk_record_field_find(key, klen))
			return 0;
	return 1;
}

static int read_record(const struct line *l, json_t *obj,
		       struct perfkit_results *res)
{
	struct pk_json_fault fault = { 0 };
	struct perfkit_record rec;
	size_t extras, i = perfkit_results_count(res);
	int rc;

	/* cat a.jsonl b.jsonl: two runs with two epochs are not one set. */
	if (is_header(obj))
		return pk_error(-EBADMSG, "line %d, column 1: a second header "
				"(the first is line %d), as when two files are "
				"joined: read each file on its own", l->number,
				l->header);
	perfkit_record_init(&rec);
	rc = pk_json_record_decode(obj, &rec, &extras, &fault);
	if (rc == 0)
		rc = perfkit_results_append(res, &rec);
	if (rc == 0 && extras)
		rc = pk_json_record_extras(obj, res, i, &fault);
	if (rc == -EBADMSG)
		return report(l, i, &fault);
	if (rc < 0)
		return pk_error(rc, "line %d: record %zu: %s", l->number, i,
				perfkit_strerror(rc));
	return 0;
}

/* A last line that is not JSON and lacks its newline is most likely a
 * write cut short: say that all before it is whole. */
static int cut_short(const struct perfkit_results *res)
{
	char msg[400];

	snprintf(msg, sizeof(msg), "%s", perfkit_last_error());
	return pk_error(-EBADMSG, "%s (the last line is incomplete, as when a "
			"writer stops mid-line; the header and the %zu records "
			"before it are valid)", msg,
			perfkit_results_count(res));
}

static int read_line(const struct line *given, struct perfkit_results *res,
		     int header)
{
	struct line copy = *given, *l = &copy;
	struct pk_json_bare bare;
	json_error_t err;
	json_t *obj;
	int rc = pk_json_bare_quote(given->text, given->len, &bare);

	if (rc < 0)
		return pk_error(-ENOMEM, "JSON Lines: out of memory");
	if (rc > 0) {
		copy.text = bare.text;
		copy.len = bare.len;
		copy.bare = &bare;
	}
	obj = json_loadb(l->text, l->len, PK_JSON_LOAD_FLAGS, &err);
	if (!obj) {
		rc = pk_json_load_error(l->text, l->len, &err, l->number,
					l->bare);
		if (l->unterminated && !header)
			rc = cut_short(res);
	} else {
		rc = header ? read_header(l, obj, res) :
			      read_record(l, obj, res);
		json_decref(obj);
	}
	pk_json_bare_free(&bare);
	return rc;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* The next line that is not blank, from *@pos on (numbers count every
 * line, from 1); 0 at the end of the input. */
static int next_line(const char *data, size_t len, size_t *pos,
		     struct line *l)
{
	while (*pos < len) {
		const char *nl = memchr(data + *pos, '\n', len - *pos);
		size_t end = nl ? (size_t)(nl - data) : len;

		l->number++;
		l->text = data + *pos;
		l->len = end - *pos;
		l->unterminated = !nl;
		*pos = nl ? end + 1 : len;
		if (!blank(l->text, l->len))
			return 1;
	}
	return 0;
}

static int read_lines(const char *data, size_t len,
		      struct perfkit_results *res)
{
	struct line l = { .number = 0 };
	size_t pos = 0;
	int header = 1, rc;

	/* A byte order mark is no character of the text. */
	pos = pk_json_bom(data, len);
	while (next_line(data, len, &pos, &l)) {
		if (header)
			l.header = l.number;
		rc = read_line(&l, res, header);
		if (rc < 0)
			return rc;
		header = 0;
	}
	return 0;
}

int pk_results_parse_jsonl_jansson(const char *data, size_t len,
				   struct perfkit_results **out)
{
	struct perfkit_results *res = NULL;
	int rc;

	if (!data || !out)
		return pk_error(-EINVAL, "JSON Lines: NULL argument");
	rc = pk_json_check_input(data, len);
	if (rc == 0)
		rc = pk_json_new_set(&res);
	if (rc == 0)
		rc = read_lines(data, len, res);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc;
	}
	*out = res;
	return 0;
}

#ifdef PK_HAVE_SIMDJSON
int pk_jsonl_fast_header(const char *data, size_t len, int at_start,
			 struct perfkit_results *res, size_t *next)
{
	struct line l = { .number = 0 };

	*next = at_start ? pk_json_bom(data, len) : 0;
	if (!next_line(data, len, next, &l))
		return 0;
	/* jansson stops at a NUL between tokens: leave it to the reader
	 * that names it. */
	if (memchr(l.text, '\0', l.len))
		return -EAGAIN;
	return read_line(&l, res, 1) < 0 ? -EAGAIN : 1;
}

int pk_results_parse_jsonl_fast(const char *data, size_t len,
				struct perfkit_results **out)
{
	struct perfkit_results *res = NULL;
	size_t next = 0;
	int rc;

	if (!data || !out)
		return -EAGAIN;
	rc = pk_json_new_set(&res);
	if (rc == 0)
		rc = pk_jsonl_fast_header(data, len, 1, res, &next);
	if (rc == 0) /* no header: an error for jansson to name */
		rc = -EAGAIN;
	if (rc == 1)
		rc = pk_jsonl_fast_records(data + next, len - next, res);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc;
	}
	*out = res;
	return 0;
}
#else
int pk_results_parse_jsonl_fast(const char *data, size_t len,
				struct perfkit_results **out)
{
	(void)data;
	(void)len;
	(void)out;
	return -ENOTSUP;
}
#endif

/* simdjson where it is built and sure of the input; jansson for anything
 * else, and for every error message. */
int pk_results_parse_jsonl(const char *data, size_t len,
			   struct perfkit_results **out)
{
	int rc = pk_results_parse_jsonl_fast(data, len, out);

	if (rc == 0 || rc == -ENOMEM)
		return rc == 0 ? 0 : pk_error(rc, "JSON Lines: out of memory");
	return pk_results_parse_jsonl_jansson(data, len, out);
}
