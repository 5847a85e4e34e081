/* SPDX-License-Identifier: MIT */
/* On the root: the ranks' JSON Lines parsed and merged into one set on the
 * root's time axis, with global worker indices and the mpi.* metadata. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

static int meta_printf(struct perfkit_results *res, const char *key,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

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

/* Worker indices a rank's records use: largest + 1. */
static int64_t workers_in(const struct perfkit_results *set)
{
	int64_t n = 0;

	for (size_t i = 0; i < perfkit_results_count(set); i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(set, i, &r) == 0 && r->worker >= n)
			n = (int64_t)r->worker + 1;
	}
	return n;
}

static int parse_parts(struct pk_mpi_part *parts, int nranks)
{
	for (int r = 0; r < nranks; r++) {
		struct pk_mpi_part *p = &parts[r];
		int rc;

		if (p->text && (rc = perfkit_results_parse(p->text, (size_t)p->len,
							   PERFKIT_FORMAT_JSONL, &p->set)))
			return pk_mpi_wrap_error(rc, "mpi gather: rank %d's records", r);
		if (p->workers < 0)
			p->workers = p->set ? workers_in(p->set) : 0;
	}
	return 0;
}

static int copy_extras(struct perfkit_results *res, size_t at,
		       const struct perfkit_results *from, size_t i)
{
	for (size_t j = 0; j < perfkit_results_extra_count(from, i); j++) {
		const char *k, *v;
		int rc;

		if (perfkit_results_extra_get(from, i, j, &k, &v) == 0 &&
		    (rc = perfkit_results_extra_set(res, at, k, v)))
			return rc;
	}
	return 0;
}

static void shift(struct perfkit_record *r, double by)
{
	r->t_submit += by; /* NaN (not measured) stays NaN */
	r->t_start += by;
	r->t_setup += by;
	r->t_end += by;
	r->t_collected += by;
}

/* Append rank @rank's records: rank set, worker made global, times on
 * the root's epoch @epoch0. */
static int append_rank(struct perfkit_results *res, const struct pk_mpi_part *p,
		       int rank, int64_t base, int64_t epoch0)
{
	double by = (double)(perfkit_results_epoch_ns(p->set) - epoch0) * 1e-9 + p->offset;

	for (size_t i = 0; i < perfkit_results_count(p->set); i++) {
		const struct perfkit_record *in;
		struct perfkit_record r;
		size_t at = perfkit_results_count(res);
		char local[24];
		int rc;

		if ((rc = perfkit_results_get(p->set, i, &in)))
			return rc;
		r = *in;
		r.rank = rank;
		if (r.worker >= 0)
			r.worker = (int32_t)(base + r.worker);
		if (r.host[0] == '\0')
			perfkit_record_set_host(&r, p->host);
		shift(&r, by);
		if ((rc = perfkit_results_append(res, &r)) ||
		    (rc = copy_extras(res, at, p->set, i)))
			return rc;
		if (in->worker >= 0) {
			snprintf(local, sizeof(local), "%d", (int)in->worker);
			if ((rc = perfkit_results_extra_set(res, at, "local_worker", local)))
				return rc;
		}
	}
	return 0;
}

static int copy_meta(struct perfkit_results *res, const struct perfkit_results *from)
{
	for (size_t i = 0; from && i < perfkit_results_meta_count(from); i++) {
		const char *k, *v;
		int rc;

		if (perfkit_results_meta_at(from, i, &k, &v) == 0 && k && v &&
		    (rc = perfkit_results_meta_set(res, k, v)))
			return rc;
	}
	return 0;
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
	char key[64];
	int rc;

#define KEY(name) (snprintf(key, sizeof(key), "mpi.rank.%d." name, r), key)
	if ((rc = perfkit_results_meta_set(res, KEY("host"), p->host)) ||
	    (rc = meta_printf(res, KEY("records"), "%zu", perfkit_results_count(p->set))) ||
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

static int meta_mpi(struct perfkit_results *res, const struct pk_mpi_part *parts,
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

static int build(struct perfkit_results *res, struct pk_mpi_part *parts,
		 int nranks, int root, int harness)
{
	const struct perfkit_results *first = parts[root].set;
	int64_t base = 0;
	int rc;

	/* the root's metadata; if its run failed outright, the first rank's
	 * that has a set (the machine and options are still worth keeping) */
	for (int r = 0; !first && r < nranks; r++)
		first = parts[r].set;
	if ((rc = copy_meta(res, first)))
		return rc;
	for (int r = 0; r < nranks; r++) {
		if (parts[r].set && (rc = append_rank(res, &parts[r], r, base,
						      perfkit_results_epoch_ns(res))))
			return rc;
		base += parts[r].workers;
	}
	if ((rc = meta_mpi(res, parts, nranks, root, harness)))
		return rc;
	return harness ? pk_mpi_harness_meta(res, parts, nranks) : 0;
}

int pk_mpi_merge(struct pk_mpi_part *parts, int nranks, int root,
		 int harness, struct perfkit_results **out)
{
	struct perfkit_results *res = NULL;
	int rc;

	if ((rc = parse_parts(parts, nranks)) || (rc = perfkit_results_new(&res)))
		return rc;
	/* the root's epoch; a root without records keeps "now" */
	if (parts[root].set)
		perfkit_results_set_epoch_ns(res, perfkit_results_epoch_ns(parts[root].set));
	if ((rc = build(res, parts, nranks, root, harness))) {
		perfkit_results_destroy(res);
		return pk_mpi_wrap_error(rc, "mpi gather: merging the records");
	}
	*out = res;
	return 0;
}
