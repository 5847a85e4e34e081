/* SPDX-License-Identifier: MIT */
/* On the root: the mpi.* metadata of a gathered set: the library, the
 * clock method, and per rank its host, records, workers and clock. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

static int meta_printf(struct perfkit_results *res, const char *key,
		       const char *fmt, ...) PK_PRINTF(3, 4);

static int meta_printf(struct perfkit_results *res, const char *key,
		       const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return perfkit_results_meta_set(res, key, buf);
}

/* The library's own words, on one line. */
static int meta_library(struct perfkit_results *res)
{
	char lib[MPI_MAX_LIBRARY_VERSION_STRING + 1];
	int len = 0, major = 0, minor = 0, rc;

	memset(lib, 0, sizeof(lib));
	MPI_Get_library_version(lib, &len);
	for (char *c = lib; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	for (size_t n = strlen(lib); n > 0 && lib[n - 1] == ' '; n--)
		lib[n - 1] = '\0';
	MPI_Get_version(&major, &minor);
	if ((rc = perfkit_results_meta_set(res, "mpi.library", lib)))
		return rc;
	return meta_printf(res, "mpi.standard", "%d.%d", major, minor);
}

static int meta_rank(struct perfkit_results *res, const struct pk_mpi_part *p,
		     int r, int harness)
{
	size_t records = p->has_set ? p->set.records : 0;
	char key[64];
	int rc;

#define KEY(name) (snprintf(key, sizeof(key), "mpi.rank.%d." name, r), key)
	if ((rc = perfkit_results_meta_set(res, KEY("host"), p->host)) ||
	    (rc = meta_printf(res, KEY("records"), "%zu", records)) ||
	    (rc = meta_printf(res, KEY("workers"), "%" PRId64, p->workers)) ||
	    (rc = meta_printf(res, KEY("clock_offset_s"), "%.9g", p->offset)) ||
	    (rc = meta_printf(res, KEY("clock_uncertainty_s"), "%.9g", p->uncertainty)))
		return rc;
	if (!harness)
		return 0;
	if ((rc = meta_printf(res, KEY("clock_drift_s"), "%.9g", p->drift)))
		return rc;
	return meta_printf(res, KEY("status"), "%" PRId64, p->status);
#undef KEY
}

int pk_mpi_meta_mpi(struct perfkit_results *res, const struct pk_mpi_part *parts,
		    int nranks, int root, int harness)
{
	size_t cap = (size_t)nranks * 21 + 1, len = 0;
	char *list = malloc(cap);
	int rc;

	if (!list)
		return pk_mpi_error(-ENOMEM, "mpi gather: out of memory");
	list[0] = '\0';
	for (int r = 0; r < nranks; r++)
		len += (size_t)snprintf(list + len, cap - len, "%s%" PRId64, r ? "," : "",
					parts[r].workers);
	if ((rc = meta_printf(res, "mpi.ranks", "%d", nranks)) ||
	    (rc = meta_printf(res, "mpi.root", "%d", root)) ||
	    (rc = meta_library(res)) ||
	    (rc = meta_printf(res, "mpi.clock", "CLOCK_REALTIME against rank %d, Cristian's "
			      "method: best of %d ping-pongs%s", root, PERFKIT_MPI_CLOCK_ROUNDS,
			      harness ? ", before and after the run" : "")) ||
	    (rc = perfkit_results_meta_set(res, "mpi.workers_per_rank", list)))
		goto out;
	for (int r = 0; r < nranks && rc == 0; r++)
		rc = meta_rank(res, &parts[r], r, harness);
out:
	free(list);
	return rc;
}
