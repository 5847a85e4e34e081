/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: snapshots merged by name and by caller-callee
 * edge, and the reports (the flat table, and cProfile's sortable table
 * with callers and callees).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "region-private.h"

/* ---- snapshots ------------------------------------------------------ */

struct perfkit_region_snapshot {
	struct aggtab tab;			/* owns the names */
	struct aggtab edge_tab;			/* owns "caller\ncallee" keys */
	struct perfkit_region_entry *entries;
	struct perfkit_region_edge *edges;
	size_t n, nedges;
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

static int merge(struct aggtab *into, const struct aggtab *from)
{
	int rc = 0;

	for (size_t i = 0; i < from->n && rc >= 0; i++) {
		const struct agg *a = &from->v[i];

		rc = pk_aggtab_add(into, a->name, a->len, a->hash, a->calls,
				   a->incl, a->excl, a->threads);
	}
	return rc;
}

/* Merge the wanted profiles into `s->tab`, under `lock`. */
static int gather(struct perfkit_region_snapshot *s)
{
	struct profile *self = pk_region_self();
	int rc = 0;

	pthread_mutex_lock(&pk_region_lock);
	if (s->scope == PERFKIT_REGION_CALLING_THREAD) {
		if (self) {
			rc = pk_region_fold(&s->tab, &s->edge_tab, self);
			s->threads = rc > 0;
			s->dropped = pk_region_profile_dropped(self);
		}
	} else {
		for (struct profile *p = pk_region_live; p && rc >= 0; p = p->next) {
			rc = pk_region_fold(&s->tab, &s->edge_tab, p);
			s->threads += rc > 0;
			s->dropped += pk_region_profile_dropped(p);
		}
		if (rc >= 0)
			rc = merge(&s->tab, &pk_region_retired);
		if (rc >= 0)
			rc = merge(&s->edge_tab, &pk_region_retired_edges);
		s->threads += pk_region_retired_threads;
		s->dropped += pk_region_retired_dropped;
	}
	pthread_mutex_unlock(&pk_region_lock);
	return rc < 0 ? rc : 0;
}

static uint64_t to_ns(uint64_t units, double ns_per_unit)
{
	double v = (double)units * ns_per_unit;

	return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)(v + 0.5);
}

static int cmp_edge(const void *a, const void *b)
{
	const struct perfkit_region_edge *x = a, *y = b;
	int c = strcmp(x->callee, y->callee);

	if (c)
		return c;
	if (!x->caller || !y->caller) /* the top level first */
		return (x->caller != NULL) - (y->caller != NULL);
	return strcmp(x->caller, y->caller);
}

/* Split each "caller\ncallee" key in place into its two names. */
static int make_edges(struct perfkit_region_snapshot *s, double scale)
{
	s->edges = calloc(s->edge_tab.n ? s->edge_tab.n : 1, sizeof(*s->edges));
	if (!s->edges)
		return -ENOMEM;
	for (size_t i = 0; i < s->edge_tab.n; i++) {
		struct agg *a = &s->edge_tab.v[i];
		struct perfkit_region_edge *g = &s->edges[i];
		char *nl = strchr(a->name, '\n');

		*nl = '\0';
		g->caller = nl == a->name ? NULL : a->name;
		g->callee = nl + 1;
		g->calls = a->calls;
		g->inclusive_ns = to_ns(a->incl, scale);
		g->exclusive_ns = to_ns(a->excl, scale);
		g->threads = a->threads;
	}
	s->nedges = s->edge_tab.n;
	qsort(s->edges, s->nedges, sizeof(*s->edges), cmp_edge);
	return 0;
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
	scale = pk_region_unit_ns(); /* before the lock: the first call calibrates */
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
	if (make_edges(s, scale) < 0)
		goto nomem;
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
	pk_aggtab_free(&snap->tab);
	pk_aggtab_free(&snap->edge_tab);
	free(snap->entries);
	free(snap->edges);
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

/* ---- edges ---------------------------------------------------------- */

PERFKIT_EXPORT int perfkit_region_snapshot_edge_count(const struct perfkit_region_snapshot *snap,
						      size_t *count)
{
	if (!snap || !count)
		return pk_error(-EINVAL, "perfkit_region_snapshot_edge_count: %s is NULL",
				!snap ? "snap" : "count");
	*count = snap->nedges;
	return 0;
}

PERFKIT_EXPORT int perfkit_region_snapshot_edge(const struct perfkit_region_snapshot *snap,
						size_t index,
						const struct perfkit_region_edge **edge)
{
	if (!snap || !edge)
		return pk_error(-EINVAL, "perfkit_region_snapshot_edge: %s is NULL",
				!snap ? "snap" : "edge");
	if (index >= snap->nedges)
		return pk_error(-EINVAL, "perfkit_region_snapshot_edge: index %zu "
				"out of range (%zu edges)", index, snap->nedges);
	*edge = &snap->edges[index];
	return 0;
}

/* ---- sorting -------------------------------------------------------- */

static const char *const sort_names[] = { "tottime", "cumtime", "calls", "name" };
#define NSORT (sizeof(sort_names) / sizeof(sort_names[0]))

PERFKIT_EXPORT const char *perfkit_region_sort_name(enum perfkit_region_sort sort)
{
	return (unsigned)sort < NSORT ? sort_names[sort] : NULL;
}

PERFKIT_EXPORT int perfkit_region_sort_parse(const char *word,
					     enum perfkit_region_sort *sort)
{
	if (!word || !sort)
		return pk_error(-EINVAL, "perfkit_region_sort_parse: %s is NULL",
				!word ? "word" : "sort");
	for (size_t i = 0; i < NSORT; i++)
		if (strcmp(word, sort_names[i]) == 0) {
			*sort = (enum perfkit_region_sort)i;
			return 0;
		}
	return pk_error(-EINVAL, "perfkit_region_sort_parse: \"%.32s\" is not "
			"tottime, cumtime, calls or name", word);
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a == b ? 0 : a < b ? 1 : -1;
}

/* qsort has no context argument: sort (key, entry) pairs instead. */
struct order_item {
	const struct perfkit_region_entry *e;
	enum perfkit_region_sort by;
	size_t index;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order_item *x = a, *y = b;
	int c = 0;

	switch (x->by) {
	case PERFKIT_REGION_SORT_TOTTIME:
		c = cmp_u64_desc(x->e->exclusive_ns, y->e->exclusive_ns);
		break;
	case PERFKIT_REGION_SORT_CUMTIME:
		c = cmp_u64_desc(x->e->inclusive_ns, y->e->inclusive_ns);
		break;
	case PERFKIT_REGION_SORT_CALLS:
		c = cmp_u64_desc(x->e->calls, y->e->calls);
		break;
	case PERFKIT_REGION_SORT_NAME:
		break;
	}
	return c ? c : strcmp(x->e->name, y->e->name);
}

PERFKIT_EXPORT int perfkit_region_snapshot_order(const struct perfkit_region_snapshot *snap,
						 enum perfkit_region_sort sort,
						 size_t *index, size_t n)
{
	struct order_item *v;

	if (!snap || !index)
		return pk_error(-EINVAL, "perfkit_region_snapshot_order: %s is NULL",
				!snap ? "snap" : "index");
	if ((unsigned)sort >= NSORT)
		return pk_error(-EINVAL, "perfkit_region_snapshot_order: unknown "
				"sort key %d", (int)sort);
	if (n != snap->n)
		return pk_error(-EINVAL, "perfkit_region_snapshot_order: n is %zu, "
				"the snapshot has %zu entries", n, snap->n);
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return pk_error(-ENOMEM, "perfkit_region_snapshot_order: out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = (struct order_item){ &snap->entries[i], sort, i };
	qsort(v, n, sizeof(*v), cmp_order);
	for (size_t i = 0; i < n; i++)
		index[i] = v[i].index;
	free(v);
	return 0;
}

/* ---- cProfile's report ---------------------------------------------- */

static double sec(uint64_t ns)
{
	return (double)ns / 1e9;
}

static int print_edge_line(FILE *f, const char *arrow, const struct perfkit_region_edge *g,
			   const char *other)
{
	return fprintf(f, "  %s %10llu %11.6f %11.6f  %s\n", arrow,
		       (unsigned long long)g->calls, sec(g->exclusive_ns),
		       sec(g->inclusive_ns), other ? other : "(top level)") < 0;
}

/* One entry's callers ("<-") and callees ("->"). */
static int print_links(const struct perfkit_region_snapshot *s,
		       const struct perfkit_region_entry *e, FILE *f)
{
	int bad = fprintf(f, "  %s\n", e->name) < 0;

	for (size_t i = 0; i < s->nedges && !bad; i++)
		if (strcmp(s->edges[i].callee, e->name) == 0)
			bad |= print_edge_line(f, "<-", &s->edges[i], s->edges[i].caller);
	for (size_t i = 0; i < s->nedges && !bad; i++)
		if (s->edges[i].caller && strcmp(s->edges[i].caller, e->name) == 0)
			bad |= print_edge_line(f, "->", &s->edges[i], s->edges[i].callee);
	return bad;
}

static int print_profile_head(const struct perfkit_region_snapshot *s,
			      enum perfkit_region_sort sort, FILE *f)
{
	uint64_t calls = 0;
	int bad;

	for (size_t i = 0; i < s->n; i++)
		calls += s->entries[i].calls;
	/* Both lines are written, whatever the first one gave. */
	bad = fprintf(f, "# perfkit profile (%s): %zu names, %zu thread%s, %llu "
		      "calls, total %.6f s, sorted by %s, clock %s, dropped %llu\n",
		      s->scope == PERFKIT_REGION_ALL_THREADS ? "all threads" :
		      "calling thread", s->n, s->threads, s->threads == 1 ? "" : "s",
		      (unsigned long long)calls, sec(s->total_ns), sort_names[sort],
		      perfkit_clock_name(s->clock), (unsigned long long)s->dropped) < 0;
	bad += fprintf(f, "# %9s %11s %11s %11s %11s  %s\n", "ncalls", "tottime_s",
		       "percall_us", "cumtime_s", "percall_us", "name") < 0;
	return bad != 0;
}

PERFKIT_EXPORT int perfkit_region_snapshot_print_profile(const struct perfkit_region_snapshot *snap,
							 enum perfkit_region_sort sort,
							 FILE *f)
{
	size_t *order;
	int bad, rc;

	if (!snap || !f)
		return pk_error(-EINVAL, "perfkit_region_snapshot_print_profile: %s "
				"is NULL", !snap ? "snap" : "f");
	order = malloc((snap->n ? snap->n : 1) * sizeof(*order));
	if (!order)
		return pk_error(-ENOMEM, "perfkit_region_snapshot_print_profile: out "
				"of memory");
	rc = perfkit_region_snapshot_order(snap, sort, order, snap->n);
	if (rc < 0) {
		free(order);
		return rc;
	}
	bad = print_profile_head(snap, sort, f);
	for (size_t i = 0; i < snap->n && !bad; i++) {
		const struct perfkit_region_entry *e = &snap->entries[order[i]];

		bad |= fprintf(f, "%11llu %11.6f %11.3f %11.6f %11.3f  %s\n",
			       (unsigned long long)e->calls, sec(e->exclusive_ns),
			       per_call_us(e->exclusive_ns, e->calls), sec(e->inclusive_ns),
			       per_call_us(e->inclusive_ns, e->calls), e->name) < 0;
	}
	if (!bad)
		bad |= fprintf(f, "#\n# callers (<-) and callees (->) of each name: "
			       "ncalls, tottime_s and cumtime_s of the callee under "
			       "that caller\n") < 0;
	for (size_t i = 0; i < snap->n && !bad; i++)
		bad |= print_links(snap, &snap->entries[order[i]], f);
	free(order);
	if (bad || fflush(f) != 0 || ferror(f))
		return pk_error(-EIO, "perfkit_region_snapshot_print_profile: write "
				"failed");
	return 0;
}
