/* SPDX-License-Identifier: MIT */
/* The result set's layout, shared by lib/results*.c (not the serialisers,
 * which use the public API only). */
#ifndef PK_RESULTS_PRIVATE_H
#define PK_RESULTS_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "perfkit/record.h"

struct pk_pair {
	char *key;
	char *value;
};

/* Extra columns of one record, allocated only when it has some. */
struct pk_extras {
	size_t n, cap;
	struct pk_pair kv[];
};

struct perfkit_results {
	int64_t epoch_ns;
	/* Records stored contiguously: appending costs one copy, amortised. */
	struct perfkit_record *recs;
	size_t n, cap;
	/* NULL until a record gets an extra; then cap entries, NULL = none. */
	struct pk_extras **extras;
	/* Metadata in the order keys were first set. */
	struct pk_pair *meta;
	size_t nmeta, meta_cap;
};

/* An empty set: no metadata, epoch 0. */
struct perfkit_results *pk_results_alloc(void);

/* Deep copy of @src's extras into a fresh block (NULL stays NULL). */
int pk_extras_dup(const struct pk_extras *src, struct pk_extras **out);
void pk_extras_free(struct pk_extras *x);

/* The text value of @key for record @i when it is a param or an extra;
 * NULL otherwise (fields are the caller's job). */
const char *pk_results_text(const struct perfkit_results *res, size_t i,
			    const char *key);

/* Copy the metadata of @src into the empty set @dst. */
int pk_results_copy_meta(struct perfkit_results *dst,
			 const struct perfkit_results *src);

/* Make room for one more record (and its extras slot). */
int pk_results_reserve(struct perfkit_results *res, size_t n);

#endif /* PK_RESULTS_PRIVATE_H */
