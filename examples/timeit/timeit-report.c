/* SPDX-License-Identifier: MIT */
/* perfkit-timeit: each benchmark's statistics, the relative speeds, and
 * the complexity of a parameter scan. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "timeit.h"

/* A time in seconds in the unit that keeps 3-4 significant digits. */
static const char *unit_for(double s, double *scale)
{
	double a = fabs(s);

	if (a >= 1 || a == 0) {
		*scale = 1;
		return "s";
	}
	if (a >= 1e-3) {
		*scale = 1e3;
		return "ms";
	}
	if (a >= 1e-6) {
		*scale = 1e6;
		return "us";
	}
	*scale = 1e9;
	return "ns";
}

static double median(const double *x, size_t n)
{
	struct perfkit_stats st;

	if (n == 0 || isnan(x[0]) || perfkit_stats_compute(x, n, &st) != 0)
		return NAN;
	return st.median;
}

void timeit_summarise(struct timeit_bench *b)
{
	perfkit_stats_compute(b->wall, b->n, &b->st);
	b->user_median = median(b->user, b->n);
	b->sys_median = median(b->sys, b->n);
}

static void print_times(const struct timeit_bench *b, int functions)
{
	const struct perfkit_stats *st = &b->st;
	double k;
	const char *u = unit_for(st->median, &k);

	printf("  Time%s (median, 95%% CI): %8.4g %-2s  [%.4g, %.4g] %s",
	       functions ? " per call" : "", st->median * k, u, st->ci_low * k,
	       st->ci_high * k, u);
	if (st->median > 0)
		printf("  (+-%.2g %%)", 100 * (st->ci_high - st->ci_low) / 2 /
		       st->median);
	printf("%s\n", st->ci_coverage < PERFKIT_STATS_CI_LEVEL ?
	       "  (too few runs for 95 %: the range)" : "");
	printf("  Time (mean ± σ):     %8.4g %-2s ± %.4g %s\n", st->mean * k, u,
	       isnan(st->stddev) ? 0 : st->stddev * k, u);
	printf("  Range (min … max):   %8.4g %-2s … %.4g %s\n", st->min * k, u,
	       st->max * k, u);
	if (!isnan(b->user_median))
		printf("  User, System:        %8.4g %-2s , %.4g %s (medians)\n",
		       b->user_median * k, u, b->sys_median * k, u);
}

static void print_outliers(const struct timeit_bench *b)
{
	if (b->st.outliers == 0)
		return;
	printf("  Warning: %llu of %llu runs are outliers (|modified z| > 3.5; "
	       "counted, not removed).\n  Another program or a cold first "
	       "run may have disturbed them: try --warmup, or a quieter "
	       "machine.\n", (unsigned long long)b->st.outliers,
	       (unsigned long long)b->st.n);
}

void timeit_print_bench(const struct timeit_set *s, size_t i)
{
	const struct timeit_bench *b = &s->b[i];

	printf("Benchmark %zu: %s%s\n", i + 1, b->name,
	       b->failed ? " (non-zero exit status ignored)" : "");
	print_times(b, s->functions);
	if (s->functions)
		printf("  Samples:  %zu of %llu calls each, stopped by %s\n",
		       b->n, (unsigned long long)b->loops, b->stop);
	else
		printf("  Runs:     %zu, stopped by %s\n", b->n, b->stop);
	print_outliers(b);
	if (!s->functions && s->spawn_runs && b->st.median < s->spawn_wall)
		printf("  Warning: the command takes less time than starting the "
		       "shell (%.3g ms, subtracted):\n  the subtraction "
		       "dominates the result. Use -N to run it without a "
		       "shell.\n", s->spawn_wall * 1e3);
	printf("\n");
}

const struct timeit_bench *timeit_fastest(const struct timeit_set *s)
{
	const struct timeit_bench *best = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (s->b[i].n && (!best || s->b[i].st.median < best->st.median))
			best = &s->b[i];
	return best;
}

static int positive(const double *x, size_t n, double *logs)
{
	for (size_t i = 0; i < n; i++) {
		if (!(x[i] > 0))
			return 0;
		logs[i] = log(x[i]);
	}
	return 1;
}

int timeit_ratio(const struct timeit_bench *b, const struct timeit_bench *fast,
		 double *ratio, double *lo, double *hi)
{
	double *lx = malloc(fast->n * sizeof(*lx)), *ly = malloc(b->n * sizeof(*ly));
	struct perfkit_stats_two_sample t;
	int rc = -1;

	if (lx && ly && positive(fast->wall, fast->n, lx) &&
	    positive(b->wall, b->n, ly) &&
	    perfkit_stats_two_sample(lx, fast->n, ly, b->n, &t) == 0) {
		*ratio = exp(t.shift);
		*lo = exp(t.ci_low);
		*hi = exp(t.ci_high);
		rc = 0;
	}
	free(lx);
	free(ly);
	return rc;
}

void timeit_print_relative(const struct timeit_set *s)
{
	const struct timeit_bench *fast = timeit_fastest(s);
	size_t measured = 0;

	for (size_t i = 0; i < s->n; i++)
		measured += s->b[i].n > 0;
	if (!fast || measured < 2)
		return;
	printf("Summary (ratios of the times: Hodges-Lehmann on the logs, "
	       "95%% CI)\n  '%s' ran\n", fast->name);
	for (size_t i = 0; i < s->n; i++) {
		const struct timeit_bench *b = &s->b[i];
		double r, lo, hi;

		if (b == fast || !b->n)
			continue;
		if (timeit_ratio(b, fast, &r, &lo, &hi) != 0) {
			printf("    ? times faster than '%s' (a time is 0 after "
			       "the shell's spawn cost: try -N)\n", b->name);
			continue;
		}
		printf("    %6.3f times faster than '%s'  [%.3f, %.3f]%s\n", r,
		       b->name, lo, hi, lo <= 1 && hi >= 1 ?
		       "  (no difference shown)" : "");
	}
	printf("\n");
}

/* Median time against the parameter's value, per command or function. */
static void fit_group(const struct timeit_args *a, const struct timeit_set *s,
		      int group)
{
	double *n = malloc(s->n * sizeof(*n)), *t = malloc(s->n * sizeof(*t));
	struct perfkit_complexity_fit fit;
	size_t m = 0;
	const char *what = a->lib ? a->funcs[group] : a->commands[group];

	for (size_t i = 0; n && t && i < s->n; i++)
		if (s->b[i].group == group && s->b[i].n && s->b[i].st.median > 0) {
			n[m] = strtod(s->b[i].value, NULL);
			t[m++] = s->b[i].st.median;
		}
	if (!n || !t) {
		printf("Complexity of '%s': not fitted (out of memory)\n", what);
	} else if (perfkit_complexity_fit(n, t, m, &fit) != 0) {
		printf("Complexity of '%s': not fitted (%s)\n", what,
		       perfkit_last_error());
	} else {
		printf("Complexity of '%s' in %s: %s", what, a->param,
		       perfkit_complexity_name(fit.best.law));
		if (fit.best.law == PERFKIT_COMPLEXITY_POWER)
			printf(" with k = %.3f", fit.best.exponent);
		printf(", coefficient %.4g s, RMS error %.3g s over %zu values\n"
		       "  (chosen by AICc among O(1), O(log n), O(n), O(n log n), "
		       "O(n^2), O(n^3) and n^k; free power law: k = %.3f)\n",
		       fit.best.coefficient, fit.best.rms, fit.n,
		       fit.models[PERFKIT_COMPLEXITY_POWER].exponent);
	}
	free(n);
	free(t);
}

void timeit_print_complexity(const struct timeit_args *a,
			     const struct timeit_set *s)
{
	int groups = a->lib ? a->nfuncs : a->ncommands;

	if (!a->param || !a->numeric)
		return;
	for (int g = 0; g < groups; g++)
		fit_group(a, s, g);
	printf("\n");
}
