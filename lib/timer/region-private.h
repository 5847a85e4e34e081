/* SPDX-License-Identifier: MIT */
/*
 * What region.c (recording), region-snapshot.c (merged figures and the
 * reports) and region-trace.c (the Chrome trace) share. Not installed.
 */
#ifndef PK_REGION_PRIVATE_H
#define PK_REGION_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "perfkit/region.h"

enum {
	CHUNK_BITS = 8,
	CHUNK = 1 << CHUNK_BITS,
	MAX_CHUNKS = PERFKIT_REGION_MAX_NAMES / CHUNK,
	/* Edges (caller, callee) per thread, in chunks of CHUNK. */
	MAX_EDGES = 4 * PERFKIT_REGION_MAX_NAMES,
	MAX_EDGE_CHUNKS = MAX_EDGES / CHUNK,
	MIN_SLOTS = 64,
	/* Trace slots per chunk: 24 KiB. */
	TRACE_CHUNK = 1024,
	TRACE_MAX_CHUNKS = (PERFKIT_REGION_TRACE_MAX_EVENTS + TRACE_CHUNK - 1) / TRACE_CHUNK,
};

struct edge;

struct entry {
	char *name;
	size_t len;
	uint32_t hash;
	uint32_t idx;			/* its index in the profile */
	uint32_t open;			/* owner only: its frames on the stack */
	struct edge *last_edge;		/* owner only: edge of the last begin */
};

/* Calls of `callee` opened directly inside `caller` (NULL: top level).
 * The per-name figures are the sums over a name's edges. */
struct edge {
	struct entry *caller, *callee;
	uint32_t caller_idx, callee_idx;	/* caller_idx UINT32_MAX: top */
	_Atomic uint64_t calls, incl, excl;	/* owner writes, snapshots read */
	uint64_t base_calls, base_incl, base_excl;	/* under pk_region_lock */
};

struct frame {
	struct entry *e;
	struct edge *g;
	uint64_t start;
	uint64_t child;			/* time in regions nested inside */
	uint32_t nargs;
	uint32_t arg_key[PERFKIT_REGION_MAX_ARGS];	/* entry indices */
	double arg_value[PERFKIT_REGION_MAX_ARGS];
};

/* Open addressing; key is a pointer (user's name) or an entry's name. */
struct slot {
	const void *key;
	uint32_t idx;
};

struct map {
	struct slot *slots;
	unsigned bits;
	size_t used;
};

/* One trace slot: an event, or one argument of the event before it. */
union tslot {
	struct {
		uint64_t start, end;	/* clock units */
		uint32_t entry;		/* TRACE_PAD: skip nargs slots */
		uint16_t depth;
		uint16_t nargs;		/* argument slots that follow */
	} ev;
	struct {
		uint32_t key;		/* entry index of the key */
		double value;
	} arg;
};

#define TRACE_PAD UINT32_MAX

struct profile {
	struct profile *next, *prev;	/* live or exited list, under lock */
	struct entry *chunks[MAX_CHUNKS];
	struct edge *edge_chunks[MAX_EDGE_CHUNKS];
	_Atomic size_t nentries, nedges;
	_Atomic uint64_t dropped;	/* refused begins */
	uint64_t base_dropped;		/* under pk_region_lock */
	struct map by_ptr, by_name, by_edge;	/* owner only */
	unsigned depth;			/* frames in use */
	unsigned dropped_open;		/* refused levels awaiting their end */
	bool no_trace;			/* the overhead probe's scratch profile */
	bool gone;			/* another thread of the process we forked from */
	/* Trace: slots [0, tused) are published; tlimit ends this chunk. */
	union tslot **tchunks;		/* TRACE_MAX_CHUNKS, on first event */
	size_t tpos, tlimit;		/* owner only */
	_Atomic size_t tused;
	_Atomic uint64_t tdropped, tfiltered;
	long tid;
	pthread_t thread;
	char tname[16];			/* set when the thread exits */
	uint64_t tend;			/* clock when the thread exited, or 0 */
	struct frame frames[PERFKIT_REGION_MAX_DEPTH];
};

/* Figures merged by name (or by "caller\ncallee" for edges). */
struct agg {
	char *name;
	size_t len;
	uint32_t hash;
	uint32_t threads;
	uint64_t calls, incl, excl;	/* in clock units */
};

struct aggtab {
	struct agg *v;
	size_t n, cap;
	struct map by_name;
};

/* The lock of the lists below and of every profile's baselines. */
extern pthread_mutex_t pk_region_lock;
extern struct profile *pk_region_live;		/* live threads */
extern struct profile *pk_region_exited;	/* exited, with trace events */
extern struct aggtab pk_region_retired;		/* exited threads, by name */
extern struct aggtab pk_region_retired_edges;	/* ... by edge */
extern size_t pk_region_retired_threads;
extern uint64_t pk_region_retired_dropped;

/* Thread-local profile of the calling thread (NULL before its first
 * region). */
struct profile *pk_region_self(void);

static inline struct entry *pk_entry_at(const struct profile *p, size_t idx)
{
	return &p->chunks[idx >> CHUNK_BITS][idx & (CHUNK - 1)];
}

static inline struct edge *pk_edge_at(const struct profile *p, size_t idx)
{
	return &p->edge_chunks[idx >> CHUNK_BITS][idx & (CHUNK - 1)];
}

static inline union tslot *pk_tslot_at(const struct profile *p, size_t idx)
{
	return &p->tchunks[idx / TRACE_CHUNK][idx % TRACE_CHUNK];
}

/* region-clock.c: true when regions read the tick counter. */
extern _Atomic bool pk_region_use_ticks;

/* The clock read inline rather than through perfkit_ticks() and
 * perfkit_now_ns(): from inside the shared library those are PLT calls. */
static inline uint64_t pk_region_clock_now(void)
{
	struct timespec ts;

	if (atomic_load_explicit(&pk_region_use_ticks, memory_order_relaxed)) {
#if defined(__x86_64__) || defined(__i386__)
		return __rdtsc();
#elif defined(__aarch64__)
		uint64_t v;

		__asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
		return v;
#endif
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Nanoseconds per clock unit (1 for the monotonic clock). */
double pk_region_unit_ns(void);
/* Make sure setup has run (clock choice, thread-exit key). */
void pk_region_setup(void);
/* The region clock now, in its units. */
uint64_t pk_region_now(void);
uint32_t pk_region_str_hash(const char *s, size_t len);
int pk_region_check_name(const char *fn, const char *what, const char *name,
			 size_t *len);
/* Entry index for `name` in the calling thread's profile, added if new. */
long pk_region_intern(struct profile *p, const char *name, size_t len);

void pk_aggtab_free(struct aggtab *t);
int pk_aggtab_add(struct aggtab *t, const char *name, size_t len,
		  uint32_t hash, uint64_t calls, uint64_t incl, uint64_t excl,
		  uint32_t threads);
/* Fold a profile's counts since its baselines into by-name and by-edge
 * tables. Under the lock. 1 if it had any call, 0 if none, -ENOMEM. */
int pk_region_fold(struct aggtab *names, struct aggtab *edges,
		   const struct profile *p);
uint64_t pk_region_profile_dropped(const struct profile *p);

/* region-buffer.c: the trace's recording state, read on the hot path,
 * and its settings. */
extern _Atomic bool pk_trace_on;
extern _Atomic uint64_t pk_trace_min_units;
extern _Atomic size_t pk_trace_cap;
extern _Atomic uint64_t pk_trace_min_ns;
extern _Atomic uint64_t pk_trace_origin;
/* Clock at the fork that made this process (0 in the one that started
 * tracing): its trace starts there. */
extern _Atomic uint64_t pk_trace_floor;
/* perfkit_region_trace_start() without the fork and exit handling that
 * region-session.c adds. */
int pk_trace_configure(size_t max_events, uint64_t min_duration_ns);
/* The arena's lock, held across fork(). */
void pk_trace_arena_lock(void);
void pk_trace_arena_unlock(void);
void pk_trace_arena_forget(void);
/* Append the event of frame `f` ending at `end`; slow part of the hot
 * path (a new chunk, a full buffer). */
void pk_trace_put(struct profile *p, const struct frame *f, uint64_t end,
		  unsigned depth);

/* Write the event of `f` at the owner's position, and publish it. The
 * caller has checked that its slots fit in the current chunk. */
static inline void pk_trace_write(struct profile *p, const struct frame *f,
				  uint64_t end, unsigned depth)
{
	union tslot *s = pk_tslot_at(p, p->tpos);

	/* Ask for the line a few events ahead now, so that its read for
	 * ownership overlaps the program's work instead of the next end. */
	__builtin_prefetch(s + 16, 1, 0);
	s->ev.start = f->start;
	s->ev.end = end;
	s->ev.entry = f->e->idx;
	s->ev.depth = (uint16_t)depth;
	s->ev.nargs = (uint16_t)f->nargs;
	for (uint32_t i = 0; i < f->nargs; i++) {
		s[1 + i].arg.key = f->arg_key[i];
		s[1 + i].arg.value = f->arg_value[i];
	}
	p->tpos += 1 + f->nargs;
	atomic_store_explicit(&p->tused, p->tpos, memory_order_release);
}

/* Free a profile's list of trace chunks. */
void pk_trace_free(struct profile *p);

/* region-session.c: start tracing if PERFKIT_TRACE asks (once). */
void pk_trace_env_once(void);

/* region-spool.c: where forked children leave their traces for the
 * process that started tracing (the root) to merge. */
struct pk_spool_counts {
	uint64_t events, dropped, filtered, open, processes;
};
/* In the root, at the first start: name the spool after the root. */
void pk_spool_init(void);
/* True in a process forked (directly or not) from the root. */
bool pk_spool_is_child(void);
/* Make the spool folder if needed; this process's file in it. */
int pk_spool_path(char *buf, size_t size);
/* Copy the events of every child's file into `out` (after `*first`
 * events have been written, `*first` false) and add their counts. Root
 * only; under the lock. */
void pk_spool_merge(FILE *out, bool *first, struct pk_spool_counts *c);
/* Remove the spool folder and its files (root, at exit). */
void pk_spool_remove(void);

#endif /* PK_REGION_PRIVATE_H */
