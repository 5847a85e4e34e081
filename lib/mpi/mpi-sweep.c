/* SPDX-License-Identifier: MIT */
/* What the communication benchmarks share: message sizes, repetitions
 * that fill a target time, the clock, and options agreed with rank 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpi-private.h"

static int add_size(struct pk_mpi_sizes *s, size_t *cap, int64_t b)
{
	if (s->n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		int64_t *p = realloc(s->bytes, c * sizeof(*p));

		if (!p)
			return pk_mpi_error(-ENOMEM, "mpi: out of memory for message sizes");
		s->bytes = p;
		*cap = c;
	}
	s->bytes[s->n++] = b;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void sort_unique(struct pk_mpi_sizes *s)
{
	size_t k = 0;

	qsort(s->bytes, s->n, sizeof(*s->bytes), cmp_i64);
	for (size_t i = 0; i < s->n; i++)
		if (k == 0 || s->bytes[i] != s->bytes[k - 1])
			s->bytes[k++] = s->bytes[i];
	s->n = k;
}

int pk_mpi_sizes_netpipe(int64_t min, int64_t max, int pert, struct pk_mpi_sizes *s)
{
	size_t cap = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = add_size(s, &cap, min)) || (rc = add_size(s, &cap, max)))
		return rc;
	for (int64_t p = 1; p <= max; p *= 2)
		for (int d = -pert; d <= pert; d += pert ? pert : 1) {
			int64_t b = p + d;

			if (b >= min && b <= max && (rc = add_size(s, &cap, b)))
				return rc;
			if (!pert)
				break;
		}
	sort_unique(s);
	return 0;
}

int pk_mpi_sizes_doubling(int64_t min, int64_t max, struct pk_mpi_sizes *s)
{
	size_t cap = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	for (int64_t b = min; b <= max; b *= 2) {
		if ((rc = add_size(s, &cap, b)))
			return rc;
		if (b == 0)
			break;
	}
	return 0;
}

uint64_t pk_mpi_reps_for(double want, double one, uint64_t max)
{
	double n = one > 0 ? ceil(want / one) : (double)max;

	if (!(n >= 1))
		return 1;
	return n > (double)max ? max : (uint64_t)n;
}

double pk_mpi_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int pk_mpi_same_options(MPI_Comm comm, const void *opt, size_t len, const char *who)
{
	char root[256]; /* an options struct, canonical: no padding garbage */

	memset(root, 0, sizeof(root));
	memcpy(root, opt, len < sizeof(root) ? len : sizeof(root));
	MPI_Bcast(root, (int)sizeof(root), MPI_BYTE, 0, comm);
	if (memcmp(root, opt, len < sizeof(root) ? len : sizeof(root)) != 0)
		return pk_mpi_error(-EINVAL, "%s: options differ from rank 0's "
				    "(every rank must pass the same)", who);
	return 0;
}
