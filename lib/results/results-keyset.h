/* SPDX-License-Identifier: MIT */
/* Ordered key sets with a hash index (lib/results/results-keyset.c). */
#ifndef PK_RESULTS_KEYSET_H
#define PK_RESULTS_KEYSET_H

#include <stddef.h>
#include <stdint.h>

/*
 * An ordered set of keys with a hash index: CSV column names (so that the
 * union of many records' keys costs linear time) and the extra columns of
 * a record (results-extra.c). Keys are not copied: the
 * caller keeps them alive while the set is used.
 */
struct pk_keyset {
	const char **keys;
	size_t *len;
	size_t n, cap;
	uint32_t *slots; /* index + 1 of a key; 0 is an empty slot */
	size_t nslots;	 /* a power of two, at least 2 * n */
};

/*
 * Add a key unless it is there. Returns 1 if added, 0 if it was there
 * (*index, if not NULL, is its position either way), -ENOMEM.
 */
int pk_keyset_add(struct pk_keyset *s, const char *key, size_t len,
		  size_t *index);
/* Position of a key, or SIZE_MAX. */
size_t pk_keyset_find(const struct pk_keyset *s, const char *key, size_t len);
void pk_keyset_free(struct pk_keyset *s);

#endif /* PK_RESULTS_KEYSET_H */
