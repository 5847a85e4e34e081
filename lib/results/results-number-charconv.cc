// SPDX-License-Identifier: MIT
/*
 * Number text of every result format through C++17 <charconv>: exact,
 * locale-free, and four to six times faster than snprintf() and strtod()
 * (some 450 and 110 ns a double on the development VM, which would keep
 * the CSV reader under a million records a second). What from_chars() does not
 * take whole goes to the C library's functions (results-number.c), so
 * the accepted forms, the values and the errors are strtod()'s and
 * strtoll()'s: from_chars() only ever answers where they agree.
 *
 * Doubles are read with fast_float where its header is found, else with
 * std::from_chars(). Both are the same code under GCC 12 (libstdc++ wraps
 * fast_float) and measured the same (24-25 ns for a "%.17g" double), but
 * GCC 11's std::from_chars() goes through strtod(), so fast_float keeps the
 * speed independent of the standard library.
 */
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>

#ifdef PK_HAVE_FAST_FLOAT
#include <fast_float/fast_float.h>
namespace chars = fast_float;
#else
namespace chars = std;
#endif

extern "C" {
#include "results-format.h"
}

namespace {

/* @first..@last is a number, wholly: from_chars() consumed it all. */
bool whole(const char *first, const char *last, double &v)
{
	auto r = chars::from_chars(first, last, v);

	return r.ec == std::errc() && r.ptr == last;
}

template <typename T> bool whole(const char *first, const char *last, T &v)
{
	auto r = std::from_chars(first, last, v);

	return r.ec == std::errc() && r.ptr == last;
}

bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

} // namespace

/*
 * "%.17g" in the C locale: std::to_chars() with a precision is specified as
 * printf() is. (Its shortest form would be shorter, but the files and the
 * tests pin "%.17g".)
 */
extern "C" int pk_double_to_text(double v, char *buf, size_t len)
{
	if (std::isfinite(v) && len >= PK_DOUBLE_TEXT_MAX) {
		auto r = std::to_chars(buf, buf + len - 1, v,
				       std::chars_format::general, 17);

		if (r.ec == std::errc()) {
			*r.ptr = '\0';
			return (int)(r.ptr - buf);
		}
	}
	return pk_double_to_text_libc(v, buf, len);
}

/*
 * Only decimal forms ([-]digits or [-].digits onwards) are taken here,
 * and only finite values (fast_float may read overflow as infinity): all
 * else goes to the C library's function, which decides. The lengths are
 * the C library's (longer text stays an error).
 */
extern "C" int pk_text_to_double(const char *text, size_t len, double *v)
{
	const char *p = text + (len > 0 && text[0] == '-');

	if (len < PK_DOUBLE_READ_MAX && p < text + len &&
	    (is_digit(*p) || *p == '.') && whole(text, text + len, *v) &&
	    std::isfinite(*v)) // overflow: the C library says -ERANGE
		return 0;
	return pk_text_to_double_libc(text, len, v);
}

extern "C" int pk_text_to_i64(const char *text, size_t len, int64_t lo,
			      int64_t hi, int64_t *v)
{
	int64_t x;

	if (len < PK_INT_READ_MAX && whole(text, text + len, x) && x >= lo &&
	    x <= hi) {
		*v = x;
		return 0;
	}
	return pk_text_to_i64_libc(text, len, lo, hi, v);
}

extern "C" int pk_text_to_u64(const char *text, size_t len, uint64_t *v)
{
	uint64_t x;

	if (len < PK_INT_READ_MAX && whole(text, text + len, x)) {
		*v = x;
		return 0;
	}
	return pk_text_to_u64_libc(text, len, v);
}
