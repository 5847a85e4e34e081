/* SPDX-License-Identifier: MIT */
/* On rank 0 after the gather of perfkit_mpi_queue_run(): the records
 * arrive in rank order; the set is rebuilt in task order (each record
 * with its extra columns), the queue.* metadata added, and the failed
 * tasks counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

static const char who[] = "mpi_queue_run";

static int copy_meta(const struct perfkit_results *from, struct perfkit_results *to)
{
	int rc = perfkit_results_set_epoch_ns(to, perfkit_results_epoch_ns(from));

	for (size_t i = 0; rc == 0 && i < perfkit_results_meta_count(from); i++) {
		const char *k, *v;

		if ((rc = perfkit_results_meta_at(from, i, &k, &v)) == 0)
			rc = perfkit_results_meta_set(to, k, v);
	}
	return rc;
}

static int copy_record(const struct perfkit_results *from, size_t i,
		       struct perfkit_results *to)
{
	const struct perfkit_record *r;
	size_t at = perfkit_results_count(to);
	int rc = perfkit_results_get(from, i, &r);

	if (rc == 0)
		rc = perfkit_results_append(to, r);
	for (size_t j = 0; rc == 0 && j < perfkit_results_extra_count(from, i); j++) {
		const char *k, *v;

		if ((rc = perfkit_results_extra_get(from, i, j, &k, &v)) == 0)
			rc = perfkit_results_extra_set(to, at, k, v);
	}
	return rc;
}

/* where[t] = the gathered record of task t. */
static int index_tasks(const struct perfkit_results *set, uint64_t tasks, size_t *where)
{
	size_t n = perfkit_results_count(set);

	if (n != tasks)
		return pk_mpi_error(-EBADMSG, "%s: %zu records gathered for %llu tasks",
				    who, n, (unsigned long long)tasks);
	for (uint64_t t = 0; t < tasks; t++)
		where[t] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;
		const char *v = NULL;
		unsigned long long t;

		if (perfkit_results_get(set, i, &r) ||
		    perfkit_record_get_param(r, "task", &v) || !v ||
		    sscanf(v, "%llu", &t) != 1 || t >= tasks || where[t] != SIZE_MAX)
			return pk_mpi_error(-EBADMSG, "%s: gathered record %zu has no "
					    "task of its own", who, i);
		where[t] = i;
	}
	return 0;
}

static int reorder(const struct perfkit_results *from, uint64_t tasks,
		   struct perfkit_results **to)
{
	size_t *where = malloc(tasks * sizeof(*where));
	int rc = where ? 0 : pk_mpi_error(-ENOMEM, "%s: out of memory", who);

	if (rc == 0)
		rc = index_tasks(from, tasks, where);
	if (rc == 0)
		rc = perfkit_results_new(to);
	if (rc == 0)
		rc = copy_meta(from, *to);
	for (uint64_t t = 0; rc == 0 && t < tasks; t++)
		rc = copy_record(from, where[t], *to);
	free(where);
	return rc;
}

static int add_meta(const struct pk_mpi_queue *q, struct perfkit_results *set)
{
	char buf[32];
	int rc = perfkit_results_meta_set(set, "queue.kernel", q->opt.kernel);

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)q->opt.tasks);
	if (rc == 0)
		rc = perfkit_results_meta_set(set, "queue.tasks", buf);
	if (rc == 0)
		rc = perfkit_results_meta_set(set, "queue.distribution",
					      perfkit_mpi_tasks_name(q->opt.distribution));
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)q->opt.repetitions);
	if (rc == 0)
		rc = perfkit_results_meta_set(set, "queue.repetitions", buf);
	return rc;
}

/* 0, or the first failed task's status with a message that counts them. */
static int failures(const struct pk_mpi_queue *q, const struct perfkit_results *set)
{
	uint64_t failed = 0;
	size_t first = 0;
	const struct perfkit_record *r;
	const char *why = NULL;

	for (size_t i = 0; i < perfkit_results_count(set); i++)
		if (perfkit_results_get(set, i, &r) == 0 && r->status != 0 &&
		    failed++ == 0)
			first = i;
	if (failed == 0)
		return 0;
	perfkit_results_get(set, first, &r);
	for (size_t j = 0; j < perfkit_results_extra_count(set, first); j++) {
		const char *k, *v;

		if (perfkit_results_extra_get(set, first, j, &k, &v) == 0 && k &&
		    !strcmp(k, "error"))
			why = v;
	}
	return pk_mpi_error(r->status, "%s: %llu of %llu tasks failed (%s); first: "
			    "task %zu on rank %d: %s", who,
			    (unsigned long long)failed,
			    (unsigned long long)q->opt.tasks, q->opt.kernel, first,
			    (int)r->rank, why ? why : "no reason recorded");
}

int pk_mpi_queue_finish(struct pk_mpi_queue *q, struct perfkit_results **set)
{
	struct perfkit_results *ordered = NULL;
	int rc = reorder(*set, q->opt.tasks, &ordered);

	if (rc == 0)
		rc = add_meta(q, ordered);
	if (rc) {
		perfkit_results_destroy(ordered);
		return rc; /* the set stays in rank order */
	}
	perfkit_results_destroy(*set);
	*set = ordered;
	return failures(q, ordered);
}
