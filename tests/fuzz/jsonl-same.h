/* SPDX-License-Identifier: MIT */
/*
 * Whether two result sets are the same bit for bit (records as stored,
 * meta, extras, epoch, and the text they format to): the check that the
 * simdjson JSON Lines reader reads what the jansson reader reads. Shared by
 * tests/test-results-jsonl-fast.c and tests/fuzz/fuzz-jsonl.c.
 */
#ifndef PK_JSONL_SAME_H
#define PK_JSONL_SAME_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/perfkit.h"
#include "results-format.h"

static int jsonl_same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int jsonl_same_pairs(const struct perfkit_results *a,
			    const struct perfkit_results *b, size_t i,
			    char *why, size_t n)
{
	const char *ka, *va, *kb, *vb;
	size_t m = perfkit_results_extra_count(a, i);

	if (m != perfkit_results_extra_count(b, i))
		return snprintf(why, n, "record %zu: extra counts", i), 0;
	for (size_t j = 0; j < m; j++) {
		perfkit_results_extra_get(a, i, j, &ka, &va);
		perfkit_results_extra_get(b, i, j, &kb, &vb);
		if (!jsonl_same_text(ka, kb) || !jsonl_same_text(va, vb))
			return snprintf(why, n, "record %zu: extra %zu", i, j), 0;
	}
	return 1;
}

static int jsonl_same_formatted(const struct perfkit_results *a,
				const struct perfkit_results *b)
{
	char *ta = NULL, *tb = NULL;
	size_t la = 0, lb = 0;
	int same = pk_results_format_jsonl(a, &ta, &la) == 0 &&
		   pk_results_format_jsonl(b, &tb, &lb) == 0 && la == lb &&
		   memcmp(ta, tb, la) == 0;

	free(ta);
	free(tb);
	return same;
}

/* 1 if the same; else 0, and what differs in @why. */
static int jsonl_same_sets(const struct perfkit_results *a,
			   const struct perfkit_results *b, char *why,
			   size_t n)
{
	size_t count = perfkit_results_count(a);

	if (count != perfkit_results_count(b) ||
	    perfkit_results_epoch_ns(a) != perfkit_results_epoch_ns(b) ||
	    perfkit_results_meta_count(a) != perfkit_results_meta_count(b))
		return snprintf(why, n, "counts or epoch"), 0;
	for (size_t i = 0; i < perfkit_results_meta_count(a); i++) {
		const char *ka, *va, *kb, *vb;

		perfkit_results_meta_at(a, i, &ka, &va);
		perfkit_results_meta_at(b, i, &kb, &vb);
		if (!jsonl_same_text(ka, kb) || !jsonl_same_text(va, vb))
			return snprintf(why, n, "meta %zu", i), 0;
	}
	for (size_t i = 0; i < count; i++) {
		const struct perfkit_record *ra, *rb;

		if (perfkit_results_get(a, i, &ra) != 0 ||
		    perfkit_results_get(b, i, &rb) != 0 ||
		    memcmp(ra, rb, sizeof(*ra)) != 0)
			return snprintf(why, n, "record %zu", i), 0;
		if (!jsonl_same_pairs(a, b, i, why, n))
			return 0;
	}
	if (!jsonl_same_formatted(a, b))
		return snprintf(why, n, "formatted text"), 0;
	return 1;
}

#endif /* PK_JSONL_SAME_H */
