/* SPDX-License-Identifier: MIT */
/*
 * The format of the binary form in which ranks send their records
 * (mpi-private.h describes the block). The records travel as the bytes
 * of struct perfkit_record, so the sender and the root must agree on its
 * layout and byte order; every rank compares its own format with the
 * root's before anything is sent, and a rank that differs fails the
 * gather on every rank (-ENOTSUP) instead of being misread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

/* For tests/test-mpi.c only: this rank pretends to another format, so
 * that the refusal can be seen without a second build. */
#define FORGE_ENV "PERFKIT_MPI_TEST_FORGE_WIRE"

static void forge(struct pk_mpi_wire_format *f)
{
	const char *how = getenv(FORGE_ENV);

	if (!how)
		return;
	if (strcmp(how, "version") == 0)
		f->version++;
	else if (strcmp(how, "record-size") == 0)
		f->record_size += 8;
	else if (strcmp(how, "byte-order") == 0)
		f->byte_order = __builtin_bswap32(f->byte_order);
}

void pk_mpi_wire_format(struct pk_mpi_wire_format *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->magic, PK_MPI_WIRE_MAGIC, sizeof(f->magic));
	f->version = PK_MPI_WIRE_VERSION;
	f->byte_order = PK_MPI_WIRE_BYTE_ORDER;
	f->record_version = PERFKIT_RECORD_VERSION;
	f->record_size = sizeof(struct perfkit_record);
	forge(f);
}

/* "form 1, 504-byte records of version 1, little-endian", read in this
 * rank's byte order; another rank's fields are swapped back first. */
static void describe(const struct pk_mpi_wire_format *in, char *buf, size_t len)
{
	struct pk_mpi_wire_format f = *in;
	unsigned char first;

	if (f.byte_order == __builtin_bswap32(PK_MPI_WIRE_BYTE_ORDER)) {
		f.version = __builtin_bswap32(f.version);
		f.record_version = __builtin_bswap32(f.record_version);
		f.record_size = __builtin_bswap32(f.record_size);
	}
	memcpy(&first, &in->byte_order, 1);
	snprintf(buf, len, "form %u, %u-byte records of version %u, %s",
		 (unsigned)f.version, (unsigned)f.record_size,
		 (unsigned)f.record_version,
		 first == 0x04 ? "little-endian" : first == 0x01 ? "big-endian" :
		 "unknown byte order");
}

int pk_mpi_wire_check(const struct pk_mpi_wire_format *root_form)
{
	struct pk_mpi_wire_format mine;
	char a[96], b[96];

	pk_mpi_wire_format(&mine);
	if (memcmp(&mine, root_form, sizeof(mine)) == 0)
		return 0;
	if (memcmp(root_form->magic, PK_MPI_WIRE_MAGIC, sizeof(root_form->magic)) != 0)
		return pk_mpi_error(-ENOTSUP, "mpi gather: the root's libperfkit-mpi "
				    "sends no binary records this rank knows");
	describe(&mine, a, sizeof(a));
	describe(root_form, b, sizeof(b));
	return pk_mpi_error(-ENOTSUP, "mpi gather: this rank's binary records (%s) "
			    "are not the root's (%s): run one build of libperfkit on "
			    "machines of one byte order", a, b);
}
