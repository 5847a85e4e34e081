/* SPDX-License-Identifier: MIT */
/* Check helpers for tests that read result sets: a record or a metadata
 * value that must be there, or the test fails saying which. */
#ifndef PK_RESULTS_CHECK_H
#define PK_RESULTS_CHECK_H

#include "pk-check.h"
#include "perfkit/record.h"

static inline const struct perfkit_record *at(const struct perfkit_results *res,
					      size_t i)
{
	const struct perfkit_record *r = NULL;

	ck_assert_int_eq(perfkit_results_get(res, i, &r), 0);
	return r;
}

static inline const char *meta(const struct perfkit_results *res, const char *key)
{
	const char *v = NULL;

	ck_assert_msg(perfkit_results_meta_get(res, key, &v) == 0, "no meta %s", key);
	return v;
}

#endif /* PK_RESULTS_CHECK_H */
