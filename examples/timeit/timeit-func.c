/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit --lib: functions of a shared object timed as Python's
 * timeit times a statement: the setup runs once (per parameter value),
 * then libperfkit's runner calls the function in loops it calibrates,
 * and takes samples until its stop rules fire.
 */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "stop.h"
#include "timeit.h"

typedef void (*timeit_fn)(void *state);
typedef void *(*timeit_setup_fn)(int argc, char **argv);

struct call {
	timeit_fn fn;
	void *state;
};

static void calls(void *user, uint64_t iterations)
{
	const struct call *c = user;

	for (uint64_t i = 0; i < iterations; i++)
		c->fn(c->state);
}

/* A symbol of @lib as a function pointer (POSIX allows the cast). */
static void *symbol(void *lib, const char *libpath, const char *name)
{
	void *p;

	dlerror();
	p = dlsym(lib, name);
	if (!p)
		cli_error("no function '%s' in %s", name, libpath);
	return p;
}

static int make_runner(const struct timeit_args *a, struct perfkit_runner **r)
{
	int rc = perfkit_runner_new(r);

	if (rc == 0)
		rc = perfkit_runner_set_warmup(*r, a->warmup, 0);
	if (rc == 0)
		rc = perfkit_runner_set_samples(*r, a->min_runs, a->max_runs);
	if (rc == 0)
		rc = perfkit_runner_set_max_time(*r, a->runs ? INFINITY : a->max_time);
	if (rc == 0 && a->rel_ci > 0)
		rc = perfkit_runner_set_precision(*r, a->rel_ci);
	if (rc == 0 && a->sample_time_set)
		rc = perfkit_runner_set_min_sample_time(*r, a->sample_time);
	if (rc != 0)
		cli_error("%s", perfkit_last_error());
	return rc;
}

/* The runner's samples (ns per call) as the bench's runs (s per call). */
static int keep(struct timeit_bench *b, const struct perfkit_runner_result *res)
{
	const double *ns;
	size_t n;

	perfkit_runner_result_samples(res, &ns, &n);
	b->loops = perfkit_runner_result_iterations(res);
	b->stop = perfkit_runner_stop_name(perfkit_runner_result_stop_reason(res));
	for (size_t i = 0; i < n; i++)
		if (timeit_bench_add(b, ns[i] * 1e-9, NAN, NAN, 0) != 0)
			return -1;
	timeit_summarise(b);
	return 0;
}

static int time_one(struct perfkit_runner *r, struct timeit_bench *b,
		    timeit_fn fn, void *state)
{
	struct call c = { fn, state };
	struct perfkit_runner_result *res;
	int rc = perfkit_runner_run(r, calls, &c, &res);

	if (rc < 0)
		return cli_error("timing %s failed: %s", b->name,
				 perfkit_last_error());
	rc = keep(b, res);
	perfkit_runner_result_destroy(res);
	return rc;
}

static int run_all(const struct timeit_args *a, struct timeit_set *s,
		   void *lib, struct perfkit_runner *r)
{
	timeit_setup_fn setup = NULL;
	void *state = NULL;

	if (a->setup && !(setup = (timeit_setup_fn)symbol(lib, a->lib, a->setup)))
		return CLI_EXIT_USAGE;
	for (int g = 0; g < a->nfuncs; g++)
		if (!symbol(lib, a->lib, a->funcs[g]))
			return CLI_EXIT_USAGE;
	printf("perfkit-timeit: %zu benchmark%s of functions in %s, timed by "
	       "libperfkit's runner (loops per sample calibrated)\n\n", s->n,
	       s->n == 1 ? "" : "s", a->lib);
	for (size_t i = 0; i < s->n && !stop_signal; i++) {
		struct timeit_bench *b = &s->b[i];
		timeit_fn fn = (timeit_fn)symbol(lib, a->lib, a->funcs[b->group]);

		/* a new state when the parameter's value changes */
		if (b->group == 0)
			state = setup ? setup(a->nfargs, b->fargs) : b->fargs;
		if (time_one(r, b, fn, state) != 0)
			return CLI_EXIT_FAILED;
		timeit_print_bench(s, i);
	}
	return 0;
}

int timeit_run_functions(const struct timeit_args *a, struct timeit_set *s)
{
	struct perfkit_runner *r = NULL;
	void *lib = dlopen(a->lib, RTLD_NOW | RTLD_LOCAL);
	int rc;

	if (!lib) {
		cli_error("cannot load --lib %s: %s", a->lib, dlerror());
		return CLI_EXIT_USAGE;
	}
	rc = make_runner(a, &r) ? CLI_EXIT_FAILED : run_all(a, s, lib, r);
	perfkit_runner_destroy(r);
	/* the library stays loaded: a setup's state may point into it */
	return rc;
}
