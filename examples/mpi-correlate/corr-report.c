/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-correlate: rank 0's check, report and records. */
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "corr-compute.h"
#include "corr-report.h"
#include "mpi-job.h"

double corr_serial(const struct corr_data *d, double *ref)
{
	struct timespec a, b;
	size_t m = d->items, u = d->users, p = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (size_t i = 0; i < m; i++)
		for (size_t j = i + 1; j < m; j++)
			ref[p++] = corr_pearson(d->x + i * u, d->x + j * u, u);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
}

double corr_max_difference(const double *r, const double *ref, size_t n)
{
	double worst = 0;

	for (size_t i = 0; i < n; i++) {
		if (isnan(r[i]) != isnan(ref[i]))
			return NAN;
		if (!isnan(r[i]))
			worst = fmax(worst, fabs(r[i] - ref[i]));
	}
	return worst;
}

void corr_headline(FILE *out, const struct corr_args *a, const struct corr_data *d,
		   int size)
{
	fprintf(out, "%s: %zu vectors of %zu ratings (%s), %zu pairs, %d run%s per rank "
		"count, job of %d rank%s (%s)\n", cli_program(), d->items, d->users,
		a->input ? a->input : "generated", corr_pairs(d->items), a->repeat,
		a->repeat == 1 ? "" : "s", size, size == 1 ? "" : "s", mpi_library_name());
}

void corr_row(FILE *out, const struct corr_data *d, const struct corr_run *r)
{
	fprintf(out, "  %5d  %3d  %11.5f  %11.4g  %17.5f  %11.5f\n", r->ranks, r->index + 1,
		r->seconds, (double)corr_pairs(d->items) / r->seconds, r->rank_min,
		r->rank_max);
}

/* The k largest r, best first, by insertion into a short list. */
void corr_top(FILE *out, const double *tri, size_t items, int k)
{
	size_t *best = k > 0 ? calloc((size_t)k, sizeof(size_t)) : NULL;
	size_t n = 0, npairs = corr_pairs(items);

	if (!best)
		return;
	for (size_t q = 0; q < npairs; q++) {
		size_t at;

		if (isnan(tri[q]) || (n == (size_t)k && tri[q] <= tri[best[n - 1]]))
			continue;
		at = n < (size_t)k ? n++ : n - 1;
		while (at > 0 && tri[best[at - 1]] < tri[q]) {
			best[at] = best[at - 1];
			at--;
		}
		best[at] = q;
	}
	fprintf(out, "\nMost correlated pairs (rows counted from 1)\n");
	/* each pair's rows from its index */
	for (size_t t = 0; t < n; t++) {
		size_t i = 0, q = best[t];

		while (q >= items - 1 - i) {
			q -= items - 1 - i;
			i++;
		}
		fprintf(out, "  %6zu  %6zu  r = %+.6f\n", i + 1, i + q + 2, tri[best[t]]);
	}
	free(best);
}

int corr_record(struct perfkit_results *res, const struct corr_data *d,
		const struct corr_run *r)
{
	struct perfkit_record rec;
	double t0;
	char host[PERFKIT_RECORD_HOST_MAX + 1] = "", v[40];
	double pairs = (double)corr_pairs(d->items);

	perfkit_record_init(&rec);
	perfkit_record_set_name(&rec, "mpi-correlate");
	if (gethostname(host, sizeof(host) - 1) == 0)
		perfkit_record_set_host(&rec, host);
	/* Timestamps count from the set's epoch; rank 0 timed the run. */
	t0 = r->t_start - (double)perfkit_results_epoch_ns(res) * 1e-9;
	rec.rank = 0;
	rec.t_submit = rec.t_start = rec.t_setup = t0;
	rec.t_end = rec.t_collected = t0 + r->seconds;
	rec.elapsed = r->seconds;
	rec.repetitions = 1;
	rec.problem_size = (int64_t)d->items;
	rec.items = pairs;
	rec.flops = 2.0 * pairs * (double)d->users; /* the dot products */
	snprintf(v, sizeof(v), "%d", r->ranks);
	perfkit_record_set_param(&rec, "ranks", v);
	snprintf(v, sizeof(v), "%d", r->index + 1);
	perfkit_record_set_param(&rec, "run", v);
	snprintf(v, sizeof(v), "%zu", d->users);
	perfkit_record_set_param(&rec, "users", v);
	if (perfkit_results_append(res, &rec) != 0)
		return cli_error("%s", perfkit_last_error());
	return 0;
}
