/* SPDX-License-Identifier: MIT */
/* Internal helpers shared by the library's modules. Not installed. */
#ifndef PERFKIT_PRIVATE_H
#define PERFKIT_PRIVATE_H

#include <errno.h>
#include <stdarg.h>

#include "perfkit/perfkit.h"

/* Marks a definition as part of the ABI; everything else stays hidden. */
#define PERFKIT_EXPORT __attribute__((visibility("default")))

#if defined(__GNUC__)
#define PK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PK_PRINTF(fmt, args)
#endif

/*
 * Record a message for perfkit_last_error() and return @code, so that a
 * failing path reads: return pk_error(-EINVAL, "n must be > 0, got %d", n);
 */
int pk_error(int code, const char *fmt, ...) PK_PRINTF(2, 3);
/* How many messages this thread has set so far (pk_error() and
 * perfkit_set_error()): compare before and after a user callback. */
unsigned long pk_error_serial(void);
int pk_verror(int code, const char *fmt, va_list ap);

/* qsort() comparator of doubles (NaN-free input). */
int pk_cmp_double(const void *a, const void *b);

/* Sort v[0..n) and return its median (mean of the middle two when n is
 * even); NaN when n is 0. */
double pk_median_sort(double *v, size_t n);

#endif /* PERFKIT_PRIVATE_H */
