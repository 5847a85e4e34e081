/* SPDX-License-Identifier: MIT */
/* The pool pattern beside the queue: the tasks are split over the W
 * workers before anything runs (worker i takes tasks i*F/W to
 * (i+1)*F/W - 1, Pool.map's fixed chunks), so a slow worker is not
 * helped by the others; the queue lets every worker pull the next task. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

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

double pool_run(const char *kernel, int64_t size, uint64_t tasks,
		unsigned workers, const char *folder, int keep, double *seconds)
{
	struct chunk c[MAX_LIST * 4];
	pthread_t th[MAX_LIST * 4];
	unsigned started = 0;
	uint64_t t0, done = 0;
	int failed = 0;

	if (workers == 0 || workers > MAX_LIST * 4)
		return cli_error("pool: %u workers (1 to %d)", workers, MAX_LIST * 4);
	t0 = perfkit_now_ns();
	for (unsigned i = 0; i < workers; i++) {
		c[i] = (struct chunk){ .kernel = kernel, .folder = folder,
				       .size = size, .keep = keep,
				       .count = tasks * (i + 1) / workers -
						tasks * i / workers };
		if (pthread_create(&th[i], NULL, pool_worker, &c[i]) != 0)
			break;
		started++;
	}
	for (unsigned i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		done += c[i].done;
		if (c[i].rc && !failed++)
			cli_error("pool: worker %u: %s", i, c[i].error);
	}
	*seconds = (double)(perfkit_now_ns() - t0) * 1e-9;
	if (started < workers)
		return cli_error("pool: cannot start worker %u", started);
	if (failed)
		return -1;
	return (double)done / *seconds;     /* fewer than tasks when stopped */
}
