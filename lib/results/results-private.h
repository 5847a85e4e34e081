/* SPDX-License-Identifier: MIT */
/* The result set's layout, shared by lib/results/ (not the serialisers,
 * which use the public API only). */
#ifndef PK_RESULTS_PRIVATE_H
#define PK_RESULTS_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "perfkit/record.h"
#include "results-keyset.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pk_pair {
	char *key;
	char *value;
};

/* Extra columns of one record, allocated only when it has some. From
 * PK_EXTRAS_INDEXED keys on, @index finds a key's position by hash (its
 * keys are kv[].key); it is only a cache: NULL means search the list. */
#define PK_EXTRAS_INDEXED 8
struct pk_extras {
	size_t n, cap;
	struct pk_keyset *index;
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
	/* NULL, or where a streaming read sends the records (below). */
	struct pk_results_sink *sink;
};

/*
 * A streaming reader's destination (columns/results-columns.c): while a
 * set has one, making room for a record first hands the sink the records
 * held once there are @batch of them, then forgets them (the array is
 * kept), so that a file of any size passes through @batch records.
 */
struct pk_results_sink {
	int (*drain)(struct pk_results_sink *sink,
		     const struct perfkit_results *res);
	size_t batch;
};

/* Hand the records held to the set's sink, then forget them: 0, or the
 * sink's negative errno (the records are then kept). */
int pk_results_sink_flush(struct perfkit_results *res);

/* An empty set: no metadata, epoch 0. */
struct perfkit_results *pk_results_alloc(void);

/* Deep copy of @src's extras into a fresh block (NULL stays NULL). */
int pk_extras_dup(const struct pk_extras *src, struct pk_extras **out);
void pk_extras_free(struct pk_extras *x);
/* Build @x's index if it has PK_EXTRAS_INDEXED keys or more (without
 * one when out of memory: lookups then search the list). */
void pk_extras_index(struct pk_extras *x);

/* The text value of @key for record @i when it is a param or an extra;
 * NULL otherwise (fields are the caller's job). */
const char *pk_results_text(const struct perfkit_results *res, size_t i,
			    const char *key);

/* Copy the metadata of @src into the empty set @dst. */
int pk_results_copy_meta(struct perfkit_results *dst,
			 const struct perfkit_results *src);

/* Make room for @n records in all (and their extras slots). */
int pk_results_reserve(struct perfkit_results *res, size_t n);

/*
 * For readers that fill records in place (lib/results/json/results-jsonl-fast.cc). The
 * set grows only through pk_results_commit(): on any failure before it,
 * the set is as it was.
 */

/* The place of the next record, room made for it, its bytes undefined;
 * NULL when out of memory. The caller fills it whole and checks it as
 * perfkit_results_append() would (text NUL-terminated, params valid). */
struct perfkit_record *pk_results_slot(struct perfkit_results *res);

/* Make the record filled at pk_results_slot() the set's last one. */
void pk_results_commit(struct perfkit_results *res);

#ifdef __cplusplus
}
#endif

#endif /* PK_RESULTS_PRIVATE_H */
