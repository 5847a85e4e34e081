/* SPDX-License-Identifier: MIT */
/* Layer 0: the error helpers, sorting and the export macro that every
 * module uses (lib/common/). Not installed. It includes no public header
 * beyond error.h: each file includes the headers of what it uses. */
#ifndef PERFKIT_COMMON_H
#define PERFKIT_COMMON_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>

#include "export.h"
#include "perfkit/error.h"

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

#endif /* PERFKIT_COMMON_H */
