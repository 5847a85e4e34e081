/* SPDX-License-Identifier: MIT */
/* perfkit-flops-mpi: the per-rank part of the report, read from the
 * gathered set only (records and mpi.* metadata), so it works on a file
 * too. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flops-ranks.h"
#include "flops-report.h"

/* Ranks above which the per-rank table becomes a summary. */
#define RANK_TABLE_MAX 16

static double meta_rank(const struct perfkit_results *res, int r, const char *what)
{
	char key[64];

	snprintf(key, sizeof(key), "mpi.rank.%d.%s", r, what);
	return report_meta_num(res, key);
}

static const char *rank_host(const struct perfkit_results *res, int r)
{
	char key[64];
	const char *v;

	snprintf(key, sizeof(key), "mpi.rank.%d.host", r);
	return perfkit_results_meta_get(res, key, &v) == 0 ? v : "?";
}

/* One rank's records summarised; -1 when it has none that succeeded. */
static int rank_summary(const struct perfkit_results *res, int r,
			struct perfkit_harness_summary *s)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", r);
	return perfkit_harness_summarize_point(res, "rank", v, s) == 0 ? 0 : -1;
}

static void rank_row(FILE *out, const struct perfkit_results *res, int r)
{
	struct perfkit_harness_summary s;
	int ok = rank_summary(res, r, &s) == 0;

	fprintf(out, "  %4d  %-16.16s %7.0f  %9.2f  %9.2f  %9.3f  %+10.1f +- %-7.1f %s\n", r,
		rank_host(res, r), meta_rank(res, r, "workers"), ok ? s.peak_gflops : NAN,
		ok ? s.worker_gflops_median : NAN, ok ? s.straggler_ratio : NAN,
		meta_rank(res, r, "clock_offset_s") * 1e6,
		meta_rank(res, r, "clock_uncertainty_s") * 1e6,
		meta_rank(res, r, "status") == 0 ? "ok" : perfkit_strerror((int)meta_rank(res, r, "status")));
}

/* min / median / max of the ranks' summed GFLOPS and of the clock
 * uncertainties. */
static void rank_spread(FILE *out, const struct perfkit_results *res, int nranks)
{
	double *g = calloc((size_t)nranks, sizeof(double));
	double *u = calloc((size_t)nranks, sizeof(double));
	static const double p[] = { 0, 50, 100 };
	double gp[3], up[3];
	size_t n = 0, m = 0;

	for (int r = 0; g && u && r < nranks; r++) {
		struct perfkit_harness_summary s;
		double unc = meta_rank(res, r, "clock_uncertainty_s");

		if (rank_summary(res, r, &s) == 0)
			g[n++] = s.peak_gflops;
		if (isfinite(unc))
			u[m++] = unc * 1e6;
	}
	if (n > 0 && perfkit_stats_percentiles(g, n, p, 3, gp) == 0)
		fprintf(out, "Ranks     summed GFLOPS per rank: min %.2f, median %.2f, max %.2f "
			"(slowest rank / median %.3f)\n", gp[0], gp[1], gp[2], gp[0] / gp[1]);
	if (m > 0 && perfkit_stats_percentiles(u, m, p, 3, up) == 0)
		fprintf(out, "Clocks    offsets to rank 0 known within %.1f us (median), %.1f us (worst)\n",
			up[1], up[2]);
	free(g);
	free(u);
}

void report_ranks(FILE *out, const struct perfkit_results *res)
{
	double ranks = report_meta_num(res, "mpi.ranks");
	int nranks = ranks >= 1 && ranks <= INT_MAX ? (int)ranks : 0;
	const char *v;

	if (nranks <= 0)
		return;
	fprintf(out, "\nMPI       %d ranks, %s\n", nranks,
		perfkit_results_meta_get(res, "mpi.library", &v) == 0 ? v : "unknown MPI");
	if (nranks <= RANK_TABLE_MAX) {
		fprintf(out, "  rank  host             workers  GFLOPS      median  straggler"
			"  clock offset, us    status\n");
		for (int r = 0; r < nranks; r++)
			rank_row(out, res, r);
	}
	rank_spread(out, res, nranks);
}
