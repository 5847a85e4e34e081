/* SPDX-License-Identifier: MIT */
/* Options of perfkit_mpi_queue_run(): defaults, the caller's struct over
 * them as far as its size reaches, the checks on each rank, and the
 * fields every rank must share with rank 0. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mpi-private.h"

static const char who[] = "mpi_queue_run";

PERFKIT_EXPORT int perfkit_mpi_queue_options_init(struct perfkit_mpi_queue_options *opt)
{
	const struct perfkit_mpi_queue_options def = PERFKIT_MPI_QUEUE_OPTIONS_INIT;

	if (!opt)
		return pk_mpi_error(-EINVAL, "mpi_queue_options_init: opt is NULL");
	*opt = def;
	return 0;
}

PERFKIT_EXPORT const char *perfkit_mpi_tasks_name(enum perfkit_mpi_tasks d)
{
	switch (d) {
	case PERFKIT_MPI_TASKS_QUEUE:
		return "mpi-queue";
	case PERFKIT_MPI_TASKS_SCATTER:
		return "mpi-scatter";
	}
	return NULL;
}

int64_t pk_mpi_queue_size_of(const struct pk_mpi_queue *q, uint64_t i)
{
	return q->opt.sizes ? q->opt.sizes[i] : q->opt.problem_size;
}

static int copy(struct pk_mpi_queue *q, const struct perfkit_mpi_queue_options *opt)
{
	const size_t least = offsetof(struct perfkit_mpi_queue_options, cancel) +
			     sizeof(opt->cancel);

	perfkit_mpi_queue_options_init(&q->opt);
	if (opt->size < least || opt->size > 4096)
		return pk_mpi_error(-EINVAL, "%s: opt->size %zu is not the size of a "
				    "struct perfkit_mpi_queue_options", who, opt->size);
	memcpy(&q->opt, opt, opt->size < sizeof(q->opt) ? opt->size : sizeof(q->opt));
	q->opt.size = sizeof(q->opt);
	return 0;
}

static int check(struct pk_mpi_queue *q)
{
	const struct perfkit_mpi_queue_options *o = &q->opt;

	if (!perfkit_mpi_tasks_name(o->distribution))
		return pk_mpi_error(-EINVAL, "%s: distribution %d is not a "
				    "perfkit_mpi_tasks", who, (int)o->distribution);
	if (!o->kernel || perfkit_kernel_find(o->kernel, &q->kernel) != 0)
		return pk_mpi_error(-EINVAL, "%s: unknown kernel '%s'", who,
				    o->kernel ? o->kernel : "(null)");
	if (o->tasks < 1 || o->tasks > PERFKIT_QUEUE_TASKS_MAX)
		return pk_mpi_error(-EINVAL, "%s: tasks must be 1 to %d, got %llu", who,
				    PERFKIT_QUEUE_TASKS_MAX, (unsigned long long)o->tasks);
	if (o->repetitions < 1 || o->repetitions > 1000000)
		return pk_mpi_error(-EINVAL, "%s: repetitions must be 1 to 1000000, "
				    "got %llu", who, (unsigned long long)o->repetitions);
	if (q->rank != 0)
		return 0; /* the sizes travel with the tasks */
	for (uint64_t i = 0; i < o->tasks; i++)
		if (pk_mpi_queue_size_of(q, i) <= 0)
			return pk_mpi_error(-EINVAL, "%s: task %llu has problem size "
					    "%lld; sizes must be > 0", who,
					    (unsigned long long)i,
					    (long long)pk_mpi_queue_size_of(q, i));
	return 0;
}

int pk_mpi_queue_options_read(struct pk_mpi_queue *q,
			      const struct perfkit_mpi_queue_options *opt)
{
	int rc = copy(q, opt);

	return rc ? rc : check(q);
}

/* What every rank must share with rank 0, in canonical bytes. */
struct shared {
	char kernel[PERFKIT_KERNEL_NAME_MAX + 1];
	uint64_t tasks, repetitions;
	int32_t distribution, verify;
};

int pk_mpi_queue_options_same(struct pk_mpi_queue *q)
{
	struct shared mine, root;

	memset(&mine, 0, sizeof(mine));
	snprintf(mine.kernel, sizeof(mine.kernel), "%s", q->opt.kernel);
	mine.tasks = q->opt.tasks;
	mine.repetitions = q->opt.repetitions;
	mine.distribution = (int32_t)q->opt.distribution;
	mine.verify = q->opt.verify != 0;
	root = mine;
	MPI_Bcast(&root, sizeof(root), MPI_BYTE, 0, q->comm);
	if (memcmp(&root, &mine, sizeof(root)) == 0)
		return 0;
	return pk_mpi_error(-EINVAL, "%s: options differ from rank 0's (kernel "
			    "'%s' against '%s', %llu against %llu tasks, %llu "
			    "against %llu repetitions, distribution, verify: every "
			    "rank must pass the same)", who, mine.kernel, root.kernel,
			    (unsigned long long)mine.tasks,
			    (unsigned long long)root.tasks,
			    (unsigned long long)mine.repetitions,
			    (unsigned long long)root.repetitions);
}
