/* SPDX-License-Identifier: MIT */
/* The pool pattern beside the queue: the tasks are split over the W
 * workers before anything runs (worker i takes tasks i*F/W to
 * (i+1)*F/W - 1, Pool.map's fixed chunks), so a slow worker is not
 * helped by the others; the queue lets every worker pull the next task.
 * The workers are threads, or forked processes (multiprocessing.Pool's),
 * whose chunks live in shared memory so the parent reads what they did. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "stop.h"
#include "workshop.h"

struct chunk {
	const char *kernel, *folder;
	int64_t size;
	uint64_t count, done;
	int keep, rc;
	char error[256];
};

static void *pool_worker(void *arg)
{
	struct chunk *c = arg;
	struct perfkit_kernel_options kopt = PERFKIT_KERNEL_OPTIONS_INIT;
	struct perfkit_kernel_instance *inst = NULL;
	const struct perfkit_kernel *k;

	kopt.output_dir = c->folder;
	kopt.keep_output = c->keep;
	if ((c->rc = perfkit_kernel_find(c->kernel, &k)) == 0 &&
	    (c->rc = perfkit_kernel_setup(k, c->size, &kopt, &inst)) == 0) {
		for (uint64_t t = 0; t < c->count && c->rc == 0 && !stop_signal; t++)
			if ((c->rc = perfkit_kernel_run(inst, 1)) == 0)
				c->done++;
		perfkit_kernel_teardown(inst);
	}
	if (c->rc)
		snprintf(c->error, sizeof(c->error), "%s", perfkit_last_error());
	return NULL;
}

/* W forked processes, each running its chunk; a process that dies
 * fails its chunk. The number started. */
static unsigned run_processes(struct chunk *c, unsigned workers)
{
	pid_t pid[MAX_LIST * 4];
	unsigned started = 0;
	int ws;

	for (; started < workers; started++) {
		if ((pid[started] = fork()) < 0)
			break;
		if (pid[started] == 0) {
			pool_worker(&c[started]);
			_exit(0);
		}
	}
	for (unsigned i = 0; i < started; i++) {
		if (waitpid(pid[i], &ws, 0) == pid[i] && WIFEXITED(ws) &&
		    WEXITSTATUS(ws) == 0)
			continue;
		c[i].rc = -1;
		snprintf(c[i].error, sizeof(c[i].error), "worker process %u died", i);
	}
	return started;
}

static unsigned run_threads(struct chunk *c, unsigned workers)
{
	pthread_t th[MAX_LIST * 4];
	unsigned started = 0;

	for (; started < workers; started++)
		if (pthread_create(&th[started], NULL, pool_worker, &c[started]) != 0)
			break;
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return started;
}

double pool_run(const char *kernel, int64_t size, uint64_t tasks,
		unsigned workers, int processes, const char *folder, int keep,
		double *seconds)
{
	size_t len = MAX_LIST * 4 * sizeof(struct chunk);
	struct chunk *c;
	unsigned started;
	uint64_t t0, done = 0;
	int failed = 0;

	if (workers == 0 || workers > MAX_LIST * 4)
		return cli_error("pool: %u workers (1 to %d)", workers, MAX_LIST * 4);
	c = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return cli_error("pool: no shared memory for %u workers", workers);
	for (unsigned i = 0; i < workers; i++)
		c[i] = (struct chunk){ .kernel = kernel, .folder = folder,
				       .size = size, .keep = keep,
				       .count = tasks * (i + 1) / workers -
						tasks * i / workers };
	t0 = perfkit_now_ns();
	started = processes ? run_processes(c, workers) : run_threads(c, workers);
	*seconds = (double)(perfkit_now_ns() - t0) * 1e-9;
	for (unsigned i = 0; i < started; i++) {
		done += c[i].done;
		if (c[i].rc && !failed++)
			cli_error("pool: worker %u: %s", i, c[i].error);
	}
	munmap(c, len);
	if (started < workers)
		return cli_error("pool: cannot start worker %u", started);
	if (failed)
		return -1;
	return (double)done / *seconds;     /* fewer than tasks when stopped */
}
