/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit: the same work done two ways, each timed with libperfkit's
 * runner, as Python's timeit would be used to choose between them:
 *
 *   (a) a naive loop (a data-dependent branch and one long dependency chain)
 *       against a branch-free loop with independent accumulators that the
 *       compiler can vectorise;
 *   (b) writing doubles to a file as text (fprintf) against binary (fwrite).
 *
 * Each line gives the median time per call, its 95 % confidence interval,
 * the spread (MAD), outliers, how many samples of how many calls were taken,
 * which stop rule ended the run, and the share of each sample spent reading
 * the clock (reported, not subtracted). Then the ratio of the medians, with a
 * conservative interval from the two confidence intervals.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/perfkit.h>

#define SUM_N 100000   /* doubles summed in (a): 800 kB, about L2-sized */
#define WRITE_N 20000  /* doubles written in (b) */

struct options {
	double precision;
	double max_time;
};

/* ---- (a) sum of squares of the positive values ---- */

struct sum_job {
	const double *x;
	size_t n;
	double result;
};

/* One accumulator, one branch per element: each add waits for the previous
 * one, and random signs make the branch unpredictable. */
static void sum_naive(void *user, uint64_t iterations)
{
	struct sum_job *job = user;

	for (uint64_t it = 0; it < iterations; it++) {
		double s = 0.0;

		for (size_t i = 0; i < job->n; i++)
			if (job->x[i] > 0.0)
				s += job->x[i] * job->x[i];
		job->result = s;
		__asm__ __volatile__("" : : "g"(&job->result) : "memory");
	}
}

/* The same sum, written for SIMD: a compare mask instead of a branch, and
 * 2-wide vectors (SSE2, NEON) in four accumulators, so eight independent
 * partial sums overlap. GCC's and clang's vector extensions keep this
 * portable; the result is the same up to rounding. */
#if defined(__GNUC__)
typedef double pk_v2d __attribute__((vector_size(16)));
typedef long long pk_v2l __attribute__((vector_size(16)));

static inline pk_v2d squares_of_positive(const double *p)
{
	pk_v2d v, zero = { 0 };

	memcpy(&v, p, sizeof(v)); /* unaligned load */
	v = (pk_v2d)((pk_v2l)v & (v > zero));
	return v * v;
}

static double sum_simd(const double *x, size_t n)
{
	pk_v2d a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
	size_t i = 0;
	double s;

	for (; i + 8 <= n; i += 8) {
		a += squares_of_positive(x + i);
		b += squares_of_positive(x + i + 2);
		c += squares_of_positive(x + i + 4);
		d += squares_of_positive(x + i + 6);
	}
	a = (a + b) + (c + d);
	s = a[0] + a[1];
	for (; i < n; i++)
		s += x[i] > 0.0 ? x[i] * x[i] : 0.0;
	return s;
}
#else
static double sum_simd(const double *x, size_t n)
{
	double acc[8] = { 0 };
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		for (int k = 0; k < 8; k++)
			acc[k] += (double)(x[i + k] > 0.0) * x[i + k] * x[i + k];
	for (; i < n; i++)
		acc[0] += x[i] > 0.0 ? x[i] * x[i] : 0.0;
	return ((acc[0] + acc[1]) + (acc[2] + acc[3])) +
	       ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}
#endif

static void sum_vectorised(void *user, uint64_t iterations)
{
	struct sum_job *job = user;

	for (uint64_t it = 0; it < iterations; it++) {
		job->result = sum_simd(job->x, job->n);
		__asm__ __volatile__("" : : "g"(&job->result) : "memory");
	}
}

/* ---- (b) text against binary output ---- */

struct write_job {
	FILE *f;
	const double *x;
	size_t n;
	int failed;
	long bytes;
};

static void write_text(void *user, uint64_t iterations)
{
	struct write_job *job = user;

	for (uint64_t it = 0; it < iterations; it++) {
		rewind(job->f);
		for (size_t i = 0; i < job->n; i++)
			if (fprintf(job->f, "%.17g\n", job->x[i]) < 0)
				job->failed = 1;
		if (fflush(job->f) != 0)
			job->failed = 1;
	}
	job->bytes = ftell(job->f);
}

static void write_binary(void *user, uint64_t iterations)
{
	struct write_job *job = user;

	for (uint64_t it = 0; it < iterations; it++) {
		rewind(job->f);
		if (fwrite(job->x, sizeof(*job->x), job->n, job->f) != job->n)
			job->failed = 1;
		if (fflush(job->f) != 0)
			job->failed = 1;
	}
	job->bytes = ftell(job->f);
}

/* ---- measuring and printing ---- */

struct measured {
	const char *name;
	struct perfkit_stats st;
	uint64_t iterations;
	enum perfkit_runner_stop stop;
	double overhead_ns;
	double resolution_ns;
	double elapsed_ns;
};

static int measure(struct perfkit_runner *r, const char *name,
		   void (*fn)(void *, uint64_t), void *user, struct measured *m)
{
	struct perfkit_runner_result *res;
	int rc = perfkit_runner_run(r, fn, user, &res);

	if (rc < 0) {
		fprintf(stderr, "perfkit-timeit: timing %s failed: %s (%s)\n", name,
			perfkit_strerror(rc), perfkit_last_error());
		return rc;
	}
	m->name = name;
	perfkit_runner_result_stats(res, &m->st);
	m->iterations = perfkit_runner_result_iterations(res);
	m->stop = perfkit_runner_result_stop_reason(res);
	m->overhead_ns = perfkit_runner_result_timer_overhead_ns(res);
	m->resolution_ns = perfkit_runner_result_timer_resolution_ns(res);
	m->elapsed_ns = perfkit_runner_result_elapsed_ns(res);
	perfkit_runner_result_destroy(res);
	return 0;
}

/* Format ns in the unit that keeps 3-4 significant digits. */
static const char *unit_for(double ns, double *scale)
{
	if (ns >= 1e9) {
		*scale = 1e-9;
		return "s";
	}
	if (ns >= 1e6) {
		*scale = 1e-6;
		return "ms";
	}
	if (ns >= 1e3) {
		*scale = 1e-3;
		return "us";
	}
	*scale = 1.0;
	return "ns";
}

static void print_header(void)
{
	printf("  %-26s %10s  %-24s %7s %5s %13s  %-9s %8s\n", "", "median",
	       "95% CI of median", "MAD", "outl", "samples x calls",
	       "stopped", "clock");
}

static void print_row(const struct measured *m, size_t elements)
{
	const struct perfkit_stats *st = &m->st;
	char ci[48], counts[32];
	double scale;
	const char *unit = unit_for(st->median, &scale);
	/* share of one sample spent in its one clock read */
	double clock_share = m->overhead_ns / (st->median * (double)m->iterations);

	snprintf(ci, sizeof(ci), "[%.4g, %.4g] %s%s", st->ci_low * scale,
		 st->ci_high * scale, unit,
		 st->ci_coverage < PERFKIT_STATS_CI_LEVEL ? " (<95%)" : "");
	snprintf(counts, sizeof(counts), "%llu x %llu",
		 (unsigned long long)st->n, (unsigned long long)m->iterations);
	printf("  %-26s %7.4g %-2s  %-24s %6.2f%% %5llu %15s  %-9s %7.4f%%\n",
	       m->name, st->median * scale, unit, ci,
	       100.0 * st->mad / st->median, (unsigned long long)st->outliers,
	       counts, perfkit_runner_stop_name(m->stop), 100.0 * clock_share);
	printf("  %-26s %7.3g ns per element, min %.4g %s, mean %.4g %s, "
	       "CV %.1f%%\n", "", st->median / (double)elements,
	       st->min * scale, unit, st->mean * scale, unit, 100.0 * st->cv);
}

/* Ratio of the medians, slow / fast, and a conservative interval for it. */
static void print_ratio(const struct measured *slow, const struct measured *fast,
			const char *what)
{
	double r = slow->st.median / fast->st.median;
	double lo = slow->st.ci_low / fast->st.ci_high;
	double hi = slow->st.ci_high / fast->st.ci_low;

	printf("  => %s %.2fx faster (from the CIs: %.2fx to %.2fx)%s\n", what,
	       r, lo, hi, lo <= 1.0 && hi >= 1.0 ?
	       "; the intervals overlap, so no difference is shown" : "");
}

static void fill_random(double *x, size_t n, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)rand() / RAND_MAX * 2.0 - 1.0;
}

static int case_vectorise(struct perfkit_runner *r)
{
	double *x = malloc(SUM_N * sizeof(*x));
	struct sum_job naive = { .n = SUM_N }, vec = { .n = SUM_N };
	struct measured a, b;
	int rc;

	if (!x)
		return -ENOMEM;
	fill_random(x, SUM_N, 3);
	naive.x = vec.x = x;
	printf("\n(a) sum of squares of the positive values of %d random doubles "
	       "(%.0f kB, signs random)\n", SUM_N, SUM_N * 8 / 1e3);
	print_header();
	rc = measure(r, "naive: branch, 1 chain", sum_naive, &naive, &a);
	if (rc == 0)
		rc = measure(r, "SIMD: mask, 8 lanes", sum_vectorised, &vec, &b);
	if (rc == 0) {
		print_row(&a, SUM_N);
		print_row(&b, SUM_N);
		print_ratio(&a, &b, "SIMD is");
		printf("     results agree to %.1e (relative; summation order "
		       "differs)\n", fabs(naive.result - vec.result) / naive.result);
	}
	free(x);
	return rc;
}

static int case_text_binary(struct perfkit_runner *r)
{
	double *x = malloc(WRITE_N * sizeof(*x));
	struct write_job text = { .n = WRITE_N }, bin = { .n = WRITE_N };
	struct measured a, b;
	int rc;

	if (!x)
		return -ENOMEM;
	fill_random(x, WRITE_N, 5);
	text.x = bin.x = x;
	text.f = tmpfile();
	bin.f = tmpfile();
	if (!text.f || !bin.f) {
		fprintf(stderr, "perfkit-timeit: cannot create a temporary file: %s\n",
			strerror(errno));
		rc = -EIO;
		goto out;
	}
	printf("\n(b) write %d doubles to a temporary file, rewound and flushed "
	       "each call\n", WRITE_N);
	print_header();
	rc = measure(r, "text: fprintf(\"%.17g\")", write_text, &text, &a);
	if (rc == 0)
		rc = measure(r, "binary: fwrite", write_binary, &bin, &b);
	if (rc == 0 && (text.failed || bin.failed)) {
		fprintf(stderr, "perfkit-timeit: writing the temporary file failed\n");
		rc = -EIO;
	}
	if (rc == 0) {
		print_row(&a, WRITE_N);
		print_row(&b, WRITE_N);
		print_ratio(&a, &b, "binary is");
		printf("     file sizes: text %ld bytes (%.1f per value, exact "
		       "with %%.17g), binary %ld bytes (8 per value)\n",
		       text.bytes, (double)text.bytes / WRITE_N, bin.bytes);
	}
out:
	if (text.f)
		fclose(text.f);
	if (bin.f)
		fclose(bin.f);
	free(x);
	return rc;
}

/* ---- command line ---- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: perfkit-timeit [--precision REL] [--max-time SECONDS]\n"
		"\n"
		"Times two implementations of the same work with libperfkit's runner\n"
		"and prints medians, 95%% confidence intervals, spread and ratios.\n"
		"\n"
		"  --precision REL     stop a measurement once the 95%% CI half-width\n"
		"                      is at most REL x median (default 0.01)\n"
		"  --max-time SECONDS  time budget per measurement (default 2; four\n"
		"                      measurements are taken)\n"
		"  --help              show this help\n");
}

static int parse_positive(const char *opt, const char *text, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end != '\0' || errno != 0 || !isfinite(v) || v <= 0) {
		fprintf(stderr, "perfkit-timeit: %s needs a positive number, "
			"got '%s'\n", opt, text);
		return -1;
	}
	*out = v;
	return 0;
}

/* 0: go on; 1: exit 0 (help); -1: exit 2 (bad usage). */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const char *const names[] = { "--precision", "--max-time" };
	double *targets[] = { &o->precision, &o->max_time };

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int matched = 0;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 1;
		}
		for (int k = 0; k < 2 && !matched; k++) {
			size_t len = strlen(names[k]);
			const char *val;

			if (strncmp(a, names[k], len) != 0 ||
			    (a[len] != '\0' && a[len] != '='))
				continue;
			matched = 1;
			if (a[len] == '=') {
				val = a + len + 1;
			} else if (i + 1 < argc) {
				val = argv[++i];
			} else {
				fprintf(stderr, "perfkit-timeit: %s needs a value\n",
					names[k]);
				return -1;
			}
			if (parse_positive(names[k], val, targets[k]) < 0)
				return -1;
		}
		if (!matched) {
			fprintf(stderr, "perfkit-timeit: unknown option '%s' "
				"(try --help)\n", a);
			return -1;
		}
	}
	return 0;
}

static int configure(struct perfkit_runner **out, const struct options *o)
{
	struct perfkit_runner *r;
	int rc = perfkit_runner_new(&r);

	if (rc == 0)
		rc = perfkit_runner_set_precision(r, o->precision);
	if (rc == 0)
		rc = perfkit_runner_set_max_time(r, o->max_time);
	if (rc < 0) {
		fprintf(stderr, "perfkit-timeit: %s\n", perfkit_last_error());
		perfkit_runner_destroy(r);
		return rc;
	}
	*out = r;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { PERFKIT_RUNNER_DEFAULT_PRECISION,
			     PERFKIT_RUNNER_DEFAULT_MAX_TIME };
	struct perfkit_clock_info clk;
	struct perfkit_runner *r = NULL;
	uint64_t t0 = perfkit_now_ns();
	int rc = parse_args(argc, argv, &o);

	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (configure(&r, &o) < 0)
		return 2;
	if (perfkit_clock_measure(PERFKIT_CLOCK_MONOTONIC, &clk) < 0) {
		fprintf(stderr, "perfkit-timeit: %s\n", perfkit_last_error());
		perfkit_runner_destroy(r);
		return 1;
	}

	printf("perfkit-timeit %s: the same work done two ways, timed by "
	       "libperfkit's runner\n", perfkit_version_string());
	printf("clock: monotonic, resolution %.0f ns, one read costs %.1f ns "
	       "(in every sample: see 'clock'; not subtracted)\n",
	       clk.observed_resolution_ns, clk.overhead_ns);
	printf("rule:  samples of >= %.0f ms each; stop when the median is known "
	       "to +-%.2g%% (95%% CI),\n       after %.3g s, or at %d samples "
	       "(at least %d). Times are per call.\n",
	       fmax(PERFKIT_RUNNER_DEFAULT_MIN_SAMPLE_TIME,
		    PERFKIT_RUNNER_RESOLUTION_FACTOR * clk.observed_resolution_ns * 1e-9) * 1e3,
	       o.precision * 100, o.max_time, PERFKIT_RUNNER_DEFAULT_MAX_SAMPLES,
	       PERFKIT_RUNNER_DEFAULT_MIN_SAMPLES);

	rc = case_vectorise(r);
	if (rc == 0)
		rc = case_text_binary(r);
	perfkit_runner_destroy(r);
	if (rc < 0)
		return 1;
	printf("\nMAD = median absolute deviation (raw, %% of the median); "
	       "outl = values with |modified z| > 3.5,\ncounted, not removed; "
	       "clock = one clock read as a share of a sample. Total %.1f s.\n",
	       (double)(perfkit_now_ns() - t0) * 1e-9);
	return 0;
}
