/* SPDX-License-Identifier: MIT */
/*
 * Reading a JSON document one record at a time. jansson parses every value,
 * keys included: JSON_DISABLE_EOF_CHECK stops it after one value and says
 * how many bytes it took. This file only steps over the punctuation between
 * the members of the top object and between the elements of "records", so
 * that memory holds one record's jansson tree at a time instead of the
 * whole document's (some 3 KB per record, eight times the records' size).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"

struct doc {
	const char *data;
	size_t len, pos;
	json_t *top;	  /* the top-level members but "records" */
	const struct pk_json_bare *bare; /* columns of a quoted copy */
	int seen_records;
	struct perfkit_results *res;
};

#define VALUE_FLAGS (PK_JSON_LOAD_FLAGS | JSON_DISABLE_EOF_CHECK | \
		     JSON_DECODE_ANY)

static size_t skip_ws(const struct doc *d, size_t p)
{
	while (p < d->len && (d->data[p] == ' ' || d->data[p] == '\t' ||
			      d->data[p] == '\n' || d->data[p] == '\r'))
		p++;
	return p;
}

static int doc_error(const struct doc *d, size_t at, const char *fmt, ...)
	PK_PRINTF(3, 4);

/* -EBADMSG with the line and column of byte @at. */
static int doc_error(const struct doc *d, size_t at, const char *fmt, ...)
{
	char why[256];
	int line, column;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pk_json_line_col(d->data, d->len, at, &line, &column);
	return pk_error(-EBADMSG, "line %d, column %d: %s", line,
			pk_json_bare_column(d->bare, line, column), why);
}

/* jansson's error in a value that starts at byte @at. */
static int value_error(const struct doc *d, size_t at, const json_error_t *err)
{
	int line, column;

	if (err->line < 1 || err->column < 1) {
		size_t off = at + (err->position > 0 ? (size_t)err->position : 0);

		return doc_error(d, off, "%s", err->text);
	}
	pk_json_line_col(d->data, d->len, at, &line, &column);
	column = err->line == 1 ? column + err->column - 1 : err->column;
	line += err->line - 1;
	return pk_error(-EBADMSG, "line %d, column %d: %s", line,
			pk_json_bare_column(d->bare, line, column), err->text);
}

/* The value at d->pos, parsed by jansson; d->pos moves past it. */
static json_t *next_value(struct doc *d, int *rc)
{
	size_t at = skip_ws(d, d->pos);
	json_error_t err;
	json_t *v = json_loadb(d->data + at, d->len - at, VALUE_FLAGS, &err);

	if (!v) {
		*rc = value_error(d, at, &err);
		return NULL;
	}
	d->pos = at + (size_t)err.position;
	return v;
}

/* Step over one of @chars (put in *@got), or fail saying what was due. */
static int expect(struct doc *d, const char *chars, const char *what,
		  char *got)
{
	size_t at = skip_ws(d, d->pos);

	if (at >= d->len)
		return doc_error(d, at, "%s expected near end of file", what);
	if (!strchr(chars, d->data[at]))
		return doc_error(d, at, "%s expected near '%c'", what,
				 d->data[at]);
	*got = d->data[at];
	d->pos = at + 1;
	return 0;
}

/* A fault in the record that spans [at, d->pos). */
static int record_fault(const struct doc *d, size_t at, size_t i,
			const struct pk_json_fault *fault)
{
	size_t off = at + pk_json_locate(d->data + at, d->pos - at, NULL, 0,
					 fault->key);

	return doc_error(d, off, "record %zu%s%s%s: %s", i,
			 fault->key ? ", \"" : "", fault->key ? fault->key : "",
			 fault->key ? "\"" : "", fault->why);
}

static int read_record(struct doc *d, size_t i)
{
	struct pk_json_fault fault = { 0 };
	size_t at = skip_ws(d, d->pos), extras = 0;
	struct perfkit_record rec;
	json_t *obj;
	int rc;

	obj = next_value(d, &rc);
	if (!obj)
		return rc;
	perfkit_record_init(&rec);
	rc = pk_json_record_decode(obj, &rec, &extras, &fault);
	if (rc == 0)
		rc = perfkit_results_append(d->res, &rec);
	if (rc == 0 && extras)
		rc = pk_json_record_extras(obj, d->res, i, &fault);
	if (rc == -EBADMSG)
		rc = record_fault(d, at, i, &fault); /* the key lives in obj */
	else if (rc < 0)
		rc = pk_error(rc, "JSON: record %zu: %s", i, perfkit_strerror(rc));
	json_decref(obj);
	return rc;
}

static int read_records(struct doc *d)
{
	size_t at;
	char c = 0;
	int rc;

	d->pos = skip_ws(d, d->pos) + 1; /* the '[' */
	at = skip_ws(d, d->pos);
	if (at < d->len && d->data[at] == ']') {
		d->pos = at + 1;
		return 0;
	}
	for (size_t i = 0;; i++) {
		rc = read_record(d, i);
		if (rc == 0)
			rc = expect(d, ",]", "',' or ']'", &c);
		if (rc < 0 || c == ']')
			return rc;
	}
}

/* A fault outside the records, placed by what it names. */
static int top_fault(const struct doc *d, const struct pk_json_fault *fault)
{
	size_t at = pk_json_locate(d->data, d->len, NULL, 0, fault->key);

	if (fault->key)
		return doc_error(d, at, "\"%s\": %s", fault->key, fault->why);
	return doc_error(d, at, "%s", fault->why);
}

static int member_records(struct doc *d, size_t key_at)
{
	struct pk_json_fault fault = { 0 };
	size_t at = skip_ws(d, d->pos);
	json_t *v;
	int rc;

	if (d->seen_records)
		return doc_error(d, key_at, "duplicate object key \"records\"");
	d->seen_records = 1;
	if (at < d->len && d->data[at] == '[') {
		/* A header that comes first (as written) is checked first. */
		if (json_object_get(d->top, "schema") &&
		    json_object_get(d->top, "schema_version") &&
		    pk_json_schema_check(d->top, &fault) < 0)
			return top_fault(d, &fault);
		return read_records(d);
	}
	v = next_value(d, &rc);
	if (!v)
		return rc;
	rc = doc_error(d, at, "\"records\": must be an array, got %s",
		       pk_json_type_name(v));
	json_decref(v);
	return rc;
}

static int member(struct doc *d, const char *key, size_t key_at)
{
	json_t *v;
	int rc;

	if (!strcmp(key, "records"))
		return member_records(d, key_at);
	if (json_object_get(d->top, key))
		return doc_error(d, key_at, "duplicate object key \"%.60s\"",
				 key);
	v = next_value(d, &rc);
	if (!v)
		return rc;
	if (json_object_set_new(d->top, key, v) < 0)
		return pk_error(-ENOMEM, "JSON: out of memory");
	return 0;
}

static int read_members(struct doc *d)
{
	size_t at;
	char c = 0;
	int rc = expect(d, "{", "'{' (a document is an object)", &c);

	at = skip_ws(d, d->pos);
	if (rc == 0 && at < d->len && d->data[at] == '}') {
		d->pos = at + 1;
		c = '}';
	}
	while (rc == 0 && c != '}') {
		size_t key_at = skip_ws(d, d->pos);
		json_t *key = next_value(d, &rc);

		if (!key)
			return rc;
		if (!json_is_string(key))
			rc = doc_error(d, key_at, "a key (a string) expected");
		if (rc == 0)
			rc = expect(d, ":", "':'", &c);
		if (rc == 0)
			rc = member(d, json_string_value(key), key_at);
		json_decref(key);
		if (rc == 0)
			rc = expect(d, ",}", "',' or '}'", &c);
	}
	at = skip_ws(d, d->pos);
	if (rc == 0 && at < d->len)
		rc = doc_error(d, at, "end of file expected");
	return rc;
}

/* The header members, read once the whole document is known good. */
static int read_header(struct doc *d)
{
	static const char *const known[] = { "meta", "machine", NULL };
	struct pk_json_fault fault = { 0 };
	json_t *meta = json_object_get(d->top, "meta");
	json_t *machine = json_object_get(d->top, "machine");
	int rc = pk_json_header_read(d->top, d->res, known, &fault);

	if (rc == 0 && meta)
		rc = pk_json_meta_read(meta, d->res, &fault);
	if (rc == 0 && machine)
		rc = pk_json_machine_read(machine, d->res, &fault);
	if (rc == 0 && !d->seen_records) {
		fault.key = NULL;
		snprintf(fault.why, sizeof(fault.why),
			 "\"records\" must be an array, got nothing");
		rc = -EBADMSG;
	}
	return rc == -EBADMSG ? top_fault(d, &fault) : rc;
}

int pk_results_parse_json(const char *data, size_t len,
			  struct perfkit_results **out)
{
	struct doc d = { .data = data, .len = len };
	struct pk_json_bare bare;
	size_t bom;
	int rc;

	if (!data || !out)
		return pk_error(-EINVAL, "JSON: NULL argument");
	rc = pk_json_check_input(data, len);
	if (rc < 0)
		return rc;
	/* A byte order mark is no character of the text: line 1 starts
	 * after it. */
	bom = pk_json_bom(data, len);
	d.data += bom;
	d.len -= bom;
	rc = pk_json_bare_quote(d.data, d.len, &bare);
	if (rc < 0)
		return pk_error(-ENOMEM, "JSON: out of memory");
	if (rc > 0) {
		d.data = bare.text;
		d.len = bare.len;
		d.bare = &bare;
	}
	d.top = json_object();
	if (!d.top) {
		pk_json_bare_free(&bare);
		return pk_error(-ENOMEM, "JSON: out of memory");
	}
	rc = pk_json_new_set(&d.res);
	if (rc == 0)
		rc = read_members(&d);
	if (rc == 0)
		rc = read_header(&d);
	json_decref(d.top);
	pk_json_bare_free(&bare);
	if (rc < 0) {
		perfkit_results_destroy(d.res);
		return rc;
	}
	*out = d.res;
	return 0;
}
