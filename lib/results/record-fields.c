/* SPDX-License-Identifier: MIT */
/* The record's fields by name and their text forms, shared by all formats. */
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-format.h"

#define FIELD(member, type) \
	{ #member, type, offsetof(struct perfkit_record, member), \
	  sizeof(((struct perfkit_record *)0)->member) }

const struct pk_field pk_record_fields[] = {
	FIELD(name, PK_FIELD_TEXT),
	FIELD(host, PK_FIELD_TEXT),
	FIELD(worker, PK_FIELD_I32),
	FIELD(rank, PK_FIELD_I32),
	FIELD(cpu, PK_FIELD_I32),
	FIELD(status, PK_FIELD_I32),
	FIELD(t_submit, PK_FIELD_DOUBLE),
	FIELD(t_start, PK_FIELD_DOUBLE),
	FIELD(t_setup, PK_FIELD_DOUBLE),
	FIELD(t_end, PK_FIELD_DOUBLE),
	FIELD(t_collected, PK_FIELD_DOUBLE),
	FIELD(repetitions, PK_FIELD_U64),
	FIELD(problem_size, PK_FIELD_I64),
	FIELD(flops, PK_FIELD_DOUBLE),
	FIELD(bytes, PK_FIELD_DOUBLE),
	FIELD(items, PK_FIELD_DOUBLE),
	FIELD(elapsed, PK_FIELD_DOUBLE),
};

const size_t pk_record_field_count =
	sizeof(pk_record_fields) / sizeof(pk_record_fields[0]);

const struct pk_field *pk_record_field_find(const char *name, size_t len)
{
	for (size_t i = 0; i < pk_record_field_count; i++) {
		const char *n = pk_record_fields[i].name;
		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return &pk_record_fields[i];
	}
	return NULL;
}

/* Files use '.' whatever LC_NUMERIC the host program chose: number text
 * goes through the "C" locale (or the current one if it cannot be made). */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t numeric_locale(void)
{
	pthread_once(&c_locale_once, make_c_locale);
	return c_locale ? c_locale : LC_GLOBAL_LOCALE;
}

int pk_double_to_text(double v, char *buf, size_t len)
{
	int n;

	if (isnan(v)) {
		n = snprintf(buf, len, "nan");
	} else if (isinf(v)) {
		n = snprintf(buf, len, v < 0 ? "-inf" : "inf");
	} else {
		locale_t old = uselocale(numeric_locale());

		n = snprintf(buf, len, "%.17g", v);
		uselocale(old);
	}
	return n < 0 || (size_t)n >= len ? -ERANGE : n;
}

/* Copy a bounded token into a NUL-terminated buffer for strto*(). */
static int token(const char *text, size_t len, char *buf, size_t cap)
{
	if (len == 0 || len >= cap || memchr(text, '\0', len))
		return -EBADMSG;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return 0;
}

int pk_text_to_double(const char *text, size_t len, double *v)
{
	char buf[64], *end;

	/* strtod() skips leading blanks; a value must not have any. */
	if (token(text, len, buf, sizeof(buf)) < 0 || buf[0] == ' ' ||
	    buf[0] == '\t' || buf[0] == '\n' || buf[0] == '\r')
		return -EBADMSG;
	*v = strtod_l(buf, &end, numeric_locale());
	return *end == '\0' ? 0 : -EBADMSG;
}

static int text_to_i64(const char *text, size_t len, int64_t lo, int64_t hi,
		       int64_t *v)
{
	char buf[32], *end;
	long long x;

	if (token(text, len, buf, sizeof(buf)) < 0 ||
	    !(buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9')))
		return -EBADMSG;
	errno = 0;
	x = strtoll(buf, &end, 10);
	if (*end != '\0')
		return -EBADMSG;
	if (errno == ERANGE || x < lo || x > hi)
		return -ERANGE;
	*v = x;
	return 0;
}

static int text_to_u64(const char *text, size_t len, uint64_t *v)
{
	char buf[32], *end;
	unsigned long long x;

	if (token(text, len, buf, sizeof(buf)) < 0 ||
	    !(buf[0] >= '0' && buf[0] <= '9'))
		return -EBADMSG;
	errno = 0;
	x = strtoull(buf, &end, 10);
	if (*end != '\0')
		return -EBADMSG;
	if (errno == ERANGE)
		return -ERANGE;
	*v = x;
	return 0;
}

int pk_record_field_format(const struct perfkit_record *rec,
			   const struct pk_field *f, char *buf, size_t len)
{
	const char *p = (const char *)rec + f->offset;
	int n = -ERANGE;

	switch (f->type) {
	case PK_FIELD_TEXT:
		n = snprintf(buf, len, "%s", p);
		break;
	case PK_FIELD_I32: {
		int32_t x;
		memcpy(&x, p, sizeof(x));
		n = snprintf(buf, len, "%" PRId32, x);
		break;
	}
	case PK_FIELD_U64: {
		uint64_t x;
		memcpy(&x, p, sizeof(x));
		n = snprintf(buf, len, "%" PRIu64, x);
		break;
	}
	case PK_FIELD_I64: {
		int64_t x;
		memcpy(&x, p, sizeof(x));
		n = snprintf(buf, len, "%" PRId64, x);
		break;
	}
	case PK_FIELD_DOUBLE: {
		double x;
		memcpy(&x, p, sizeof(x));
		return pk_double_to_text(x, buf, len) < 0 ? -ERANGE : 0;
	}
	}
	return n < 0 || (size_t)n >= len ? -ERANGE : 0;
}

int pk_record_field_parse(struct perfkit_record *rec, const struct pk_field *f,
			  const char *text, size_t len)
{
	char *p = (char *)rec + f->offset;
	int rc;

	switch (f->type) {
	case PK_FIELD_TEXT:
		if (len >= f->size)
			return -ERANGE;
		if (memchr(text, '\0', len))
			return -EBADMSG;
		memcpy(p, text, len);
		p[len] = '\0';
		return 0;
	case PK_FIELD_I32: {
		int64_t x;
		int32_t y;
		rc = text_to_i64(text, len, INT32_MIN, INT32_MAX, &x);
		if (rc < 0)
			return rc;
		y = (int32_t)x;
		memcpy(p, &y, sizeof(y));
		return 0;
	}
	case PK_FIELD_U64: {
		uint64_t x;
		rc = text_to_u64(text, len, &x);
		if (rc == 0)
			memcpy(p, &x, sizeof(x));
		return rc;
	}
	case PK_FIELD_I64: {
		int64_t x;
		rc = text_to_i64(text, len, INT64_MIN, INT64_MAX, &x);
		if (rc == 0)
			memcpy(p, &x, sizeof(x));
		return rc;
	}
	case PK_FIELD_DOUBLE: {
		double x;
		rc = pk_text_to_double(text, len, &x);
		if (rc == 0)
			memcpy(p, &x, sizeof(x));
		return rc;
	}
	}
	return -EBADMSG;
}
