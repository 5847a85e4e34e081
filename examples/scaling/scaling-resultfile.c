/* SPDX-License-Identifier: MIT */
/*
 * perfkit-scaling: reading a perfkit result file, e.g. a worker sweep
 * written by the harness, where every record carries the parameter
 * "workers" = W of its run. The library groups the records
 * (perfkit_scaling_points_from_results()); this file picks the words and
 * columns the report shows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "scaling-resultfile.h"

static const char *const measure_names[] = { "throughput", "makespan", "elapsed" };
static const char *const work_names[] = { "flops", "items", "bytes" };
static const char *const work_units[] = { "flop", "item", "byte" };

int result_measure_parse(const char *s, enum result_measure *m)
{
	int v;

	if (cli_parse_enum("--measure", s, measure_names, 3, &v) != 0)
		return -1;
	*m = (enum result_measure)v;
	return 0;
}

int result_work_parse(const char *s, enum result_work *w)
{
	int v;

	if (cli_parse_enum("--work", s, work_names, 3, &v) != 0)
		return -1;
	*w = (enum result_work)v;
	return 0;
}

static const char *span_text(enum perfkit_scaling_span span)
{
	switch (span) {
	case PERFKIT_SCALING_SPAN_SUBMIT_COLLECTED:
		return "max t_collected - min t_submit";
	case PERFKIT_SCALING_SPAN_START_END:
		return "max t_end - min t_start (no submit/collect times)";
	default:
		return "max elapsed (no timestamps)";
	}
}

/* Column names: weak per work kind, strong per time and work. */
static const char *const weak_cols[3][SERIES_COLS] = {
	{ "flops", "makespan", "flops_per_s", "ideal", "eff" },
	{ "items", "makespan", "items_per_s", "ideal", "eff" },
	{ "bytes", "makespan", "bytes_per_s", "ideal", "eff" },
};
static const char *const strong_rate[4] = {
	"flops_per_s", "items_per_s", "bytes_per_s", "runs_per_s",
};
static const char *const weak_ylabel[3] = {
	"Throughput [flop/s]", "Throughput [items/s]", "Throughput [bytes/s]",
};

static void set_words(struct series *s, const struct result_input *in,
		      int have_work)
{
	static const char *const weak_fmt[SERIES_COLS] = {
		"%*.6g", "%*.6g", "%*.6g", "%*.6g", "%*.4f",
	};
	static const char *const strong_fmt[SERIES_COLS] = {
		"%*.6g", "%*.6g", "%*.4f", "%*.4f", "%*.5f",
	};
	struct series_words *w = &s->w;

	w->count = in->group_by;
	w->count_one = "worker";
	w->run = "run";
	w->work = have_work ? work_units[in->work] : NULL;
	w->legend = "Measured";
	if (s->kind == SERIES_WEAK) {
		memcpy(w->cols, weak_cols[in->work], sizeof(w->cols));
		memcpy(w->fmt, weak_fmt, sizeof(w->fmt));
		w->ylabel = weak_ylabel[in->work];
		return;
	}
	w->cols[0] = in->measure == MEASURE_ELAPSED ? "elapsed" : "makespan";
	w->cols[1] = strong_rate[have_work ? (int)in->work : 3];
	w->cols[2] = "speedup";
	w->cols[3] = "eff";
	w->cols[4] = "karp_flatt";
	memcpy(w->fmt, strong_fmt, sizeof(w->fmt));
	w->ylabel = "Speedup";
}

static double work_of(const struct perfkit_scaling_point *p, enum result_work w)
{
	return w == WORK_FLOPS ? p->flops : w == WORK_ITEMS ? p->items : p->bytes;
}

/* Say which records were left out, so no failure goes unnoticed. */
static size_t report_failed(const struct result_input *in,
			    const struct perfkit_scaling_point *p, size_t n)
{
	size_t total = 0;
	const char *sep = "";

	for (size_t i = 0; i < n; i++)
		total += p[i].failed;
	if (total == 0)
		return 0;
	fprintf(stderr, "perfkit-scaling: %s: skipped %zu record(s) with non-zero status (",
		in->path, total);
	for (size_t i = 0; i < n; i++)
		if (p[i].failed) {
			fprintf(stderr, "%s%zu at %s = %g", sep, p[i].failed,
				in->group_by, p[i].workers);
			sep = ", ";
		}
	fprintf(stderr, ")\n");
	return total;
}

/* The work per count tells weak from strong scaling; say so when the
 * measure asked for does not fit the experiment (the numbers would mislead). */
static void hint_kind(const struct result_input *in,
		      const struct perfkit_scaling_point *p, size_t n)
{
	double w0, w1, grow;

	if (n < 2)
		return;
	w0 = work_of(&p[0], in->work);
	w1 = work_of(&p[n - 1], in->work);
	if (!(w0 > 0 && w1 > 0))
		return;
	grow = (w1 / w0) / (p[n - 1].workers / p[0].workers);
	if (in->measure != MEASURE_THROUGHPUT && grow > 0.9)
		fprintf(stderr, "perfkit-scaling: note: the %s grow with the worker count (weak scaling): a speedup of times says little here; --measure throughput fits this data\n",
			work_names[in->work]);
	else if (in->measure == MEASURE_THROUGHPUT && w1 / w0 < 1.1)
		fprintf(stderr, "perfkit-scaling: note: the %s stay the same at every worker count (strong scaling): --measure makespan fits this data\n",
			work_names[in->work]);
}

static void heading(struct series *s, struct result_input *in,
		    enum perfkit_scaling_span span)
{
	char time[128];

	snprintf(time, sizeof(time), "makespan = %s", span_text(span));
	if (s->kind == SERIES_WEAK)
		snprintf(in->heading, sizeof(in->heading),
			 "Weak-scaling summary of %s (records grouped by %s; "
			 "throughput = %s / makespan, %s):", in->path,
			 in->group_by, work_names[in->work], time);
	else
		snprintf(in->heading, sizeof(in->heading),
			 "Strong-scaling summary of %s (records grouped by %s; "
			 "speedup = T(p0) / T(p), time T = %s):", in->path,
			 in->group_by, in->measure == MEASURE_ELAPSED ?
			 "the slowest worker's elapsed" : time);
}

/* Points into the series arrays; the strong table counts work only when
 * every point has some. */
static int fill(struct series *s, struct result_input *in,
		const struct perfkit_scaling_point *p, size_t n)
{
	int have_work = 1;

	if (series_alloc(s, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		s->ranks[i] = p[i].workers;
		s->samples[i] = work_of(&p[i], in->work);
		s->times[i] = in->measure == MEASURE_THROUGHPUT ? p[i].makespan :
							       p[i].value;
		have_work = have_work && s->samples[i] > 0;
	}
	set_words(s, in, have_work);
	heading(s, in, p[0].span);
	s->warmup = NAN;
	s->info[0][0] = "source";
	s->info[0][1] = in->path;
	s->info[1][0] = "group_by";
	s->info[1][1] = in->group_by;
	s->info[2][0] = "measure";
	s->info[2][1] = measure_names[in->measure];
	s->info[3][0] = "makespan";
	s->info[3][1] = span_text(p[0].span);
	s->info[4][0] = "failed_records";
	s->info[4][1] = in->failed;
	return series_compute(s);
}

static enum perfkit_scaling_measure library_measure(const struct result_input *in)
{
	static const enum perfkit_scaling_measure rate[3] = {
		PERFKIT_SCALING_THROUGHPUT_FLOPS, PERFKIT_SCALING_THROUGHPUT_ITEMS,
		PERFKIT_SCALING_THROUGHPUT_BYTES,
	};

	if (in->measure == MEASURE_MAKESPAN)
		return PERFKIT_SCALING_MAKESPAN;
	if (in->measure == MEASURE_ELAPSED)
		return PERFKIT_SCALING_ELAPSED_MAX;
	return rate[in->work];
}

int series_from_results(struct series *s, struct result_input *in)
{
	struct perfkit_results *res = NULL;
	struct perfkit_scaling_point *p = NULL;
	size_t n = 0;
	int rc = -1;

	s->kind = in->measure == MEASURE_THROUGHPUT ? SERIES_WEAK : SERIES_STRONG;
	if (perfkit_results_read(in->path, PERFKIT_FORMAT_AUTO, &res) < 0) {
		const char *msg = perfkit_last_error();

		/* The reader's message names the file already, with the line. */
		if (strstr(msg, in->path))
			fprintf(stderr, "perfkit-scaling: %s\n", msg);
		else
			fprintf(stderr, "perfkit-scaling: %s: %s\n", in->path, msg);
		return -1;
	}
	n = perfkit_results_count(res);
	p = calloc(n ? n : 1, sizeof(*p));
	if (!p) {
		fprintf(stderr, "perfkit-scaling: out of memory\n");
		goto out;
	}
	if (perfkit_scaling_points_from_results(res, in->group_by,
						library_measure(in), p, n,
						&n) < 0) {
		fprintf(stderr, "perfkit-scaling: %s: %s\n", in->path,
			perfkit_last_error());
		if (strstr(perfkit_last_error(), "no record counted"))
			fprintf(stderr, "  (choose the work count with --work flops|items|bytes, or use --measure makespan)\n");
		goto out;
	}
	snprintf(in->failed, sizeof(in->failed), "%zu", report_failed(in, p, n));
	hint_kind(in, p, n);
	rc = fill(s, in, p, n);
out:
	free(p);
	perfkit_results_destroy(res);
	return rc;
}
