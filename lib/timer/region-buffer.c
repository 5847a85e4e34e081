/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: the trace's per-thread buffers.
 *
 * With tracing on, each region end appends one event (start, end, name,
 * depth, and its arguments in the slots after it) to the thread's buffer.
 * Buffers grow in chunks of TRACE_CHUNK slots, reserved from one budget
 * for all threads, so memory is bounded; an event that finds the budget
 * spent is dropped and counted. region-trace.c writes the file.
 */
#include <errno.h>
#include <stdlib.h>

#include "common.h"
#include "region-private.h"

_Atomic bool pk_trace_on;
_Atomic uint64_t pk_trace_min_units;
_Atomic size_t pk_trace_cap;	/* slots, all threads */
static _Atomic size_t trace_reserved;	/* slots in chunks handed out */
_Atomic uint64_t pk_trace_min_ns;
_Atomic uint64_t pk_trace_origin;	/* clock units at the first start */

PERFKIT_EXPORT int perfkit_region_trace_start(size_t max_events, uint64_t min_duration_ns)
{
	uint64_t zero = 0, min_units = min_duration_ns;

	if (max_events == 0 || max_events > PERFKIT_REGION_TRACE_MAX_EVENTS)
		return pk_error(-EINVAL, "perfkit_region_trace_start: max_events is "
				"%zu, not 1 to %d", max_events,
				PERFKIT_REGION_TRACE_MAX_EVENTS);
	if (min_duration_ns > UINT64_C(3600000000000))
		return pk_error(-EINVAL, "perfkit_region_trace_start: min_duration_ns "
				"%llu is more than an hour",
				(unsigned long long)min_duration_ns);
	pk_region_setup();
	if (min_duration_ns) /* the tick rate is calibrated only when needed */
		min_units = (uint64_t)((double)min_duration_ns / pk_region_unit_ns());
	atomic_store(&pk_trace_cap, max_events);
	atomic_store(&pk_trace_min_ns, min_duration_ns);
	atomic_store(&pk_trace_min_units, min_units);
	atomic_compare_exchange_strong(&pk_trace_origin, &zero, pk_region_now());
	atomic_store(&pk_trace_on, true);
	return 0;
}

PERFKIT_EXPORT void perfkit_region_trace_stop(void)
{
	atomic_store(&pk_trace_on, false);
}

static void count_drop(struct profile *p)
{
	atomic_store_explicit(&p->tdropped,
			      atomic_load_explicit(&p->tdropped, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

/* Reserve and allocate the thread's next chunk; false when the budget is
 * spent or memory is short. */
static bool next_chunk(struct profile *p)
{
	size_t idx, cap = atomic_load_explicit(&pk_trace_cap, memory_order_relaxed);
	union tslot *c;

	if (!p->tchunks) {
		p->tchunks = calloc(TRACE_MAX_CHUNKS, sizeof(*p->tchunks));
		if (!p->tchunks)
			return false;
	}
	idx = p->tpos / TRACE_CHUNK;
	if (idx >= TRACE_MAX_CHUNKS ||
	    atomic_load_explicit(&trace_reserved, memory_order_relaxed) + TRACE_CHUNK > cap)
		return false;
	if (atomic_fetch_add(&trace_reserved, TRACE_CHUNK) + TRACE_CHUNK > cap) {
		atomic_fetch_sub(&trace_reserved, TRACE_CHUNK);
		return false;
	}
	c = malloc(TRACE_CHUNK * sizeof(*c));
	if (!c) {
		atomic_fetch_sub(&trace_reserved, TRACE_CHUNK);
		return false;
	}
	p->tchunks[idx] = c;
	p->tlimit = p->tpos + TRACE_CHUNK;
	return true;
}

void pk_trace_put(struct profile *p, const struct frame *f, uint64_t end,
		  unsigned depth)
{
	if (p->no_trace)
		return;
	if (p->tpos < p->tlimit) {
		/* Too little room left in this chunk: pad it out. */
		union tslot *s = pk_tslot_at(p, p->tpos);

		s->ev.entry = TRACE_PAD;
		s->ev.nargs = (uint16_t)(p->tlimit - p->tpos - 1);
		p->tpos = p->tlimit;
		atomic_store_explicit(&p->tused, p->tpos, memory_order_release);
	}
	if (!next_chunk(p)) {
		count_drop(p);
		return;
	}
	pk_trace_write(p, f, end, depth);
}

void pk_trace_free(struct profile *p)
{
	if (!p->tchunks)
		return;
	for (size_t c = 0; c < TRACE_MAX_CHUNKS && p->tchunks[c]; c++)
		free(p->tchunks[c]);
	free(p->tchunks);
	p->tchunks = NULL;
}

