/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions.
 *
 * Each thread owns a profile: a table of entries (one per name) that only
 * it writes, and a stack of open frames. The hot path (a name seen before,
 * passed by the same pointer) is: one thread-local load, a pointer-hash
 * probe, a strcmp against the entry's copy of the name, a clock read, and
 * a few stores; no locks, no allocation.
 *
 * Snapshots read other threads' entries while they run. Entries live in
 * chunks that never move and are published by a release store of the
 * entry count; their counters are single-writer atomics (plain moves on
 * x86-64 and aarch64). A reset never writes an owner's counters: it records
 * a baseline that snapshots subtract.
 */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

#include "common.h"
#include "perfkit/region.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

enum {
	CHUNK_BITS = 8,
	CHUNK = 1 << CHUNK_BITS,
	MAX_CHUNKS = PERFKIT_REGION_MAX_NAMES / CHUNK,
	MIN_SLOTS = 64,
};

struct entry {
	char *name;
	size_t len;
	uint32_t hash;
	uint32_t open;			/* owner only: its frames on the stack */
	_Atomic uint64_t calls, incl, excl;	/* owner writes, snapshots read */
	uint64_t base_calls, base_incl, base_excl;	/* under `lock` */
};

struct frame {
	struct entry *e;
	uint64_t start;
	uint64_t child;			/* time in regions nested inside */
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

struct profile {
	struct profile *next, *prev;	/* live list, under `lock` */
	struct entry *chunks[MAX_CHUNKS];
	_Atomic size_t nentries;
	_Atomic uint64_t dropped;	/* refused begins */
	uint64_t base_dropped;		/* under `lock` */
	struct map by_ptr, by_name;	/* owner only */
	unsigned depth;			/* frames in use */
	unsigned dropped_open;		/* refused levels awaiting their end */
	struct frame frames[PERFKIT_REGION_MAX_DEPTH];
};

/* Figures merged by name: exited threads' profiles and snapshots. */
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

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct profile *live;		/* under `lock` */
static struct aggtab retired;		/* under `lock` */
static size_t retired_threads;		/* under `lock` */
static uint64_t retired_dropped;	/* under `lock` */

/* initial-exec: a %fs-relative load instead of a __tls_get_addr call. */
static _Thread_local struct profile *self
	__attribute__((tls_model("initial-exec")));

static pthread_once_t setup_once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;
static _Atomic bool use_ticks;	/* set once by setup() */

/* ---- clock ---------------------------------------------------------- */

static bool invariant_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;

	if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
		return false;
	__get_cpuid(0x80000007u, &a, &b, &c, &d);
	return (d >> 8) & 1u;
#elif defined(__aarch64__)
	return true;
#else
	return false;
#endif
}

/* The clock read inline rather than through perfkit_ticks() and
 * perfkit_now_ns(): from inside the shared library those are PLT calls. */
static inline uint64_t now(void)
{
	struct timespec ts;

	if (atomic_load_explicit(&use_ticks, memory_order_relaxed)) {
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

/* Nanoseconds per clock unit. */
static double unit_ns(void)
{
	double hz;

	if (!atomic_load(&use_ticks) || perfkit_ticks_rate(&hz) < 0 || !(hz > 0))
		return 1.0;
	return 1e9 / hz;
}

static void profile_exit(void *p);

static void setup(void)
{
	const char *env = getenv("PERFKIT_REGION_CLOCK");

	/* An escape hatch for machines whose counter lies despite the flag
	 * (some VMs that migrate between hosts). */
	atomic_store(&use_ticks, invariant_ticks() &&
		     !(env && strcmp(env, "monotonic") == 0));
	pthread_key_create(&exit_key, profile_exit);
}

PERFKIT_EXPORT enum perfkit_clock perfkit_region_clock(void)
{
	pthread_once(&setup_once, setup);
	return atomic_load(&use_ticks) ? PERFKIT_CLOCK_TICKS : PERFKIT_CLOCK_MONOTONIC;
}

/* ---- hash maps ------------------------------------------------------ */

static inline size_t ptr_hash(const void *p, unsigned bits)
{
	return (size_t)(((uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

static uint32_t str_hash(const char *s, size_t len)
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

static inline struct entry *entry_at(const struct profile *p, size_t idx)
{
	return &p->chunks[idx >> CHUNK_BITS][idx & (CHUNK - 1)];
}

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
		e = entry_at(p, s->idx);
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
	return name_bucket(entry_at(p, s->idx)->hash, bits);
}

static size_t ptr_slot_bucket(const struct profile *p, const struct slot *s,
			      unsigned bits)
{
	(void)p;
	return ptr_hash(s->key, bits);
}

static int check_name(const char *fn, const char *name, size_t *len)
{
	size_t n;

	if (!name)
		return pk_error(-EINVAL, "%s: name is NULL", fn);
	n = strnlen(name, PERFKIT_REGION_NAME_MAX + 1);
	if (n == 0)
		return pk_error(-EINVAL, "%s: name is empty", fn);
	if (n > PERFKIT_REGION_NAME_MAX)
		return pk_error(-EINVAL, "%s: name longer than %d bytes: \"%.32s...\"",
				fn, PERFKIT_REGION_NAME_MAX, name);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return pk_error(-EINVAL, "%s: name \"%.32s\" has a control "
					"character at byte %zu", fn, name, i);
	*len = n;
	return 0;
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
	e = entry_at(p, idx);
	e->name = malloc(len + 1);
	if (!e->name)
		return pk_error(-ENOMEM, "perfkit_region_begin: out of memory");
	memcpy(e->name, name, len + 1);
	e->len = len;
	e->hash = hash;
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

/* ---- thread registration -------------------------------------------- */

static void profile_free(struct profile *p)
{
	size_t n = atomic_load_explicit(&p->nentries, memory_order_relaxed);

	for (size_t i = 0; i < n; i++)
		free(entry_at(p, i)->name);
	for (size_t c = 0; c < MAX_CHUNKS && p->chunks[c]; c++)
		free(p->chunks[c]);
	free(p->by_ptr.slots);
	free(p->by_name.slots);
	free(p);
}

static struct profile *profile_alloc(void)
{
	struct profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (map_init(&p->by_ptr, 6) < 0 || map_init(&p->by_name, 6) < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

static int aggtab_add(struct aggtab *t, const char *name, size_t len,
		      uint32_t hash, uint64_t calls, uint64_t incl,
		      uint64_t excl, uint32_t threads);

/* Fold a profile's counts since the last reset into `t`. Under `lock`.
 * Returns 1 if it had any call, 0 if none, -ENOMEM. */
static int fold_profile(struct aggtab *t, struct profile *p)
{
	size_t n = atomic_load_explicit(&p->nentries, memory_order_acquire);
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		struct entry *e = entry_at(p, i);
		uint64_t calls = atomic_load_explicit(&e->calls, memory_order_relaxed);
		uint64_t incl = atomic_load_explicit(&e->incl, memory_order_relaxed);
		uint64_t excl = atomic_load_explicit(&e->excl, memory_order_relaxed);

		if (calls == e->base_calls)
			continue;
		any = 1;
		if (aggtab_add(t, e->name, e->len, e->hash, calls - e->base_calls,
			       incl - e->base_incl, excl - e->base_excl, 1) < 0)
			return -ENOMEM;
	}
	return any;
}

static uint64_t profile_dropped(const struct profile *p)
{
	return atomic_load_explicit(&p->dropped, memory_order_relaxed) - p->base_dropped;
}

/* Thread exit: fold the profile into `retired`, unlink and free it. */
static void profile_exit(void *arg)
{
	struct profile *p = arg;

	pthread_mutex_lock(&lock);
	if (fold_profile(&retired, p) > 0)
		retired_threads++;
	retired_dropped += profile_dropped(p);
	if (p->prev)
		p->prev->next = p->next;
	else
		live = p->next;
	if (p->next)
		p->next->prev = p->prev;
	pthread_mutex_unlock(&lock);
	if (self == p)
		self = NULL;
	profile_free(p);
}

static struct profile *profile_register(void)
{
	struct profile *p;

	pthread_once(&setup_once, setup);
	p = profile_alloc();
	if (!p)
		return NULL;
	if (pthread_setspecific(exit_key, p) != 0) {
		profile_free(p);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	p->next = live;
	if (live)
		live->prev = p;
	live = p;
	pthread_mutex_unlock(&lock);
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
	e = entry_at(p, s->idx);
	return likely(strcmp(e->name, name) == 0) ? e : NULL;
}

static inline void push(struct profile *p, struct entry *e)
{
	struct frame *f = &p->frames[p->depth++];

	f->e = e;
	f->child = 0;
	e->open++;
	f->start = now(); /* last: time as little of our own work as we can */
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
	size_t len;
	uint32_t hash;
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
	hash = str_hash(name, len);
	idx = find_by_name(p, name, len, hash);
	if (idx < 0) {
		idx = add_entry(p, name, len, hash);
		if (idx < 0)
			return refuse(p, (int)idx);
	}
	alias_pointer(p, name, idx);
	push(p, entry_at(p, (size_t)idx));
	return 0;
}

PERFKIT_EXPORT int perfkit_region_begin(const char *name)
{
	struct profile *p = self;
	struct entry *e;

	if (unlikely(!p || !name || p->dropped_open ||
		     p->depth >= PERFKIT_REGION_MAX_DEPTH))
		return begin_slow(name);
	e = lookup_fast(p, name);
	if (unlikely(!e))
		return begin_slow(name);
	push(p, e);
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

PERFKIT_EXPORT int perfkit_region_end(const char *name)
{
	struct profile *p = self;
	uint64_t t = now(); /* early: time as little of our own work as we can */
	struct frame *f;
	struct entry *e;
	uint64_t elapsed;

	if (unlikely(!p || !name || p->dropped_open || p->depth == 0))
		return end_slow(name);
	f = &p->frames[p->depth - 1];
	e = f->e;
	if (unlikely(strcmp(e->name, name) != 0))
		return end_slow(name);
	elapsed = t > f->start ? t - f->start : 0;
	add_relaxed(&e->calls, 1);
	add_relaxed(&e->excl, elapsed > f->child ? elapsed - f->child : 0);
	if (--e->open == 0)
		add_relaxed(&e->incl, elapsed);
	if (--p->depth)
		p->frames[p->depth - 1].child += elapsed;
	return 0;
}

PERFKIT_EXPORT int perfkit_region_depth(void)
{
	const struct profile *p = self;

	return p ? (int)(p->depth + p->dropped_open) : 0;
}

/* ---- merged tables -------------------------------------------------- */

static void aggtab_free(struct aggtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	free(t->by_name.slots);
	memset(t, 0, sizeof(*t));
}

static int aggtab_add(struct aggtab *t, const char *name, size_t len,
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

PERFKIT_EXPORT void perfkit_region_reset(void)
{
	pthread_mutex_lock(&lock);
	for (struct profile *p = live; p; p = p->next) {
		size_t n = atomic_load_explicit(&p->nentries, memory_order_acquire);

		for (size_t i = 0; i < n; i++) {
			struct entry *e = entry_at(p, i);

			e->base_calls = atomic_load_explicit(&e->calls, memory_order_relaxed);
			e->base_incl = atomic_load_explicit(&e->incl, memory_order_relaxed);
			e->base_excl = atomic_load_explicit(&e->excl, memory_order_relaxed);
		}
		p->base_dropped = atomic_load_explicit(&p->dropped, memory_order_relaxed);
	}
	aggtab_free(&retired);
	retired_threads = 0;
	retired_dropped = 0;
	pthread_mutex_unlock(&lock);
}

/* ---- snapshots ------------------------------------------------------ */

struct perfkit_region_snapshot {
	struct aggtab tab;			/* owns the names */
	struct perfkit_region_entry *entries;
	size_t n;
	uint64_t total_ns;
	uint64_t dropped;
	size_t threads;
	enum perfkit_region_scope scope;
	enum perfkit_clock clock;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct perfkit_region_entry *x = a, *y = b;

	if (x->exclusive_ns != y->exclusive_ns)
		return x->exclusive_ns < y->exclusive_ns ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Merge the wanted profiles into `s->tab`, under `lock`. */
static int gather(struct perfkit_region_snapshot *s)
{
	int rc = 0;

	pthread_mutex_lock(&lock);
	if (s->scope == PERFKIT_REGION_CALLING_THREAD) {
		if (self) {
			rc = fold_profile(&s->tab, self);
			s->threads = rc > 0;
			s->dropped = profile_dropped(self);
		}
	} else {
		for (struct profile *p = live; p && rc >= 0; p = p->next) {
			rc = fold_profile(&s->tab, p);
			s->threads += rc > 0;
			s->dropped += profile_dropped(p);
		}
		for (size_t i = 0; i < retired.n && rc >= 0; i++) {
			const struct agg *a = &retired.v[i];

			rc = aggtab_add(&s->tab, a->name, a->len, a->hash, a->calls,
					a->incl, a->excl, a->threads);
		}
		s->threads += retired_threads;
		s->dropped += retired_dropped;
	}
	pthread_mutex_unlock(&lock);
	return rc < 0 ? rc : 0;
}

static uint64_t to_ns(uint64_t units, double ns_per_unit)
{
	double v = (double)units * ns_per_unit;

	return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)(v + 0.5);
}

PERFKIT_EXPORT int perfkit_region_snapshot_new(enum perfkit_region_scope scope,
					       struct perfkit_region_snapshot **out)
{
	struct perfkit_region_snapshot *s;
	double scale;

	if (!out)
		return pk_error(-EINVAL, "perfkit_region_snapshot_new: out is NULL");
	*out = NULL;
	if (scope != PERFKIT_REGION_ALL_THREADS && scope != PERFKIT_REGION_CALLING_THREAD)
		return pk_error(-EINVAL, "perfkit_region_snapshot_new: unknown scope %d",
				(int)scope);
	s = calloc(1, sizeof(*s));
	if (!s)
		return pk_error(-ENOMEM, "perfkit_region_snapshot_new: out of memory");
	s->scope = scope;
	s->clock = perfkit_region_clock();
	scale = unit_ns(); /* before the lock: the first call calibrates */
	if (gather(s) < 0)
		goto nomem;
	s->entries = calloc(s->tab.n ? s->tab.n : 1, sizeof(*s->entries));
	if (!s->entries)
		goto nomem;
	for (size_t i = 0; i < s->tab.n; i++) {
		const struct agg *a = &s->tab.v[i];
		struct perfkit_region_entry *e = &s->entries[i];

		e->name = a->name;
		e->calls = a->calls;
		e->inclusive_ns = to_ns(a->incl, scale);
		e->exclusive_ns = to_ns(a->excl, scale);
		e->threads = a->threads;
		s->total_ns += e->exclusive_ns;
	}
	s->n = s->tab.n;
	qsort(s->entries, s->n, sizeof(*s->entries), cmp_entry);
	*out = s;
	return 0;
nomem:
	perfkit_region_snapshot_destroy(s);
	return pk_error(-ENOMEM, "perfkit_region_snapshot_new: out of memory");
}

PERFKIT_EXPORT void perfkit_region_snapshot_destroy(struct perfkit_region_snapshot *snap)
{
	if (!snap)
		return;
	aggtab_free(&snap->tab);
	free(snap->entries);
	free(snap);
}

PERFKIT_EXPORT int perfkit_region_snapshot_count(const struct perfkit_region_snapshot *snap,
						 size_t *count)
{
	if (!snap || !count)
		return pk_error(-EINVAL, "perfkit_region_snapshot_count: %s is NULL",
				!snap ? "snap" : "count");
	*count = snap->n;
	return 0;
}

PERFKIT_EXPORT int perfkit_region_snapshot_entry(const struct perfkit_region_snapshot *snap,
						 size_t index,
						 const struct perfkit_region_entry **entry)
{
	if (!snap || !entry)
		return pk_error(-EINVAL, "perfkit_region_snapshot_entry: %s is NULL",
				!snap ? "snap" : "entry");
	if (index >= snap->n)
		return pk_error(-EINVAL, "perfkit_region_snapshot_entry: index %zu "
				"out of range (%zu entries)", index, snap->n);
	*entry = &snap->entries[index];
	return 0;
}

PERFKIT_EXPORT int perfkit_region_snapshot_total(const struct perfkit_region_snapshot *snap,
						 uint64_t *total_ns)
{
	if (!snap || !total_ns)
		return pk_error(-EINVAL, "perfkit_region_snapshot_total: %s is NULL",
				!snap ? "snap" : "total_ns");
	*total_ns = snap->total_ns;
	return 0;
}

PERFKIT_EXPORT int perfkit_region_snapshot_threads(const struct perfkit_region_snapshot *snap,
						   size_t *threads)
{
	if (!snap || !threads)
		return pk_error(-EINVAL, "perfkit_region_snapshot_threads: %s is NULL",
				!snap ? "snap" : "threads");
	*threads = snap->threads;
	return 0;
}

PERFKIT_EXPORT int perfkit_region_snapshot_dropped(const struct perfkit_region_snapshot *snap,
						   uint64_t *dropped)
{
	if (!snap || !dropped)
		return pk_error(-EINVAL, "perfkit_region_snapshot_dropped: %s is NULL",
				!snap ? "snap" : "dropped");
	*dropped = snap->dropped;
	return 0;
}

static double per_call_us(uint64_t ns, uint64_t calls)
{
	return calls ? (double)ns / (double)calls / 1e3 : 0.0;
}

PERFKIT_EXPORT int perfkit_region_snapshot_print(const struct perfkit_region_snapshot *snap,
						 FILE *f)
{
	uint64_t calls = 0;
	int bad = 0;

	if (!snap || !f)
		return pk_error(-EINVAL, "perfkit_region_snapshot_print: %s is NULL",
				!snap ? "snap" : "f");
	for (size_t i = 0; i < snap->n; i++)
		calls += snap->entries[i].calls;
	bad |= fprintf(f, "# perfkit regions (%s): %zu names, %zu thread%s, "
		       "%llu calls, total %.6f ms, clock %s, dropped %llu\n",
		       snap->scope == PERFKIT_REGION_ALL_THREADS ?
		       "all threads" : "calling thread",
		       snap->n, snap->threads, snap->threads == 1 ? "" : "s",
		       (unsigned long long)calls, (double)snap->total_ns / 1e6,
		       perfkit_clock_name(snap->clock),
		       (unsigned long long)snap->dropped) < 0;
	bad |= fprintf(f, "# %8s %12s %7s %12s %13s %13s  %s\n", "calls",
		       "excl_ms", "excl_%", "incl_ms", "excl/call_us",
		       "incl/call_us", "name") < 0;
	for (size_t i = 0; i < snap->n && !bad; i++) {
		const struct perfkit_region_entry *e = &snap->entries[i];
		double pct = snap->total_ns ?
			100.0 * (double)e->exclusive_ns / (double)snap->total_ns : 0.0;

		bad |= fprintf(f, "%10llu %12.6f %7.2f %12.6f %13.3f %13.3f  %s\n",
			       (unsigned long long)e->calls,
			       (double)e->exclusive_ns / 1e6, pct,
			       (double)e->inclusive_ns / 1e6,
			       per_call_us(e->exclusive_ns, e->calls),
			       per_call_us(e->inclusive_ns, e->calls), e->name) < 0;
	}
	if (bad || fflush(f) != 0 || ferror(f))
		return pk_error(-EIO, "perfkit_region_snapshot_print: write failed");
	return 0;
}

PERFKIT_EXPORT int perfkit_region_report(FILE *f)
{
	struct perfkit_region_snapshot *s;
	int rc;

	if (!f)
		return pk_error(-EINVAL, "perfkit_region_report: f is NULL");
	rc = perfkit_region_snapshot_new(PERFKIT_REGION_ALL_THREADS, &s);
	if (rc < 0)
		return rc;
	rc = perfkit_region_snapshot_print(s, f);
	perfkit_region_snapshot_destroy(s);
	return rc;
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
	pthread_once(&setup_once, setup);
	scratch = profile_alloc();
	if (!scratch)
		return pk_error(-ENOMEM, "perfkit_region_overhead: out of memory");
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
