/* SPDX-License-Identifier: MIT */
/* Scaling points from a result set: records grouped by worker count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scaling-private.h"
#include "perfkit/record.h"

#define FUNC "perfkit_scaling_points_from_results"

/* The numeric group value of record i; -ENOENT or -EBADMSG with a message. */
static int group_value(const struct perfkit_results *res, size_t i,
		       const char *key, double *v)
{
	char buf[128], *end;
	int rc = perfkit_results_value(res, i, key, buf, sizeof(buf));

	if (rc == -ENOENT)
		return pk_error(-ENOENT, FUNC ": record %zu has no '%s'", i, key);
	if (rc == -ERANGE)
		return pk_error(-EBADMSG, FUNC ": record %zu: '%s' is too long for a worker count",
				i, key);
	if (rc < 0)
		return rc;
	*v = strtod(buf, &end);
	if (end == buf || *end != '\0' || buf[0] == ' ' || !isfinite(*v) ||
	    !(*v > 0))
		return pk_error(-EBADMSG, FUNC ": record %zu: %s = '%s' is not a worker count (a finite number > 0)",
				i, key, buf);
	return 0;
}

static int bad_number(size_t i, const char *what, double v)
{
	return pk_error(-EBADMSG, FUNC ": record %zu: %s = %g must be finite and >= 0",
			i, what, v);
}

/* A timestamp is either absent (NaN) or finite; a pair must be ordered. */
static int check_pair(size_t i, const char *a, double ta, const char *b,
		      double tb)
{
	if (isinf(ta) || isinf(tb))
		return pk_error(-EBADMSG, FUNC ": record %zu: %s = %g, %s = %g: timestamps must be finite (or NaN when not taken)",
				i, a, ta, b, tb);
	if (tb < ta)
		return pk_error(-EBADMSG, FUNC ": record %zu: %s = %.17g is before %s = %.17g",
				i, b, tb, a, ta);
	return 0;
}

/* Everything a used record contributes must be a number we can sum. */
static int check_record(const struct perfkit_record *r, size_t i)
{
	const struct { const char *name; double v; } nums[] = {
		{ "elapsed", r->elapsed }, { "flops", r->flops },
		{ "bytes", r->bytes }, { "items", r->items },
	};
	int rc;

	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		if (!isfinite(nums[k].v) || nums[k].v < 0)
			return bad_number(i, nums[k].name, nums[k].v);
	if (isinf(r->t_setup))
		return pk_error(-EBADMSG, FUNC ": record %zu: t_setup = %g must be finite (or NaN)",
				i, r->t_setup);
	if ((rc = check_pair(i, "t_submit", r->t_submit, "t_collected",
			     r->t_collected)) < 0 ||
	    (rc = check_pair(i, "t_start", r->t_start, "t_end", r->t_end)) < 0)
		return rc;
	return 0;
}

/* Sort v[0..n) and drop repeats; returns the number of distinct values. */
static size_t distinct(double *v, size_t n)
{
	size_t k = 0;

	qsort(v, n, sizeof(*v), pk_cmp_double);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}

/* The best timestamps every used record has: one rule for all groups. */
static enum perfkit_scaling_span choose_span(const struct perfkit_results *res)
{
	int sc = 1, se = 1;

	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(res, i, &r) < 0 || r->status != 0)
			continue;
		sc = sc && !isnan(r->t_submit) && !isnan(r->t_collected);
		se = se && !isnan(r->t_start) && !isnan(r->t_end);
	}
	return sc ? PERFKIT_SCALING_SPAN_SUBMIT_COLLECTED :
	       se ? PERFKIT_SCALING_SPAN_START_END : PERFKIT_SCALING_SPAN_ELAPSED;
}

/* Per group: earliest start and latest end of the chosen span. */
struct span_acc {
	double lo, hi;
};

static void add_record(struct perfkit_scaling_point *p, struct span_acc *a,
		       const struct perfkit_record *r)
{
	double lo = p->span == PERFKIT_SCALING_SPAN_SUBMIT_COLLECTED ?
		    r->t_submit : r->t_start;
	double hi = p->span == PERFKIT_SCALING_SPAN_SUBMIT_COLLECTED ?
		    r->t_collected : r->t_end;

	if (r->status != 0) {
		p->failed++;
		return;
	}
	p->records++;
	p->elapsed_max = fmax(p->elapsed_max, r->elapsed);
	p->flops += r->flops;
	p->bytes += r->bytes;
	p->items += r->items;
	a->lo = fmin(a->lo, lo);
	a->hi = fmax(a->hi, hi);
}

/* The measure of a finished group, or -EDOM saying why there is none. */
static int measure_value(struct perfkit_scaling_point *p,
			 enum perfkit_scaling_measure m, const char *key)
{
	static const char *const names[] = {
		"makespan", "elapsed", "flops", "items", "bytes",
	};
	double work[] = { 1, 1, p->flops, p->items, p->bytes };

	if (p->records == 0)
		return pk_error(-EDOM, FUNC ": %s = %g: all %zu record(s) failed (non-zero status)",
				key, p->workers, p->failed);
	if (!isfinite(p->flops) || !isfinite(p->bytes) || !isfinite(p->items) ||
	    !isfinite(p->makespan))
		return pk_error(-ERANGE, FUNC ": %s = %g: the sums or the makespan overflow double",
				key, p->workers);
	if (m == PERFKIT_SCALING_MAKESPAN)
		p->value = p->makespan;
	else if (m == PERFKIT_SCALING_ELAPSED_MAX)
		p->value = p->elapsed_max;
	else
		p->value = work[m] / p->makespan;
	if (m >= PERFKIT_SCALING_THROUGHPUT_FLOPS && !(work[m] > 0))
		return pk_error(-EDOM, FUNC ": %s = %g: no record counted %s (sum 0): no %s throughput",
				key, p->workers, names[m], names[m]);
	if (isinf(p->value) && p->makespan > 0)
		return pk_error(-ERANGE, FUNC ": %s = %g: %s / makespan = %g / %g overflows double",
				key, p->workers, names[m], work[m], p->makespan);
	if (!isfinite(p->value) || !(p->value > 0))
		return pk_error(-EDOM, FUNC ": %s = %g: %s is %g (need a finite time > 0; makespan %g s, slowest elapsed %g s)",
				key, p->workers,
				m == PERFKIT_SCALING_ELAPSED_MAX ? "elapsed" : "makespan",
				m == PERFKIT_SCALING_ELAPSED_MAX ? p->elapsed_max : p->makespan,
				p->makespan, p->elapsed_max);
	return 0;
}

/* Sum the records into points[0..k) (worker counts in w[0..k), sorted). */
static int fill(const struct perfkit_results *res, const double *g,
		const double *w, size_t k, const char *key,
		enum perfkit_scaling_measure m,
		struct perfkit_scaling_point *points, struct span_acc *acc)
{
	enum perfkit_scaling_span span = choose_span(res);
	int rc;

	for (size_t j = 0; j < k; j++) {
		points[j] = (struct perfkit_scaling_point){ .workers = w[j],
							    .span = span };
		acc[j] = (struct span_acc){ INFINITY, -INFINITY };
	}
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r;
		const double *at = bsearch(&g[i], w, k, sizeof(*w), pk_cmp_double);
		size_t j = (size_t)(at - w);

		if ((rc = perfkit_results_get(res, i, &r)) < 0)
			return rc;
		add_record(&points[j], &acc[j], r);
	}
	for (size_t j = 0; j < k; j++) {
		struct perfkit_scaling_point *p = &points[j];

		p->makespan = span == PERFKIT_SCALING_SPAN_ELAPSED ?
			      p->elapsed_max : acc[j].hi - acc[j].lo;
		if ((rc = measure_value(p, m, key)) < 0)
			return rc;
	}
	return 0;
}

/* Group values of every record (g) and the distinct ones (w, *k). */
static int collect(const struct perfkit_results *res, const char *key,
		   double *g, double *w, size_t *k)
{
	size_t n = perfkit_results_count(res), have = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *r;

		if ((rc = perfkit_results_get(res, i, &r)) < 0)
			return rc;
		rc = group_value(res, i, key, &g[i]);
		if (rc == -ENOENT && have == 0) {
			/* Look further: is the key anywhere at all? */
			char buf[128];

			for (size_t j = i + 1; j < n; j++)
				if (perfkit_results_value(res, j, key, buf,
							  sizeof(buf)) != -ENOENT)
					return pk_error(-ENOENT, FUNC ": record %zu has no '%s' (record %zu has)",
							i, key, j);
			return pk_error(-ENOENT, FUNC ": no record has '%s' (neither a field nor a parameter)",
					key);
		}
		if (rc < 0)
			return rc;
		have++;
		if (r->status == 0 && (rc = check_record(r, i)) < 0)
			return rc;
		w[i] = g[i];
	}
	*k = distinct(w, n);
	return 0;
}

PERFKIT_EXPORT int
perfkit_scaling_points_from_results(const struct perfkit_results *res,
				    const char *group_key,
				    enum perfkit_scaling_measure measure,
				    struct perfkit_scaling_point *points,
				    size_t cap, size_t *n)
{
	size_t nrec, k = 0;
	double *g, *w;
	struct span_acc *acc = NULL;
	int rc;

	if (!res || !group_key || !n)
		return pk_error(-EINVAL, FUNC ": NULL argument");
	if (!*group_key)
		return pk_error(-EINVAL, FUNC ": empty group key");
	if ((unsigned)measure > PERFKIT_SCALING_THROUGHPUT_BYTES)
		return pk_error(-EINVAL, FUNC ": unknown measure %d", (int)measure);
	nrec = perfkit_results_count(res);
	if (nrec == 0)
		return pk_error(-EDOM, FUNC ": the result set has no records");
	g = malloc(nrec * sizeof(*g));
	w = malloc(nrec * sizeof(*w));
	if (!g || !w) {
		rc = pk_error(-ENOMEM, FUNC ": out of memory for %zu records", nrec);
		goto out;
	}
	if ((rc = collect(res, group_key, g, w, &k)) < 0)
		goto out;
	*n = k;
	if (!points)
		goto out;
	if (cap < k) {
		rc = pk_error(-ENOSPC, FUNC ": %zu worker counts, room for %zu",
			      k, cap);
		goto out;
	}
	acc = malloc(k * sizeof(*acc));
	if (!acc)
		rc = pk_error(-ENOMEM, FUNC ": out of memory for %zu groups", k);
	else
		rc = fill(res, g, w, k, group_key, measure, points, acc);
out:
	free(g);
	free(w);
	free(acc);
	return rc;
}
