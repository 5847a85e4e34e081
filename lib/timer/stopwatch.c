/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "perfkit/timer.h"
#include "common.h"
#include "perfkit/stopwatch.h"

/* Laps allocated up front, so short runs never allocate while timing. */
enum { INITIAL_LAPS = 16 };

struct perfkit_stopwatch {
	bool running;
	uint64_t started;	/* clock reading at the last start/resume */
	uint64_t accumulated;	/* running time before `started` */
	uint64_t lap_mark;	/* elapsed time at the last recorded lap */
	uint64_t *laps;
	size_t nlaps, cap, max_laps;
};

PERFKIT_EXPORT int perfkit_stopwatch_new(struct perfkit_stopwatch **out)
{
	struct perfkit_stopwatch *sw;

	if (!out)
		return pk_error(-EINVAL, "perfkit_stopwatch_new: out is NULL");
	*out = NULL;
	sw = calloc(1, sizeof(*sw));
	if (!sw)
		return pk_error(-ENOMEM, "perfkit_stopwatch_new: out of memory");
	sw->laps = malloc(INITIAL_LAPS * sizeof(*sw->laps));
	if (!sw->laps) {
		free(sw);
		return pk_error(-ENOMEM, "perfkit_stopwatch_new: out of memory");
	}
	sw->cap = INITIAL_LAPS;
	sw->max_laps = PERFKIT_STOPWATCH_DEFAULT_MAX_LAPS;
	*out = sw;
	return 0;
}

PERFKIT_EXPORT void perfkit_stopwatch_destroy(struct perfkit_stopwatch *sw)
{
	if (!sw)
		return;
	free(sw->laps);
	free(sw);
}

static uint64_t elapsed_at(const struct perfkit_stopwatch *sw, uint64_t now)
{
	return sw->accumulated + (sw->running ? now - sw->started : 0);
}

PERFKIT_EXPORT int perfkit_stopwatch_start(struct perfkit_stopwatch *sw)
{
	if (!sw)
		return pk_error(-EINVAL, "perfkit_stopwatch_start: sw is NULL");
	if (sw->running)
		return pk_error(-EINVAL, "perfkit_stopwatch_start: already running "
				"(stop or reset it first)");
	sw->accumulated = sw->lap_mark = 0;
	sw->nlaps = 0;
	sw->running = true;
	sw->started = perfkit_now_ns(); /* last: start timing as late as possible */
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_stop(struct perfkit_stopwatch *sw)
{
	uint64_t now = perfkit_now_ns(); /* first: stop timing as early as possible */

	if (!sw)
		return pk_error(-EINVAL, "perfkit_stopwatch_stop: sw is NULL");
	if (!sw->running)
		return pk_error(-EINVAL, "perfkit_stopwatch_stop: not running");
	sw->accumulated = elapsed_at(sw, now);
	sw->running = false;
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_resume(struct perfkit_stopwatch *sw)
{
	if (!sw)
		return pk_error(-EINVAL, "perfkit_stopwatch_resume: sw is NULL");
	if (sw->running)
		return pk_error(-EINVAL, "perfkit_stopwatch_resume: already running");
	sw->running = true;
	sw->started = perfkit_now_ns();
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_reset(struct perfkit_stopwatch *sw)
{
	if (!sw)
		return pk_error(-EINVAL, "perfkit_stopwatch_reset: sw is NULL");
	sw->running = false;
	sw->accumulated = sw->lap_mark = sw->started = 0;
	sw->nlaps = 0;
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_elapsed(const struct perfkit_stopwatch *sw,
					     uint64_t *ns)
{
	uint64_t now = perfkit_now_ns();

	if (!sw || !ns)
		return pk_error(-EINVAL, "perfkit_stopwatch_elapsed: %s is NULL",
				!sw ? "sw" : "ns");
	*ns = elapsed_at(sw, now);
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_is_running(const struct perfkit_stopwatch *sw)
{
	if (!sw)
		return pk_error(-EINVAL, "perfkit_stopwatch_is_running: sw is NULL");
	return sw->running ? 1 : 0;
}

/* Make room for one more lap, doubling up to the bound. */
static int grow_laps(struct perfkit_stopwatch *sw)
{
	size_t cap;
	uint64_t *laps;

	if (sw->nlaps >= sw->max_laps)
		return pk_error(-ERANGE, "perfkit_stopwatch_lap: %zu laps already "
				"recorded, the maximum (see "
				"perfkit_stopwatch_set_max_laps)", sw->nlaps);
	if (sw->nlaps < sw->cap)
		return 0;
	cap = sw->cap > sw->max_laps / 2 ? sw->max_laps : sw->cap * 2;
	laps = realloc(sw->laps, cap * sizeof(*laps));
	if (!laps)
		return pk_error(-ENOMEM, "perfkit_stopwatch_lap: cannot grow to %zu laps",
				cap);
	sw->laps = laps;
	sw->cap = cap;
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_lap(struct perfkit_stopwatch *sw,
					 uint64_t *lap_ns)
{
	uint64_t now = perfkit_now_ns(), elapsed;
	int rc;

	if (!sw)
		return pk_error(-EINVAL, "perfkit_stopwatch_lap: sw is NULL");
	if (!sw->running)
		return pk_error(-EINVAL, "perfkit_stopwatch_lap: not running");
	rc = grow_laps(sw);
	if (rc < 0)
		return rc;
	elapsed = elapsed_at(sw, now);
	sw->laps[sw->nlaps++] = elapsed - sw->lap_mark;
	sw->lap_mark = elapsed;
	if (lap_ns)
		*lap_ns = sw->laps[sw->nlaps - 1];
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_lap_count(const struct perfkit_stopwatch *sw,
					       size_t *count)
{
	if (!sw || !count)
		return pk_error(-EINVAL, "perfkit_stopwatch_lap_count: %s is NULL",
				!sw ? "sw" : "count");
	*count = sw->nlaps;
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_lap_get(const struct perfkit_stopwatch *sw,
					     size_t index, uint64_t *ns)
{
	if (!sw || !ns)
		return pk_error(-EINVAL, "perfkit_stopwatch_lap_get: %s is NULL",
				!sw ? "sw" : "ns");
	if (index >= sw->nlaps)
		return pk_error(-EINVAL, "perfkit_stopwatch_lap_get: lap %zu out of "
				"range (%zu laps recorded)", index, sw->nlaps);
	*ns = sw->laps[index];
	return 0;
}

PERFKIT_EXPORT int perfkit_stopwatch_set_max_laps(struct perfkit_stopwatch *sw,
						  size_t max_laps)
{
	if (!sw)
		return pk_error(-EINVAL, "perfkit_stopwatch_set_max_laps: sw is NULL");
	if (max_laps == 0)
		return pk_error(-EINVAL, "perfkit_stopwatch_set_max_laps: max_laps "
				"must be at least 1");
	if (max_laps > SIZE_MAX / sizeof(uint64_t))
		return pk_error(-ERANGE, "perfkit_stopwatch_set_max_laps: %zu laps "
				"cannot be stored", max_laps);
	if (max_laps < sw->nlaps)
		return pk_error(-ERANGE, "perfkit_stopwatch_set_max_laps: %zu laps "
				"already recorded, more than %zu", sw->nlaps, max_laps);
	sw->max_laps = max_laps;
	return 0;
}
