/* SPDX-License-Identifier: MIT */
/*
 * Number text of every result format through the C library, under the "C"
 * locale: files use '.' whatever LC_NUMERIC the host program chose. Where
 * the C++ compiler has <charconv>, results-number-charconv.cc defines the
 * functions the formats call and falls back to these for what it does not
 * take; here, without C++, these are the whole story.
 */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "results-format.h"

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The "C" locale, or the current one if it cannot be made. */
static locale_t numeric_locale(void)
{
	pthread_once(&c_locale_once, make_c_locale);
	return c_locale ? c_locale : LC_GLOBAL_LOCALE;
}

int pk_double_to_text_libc(double v, char *buf, size_t len)
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

int pk_text_to_nonfinite(const char *text, size_t len, double *v)
{
	int neg = len > 0 && text[0] == '-';

	if (len > 0 && (text[0] == '-' || text[0] == '+'))
		text++, len--;
	if ((len == 3 && strncasecmp(text, "nan", 3) == 0)) {
		*v = NAN;
	} else if ((len == 3 && strncasecmp(text, "inf", 3) == 0) ||
		   (len == 8 && strncasecmp(text, "infinity", 8) == 0)) {
		*v = neg ? -INFINITY : INFINITY;
	} else {
		return -EBADMSG;
	}
	return 0;
}

/* [+-]digits[.digits][(e|E)[+-]digits] or [+-].digits...: what strtod()
 * reads as decimal; its hexadecimal and non-finite forms are not. */
static int is_decimal(const char *p)
{
	int digits = 0;

	p += *p == '-' || *p == '+';
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		p += *p == '-' || *p == '+';
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

int pk_text_to_double_libc(const char *text, size_t len, double *v)
{
	char buf[PK_DOUBLE_READ_MAX], *end;
	double x;

	if (pk_text_to_nonfinite(text, len, v) == 0)
		return 0;
	if (token(text, len, buf, sizeof(buf)) < 0 || !is_decimal(buf))
		return -EBADMSG;
	x = strtod_l(buf, &end, numeric_locale());
	if (*end != '\0')
		return -EBADMSG;
	/* Overflow: decimal text never means infinity. */
	if (isinf(x))
		return -ERANGE;
	*v = x;
	return 0;
}

int pk_text_to_i64_libc(const char *text, size_t len, int64_t lo, int64_t hi,
			int64_t *v)
{
	char buf[PK_INT_READ_MAX], *end;
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

int pk_text_to_u64_libc(const char *text, size_t len, uint64_t *v)
{
	char buf[PK_INT_READ_MAX], *end;
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

#ifndef PK_HAVE_CHARCONV
int pk_double_to_text(double v, char *buf, size_t len)
{
	return pk_double_to_text_libc(v, buf, len);
}

int pk_text_to_double(const char *text, size_t len, double *v)
{
	return pk_text_to_double_libc(text, len, v);
}

int pk_text_to_i64(const char *text, size_t len, int64_t lo, int64_t hi,
		   int64_t *v)
{
	return pk_text_to_i64_libc(text, len, lo, hi, v);
}

int pk_text_to_u64(const char *text, size_t len, uint64_t *v)
{
	return pk_text_to_u64_libc(text, len, v);
}
#endif
