/* SPDX-License-Identifier: MIT */
/* On the root: the ranks' binary records appended straight to one set on
 * the root's time axis, with global worker indices, then the metadata. */
#include <stdio.h>

#include "mpi-private.h"

static int unpack_parts(struct pk_mpi_part *parts, int nranks)
{
	for (int r = 0; r < nranks; r++) {
		struct pk_mpi_part *p = &parts[r];
		int rc;

		if (!p->bytes)
			continue;
		if ((rc = pk_mpi_unpack(p->bytes, (size_t)p->len, &p->set)))
			return pk_mpi_wrap_error(rc, "mpi gather: rank %d's records", r);
		p->has_set = 1;
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

/* Record @at's extra columns: @n pairs from *@s, which moves past them;
 * then the sender's worker index. */
static int set_extras(struct perfkit_results *res, size_t at, const char **s,
		      uint32_t n, int32_t local_worker)
{
	char local[24];
	int rc;

	for (uint32_t j = 0; j < n; j++) {
		const char *k = *s, *v = pk_mpi_unpacked_next(k);

		*s = pk_mpi_unpacked_next(v);
		if ((rc = perfkit_results_extra_set(res, at, k, v)))
			return rc;
	}
	if (local_worker < 0)
		return 0;
	snprintf(local, sizeof(local), "%d", (int)local_worker);
	return perfkit_results_extra_set(res, at, "local_worker", local);
}

/* Append rank @rank's records: rank set, worker made global, times on
 * the root's epoch @epoch0. */
static int append_rank(struct perfkit_results *res, const struct pk_mpi_part *p,
		       int rank, int64_t base, int64_t epoch0)
{
	double by = (double)(p->set.epoch_ns - epoch0) * 1e-9 + p->offset;
	const char *extras = p->set.extras;

	for (size_t i = 0; i < p->set.records; i++) {
		size_t at = perfkit_results_count(res);
		struct perfkit_record r;
		uint32_t nextras;
		int32_t local;
		int rc;

		pk_mpi_unpacked_record(&p->set, i, &r, &nextras);
		local = r.worker;
		r.rank = rank;
		if (r.worker >= 0)
			r.worker = (int32_t)(base + r.worker);
		if (r.host[0] == '\0')
			perfkit_record_set_host(&r, p->host);
		shift(&r, by);
		if ((rc = perfkit_results_append(res, &r)) ||
		    (rc = set_extras(res, at, &extras, nextras, local)))
			return rc;
	}
	return 0;
}

static int copy_meta(struct perfkit_results *res, const struct pk_mpi_unpacked *from)
{
	const char *k = from->strings;

	for (size_t i = 0; i < from->meta; i++) {
		const char *v = pk_mpi_unpacked_next(k);
		int rc;

		if ((rc = perfkit_results_meta_set(res, k, v)))
			return rc;
		k = pk_mpi_unpacked_next(v);
	}
	return 0;
}

static int build(struct perfkit_results *res, const struct pk_mpi_part *parts,
		 int nranks, int root, int harness)
{
	const struct pk_mpi_part *first = parts[root].has_set ? &parts[root] : NULL;
	int64_t base = 0;
	int rc;

	/* the root's metadata; if its run failed outright, the first rank's
	 * that has a set (the machine and options are still worth keeping) */
	for (int r = 0; !first && r < nranks; r++)
		if (parts[r].has_set)
			first = &parts[r];
	if (first && (rc = copy_meta(res, &first->set)))
		return rc;
	for (int r = 0; r < nranks; r++) {
		if (parts[r].has_set && (rc = append_rank(res, &parts[r], r, base,
							  perfkit_results_epoch_ns(res))))
			return rc;
		base += parts[r].workers;
	}
	if ((rc = pk_mpi_meta_mpi(res, parts, nranks, root, harness)))
		return rc;
	return harness ? pk_mpi_meta_harness(res, parts, nranks) : 0;
}

int pk_mpi_merge(struct pk_mpi_part *parts, int nranks, int root,
		 int harness, struct perfkit_results **out)
{
	struct perfkit_results *res = NULL;
	int rc;

	if ((rc = unpack_parts(parts, nranks)) || (rc = perfkit_results_new(&res)))
		return rc;
	/* the root's epoch; a root without records keeps "now" */
	if (parts[root].has_set)
		perfkit_results_set_epoch_ns(res, parts[root].set.epoch_ns);
	if ((rc = build(res, parts, nranks, root, harness))) {
		perfkit_results_destroy(res);
		return pk_mpi_wrap_error(rc, "mpi gather: merging the records");
	}
	*out = res;
	return 0;
}
