/* SPDX-License-Identifier: MIT */
/* Reading a block of the binary form (mpi-private.h) on the root: checked
 * once as a whole (format, sizes, every string ends inside the block),
 * then read in place. */
#include <string.h>

#include "mpi-private.h"

#define RECORD_BYTES (sizeof(struct perfkit_record) + sizeof(uint32_t))

static int malformed(const char *why)
{
	return pk_mpi_error(-EBADMSG, "mpi gather: malformed binary records: %s", why);
}

/* The extra pairs of all records together, or UINT64_MAX. */
static uint64_t extra_pairs(const char *nextras, uint64_t records)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < records; i++) {
		uint32_t ne;

		memcpy(&ne, nextras + i * sizeof(ne), sizeof(ne));
		sum += ne; /* < 2^32 records of < 2^32 each: no overflow */
	}
	return sum;
}

/* Exactly @want NUL-terminated strings fill [s, s + len). */
static int strings_whole(const char *s, size_t len, uint64_t want)
{
	const char *end = s + len, *nul;
	uint64_t n = 0;

	if (len > 0 && end[-1] != '\0')
		return 0;
	for (; s < end && (nul = memchr(s, '\0', (size_t)(end - s))); s = nul + 1)
		n++;
	return n == want;
}

int pk_mpi_unpack(const char *bytes, size_t len, struct pk_mpi_unpacked *set)
{
	struct pk_mpi_wire_format mine;
	struct pk_mpi_wire_head h;
	size_t body;
	uint64_t pairs;

	if (len < sizeof(h))
		return malformed("shorter than its header");
	memcpy(&h, bytes, sizeof(h));
	pk_mpi_wire_format(&mine);
	if (memcmp(&h.format, &mine, sizeof(mine)) != 0)
		return malformed("not in this rank's form");
	body = len - sizeof(h);
	if (h.records > body / RECORD_BYTES || h.strings != body - h.records * RECORD_BYTES)
		return malformed("its sizes do not add up");
	set->epoch_ns = h.epoch_ns;
	set->records = (size_t)h.records;
	set->meta = (size_t)h.meta;
	set->record = bytes + sizeof(h);
	set->nextras = set->record + set->records * sizeof(struct perfkit_record);
	set->strings = set->nextras + set->records * sizeof(uint32_t);
	pairs = extra_pairs(set->nextras, h.records);
	if (h.meta > h.strings / 2 || pairs > h.strings / 2 ||
	    !strings_whole(set->strings, (size_t)h.strings, 2 * (h.meta + pairs)))
		return malformed("its strings do not add up");
	set->extras = set->strings;
	for (size_t i = 0; i < 2 * set->meta; i++)
		set->extras = pk_mpi_unpacked_next(set->extras);
	return 0;
}

const char *pk_mpi_unpacked_next(const char *s)
{
	return s + strlen(s) + 1;
}

const char *pk_mpi_unpacked_meta(const struct pk_mpi_unpacked *set, const char *key)
{
	const char *s = set->strings, *v;

	for (size_t i = 0; i < set->meta; i++, s = pk_mpi_unpacked_next(v)) {
		v = pk_mpi_unpacked_next(s);
		if (strcmp(s, key) == 0)
			return v;
	}
	return NULL;
}

void pk_mpi_unpacked_record(const struct pk_mpi_unpacked *set, size_t i,
			    struct perfkit_record *rec, uint32_t *nextras)
{
	memcpy(rec, set->record + i * sizeof(*rec), sizeof(*rec));
	memcpy(nextras, set->nextras + i * sizeof(*nextras), sizeof(*nextras));
}
