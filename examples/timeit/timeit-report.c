/* SPDX-License-Identifier: MIT */
/* perfkit-timeit: the printed rows and ratios. */
#include <stdio.h>

#include "timeit.h"

/* Format ns in the unit that keeps 3-4 significant digits. */
static const char *unit_for(double ns, double *scale)
{
	if (ns >= 1e9) {
		*scale = 1e-9;
		return "s";
	}
	if (ns >= 1e6) {
		*scale = 1e-6;
		return "ms";
	}
	if (ns >= 1e3) {
		*scale = 1e-3;
		return "us";
	}
	*scale = 1.0;
	return "ns";
}

void timeit_print_header(void)
{
	printf("  %-24s %10s  %-24s %7s %5s %15s  %-9s %8s\n", "", "median",
	       "95% CI of median", "MAD", "outl", "samples x calls",
	       "stopped", "clock");
}

/* bytes: what one call reads (a) or writes (b), for a throughput figure */
void timeit_print_row(const struct timeit_side *s, const char *stop,
		      size_t elements, double bytes)
{
	const struct perfkit_stats *st = &s->st;
	char ci[48], counts[32];
	double scale;
	const char *unit = unit_for(st->median, &scale);
	/* share of one sample spent in its one clock read */
	double clock_share = s->overhead_ns / (st->median * (double)s->iterations);

	snprintf(ci, sizeof(ci), "[%.4g, %.4g] %s", st->ci_low * scale,
		 st->ci_high * scale, unit);
	snprintf(counts, sizeof(counts), "%llu x %llu",
		 (unsigned long long)st->n, (unsigned long long)s->iterations);
	printf("  %-24s %7.4g %-2s  %-24s %6.2f%% %5llu %15s  %-9s %7.4f%%\n",
	       s->name, st->median * scale, unit, ci,
	       100.0 * st->mad / st->median, (unsigned long long)st->outliers,
	       counts, stop, 100.0 * clock_share);
	printf("  %-24s %.3g ns per element, %.3g GB/s; min %.4g %s, "
	       "mean %.4g %s, CV %.1f%%\n", "", st->median / (double)elements,
	       bytes / st->median, st->min * scale, unit, st->mean * scale,
	       unit, 100.0 * st->cv);
}

/* Ratio of the medians, slow / fast, and a conservative interval for it. */
void timeit_print_ratio(const struct timeit_side *slow,
			const struct timeit_side *fast, const char *what)
{
	double r = slow->st.median / fast->st.median;
	double lo = slow->st.ci_low / fast->st.ci_high;
	double hi = slow->st.ci_high / fast->st.ci_low;

	printf("  => %s %.2fx faster (from the CIs: %.2fx to %.2fx)%s\n", what,
	       r, lo, hi, lo <= 1.0 && hi >= 1.0 ?
	       "; the intervals overlap, so no difference is shown" : "");
}
