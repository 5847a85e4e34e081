/* SPDX-License-Identifier: MIT */
/*
 * perfkit_mpi_queue_run(): the HPC Python workshop's MPI studies of one
 * set of tasks. Queue: rank 0 is the workload manager; each other rank
 * asks it for a task with MPI_Send, gets the next task's index and size
 * with MPI_Recv, runs it and asks again until rank 0 answers -1. Scatter:
 * rank 0 splits the tasks evenly with MPI_Scatterv before they start and
 * every rank runs its share. Every rank keeps its tasks' records; they
 * are gathered on rank 0 (mpi-gather.c) and put in task order
 * (mpi-queue-order.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpi-private.h"

static const char who[] = "mpi_queue_run";

/* Poll interval of rank 0 while it waits for a request. */
#define ASK_POLL_NS 20000

static int cancelled(const struct pk_mpi_queue *q)
{
	return q->opt.cancel && *q->opt.cancel;
}

/* Rank 0: the next request, from any worker; sleeps while none comes. */
static int next_ask(const struct pk_mpi_queue *q)
{
	struct timespec nap = { 0, ASK_POLL_NS };
	MPI_Status st;
	MPI_Request req;
	int64_t ask;
	int done = 0;

	MPI_Irecv(&ask, 1, MPI_INT64_T, MPI_ANY_SOURCE, PK_MPI_TAG_TASK_ASK, q->comm,
		  &req);
	for (;;) {
		MPI_Test(&req, &done, &st);
		if (done)
			return st.MPI_SOURCE;
		nanosleep(&nap, NULL);
	}
}

static void manage(struct pk_mpi_queue *q)
{
	uint64_t next = 0;
	int stopped = 0;

	while (stopped < q->size - 1) {
		int from = next_ask(q);
		int64_t task[2] = { -1, 0 };

		if (next < q->opt.tasks && !cancelled(q)) {
			task[0] = (int64_t)next;
			task[1] = pk_mpi_queue_size_of(q, next++);
		} else {
			stopped++;
		}
		MPI_Send(task, 2, MPI_INT64_T, from, PK_MPI_TAG_TASK, q->comm);
	}
	for (; next < q->opt.tasks; next++)
		pk_mpi_queue_untaken(q, next, pk_mpi_queue_size_of(q, next));
}

static void work(struct pk_mpi_queue *q)
{
	for (;;) {
		int64_t ask = q->rank, task[2];

		MPI_Send(&ask, 1, MPI_INT64_T, 0, PK_MPI_TAG_TASK_ASK, q->comm);
		MPI_Recv(task, 2, MPI_INT64_T, 0, PK_MPI_TAG_TASK, q->comm,
			 MPI_STATUS_IGNORE);
		if (task[0] < 0)
			return;
		pk_mpi_queue_task(q, (uint64_t)task[0], task[1]);
	}
}

/* Rank 0 alone: the whole queue here. */
static void run_alone(struct pk_mpi_queue *q)
{
	for (uint64_t i = 0; i < q->opt.tasks; i++)
		if (cancelled(q))
			pk_mpi_queue_untaken(q, i, pk_mpi_queue_size_of(q, i));
		else
			pk_mpi_queue_task(q, i, pk_mpi_queue_size_of(q, i));
}

/* ---- scatter ---- */

static uint64_t first_of(const struct pk_mpi_queue *q, int r)
{
	return q->opt.tasks * (uint64_t)r / (uint64_t)q->size;
}

/* On rank 0: (index, size) of every task, and each rank's share. */
static int deal(const struct pk_mpi_queue *q, int64_t **all, int **counts, int **displs)
{
	size_t n = (size_t)q->size;

	if (q->rank != 0)
		return 0;
	*all = malloc(2 * q->opt.tasks * sizeof(**all));
	*counts = malloc(n * sizeof(**counts));
	*displs = malloc(n * sizeof(**displs));
	if (!*all || !*counts || !*displs)
		return pk_mpi_error(-ENOMEM, "%s: out of memory to scatter %llu tasks",
				    who, (unsigned long long)q->opt.tasks);
	for (uint64_t i = 0; i < q->opt.tasks; i++) {
		(*all)[2 * i] = (int64_t)i;
		(*all)[2 * i + 1] = pk_mpi_queue_size_of(q, i);
	}
	for (int r = 0; r < q->size; r++) {
		(*displs)[r] = (int)(2 * first_of(q, r));
		(*counts)[r] = (int)(2 * (first_of(q, r + 1) - first_of(q, r)));
	}
	return 0;
}

static int scatter(struct pk_mpi_queue *q)
{
	uint64_t k = first_of(q, q->rank + 1) - first_of(q, q->rank);
	int64_t *all = NULL, *mine = malloc((k ? 2 * k : 1) * sizeof(*mine));
	int *counts = NULL, *displs = NULL;
	int rc = mine ? deal(q, &all, &counts, &displs) :
		 pk_mpi_error(-ENOMEM, "%s: out of memory for %llu tasks", who,
			      (unsigned long long)k);

	if ((rc = pk_mpi_agree(q->comm, rc)) == 0) {
		MPI_Scatterv(all, counts, displs, MPI_INT64_T, mine, (int)(2 * k),
			     MPI_INT64_T, 0, q->comm);
		for (uint64_t j = 0; j < k; j++)
			if (cancelled(q))
				pk_mpi_queue_untaken(q, (uint64_t)mine[2 * j], mine[2 * j + 1]);
			else
				pk_mpi_queue_task(q, (uint64_t)mine[2 * j], mine[2 * j + 1]);
	}
	free(all);
	free(counts);
	free(displs);
	free(mine);
	return rc;
}

/* ---- the run ---- */

/* Collective: options checked everywhere and against rank 0's. */
static int prepare(struct pk_mpi_queue *q, const struct perfkit_mpi_queue_options *opt,
		   struct perfkit_results **out)
{
	int rc;

	if (!opt || !out)
		rc = pk_mpi_error(-EINVAL, "%s: %s is NULL", who, !opt ? "opt" : "out");
	else
		rc = pk_mpi_queue_options_read(q, opt);
	if ((rc = pk_mpi_agree(q->comm, rc)))
		return rc;
	if ((rc = pk_mpi_agree(q->comm, pk_mpi_queue_options_same(q))))
		return rc;
	return pk_mpi_agree(q->comm, perfkit_results_new(&q->local));
}

/* Roles, this rank's time axis, and rank 0's queue time on it. */
static void start(struct pk_mpi_queue *q)
{
	struct timespec rt;
	int64_t queued;
	int alone = q->size == 1 || q->opt.distribution == PERFKIT_MPI_TASKS_SCATTER;

	/* this rank's own index: the gather makes it global (the worker
	 * ranks in order) */
	q->worker = alone || q->rank > 0 ? 0 : -1;
	q->workers = alone ? (unsigned)q->size : (unsigned)q->size - 1;
	pk_mpi_clock_sync(q->comm, 0, &q->offset, &q->uncertainty);
	q->mono0 = perfkit_now_ns();
	clock_gettime(CLOCK_REALTIME, &rt);
	q->axis0 = (double)((int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec -
			    perfkit_results_epoch_ns(q->local)) * 1e-9;
	queued = pk_mpi_realtime_ns();
	MPI_Bcast(&queued, 1, MPI_INT64_T, 0, q->comm);
	/* rank 0's clock reading, on this rank's clock */
	q->submit = (double)(queued - perfkit_results_epoch_ns(q->local)) * 1e-9 -
		    q->offset;
}

static int distribute(struct pk_mpi_queue *q)
{
	if (q->opt.distribution == PERFKIT_MPI_TASKS_SCATTER)
		return scatter(q);
	if (q->size == 1)
		run_alone(q);
	else if (q->rank == 0)
		manage(q);
	else
		work(q);
	return 0;
}

/* Gather on rank 0, order, and agree on the result. */
static int collect(struct pk_mpi_queue *q, int rc, struct perfkit_results **out)
{
	struct pk_mpi_contribution mine = { 0 };
	struct perfkit_results *all = NULL;
	int grc;

	pk_mpi_quiet_barrier(q->comm); /* the ranks done first sleep */
	mine.local = q->local;
	mine.status = rc ? rc : q->err;
	mine.workers = q->worker >= 0 ? 1 : 0;
	mine.offset = q->offset;
	mine.uncertainty = q->uncertainty;
	if ((grc = pk_mpi_gather(q->comm, &mine, 0, 0, &all)))
		return grc;
	if (q->rank == 0)
		grc = pk_mpi_queue_finish(q, &all);
	if (grc == 0 && q->err)
		grc = pk_mpi_error(q->err, "%s: a task's record could not be kept: %s",
				   who, perfkit_last_error());
	/* a failed scatter is agreed already; else rank 0's verdict */
	rc = pk_mpi_agree(q->comm, rc ? rc : grc);
	*out = all;
	return rc;
}

PERFKIT_EXPORT int perfkit_mpi_queue_run(MPI_Comm comm,
					 const struct perfkit_mpi_queue_options *opt,
					 struct perfkit_results **out)
{
	struct pk_mpi_queue q;
	int rc;

	memset(&q, 0, sizeof(q));
	if (out)
		*out = NULL;
	if ((rc = pk_mpi_comm_usable(comm, who)))
		return rc;
	MPI_Comm_dup(comm, &q.comm);
	MPI_Comm_rank(q.comm, &q.rank);
	MPI_Comm_size(q.comm, &q.size);
	if ((rc = prepare(&q, opt, out)) == 0) {
		start(&q);
		rc = distribute(&q);
		rc = collect(&q, rc, out);
	}
	perfkit_results_destroy(q.local);
	MPI_Comm_free(&q.comm);
	return rc;
}
