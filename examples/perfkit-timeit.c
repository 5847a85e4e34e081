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

/* ---- measuring: alternating rounds, pooled samples ---- */

/*
 * The machine's load drifts, so measuring A for two seconds and then B for
 * two seconds can put the drift into the ratio. Instead the two take turns:
 * rounds of ROUND_SAMPLES samples each, in the order AB, BA, AB, ..., and
 * each side's samples are pooled. Every side has its own runner, so the
 * iteration count calibrated in its first round is kept for the others.
 */
#define ROUND_SAMPLES 10
#define MAX_ROUNDS 100

struct side {
	const char *name;
	void (*fn)(void *, uint64_t);
	void *user;
	struct perfkit_runner *runner;
	double *ns;           /* pooled per-call times */
	size_t n, cap;
	uint64_t iterations;  /* calls per sample */
	double overhead_ns;   /* one clock read */
	double spent_ns;      /* wall time of this side's runs */
	struct perfkit_stats st;
};

static int side_init(struct side *s, const char *name,
		     void (*fn)(void *, uint64_t), void *user)
{
	*s = (struct side){ .name = name, .fn = fn, .user = user };
	if (perfkit_runner_new(&s->runner) < 0 ||
	    perfkit_runner_set_samples(s->runner, ROUND_SAMPLES, ROUND_SAMPLES) < 0) {
		fprintf(stderr, "perfkit-timeit: %s\n", perfkit_last_error());
		return -1;
	}
	return 0;
}

static void side_fini(struct side *s)
{
	perfkit_runner_destroy(s->runner);
	free(s->ns);
}

static int side_append(struct side *s, const double *ns, size_t n)
{
	if (s->n + n > s->cap) {
		size_t cap = (s->n + n) * 2;
		double *p = realloc(s->ns, cap * sizeof(*p));

		if (!p) {
			fprintf(stderr, "perfkit-timeit: out of memory\n");
			return -1;
		}
		s->ns = p;
		s->cap = cap;
	}
	memcpy(s->ns + s->n, ns, n * sizeof(*ns));
	s->n += n;
	return 0;
}

/* One round for one side: a run of ROUND_SAMPLES samples, pooled. */
static int side_round(struct side *s)
{
	struct perfkit_runner_result *res;
	const double *ns;
	size_t n;
	int rc = perfkit_runner_run(s->runner, s->fn, s->user, &res);

	if (rc < 0) {
		fprintf(stderr, "perfkit-timeit: timing %s failed: %s (%s)\n",
			s->name, perfkit_strerror(rc), perfkit_last_error());
		return -1;
	}
	if (s->iterations == 0) {
		s->iterations = perfkit_runner_result_iterations(res);
		perfkit_runner_set_iterations(s->runner, s->iterations);
	}
	s->overhead_ns = perfkit_runner_result_timer_overhead_ns(res);
	s->spent_ns += perfkit_runner_result_elapsed_ns(res);
	perfkit_runner_result_samples(res, &ns, &n);
	rc = side_append(s, ns, n);
	perfkit_runner_result_destroy(res);
	if (rc == 0 && perfkit_stats_compute(s->ns, s->n, &s->st) < 0)
		rc = -1;
	return rc;
}

static int precise_enough(const struct side *s, double precision)
{
	return s->st.ci_coverage >= PERFKIT_STATS_CI_LEVEL &&
	       (s->st.ci_high - s->st.ci_low) / 2 <= precision * s->st.median;
}

/* Alternate rounds until both medians are precise enough (after at least
 * one round in each order) or the budget is spent. */
static int compare(struct side *a, struct side *b, const struct options *o,
		   const char **stop)
{
	for (int round = 0; round < MAX_ROUNDS; round++) {
		struct side *first = round % 2 ? b : a, *second = round % 2 ? a : b;

		if (side_round(first) < 0 || side_round(second) < 0)
			return -1;
		if (round >= 1 && precise_enough(a, o->precision) &&
		    precise_enough(b, o->precision)) {
			*stop = "precision";
			return 0;
		}
		if (fmax(a->spent_ns, b->spent_ns) >= o->max_time * 1e9) {
			*stop = "time";
			return 0;
		}
	}
	*stop = "rounds";
	return 0;
}

/* ---- printing ---- */

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
	printf("  %-24s %10s  %-24s %7s %5s %15s  %-9s %8s\n", "", "median",
	       "95% CI of median", "MAD", "outl", "samples x calls",
	       "stopped", "clock");
}

/* bytes: what one call reads (a) or writes (b), for a throughput figure */
static void print_row(const struct side *s, const char *stop, size_t elements,
		      double bytes)
{
	const struct perfkit_stats *st = &s->st;
	char ci[48], counts[32];
	double scale;
	const char *unit = unit_for(st->median, &scale);
	/* share of one sample spent in its one clock read */
	double clock_share = s->overhead_ns / (st->median * (double)s->iterations);

	snprintf(ci, sizeof(ci), "[%.4g, %.4g] %s", st->ci_low * scale,
		 st->ci_high * scale, unit);
	snprintf(counts, sizeof(counts), "%llu x %llu",
		 (unsigned long long)st->n, (unsigned long long)s->iterations);
	printf("  %-24s %7.4g %-2s  %-24s %6.2f%% %5llu %15s  %-9s %7.4f%%\n",
	       s->name, st->median * scale, unit, ci,
	       100.0 * st->mad / st->median, (unsigned long long)st->outliers,
	       counts, stop, 100.0 * clock_share);
	printf("  %-24s %.3g ns per element, %.3g GB/s; min %.4g %s, "
	       "mean %.4g %s, CV %.1f%%\n", "", st->median / (double)elements,
	       bytes / st->median, st->min * scale, unit, st->mean * scale,
	       unit, 100.0 * st->cv);
}

/* Ratio of the medians, slow / fast, and a conservative interval for it. */
static void print_ratio(const struct side *slow, const struct side *fast,
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

static int case_vectorise(const struct options *o)
{
	double *x = malloc(SUM_N * sizeof(*x));
	struct sum_job naive = { .n = SUM_N }, vec = { .n = SUM_N };
	struct side a, b;
	const char *stop = "";
	int rc;

	if (!x)
		return -1;
	fill_random(x, SUM_N, 3);
	naive.x = vec.x = x;
	rc = side_init(&a, "naive: branch, 1 chain", sum_naive, &naive);
	if (rc == 0)
		rc = side_init(&b, "SIMD: mask, 8 lanes", sum_vectorised, &vec);
	printf("\n(a) sum of squares of the positive values of %d random doubles "
	       "(%.0f kB, signs random)\n", SUM_N, SUM_N * 8 / 1e3);
	if (rc == 0)
		rc = compare(&a, &b, o, &stop);
	if (rc == 0) {
		print_header();
		print_row(&a, stop, SUM_N, SUM_N * sizeof(double));
		print_row(&b, stop, SUM_N, SUM_N * sizeof(double));
		print_ratio(&a, &b, "SIMD is");
		printf("     results agree to %.1e (relative; summation order "
		       "differs)\n", fabs(naive.result - vec.result) / naive.result);
	}
	side_fini(&a);
	side_fini(&b);
	free(x);
	return rc;
}

static int case_text_binary(const struct options *o)
{
	double *x = malloc(WRITE_N * sizeof(*x));
	struct write_job text = { .n = WRITE_N }, bin = { .n = WRITE_N };
	struct side a = { 0 }, b = { 0 };
	const char *stop = "";
	int rc = -1;

	if (!x)
		return -1;
	fill_random(x, WRITE_N, 5);
	text.x = bin.x = x;
	text.f = tmpfile();
	bin.f = tmpfile();
	if (!text.f || !bin.f) {
		fprintf(stderr, "perfkit-timeit: cannot create a temporary file: %s\n",
			strerror(errno));
		goto out;
	}
	rc = side_init(&a, "text: fprintf(\"%.17g\")", write_text, &text);
	if (rc == 0)
		rc = side_init(&b, "binary: fwrite", write_binary, &bin);
	printf("\n(b) write %d doubles to a temporary file, rewound and flushed "
	       "each call\n", WRITE_N);
	if (rc == 0)
		rc = compare(&a, &b, o, &stop);
	if (rc == 0 && (text.failed || bin.failed)) {
		fprintf(stderr, "perfkit-timeit: writing the temporary file failed\n");
		rc = -1;
	}
	if (rc == 0) {
		print_header();
		print_row(&a, stop, WRITE_N, (double)text.bytes);
		print_row(&b, stop, WRITE_N, (double)bin.bytes);
		print_ratio(&a, &b, "binary is");
		printf("     file sizes: text %ld bytes (%.1f per value, exact "
		       "with %%.17g), binary %ld bytes (8 per value)\n",
		       text.bytes, (double)text.bytes / WRITE_N, bin.bytes);
	}
out:
	side_fini(&a);
	side_fini(&b);
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
		"  --max-time SECONDS  time budget per implementation (default 2;\n"
		"                      four implementations are timed)\n"
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

int main(int argc, char **argv)
{
	struct options o = { PERFKIT_RUNNER_DEFAULT_PRECISION,
			     PERFKIT_RUNNER_DEFAULT_MAX_TIME };
	struct perfkit_clock_info clk;
	uint64_t t0 = perfkit_now_ns();
	int rc = parse_args(argc, argv, &o);

	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (perfkit_clock_measure(PERFKIT_CLOCK_MONOTONIC, &clk) < 0) {
		fprintf(stderr, "perfkit-timeit: %s\n", perfkit_last_error());
		return 1;
	}

	printf("perfkit-timeit %s: the same work done two ways, timed by "
	       "libperfkit's runner\n", perfkit_version_string());
	printf("clock: monotonic, resolution %.0f ns, one read costs %.1f ns "
	       "(in every sample: see 'clock'; not subtracted)\n",
	       clk.observed_resolution_ns, clk.overhead_ns);
	printf("rule:  samples of >= %.0f ms, taken in rounds of %d per "
	       "implementation, alternating (AB, BA, ...);\n"
	       "       stop when both medians are known to +-%.2g%% (95%% CI) "
	       "or after %.3g s per implementation.\n"
	       "       Times are per call.\n",
	       fmax(PERFKIT_RUNNER_DEFAULT_MIN_SAMPLE_TIME,
		    PERFKIT_RUNNER_RESOLUTION_FACTOR * clk.observed_resolution_ns * 1e-9) * 1e3,
	       ROUND_SAMPLES, o.precision * 100, o.max_time);

	rc = case_vectorise(&o);
	if (rc == 0)
		rc = case_text_binary(&o);
	if (rc < 0)
		return 1;
	printf("\nMAD = median absolute deviation (raw, %% of the median); "
	       "outl = values with |modified z| > 3.5,\ncounted, not removed; "
	       "clock = one clock read as a share of a sample. Total %.1f s.\n",
	       (double)(perfkit_now_ns() - t0) * 1e-9);
	return 0;
}
