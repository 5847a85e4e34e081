/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pi: rank 0's report and records. */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mpi-job.h"
#include "pi-darts.h"
#include "pi-run.h"

void pi_headline(FILE *out, const struct pi_args *a, int size)
{
	fprintf(out, "%s: %" PRIu64 " darts, seed %" PRIu64 ", %d run%s per rank count, "
		"job of %d rank%s (%s)\n", cli_program(), a->darts, a->seed, a->repeat,
		a->repeat == 1 ? "" : "s", size, size == 1 ? "" : "s", mpi_library_name());
	fprintf(out, "  ranks  run  darts/rank         hits      time, s   Mdarts/s  "
		"per rank: fastest  slowest, s\n");
}

void pi_row(FILE *out, const struct pi_args *a, const struct pi_run *r)
{
	fprintf(out, "  %5d  %3d  %10.4g  %11" PRIu64 "  %11.5f  %9.2f  %17.5f  %11.5f\n",
		r->ranks, r->index + 1, (double)a->darts / r->ranks, r->hits, r->seconds,
		(double)a->darts / r->seconds / 1e6, r->rank_min, r->rank_max);
}

int pi_estimate_report(FILE *out, const struct pi_args *a, const struct pi_run *runs,
		       size_t n)
{
	double est, se, err;

	if (n == 0)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (runs[i].hits != runs[0].hits)
			return cli_error("%d ranks counted %" PRIu64 " hits, %d ranks %" PRIu64
					 ": the same darts must hit the same (a bug)",
					 runs[0].ranks, runs[0].hits, runs[i].ranks,
					 runs[i].hits);
	est = pi_estimate(runs[0].hits, a->darts);
	se = pi_standard_error(a->darts);
	err = est - M_PI;
	fprintf(out, "\npi       %.10f = 4 x %" PRIu64 " / %" PRIu64 " (every run: the same "
		"darts on any rank count)\n", est, runs[0].hits, a->darts);
	fprintf(out, "error    %+.3e against M_PI = %+.2f standard errors (%.2e)\n", err,
		err / se, se);
	return 0;
}

int pi_record(struct perfkit_results *res, const struct pi_args *a, const struct pi_run *r)
{
	struct perfkit_record rec;
	double t0;
	char host[PERFKIT_RECORD_HOST_MAX + 1] = "", v[40];

	perfkit_record_init(&rec);
	perfkit_record_set_name(&rec, "mpi-pi");
	if (gethostname(host, sizeof(host) - 1) == 0)
		perfkit_record_set_host(&rec, host);
	/* Timestamps count from the set's epoch; rank 0 timed the run. */
	t0 = r->t_start - (double)perfkit_results_epoch_ns(res) * 1e-9;
	rec.rank = 0;
	rec.t_submit = rec.t_start = rec.t_setup = t0;
	rec.t_end = rec.t_collected = t0 + r->seconds;
	rec.elapsed = r->seconds;
	rec.repetitions = 1;
	rec.problem_size = (int64_t)a->darts;
	rec.items = (double)a->darts;
	snprintf(v, sizeof(v), "%d", r->ranks);
	perfkit_record_set_param(&rec, "ranks", v);
	snprintf(v, sizeof(v), "%d", r->index + 1);
	perfkit_record_set_param(&rec, "run", v);
	snprintf(v, sizeof(v), "%" PRIu64, a->seed);
	perfkit_record_set_param(&rec, "seed", v);
	snprintf(v, sizeof(v), "%" PRIu64, r->hits);
	perfkit_record_set_param(&rec, "hits", v);
	if (perfkit_results_append(res, &rec) != 0)
		return cli_error("%s", perfkit_last_error());
	return 0;
}
