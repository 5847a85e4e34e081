/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: when a trace starts, forks and ends.
 *
 * perfkit_region_trace_start() sets the buffers up (region-buffer.c) and,
 * the first time, makes this process the root of the trace: it names the
 * spool for forked children (region-spool.c), holds the profiles' lock
 * across fork() so that a child never inherits it taken, and registers
 * one exit handler. In a forked child, the exit handler (or
 * perfkit_region_trace_flush() before _exit()) writes the child's events
 * to the spool; in the root, it writes the PERFKIT_TRACE file, merging
 * the children's, and removes the spool.
 *
 * PERFKIT_TRACE is read by a constructor and again by the first region
 * of any thread (region.c): a program linked with libperfkit.a brings
 * this file in through that call, and with it the constructor.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "region-private.h"

static pthread_once_t session_once = PTHREAD_ONCE_INIT;
static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static char *env_path;		/* PERFKIT_TRACE, in the root */
static char env_problem[160];
static pid_t env_pid;

/* ---- fork ----------------------------------------------------------- */

static void before_fork(void)
{
	pthread_mutex_lock(&pk_region_lock);
	pk_trace_arena_lock();
}

static void after_fork_parent(void)
{
	pk_trace_arena_unlock();
	pthread_mutex_unlock(&pk_region_lock);
}

/* The child's trace holds only what happens in the child: the parent's
 * events are the parent's to write, and its other threads do not exist
 * here. Regions the forking thread had open stay open, from the fork. */
static void forget_parent(struct profile *list, pthread_t me)
{
	for (struct profile *p = list; p; p = p->next) {
		if (!pthread_equal(p->thread, me) || p->tend)
			p->gone = true;
		else
			p->tid = (long)syscall(SYS_gettid);
		p->tpos = p->tlimit = 0;
		atomic_store(&p->tused, 0);
		atomic_store(&p->tdropped, 0);
		atomic_store(&p->tfiltered, 0);
	}
}

static void after_fork_child(void)
{
	atomic_store(&pk_trace_floor, pk_region_clock_now());
	forget_parent(pk_region_live, pthread_self());
	forget_parent(pk_region_exited, pthread_self());
	pk_trace_arena_forget();
	pk_trace_arena_unlock();
	pthread_mutex_unlock(&pk_region_lock);
}

/* ---- exit ----------------------------------------------------------- */

/* Whether this (forked) process has events or open regions to write. */
static bool child_has_trace(void)
{
	bool any = false;

	pthread_mutex_lock(&pk_region_lock);
	for (const struct profile *p = pk_region_live; p && !any; p = p->next)
		any = !p->gone && (atomic_load(&p->tused) > 0 || p->depth > 0);
	for (const struct profile *p = pk_region_exited; p && !any; p = p->next)
		any = !p->gone;
	pthread_mutex_unlock(&pk_region_lock);
	return any;
}

/* A child's events, if it has any, into the spool. */
static int write_child(void)
{
	char path[PATH_MAX];
	int rc;

	if (!child_has_trace())
		return 0; /* nothing to show: no empty track in the merged file */
	rc = pk_spool_path(path, sizeof(path));
	if (rc < 0)
		return rc;
	return perfkit_region_trace_write(path);
}

/* The library's only output of its own: the user asked for the file
 * through the environment, and nothing else could tell them it failed. */
static void complain(const char *what)
{
	fprintf(stderr, "libperfkit: PERFKIT_TRACE: %s\n", what);
}

static void trace_exit(void)
{
	if (pk_spool_is_child()) {
		if (write_child() < 0 && env_path)
			complain(perfkit_last_error());
		return;
	}
	if (env_path && getpid() == env_pid &&
	    perfkit_region_trace_write(env_path) < 0)
		complain(perfkit_last_error());
	pk_spool_remove();
}

static void session_setup(void)
{
	pk_spool_init();
	pthread_atfork(before_fork, after_fork_parent, after_fork_child);
	atexit(trace_exit);
}

PERFKIT_EXPORT int perfkit_region_trace_start(size_t max_events, uint64_t min_duration_ns)
{
	int rc;

	/* Calibrate the tick rate (20 ms, once) before the trace's time 0,
	 * rather than in every forked child as it writes its part. */
	pk_region_setup();
	(void)pk_region_unit_ns();
	rc = pk_trace_configure(max_events, min_duration_ns);
	if (rc == 0)
		pthread_once(&session_once, session_setup);
	return rc;
}

PERFKIT_EXPORT int perfkit_region_trace_flush(void)
{
	if (pk_spool_is_child())
		return write_child();
	if (env_path && getpid() == env_pid)
		return perfkit_region_trace_write(env_path);
	return 0;
}

/* ---- PERFKIT_TRACE -------------------------------------------------- */

static int env_count(const char *var, uint64_t lo, uint64_t hi, uint64_t *v)
{
	const char *s = getenv(var);
	char *end;

	if (!s)
		return 0;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || *v < lo || *v > hi) {
		snprintf(env_problem, sizeof(env_problem), "%s='%.40s' is not a "
			 "whole number from %llu to %llu", var, s,
			 (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	return 0;
}

static void env_problem_at_exit(void)
{
	if (getpid() == env_pid) /* not in forked children */
		fprintf(stderr, "libperfkit: PERFKIT_TRACE: %s; no trace written\n",
			env_problem);
}

static void trace_from_env(void)
{
	const char *path = getenv("PERFKIT_TRACE");
	uint64_t events = PERFKIT_REGION_TRACE_DEFAULT_EVENTS, min_ns = 0;

	if (!path || !*path)
		return;
	env_pid = getpid();
	if (env_count("PERFKIT_TRACE_EVENTS", 1, PERFKIT_REGION_TRACE_MAX_EVENTS,
		      &events) < 0 ||
	    env_count("PERFKIT_TRACE_MIN_NS", 0, UINT64_C(3600000000000), &min_ns) < 0) {
		atexit(env_problem_at_exit);
		return;
	}
	env_path = strdup(path);
	if (env_path && perfkit_region_trace_start((size_t)events, min_ns) < 0) {
		snprintf(env_problem, sizeof(env_problem), "%s", perfkit_last_error());
		atexit(env_problem_at_exit);
		free(env_path);
		env_path = NULL;
	}
}

void pk_trace_env_once(void)
{
	pthread_once(&env_once, trace_from_env);
}

__attribute__((constructor)) static void trace_env_at_load(void)
{
	pk_trace_env_once();
}
