/* SPDX-License-Identifier: MIT */
/* A rank's result set in the binary form (mpi-private.h): one pass to
 * size the block, one to fill it, no text formatting. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

/* Where the record's last member ends; the bytes after it are padding,
 * sent as zeros rather than whatever the set's memory held. */
#define RECORD_END (offsetof(struct perfkit_record, params) + \
		    sizeof(((struct perfkit_record *)0)->params))
_Static_assert(sizeof(struct perfkit_record) - RECORD_END < 8,
	       "a member follows params: update RECORD_END");

struct sizes {
	size_t meta, strings; /* pairs, bytes */
};

static size_t pair_bytes(const char *k, const char *v)
{
	return strlen(k) + 1 + strlen(v) + 1;
}

static int measure(const struct perfkit_results *set, struct sizes *z)
{
	size_t n = perfkit_results_count(set);
	const char *k, *v;

	for (size_t i = 0; i < perfkit_results_meta_count(set); i++)
		if (perfkit_results_meta_at(set, i, &k, &v) == 0 && k && v) {
			z->meta++;
			z->strings += pair_bytes(k, v);
		}
	for (size_t i = 0; i < n; i++) {
		size_t ne = perfkit_results_extra_count(set, i);

		if (ne > UINT32_MAX)
			return pk_mpi_error(-ERANGE, "mpi gather: record %zu has %zu "
					    "extra columns", i, ne);
		for (size_t j = 0; j < ne; j++)
			if (perfkit_results_extra_get(set, i, j, &k, &v) == 0 && k && v)
				z->strings += pair_bytes(k, v);
	}
	return 0;
}

static char *put_string(char *p, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(p, s, n);
	return p + n;
}

static char *put_meta(char *p, const struct perfkit_results *set)
{
	const char *k, *v;

	for (size_t i = 0; i < perfkit_results_meta_count(set); i++)
		if (perfkit_results_meta_at(set, i, &k, &v) == 0 && k && v)
			p = put_string(put_string(p, k), v);
	return p;
}

/* Record @i, its extra count at @count, its extras at @p; returns the end
 * of the extras. */
static char *put_record(char *rec, char *count, char *p,
			const struct perfkit_results *set, size_t i)
{
	const struct perfkit_record *r = NULL;
	struct perfkit_record copy;
	uint32_t ne = 0;
	const char *k, *v;

	perfkit_results_get(set, i, &r);
	memcpy(&copy, r, sizeof(copy));
	copy.version = PERFKIT_RECORD_VERSION; /* as far as this header knows */
	copy.size = sizeof(copy);
	memset((char *)&copy + RECORD_END, 0, sizeof(copy) - RECORD_END);
	memcpy(rec, &copy, sizeof(copy));
	for (size_t j = 0; j < perfkit_results_extra_count(set, i); j++)
		if (perfkit_results_extra_get(set, i, j, &k, &v) == 0 && k && v) {
			p = put_string(put_string(p, k), v);
			ne++;
		}
	memcpy(count, &ne, sizeof(ne));
	return p;
}

int pk_mpi_pack(const struct perfkit_results *set, char **bytes, size_t *len)
{
	struct pk_mpi_wire_head h;
	struct sizes z = { 0, 0 };
	size_t n = perfkit_results_count(set), total;
	char *buf, *rec, *count, *p;
	int rc;

	if ((rc = measure(set, &z)))
		return rc;
	if (n > (SIZE_MAX - sizeof(h) - z.strings) / (sizeof(struct perfkit_record) + 4))
		return pk_mpi_error(-ERANGE, "mpi gather: %zu records do not fit in memory", n);
	total = sizeof(h) + n * (sizeof(struct perfkit_record) + sizeof(uint32_t)) + z.strings;
	if (!(buf = malloc(total)))
		return pk_mpi_error(-ENOMEM, "mpi gather: out of memory for %zu bytes "
				    "of records", total);
	memset(&h, 0, sizeof(h));
	pk_mpi_wire_format(&h.format);
	h.epoch_ns = perfkit_results_epoch_ns(set);
	h.records = n;
	h.meta = z.meta;
	h.strings = z.strings;
	memcpy(buf, &h, sizeof(h));
	rec = buf + sizeof(h);
	count = rec + n * sizeof(struct perfkit_record);
	p = put_meta(count + n * sizeof(uint32_t), set);
	for (size_t i = 0; i < n; i++)
		p = put_record(rec + i * sizeof(struct perfkit_record),
			       count + i * sizeof(uint32_t), p, set, i);
	*bytes = buf;
	*len = total;
	return 0;
}
