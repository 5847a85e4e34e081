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
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "region-private.h"

_Atomic bool pk_trace_on;
_Atomic uint64_t pk_trace_min_units;
_Atomic size_t pk_trace_cap;	/* slots, all threads */
_Atomic uint64_t pk_trace_min_ns;
_Atomic uint64_t pk_trace_origin;	/* clock units at the first start */
_Atomic uint64_t pk_trace_floor;	/* clock units at this process's fork */
static _Atomic size_t trace_reserved;	/* slots in chunks handed out */
static union tslot *arena;		/* pk_trace_cap slots, under arena_lock */
static pthread_mutex_t arena_lock = PTHREAD_MUTEX_INITIALIZER;

/* The budget's memory, mapped and written once, up front: a page fault
 * in the middle of a region end costs microseconds in a VM (30 us per
 * page measured on the development machine). MAP_POPULATE is not enough
 * there: the first write to each populated page still cost about 20 us
 * (the hypervisor backs guest memory on its first write), 40 ns per
 * traced pair in bench-region; writing zeros here moves that cost out of
 * the regions, to the first start (about 4 ms per MiB on that VM). */
static int map_arena(size_t max_events)
{
	size_t slots = (max_events + TRACE_CHUNK - 1) / TRACE_CHUNK * TRACE_CHUNK;
	int rc = 0;

	pthread_mutex_lock(&arena_lock);
	if (!arena) {
		void *m = mmap(NULL, slots * sizeof(union tslot), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (m == MAP_FAILED)
			rc = pk_error(-ENOMEM, "perfkit_region_trace_start: cannot map "
				      "%zu events", max_events);
		else {
			memset(m, 0, slots * sizeof(union tslot));
			arena = m;
			atomic_store(&pk_trace_cap, slots);
		}
	} else if (slots > atomic_load(&pk_trace_cap)) {
		rc = pk_error(-EBUSY, "perfkit_region_trace_start: the budget is "
			      "%zu events since the first call; %zu asked",
			      atomic_load(&pk_trace_cap), max_events);
	}
	pthread_mutex_unlock(&arena_lock);
	return rc;
}

/* perfkit_region_trace_start() without what region-session.c adds. */
int pk_trace_configure(size_t max_events, uint64_t min_duration_ns)
{
	uint64_t zero = 0, min_units = min_duration_ns;
	int rc;

	if (max_events == 0 || max_events > PERFKIT_REGION_TRACE_MAX_EVENTS)
		return pk_error(-EINVAL, "perfkit_region_trace_start: max_events is "
				"%zu, not 1 to %d", max_events,
				PERFKIT_REGION_TRACE_MAX_EVENTS);
	if (min_duration_ns > UINT64_C(3600000000000))
		return pk_error(-EINVAL, "perfkit_region_trace_start: min_duration_ns "
				"%llu is more than an hour",
				(unsigned long long)min_duration_ns);
	rc = map_arena(max_events);
	if (rc < 0)
		return rc;
	pk_region_setup();
	if (min_duration_ns) /* the tick rate is calibrated only when needed */
		min_units = (uint64_t)((double)min_duration_ns / pk_region_unit_ns());
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

/* Hand the thread its next chunk of the arena; false when the budget is
 * spent or memory is short. */
static bool next_chunk(struct profile *p)
{
	size_t idx, off, cap = atomic_load_explicit(&pk_trace_cap, memory_order_relaxed);

	if (!p->tchunks) {
		p->tchunks = calloc(TRACE_MAX_CHUNKS, sizeof(*p->tchunks));
		if (!p->tchunks)
			return false;
	}
	idx = p->tpos / TRACE_CHUNK;
	if (idx >= TRACE_MAX_CHUNKS ||
	    atomic_load_explicit(&trace_reserved, memory_order_relaxed) + TRACE_CHUNK > cap)
		return false;
	off = atomic_fetch_add(&trace_reserved, TRACE_CHUNK);
	if (off + TRACE_CHUNK > cap)
		return false; /* reserved stays past cap: nobody gets more */
	p->tchunks[idx] = arena + off;
	p->tlimit = p->tpos + TRACE_CHUNK;
	return true;
}

void pk_trace_arena_lock(void)
{
	pthread_mutex_lock(&arena_lock);
}

void pk_trace_arena_unlock(void)
{
	pthread_mutex_unlock(&arena_lock);
}

/* In a forked child that has forgotten every slot it inherited: the
 * whole budget is its own (its copy of the arena). */
void pk_trace_arena_forget(void)
{
	atomic_store(&trace_reserved, 0);
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
	/* The chunks belong to the arena, which lives as long as the process. */
	if (!p->tchunks)
		return;
	free(p->tchunks);
	p->tchunks = NULL;
}

