/* SPDX-License-Identifier: MIT */
/* On the root, for harness runs: the job-wide harness.* metadata, so that
 * perfkit_harness_summarize() compares the whole job with all its cores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

static double meta_num(const struct pk_mpi_part *p, const char *key)
{
	const char *v = p->has_set ? pk_mpi_unpacked_meta(&p->set, key) : NULL;
	char *end;
	double x;

	if (!v)
		return NAN;
	x = strtod(v, &end);
	return end != v && *end == '\0' ? x : NAN;
}

static const char *host_of(const struct pk_mpi_part *p)
{
	const char *h = p->has_set ? pk_mpi_unpacked_meta(&p->set, "machine.host.name") : NULL;

	return h ? h : p->host;
}

/* Allowed cores summed over distinct hosts (ranks sharing a host share
 * its cores). */
static double cores_of_job(const struct pk_mpi_part *parts, int nranks)
{
	double cores = 0;

	for (int r = 0; r < nranks; r++) {
		double c = meta_num(&parts[r], "harness.cores");
		int seen = 0;

		for (int q = 0; q < r && !seen; q++)
			seen = isfinite(meta_num(&parts[q], "harness.cores")) &&
			       strcmp(host_of(&parts[q]), host_of(&parts[r])) == 0;
		if (!seen && isfinite(c))
			cores += c;
	}
	return cores;
}

static int meta_real(struct perfkit_results *res, const char *key, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.17g", v);
	return perfkit_results_meta_set(res, key, buf);
}

int pk_mpi_meta_harness(struct perfkit_results *res,
			const struct pk_mpi_part *parts, int nranks)
{
	double workers = 0, peak = 0, peak_workers = 0, cores = cores_of_job(parts, nranks);
	double core_rate = 0, core_workers = 0;
	char buf[32];
	int rc;

	for (int r = 0; r < nranks; r++) {
		double w = (double)parts[r].workers;
		double p = meta_num(&parts[r], "harness.peak_kernel_gflops_per_worker");

		double c = meta_num(&parts[r], "harness.peak_kernel_gflops_per_core");

		workers += w;
		if (isfinite(p) && w > 0) {
			peak += p * w;
			peak_workers += w;
		}
		if (isfinite(c) && w > 0) {
			core_rate += c * w;
			core_workers += w;
		}
	}
	snprintf(buf, sizeof(buf), "%.0f", workers);
	if ((rc = perfkit_results_meta_set(res, "harness.workers", buf)))
		return rc;
	if (cores > 0 && (rc = meta_real(res, "harness.cores", cores)))
		return rc;
	/* one core's `peak` rate: the ranks' mean, weighted by workers */
	if (core_workers > 0 &&
	    (rc = meta_real(res, "harness.peak_kernel_gflops_per_core",
			    core_rate / core_workers)))
		return rc;
	if (peak_workers > 0)
		return meta_real(res, "harness.peak_kernel_gflops_per_worker",
				 peak / peak_workers);
	return 0;
}
