/* SPDX-License-Identifier: MIT */
/*
 * A/B comparison of two result sets: records grouped into benchmarks by
 * name, problem size and parameters; each benchmark tested on the logs of
 * its values with the timer module's rank statistics (Mann-Whitney U,
 * Hodges-Lehmann), Holm's correction across benchmarks, a verdict.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "perfkit/compare.h"
#include "perfkit/record.h"
#include "perfkit/stats.h"
#include "results-format.h"

struct pk_row {
	struct perfkit_compare_row pub;
	struct perfkit_record proto; /* name, size and parameters */
	size_t first;                /* index of the first old record */
};

struct perfkit_comparison {
	struct pk_row *rows;
	size_t n, only_old, only_new;
	enum perfkit_compare_metric metric;
	double alpha;
	char *skip; /* the group key, left out of the benchmarks */
};

/* One record of a side: its benchmark key and its value. */
struct entry {
	char *key;
	size_t index;
	double value;
	int usable;
	const struct perfkit_record *rec;
};

static const struct {
	const char *name, *unit;
	int higher_better;
} metrics[] = {
	[PERFKIT_COMPARE_TIME] = { "time", "s", 0 },
	[PERFKIT_COMPARE_ELAPSED] = { "elapsed", "s", 0 },
	[PERFKIT_COMPARE_GFLOPS] = { "gflops", "GFLOPS", 1 },
	[PERFKIT_COMPARE_GBPS] = { "gbps", "GB/s", 1 },
	[PERFKIT_COMPARE_ITEMS_PER_S] = { "items_per_s", "items/s", 1 },
};
#define N_METRICS (sizeof(metrics) / sizeof(metrics[0]))

PERFKIT_EXPORT const char *
perfkit_compare_metric_name(enum perfkit_compare_metric metric,
			    const char **unit)
{
	if ((unsigned)metric >= N_METRICS)
		return NULL;
	if (unit)
		*unit = metrics[metric].unit;
	return metrics[metric].name;
}

PERFKIT_EXPORT const char *
perfkit_compare_verdict_name(enum perfkit_compare_verdict verdict)
{
	switch (verdict) {
	case PERFKIT_VERDICT_NO_DIFFERENCE: return "no difference found";
	case PERFKIT_VERDICT_FASTER: return "faster";
	case PERFKIT_VERDICT_SLOWER: return "slower";
	case PERFKIT_VERDICT_TOO_FEW: return "too few samples";
	}
	return "unknown";
}

PERFKIT_EXPORT int
perfkit_compare_options_init(struct perfkit_compare_options *opts)
{
	const struct perfkit_compare_options def = PERFKIT_COMPARE_OPTIONS_INIT;

	if (!opts)
		return pk_error(-EINVAL, "compare_options_init: opts is NULL");
	*opts = def;
	return 0;
}

/* The caller's options, read up to their size, checked. */
static int read_options(const struct perfkit_compare_options *in,
			struct perfkit_compare_options *o)
{
	perfkit_compare_options_init(o);
	if (in) {
		size_t n = in->size < sizeof(*o) ? in->size : sizeof(*o);

		if (n < sizeof(in->size))
			return pk_error(-EINVAL, "results_compare: options "
					"size %zu is too small", in->size);
		memcpy(o, in, n);
		o->size = sizeof(*o);
	}
	if ((unsigned)o->metric >= N_METRICS)
		return pk_error(-EINVAL, "results_compare: unknown metric %d",
				(int)o->metric);
	if (!(o->alpha > 0.0 && o->alpha <= 0.5))
		return pk_error(-EINVAL, "results_compare: alpha %g is not in "
				"(0, 0.5]", o->alpha);
	if (o->group_key && (!o->group_old || !o->group_new))
		return pk_error(-EINVAL, "results_compare: group key \"%s\" "
				"needs both an old and a new value",
				o->group_key);
	return 0;
}

static int metric_value(const struct perfkit_record *rec,
			enum perfkit_compare_metric m, double *v)
{
	static const enum perfkit_record_metric derived[] = {
		[PERFKIT_COMPARE_GFLOPS] = PERFKIT_METRIC_GFLOPS,
		[PERFKIT_COMPARE_GBPS] = PERFKIT_METRIC_GBPS,
		[PERFKIT_COMPARE_ITEMS_PER_S] = PERFKIT_METRIC_ITEMS_PER_S,
	};

	switch (m) {
	case PERFKIT_COMPARE_TIME:
		*v = rec->elapsed /
		     (double)(rec->repetitions ? rec->repetitions : 1);
		return 0;
	case PERFKIT_COMPARE_ELAPSED:
		*v = rec->elapsed;
		return 0;
	default:
		return perfkit_record_derive(rec, derived[m], v);
	}
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "name \x1f size \x1f k=v \x1e k=v ...", the parameters sorted and the
 * group key left out, so that equal benchmarks have equal keys. */
static char *bench_key(const struct perfkit_record *rec, const char *skip)
{
	const char *kv[PERFKIT_RECORD_PARAMS_MAX];
	char head[PERFKIT_RECORD_NAME_MAX + 32], *key;
	size_t n = 0, len;

	for (uint32_t i = 0; i < rec->nparams; i++)
		if (!skip || strcmp(rec->params[i].key, skip) != 0)
			kv[n++] = rec->params[i].key;
	qsort(kv, n, sizeof(kv[0]), cmp_text);
	snprintf(head, sizeof(head), "%s\x1f%lld", rec->name,
		 (long long)rec->problem_size);
	len = strlen(head) + 1;
	for (size_t i = 0; i < n; i++)
		len += 2 + PERFKIT_RECORD_PARAM_KEY_MAX +
		       PERFKIT_RECORD_PARAM_VALUE_MAX;
	key = malloc(len);
	if (!key)
		return NULL;
	strcpy(key, head);
	for (size_t i = 0; i < n; i++) {
		const char *v = "";

		perfkit_record_get_param(rec, kv[i], &v);
		strcat(key, "\x1f");
		strcat(key, kv[i]);
		strcat(key, "\x1e");
		strcat(key, v);
	}
	return key;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static void free_entries(struct entry *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++)
		free(e[i].key);
	free(e);
}

/* The records of @set in the group (all without a group key), keyed and
 * sorted by benchmark. */
static int collect(const struct perfkit_results *set,
		   const struct perfkit_compare_options *o, const char *group,
		   struct entry **out, size_t *count)
{
	size_t total = perfkit_results_count(set), n = 0;
	struct entry *e = calloc(total ? total : 1, sizeof(*e));
	char buf[256];

	if (!e)
		return pk_error(-ENOMEM, "results_compare: out of memory");
	for (size_t i = 0; i < total; i++) {
		const struct perfkit_record *rec;
		struct entry *x = &e[n];

		perfkit_results_get(set, i, &rec);
		if (o->group_key &&
		    (perfkit_results_value(set, i, o->group_key, buf,
					   sizeof(buf)) != 0 ||
		     strcmp(buf, group) != 0))
			continue;
		x->key = bench_key(rec, o->group_key);
		if (!x->key) {
			free_entries(e, n);
			return pk_error(-ENOMEM, "results_compare: out of memory");
		}
		x->index = i;
		x->rec = rec;
		x->usable = rec->status == 0 &&
			    metric_value(rec, o->metric, &x->value) == 0 &&
			    isfinite(x->value) && x->value > 0.0;
		n++;
	}
	qsort(e, n, sizeof(*e), cmp_entry);
	*out = e;
	*count = n;
	return 0;
}

/* End of the run of entries sharing e[i]'s key. */
static size_t run_end(const struct entry *e, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && strcmp(e[j].key, e[i].key) == 0)
		j++;
	return j;
}

/* First entry with @key, or n. */
static size_t find_key(const struct entry *e, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(e[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(e[lo].key, key) == 0 ? lo : n;
}

/* The usable values of e[a..b) into v, sorted, their median in *median,
 * then replaced by their logs; their count. */
static size_t usable_logs(const struct entry *e, size_t a, size_t b,
			  double *v, uint64_t *skipped, double *median)
{
	size_t n = 0;

	for (size_t i = a; i < b; i++) {
		if (e[i].usable)
			v[n++] = e[i].value;
		else
			(*skipped)++;
	}
	*median = pk_median_sort(v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = log(v[i]);
	return n;
}

static char *params_text(const struct perfkit_record *rec, const char *skip)
{
	char *s = malloc(rec->nparams * (PERFKIT_RECORD_PARAM_KEY_MAX +
					 PERFKIT_RECORD_PARAM_VALUE_MAX + 3) + 1);

	if (!s)
		return NULL;
	s[0] = '\0';
	for (uint32_t i = 0; i < rec->nparams; i++) {
		if (skip && strcmp(rec->params[i].key, skip) == 0)
			continue;
		if (s[0])
			strcat(s, ", ");
		strcat(s, rec->params[i].key);
		strcat(s, "=");
		strcat(s, rec->params[i].value);
	}
	return s;
}

/* Fill a row from the old entries o[a..b) and new n[c..d). */
static int fill_row(struct pk_row *row, const struct entry *oe, size_t a,
		    size_t b, const struct entry *ne, size_t c, size_t d,
		    const char *skip)
{
	struct perfkit_compare_row *r = &row->pub;
	size_t cap = (b - a) > (d - c) ? b - a : d - c;
	double *x = malloc(cap * sizeof(*x)), *y = malloc(cap * sizeof(*y));
	struct perfkit_stats_two_sample t;
	int rc = 0;

	r->size = sizeof(*r);
	row->proto = *oe[a].rec;
	row->first = oe[a].index;
	r->name = row->proto.name;
	r->problem_size = row->proto.problem_size;
	r->params = params_text(&row->proto, skip);
	if (!x || !y || !r->params) {
		rc = pk_error(-ENOMEM, "results_compare: out of memory");
		goto out;
	}
	r->n_old = usable_logs(oe, a, b, x, &r->skipped, &r->median_old);
	r->n_new = usable_logs(ne, c, d, y, &r->skipped, &r->median_new);
	r->ratio = r->ratio_ci_low = r->ratio_ci_high = NAN;
	r->ci_coverage = r->p_value = r->p_holm = NAN;
	r->verdict = PERFKIT_VERDICT_TOO_FEW;
	if (r->n_old < 2 || r->n_new < 2)
		goto out;
	rc = perfkit_stats_two_sample(x, r->n_old, y, r->n_new, &t);
	if (rc < 0)
		goto out;
	r->ratio = exp(t.shift);
	r->ratio_ci_low = exp(t.ci_low);
	r->ratio_ci_high = exp(t.ci_high);
	r->ci_coverage = t.ci_coverage;
	r->p_value = t.p_value;
	r->exact = t.exact;
	r->verdict = PERFKIT_VERDICT_NO_DIFFERENCE;
out:
	free(x);
	free(y);
	return rc;
}

static int cmp_first(const void *a, const void *b)
{
	const struct pk_row *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

/* Holm over the tested rows, then the verdicts. */
static int judge(struct perfkit_comparison *cmp)
{
	double *p = malloc((cmp->n ? cmp->n : 1) * sizeof(*p));
	size_t m = 0;
	int rc = 0;

	if (!p)
		return pk_error(-ENOMEM, "results_compare: out of memory");
	for (size_t i = 0; i < cmp->n; i++)
		if (cmp->rows[i].pub.verdict != PERFKIT_VERDICT_TOO_FEW)
			p[m++] = cmp->rows[i].pub.p_value;
	if (m)
		rc = perfkit_stats_holm(p, m, p);
	for (size_t i = 0, j = 0; rc == 0 && i < cmp->n; i++) {
		struct perfkit_compare_row *r = &cmp->rows[i].pub;
		int worse;

		if (r->verdict == PERFKIT_VERDICT_TOO_FEW)
			continue;
		r->p_holm = p[j++];
		if (!(r->p_holm < cmp->alpha) || r->ratio == 1.0)
			continue;
		worse = metrics[cmp->metric].higher_better ? r->ratio < 1.0 :
							     r->ratio > 1.0;
		r->verdict = worse ? PERFKIT_VERDICT_SLOWER :
				     PERFKIT_VERDICT_FASTER;
	}
	free(p);
	return rc;
}

static size_t count_runs(const struct entry *e, size_t n)
{
	size_t runs = 0;

	for (size_t i = 0; i < n; i = run_end(e, n, i))
		runs++;
	return runs;
}

static int build_rows(struct perfkit_comparison *cmp, const struct entry *oe,
		      size_t on, const struct entry *ne, size_t nn,
		      const char *skip)
{
	size_t cap = count_runs(oe, on), matched = 0;

	cmp->rows = calloc(cap ? cap : 1, sizeof(*cmp->rows));
	if (!cmp->rows)
		return pk_error(-ENOMEM, "results_compare: out of memory");
	for (size_t a = 0, b; a < on; a = b) {
		size_t c = find_key(ne, nn, oe[a].key);
		int rc;

		b = run_end(oe, on, a);
		if (c == nn) {
			cmp->only_old++;
			continue;
		}
		rc = fill_row(&cmp->rows[cmp->n++], oe, a, b, ne, c,
			      run_end(ne, nn, c), skip);
		if (rc < 0)
			return rc;
		matched++;
	}
	cmp->only_new = count_runs(ne, nn) - matched;
	qsort(cmp->rows, cmp->n, sizeof(*cmp->rows), cmp_first);
	/* The names point into the rows, which have moved. */
	for (size_t i = 0; i < cmp->n; i++)
		cmp->rows[i].pub.name = cmp->rows[i].proto.name;
	return 0;
}

PERFKIT_EXPORT int perfkit_results_compare(const struct perfkit_results *old_set,
					   const struct perfkit_results *new_set,
					   const struct perfkit_compare_options *opts,
					   struct perfkit_comparison **out)
{
	struct perfkit_compare_options o;
	struct entry *oe = NULL, *ne = NULL;
	size_t on = 0, nn = 0;
	struct perfkit_comparison *cmp;
	int rc;

	if (!old_set || !new_set || !out)
		return pk_error(-EINVAL, "results_compare: %s is NULL",
				!old_set ? "old_set" :
				!new_set ? "new_set" : "out");
	rc = read_options(opts, &o);
	if (rc < 0)
		return rc;
	cmp = calloc(1, sizeof(*cmp));
	if (!cmp)
		return pk_error(-ENOMEM, "results_compare: out of memory");
	cmp->metric = o.metric;
	cmp->alpha = o.alpha;
	if (o.group_key) {
		cmp->skip = strdup(o.group_key);
		if (!cmp->skip) {
			free(cmp);
			return pk_error(-ENOMEM, "results_compare: out of memory");
		}
	}
	rc = collect(old_set, &o, o.group_old, &oe, &on);
	if (rc == 0)
		rc = collect(new_set, &o, o.group_new, &ne, &nn);
	if (rc == 0)
		rc = build_rows(cmp, oe, on, ne, nn, o.group_key);
	if (rc == 0 && cmp->n == 0)
		rc = pk_error(-ENOENT, "no benchmark is in both sets (the old "
			      "one has %zu, the new one %zu; a benchmark is "
			      "the records sharing name, problem size and "
			      "parameters)", count_runs(oe, on),
			      count_runs(ne, nn));
	if (rc == 0)
		rc = judge(cmp);
	free_entries(oe, on);
	free_entries(ne, nn);
	if (rc < 0) {
		perfkit_comparison_destroy(cmp);
		return rc;
	}
	*out = cmp;
	return 0;
}

PERFKIT_EXPORT void perfkit_comparison_destroy(struct perfkit_comparison *cmp)
{
	if (!cmp)
		return;
	for (size_t i = 0; cmp->rows && i < cmp->n; i++)
		free((char *)cmp->rows[i].pub.params);
	free(cmp->rows);
	free(cmp->skip);
	free(cmp);
}

PERFKIT_EXPORT size_t
perfkit_comparison_count(const struct perfkit_comparison *cmp)
{
	return cmp ? cmp->n : 0;
}

PERFKIT_EXPORT int perfkit_comparison_get(const struct perfkit_comparison *cmp,
					  size_t i,
					  const struct perfkit_compare_row **row)
{
	if (!cmp || !row)
		return pk_error(-EINVAL, "comparison_get: %s is NULL",
				!cmp ? "cmp" : "row");
	if (i >= cmp->n)
		return pk_error(-EINVAL, "comparison_get: row %zu of %zu", i,
				cmp->n);
	*row = &cmp->rows[i].pub;
	return 0;
}

PERFKIT_EXPORT int
perfkit_comparison_unmatched(const struct perfkit_comparison *cmp,
			     size_t *only_old, size_t *only_new)
{
	if (!cmp)
		return pk_error(-EINVAL, "comparison_unmatched: cmp is NULL");
	if (only_old)
		*only_old = cmp->only_old;
	if (only_new)
		*only_new = cmp->only_new;
	return 0;
}

static int put_double(struct perfkit_results *res, size_t i, const char *key,
		      double v)
{
	char buf[PK_DOUBLE_TEXT_MAX];

	pk_double_to_text(v, buf, sizeof(buf));
	return perfkit_results_extra_set(res, i, key, buf);
}

static int put_row(struct perfkit_results *res, size_t i,
		   const struct perfkit_compare_row *r)
{
	char buf[32];
	int rc;

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->n_old);
	rc = perfkit_results_extra_set(res, i, "n_old", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->n_new);
	if (rc == 0)
		rc = perfkit_results_extra_set(res, i, "n_new", buf);
	if (rc == 0)
		rc = put_double(res, i, "median_old", r->median_old);
	if (rc == 0)
		rc = put_double(res, i, "median_new", r->median_new);
	if (rc == 0)
		rc = put_double(res, i, "ratio", r->ratio);
	if (rc == 0)
		rc = put_double(res, i, "ratio_ci_low", r->ratio_ci_low);
	if (rc == 0)
		rc = put_double(res, i, "ratio_ci_high", r->ratio_ci_high);
	if (rc == 0)
		rc = put_double(res, i, "ci_coverage", r->ci_coverage);
	if (rc == 0)
		rc = put_double(res, i, "p_value", r->p_value);
	if (rc == 0)
		rc = put_double(res, i, "p_holm", r->p_holm);
	if (rc == 0)
		rc = perfkit_results_extra_set(res, i, "verdict",
			perfkit_compare_verdict_name(r->verdict));
	return rc;
}

/* The row's benchmark as a record: name, size and its parameters. */
static void row_record(const struct pk_row *row, struct perfkit_record *rec,
		       const char *skip)
{
	perfkit_record_init(rec);
	perfkit_record_set_name(rec, row->proto.name);
	perfkit_record_set_host(rec, row->proto.host);
	rec->problem_size = row->proto.problem_size;
	for (uint32_t i = 0; i < row->proto.nparams; i++) {
		const struct perfkit_record_param *p = &row->proto.params[i];

		if (!skip || strcmp(p->key, skip) != 0)
			perfkit_record_set_param(rec, p->key, p->value);
	}
}

PERFKIT_EXPORT int perfkit_comparison_results(const struct perfkit_comparison *cmp,
					      struct perfkit_results **out)
{
	struct perfkit_results *res;
	struct perfkit_record rec;
	char buf[PK_DOUBLE_TEXT_MAX];
	int rc;

	if (!cmp || !out)
		return pk_error(-EINVAL, "comparison_results: %s is NULL",
				!cmp ? "cmp" : "out");
	rc = perfkit_results_new(&res);
	if (rc < 0)
		return rc;
	pk_double_to_text(cmp->alpha, buf, sizeof(buf));
	rc = perfkit_results_meta_set(res, "compare.metric",
				      metrics[cmp->metric].name);
	if (rc == 0)
		rc = perfkit_results_meta_set(res, "compare.alpha", buf);
	if (rc == 0)
		rc = perfkit_results_meta_set(res, "compare.method",
			"ratio: Hodges-Lehmann on logs with its distribution-free "
			"95% interval; p: Mann-Whitney U, two-sided; Holm");
	for (size_t i = 0; rc == 0 && i < cmp->n; i++) {
		row_record(&cmp->rows[i], &rec, cmp->skip);
		rc = perfkit_results_append(res, &rec);
		if (rc == 0)
			rc = put_row(res, i, &cmp->rows[i].pub);
	}
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc;
	}
	*out = res;
	return 0;
}
