/* SPDX-License-Identifier: MIT */
/* Ordered key sets with a hash index: CSV column names, extra columns. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-keyset.h"

/* FNV-1a: short keys, no adversary who gains from collisions but time. */
static uint32_t hash(const char *key, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

static size_t probe(const struct pk_keyset *s, const char *key, size_t len)
{
	size_t mask = s->nslots - 1, i = hash(key, len) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t k = s->slots[i];

		if (k == 0 || (s->len[k - 1] == len &&
			       memcmp(s->keys[k - 1], key, len) == 0))
			return i;
	}
}

static int rehash(struct pk_keyset *s)
{
	size_t nslots = s->nslots ? 2 * s->nslots : 16;
	uint32_t *old = s->slots;
	size_t nold = s->nslots;

	s->slots = calloc(nslots, sizeof(*s->slots));
	if (!s->slots) {
		s->slots = old;
		return -ENOMEM;
	}
	s->nslots = nslots;
	for (size_t i = 0; i < nold; i++)
		if (old[i])
			s->slots[probe(s, s->keys[old[i] - 1],
				       s->len[old[i] - 1])] = old[i];
	free(old);
	return 0;
}

int pk_keyset_add(struct pk_keyset *s, const char *key, size_t len,
		  size_t *index)
{
	size_t slot;

	if (s->nslots) {
		slot = probe(s, key, len);
		if (s->slots[slot]) {
			if (index)
				*index = s->slots[slot] - 1;
			return 0;
		}
	}
	if (s->n >= UINT32_MAX - 1)
		return -ENOMEM;
	if (2 * (s->n + 1) > s->nslots && rehash(s) < 0)
		return -ENOMEM;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		const char **keys = realloc(s->keys, cap * sizeof(*keys));
		size_t *lens;

		if (!keys)
			return -ENOMEM;
		s->keys = keys;
		lens = realloc(s->len, cap * sizeof(*lens));
		if (!lens)
			return -ENOMEM;
		s->len = lens;
		s->cap = cap;
	}
	s->keys[s->n] = key;
	s->len[s->n] = len;
	s->slots[probe(s, key, len)] = (uint32_t)(s->n + 1);
	if (index)
		*index = s->n;
	s->n++;
	return 1;
}

size_t pk_keyset_find(const struct pk_keyset *s, const char *key, size_t len)
{
	uint32_t k;

	if (!s->nslots)
		return SIZE_MAX;
	k = s->slots[probe(s, key, len)];
	return k ? k - 1 : SIZE_MAX;
}

void pk_keyset_free(struct pk_keyset *s)
{
	free(s->keys);
	free(s->len);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
