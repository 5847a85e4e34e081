/* SPDX-License-Identifier: MIT */
/* One point of a run: the workers run (threads or processes), and their
 * results become records on the set's time axis. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "perfkit/kernel.h"
#include "perfkit/timer.h"
#include "harness-private.h"

struct collector {
	const struct pk_harness_plan *plan;
	const struct perfkit_results *res; /* for the progress callback */
	struct pk_worker_slot *slots;
	struct perfkit_record *recs;
	char host[PERFKIT_RECORD_HOST_MAX + 1];
	uint64_t mono0;  /* monotonic ns ... */
	double offset;   /* ... at this many seconds from the set's epoch */
	unsigned done;
};

/* Read the real-time and monotonic clocks together, once per run, to put
 * monotonic readings on the set's epoch. The monotonic reading is taken on
 * both sides of the real-time one and averaged. */
static void time_axis(struct collector *c, const struct perfkit_results *res)
{
	struct timespec rt;
	uint64_t a = perfkit_now_ns(), b;
	int64_t real_ns;

	clock_gettime(CLOCK_REALTIME, &rt);
	b = perfkit_now_ns();
	real_ns = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec;
	c->mono0 = a + (b - a) / 2;
	c->offset = (double)(real_ns - perfkit_results_epoch_ns(res)) * 1e-9;
}

static double stamp(const struct collector *c, uint64_t mono)
{
	if (mono == 0)
		return NAN;
	return (double)(int64_t)(mono - c->mono0) * 1e-9 + c->offset;
}

static void params(struct perfkit_record *rec, const struct pk_harness_plan *plan)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u", plan->workers);
	perfkit_record_set_param(rec, "workers", buf);
	perfkit_record_set_param(rec, "mode", perfkit_harness_mode_name(plan->opt.mode));
	perfkit_record_set_param(rec, "placement",
				 perfkit_harness_placement_name(plan->opt.placement));
	snprintf(buf, sizeof(buf), "%u", plan->threads);
	perfkit_record_set_param(rec, "threads", buf);
}

static void make_record(struct collector *c, unsigned i)
{
	const struct pk_harness_plan *plan = c->plan;
	const struct pk_worker_slot *s = &c->slots[i];
	struct perfkit_record *rec = &c->recs[i];

	perfkit_record_init(rec);
	perfkit_record_set_name(rec, perfkit_kernel_name(plan->kernel));
	perfkit_record_set_host(rec, c->host);
	rec->worker = (int32_t)i;
	rec->cpu = s->out.cpu;
	rec->status = s->out.status;
	rec->t_submit = stamp(c, s->t_submit);
	rec->t_start = stamp(c, s->out.t_start);
	rec->t_setup = stamp(c, s->out.t_setup);
	rec->t_end = stamp(c, s->out.t_end);
	rec->t_collected = stamp(c, s->t_collected);
	rec->repetitions = s->out.repetitions;
	rec->problem_size = plan->opt.problem_size;
	if (s->out.repetitions > 0) {
		perfkit_kernel_flops(plan->kernel, plan->opt.problem_size,
				     s->out.repetitions, &rec->flops);
		perfkit_kernel_bytes(plan->kernel, plan->opt.problem_size,
				     s->out.repetitions, &rec->bytes);
		perfkit_kernel_items(plan->kernel, plan->opt.problem_size,
				     s->out.repetitions, &rec->items);
	}
	if (s->out.t_setup && s->out.t_end >= s->out.t_setup)
		rec->elapsed = (double)(s->out.t_end - s->out.t_setup) * 1e-9;
	params(rec, plan);
}

static void on_collect(void *ctx, unsigned i)
{
	struct collector *c = ctx;
	const struct pk_harness_plan *plan = c->plan;
	struct perfkit_harness_progress p = {
		sizeof(p), ++c->done, plan->workers, plan->point, plan->points,
		&c->recs[i], c->res,
	};

	make_record(c, i);
	if (plan->opt.progress)
		plan->opt.progress(&p, plan->opt.userdata);
}

static void host_name(char *buf, size_t len)
{
	if (gethostname(buf, len) != 0)
		buf[0] = '\0';
	buf[len - 1] = '\0';
}

/* Append the records in worker order; returns the first failure's status
 * and leaves the message naming it. */
static int append_all(struct collector *c, struct perfkit_results *res,
		      int *harness_failed)
{
	unsigned failed = 0, first = 0;
	int rc;

	for (unsigned i = 0; i < c->plan->workers; i++) {
		size_t at = perfkit_results_count(res);

		if ((rc = perfkit_results_append(res, &c->recs[i]))) {
			*harness_failed = 1;
			return rc;
		}
		if (c->recs[i].status == 0)
			continue;
		if (failed++ == 0)
			first = i;
		perfkit_results_extra_set(res, at, "error", c->slots[i].out.error);
	}
	if (failed == 0)
		return 0;
	return pk_error(c->recs[first].status,
			"harness: %u of %u workers failed (%s, N = %lld); first: worker %u: %s",
			failed, c->plan->workers, perfkit_kernel_name(c->plan->kernel),
			(long long)c->plan->opt.problem_size, first,
			c->slots[first].out.error);
}

int pk_harness_cancelled(const struct pk_harness_plan *plan)
{
	return plan->opt.cancel && *plan->opt.cancel != 0;
}

int pk_harness_run_into(const struct pk_harness_plan *plan,
			struct perfkit_results *res, int *harness_failed)
{
	struct collector c = { .plan = plan, .res = res };
	int rc;

	*harness_failed = 0;
	if (pk_harness_cancelled(plan))
		return pk_error(-ECANCELED, "harness: cancelled before %s",
				plan->points > 1 ? "this sweep point" : "the run");
	c.slots = calloc(plan->workers, sizeof(*c.slots));
	c.recs = calloc(plan->workers, sizeof(*c.recs));
	if (!c.slots || !c.recs) {
		rc = pk_error(-ENOMEM, "harness: out of memory for %u workers",
			      plan->workers);
		*harness_failed = 1;
		goto out;
	}
	host_name(c.host, sizeof(c.host));
	if (plan->opt.before_submit)
		plan->opt.before_submit(plan->opt.userdata);
	time_axis(&c, res);
	if (plan->opt.mode == PERFKIT_HARNESS_PROCESSES)
		rc = pk_harness_run_processes(plan, c.slots, on_collect, &c);
	else
		rc = pk_harness_run_threads(plan, c.slots, on_collect, &c);
	if (rc)
		*harness_failed = 1;
	else
		rc = append_all(&c, res, harness_failed);
out:
	free(c.slots);
	free(c.recs);
	return rc;
}
