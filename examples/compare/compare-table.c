/* SPDX-License-Identifier: MIT */
/* perfkit-compare: the comparison as a text or Markdown table. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"

double compare_slowdown(const struct perfkit_compare_row *r,
			enum perfkit_compare_metric metric)
{
	int rate = metric != PERFKIT_COMPARE_TIME &&
		   metric != PERFKIT_COMPARE_ELAPSED;

	return rate ? 1.0 / r->ratio : r->ratio;
}

/* A value of the metric with a readable unit (times scaled to ns..s). */
static void fmt_value(char *buf, size_t len, double v,
		      enum perfkit_compare_metric metric)
{
	static const struct {
		double scale;
		const char *unit;
	} t[] = { { 1, "s" }, { 1e-3, "ms" }, { 1e-6, "us" }, { 1e-9, "ns" } };
	const char *unit = "";
	size_t i = 0;

	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	if (metric == PERFKIT_COMPARE_TIME || metric == PERFKIT_COMPARE_ELAPSED) {
		while (i + 1 < sizeof(t) / sizeof(t[0]) && v < t[i].scale)
			i++;
		snprintf(buf, len, "%.4g %s", v / t[i].scale, t[i].unit);
		return;
	}
	perfkit_compare_metric_name(metric, &unit);
	snprintf(buf, len, "%.4g %s", v, unit);
}

static void fmt_p(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 1e-4)
		snprintf(buf, len, "%.1e", p);
	else
		snprintf(buf, len, "%.4f", p);
}

static void bench_label(char *buf, size_t len, const struct perfkit_compare_row *r)
{
	int n = snprintf(buf, len, "%s", r->name);

	if (r->problem_size && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " n=%lld",
			      (long long)r->problem_size);
	if (r->params[0] && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " [%s]", r->params);
}

struct cells {
	char bench[256], n[48], old[32], new_[32], ratio[24], ci[48], p[16],
		ph[16];
	const char *verdict;
};

static void row_cells(const struct perfkit_compare_row *r,
		      enum perfkit_compare_metric metric, struct cells *c)
{
	bench_label(c->bench, sizeof(c->bench), r);
	snprintf(c->n, sizeof(c->n), "%llu/%llu", (unsigned long long)r->n_old,
		 (unsigned long long)r->n_new);
	fmt_value(c->old, sizeof(c->old), r->median_old, metric);
	fmt_value(c->new_, sizeof(c->new_), r->median_new, metric);
	if (isnan(r->ratio)) {
		snprintf(c->ratio, sizeof(c->ratio), "-");
		snprintf(c->ci, sizeof(c->ci), "-");
	} else {
		snprintf(c->ratio, sizeof(c->ratio), "%.3f", r->ratio);
		snprintf(c->ci, sizeof(c->ci), "[%.3f, %.3f]%s", r->ratio_ci_low,
			 r->ratio_ci_high, r->ci_coverage < 0.95 ? "*" : "");
	}
	fmt_p(c->p, sizeof(c->p), r->p_value);
	fmt_p(c->ph, sizeof(c->ph), r->p_holm);
	c->verdict = perfkit_compare_verdict_name(r->verdict);
}

static void summary(FILE *out, const struct perfkit_comparison *cmp,
		    const struct compare_options *o)
{
	size_t n = perfkit_comparison_count(cmp), counts[4] = { 0 }, tested;
	size_t only_old = 0, only_new = 0, low = 0;
	const struct perfkit_compare_row *r;
	const char *unit = "";
	const char *metric = perfkit_compare_metric_name(o->cmp.metric, &unit);

	for (size_t i = 0; i < n; i++) {
		perfkit_comparison_get(cmp, i, &r);
		counts[r->verdict]++;
		low += !isnan(r->ci_coverage) && r->ci_coverage < 0.95;
	}
	tested = n - counts[PERFKIT_VERDICT_TOO_FEW];
	perfkit_comparison_unmatched(cmp, &only_old, &only_new);
	fprintf(out, "\n%zu benchmark(s) compared on %s (%s); new/old is the "
		"Hodges-Lehmann ratio with its 95%% interval, p the two-sided "
		"Mann-Whitney U test, Holm-corrected over %zu at alpha %g:\n"
		"%zu slower, %zu faster, %zu no difference found",
		n, metric, unit, tested, o->cmp.alpha,
		counts[PERFKIT_VERDICT_SLOWER], counts[PERFKIT_VERDICT_FASTER],
		counts[PERFKIT_VERDICT_NO_DIFFERENCE]);
	if (counts[PERFKIT_VERDICT_TOO_FEW])
		fprintf(out, ", %zu with too few samples (need 2 per side)",
			counts[PERFKIT_VERDICT_TOO_FEW]);
	fprintf(out, ".\n");
	if (low)
		fprintf(out, "* too few samples for a 95%% interval: the full "
			"range of the ratios is shown.\n");
	if (only_old || only_new)
		fprintf(out, "Not compared: %zu benchmark(s) only in the old "
			"set, %zu only in the new one.\n", only_old, only_new);
}

void compare_print(FILE *out, const struct perfkit_comparison *cmp,
		   const struct compare_options *o)
{
	size_t n = perfkit_comparison_count(cmp), w = strlen("benchmark");
	const struct perfkit_compare_row *r;
	struct cells c;

	for (size_t i = 0; i < n; i++) {
		perfkit_comparison_get(cmp, i, &r);
		row_cells(r, o->cmp.metric, &c);
		if (strlen(c.bench) > w)
			w = strlen(c.bench);
	}
	if (o->markdown)
		fprintf(out, "| benchmark | n old/new | old median | new median "
			"| new/old | 95 %% CI | p | p (Holm) | verdict |\n"
			"|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
	else
		fprintf(out, "%-*s  %9s  %11s  %11s  %7s  %17s  %8s  %8s  %s\n",
			(int)w, "benchmark", "n old/new", "old median",
			"new median", "new/old", "95% CI", "p", "p(Holm)",
			"verdict");
	for (size_t i = 0; i < n; i++) {
		perfkit_comparison_get(cmp, i, &r);
		row_cells(r, o->cmp.metric, &c);
		if (o->markdown)
			fprintf(out, "| %s | %s | %s | %s | %s | %s | %s | %s | "
				"%s |\n", c.bench, c.n, c.old, c.new_, c.ratio,
				c.ci, c.p, c.ph, c.verdict);
		else
			fprintf(out, "%-*s  %9s  %11s  %11s  %7s  %17s  %8s  "
				"%8s  %s\n", (int)w, c.bench, c.n, c.old, c.new_,
				c.ratio, c.ci, c.p, c.ph, c.verdict);
	}
	summary(out, cmp, o);
}
