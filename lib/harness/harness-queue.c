/* SPDX-License-Identifier: MIT */
/*
 * Task-queue runs: W workers (threads or forked processes) pull task
 * indices from one atomic counter in shared memory until the queue is
 * empty. Each task's slot (who ran it, when, how it ended) is in the same
 * shared mapping, so a process worker's results need no pipe; a worker
 * process that dies leaves its task marked running, and the parent fails
 * that task and starts a replacement for the remaining ones.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "perfkit/kernel.h"
#include "perfkit/queue.h"
#include "perfkit/region.h"
#include "perfkit/timer.h"
#include "harness-private.h"

enum { TASK_QUEUED, TASK_RUNNING, TASK_DONE };

struct queue_task {
	atomic_int state;
	int32_t worker;
	int32_t status;
	int32_t cpu;     /* where the task ended, -1 if unknown */
	uint64_t t_start, t_setup, t_end; /* monotonic ns, 0 if not reached */
	uint64_t repetitions;
	char error[192];
};

struct queue_shm {
	atomic_uint_fast64_t next;
	uint64_t t_queued;
	struct queue_task task[];
};

struct queue_run {
	struct perfkit_queue_options opt; /* full size, defaults filled */
	const struct perfkit_kernel *kernel;
	struct queue_shm *q;
	size_t map_len;
};

static int64_t task_size(const struct queue_run *r, uint64_t i)
{
	return r->opt.sizes ? r->opt.sizes[i] : r->opt.problem_size;
}

static void task_fail(struct queue_task *t, int rc, const char *what)
{
	t->status = rc;
	snprintf(t->error, sizeof(t->error), "%s: %s", what, perfkit_last_error());
}

/* One task: setup, the timed repetitions, verify, teardown. */
static void run_task(const struct queue_run *r, unsigned worker, uint64_t i)
{
	struct perfkit_kernel_options kopt = PERFKIT_KERNEL_OPTIONS_INIT;
	struct queue_task *t = &r->q->task[i];
	struct perfkit_kernel_instance *inst = NULL;
	int rc;

	t->worker = (int32_t)worker;
	t->t_start = perfkit_now_ns();
	atomic_store(&t->state, TASK_RUNNING);
	kopt.output_dir = r->opt.output_dir;
	kopt.keep_output = r->opt.keep_output;
	if ((rc = perfkit_kernel_setup(r->kernel, task_size(r, i), &kopt, &inst))) {
		task_fail(t, rc, "setup");
		goto out;
	}
	t->t_setup = perfkit_now_ns();
	rc = perfkit_kernel_run(inst, r->opt.repetitions);
	t->t_end = perfkit_now_ns();
	if (rc)
		task_fail(t, rc, "run");
	else
		t->repetitions = r->opt.repetitions;
	if (rc == 0 && r->opt.verify && (rc = perfkit_kernel_verify(inst)) &&
	    rc != -ENOTSUP)
		task_fail(t, rc, "verify");
	perfkit_kernel_teardown(inst);
out:
	t->cpu = sched_getcpu();
	atomic_store(&t->state, TASK_DONE);
}

static void work(const struct queue_run *r, unsigned worker)
{
	for (;;) {
		uint64_t i;

		if (r->opt.cancel && *r->opt.cancel)
			return;
		i = atomic_fetch_add(&r->q->next, 1);
		if (i >= r->opt.tasks)
			return;
		run_task(r, worker, i);
	}
}

/* ---- threads ---- */

struct thread_arg {
	const struct queue_run *r;
	unsigned worker;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	work(a->r, a->worker);
	return NULL;
}

static int run_threads(const struct queue_run *r)
{
	unsigned w = r->opt.workers, started = 0;
	pthread_t *tid = calloc(w, sizeof(*tid));
	struct thread_arg *arg = calloc(w, sizeof(*arg));
	int rc = 0;

	if (!tid || !arg) {
		rc = pk_error(-ENOMEM, "queue: out of memory for %u threads", w);
		goto out;
	}
	for (; started < w; started++) {
		arg[started] = (struct thread_arg){ r, started };
		if ((rc = pthread_create(&tid[started], NULL, thread_main,
					 &arg[started]))) {
			rc = pk_error(-rc, "queue: cannot start worker thread %u: %s",
				      started, strerror(rc));
			break;
		}
	}
	/* the threads already started drain the queue on their own */
	if (rc && started > 0)
		rc = 0;
	for (unsigned k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
out:
	free(tid);
	free(arg);
	return rc;
}

/* ---- processes ---- */

static pid_t spawn(const struct queue_run *r, unsigned worker)
{
	pid_t pid = fork();

	if (pid == 0) {
		work(r, worker);
		perfkit_region_trace_flush(); /* _exit() runs no exit handlers */
		_exit(0);
	}
	return pid;
}

/* Worker @w's process ended as @ws: fail the task it held, if any. */
static void reap(const struct queue_run *r, unsigned w, int ws)
{
	char how[96];

	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
		return;
	if (WIFSIGNALED(ws))
		snprintf(how, sizeof(how), "was killed by signal %d (%s)",
			 WTERMSIG(ws), strsignal(WTERMSIG(ws)));
	else
		snprintf(how, sizeof(how), "exited with status %d",
			 WEXITSTATUS(ws));
	for (uint64_t i = 0; i < r->opt.tasks; i++) {
		struct queue_task *t = &r->q->task[i];

		if (atomic_load(&t->state) != TASK_RUNNING || t->worker != (int32_t)w)
			continue;
		t->status = -ECHILD;
		t->t_end = 0;
		snprintf(t->error, sizeof(t->error), "worker process %u %s during "
			 "the task", w, how);
		atomic_store(&t->state, TASK_DONE);
	}
}

static int queue_left(const struct queue_run *r)
{
	return atomic_load(&r->q->next) < r->opt.tasks &&
	       !(r->opt.cancel && *r->opt.cancel);
}

static void nap(void)
{
	struct timespec ts = { 0, 500000 };

	nanosleep(&ts, NULL);
}

static int run_processes(const struct queue_run *r)
{
	unsigned w = r->opt.workers, alive = 0;
	pid_t *pid = calloc(w, sizeof(*pid));
	int rc = 0, ws;

	if (!pid)
		return pk_error(-ENOMEM, "queue: out of memory for %u workers", w);
	for (unsigned k = 0; k < w; k++) {
		pid[k] = spawn(r, k);
		if (pid[k] < 0) {
			rc = pk_error(-errno, "queue: cannot fork worker %u: %s", k,
				      strerror(errno));
			break;
		}
		alive++;
	}
	if (rc && alive > 0)
		rc = 0; /* the workers started drain the queue */
	while (alive > 0) {
		int reaped = 0;

		for (unsigned k = 0; k < w; k++) {
			if (pid[k] <= 0 || waitpid(pid[k], &ws, WNOHANG) != pid[k])
				continue;
			reaped = 1;
			reap(r, k, ws);
			pid[k] = 0;
			alive--;
			/* a dead worker's place: the queue must still empty */
			if (!(WIFEXITED(ws) && WEXITSTATUS(ws) == 0) && queue_left(r) &&
			    (pid[k] = spawn(r, k)) > 0)
				alive++;
		}
		if (!reaped)
			nap();
	}
	free(pid);
	return rc;
}

/* ---- options and records ---- */

static int read_options(const struct perfkit_queue_options *in,
			struct queue_run *r)
{
	struct perfkit_queue_options def = PERFKIT_QUEUE_OPTIONS_INIT;

	if (!in)
		return pk_error(-EINVAL, "queue: options are NULL");
	if (in->size < offsetof(struct perfkit_queue_options, cancel) +
		       sizeof(in->cancel))
		return pk_error(-EINVAL, "queue: options size %zu is too small "
				"(set .size = sizeof(struct perfkit_queue_options))",
				in->size);
	r->opt = def;
	memcpy(&r->opt, in, in->size < sizeof(def) ? in->size : sizeof(def));
	r->opt.size = sizeof(def);
	return 0;
}

static int check_options(struct queue_run *r)
{
	const struct perfkit_queue_options *o = &r->opt;

	if (!o->kernel || perfkit_kernel_find(o->kernel, &r->kernel) != 0)
		return pk_error(-EINVAL, "queue: unknown kernel '%s'",
				o->kernel ? o->kernel : "(null)");
	if (o->tasks < 1 || o->tasks > PERFKIT_QUEUE_TASKS_MAX)
		return pk_error(-EINVAL, "queue: tasks must be 1 to %d, got %llu",
				PERFKIT_QUEUE_TASKS_MAX, (unsigned long long)o->tasks);
	if (o->workers < 1 || o->workers > PERFKIT_HARNESS_WORKERS_MAX)
		return pk_error(-EINVAL, "queue: workers must be 1 to %d, got %u",
				PERFKIT_HARNESS_WORKERS_MAX, o->workers);
	if (o->mode != PERFKIT_HARNESS_THREADS && o->mode != PERFKIT_HARNESS_PROCESSES)
		return pk_error(-EINVAL, "queue: mode must be threads or processes");
	if (o->repetitions < 1)
		return pk_error(-EINVAL, "queue: repetitions must be >= 1");
	for (uint64_t i = 0; i < o->tasks; i++)
		if (task_size(r, i) <= 0)
			return pk_error(-EINVAL, "queue: task %llu has problem size "
					"%lld; sizes must be > 0",
					(unsigned long long)i,
					(long long)task_size(r, i));
	return 0;
}

static int map_queue(struct queue_run *r)
{
	r->map_len = sizeof(struct queue_shm) + r->opt.tasks * sizeof(struct queue_task);
	r->q = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->q == MAP_FAILED) {
		r->q = NULL;
		return pk_error(-ENOMEM, "queue: cannot map %zu bytes for %llu "
				"tasks: %s", r->map_len,
				(unsigned long long)r->opt.tasks, strerror(errno));
	}
	return 0; /* the mapping is zeroed: every task queued, next = 0 */
}

/* Monotonic ns → seconds from the set's epoch. */
struct axis {
	uint64_t mono0;
	double offset;
};

static void axis_now(struct axis *a, const struct perfkit_results *res)
{
	struct timespec rt;
	uint64_t m = perfkit_now_ns();

	clock_gettime(CLOCK_REALTIME, &rt);
	a->mono0 = m;
	a->offset = (double)((int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec -
			     perfkit_results_epoch_ns(res)) * 1e-9;
}

static double stamp(const struct axis *a, uint64_t mono)
{
	return mono ? (double)(int64_t)(mono - a->mono0) * 1e-9 + a->offset : NAN;
}

static void fill_record(const struct queue_run *r, const struct axis *a,
			uint64_t i, struct perfkit_record *rec)
{
	const struct queue_task *t = &r->q->task[i];
	int64_t n = task_size(r, i);
	char buf[40];

	perfkit_record_init(rec);
	perfkit_record_set_name(rec, perfkit_kernel_name(r->kernel));
	if (gethostname(buf, sizeof(buf)) == 0) {
		buf[sizeof(buf) - 1] = '\0';
		perfkit_record_set_host(rec, buf);
	}
	rec->worker = atomic_load(&t->state) == TASK_QUEUED ? -1 : t->worker;
	rec->status = atomic_load(&t->state) == TASK_QUEUED ? -ECANCELED : t->status;
	rec->cpu = atomic_load(&t->state) == TASK_DONE && t->t_end ? t->cpu : -1;
	rec->t_submit = stamp(a, r->q->t_queued);
	rec->t_start = stamp(a, t->t_start);
	rec->t_setup = stamp(a, t->t_setup);
	rec->t_end = stamp(a, t->t_end);
	rec->problem_size = n;
	rec->repetitions = t->repetitions;
	if (t->repetitions > 0) {
		perfkit_kernel_flops(r->kernel, n, t->repetitions, &rec->flops);
		perfkit_kernel_bytes(r->kernel, n, t->repetitions, &rec->bytes);
		perfkit_kernel_items(r->kernel, n, t->repetitions, &rec->items);
	}
	if (t->t_setup && t->t_end >= t->t_setup)
		rec->elapsed = (double)(t->t_end - t->t_setup) * 1e-9;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)i);
	perfkit_record_set_param(rec, "task", buf);
	if (t->t_start) {
		snprintf(buf, sizeof(buf), "%.9f",
			 (double)(t->t_start - r->q->t_queued) * 1e-9);
		perfkit_record_set_param(rec, "wait_s", buf);
	}
	snprintf(buf, sizeof(buf), "%u", r->opt.workers);
	perfkit_record_set_param(rec, "workers", buf);
	perfkit_record_set_param(rec, "mode", perfkit_harness_mode_name(r->opt.mode));
}

/* One record per task, in task order; the first failure's status. */
static int collect(const struct queue_run *r, struct perfkit_results *res)
{
	struct perfkit_record rec;
	uint64_t failed = 0, first = 0;
	struct axis a;
	int rc;

	axis_now(&a, res);
	for (uint64_t i = 0; i < r->opt.tasks; i++) {
		fill_record(r, &a, i, &rec);
		if ((rc = perfkit_results_append(res, &rec)))
			return rc;
		if (rec.status == 0)
			continue;
		if (failed++ == 0)
			first = i;
		perfkit_results_extra_set(res, i, "error",
					  rec.status == -ECANCELED &&
					  !r->q->task[i].t_start ?
					  "cancelled before it was taken" :
					  r->q->task[i].error);
	}
	if (failed == 0)
		return 0;
	fill_record(r, &a, first, &rec);
	return pk_error(rec.status, "queue: %llu of %llu tasks failed (%s); first: "
			"task %llu: %s", (unsigned long long)failed,
			(unsigned long long)r->opt.tasks, r->opt.kernel,
			(unsigned long long)first,
			r->q->task[first].t_start ? r->q->task[first].error :
			"cancelled before it was taken");
}

/* The set's metadata, as a harness run of the same kernel would write. */
static int new_set(const struct queue_run *r, struct perfkit_results **out)
{
	struct perfkit_harness_options ho = PERFKIT_HARNESS_OPTIONS_INIT;
	struct pk_harness_plan plan;
	int rc;

	ho.kernel = r->opt.kernel;
	ho.problem_size = task_size(r, 0);
	ho.loopcount = r->opt.repetitions;
	ho.workers = r->opt.workers;
	ho.mode = r->opt.mode;
	ho.placement = PERFKIT_HARNESS_PLACE_NONE;
	ho.verify = r->opt.verify;
	if ((rc = pk_harness_plan_init(&plan, &ho)))
		return rc;
	rc = pk_harness_new_set(&plan, NULL, NULL, out);
	pk_harness_plan_fini(&plan);
	return rc;
}

PERFKIT_EXPORT int perfkit_queue_run(const struct perfkit_queue_options *opt,
				     struct perfkit_results **out)
{
	struct queue_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	if (!out)
		return pk_error(-EINVAL, "queue: out is NULL");
	*out = NULL;
	if ((rc = read_options(opt, &r)) || (rc = check_options(&r)) ||
	    (rc = map_queue(&r)))
		return rc;
	if ((rc = new_set(&r, out)))
		goto unmap;
	r.q->t_queued = perfkit_now_ns();
	rc = r.opt.mode == PERFKIT_HARNESS_THREADS ? run_threads(&r) :
						      run_processes(&r);
	if (rc == 0)
		rc = collect(&r, *out);
	if (rc == 0 && r.opt.cancel && *r.opt.cancel)
		rc = pk_error(-ECANCELED, "queue: stopped on request");
unmap:
	munmap(r.q, r.map_len);
	return rc;
}
