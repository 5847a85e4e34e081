/* SPDX-License-Identifier: MIT */
/* One task of perfkit_mpi_queue_run() on the rank that took it: the
 * kernel's setup, timed repetitions, verify and teardown, and the task's
 * record. A failed task keeps its status and says why; the rank goes on. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mpi-private.h"

/* Monotonic ns -> seconds from the local set's epoch. */
static double stamp(const struct pk_mpi_queue *q, uint64_t mono)
{
	return mono ? (double)(int64_t)(mono - q->mono0) * 1e-9 + q->axis0 : NAN;
}

static void base_record(const struct pk_mpi_queue *q, uint64_t task, int64_t size,
			struct perfkit_record *rec)
{
	char buf[64];

	perfkit_record_init(rec);
	perfkit_record_set_name(rec, perfkit_kernel_name(q->kernel));
	if (gethostname(buf, sizeof(buf)) == 0) {
		buf[sizeof(buf) - 1] = '\0';
		perfkit_record_set_host(rec, buf);
	}
	rec->t_submit = q->submit;
	rec->problem_size = size;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)task);
	perfkit_record_set_param(rec, "task", buf);
}

static void tail_params(const struct pk_mpi_queue *q, struct perfkit_record *rec)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u", q->workers);
	perfkit_record_set_param(rec, "workers", buf);
	perfkit_record_set_param(rec, "mode", perfkit_mpi_tasks_name(q->opt.distribution));
}

static void keep(struct pk_mpi_queue *q, const struct perfkit_record *rec,
		 const char *error)
{
	size_t i = perfkit_results_count(q->local);
	int rc = perfkit_results_append(q->local, rec);

	if (rc == 0 && error)
		rc = perfkit_results_extra_set(q->local, i, "error", error);
	if (rc && !q->err)
		q->err = rc;
}

static int failed(int rc, const char *step, char *why, size_t len)
{
	snprintf(why, len, "%s: %s", step, perfkit_last_error());
	return rc;
}

void pk_mpi_queue_task(struct pk_mpi_queue *q, uint64_t task, int64_t size)
{
	struct perfkit_kernel_options kopt = PERFKIT_KERNEL_OPTIONS_INIT;
	struct perfkit_kernel_instance *inst = NULL;
	uint64_t t_start = perfkit_now_ns(), t_setup = 0, t_end = 0;
	struct perfkit_record rec;
	char why[256] = "", buf[32];
	int rc;

	kopt.output_dir = q->opt.output_dir;
	kopt.keep_output = q->opt.keep_output;
	if ((rc = perfkit_kernel_setup(q->kernel, size, &kopt, &inst))) {
		rc = failed(rc, "setup", why, sizeof(why));
	} else {
		t_setup = perfkit_now_ns();
		rc = perfkit_kernel_run(inst, q->opt.repetitions);
		t_end = perfkit_now_ns();
		if (rc)
			rc = failed(rc, "run", why, sizeof(why));
		else if (q->opt.verify && (rc = perfkit_kernel_verify(inst)) &&
			 rc != -ENOTSUP)
			rc = failed(rc, "verify", why, sizeof(why));
		else
			rc = 0;
		perfkit_kernel_teardown(inst);
	}
	base_record(q, task, size, &rec);
	rec.worker = q->worker;
	rec.status = rc;
	rec.cpu = sched_getcpu();
	rec.t_start = stamp(q, t_start);
	rec.t_setup = stamp(q, t_setup);
	rec.t_end = stamp(q, t_end);
	if (t_setup && t_end >= t_setup) {
		rec.repetitions = q->opt.repetitions;
		rec.elapsed = (double)(t_end - t_setup) * 1e-9;
		perfkit_kernel_flops(q->kernel, size, rec.repetitions, &rec.flops);
		perfkit_kernel_bytes(q->kernel, size, rec.repetitions, &rec.bytes);
		perfkit_kernel_items(q->kernel, size, rec.repetitions, &rec.items);
	}
	snprintf(buf, sizeof(buf), "%.9f", rec.t_start - rec.t_submit);
	perfkit_record_set_param(&rec, "wait_s", buf);
	tail_params(q, &rec);
	keep(q, &rec, rc ? why : NULL);
}

void pk_mpi_queue_untaken(struct pk_mpi_queue *q, uint64_t task, int64_t size)
{
	struct perfkit_record rec;

	base_record(q, task, size, &rec);
	rec.status = -ECANCELED;
	tail_params(q, &rec);
	keep(q, &rec, "cancelled before it was taken");
}
