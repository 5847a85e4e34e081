/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "common.h"
#include "runner-private.h"
#include "perfkit/runner.h"
#include "perfkit/stats.h"
#include "perfkit/timer.h"

/* Calibration aims this far above the minimum so that ordinary jitter
 * rarely drops a sample below it. */
#define CALIBRATION_MARGIN 1.2
/* Below a tenth of the target a sample says little about the rate: grow
 * the count tenfold instead of extrapolating (as Google Benchmark does). */
#define CALIBRATION_SIGNIFICANT 0.1

typedef void (*pk_work_fn)(void *user, uint64_t iterations);

struct perfkit_runner {
	uint64_t warmup_samples;
	double warmup_s;
	double min_sample_s;
	uint64_t fixed_iterations; /* 0: calibrate */
	uint64_t max_iterations;
	uint64_t min_samples, max_samples;
	double max_time_s;
	double precision;
	/* test hook: a fake clock and its fake properties */
	uint64_t (*now)(void *ctx);
	void *now_ctx;
	double fake_resolution_ns, fake_overhead_ns;
};

struct perfkit_runner_result {
	struct perfkit_stats stats;
	double *samples;
	size_t n, cap;
	uint64_t iterations;
	enum perfkit_runner_stop stop;
	double overhead_ns, resolution_ns, elapsed_ns;
};

/* State of one perfkit_runner_run(). */
struct run {
	const struct perfkit_runner *opt;
	pk_work_fn fn;
	void *user;
	uint64_t start;
	double target_ns;
	struct perfkit_runner_result *res;
};

static uint64_t clock_now(const struct perfkit_runner *r)
{
	return r->now ? r->now(r->now_ctx) : perfkit_now_ns();
}

/* One call of fn, in ns. */
static double time_once(const struct run *run, uint64_t iterations)
{
	uint64_t t0 = clock_now(run->opt);

	run->fn(run->user, iterations);
	return (double)(clock_now(run->opt) - t0);
}

static int bad_seconds(double s)
{
	return !(s > 0.0) || isnan(s);
}

PERFKIT_EXPORT int perfkit_runner_new(struct perfkit_runner **out)
{
	struct perfkit_runner *r;

	if (!out)
		return pk_error(-EINVAL, "perfkit_runner_new: out is NULL");
	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return pk_error(-ENOMEM, "perfkit_runner_new: out of memory");
	r->warmup_samples = 1;
	r->warmup_s = 0.0;
	r->min_sample_s = PERFKIT_RUNNER_DEFAULT_MIN_SAMPLE_TIME;
	r->max_iterations = PERFKIT_RUNNER_DEFAULT_MAX_ITERATIONS;
	r->min_samples = PERFKIT_RUNNER_DEFAULT_MIN_SAMPLES;
	r->max_samples = PERFKIT_RUNNER_DEFAULT_MAX_SAMPLES;
	r->max_time_s = PERFKIT_RUNNER_DEFAULT_MAX_TIME;
	r->precision = PERFKIT_RUNNER_DEFAULT_PRECISION;
	*out = r;
	return 0;
}

PERFKIT_EXPORT void perfkit_runner_destroy(struct perfkit_runner *runner)
{
	free(runner);
}

PERFKIT_EXPORT int perfkit_runner_set_warmup(struct perfkit_runner *runner,
					     uint64_t samples, double seconds)
{
	if (!runner)
		return pk_error(-EINVAL, "perfkit_runner_set_warmup: runner is NULL");
	if (!(seconds >= 0.0) || !isfinite(seconds))
		return pk_error(-EINVAL, "perfkit_runner_set_warmup: warm-up time "
				"must be finite and >= 0 s, got %g", seconds);
	runner->warmup_samples = samples;
	runner->warmup_s = seconds;
	return 0;
}

PERFKIT_EXPORT int perfkit_runner_set_min_sample_time(struct perfkit_runner *runner,
						      double seconds)
{
	if (!runner)
		return pk_error(-EINVAL, "perfkit_runner_set_min_sample_time: "
				"runner is NULL");
	if (bad_seconds(seconds) || !isfinite(seconds))
		return pk_error(-EINVAL, "perfkit_runner_set_min_sample_time: "
				"must be finite and > 0 s, got %g", seconds);
	runner->min_sample_s = seconds;
	return 0;
}

PERFKIT_EXPORT int perfkit_runner_set_iterations(struct perfkit_runner *runner,
						 uint64_t iterations)
{
	if (!runner)
		return pk_error(-EINVAL, "perfkit_runner_set_iterations: runner is NULL");
	runner->fixed_iterations = iterations;
	return 0;
}

PERFKIT_EXPORT int perfkit_runner_set_max_iterations(struct perfkit_runner *runner,
						     uint64_t iterations)
{
	if (!runner)
		return pk_error(-EINVAL, "perfkit_runner_set_max_iterations: "
				"runner is NULL");
	if (iterations == 0)
		return pk_error(-EINVAL, "perfkit_runner_set_max_iterations: "
				"the cap must be >= 1");
	runner->max_iterations = iterations;
	return 0;
}

PERFKIT_EXPORT int perfkit_runner_set_samples(struct perfkit_runner *runner,
					      uint64_t min, uint64_t max)
{
	if (!runner)
		return pk_error(-EINVAL, "perfkit_runner_set_samples: runner is NULL");
	if (min == 0 || max < min)
		return pk_error(-EINVAL, "perfkit_runner_set_samples: need "
				"1 <= min <= max, got min %llu, max %llu",
				(unsigned long long)min, (unsigned long long)max);
	runner->min_samples = min;
	runner->max_samples = max;
	return 0;
}

PERFKIT_EXPORT int perfkit_runner_set_max_time(struct perfkit_runner *runner,
					       double seconds)
{
	if (!runner)
		return pk_error(-EINVAL, "perfkit_runner_set_max_time: runner is NULL");
	if (bad_seconds(seconds))
		return pk_error(-EINVAL, "perfkit_runner_set_max_time: the budget "
				"must be > 0 s (or +inf), got %g", seconds);
	runner->max_time_s = seconds;
	return 0;
}

PERFKIT_EXPORT int perfkit_runner_set_precision(struct perfkit_runner *runner,
						double relative)
{
	if (!runner)
		return pk_error(-EINVAL, "perfkit_runner_set_precision: runner is NULL");
	if (!(relative > 0.0) || !isfinite(relative))
		return pk_error(-EINVAL, "perfkit_runner_set_precision: must be "
				"finite and > 0 (0.01 = 1 %%), got %g", relative);
	runner->precision = relative;
	return 0;
}

int pk_runner_set_clock(struct perfkit_runner *runner,
			uint64_t (*now)(void *ctx), void *ctx,
			double resolution_ns, double overhead_ns)
{
	if (!runner)
		return -EINVAL;
	runner->now = now;
	runner->now_ctx = ctx;
	runner->fake_resolution_ns = resolution_ns;
	runner->fake_overhead_ns = overhead_ns;
	return 0;
}

/* Resolution and read cost of the clock the runner uses. */
static int measure_clock(const struct perfkit_runner *r,
			 struct perfkit_runner_result *res)
{
	struct perfkit_clock_info info;
	int rc;

	if (r->now) {
		res->resolution_ns = r->fake_resolution_ns;
		res->overhead_ns = r->fake_overhead_ns;
		return 0;
	}
	rc = perfkit_clock_measure(PERFKIT_CLOCK_MONOTONIC, &info);
	if (rc < 0)
		return rc;
	res->resolution_ns = info.observed_resolution_ns > 0 ?
		info.observed_resolution_ns : info.reported_resolution_ns;
	res->overhead_ns = info.overhead_ns;
	return 0;
}

/*
 * Find the iteration count whose sample lasts at least target_ns: start at
 * 1, grow tenfold while a sample is under a tenth of the target, else
 * extrapolate to CALIBRATION_MARGIN × target. A count is accepted only if
 * the faster of two calls reaches the target: one call stretched by
 * preemption would otherwise fix a count far too small. Fails at the cap.
 */
static int calibrate(struct run *run, uint64_t *iterations)
{
	const struct perfkit_runner *r = run->opt;
	uint64_t n = 1;
	double t, next;

	if (r->fixed_iterations) {
		*iterations = r->fixed_iterations;
		return 0;
	}
	for (;;) {
		t = time_once(run, n);
		if (t >= run->target_ns)
			t = fmin(t, time_once(run, n));
		if (t >= run->target_ns)
			break;
		if (n >= r->max_iterations)
			return pk_error(-ERANGE, "perfkit_runner_run: %llu iterations "
					"took %.0f ns, under the %.0f ns a sample "
					"needs, at the iteration cap; does the "
					"function do its work (or was it "
					"optimised away)?",
					(unsigned long long)n, t, run->target_ns);
		if (t < CALIBRATION_SIGNIFICANT * run->target_ns)
			next = (double)n * 10.0;
		else
			next = ceil((double)n * CALIBRATION_MARGIN *
				    run->target_ns / t);
		if (next <= (double)n)
			next = (double)n + 1.0;
		n = next >= (double)r->max_iterations ? r->max_iterations :
			(uint64_t)next;
	}
	*iterations = n;
	return 0;
}

static void warm_up(struct run *run)
{
	const struct perfkit_runner *r = run->opt;
	uint64_t begin = clock_now(r), done = 0;

	while (done < r->warmup_samples ||
	       (double)(clock_now(r) - begin) < r->warmup_s * 1e9) {
		time_once(run, run->res->iterations);
		done++;
	}
}

static int push_sample(struct perfkit_runner_result *res, double ns)
{
	if (res->n == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 64;
		double *s = realloc(res->samples, cap * sizeof(*s));

		if (!s)
			return pk_error(-ENOMEM, "perfkit_runner_run: cannot keep "
					"%zu samples", cap);
		res->samples = s;
		res->cap = cap;
	}
	res->samples[res->n++] = ns;
	return 0;
}

/* Is the median's CI narrow enough? Checked at every sample up to 64, then
 * every n/64-th, so that the checks cost O(n log n) in total. */
static int precise_enough(const struct run *run, uint64_t *next_check)
{
	const struct perfkit_runner_result *res = run->res;
	struct perfkit_stats st;
	uint64_t n = res->n;

	if (n < PERFKIT_RUNNER_PRECISION_MIN_SAMPLES || n < *next_check)
		return 0;
	*next_check = n + (n > 64 ? n / 64 : 1);
	if (perfkit_stats_compute(res->samples, n, &st) < 0 || !(st.median > 0))
		return 0;
	return (st.ci_high - st.ci_low) / 2.0 / st.median <= run->opt->precision;
}

/* Take samples until a stop rule fires; min_samples come first. */
static int take_samples(struct run *run)
{
	const struct perfkit_runner *r = run->opt;
	struct perfkit_runner_result *res = run->res;
	uint64_t next_check = 0;
	double budget_ns = r->max_time_s * 1e9;
	int rc;

	for (;;) {
		double t = time_once(run, res->iterations);
		double spent = (double)(clock_now(r) - run->start);

		rc = push_sample(res, t / (double)res->iterations);
		if (rc < 0)
			return rc;
		if (res->n < r->min_samples)
			continue;
		if (precise_enough(run, &next_check)) {
			res->stop = PERFKIT_RUNNER_STOP_PRECISION;
			return 0;
		}
		if (res->n >= r->max_samples) {
			res->stop = PERFKIT_RUNNER_STOP_SAMPLES;
			return 0;
		}
		if (spent + t > budget_ns) {
			res->stop = PERFKIT_RUNNER_STOP_TIME;
			return 0;
		}
	}
}

PERFKIT_EXPORT int perfkit_runner_run(struct perfkit_runner *runner,
				      void (*fn)(void *user, uint64_t iterations),
				      void *user, struct perfkit_runner_result **out)
{
	struct perfkit_runner_result *res;
	struct run run;
	int rc;

	if (out)
		*out = NULL;
	if (!runner || !fn || !out)
		return pk_error(-EINVAL, "perfkit_runner_run: %s is NULL",
				!runner ? "runner" : !fn ? "fn" : "out");
	res = calloc(1, sizeof(*res));
	if (!res)
		return pk_error(-ENOMEM, "perfkit_runner_run: out of memory");
	rc = measure_clock(runner, res);
	if (rc < 0)
		goto fail;

	run = (struct run){ .opt = runner, .fn = fn, .user = user, .res = res };
	run.target_ns = fmax(runner->min_sample_s * 1e9,
			     PERFKIT_RUNNER_RESOLUTION_FACTOR * res->resolution_ns);
	run.start = clock_now(runner);
	rc = calibrate(&run, &res->iterations);
	if (rc < 0)
		goto fail;
	warm_up(&run);
	rc = take_samples(&run);
	if (rc < 0)
		goto fail;
	res->elapsed_ns = (double)(clock_now(runner) - run.start);
	rc = perfkit_stats_compute(res->samples, res->n, &res->stats);
	if (rc < 0)
		goto fail;
	*out = res;
	return 0;
fail:
	perfkit_runner_result_destroy(res);
	return rc;
}

PERFKIT_EXPORT void perfkit_runner_result_destroy(struct perfkit_runner_result *result)
{
	if (!result)
		return;
	free(result->samples);
	free(result);
}

PERFKIT_EXPORT int perfkit_runner_result_stats(const struct perfkit_runner_result *result,
					       struct perfkit_stats *out)
{
	if (!result || !out)
		return pk_error(-EINVAL, "perfkit_runner_result_stats: %s is NULL",
				!result ? "result" : "out");
	*out = result->stats;
	return 0;
}

PERFKIT_EXPORT int perfkit_runner_result_samples(const struct perfkit_runner_result *result,
						 const double **ns, size_t *n)
{
	if (!result || !ns || !n)
		return pk_error(-EINVAL, "perfkit_runner_result_samples: %s is NULL",
				!result ? "result" : !ns ? "ns" : "n");
	*ns = result->samples;
	*n = result->n;
	return 0;
}

PERFKIT_EXPORT uint64_t
perfkit_runner_result_iterations(const struct perfkit_runner_result *result)
{
	return result ? result->iterations : 0;
}

PERFKIT_EXPORT enum perfkit_runner_stop
perfkit_runner_result_stop_reason(const struct perfkit_runner_result *result)
{
	return result ? result->stop : (enum perfkit_runner_stop)0;
}

PERFKIT_EXPORT double
perfkit_runner_result_timer_overhead_ns(const struct perfkit_runner_result *result)
{
	return result ? result->overhead_ns : NAN;
}

PERFKIT_EXPORT double
perfkit_runner_result_timer_resolution_ns(const struct perfkit_runner_result *result)
{
	return result ? result->resolution_ns : NAN;
}

PERFKIT_EXPORT double
perfkit_runner_result_elapsed_ns(const struct perfkit_runner_result *result)
{
	return result ? result->elapsed_ns : NAN;
}

PERFKIT_EXPORT const char *perfkit_runner_stop_name(enum perfkit_runner_stop reason)
{
	switch (reason) {
	case PERFKIT_RUNNER_STOP_PRECISION:
		return "precision";
	case PERFKIT_RUNNER_STOP_SAMPLES:
		return "samples";
	case PERFKIT_RUNNER_STOP_TIME:
		return "time";
	}
	return "unknown";
}
