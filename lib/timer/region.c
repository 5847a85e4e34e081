/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: recording.
 *
 * Each thread owns a profile: a table of entries (one per name), a table
 * of edges (one per caller and callee pair) that only it writes, and a
 * stack of open frames. The hot path (a name seen before, passed by the
 * same pointer, under the same caller as last time) is: one thread-local
 * load, a pointer-hash probe, a strcmp against the entry's copy of the
 * name, a clock read, and a few stores; no locks, no allocation. With
 * tracing on, an end also appends one slot to the thread's trace buffer.
 *
 * Snapshots read other threads' edges while they run. Entries and edges
 * live in chunks that never move and are published by a release store of
 * their count; their counters are single-writer atomics (plain moves on
 * x86-64 and aarch64). A reset never writes an owner's counters: it
 * records a baseline that snapshots subtract. region-snapshot.c merges
 * and prints, region-trace.c writes the Chrome trace.
 */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "region-private.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* initial-exec: a %fs-relative load instead of a __tls_get_addr call. */
static _Thread_local struct profile *self
	__attribute__((tls_model("initial-exec")));

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;

static void profile_exit(void *p);

static void make_key(void)
{
	pthread_key_create(&exit_key, profile_exit);
}

struct profile *pk_region_self(void)
{
	return self;
}

/* ---- hash maps ------------------------------------------------------ */

static inline size_t ptr_hash(const void *p, unsigned bits)
{
	return (size_t)(((uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

uint32_t pk_region_str_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int map_init(struct map *m, unsigned bits)
{
	m->slots = calloc((size_t)1 << bits, sizeof(*m->slots));
	if (!m->slots)
		return -ENOMEM;
	m->bits = bits;
	m->used = 0;
	return 0;
}

/* Slot holding `key` or the empty slot where it would go; `h` is the
 * key's hash with the map's bits. */
static inline struct slot *map_probe(const struct map *m, const void *key, size_t h)
{
	size_t mask = ((size_t)1 << m->bits) - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask)
		if (m->slots[i].key == key || !m->slots[i].key)
			return &m->slots[i];
}

/* ---- per-thread entries --------------------------------------------- */

static size_t name_bucket(uint32_t hash, unsigned bits)
{
	return ptr_hash((const void *)(uintptr_t)hash, bits);
}

/* Find an entry of `p` by name, or -1. Owner only. */
static long find_by_name(const struct profile *p, const char *name, size_t len,
			 uint32_t hash)
{
	const struct map *m = &p->by_name;
	size_t mask = ((size_t)1 << m->bits) - 1;

	for (size_t i = name_bucket(hash, m->bits);; i = (i + 1) & mask) {
		const struct slot *s = &m->slots[i];
		const struct entry *e;

		if (!s->key)
			return -1;
		e = pk_entry_at(p, s->idx);
		if (e->hash == hash && e->len == len && memcmp(e->name, name, len) == 0)
			return s->idx;
	}
}

/* Rehash a map into twice the slots; `keyof` gives each slot's hash. */
static int map_grow(struct map *m, size_t (*bucket)(const struct profile *,
						    const struct slot *, unsigned),
		    const struct profile *p)
{
	struct map bigger;
	size_t n = (size_t)1 << m->bits;

	if (map_init(&bigger, m->bits + 1) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct slot *s = &m->slots[i];
		size_t mask = ((size_t)1 << bigger.bits) - 1, j;

		if (!s->key)
			continue;
		for (j = bucket(p, s, bigger.bits);
		     bigger.slots[j].key; j = (j + 1) & mask)
			;
		bigger.slots[j] = *s;
		bigger.used++;
	}
	free(m->slots);
	*m = bigger;
	return 0;
}

static size_t name_slot_bucket(const struct profile *p, const struct slot *s,
			       unsigned bits)
{
	return name_bucket(pk_entry_at(p, s->idx)->hash, bits);
}

static size_t ptr_slot_bucket(const struct profile *p, const struct slot *s,
			      unsigned bits)
{
	(void)p;
	return ptr_hash(s->key, bits);
}

int pk_region_check_name(const char *fn, const char *what, const char *name,
			 size_t *len)
{
	size_t n;

	if (!name)
		return pk_error(-EINVAL, "%s: %s is NULL", fn, what);
	n = strnlen(name, PERFKIT_REGION_NAME_MAX + 1);
	if (n == 0)
		return pk_error(-EINVAL, "%s: %s is empty", fn, what);
	if (n > PERFKIT_REGION_NAME_MAX)
		return pk_error(-EINVAL, "%s: %s longer than %d bytes: \"%.32s...\"",
				fn, what, PERFKIT_REGION_NAME_MAX, name);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return pk_error(-EINVAL, "%s: %s \"%.32s\" has a control "
					"character at byte %zu", fn, what, name, i);
	*len = n;
	return 0;
}

static int check_name(const char *fn, const char *name, size_t *len)
{
	return pk_region_check_name(fn, "name", name, len);
}

/* Append an entry for `name` and publish it. Owner only. */
static long add_entry(struct profile *p, const char *name, size_t len, uint32_t hash)
{
	size_t idx = atomic_load_explicit(&p->nentries, memory_order_relaxed);
	struct entry *e;
	struct slot *s;
	size_t mask, i;

	if (idx >= PERFKIT_REGION_MAX_NAMES)
		return pk_error(-ERANGE, "perfkit_region_begin: this thread already "
				"has %d region names", PERFKIT_REGION_MAX_NAMES);
	if ((p->by_name.used + 1) * 2 > ((size_t)1 << p->by_name.bits) &&
	    map_grow(&p->by_name, name_slot_bucket, p) < 0)
		return pk_error(-ENOMEM, "perfkit_region_begin: out of memory");
	if (!p->chunks[idx >> CHUNK_BITS]) {
		p->chunks[idx >> CHUNK_BITS] = calloc(CHUNK, sizeof(struct entry));
		if (!p->chunks[idx >> CHUNK_BITS])
			return pk_error(-ENOMEM, "perfkit_region_begin: out of memory");
	}
	e = pk_entry_at(p, idx);
	e->name = malloc(len + 1);
	if (!e->name)
		return pk_error(-ENOMEM, "perfkit_region_begin: out of memory");
	memcpy(e->name, name, len + 1);
	e->len = len;
	e->hash = hash;
	e->idx = (uint32_t)idx;
	mask = ((size_t)1 << p->by_name.bits) - 1;
	for (i = name_bucket(hash, p->by_name.bits); p->by_name.slots[i].key;
	     i = (i + 1) & mask)
		;
	s = &p->by_name.slots[i];
	s->key = e->name;
	s->idx = (uint32_t)idx;
	p->by_name.used++;
	atomic_store_explicit(&p->nentries, idx + 1, memory_order_release);
	return (long)idx;
}

/* Remember that pointer `name` means entry `idx`. Owner only. The pointer
 * map is emptied rather than grown past a few aliases per name, so names
 * in ever-new buffers cannot make it grow without bound. */
static void alias_pointer(struct profile *p, const char *name, long idx)
{
	struct map *m = &p->by_ptr;
	struct slot *s = map_probe(m, name, ptr_hash(name, m->bits));

	if (!s->key) {
		if ((m->used + 1) * 2 > ((size_t)1 << m->bits)) {
			size_t names = atomic_load_explicit(&p->nentries,
							    memory_order_relaxed);

			if (m->used > 4 * names + MIN_SLOTS ||
			    map_grow(m, ptr_slot_bucket, p) < 0) {
				memset(m->slots, 0, sizeof(*m->slots) << m->bits);
				m->used = 0;
			}
			s = map_probe(m, name, ptr_hash(name, m->bits));
		}
		m->used++;
	}
	s->key = name;
	s->idx = (uint32_t)idx;
}


long pk_region_intern(struct profile *p, const char *name, size_t len)
{
	uint32_t hash = pk_region_str_hash(name, len);
	long idx = find_by_name(p, name, len, hash);

	return idx >= 0 ? idx : add_entry(p, name, len, hash);
}

/* ---- per-thread edges ----------------------------------------------- */

static inline size_t edge_bucket(uint32_t caller, uint32_t callee, unsigned bits)
{
	return ptr_hash((const void *)(uintptr_t)(((uint64_t)caller << 32) | callee), bits);
}

static size_t edge_slot_bucket(const struct profile *p, const struct slot *s,
			       unsigned bits)
{
	const struct edge *g = s->key;

	(void)p;
	return edge_bucket(g->caller_idx, g->callee_idx, bits);
}

/* The edge from `caller` (NULL: top level) to `callee`, added if new.
 * Owner only. */
static int find_edge(struct profile *p, struct entry *caller,
		     struct entry *callee, struct edge **out)
{
	uint32_t ci = caller ? caller->idx : UINT32_MAX;
	struct map *m = &p->by_edge;
	size_t mask = ((size_t)1 << m->bits) - 1, i, idx;
	struct edge *g;

	for (i = edge_bucket(ci, callee->idx, m->bits); m->slots[i].key; i = (i + 1) & mask) {
		g = (struct edge *)m->slots[i].key;
		if (g->caller_idx == ci && g->callee_idx == callee->idx) {
			*out = g;
			return 0;
		}
	}
	idx = atomic_load_explicit(&p->nedges, memory_order_relaxed);
	if (idx >= MAX_EDGES)
		return pk_error(-ERANGE, "perfkit_region_begin: this thread already "
				"has %d caller-callee pairs", MAX_EDGES);
	if (!p->edge_chunks[idx >> CHUNK_BITS]) {
		p->edge_chunks[idx >> CHUNK_BITS] = calloc(CHUNK, sizeof(struct edge));
		if (!p->edge_chunks[idx >> CHUNK_BITS])
			goto nomem;
	}
	if ((m->used + 1) * 2 > mask + 1) {
		if (map_grow(m, edge_slot_bucket, p) < 0)
			goto nomem;
		mask = ((size_t)1 << m->bits) - 1;
		for (i = edge_bucket(ci, callee->idx, m->bits); m->slots[i].key;
		     i = (i + 1) & mask)
			;
	}
	g = pk_edge_at(p, idx);
	g->caller = caller;
	g->callee = callee;
	g->caller_idx = ci;
	g->callee_idx = callee->idx;
	m->slots[i].key = g;
	m->slots[i].idx = (uint32_t)idx;
	m->used++;
	atomic_store_explicit(&p->nedges, idx + 1, memory_order_release);
	*out = g;
	return 0;
nomem:
	return pk_error(-ENOMEM, "perfkit_region_begin: out of memory");
}

/* ---- thread registration -------------------------------------------- */

static void profile_free_maps(struct profile *p)
{
	free(p->by_ptr.slots);
	free(p->by_name.slots);
	free(p->by_edge.slots);
	p->by_ptr.slots = p->by_name.slots = p->by_edge.slots = NULL;
}

static void profile_free(struct profile *p)
{
	size_t n = atomic_load_explicit(&p->nentries, memory_order_relaxed);

	for (size_t i = 0; i < n; i++)
		free(pk_entry_at(p, i)->name);
	for (size_t c = 0; c < MAX_CHUNKS && p->chunks[c]; c++)
		free(p->chunks[c]);
	for (size_t c = 0; c < MAX_EDGE_CHUNKS && p->edge_chunks[c]; c++)
		free(p->edge_chunks[c]);
	pk_trace_free(p);
	profile_free_maps(p);
	free(p);
}

static struct profile *profile_alloc(void)
{
	struct profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (map_init(&p->by_ptr, 6) < 0 || map_init(&p->by_name, 6) < 0 ||
	    map_init(&p->by_edge, 6) < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

/* Thread exit: fold the profile's counts into the retired tables and
 * unlink it; keep it on the exited list while its trace has events, or
 * regions left open that the trace will show ending here (the events
 * name its entries), else free it. */
static void profile_exit(void *arg)
{
	struct profile *p = arg;
	bool keep = atomic_load_explicit(&p->tused, memory_order_acquire) > 0 ||
		    (p->depth > 0 && atomic_load_explicit(&pk_trace_on, memory_order_relaxed));

	p->tend = pk_region_clock_now();

	if (keep && pthread_getname_np(pthread_self(), p->tname, sizeof(p->tname)) != 0)
		p->tname[0] = '\0';
	pthread_mutex_lock(&pk_region_lock);
	if (pk_region_fold(&pk_region_retired, &pk_region_retired_edges, p) > 0)
		pk_region_retired_threads++;
	pk_region_retired_dropped += pk_region_profile_dropped(p);
	if (p->prev)
		p->prev->next = p->next;
	else
		pk_region_live = p->next;
	if (p->next)
		p->next->prev = p->prev;
	if (keep) {
		p->prev = NULL;
		p->next = pk_region_exited;
		pk_region_exited = p;
	}
	pthread_mutex_unlock(&pk_region_lock);
	if (self == p)
		self = NULL;
	if (keep)
		profile_free_maps(p);
	else
		profile_free(p);
}

static struct profile *profile_register(void)
{
	struct profile *p;

	pk_region_setup();
	/* PERFKIT_TRACE: also for programs linked with libperfkit.a, where
	 * this call is what brings the code that reads it into the program. */
	pk_trace_env_once();
	pthread_once(&key_once, make_key);
	p = profile_alloc();
	if (!p)
		return NULL;
	if (pthread_setspecific(exit_key, p) != 0) {
		profile_free(p);
		return NULL;
	}
	p->tid = (long)syscall(SYS_gettid);
	p->thread = pthread_self();
	pthread_mutex_lock(&pk_region_lock);
	p->next = pk_region_live;
	if (pk_region_live)
		pk_region_live->prev = p;
	pk_region_live = p;
	pthread_mutex_unlock(&pk_region_lock);
	self = p;
	return p;
}

/* ---- begin / end ---------------------------------------------------- */

/* Entry for `name` via the pointer map, or NULL to take the slow path. */
static inline struct entry *lookup_fast(struct profile *p, const char *name)
{
	const struct map *m = &p->by_ptr;
	const struct slot *s = map_probe(m, name, ptr_hash(name, m->bits));
	struct entry *e;

	if (unlikely(!s->key))
		return NULL;
	e = pk_entry_at(p, s->idx);
	return likely(strcmp(e->name, name) == 0) ? e : NULL;
}

static inline struct entry *caller_of_next(const struct profile *p)
{
	return p->depth ? p->frames[p->depth - 1].e : NULL;
}

static inline void push(struct profile *p, struct entry *e, struct edge *g)
{
	struct frame *f = &p->frames[p->depth++];

	f->e = e;
	f->g = g;
	f->child = 0;
	f->nargs = 0;
	e->open++;
	f->start = pk_region_clock_now(); /* last: time as little of our own work as we can */
}

static int refuse(struct profile *p, int code)
{
	p->dropped_open++;
	atomic_store_explicit(&p->dropped,
			      atomic_load_explicit(&p->dropped, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	return code;
}

static __attribute__((noinline)) int begin_slow(const char *name)
{
	struct profile *p = self;
	struct entry *e;
	struct edge *g;
	size_t len;
	long idx;
	int rc;

	rc = check_name("perfkit_region_begin", name, &len);
	if (rc < 0)
		return rc;
	if (!p && !(p = profile_register()))
		return pk_error(-ENOMEM, "perfkit_region_begin: cannot allocate "
				"this thread's profile");
	if (p->dropped_open)
		return refuse(p, pk_error(-ERANGE, "perfkit_region_begin: \"%s\" "
					  "is inside a region that was not recorded",
					  name));
	if (p->depth >= PERFKIT_REGION_MAX_DEPTH)
		return refuse(p, pk_error(-ERANGE, "perfkit_region_begin: \"%s\" "
					  "nested deeper than %d regions", name,
					  PERFKIT_REGION_MAX_DEPTH));
	idx = pk_region_intern(p, name, len);
	if (idx < 0)
		return refuse(p, (int)idx);
	alias_pointer(p, name, idx);
	e = pk_entry_at(p, (size_t)idx);
	g = e->last_edge;
	if (!g || g->caller != caller_of_next(p)) {
		rc = find_edge(p, caller_of_next(p), e, &g);
		if (rc < 0)
			return refuse(p, rc);
		e->last_edge = g;
	}
	push(p, e, g);
	return 0;
}

PERFKIT_EXPORT int perfkit_region_begin(const char *name)
{
	struct profile *p = self;
	struct entry *e;
	struct edge *g;

	if (unlikely(!p || !name || p->dropped_open ||
		     p->depth >= PERFKIT_REGION_MAX_DEPTH))
		return begin_slow(name);
	e = lookup_fast(p, name);
	if (unlikely(!e))
		return begin_slow(name);
	g = e->last_edge;
	if (unlikely(!g || g->caller != caller_of_next(p)))
		return begin_slow(name);
	push(p, e, g);
	return 0;
}

static inline void add_relaxed(_Atomic uint64_t *v, uint64_t d)
{
	atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + d,
			      memory_order_relaxed);
}

static __attribute__((noinline)) int end_slow(const char *name)
{
	struct profile *p = self;
	size_t len;
	int rc;

	rc = check_name("perfkit_region_end", name, &len);
	if (rc < 0)
		return rc;
	if (p && p->dropped_open) {
		p->dropped_open--;
		return pk_error(-ERANGE, "perfkit_region_end: \"%s\" was not "
				"recorded (its begin was refused)", name);
	}
	if (!p || p->depth == 0)
		return pk_error(-EINVAL, "perfkit_region_end: \"%s\" ended but no "
				"region is open", name);
	return pk_error(-EINVAL, "perfkit_region_end: \"%s\" ended but the "
			"innermost open region is \"%s\"", name,
			p->frames[p->depth - 1].e->name);
}

/* With tracing on: keep the event unless it is shorter than the minimum. */
static inline void trace_end(struct profile *p, const struct frame *f,
			     uint64_t t, uint64_t elapsed, unsigned depth)
{
	if (elapsed < atomic_load_explicit(&pk_trace_min_units, memory_order_relaxed)) {
		add_relaxed(&p->tfiltered, 1);
		return;
	}
	if (unlikely(p->tpos + 1 + f->nargs > p->tlimit))
		pk_trace_put(p, f, t, depth);
	else
		pk_trace_write(p, f, t, depth);
}

PERFKIT_EXPORT int perfkit_region_end(const char *name)
{
	struct profile *p = self;
	uint64_t t = pk_region_clock_now(); /* early: time as little of our own work as we can */
	struct frame *f;
	struct entry *e;
	struct edge *g;
	uint64_t elapsed;

	if (unlikely(!p || !name || p->dropped_open || p->depth == 0))
		return end_slow(name);
	f = &p->frames[p->depth - 1];
	e = f->e;
	if (unlikely(strcmp(e->name, name) != 0))
		return end_slow(name);
	if (unlikely(t < f->start))
		t = f->start;
	elapsed = t - f->start;
	g = f->g;
	add_relaxed(&g->calls, 1);
	add_relaxed(&g->excl, elapsed > f->child ? elapsed - f->child : 0);
	if (--e->open == 0)
		add_relaxed(&g->incl, elapsed);
	if (unlikely(atomic_load_explicit(&pk_trace_on, memory_order_relaxed)))
		trace_end(p, f, t, elapsed, p->depth - 1);
	if (--p->depth)
		p->frames[p->depth - 1].child += elapsed;
	return 0;
}

PERFKIT_EXPORT int perfkit_region_depth(void)
{
	const struct profile *p = self;

	return p ? (int)(p->depth + p->dropped_open) : 0;
}

PERFKIT_EXPORT int perfkit_region_arg(const char *key, double value)
{
	struct profile *p = self;
	struct frame *f;
	size_t len;
	long idx;
	int rc;

	rc = pk_region_check_name("perfkit_region_arg", "key", key, &len);
	if (rc < 0)
		return rc;
	if (p && p->dropped_open)
		return pk_error(-ERANGE, "perfkit_region_arg: \"%s\": the innermost "
				"region was not recorded", key);
	if (!p || p->depth == 0)
		return pk_error(-EINVAL, "perfkit_region_arg: \"%s\": no region is "
				"open", key);
	idx = pk_region_intern(p, key, len);
	if (idx < 0)
		return (int)idx;
	f = &p->frames[p->depth - 1];
	for (uint32_t i = 0; i < f->nargs; i++)
		if (f->arg_key[i] == (uint32_t)idx) {
			f->arg_value[i] = value;
			return 0;
		}
	if (f->nargs == PERFKIT_REGION_MAX_ARGS)
		return pk_error(-ENOSPC, "perfkit_region_arg: \"%s\": region \"%s\" "
				"already has %d arguments", key, f->e->name,
				PERFKIT_REGION_MAX_ARGS);
	f->arg_key[f->nargs] = (uint32_t)idx;
	f->arg_value[f->nargs++] = value;
	return 0;
}

/* ---- merged tables -------------------------------------------------- */

void pk_aggtab_free(struct aggtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	free(t->by_name.slots);
	memset(t, 0, sizeof(*t));
}

int pk_aggtab_add(struct aggtab *t, const char *name, size_t len,
		      uint32_t hash, uint64_t calls, uint64_t incl,
		      uint64_t excl, uint32_t threads)
{
	size_t mask, i;
	struct agg *a;

	if (!t->by_name.slots && map_init(&t->by_name, 6) < 0)
		return -ENOMEM;
	mask = ((size_t)1 << t->by_name.bits) - 1;
	for (i = name_bucket(hash, t->by_name.bits); t->by_name.slots[i].key;
	     i = (i + 1) & mask) {
		a = &t->v[t->by_name.slots[i].idx];
		if (a->hash == hash && a->len == len && memcmp(a->name, name, len) == 0) {
			a->calls += calls;
			a->incl += incl;
			a->excl += excl;
			a->threads += threads;
			return 0;
		}
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct agg *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	a = &t->v[t->n];
	*a = (struct agg){ malloc(len + 1), len, hash, threads, calls, incl, excl };
	if (!a->name)
		return -ENOMEM;
	memcpy(a->name, name, len + 1);
	t->by_name.slots[i].key = a->name;
	t->by_name.slots[i].idx = (uint32_t)t->n++;
	t->by_name.used++;
	if (t->by_name.used * 2 > mask + 1) {
		/* Rebuild: slots hash agg names, not profile entries. */
		struct map m;

		if (map_init(&m, t->by_name.bits + 1) < 0)
			return -ENOMEM;
		for (size_t k = 0; k < t->n; k++) {
			size_t mk = ((size_t)1 << m.bits) - 1, j;

			for (j = name_bucket(t->v[k].hash, m.bits); m.slots[j].key;
			     j = (j + 1) & mk)
				;
			m.slots[j].key = t->v[k].name;
			m.slots[j].idx = (uint32_t)k;
			m.used++;
		}
		free(t->by_name.slots);
		t->by_name = m;
	}
	return 0;
}

/* Sums per entry index: calls, inclusive, exclusive. */
struct sums {
	uint64_t calls, incl, excl;
};

static int fold_edge(struct aggtab *edges, const struct profile *p,
		     const struct edge *g, const struct sums *d)
{
	char key[2 * PERFKIT_REGION_NAME_MAX + 2];
	const struct entry *callee = pk_entry_at(p, g->callee_idx);
	size_t n = 0;

	if (g->caller_idx != UINT32_MAX) {
		const struct entry *caller = pk_entry_at(p, g->caller_idx);

		memcpy(key, caller->name, caller->len);
		n = caller->len;
	}
	key[n++] = '\n';
	memcpy(key + n, callee->name, callee->len + 1);
	n += callee->len;
	return pk_aggtab_add(edges, key, n, pk_region_str_hash(key, n),
			     d->calls, d->incl, d->excl, 1);
}

int pk_region_fold(struct aggtab *names, struct aggtab *edges,
		   const struct profile *p)
{
	/* Edges first: every published edge's entries are published. */
	size_t ng = atomic_load_explicit(&p->nedges, memory_order_acquire);
	size_t ne = atomic_load_explicit(&p->nentries, memory_order_acquire);
	struct sums *sum = calloc(ne ? ne : 1, sizeof(*sum));
	int any = 0, rc = 0;

	if (!sum)
		return -ENOMEM;
	for (size_t i = 0; i < ng && rc == 0; i++) {
		const struct edge *g = pk_edge_at(p, i);
		struct sums d = {
			atomic_load_explicit(&g->calls, memory_order_relaxed) - g->base_calls,
			atomic_load_explicit(&g->incl, memory_order_relaxed) - g->base_incl,
			atomic_load_explicit(&g->excl, memory_order_relaxed) - g->base_excl,
		};

		if (d.calls == 0)
			continue;
		any = 1;
		sum[g->callee_idx].calls += d.calls;
		sum[g->callee_idx].incl += d.incl;
		sum[g->callee_idx].excl += d.excl;
		rc = fold_edge(edges, p, g, &d);
	}
	for (size_t i = 0; i < ne && rc == 0; i++) {
		const struct entry *e = pk_entry_at(p, i);

		if (sum[i].calls)
			rc = pk_aggtab_add(names, e->name, e->len, e->hash, sum[i].calls,
					   sum[i].incl, sum[i].excl, 1);
	}
	free(sum);
	return rc < 0 ? -ENOMEM : any;
}

uint64_t pk_region_profile_dropped(const struct profile *p)
{
	return atomic_load_explicit(&p->dropped, memory_order_relaxed) - p->base_dropped;
}

PERFKIT_EXPORT void perfkit_region_reset(void)
{
	pthread_mutex_lock(&pk_region_lock);
	for (struct profile *p = pk_region_live; p; p = p->next) {
		size_t n = atomic_load_explicit(&p->nedges, memory_order_acquire);

		for (size_t i = 0; i < n; i++) {
			struct edge *g = pk_edge_at(p, i);

			g->base_calls = atomic_load_explicit(&g->calls, memory_order_relaxed);
			g->base_incl = atomic_load_explicit(&g->incl, memory_order_relaxed);
			g->base_excl = atomic_load_explicit(&g->excl, memory_order_relaxed);
		}
		p->base_dropped = atomic_load_explicit(&p->dropped, memory_order_relaxed);
	}
	pk_aggtab_free(&pk_region_retired);
	pk_aggtab_free(&pk_region_retired_edges);
	pk_region_retired_threads = 0;
	pk_region_retired_dropped = 0;
	pthread_mutex_unlock(&pk_region_lock);
}

/* ---- overhead ------------------------------------------------------- */

enum { OVERHEAD_BATCHES = 31, OVERHEAD_PAIRS = 1000 };

PERFKIT_EXPORT int perfkit_region_overhead(double *pair_ns)
{
	static const char name[] = "perfkit-overhead";
	double per_pair[OVERHEAD_BATCHES];
	struct profile *saved = self, *scratch;

	if (!pair_ns)
		return pk_error(-EINVAL, "perfkit_region_overhead: pair_ns is NULL");
	pk_region_setup();
	scratch = profile_alloc();
	if (!scratch)
		return pk_error(-ENOMEM, "perfkit_region_overhead: out of memory");
	scratch->no_trace = true;
	/* A private, unregistered profile: no snapshot sees these pairs. */
	self = scratch;
	for (int i = 0; i < OVERHEAD_PAIRS; i++) { /* warm up, first use */
		perfkit_region_begin(name);
		perfkit_region_end(name);
	}
	for (int b = 0; b < OVERHEAD_BATCHES; b++) {
		uint64_t t0 = perfkit_now_ns();

		for (int i = 0; i < OVERHEAD_PAIRS; i++) {
			perfkit_region_begin(name);
			perfkit_region_end(name);
		}
		per_pair[b] = (double)(perfkit_now_ns() - t0) / OVERHEAD_PAIRS;
	}
	self = saved;
	profile_free(scratch);
	qsort(per_pair, OVERHEAD_BATCHES, sizeof(double), pk_cmp_double);
	*pair_ns = per_pair[OVERHEAD_BATCHES / 2];
	return 0;
}

