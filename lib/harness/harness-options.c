/* SPDX-License-Identifier: MIT */
/* Harness options: defaults, names, validation with messages, and the
 * resolved plan a run works from. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/machine.h"
#include "perfkit/kernel.h"
#include "harness-private.h"

/* Bytes of the first version of the options struct. */
#define OPTIONS_V1_SIZE \
	(offsetof(struct perfkit_harness_options, userdata) + sizeof(void *))

/* Longest peak reference, seconds. */
#define PEAK_REFERENCE_MAX 60.0

PERFKIT_EXPORT int
perfkit_harness_options_init(struct perfkit_harness_options *opt)
{
	static const struct perfkit_harness_options defaults =
		PERFKIT_HARNESS_OPTIONS_INIT;

	if (!opt)
		return pk_error(-EINVAL, "harness options: opt is NULL");
	*opt = defaults;
	return 0;
}

PERFKIT_EXPORT const char *perfkit_harness_mode_name(enum perfkit_harness_mode mode)
{
	switch (mode) {
	case PERFKIT_HARNESS_THREADS: return "threads";
	case PERFKIT_HARNESS_PROCESSES: return "processes";
	}
	return "unknown";
}

PERFKIT_EXPORT const char *
perfkit_harness_placement_name(enum perfkit_harness_placement placement)
{
	switch (placement) {
	case PERFKIT_HARNESS_PLACE_NONE: return "none";
	case PERFKIT_HARNESS_PLACE_COMPACT: return "compact";
	case PERFKIT_HARNESS_PLACE_SCATTER: return "scatter";
	}
	return "unknown";
}

PERFKIT_EXPORT const char *perfkit_harness_start_name(enum perfkit_harness_start start)
{
	switch (start) {
	case PERFKIT_HARNESS_START_BARRIER: return "barrier";
	case PERFKIT_HARNESS_START_STAGGERED: return "staggered";
	}
	return "unknown";
}

/* The caller's options over the defaults, as far as the caller's struct
 * reaches. */
static int copy_options(const struct perfkit_harness_options *opt,
			struct perfkit_harness_options *full)
{
	if (!opt)
		return pk_error(-EINVAL, "harness options: opt is NULL");
	if (opt->size < OPTIONS_V1_SIZE)
		return pk_error(-EINVAL,
				"harness options: size %zu is too small (need >= %zu: "
				"start from PERFKIT_HARNESS_OPTIONS_INIT)",
				opt->size, (size_t)OPTIONS_V1_SIZE);
	perfkit_harness_options_init(full);
	memcpy(full, opt, opt->size < sizeof(*full) ? opt->size : sizeof(*full));
	full->size = sizeof(*full);
	return 0;
}

static int check_seconds(const char *name, double v, double max)
{
	if (!isfinite(v) || v < 0 || v > max)
		return pk_error(-EINVAL,
				"harness options: %s = %g: need seconds from 0 to %g",
				name, v, max);
	return 0;
}

/* A message listing every kernel, for an unknown name. */
static int unknown_kernel(const char *name)
{
	const struct perfkit_kernel *list[64];
	char known[512] = "";
	size_t n = 0, len = 0;

	perfkit_kernel_list(list, 64, &n);
	for (size_t i = 0; i < n && i < 64 && len < sizeof(known) - 70; i++)
		len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s",
					i ? ", " : "", perfkit_kernel_name(list[i]));
	return pk_error(-EINVAL, "harness options: unknown kernel '%s' (registered: %s)",
			name, known);
}

static int check_enums(const struct perfkit_harness_options *o)
{
	if (o->mode != PERFKIT_HARNESS_THREADS && o->mode != PERFKIT_HARNESS_PROCESSES)
		return pk_error(-EINVAL,
				"harness options: mode %d: use PERFKIT_HARNESS_THREADS or "
				"PERFKIT_HARNESS_PROCESSES", (int)o->mode);
	if (o->placement != PERFKIT_HARNESS_PLACE_NONE &&
	    o->placement != PERFKIT_HARNESS_PLACE_COMPACT &&
	    o->placement != PERFKIT_HARNESS_PLACE_SCATTER)
		return pk_error(-EINVAL,
				"harness options: placement %d: use none, compact or scatter",
				(int)o->placement);
	if (o->start != PERFKIT_HARNESS_START_BARRIER &&
	    o->start != PERFKIT_HARNESS_START_STAGGERED)
		return pk_error(-EINVAL,
				"harness options: start %d: use barrier or staggered",
				(int)o->start);
	return 0;
}

static int check_limits(const struct perfkit_harness_options *o);

static int check_counts(const struct perfkit_harness_options *o)
{
	int rc;

	if (o->problem_size <= 0)
		return pk_error(-EINVAL, "harness options: problem size %lld: must be > 0",
				(long long)o->problem_size);
	if ((rc = check_seconds("min_time", o->min_time, PERFKIT_HARNESS_SECONDS_MAX)))
		return rc;
	if (o->total_loopcount > 0 && o->min_time > 0)
		return pk_error(-EINVAL,
				"harness options: total_loopcount %llu and min_time %g are "
				"both set: a fixed total of repetitions needs min_time = 0",
				(unsigned long long)o->total_loopcount, o->min_time);
	if (o->total_loopcount > 0)
		return check_limits(o);
	if (o->loopcount == 0 && o->min_time == 0)
		return pk_error(-EINVAL,
				"harness options: loopcount and min_time are both 0: "
				"give a loopcount (repetitions) or a min_time (seconds)");
	if (o->loopcount > 0 && o->min_time > 0)
		return pk_error(-EINVAL,
				"harness options: loopcount %llu and min_time %g are both "
				"set: give one of them (set loopcount = 0 to use min_time)",
				(unsigned long long)o->loopcount, o->min_time);
	return check_limits(o);
}

static int check_limits(const struct perfkit_harness_options *o)
{
	if (o->workers > PERFKIT_HARNESS_WORKERS_MAX)
		return pk_error(-EINVAL, "harness options: %u workers: at most %d",
				o->workers, PERFKIT_HARNESS_WORKERS_MAX);
	if (o->threads > PERFKIT_KERNEL_THREADS_MAX)
		return pk_error(-EINVAL,
				"harness options: %u threads per worker: at most %d",
				o->threads, PERFKIT_KERNEL_THREADS_MAX);
	return 0;
}

static int check_start(const struct perfkit_harness_options *o)
{
	int rc = check_seconds("stagger", o->stagger, PERFKIT_HARNESS_SECONDS_MAX);

	if (rc)
		return rc;
	if (o->start == PERFKIT_HARNESS_START_BARRIER && o->stagger > 0)
		return pk_error(-EINVAL,
				"harness options: stagger %g needs the staggered start "
				"(a barrier starts every worker at once)", o->stagger);
	return check_seconds("peak_reference", o->peak_reference,
			     PEAK_REFERENCE_MAX);
}

/* Validate a full-size copy; look the kernel up. */
static int check_full(const struct perfkit_harness_options *o,
		      const struct perfkit_kernel **kernel)
{
	const struct perfkit_kernel *k;
	int rc;

	if (!o->kernel)
		return pk_error(-EINVAL, "harness options: kernel is NULL (give a name, e.g. \"dgemm\")");
	if (perfkit_kernel_find(o->kernel, &k) != 0)
		return unknown_kernel(o->kernel);
	if ((rc = check_enums(o)) || (rc = check_counts(o)) || (rc = check_start(o)))
		return rc;
	if (kernel)
		*kernel = k;
	return 0;
}

PERFKIT_EXPORT int
perfkit_harness_options_check(const struct perfkit_harness_options *opt)
{
	struct perfkit_harness_options full;
	int rc = copy_options(opt, &full);

	return rc ? rc : check_full(&full, NULL);
}

int pk_harness_kernel_is_sp(const struct perfkit_kernel *k)
{
	const char *name = perfkit_kernel_name(k);

	return strcmp(name, "sgemm") == 0 || strcmp(name, "peak-sp") == 0;
}

int pk_harness_plan_init(struct pk_harness_plan *plan,
			 const struct perfkit_harness_options *opt)
{
	int rc;

	memset(plan, 0, sizeof(*plan));
	plan->points = 1;
	if ((rc = copy_options(opt, &plan->opt)) ||
	    (rc = check_full(&plan->opt, &plan->kernel)))
		return rc;
	/* Without a machine description a run still works, unplaced. */
	rc = perfkit_machine_probe(&plan->machine);
	if (rc != 0) {
		plan->machine = NULL;
		if (plan->opt.placement != PERFKIT_HARNESS_PLACE_NONE)
			return rc;
	}
	plan->threads = plan->opt.threads ? plan->opt.threads : 1;
	plan->workers = plan->opt.workers;
	if (plan->workers == 0)
		plan->workers = plan->machine ? perfkit_machine_allowed_cores(plan->machine) : 1;
	if (plan->workers == 0)
		plan->workers = 1;
	if ((rc = pk_harness_check_total(plan, plan->workers)))
		return rc;
	if (plan->machine && plan->opt.placement != PERFKIT_HARNESS_PLACE_NONE) {
		rc = pk_harness_core_order(plan->machine, plan->opt.placement,
					   &plan->core_order, &plan->ncores);
		if (rc)
			return rc;
	}
	return 0;
}

void pk_harness_plan_fini(struct pk_harness_plan *plan)
{
	free(plan->core_order);
	plan->core_order = NULL;
}
