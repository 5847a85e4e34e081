/* SPDX-License-Identifier: MIT */
/* Thread mode: one pthread per worker; the caller's thread submits them,
 * releases the barrier and collects them in the order they finish. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/timer.h"
#include "harness-private.h"

struct run {
	const struct pk_harness_plan *plan;
	struct pk_worker_slot *slots;
	pthread_mutex_t lock;
	/* two conditions, so that a finished worker wakes only the caller,
	 * not the thousands of workers waiting at the barrier */
	pthread_cond_t go;	/* the barrier was released */
	pthread_cond_t queued;	/* a worker joined the completion queue */
	/* start barrier: workers that can still arrive, and those that did */
	unsigned expected, arrived;
	int released;
	/* completion queue, in finishing order */
	unsigned *done;
	unsigned ndone;
};

struct worker_arg {
	struct run *run;
	unsigned index;
};

/* A barrier the caller can shrink when a worker could not be started, so
 * nobody waits for a thread that does not exist. */
static void barrier_check_locked(struct run *r)
{
	if (!r->released && r->arrived >= r->expected) {
		r->released = 1;
		pthread_cond_broadcast(&r->go);
	}
}

/* After setup: arrive at the barrier and wait until every worker has. */
static void ready(void *ctx, int setup_rc)
{
	struct run *r = ((struct worker_arg *)ctx)->run;

	(void)setup_rc; /* a failed worker arrives too, then stops */
	pthread_mutex_lock(&r->lock);
	r->arrived++;
	barrier_check_locked(r);
	while (!r->released)
		pthread_cond_wait(&r->go, &r->lock);
	pthread_mutex_unlock(&r->lock);
}

/* The worker's slot is final: queue it for the caller (the worker's
 * teardown runs after this, while the caller collects). */
static void done(void *ctx, const struct pk_worker_out *out)
{
	struct worker_arg *a = ctx;
	struct run *r = a->run;

	(void)out; /* it is r->slots[a->index].out */
	pthread_mutex_lock(&r->lock);
	r->done[r->ndone++] = a->index;
	pthread_cond_signal(&r->queued);
	pthread_mutex_unlock(&r->lock);
}

static void *worker_main(void *p)
{
	struct worker_arg *a = p;
	int barrier = a->run->plan->opt.start == PERFKIT_HARNESS_START_BARRIER;
	struct pk_worker_sync sync = { barrier ? ready : NULL, done, a };

	pk_harness_worker(a->run->plan, a->index, &sync, &a->run->slots[a->index].out);
	return NULL;
}

/* A worker that never ran: its slot says why. */
static void not_started(struct run *r, unsigned i, int err)
{
	struct pk_worker_out *o = &r->slots[i].out;

	memset(o, 0, sizeof(*o));
	o->status = -err;
	o->cpu = -1;
	snprintf(o->error, sizeof(o->error), "submit: pthread_create: %s",
		 strerror(err));
	pthread_mutex_lock(&r->lock);
	r->expected--;
	barrier_check_locked(r);
	r->done[r->ndone++] = i;
	pthread_cond_signal(&r->queued);
	pthread_mutex_unlock(&r->lock);
}

static void submit_all(struct run *r, pthread_t *tid, int *started,
		       struct worker_arg *args)
{
	const struct pk_harness_plan *plan = r->plan;

	for (unsigned i = 0; i < plan->workers; i++) {
		int err;

		if (i > 0 && plan->opt.stagger > 0)
			pk_harness_sleep(plan->opt.stagger);
		args[i].run = r;
		args[i].index = i;
		r->slots[i].t_submit = perfkit_now_ns();
		err = pthread_create(&tid[i], NULL, worker_main, &args[i]);
		started[i] = err == 0;
		if (err)
			not_started(r, i, err);
	}
}

/* Take finished workers off the queue as they come; join them all at the
 * end, so that one worker's teardown never delays another's collection. */
static void collect_all(struct run *r, pthread_t *tid, const int *started,
			pk_collect_fn collect, void *ctx)
{
	for (unsigned taken = 0; taken < r->plan->workers; taken++) {
		unsigned i;

		pthread_mutex_lock(&r->lock);
		while (r->ndone <= taken)
			pthread_cond_wait(&r->queued, &r->lock);
		i = r->done[taken];
		pthread_mutex_unlock(&r->lock);
		r->slots[i].t_collected = perfkit_now_ns();
		collect(ctx, i);
	}
	for (unsigned i = 0; i < r->plan->workers; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
}

int pk_harness_run_threads(const struct pk_harness_plan *plan,
			   struct pk_worker_slot *slots,
			   pk_collect_fn collect, void *ctx)
{
	struct run r = { .plan = plan, .slots = slots, .expected = plan->workers };
	pthread_t *tid = calloc(plan->workers, sizeof(*tid));
	int *started = calloc(plan->workers, sizeof(*started));
	struct worker_arg *args = calloc(plan->workers, sizeof(*args));
	int rc = 0;

	r.done = calloc(plan->workers, sizeof(*r.done));
	if (!tid || !started || !args || !r.done) {
		rc = pk_error(-ENOMEM, "harness: out of memory for %u workers",
			      plan->workers);
		goto out;
	}
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.go, NULL);
	pthread_cond_init(&r.queued, NULL);
	submit_all(&r, tid, started, args);
	collect_all(&r, tid, started, collect, ctx);
	pthread_cond_destroy(&r.go);
	pthread_cond_destroy(&r.queued);
	pthread_mutex_destroy(&r.lock);
out:
	free(tid);
	free(started);
	free(args);
	free(r.done);
	return rc;
}
