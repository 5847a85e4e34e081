/* SPDX-License-Identifier: MIT */
/* The FLOPS harness: options, both runners with every placement, faults
 * injected through user kernels, sweeps, and the aggregates checked
 * exactly on hand-made result sets. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "pk-results-check.h"
#include "perfkit/perfkit.h"

/* Small, quick options: 2 workers of a tiny dgemm, twice. */
static struct perfkit_harness_options small(const char *kernel, int64_t n)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;

	o.kernel = kernel;
	o.problem_size = n;
	o.loopcount = 2;
	o.workers = 2;
	return o;
}

static const char *param(const struct perfkit_record *r, const char *key)
{
	const char *v = NULL;

	ck_assert_msg(perfkit_record_get_param(r, key, &v) == 0, "no param %s", key);
	return v;
}

static const char *extra(const struct perfkit_results *res, size_t i, const char *key)
{
	static char buf[512];

	ck_assert_msg(perfkit_results_value(res, i, key, buf, sizeof(buf)) == 0,
		      "record %zu has no %s", i, key);
	return buf;
}

/* ---- options ---- */

START_TEST(test_defaults)
{
	struct perfkit_harness_options o;

	ck_assert_int_eq(perfkit_harness_options_init(&o), 0);
	ck_assert_uint_eq(o.size, sizeof(o));
	ck_assert_str_eq(o.kernel, "dgemm");
	ck_assert_int_eq(o.problem_size, 1024);
	ck_assert_uint_eq(o.loopcount, 10);
	ck_assert_uint_eq(o.workers, 0);
	ck_assert_int_eq(o.placement, PERFKIT_HARNESS_PLACE_COMPACT);
	ck_assert_int_eq(o.mode, PERFKIT_HARNESS_THREADS);
	ck_assert_int_eq(o.start, PERFKIT_HARNESS_START_BARRIER);
	ck_assert_int_eq(o.verify, 1);
	ck_assert_int_eq(perfkit_harness_options_check(&o), 0);
	ck_assert_fails(perfkit_harness_options_init(NULL), -EINVAL, "NULL");
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(perfkit_harness_mode_name(PERFKIT_HARNESS_THREADS), "threads");
	ck_assert_str_eq(perfkit_harness_mode_name(PERFKIT_HARNESS_PROCESSES), "processes");
	ck_assert_str_eq(perfkit_harness_mode_name((enum perfkit_harness_mode)9), "unknown");
	ck_assert_str_eq(perfkit_harness_placement_name(PERFKIT_HARNESS_PLACE_NONE), "none");
	ck_assert_str_eq(perfkit_harness_placement_name(PERFKIT_HARNESS_PLACE_COMPACT), "compact");
	ck_assert_str_eq(perfkit_harness_placement_name(PERFKIT_HARNESS_PLACE_SCATTER), "scatter");
	ck_assert_str_eq(perfkit_harness_placement_name((enum perfkit_harness_placement)-1),
			 "unknown");
	ck_assert_str_eq(perfkit_harness_start_name(PERFKIT_HARNESS_START_BARRIER), "barrier");
	ck_assert_str_eq(perfkit_harness_start_name(PERFKIT_HARNESS_START_STAGGERED), "staggered");
	ck_assert_str_eq(perfkit_harness_start_name((enum perfkit_harness_start)3), "unknown");
}
END_TEST

/* Each bad option: -EINVAL from check and from run, with a message, and
 * no set. */
static void bad(struct perfkit_harness_options o, const char *text)
{
	struct perfkit_results *res = (struct perfkit_results *)&res;

	ck_assert_fails(perfkit_harness_options_check(&o), -EINVAL, text);
	ck_assert_fails(perfkit_harness_run(&o, &res), -EINVAL, text);
	ck_assert_ptr_null(res);
}

START_TEST(test_invalid_options)
{
	struct perfkit_harness_options o = small("dgemm", 64), b;

	b = o, b.size = 8;                        bad(b, "size 8 is too small");
	b = o, b.kernel = NULL;                   bad(b, "kernel is NULL");
	b = o, b.kernel = "no-such-kernel";       bad(b, "unknown kernel 'no-such-kernel'");
	b = o, b.kernel = "";                     bad(b, "registered: dgemm");
	b = o, b.problem_size = 0;                bad(b, "problem size 0");
	b = o, b.problem_size = -5;               bad(b, "problem size -5");
	b = o, b.loopcount = 0;                   bad(b, "both 0");
	b = o, b.min_time = 1;                    bad(b, "both set");
	b = o, b.loopcount = 0, b.min_time = NAN; bad(b, "min_time = nan");
	b = o, b.loopcount = 0, b.min_time = -1;  bad(b, "min_time = -1");
	b = o, b.loopcount = 0, b.min_time = INFINITY; bad(b, "min_time = inf");
	b = o, b.loopcount = 0, b.min_time = 1e9; bad(b, "from 0 to 86400");
	b = o, b.workers = PERFKIT_HARNESS_WORKERS_MAX + 1; bad(b, "4097 workers");
	b = o, b.workers = UINT32_MAX;            bad(b, "at most 4096");
	b = o, b.threads = PERFKIT_KERNEL_THREADS_MAX + 1; bad(b, "threads per worker");
	b = o, b.mode = (enum perfkit_harness_mode)2; bad(b, "mode 2");
	b = o, b.placement = (enum perfkit_harness_placement)7; bad(b, "placement 7");
	b = o, b.start = (enum perfkit_harness_start)-1; bad(b, "start -1");
	b = o, b.stagger = 0.5;                   bad(b, "needs the staggered start");
	b = o, b.start = PERFKIT_HARNESS_START_STAGGERED, b.stagger = -1; bad(b, "stagger = -1");
	b = o, b.start = PERFKIT_HARNESS_START_STAGGERED, b.stagger = NAN; bad(b, "stagger = nan");
	b = o, b.peak_reference = -0.5;           bad(b, "peak_reference = -0.5");
	b = o, b.peak_reference = 61;             bad(b, "from 0 to 60");
	b = o, b.peak_reference = NAN;            bad(b, "peak_reference = nan");
}
END_TEST

START_TEST(test_null_arguments)
{
	struct perfkit_harness_options o = small("dgemm", 64);
	struct perfkit_results *res = NULL;

	ck_assert_fails(perfkit_harness_options_check(NULL), -EINVAL, "opt is NULL");
	ck_assert_fails(perfkit_harness_run(NULL, &res), -EINVAL, "opt is NULL");
	ck_assert_ptr_null(res);
	ck_assert_fails(perfkit_harness_run(&o, NULL), -EINVAL, "out is NULL");
	ck_assert_fails(perfkit_harness_sweep_workers(&o, NULL, 0, NULL), -EINVAL, "out is NULL");
	ck_assert_fails(perfkit_harness_sweep_workers(NULL, NULL, 0, &res), -EINVAL, "opt is NULL");
	ck_assert_fails(perfkit_harness_sweep_sizes(&o, NULL, 1, &res), -EINVAL, "no problem sizes");
	ck_assert_fails(perfkit_harness_sweep_sizes(NULL, (int64_t[]){ 8 }, 1, &res), -EINVAL,
			"opt is NULL");
	ck_assert_fails(perfkit_harness_sweep_sizes(&o, (int64_t[]){ 8 }, 1, NULL), -EINVAL,
			"out is NULL");
}
END_TEST

/* ---- real runs ---- */

/* What every successful worker record of a run of @o must say. */
static void check_worker(const struct perfkit_results *res, size_t i,
			 const struct perfkit_harness_options *o, unsigned workers,
			 int worker)
{
	const struct perfkit_record *r = at(res, i);
	const struct perfkit_kernel *k;
	double flops, bytes;
	char w[16];

	ck_assert_int_eq(perfkit_kernel_find(o->kernel, &k), 0);
	ck_assert_msg(r->status == 0, "worker %zu: status %d", i, r->status);
	ck_assert_str_eq(r->name, o->kernel);
	ck_assert_int_eq(r->worker, worker);
	ck_assert_int_eq(r->rank, -1);
	ck_assert_int_ge(r->cpu, 0);
	ck_assert_int_eq(r->problem_size, o->problem_size);
	if (o->loopcount)
		ck_assert_uint_eq(r->repetitions, o->loopcount);
	ck_assert_int_eq(perfkit_kernel_flops(k, o->problem_size, r->repetitions, &flops), 0);
	ck_assert_int_eq(perfkit_kernel_bytes(k, o->problem_size, r->repetitions, &bytes), 0);
	ck_assert(r->flops == flops);
	ck_assert(r->bytes == bytes);
	ck_assert(isfinite(r->elapsed) && r->elapsed > 0);
	/* the five timestamps, in order, on one axis */
	ck_assert(isfinite(r->t_submit) && r->t_submit >= 0);
	ck_assert(r->t_start >= r->t_submit);
	ck_assert(r->t_setup >= r->t_start);
	ck_assert(r->t_end > r->t_setup);
	ck_assert(r->t_collected >= r->t_end);
	ck_assert_close(r->t_end - r->t_setup, r->elapsed, 1e-5);
	snprintf(w, sizeof(w), "%u", workers);
	ck_assert_str_eq(param(r, "workers"), w);
	ck_assert_str_eq(param(r, "mode"), perfkit_harness_mode_name(o->mode));
	ck_assert_str_eq(param(r, "placement"), perfkit_harness_placement_name(o->placement));
	ck_assert_str_eq(param(r, "threads"), o->threads > 1 ? "2" : "1");
}

static void check_record(const struct perfkit_results *res, size_t i,
			 const struct perfkit_harness_options *o, unsigned workers)
{
	check_worker(res, i, o, workers, (int)i);
}

/* Logical index of the core holding PU @cpu. */
static unsigned core_of(int cpu)
{
	const struct perfkit_machine *m;
	unsigned core = 0;

	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	ck_assert_int_eq(perfkit_machine_pu(m, (unsigned)cpu, NULL, &core, NULL), 0);
	return core;
}

/* The n-th allowed core in logical order (what compact placement uses). */
static unsigned nth_allowed_core(unsigned n)
{
	const struct perfkit_machine *m;
	unsigned last = ~0u, cores[4096], ncores = 0;

	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	for (unsigned pu = 0; pu < perfkit_machine_pus(m); pu++) {
		unsigned core;
		int allowed;

		ck_assert_int_eq(perfkit_machine_pu(m, pu, NULL, &core, &allowed), 0);
		if (allowed && core != last && ncores < 4096)
			cores[ncores++] = core, last = core;
	}
	ck_assert_uint_gt(ncores, 0);
	return cores[n % ncores];
}

static void run_and_check(struct perfkit_harness_options o)
{
	struct perfkit_results *res = NULL;
	int rc = perfkit_harness_run(&o, &res);

	ck_assert_msg(rc == 0, "%s/%s: %s", perfkit_harness_mode_name(o.mode),
		      perfkit_harness_placement_name(o.placement), perfkit_last_error());
	ck_assert_ptr_nonnull(res);
	ck_assert_uint_eq(perfkit_results_count(res), 2);
	for (size_t i = 0; i < 2; i++)
		check_record(res, i, &o, 2);
	if (o.placement == PERFKIT_HARNESS_PLACE_COMPACT)
		for (unsigned i = 0; i < 2; i++)
			ck_assert_uint_eq(core_of(at(res, i)->cpu), nth_allowed_core(i));
	if (o.placement == PERFKIT_HARNESS_PLACE_SCATTER && nth_allowed_core(1) != nth_allowed_core(0))
		ck_assert_uint_ne(core_of(at(res, 0)->cpu), core_of(at(res, 1)->cpu));
	ck_assert_str_eq(meta(res, "harness.kernel"), o.kernel);
	ck_assert_str_eq(meta(res, "harness.size"), "64");
	ck_assert_str_eq(meta(res, "harness.loopcount"), "2");
	ck_assert_str_eq(meta(res, "harness.workers"), "2");
	ck_assert_str_eq(meta(res, "harness.mode"), perfkit_harness_mode_name(o.mode));
	ck_assert_str_eq(meta(res, "harness.placement"),
			 perfkit_harness_placement_name(o.placement));
	ck_assert_ptr_nonnull(meta(res, "machine.topology.cores"));
	perfkit_results_destroy(res);
}

START_TEST(test_modes_and_placements)
{
	static const enum perfkit_harness_mode modes[] = {
		PERFKIT_HARNESS_THREADS, PERFKIT_HARNESS_PROCESSES,
	};
	static const enum perfkit_harness_placement places[] = {
		PERFKIT_HARNESS_PLACE_NONE, PERFKIT_HARNESS_PLACE_COMPACT,
		PERFKIT_HARNESS_PLACE_SCATTER,
	};

	for (int m = 0; m < 2; m++) {
		for (int p = 0; p < 3; p++) {
			struct perfkit_harness_options o = small("dgemm", 64);

			o.mode = modes[m];
			o.placement = places[p];
			run_and_check(o);
		}
	}
}
END_TEST

START_TEST(test_staggered_warmup_threads)
{
	for (int m = 0; m < 2; m++) {
		struct perfkit_harness_options o = small("dgemm", 64);
		struct perfkit_results *res = NULL;

		o.mode = m ? PERFKIT_HARNESS_PROCESSES : PERFKIT_HARNESS_THREADS;
		o.start = PERFKIT_HARNESS_START_STAGGERED;
		o.stagger = 0.002;
		o.warmup = 1;
		o.threads = 2;
		ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
		check_record(res, 0, &o, 2);
		check_record(res, 1, &o, 2);
		ck_assert(at(res, 1)->t_submit - at(res, 0)->t_submit >= 0.0019);
		ck_assert_str_eq(meta(res, "harness.start"), "staggered");
		ck_assert_str_eq(meta(res, "harness.warmup"), "1");
		ck_assert_str_eq(meta(res, "harness.threads"), "2");
		perfkit_results_destroy(res);
	}
}
END_TEST

START_TEST(test_min_time)
{
	struct perfkit_harness_options o = small("triad", 1000);
	struct perfkit_results *res = NULL;

	o.loopcount = 0;
	o.min_time = 0.02;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	for (size_t i = 0; i < 2; i++) {
		check_record(res, i, &o, 2);
		ck_assert_uint_ge(at(res, i)->repetitions, 1);
		ck_assert(at(res, i)->elapsed >= 0.02);
	}
	ck_assert_str_eq(meta(res, "harness.loopcount"), "0");
	ck_assert_str_eq(meta(res, "harness.min_time"), "0.02");
	perfkit_results_destroy(res);
}
END_TEST

/* Where the theoretical peak is known, so are the clock under the peak
 * loop's load, measured on @cores cores at once, and the peak at that
 * clock (values: positive and finite). */
static void check_peak_clock_meta(const struct perfkit_results *res, unsigned cores)
{
	const struct perfkit_machine *m;
	const char *v;
	double core_peak, at_clock, ghz, scalar, measured;

	if (perfkit_results_meta_get(res, "harness.core_peak_gflops", &v) != 0)
		return;
	core_peak = atof(v);
	/* Two outcomes only. The clock was not measured (valgrind emulates
	 * the loop; a busy host may take the vCPUs away during most pairs of
	 * both tries): then no clock key, and the reason. */
	if (perfkit_results_meta_get(res, "harness.peak_clock_ghz", &v) != 0) {
		const char *why = meta(res, "harness.peak_clock_error");

		ck_assert_msg(strstr(why, "not measured in 2 tries: ") == why &&
			      strlen(why) > strlen("not measured in 2 tries: "), "%s", why);
		ck_assert_int_ne(perfkit_results_meta_get(res, "harness.peak_clock_scalar_ghz", &v), 0);
		ck_assert_int_ne(perfkit_results_meta_get(res, "harness.peak_clock_isa", &v), 0);
		ck_assert_int_ne(perfkit_results_meta_get(res, "harness.peak_clock_cores", &v), 0);
		ck_assert_int_ne(perfkit_results_meta_get(res, "harness.peak_pairs_share", &v), 0);
		ck_assert_int_ne(perfkit_results_meta_get(res,
				 "harness.core_peak_gflops_at_peak_clock", &v), 0);
		return;
	}
	/* Or it was: every key, and no reason. */
	ck_assert_int_ne(perfkit_results_meta_get(res, "harness.peak_clock_error", &v), 0);
	ghz = atof(meta(res, "harness.peak_clock_ghz"));
	scalar = atof(meta(res, "harness.peak_clock_scalar_ghz"));
	at_clock = atof(meta(res, "harness.core_peak_gflops_at_peak_clock"));
	ck_assert(isfinite(ghz) && ghz > 0 && isfinite(scalar) && scalar > 0);
	ck_assert(isfinite(at_clock) && at_clock > 0);
	/* the same flops/cycle, at another clock */
	ck_assert_str_eq(meta(res, "harness.peak_clock_isa"), perfkit_kernel_peak_isa());
	ck_assert_uint_eq(strtoul(meta(res, "harness.peak_clock_cores"), NULL, 10), cores);
	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	ck_assert_int_eq(perfkit_machine_clock_measured(m, &measured, NULL), 0);
	ck_assert_close(at_clock / ghz, core_peak / measured, 1e-9);
	/* the pairs: a share and its uncertainty, both finite and >= 0 */
	ck_assert_uint_ge(strtoul(meta(res, "harness.peak_pairs"), NULL, 10), 1);
	ck_assert(atof(meta(res, "harness.peak_pairs_share")) > 0);
	ck_assert(atof(meta(res, "harness.peak_share_uncertainty")) >= 0);
	ck_assert(atof(meta(res, "harness.peak_pairs_share_uncertainty")) >= 0);
}

START_TEST(test_default_workers_and_peak_reference)
{
	struct perfkit_harness_options o = small("dgemm", 32);
	const struct perfkit_machine *m;
	struct perfkit_results *res = NULL;
	struct perfkit_harness_summary s;
	char want[16];

	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	o.workers = 0;
	o.peak_reference = 0.01;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), perfkit_machine_allowed_cores(m));
	snprintf(want, sizeof(want), "%u", perfkit_machine_allowed_cores(m));
	ck_assert_str_eq(meta(res, "harness.workers"), want);
	ck_assert(atof(meta(res, "harness.peak_kernel_gflops_per_worker")) > 0);
	/* one worker per core: the rate per core is the rate per worker */
	ck_assert_close(atof(meta(res, "harness.peak_kernel_gflops_per_core")),
			atof(meta(res, "harness.peak_kernel_gflops_per_worker")), 1e-12);
	check_peak_clock_meta(res, perfkit_machine_allowed_cores(m));
	ck_assert_int_eq(perfkit_harness_summarize(res, &s), 0);
	ck_assert(isfinite(s.fraction_peak_kernel) && s.fraction_peak_kernel > 0);
	ck_assert(s.peak_gflops > 0 && isfinite(s.peak_gflops));
	ck_assert(s.effective_gflops > 0 && s.effective_gflops <= s.peak_gflops * 1.0000001);
	perfkit_results_destroy(res);
}
END_TEST

/* The loaded clock is measured on as many cores as the run keeps busy:
 * one worker, one core; more workers than cores, every core. */
START_TEST(test_peak_clock_cores)
{
	struct perfkit_harness_options o = small("dgemm", 16);
	const struct perfkit_machine *m;
	struct perfkit_results *res = NULL;
	unsigned cores;

	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	cores = perfkit_machine_allowed_cores(m);
	o.workers = 1;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	check_peak_clock_meta(res, 1);
	perfkit_results_destroy(res);
	res = NULL;
	o.workers = cores + 1;
	o.placement = PERFKIT_HARNESS_PLACE_NONE;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	check_peak_clock_meta(res, cores);
	perfkit_results_destroy(res);
}
END_TEST

struct progress_log {
	unsigned calls, last_done, total;
	int bad;
};

static void on_progress(const struct perfkit_harness_progress *p, void *userdata)
{
	struct progress_log *log = userdata;

	log->calls++;
	if (p->size != sizeof(*p) || p->done != log->last_done + 1 || !p->record ||
	    p->point != 0 || p->points != 1 || p->record->worker < 0)
		log->bad = 1;
	log->last_done = p->done;
	log->total = p->total;
}

START_TEST(test_progress)
{
	for (int m = 0; m < 2; m++) {
		struct perfkit_harness_options o = small("dgemm", 32);
		struct progress_log log = { 0 };
		struct perfkit_results *res = NULL;

		o.mode = m ? PERFKIT_HARNESS_PROCESSES : PERFKIT_HARNESS_THREADS;
		o.progress = on_progress;
		o.userdata = &log;
		ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
		ck_assert_uint_eq(log.calls, 2);
		ck_assert_uint_eq(log.total, 2);
		ck_assert_int_eq(log.bad, 0);
		perfkit_results_destroy(res);
	}
}
END_TEST

struct submit_log {
	struct progress_log progress;
	unsigned calls, progress_at_hook;
	int64_t realtime_ns; /* of the last call */
};

static void on_before_submit(void *userdata)
{
	struct submit_log *log = userdata;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	log->calls++;
	log->progress_at_hook += log->progress.calls;
	log->realtime_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void on_progress_logged(const struct perfkit_harness_progress *p, void *userdata)
{
	struct submit_log *log = userdata;

	log->progress.calls++;
	(void)p;
}

START_TEST(test_before_submit)
{
	struct perfkit_harness_options o = small("dgemm", 32);
	struct submit_log log = { 0 };
	struct perfkit_results *res = NULL;
	unsigned counts[] = { 1, 2 };

	o.progress = on_progress_logged;
	o.before_submit = on_before_submit;
	o.userdata = &log;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(log.calls, 1);
	ck_assert_uint_eq(log.progress_at_hook, 0); /* before any worker */
	for (size_t i = 0; i < 2; i++) {
		double hook = (double)(log.realtime_ns - perfkit_results_epoch_ns(res)) * 1e-9;

		/* ordering only; the tolerance covers the clock conversion */
		ck_assert_msg(at(res, i)->t_submit >= hook - 1e-4, "submitted %.9f before the hook %.9f",
			      at(res, i)->t_submit, hook);
	}
	perfkit_results_destroy(res);

	/* once per sweep point, with the peak reference run left out */
	memset(&log, 0, sizeof(log));
	o.peak_reference = 0.01;
	ck_assert_int_eq(perfkit_harness_sweep_workers(&o, counts, 2, &res), 0);
	ck_assert_uint_eq(log.calls, 2);
	perfkit_results_destroy(res);

	/* a caller built against the options before the hook: never called */
	memset(&log, 0, sizeof(log));
	o.peak_reference = 0;
	o.size = offsetof(struct perfkit_harness_options, before_submit);
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(log.calls, 0);
	perfkit_results_destroy(res);
}
END_TEST

/* What the progress callback saw of the set, and a stop request it makes
 * once @stop_after records were collected (0: never). */
struct stream_log {
	const struct perfkit_results *set;
	unsigned calls, stop_after, bad;
	size_t in_set[8]; /* records already in the set, per call */
	int64_t epoch_ns;
	volatile sig_atomic_t stop;
};

static void on_progress_stream(const struct perfkit_harness_progress *p, void *userdata)
{
	struct stream_log *log = userdata;
	const char *kernel = NULL;

	if (!p->results || (log->set && log->set != p->results) ||
	    perfkit_results_meta_get(p->results, "harness.kernel", &kernel) != 0 ||
	    strcmp(kernel, "dgemm") != 0 || p->record->t_submit < 0)
		log->bad++;
	log->set = p->results;
	log->epoch_ns = perfkit_results_epoch_ns(p->results);
	if (log->calls < 8)
		log->in_set[log->calls] = perfkit_results_count(p->results);
	if (++log->calls == log->stop_after)
		log->stop = 1;
}

START_TEST(test_progress_results)
{
	struct perfkit_harness_options o = small("dgemm", 32);
	struct stream_log log = { 0 };
	struct perfkit_results *res = NULL;
	unsigned counts[] = { 1, 2 };

	o.progress = on_progress_stream;
	o.userdata = &log;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(log.calls, 2);
	ck_assert_uint_eq(log.bad, 0);
	ck_assert_ptr_eq(log.set, res); /* the set handed back */
	ck_assert_int_eq(log.epoch_ns, perfkit_results_epoch_ns(res));
	ck_assert_uint_eq(log.in_set[1], 0); /* appended after the point */
	perfkit_results_destroy(res);

	/* a sweep: each point sees the records of the points before it */
	memset(&log, 0, sizeof(log));
	ck_assert_int_eq(perfkit_harness_sweep_workers(&o, counts, 2, &res), 0);
	ck_assert_uint_eq(log.calls, 3);
	ck_assert_uint_eq(log.bad, 0);
	ck_assert_ptr_eq(log.set, res);
	ck_assert_uint_eq(log.in_set[0], 0);
	ck_assert_uint_eq(log.in_set[1], 1);
	ck_assert_uint_eq(log.in_set[2], 1);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_cancel)
{
	struct perfkit_harness_options o = small("dgemm", 32);
	struct stream_log log = { 0 };
	struct perfkit_results *res = NULL;
	unsigned counts[] = { 1, 2, 2 };
	const struct perfkit_record *r;

	o.progress = on_progress_stream;
	o.userdata = &log;
	o.cancel = &log.stop;

	/* asked during the first point: it finishes, no other starts */
	for (int m = 0; m < 2; m++) {
		memset((void *)&log, 0, sizeof(log));
		log.stop_after = 1;
		o.mode = m ? PERFKIT_HARNESS_PROCESSES : PERFKIT_HARNESS_THREADS;
		ck_assert_fails(perfkit_harness_sweep_workers(&o, counts, 3, &res),
				-ECANCELED, "cancelled after 1 of 3 sweep points");
		ck_assert_ptr_nonnull(res);
		ck_assert_uint_eq(perfkit_results_count(res), 1);
		ck_assert_int_eq(perfkit_results_get(res, 0, &r), 0);
		ck_assert_int_eq(r->status, 0);
		ck_assert_str_eq(param(r, "workers"), "1");
		ck_assert_uint_eq(log.calls, 1);
		perfkit_results_destroy(res);
		res = NULL;
	}

	/* asked during a run's last point: the run is complete anyway */
	memset((void *)&log, 0, sizeof(log));
	log.stop_after = 1;
	o.mode = PERFKIT_HARNESS_THREADS;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 2);
	perfkit_results_destroy(res);

	/* asked before anything ran: the metadata, no record, no worker */
	memset((void *)&log, 0, sizeof(log));
	log.stop = 1;
	o.peak_reference = 0.01;
	ck_assert_fails(perfkit_harness_run(&o, &res), -ECANCELED, "cancelled before the run");
	ck_assert_ptr_nonnull(res);
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	ck_assert_int_eq(perfkit_results_meta_get(res, "harness.kernel", &(const char *){ NULL }), 0);
	ck_assert_int_eq(perfkit_results_meta_get(res, "harness.peak_kernel_gflops_per_worker",
						   &(const char *){ NULL }), -ENOENT);
	ck_assert_uint_eq(log.calls, 0);
	perfkit_results_destroy(res);
	ck_assert_fails(perfkit_harness_sweep_sizes(&o, (int64_t[]){ 16, 32 }, 2, &res),
			-ECANCELED, "cancelled after 0 of 2 sweep points");
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	perfkit_results_destroy(res);
	ck_assert_str_eq(perfkit_strerror(-ECANCELED), perfkit_strerror(ECANCELED));

	/* a caller built against the options before the flag: never read */
	o.size = offsetof(struct perfkit_harness_options, cancel);
	o.peak_reference = 0;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 2);
	perfkit_results_destroy(res);
}
END_TEST

/* ---- faults, injected through a user kernel ---- */

/* How the n-th setup (counted across threads and forked children alike,
 * in shared memory) misbehaves. */
enum fault { FAULT_SETUP, FAULT_VERIFY, FAULT_RUN, FAULT_CRASH, FAULT_EXIT,
	     FAULT_CRASH_RUN };

struct fault_ctl {
	enum fault kind;
	int calls; /* setups so far, all workers */
	int victim; /* which setup call misbehaves (0 = first) */
};

static struct fault_ctl *ctl;

static void ctl_init(enum fault kind)
{
	if (!ctl) {
		ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		ck_assert(ctl != MAP_FAILED);
	}
	ctl->kind = kind;
	ctl->calls = 0;
	ctl->victim = 1;
}

struct fault_state {
	int victim;
	double x;
};

static int fault_setup(int64_t size, const struct perfkit_kernel_options *o,
		       void *userdata, void **state)
{
	int n = __atomic_fetch_add(&ctl->calls, 1, __ATOMIC_SEQ_CST);
	struct fault_state *s;

	(void)size, (void)o, (void)userdata;
	if (n == ctl->victim) {
		if (ctl->kind == FAULT_SETUP)
			return -ENOSPC;
		if (ctl->kind == FAULT_CRASH)
			raise(SIGKILL);
		if (ctl->kind == FAULT_EXIT)
			_exit(3);
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->victim = n == ctl->victim;
	*state = s;
	return 0;
}

static int fault_run(void *state, uint64_t reps)
{
	struct fault_state *s = state;

	if (s->victim && ctl->kind == FAULT_RUN)
		return -EIO;
	if (s->victim && ctl->kind == FAULT_CRASH_RUN)
		raise(SIGKILL); /* after the barrier: the others are computing */
	for (uint64_t r = 0; r < reps; r++)
		s->x += 1.0;
	return 0;
}

static void fault_teardown(void *state)
{
	free(state);
}

static double fault_flops(int64_t size, void *userdata)
{
	(void)userdata;
	return (double)size;
}

static int fault_verify(void *state)
{
	struct fault_state *s = state;

	return s->victim && ctl->kind == FAULT_VERIFY ? -EBADMSG : 0;
}

static void register_fault_kernel(void)
{
	static const struct perfkit_kernel_ops ops = {
		.size = sizeof(ops), .name = "test-fault",
		.setup = fault_setup, .run = fault_run,
		.teardown = fault_teardown, .flops = fault_flops,
		.verify = fault_verify,
	};
	const struct perfkit_kernel *k;

	if (perfkit_kernel_find("test-fault", &k) != 0)
		ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), 0);
}

/* Run the faulty kernel on 3 workers; exactly one fails with @status and
 * an error text containing @text; the others finish. */
static void one_fails(enum fault kind, enum perfkit_harness_mode mode,
		      int status, const char *text)
{
	struct perfkit_harness_options o = small("test-fault", 10);
	struct perfkit_results *res = NULL;
	struct perfkit_harness_summary s;
	int failed = 0;

	register_fault_kernel();
	ctl_init(kind);
	o.workers = 3;
	o.mode = mode;
	ck_assert_fails(perfkit_harness_run(&o, &res), status, "1 of 3 workers failed");
	ck_assert_ptr_nonnull(res);
	ck_assert_uint_eq(perfkit_results_count(res), 3);
	for (size_t i = 0; i < 3; i++) {
		const struct perfkit_record *r = at(res, i);

		ck_assert(isfinite(r->t_submit) && isfinite(r->t_collected));
		ck_assert(r->t_collected >= r->t_submit);
		if (r->status == 0) {
			check_record(res, i, &o, 3);
			continue;
		}
		failed++;
		ck_assert_int_eq(r->status, status);
		ck_assert_msg(strstr(extra(res, i, "error"), text),
			      "error \"%s\" lacks \"%s\"", extra(res, i, "error"), text);
	}
	ck_assert_int_eq(failed, 1);
	ck_assert_int_eq(perfkit_harness_summarize(res, &s), 0);
	ck_assert_uint_eq(s.workers, 3);
	ck_assert_uint_eq(s.failed, 1);
	ck_assert(s.flops == 2 * 10 * 2.0);
	perfkit_results_destroy(res);
}

START_TEST(test_fault_setup)
{
	one_fails(FAULT_SETUP, PERFKIT_HARNESS_THREADS, -ENOSPC, "setup:");
	one_fails(FAULT_SETUP, PERFKIT_HARNESS_PROCESSES, -ENOSPC, "setup:");
}
END_TEST

START_TEST(test_fault_verify)
{
	one_fails(FAULT_VERIFY, PERFKIT_HARNESS_THREADS, -EBADMSG, "verify:");
	one_fails(FAULT_VERIFY, PERFKIT_HARNESS_PROCESSES, -EBADMSG, "verify:");
}
END_TEST

START_TEST(test_fault_run)
{
	one_fails(FAULT_RUN, PERFKIT_HARNESS_THREADS, -EIO, "run:");
	one_fails(FAULT_RUN, PERFKIT_HARNESS_PROCESSES, -EIO, "run:");
}
END_TEST

START_TEST(test_fault_process_dies)
{
	one_fails(FAULT_CRASH, PERFKIT_HARNESS_PROCESSES, -ECHILD, "killed by signal 9");
	one_fails(FAULT_EXIT, PERFKIT_HARNESS_PROCESSES, -ECHILD, "exited with status 3");
	one_fails(FAULT_CRASH_RUN, PERFKIT_HARNESS_PROCESSES, -ECHILD, "killed by signal 9");
}
END_TEST

START_TEST(test_fault_staggered)
{
	/* Without a barrier the failed worker reports at once. */
	struct perfkit_harness_options o = small("test-fault", 10);
	struct perfkit_results *res = NULL;

	register_fault_kernel();
	for (int m = 0; m < 2; m++) {
		ctl_init(FAULT_SETUP);
		o.mode = m ? PERFKIT_HARNESS_PROCESSES : PERFKIT_HARNESS_THREADS;
		o.start = PERFKIT_HARNESS_START_STAGGERED;
		ck_assert_int_eq(perfkit_harness_run(&o, &res), -ENOSPC);
		/* which worker's setup came second is up to the scheduler */
		ck_assert_int_eq(at(res, 0)->status + at(res, 1)->status, -ENOSPC);
		perfkit_results_destroy(res);
	}
}
END_TEST

START_TEST(test_fault_too_large)
{
	/* N too large to allocate: every worker fails in setup, the set
	 * still comes back, and nothing hangs. */
	for (int m = 0; m < 2; m++) {
		struct perfkit_harness_options o = small("dgemm", (int64_t)1 << 40);
		struct perfkit_results *res = NULL;
		struct perfkit_harness_summary s;
		int rc;

		o.mode = m ? PERFKIT_HARNESS_PROCESSES : PERFKIT_HARNESS_THREADS;
		perfkit_clear_error();
		rc = perfkit_harness_run(&o, &res);
		ck_assert_msg(rc == -ENOMEM || rc == -ERANGE, "rc %d", rc);
		ck_assert(strstr(perfkit_last_error(), "2 of 2 workers failed"));
		ck_assert_ptr_nonnull(res);
		ck_assert_uint_eq(perfkit_results_count(res), 2);
		ck_assert_int_eq(at(res, 0)->status, rc);
		ck_assert(isnan(at(res, 0)->t_setup));
		ck_assert(strstr(extra(res, 1, "error"), "setup:"));
		ck_assert_fails(perfkit_harness_summarize(res, &s), -EDOM, "none of 2");
		ck_assert_uint_eq(s.failed, 2);
		ck_assert(isnan(s.peak_gflops) || s.peak_gflops == 0);
		perfkit_results_destroy(res);
	}
}
END_TEST

/* FEW_FILES_WORKERS worker processes (fewer under valgrind, where each
 * is a copy of the emulator) with the open files limit at 12 (soft; with
 * @*hard also the hard limit), in a child process: the run's result, and
 * -1001 if a run that succeeded did not restore the soft limit. */
#define FEW_FILES_WORKERS (RUNNING_ON_VALGRIND ? 8u : 40u)
static int run_with_few_files(void *hard)
{
	struct perfkit_harness_options o = small("dgemm", 8);
	struct perfkit_results *res = NULL;
	struct rlimit rl, after;
	int rc;

	o.mode = PERFKIT_HARNESS_PROCESSES;
	o.workers = FEW_FILES_WORKERS;
	o.loopcount = 1;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1000;
	rl.rlim_cur = 12;
	if (*(int *)hard)
		rl.rlim_max = 12;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1000;
	rc = perfkit_harness_run(&o, &res);
	if (rc == 0 && (perfkit_results_count(res) != FEW_FILES_WORKERS ||
			getrlimit(RLIMIT_NOFILE, &after) != 0 || after.rlim_cur != 12))
		rc = -1001;
	perfkit_results_destroy(res);
	return rc;
}

START_TEST(test_fault_open_files)
{
	int soft = 0, hard = 1;
	struct pk_outcome out = pk_run_within(120, run_with_few_files, &soft);

	/* the soft limit is raised for the run, then restored (valgrind keeps
	 * some descriptors for itself and may refuse to raise it) */
	ck_assert_msg(out.rc == 0 || (RUNNING_ON_VALGRIND && out.rc == -EMFILE),
		      "rc %d: %s", out.rc, out.msg);
	/* above the hard limit: refused before any worker starts */
	out = pk_run_within(120, run_with_few_files, &hard);
	if (RUNNING_ON_VALGRIND && out.rc == -1000)
		return; /* valgrind refuses to lower the hard limit (its own fds) */
	ck_assert_int_eq(out.rc, -EMFILE);
	ck_assert_msg(strstr(out.msg, "workers in processes mode hold a pipe each") &&
		      atoi(strstr(out.msg, "harness: ") + 9) == (int)FEW_FILES_WORKERS &&
		      strstr(out.msg, "ulimit -n"), "%s", out.msg);
}
END_TEST

/* ---- sweeps ---- */

START_TEST(test_sweep_workers)
{
	struct perfkit_harness_options o = small("dgemm", 32);
	struct perfkit_results *res = NULL;
	struct perfkit_harness_summary s;

	ck_assert_int_eq(perfkit_harness_sweep_workers(&o, (unsigned[]){ 1, 2 }, 2, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 3);
	ck_assert_str_eq(meta(res, "harness.sweep"), "workers");
	ck_assert_str_eq(meta(res, "harness.workers"), "1,2");
	check_worker(res, 0, &o, 1, 0);
	check_worker(res, 1, &o, 2, 0);
	check_worker(res, 2, &o, 2, 1);
	ck_assert_int_eq(perfkit_harness_summarize_point(res, "workers", "1", &s), 0);
	ck_assert_uint_eq(s.workers, 1);
	ck_assert_int_eq(perfkit_harness_summarize_point(res, "workers", "2", &s), 0);
	ck_assert_uint_eq(s.workers, 2);
	ck_assert_fails(perfkit_harness_summarize_point(res, "workers", "3", &s), -ENOENT,
			"workers = 3");
	perfkit_results_destroy(res);

	/* counts NULL: 1..workers */
	ck_assert_int_eq(perfkit_harness_sweep_workers(&o, NULL, 0, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 3);
	perfkit_results_destroy(res);

	ck_assert_fails(perfkit_harness_sweep_workers(&o, (unsigned[]){ 1 }, 0, &res), -EINVAL,
			"no worker counts");
	ck_assert_ptr_null(res);
	ck_assert_fails(perfkit_harness_sweep_workers(&o, (unsigned[]){ 1, 0 }, 2, &res),
			-EINVAL, "worker count 0 (entry 1)");
	ck_assert_fails(perfkit_harness_sweep_workers(&o, (unsigned[]){ 5000 }, 1, &res),
			-EINVAL, "need 1 to 4096");
	o.problem_size = 0;
	ck_assert_fails(perfkit_harness_sweep_workers(&o, NULL, 0, &res), -EINVAL,
			"problem size 0");
}
END_TEST

/* Each worker's repetitions in a set of records, by worker count. */
static uint64_t reps_of(const struct perfkit_results *res, const char *w, int32_t worker)
{
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r = at(res, i);

		if (r->worker == worker && strcmp(param(r, "workers"), w) == 0)
			return r->repetitions;
	}
	ck_abort_msg("no worker %d at %s workers", worker, w);
	return 0;
}

START_TEST(test_strong_split)
{
	struct perfkit_harness_options o = small("dgemm", 16);
	struct perfkit_results *res = NULL;
	static const unsigned counts[] = { 1, 2, 3, 4, 7 };

	o.total_loopcount = 7;
	ck_assert_int_eq(perfkit_harness_sweep_workers(&o, counts, 5, &res), 0);
	ck_assert_str_eq(meta(res, "harness.total_loopcount"), "7");
	ck_assert_uint_eq(perfkit_results_count(res), 1 + 2 + 3 + 4 + 7);
	for (size_t c = 0; c < 5; c++) {
		char w[8];
		uint64_t sum = 0, lo = UINT64_MAX, hi = 0;

		snprintf(w, sizeof(w), "%u", counts[c]);
		for (unsigned i = 0; i < counts[c]; i++) {
			uint64_t r = reps_of(res, w, (int32_t)i);

			sum += r;
			lo = r < lo ? r : lo;
			hi = r > hi ? r : hi;
			/* the first T mod W workers get the extra one */
			ck_assert_uint_eq(r, 7 / counts[c] + (i < 7 % counts[c]));
		}
		ck_assert_uint_eq(sum, 7);    /* every repetition once in all */
		ck_assert_uint_le(hi - lo, 1); /* as even as it goes */
	}
	/* flops follow the shares */
	for (size_t i = 0; i < perfkit_results_count(res); i++)
		ck_assert_double_eq(at(res, i)->flops, 2.0 * 16 * 16 * 16 * at(res, i)->repetitions);
	perfkit_results_destroy(res);
	res = NULL;

	/* a single run splits too: 5 over 2 is 3 + 2 */
	o.total_loopcount = 5;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(at(res, 0)->repetitions, 3);
	ck_assert_uint_eq(at(res, 1)->repetitions, 2);
	ck_assert_str_eq(meta(res, "harness.total_loopcount"), "5");
	perfkit_results_destroy(res);
	res = NULL;

	/* processes: the same split */
	o.mode = PERFKIT_HARNESS_PROCESSES;
	o.total_loopcount = 3;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(at(res, 0)->repetitions + at(res, 1)->repetitions, 3);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_strong_refused)
{
	struct perfkit_harness_options o = small("dgemm", 16);
	struct perfkit_results *res = (struct perfkit_results *)&o;

	/* more workers than repetitions: refused before anything runs */
	o.total_loopcount = 1;
	ck_assert_fails(perfkit_harness_run(&o, &res), -EINVAL,
			"2 workers for a total of 1 repetitions");
	ck_assert_ptr_null(res);
	o.total_loopcount = 3;
	ck_assert_fails(perfkit_harness_sweep_workers(&o, (unsigned[]){ 1, 2, 4 }, 3, &res),
			-EINVAL, "point 2: harness options: 4 workers for a total of 3");
	ck_assert_ptr_null(res);
	/* a total and a duration: one or the other */
	o.loopcount = 0;
	o.min_time = 0.01;
	ck_assert_fails(perfkit_harness_options_check(&o), -EINVAL,
			"total_loopcount 3 and min_time 0.01 are both set");
	/* a total needs no loopcount */
	o.min_time = 0;
	ck_assert_int_eq(perfkit_harness_options_check(&o), 0);
	/* callers built before the field never split */
	o.size = offsetof(struct perfkit_harness_options, total_loopcount);
	o.loopcount = 2;
	o.total_loopcount = 1;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	ck_assert_uint_eq(at(res, 0)->repetitions, 2);
	ck_assert_uint_eq(at(res, 1)->repetitions, 2);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_sweep_sizes)
{
	struct perfkit_harness_options o = small("triad", 100);
	struct perfkit_results *res = NULL;
	struct perfkit_harness_summary s;

	o.workers = 1;
	ck_assert_int_eq(perfkit_harness_sweep_sizes(&o, (int64_t[]){ 100, 2000 }, 2, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 2);
	ck_assert_str_eq(meta(res, "harness.sweep"), "sizes");
	ck_assert_str_eq(meta(res, "harness.size"), "100,2000");
	ck_assert_int_eq(at(res, 1)->problem_size, 2000);
	ck_assert_int_eq(perfkit_harness_summarize_point(res, "problem_size", "2000", &s), 0);
	ck_assert_uint_eq(s.workers, 1);
	ck_assert(s.intensity == 1.0 / 12); /* triad: 2 flops per 24 bytes */
	perfkit_results_destroy(res);
	ck_assert_fails(perfkit_harness_sweep_sizes(&o, (int64_t[]){ 100, -1 }, 2, &res),
			-EINVAL, "problem size -1 (entry 1)");
	ck_assert_fails(perfkit_harness_sweep_sizes(&o, (int64_t[]){ 100 }, 0, &res),
			-EINVAL, "no problem sizes");
}
END_TEST

/* ---- aggregates on a hand-made set ---- */

/* Seconds from the epoch; the run starts at 10 s. */
static void hand_record(struct perfkit_results *res, int worker, const double t[5],
			double flops, double bytes, int status, const char *workers)
{
	struct perfkit_record r;

	perfkit_record_init(&r);
	perfkit_record_set_name(&r, "hand");
	r.worker = worker;
	r.status = status;
	r.t_submit = 10 + t[0];
	r.t_start = 10 + t[1];
	r.t_setup = 10 + t[2];
	r.t_end = 10 + t[3];
	r.t_collected = 10 + t[4];
	r.flops = flops;
	r.bytes = bytes;
	r.elapsed = status ? 0 : t[3] - t[2];
	perfkit_record_set_param(&r, "workers", workers);
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
}

/*
 * A: timed work [1, 3], 4 GFLOP  -> 2 GFLOPS, collected at 3.5
 * B: timed work [1.5, 2.5], 3 GFLOP -> 3 GFLOPS, collected at 4
 * C: timed work [2, 6], 4 GFLOP  -> 1 GFLOPS, collected at 6
 * D: failed in setup, collected at 1.25
 * plus a record that is not a worker's (ignored).
 */
static struct perfkit_results *hand_set(void)
{
	struct perfkit_results *res = NULL;
	struct perfkit_record other;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	hand_record(res, 0, (double[]){ 0, 0.5, 1, 3, 3.5 }, 4e9, 8e9, 0, "4");
	hand_record(res, 1, (double[]){ 0.25, 0.75, 1.5, 2.5, 4 }, 3e9, 6e9, 0, "4");
	hand_record(res, 2, (double[]){ 0.5, 1, 2, 6, 6 }, 4e9, 0, 0, "4");
	hand_record(res, 3, (double[]){ 0.75, 1, NAN, NAN, 1.25 }, 0, 0, -ENOMEM, "4");
	perfkit_record_init(&other);
	other.flops = 1e12;
	other.elapsed = 1;
	other.t_submit = 0;
	other.t_collected = 100;
	ck_assert_int_eq(perfkit_results_append(res, &other), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.core_peak_gflops", "2.5"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.cores", "2"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.threads", "1"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.peak_kernel_gflops_per_worker",
						  "3"), 0);
	return res;
}

START_TEST(test_summary_exact)
{
	struct perfkit_results *res = hand_set();
	struct perfkit_harness_summary s;

	ck_assert_int_eq(perfkit_harness_summarize(res, &s), 0);
	ck_assert_uint_eq(s.size, sizeof(s));
	ck_assert_uint_eq(s.workers, 4);
	ck_assert_uint_eq(s.failed, 1);
	ck_assert(s.flops == 11e9);
	ck_assert(s.bytes == 14e9);
	ck_assert_close(s.intensity, 11.0 / 14, 1e-15);
	ck_assert(s.span == 6);
	ck_assert_close(s.peak_gflops, 6, 1e-15);
	ck_assert_close(s.effective_gflops, 11.0 / 6, 1e-15);
	ck_assert_close(s.peak_gbps, 10, 1e-15);
	ck_assert_close(s.effective_gbps, 14.0 / 6, 1e-15);
	ck_assert_close(s.worker_gflops_min, 1, 1e-15);
	ck_assert_close(s.worker_gflops_median, 2, 1e-15);
	ck_assert_close(s.worker_gflops_max, 3, 1e-15);
	ck_assert(s.elapsed_median == 2);
	ck_assert(s.elapsed_max == 4);
	ck_assert(s.straggler_ratio == 2);
	ck_assert(s.theoretical_gflops == 5); /* 2.5 x min(4 workers, 2 cores) */
	ck_assert_close(s.fraction_theoretical, 1.2, 1e-15);
	ck_assert(s.peak_kernel_gflops == 12);
	ck_assert_close(s.fraction_peak_kernel, 0.5, 1e-15);
	ck_assert(s.setup_median == 0.75);
	ck_assert_close(s.spawn_us_median, 5e5, 1e-12);
	ck_assert_close(s.collect_us_median, 5e5, 1e-12);
	/* best window: [1, 3] holds A and B, 7 GFLOP in 2 s */
	ck_assert_close(s.concurrent_gflops, 3.5, 1e-12);
	ck_assert_close(s.concurrent_fraction_theoretical, 0.7, 1e-12);
	ck_assert(s.machine_gflops == 5);
	ck_assert(s.oversubscription == 2); /* 4 workers x 1 thread on 2 cores */
	/* the rate per core, where known, wins: 4 x min(4 workers, 2 cores),
	 * whatever worker count the per-worker rate was divided by */
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.peak_kernel_gflops_per_core",
						  "4"), 0);
	ck_assert_int_eq(perfkit_harness_summarize(res, &s), 0);
	ck_assert(s.peak_kernel_gflops == 8);
	ck_assert_close(s.fraction_peak_kernel, 0.75, 1e-15);
	perfkit_results_destroy(res);
}
END_TEST

/* Workers that never ran together: the per-worker sum adds them up as if
 * they had, the concurrent rate does not. */
START_TEST(test_summary_time_sliced)
{
	struct perfkit_results *res = NULL;
	struct perfkit_harness_summary s;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	for (int i = 0; i < 100; i++) /* one after the other, 1 GFLOP in 10 ms each */
		hand_record(res, i, (double[]){ 0, 0, 0.01 * i, 0.01 * (i + 1), 1 }, 1e9, 0, 0,
			    "100");
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.core_peak_gflops", "150"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.cores", "1"), 0);
	ck_assert_int_eq(perfkit_harness_summarize(res, &s), 0);
	ck_assert_close(s.peak_gflops, 10000, 1e-9);
	ck_assert_close(s.concurrent_gflops, 100, 1e-9);
	ck_assert(s.concurrent_gflops <= s.machine_gflops);
	ck_assert(s.effective_gflops <= s.concurrent_gflops);
	ck_assert(s.oversubscription == 100);
	perfkit_results_destroy(res);
}
END_TEST

static struct perfkit_results *oversub_set(const char *workers, const char *threads,
					   const char *builtin, const char *omp)
{
	struct perfkit_results *res = NULL;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.cores", "2"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.workers", workers), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.threads", threads), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.kernel_builtin", builtin), 0);
	if (omp)
		ck_assert_int_eq(perfkit_results_meta_set(res, "harness.env.OMP_NUM_THREADS",
							  omp), 0);
	return res;
}

START_TEST(test_oversubscription)
{
	struct perfkit_results *res;
	char text[1024];
	double f;

	res = oversub_set("2", "4", "1", NULL);
	ck_assert_int_eq(perfkit_harness_oversubscription(res, &f, text, sizeof(text)), 0);
	ck_assert(f == 4);
	ck_assert_msg(strstr(text, "2 workers x 4 kernel threads = 8 threads on 2 allowed "
			      "cores: 4x oversubscribed"), "%s", text);
	ck_assert_msg(strstr(text, "1 worker of 2 threads"), "%s", text);
	perfkit_results_destroy(res);

	res = oversub_set("1,2,2800", "1", "1", NULL); /* a sweep: its largest point */
	ck_assert_int_eq(perfkit_harness_oversubscription(res, &f, text, sizeof(text)), 0);
	ck_assert(f == 1400);
	ck_assert_msg(strstr(text, "2800 threads on 2 allowed cores: 1400x"), "%s", text);
	ck_assert_msg(strstr(text, "2 workers of 1 thread."), "%s", text);
	perfkit_results_destroy(res);

	res = oversub_set("2", "1", "1", NULL);
	ck_assert_int_eq(perfkit_harness_oversubscription(res, &f, text, sizeof(text)), 0);
	ck_assert(f == 1);
	ck_assert_str_eq(text, "");
	perfkit_results_destroy(res);

	/* the variables matter for user kernels only */
	res = oversub_set("2", "1", "0", "4");
	ck_assert_int_eq(perfkit_harness_oversubscription(res, &f, text, sizeof(text)), 0);
	ck_assert(f == 4);
	ck_assert_msg(strstr(text, "OMP_NUM_THREADS=4") && strstr(text, "8 threads on 2 allowed "
			      "cores: 4x oversubscribed") && strstr(text, "Set OMP_NUM_THREADS=1"),
		      "%s", text);
	perfkit_results_destroy(res);
	res = oversub_set("2", "1", "1", "4");
	ck_assert_int_eq(perfkit_harness_oversubscription(res, &f, text, sizeof(text)), 0);
	ck_assert(f == 1);
	ck_assert_str_eq(text, "");
	/* truncated text, no text, bad input */
	ck_assert_int_eq(perfkit_harness_oversubscription(res, &f, NULL, 0), 0);
	ck_assert_fails(perfkit_harness_oversubscription(NULL, &f, NULL, 0), -EINVAL, "res");
	ck_assert_fails(perfkit_harness_oversubscription(res, NULL, NULL, 0), -EINVAL, "factor");
	ck_assert_fails(perfkit_harness_oversubscription(res, &f, NULL, 4), -EINVAL, "text");
	perfkit_results_destroy(res);
	res = oversub_set("3", "1", "0", "9");
	ck_assert_int_eq(perfkit_harness_oversubscription(res, &f, text, 8), 0);
	ck_assert_uint_eq(strlen(text), 7);
	ck_assert(f == 13.5);
	perfkit_results_destroy(res);
	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_fails(perfkit_harness_oversubscription(res, &f, text, sizeof(text)), -ENOENT,
			"harness.cores");
	ck_assert(isnan(f));
	perfkit_results_destroy(res);
}
END_TEST

/* A run records what the check needs: a built-in kernel and the
 * variables as they were (which the built-in kernels override). */
START_TEST(test_oversubscription_run)
{
	struct perfkit_harness_options o = small("dgemm", 16);
	struct perfkit_results *res = NULL;
	char text[1024];
	double f;

	setenv("OMP_NUM_THREADS", "64", 1);
	setenv("OPENBLAS_NUM_THREADS", "64", 1);
	o.workers = 1;
	ck_assert_int_eq(perfkit_harness_run(&o, &res), 0);
	unsetenv("OMP_NUM_THREADS");
	unsetenv("OPENBLAS_NUM_THREADS");
	ck_assert_str_eq(meta(res, "harness.kernel_builtin"), "1");
	ck_assert_str_eq(meta(res, "harness.env.OMP_NUM_THREADS"), "64");
	ck_assert_str_eq(meta(res, "harness.env.OPENBLAS_NUM_THREADS"), "64");
	ck_assert_int_eq(perfkit_harness_oversubscription(res, &f, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "");
	perfkit_results_destroy(res);
}
END_TEST


START_TEST(test_summary_points_and_bad_input)
{
	struct perfkit_results *res = hand_set(), *empty = NULL;
	struct perfkit_harness_summary s;

	hand_record(res, 0, (double[]){ 0, 0, 0, 1, 1 }, 5e9, 0, 0, "1");
	ck_assert_int_eq(perfkit_harness_summarize_point(res, "workers", "1", &s), 0);
	ck_assert_uint_eq(s.workers, 1);
	ck_assert_close(s.peak_gflops, 5, 1e-15);
	ck_assert(isnan(s.straggler_ratio) == 0 && s.straggler_ratio == 1);
	ck_assert_int_eq(perfkit_harness_summarize_point(res, "workers", "4", &s), 0);
	ck_assert_uint_eq(s.workers, 4);
	ck_assert_fails(perfkit_harness_summarize_point(res, "workers", "9", &s), -ENOENT,
			"no worker record has workers = 9");
	ck_assert_fails(perfkit_harness_summarize_point(res, "nokey", "1", &s), -ENOENT, "nokey");
	ck_assert_fails(perfkit_harness_summarize(NULL, &s), -EINVAL, "res is NULL");
	ck_assert_fails(perfkit_harness_summarize(res, NULL), -EINVAL, "out is NULL");
	ck_assert_fails(perfkit_harness_summarize_point(NULL, "a", "b", &s), -EINVAL, "res");
	ck_assert_fails(perfkit_harness_summarize_point(res, NULL, "b", &s), -EINVAL, "key");
	ck_assert_fails(perfkit_harness_summarize_point(res, "a", NULL, &s), -EINVAL, "value");
	ck_assert_fails(perfkit_harness_summarize_point(res, "a", "b", NULL), -EINVAL, "out");
	ck_assert_int_eq(perfkit_results_new(&empty), 0);
	ck_assert_fails(perfkit_harness_summarize(empty, &s), -EDOM, "none of 0");
	ck_assert_uint_eq(s.workers, 0);
	ck_assert(isnan(s.span) && isnan(s.effective_gflops) && isnan(s.theoretical_gflops));
	perfkit_results_destroy(empty);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_peak_timeline_exact)
{
	struct perfkit_results *res = hand_set();
	const double want[6] = { 0, 3.5, 4.5, 1, 1, 1 };
	double g[8], sum = 0;
	size_t nb = 0;

	ck_assert_int_eq(perfkit_harness_peak_timeline(res, 1.0, g, 8, &nb), 0);
	ck_assert_uint_eq(nb, 6);
	for (size_t k = 0; k < 6; k++) {
		ck_assert_msg(fabs(g[k] - want[k]) < 1e-12, "bin %zu: %g, want %g", k, g[k],
			      want[k]);
		sum += g[k];
	}
	ck_assert_close(sum, 11, 1e-12); /* bins x width = total GFLOP */
	/* a short array gets the first bins, the count says how many exist */
	g[2] = -1;
	ck_assert_int_eq(perfkit_harness_peak_timeline(res, 1.0, g, 2, &nb), 0);
	ck_assert_uint_eq(nb, 6);
	ck_assert_close(g[1], 3.5, 1e-12);
	ck_assert(g[2] == -1);
	ck_assert_int_eq(perfkit_harness_peak_timeline(res, 1.0, NULL, 0, &nb), 0);
	ck_assert_uint_eq(nb, 6);
	/* wide bins: [0, 4) gets 1 + 0.75 + 0.5, [4, 8) gets 0.5 */
	ck_assert_int_eq(perfkit_harness_peak_timeline(res, 4.0, g, 8, &nb), 0);
	ck_assert_uint_eq(nb, 2);
	ck_assert_close(g[0], 2.25, 1e-12);
	ck_assert_close(g[1], 0.5, 1e-12);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_effective_timeline_exact)
{
	struct perfkit_results *res = hand_set();
	double t[4], g[4];
	size_t n = 0;

	ck_assert_int_eq(perfkit_harness_effective_timeline(res, t, g, 4, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(t[0] == 3.5 && t[1] == 4 && t[2] == 6);
	ck_assert_close(g[0], 4 / 3.5, 1e-15);
	ck_assert_close(g[1], 7.0 / 4, 1e-15);
	ck_assert_close(g[2], 11.0 / 6, 1e-15);
	ck_assert_int_eq(perfkit_harness_effective_timeline(res, NULL, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 3);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_histogram_exact)
{
	struct perfkit_results *res = hand_set();
	size_t c[3], below = 9, above = 9;

	/* worker GFLOPS 2, 3, 1 */
	ck_assert_int_eq(perfkit_harness_histogram(res, (double[]){ 0, 1, 2, 3 }, 4, c,
						   &below, &above), 0);
	ck_assert_uint_eq(c[0], 0);
	ck_assert_uint_eq(c[1], 1);
	ck_assert_uint_eq(c[2], 2); /* 2 and 3: the last bin is closed */
	ck_assert_uint_eq(below, 0);
	ck_assert_uint_eq(above, 0);
	ck_assert_int_eq(perfkit_harness_histogram(res, (double[]){ 1.5, 2.5 }, 2, c,
						   &below, &above), 0);
	ck_assert_uint_eq(c[0], 1);
	ck_assert_uint_eq(below, 1);
	ck_assert_uint_eq(above, 1);
	ck_assert_int_eq(perfkit_harness_histogram(res, (double[]){ 1, 2 }, 2, c, NULL, NULL), 0);
	ck_assert_uint_eq(c[0], 2);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_timeline_bad_input)
{
	struct perfkit_results *res = hand_set(), *empty = NULL;
	double g[4], t[4];
	size_t n, c[4];

	ck_assert_fails(perfkit_harness_peak_timeline(NULL, 1, g, 4, &n), -EINVAL, "res is NULL");
	ck_assert_fails(perfkit_harness_peak_timeline(res, 1, g, 4, NULL), -EINVAL, "nbins");
	ck_assert_fails(perfkit_harness_peak_timeline(res, 1, NULL, 4, &n), -EINVAL, "gflops");
	ck_assert_fails(perfkit_harness_peak_timeline(res, 0, g, 4, &n), -EINVAL, "bin width 0");
	ck_assert_fails(perfkit_harness_peak_timeline(res, -1, g, 4, &n), -EINVAL, "bin width -1");
	ck_assert_fails(perfkit_harness_peak_timeline(res, NAN, g, 4, &n), -EINVAL, "bin width nan");
	ck_assert_fails(perfkit_harness_peak_timeline(res, INFINITY, g, 4, &n), -EINVAL,
			"bin width inf");
	ck_assert_fails(perfkit_harness_peak_timeline(res, 1e-9, g, 4, &n), -ERANGE,
			"choose wider bins");
	ck_assert_fails(perfkit_harness_effective_timeline(NULL, t, g, 4, &n), -EINVAL, "res");
	ck_assert_fails(perfkit_harness_effective_timeline(res, t, g, 4, NULL), -EINVAL, "count");
	ck_assert_fails(perfkit_harness_effective_timeline(res, NULL, g, 4, &n), -EINVAL, "time");
	ck_assert_fails(perfkit_harness_effective_timeline(res, t, NULL, 4, &n), -EINVAL, "gflops");
	ck_assert_fails(perfkit_harness_histogram(NULL, (double[]){ 0, 1 }, 2, c, NULL, NULL),
			-EINVAL, "res");
	ck_assert_fails(perfkit_harness_histogram(res, NULL, 2, c, NULL, NULL), -EINVAL, "edges");
	ck_assert_fails(perfkit_harness_histogram(res, (double[]){ 0, 1 }, 2, NULL, NULL, NULL),
			-EINVAL, "counts");
	ck_assert_fails(perfkit_harness_histogram(res, (double[]){ 0 }, 1, c, NULL, NULL),
			-EINVAL, "1 edges");
	ck_assert_fails(perfkit_harness_histogram(res, (double[]){ 0, 1, 1 }, 3, c, NULL, NULL),
			-EINVAL, "edge 2 (1) is not above edge 1 (1)");
	ck_assert_fails(perfkit_harness_histogram(res, (double[]){ 0, NAN }, 2, c, NULL, NULL),
			-EINVAL, "edge 1 is nan");
	ck_assert_int_eq(perfkit_results_new(&empty), 0);
	ck_assert_fails(perfkit_harness_peak_timeline(empty, 1, g, 4, &n), -EDOM, "t_submit");
	ck_assert_fails(perfkit_harness_effective_timeline(empty, t, g, 4, &n), -EDOM, "t_submit");
	ck_assert_int_eq(perfkit_harness_histogram(empty, (double[]){ 0, 1 }, 2, c, NULL, NULL), 0);
	ck_assert_uint_eq(c[0], 0);
	perfkit_results_destroy(empty);
	perfkit_results_destroy(res);
}
END_TEST

static Suite *harness_suite(void)
{
	Suite *s = suite_create("harness");
	TCase *opts = tcase_create("options");
	TCase *runs = tcase_create("runs");
	TCase *faults = tcase_create("faults");
	TCase *sweeps = tcase_create("sweeps");
	TCase *agg = tcase_create("aggregates");

	tcase_add_test(opts, test_defaults);
	tcase_add_test(opts, test_names);
	tcase_add_test(opts, test_invalid_options);
	tcase_add_test(opts, test_null_arguments);
	tcase_add_test(runs, test_modes_and_placements);
	tcase_add_test(runs, test_staggered_warmup_threads);
	tcase_add_test(runs, test_min_time);
	tcase_add_test(runs, test_default_workers_and_peak_reference);
	tcase_add_test(runs, test_peak_clock_cores);
	tcase_add_test(runs, test_progress);
	tcase_add_test(runs, test_before_submit);
	tcase_add_test(runs, test_progress_results);
	tcase_add_test(runs, test_cancel);
	tcase_add_test(faults, test_fault_setup);
	tcase_add_test(faults, test_fault_verify);
	tcase_add_test(faults, test_fault_run);
	tcase_add_test(faults, test_fault_process_dies);
	tcase_add_test(faults, test_fault_staggered);
	tcase_add_test(faults, test_fault_too_large);
	tcase_add_test(faults, test_fault_open_files);
	tcase_add_test(sweeps, test_sweep_workers);
	tcase_add_test(sweeps, test_sweep_sizes);
	tcase_add_test(sweeps, test_strong_split);
	tcase_add_test(sweeps, test_strong_refused);
	tcase_add_test(agg, test_summary_exact);
	tcase_add_test(agg, test_summary_points_and_bad_input);
	tcase_add_test(agg, test_peak_timeline_exact);
	tcase_add_test(agg, test_effective_timeline_exact);
	tcase_add_test(agg, test_histogram_exact);
	tcase_add_test(agg, test_timeline_bad_input);
	tcase_add_test(agg, test_summary_time_sliced);
	tcase_add_test(agg, test_oversubscription);
	tcase_add_test(runs, test_oversubscription_run);
	suite_add_tcase(s, opts);
	suite_add_tcase(s, runs);
	suite_add_tcase(s, faults);
	suite_add_tcase(s, sweeps);
	suite_add_tcase(s, agg);
	return s;
}

PK_CHECK_MAIN(harness_suite)
