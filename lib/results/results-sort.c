/* SPDX-License-Identifier: MIT */
/* Stable sort of a result set by one key: a merge sort of small keys, then
 * the records moved into place by following the permutation's cycles, so
 * no second copy of the records is needed. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-format.h"
#include "results-private.h"

enum kind { BY_DOUBLE, BY_I64, BY_U64, BY_TEXT };

struct sort_key {
	union {
		double d;
		int64_t i;
		uint64_t u;
		const char *s;
	} v;
	size_t idx;
	int missing; /* no value, or NaN: always last */
};

static int compare(const struct sort_key *a, const struct sort_key *b,
		   enum kind kind, int descending)
{
	int r = 0;

	if (a->missing || b->missing)
		return a->missing - b->missing;
	switch (kind) {
	case BY_DOUBLE:
		r = (a->v.d > b->v.d) - (a->v.d < b->v.d);
		break;
	case BY_I64:
		r = (a->v.i > b->v.i) - (a->v.i < b->v.i);
		break;
	case BY_U64:
		r = (a->v.u > b->v.u) - (a->v.u < b->v.u);
		break;
	case BY_TEXT:
		r = strcmp(a->v.s, b->v.s);
		break;
	}
	return descending ? -r : r;
}

/* Bottom-up merge sort; on ties the left run wins, which keeps it stable.
 * Returns the buffer holding the result (@a or @tmp). */
static struct sort_key *merge_sort(struct sort_key *a, struct sort_key *tmp,
				   size_t n, enum kind kind, int descending)
{
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				tmp[k++] = compare(&a[j], &a[i], kind,
						   descending) < 0 ? a[j++] :
								     a[i++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		struct sort_key *t = a;
		a = tmp;
		tmp = t;
	}
	return a;
}

static enum kind kind_of(const struct pk_field *f)
{
	if (!f)
		return BY_TEXT;
	switch (f->type) {
	case PK_FIELD_DOUBLE:
		return BY_DOUBLE;
	case PK_FIELD_I32:
	case PK_FIELD_I64:
		return BY_I64;
	case PK_FIELD_U64:
		return BY_U64;
	case PK_FIELD_TEXT:
		break;
	}
	return BY_TEXT;
}

static void fill_key(const struct perfkit_results *res, size_t i,
		     const struct pk_field *f, const char *key,
		     struct sort_key *k)
{
	const char *p = f ? (const char *)&res->recs[i] + f->offset : NULL;

	k->idx = i;
	k->missing = 0;
	if (!f) {
		k->v.s = pk_results_text(res, i, key);
		k->missing = k->v.s == NULL;
		return;
	}
	switch (f->type) {
	case PK_FIELD_DOUBLE:
		memcpy(&k->v.d, p, sizeof(double));
		k->missing = isnan(k->v.d);
		break;
	case PK_FIELD_I32: {
		int32_t x;
		memcpy(&x, p, sizeof(x));
		k->v.i = x;
		break;
	}
	case PK_FIELD_I64:
		memcpy(&k->v.i, p, sizeof(int64_t));
		break;
	case PK_FIELD_U64:
		memcpy(&k->v.u, p, sizeof(uint64_t));
		break;
	case PK_FIELD_TEXT:
		k->v.s = p;
		break;
	}
}

/* Move the records so that position k holds the one from perm[k]. */
static void apply(struct perfkit_results *res, size_t *perm)
{
	struct perfkit_record tmp;

	for (size_t s = 0; s < res->n; s++) {
		struct pk_extras *tx = res->extras ? res->extras[s] : NULL;
		size_t k = s;

		if (perm[s] == s)
			continue;
		tmp = res->recs[s];
		while (perm[k] != s) {
			size_t from = perm[k];

			res->recs[k] = res->recs[from];
			if (res->extras)
				res->extras[k] = res->extras[from];
			perm[k] = k;
			k = from;
		}
		res->recs[k] = tmp;
		if (res->extras)
			res->extras[k] = tx;
		perm[k] = k;
	}
}

PERFKIT_EXPORT int perfkit_results_sort(struct perfkit_results *res,
					const char *key, int descending)
{
	struct sort_key *keys, *tmp, *sorted;
	const struct pk_field *f;
	size_t *perm;

	if (!res || !key)
		return pk_error(-EINVAL, "results_sort: %s is NULL",
				!res ? "res" : "key");
	if (res->n < 2)
		return 0;
	keys = malloc(res->n * sizeof(*keys));
	tmp = malloc(res->n * sizeof(*tmp));
	perm = malloc(res->n * sizeof(*perm));
	if (!keys || !tmp || !perm) {
		free(keys);
		free(tmp);
		free(perm);
		return pk_error(-ENOMEM, "results_sort: out of memory for %zu "
				"records", res->n);
	}
	f = pk_record_field_find(key, strlen(key));
	for (size_t i = 0; i < res->n; i++)
		fill_key(res, i, f, key, &keys[i]);
	sorted = merge_sort(keys, tmp, res->n, kind_of(f), descending != 0);
	for (size_t i = 0; i < res->n; i++)
		perm[i] = sorted[i].idx;
	apply(res, perm);
	free(keys);
	free(tmp);
	free(perm);
	return 0;
}
