/* SPDX-License-Identifier: MIT */
/* JSON text for result sets, built in one growing buffer. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-format.h"
#include "results-json-private.h"

int pk_buf_grow(struct pk_buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->failed)
		return -ENOMEM;
	if (b->cap - b->len > more)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len <= more) {
		if (cap > SIZE_MAX / 2) {
			b->failed = 1;
			return -ENOMEM;
		}
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void pk_buf_put(struct pk_buf *b, const char *s, size_t n)
{
	if (pk_buf_grow(b, n) == 0) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
	}
}

void pk_buf_puts(struct pk_buf *b, const char *s)
{
	pk_buf_put(b, s, strlen(s));
}

static void put_char(struct pk_buf *b, char c)
{
	if (pk_buf_grow(b, 1) == 0)
		b->data[b->len++] = c;
}

int pk_buf_finish(struct pk_buf *b, char **data, size_t *len)
{
	if (pk_buf_grow(b, 1) < 0) {
		free(b->data);
		*b = (struct pk_buf){ 0 };
		return -ENOMEM;
	}
	b->data[b->len] = '\0';
	*data = b->data;
	if (len)
		*len = b->len;
	*b = (struct pk_buf){ 0 };
	return 0;
}

/* Length of the valid UTF-8 sequence at @p (as jansson checks it: no
 * overlong forms, surrogates or code points above U+10FFFF), else 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t need;
	unsigned lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	need = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < need || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return need;
}

/* Bytes that go through unchanged: printable ASCII but '"' and '\\'. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

static void put_escape(struct pk_buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	switch (c) {
	case '"': pk_buf_put(b, "\\\"", 2); return;
	case '\\': pk_buf_put(b, "\\\\", 2); return;
	case '\b': pk_buf_put(b, "\\b", 2); return;
	case '\f': pk_buf_put(b, "\\f", 2); return;
	case '\n': pk_buf_put(b, "\\n", 2); return;
	case '\r': pk_buf_put(b, "\\r", 2); return;
	case '\t': pk_buf_put(b, "\\t", 2); return;
	default: pk_buf_put(b, u, sizeof(u)); return;
	}
}

void pk_buf_put_jstring(struct pk_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	put_char(b, '"');
	while (i < n) {
		size_t run = i, k;

		while (run < n && plain(p[run]))
			run++;
		pk_buf_put(b, s + i, run - i);
		i = run;
		if (i == n)
			break;
		if (p[i] < 0x80) {
			put_escape(b, p[i++]);
		} else if ((k = utf8_seq(p + i, n - i)) != 0) {
			pk_buf_put(b, s + i, k);
			i += k;
		} else {
			put_char(b, '?');
			i++;
		}
	}
	put_char(b, '"');
}

void pk_buf_put_u64(struct pk_buf *b, uint64_t v)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	pk_buf_put(b, tmp + n, sizeof(tmp) - n);
}

void pk_buf_put_i64(struct pk_buf *b, int64_t v)
{
	if (v < 0) {
		put_char(b, '-');
		pk_buf_put_u64(b, 0 - (uint64_t)v);
	} else {
		pk_buf_put_u64(b, (uint64_t)v);
	}
}

/*
 * A double that reads back to the same bits: integral values below 1e17
 * as integers (what "%.17g" prints, only faster), -0.0 as "-0.0" (jansson
 * reads "-0" as the integer 0), the non-finite ones as the strings "NaN",
 * "Infinity", "-Infinity", the rest as pk_double_to_text() writes them.
 */
static void put_double(struct pk_buf *b, double v)
{
	char tmp[PK_DOUBLE_TEXT_MAX];
	int n;

	if (isnan(v)) {
		pk_buf_put(b, "\"NaN\"", 5);
	} else if (isinf(v)) {
		pk_buf_puts(b, v < 0 ? "\"-Infinity\"" : "\"Infinity\"");
	} else if (v == 0) {
		pk_buf_puts(b, signbit(v) ? "-0.0" : "0");
	} else if (fabs(v) < 1e17 && v == (double)(int64_t)v) {
		pk_buf_put_i64(b, (int64_t)v);
	} else {
		n = pk_double_to_text(v, tmp, sizeof(tmp));
		/* Its C library fallback follows LC_NUMERIC where no "C"
		 * locale could be made; JSON's radix is '.'. */
		for (int i = 0; i < n; i++)
			if (tmp[i] == ',')
				tmp[i] = '.';
		if (n > 0)
			pk_buf_put(b, tmp, (size_t)n);
		else
			b->failed = 1;
	}
}

void pk_buf_put_key(struct pk_buf *b, const char *key, int first)
{
	if (!first)
		put_char(b, ',');
	pk_buf_put_jstring(b, key, strlen(key));
	put_char(b, ':');
}

static void put_field(struct pk_buf *b, const struct perfkit_record *rec,
		      const struct pk_field *f)
{
	const char *p = (const char *)rec + f->offset;
	int32_t i32;
	int64_t i64;
	uint64_t u64;
	double d;

	switch (f->type) {
	case PK_FIELD_TEXT:
		pk_buf_put_jstring(b, p, strnlen(p, f->size));
		break;
	case PK_FIELD_I32:
		memcpy(&i32, p, sizeof(i32));
		pk_buf_put_i64(b, i32);
		break;
	case PK_FIELD_I64:
		memcpy(&i64, p, sizeof(i64));
		pk_buf_put_i64(b, i64);
		break;
	case PK_FIELD_U64:
		/* jansson's integers are int64: larger values go as text. */
		memcpy(&u64, p, sizeof(u64));
		if (u64 > INT64_MAX)
			put_char(b, '"');
		pk_buf_put_u64(b, u64);
		if (u64 > INT64_MAX)
			put_char(b, '"');
		break;
	case PK_FIELD_DOUBLE:
		memcpy(&d, p, sizeof(d));
		put_double(b, d);
		break;
	}
}

static void put_params(struct pk_buf *b, const struct perfkit_record *rec)
{
	uint32_t n = rec->nparams;

	if (n == 0)
		return;
	if (n > PERFKIT_RECORD_PARAMS_MAX)
		n = PERFKIT_RECORD_PARAMS_MAX;
	pk_buf_put(b, ",\"params\":{", 11);
	for (uint32_t i = 0; i < n; i++) {
		const struct perfkit_record_param *p = &rec->params[i];

		if (i)
			put_char(b, ',');
		pk_buf_put_jstring(b, p->key, strnlen(p->key, sizeof(p->key)));
		put_char(b, ':');
		pk_buf_put_jstring(b, p->value,
				   strnlen(p->value, sizeof(p->value)));
	}
	put_char(b, '}');
}

void pk_json_put_record(struct pk_buf *b, const struct perfkit_record *rec,
			const struct perfkit_results *res, size_t i)
{
	size_t nextra = res ? perfkit_results_extra_count(res, i) : 0;

	put_char(b, '{');
	for (size_t k = 0; k < pk_record_field_count; k++) {
		pk_buf_put_key(b, pk_record_fields[k].name, k == 0);
		put_field(b, rec, &pk_record_fields[k]);
	}
	put_params(b, rec);
	for (size_t j = 0; j < nextra; j++) {
		const char *key, *value;

		if (perfkit_results_extra_get(res, i, j, &key, &value) < 0 ||
		    !key || !value)
			continue;
		pk_buf_put_key(b, key, 0);
		pk_buf_put_jstring(b, value, strlen(value));
	}
	put_char(b, '}');
}

void pk_json_put_header(struct pk_buf *b, const struct perfkit_results *res,
			int64_t epoch_ns)
{
	size_t n = res ? perfkit_results_meta_count(res) : 0;
	int first = 1;

	pk_buf_puts(b, "{\"schema\":\"" PERFKIT_RESULTS_SCHEMA
		       "\",\"schema_version\":");
	pk_buf_put_i64(b, PERFKIT_RESULTS_SCHEMA_VERSION);
	pk_buf_puts(b, ",\"epoch_ns\":");
	pk_buf_put_i64(b, epoch_ns);
	pk_buf_puts(b, ",\"meta\":{");
	for (size_t i = 0; i < n; i++) {
		const char *key, *value;

		if (perfkit_results_meta_at(res, i, &key, &value) < 0 || !key ||
		    !value)
			continue;
		pk_buf_put_key(b, key, first);
		pk_buf_put_jstring(b, value, strlen(value));
		first = 0;
	}
	pk_buf_puts(b, "}}\n");
}
