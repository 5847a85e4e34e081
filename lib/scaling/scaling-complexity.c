/* SPDX-License-Identifier: MIT */
/*
 * Complexity fits: how a time grows with the problem size. Every law is
 * fitted on the log scale (timing noise is multiplicative: a run is some
 * percent slower, not some nanoseconds), and the law with the smallest
 * corrected AIC is chosen, so the free power law (two parameters) wins
 * only when it fits clearly better than a fixed exponent (one).
 */
#include <math.h>
#include <string.h>

#include "common.h"
#include "perfkit/scaling.h"

static double law_g(enum perfkit_complexity law, double n)
{
	switch (law) {
	case PERFKIT_COMPLEXITY_1: return 1.0;
	case PERFKIT_COMPLEXITY_LOG_N: return log2(n);
	case PERFKIT_COMPLEXITY_N: return n;
	case PERFKIT_COMPLEXITY_N_LOG_N: return n * log2(n);
	case PERFKIT_COMPLEXITY_N2: return n * n;
	case PERFKIT_COMPLEXITY_N3: return n * n * n;
	default: return NAN;
	}
}

static const double law_k[] = { 0, 0, 1, 1, 2, 3 };

PERFKIT_EXPORT const char *perfkit_complexity_name(enum perfkit_complexity law)
{
	static const char *const names[] = {
		"O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)",
		"O(n^k)",
	};

	return (unsigned)law < PERFKIT_COMPLEXITY_COUNT ? names[law] : "O(?)";
}

static double aicc(size_t m, double rss, int p)
{
	double md = (double)m;

	if (md - p - 1 <= 0)
		return INFINITY;
	/* an exact fit (RSS 0) still ranks: a floor far below any noise */
	return md * log(fmax(rss / md, 1e-300)) + 2.0 * p +
	       2.0 * p * (p + 1) / (md - p - 1);
}

static double rms_of(const double *n, const double *t, size_t m, double c,
		     double k, enum perfkit_complexity law)
{
	double ss = 0.0;

	for (size_t i = 0; i < m; i++) {
		double g = law == PERFKIT_COMPLEXITY_POWER ? pow(n[i], k) :
							     law_g(law, n[i]);
		double e = t[i] - c * g;

		ss += e * e;
	}
	return sqrt(ss / (double)m);
}

/* t = c g(n): ln c = mean(ln t − ln g). */
static void fit_fixed(const double *n, const double *t, size_t m,
		      enum perfkit_complexity law,
		      struct perfkit_complexity_model *mod)
{
	double a = 0.0, rss = 0.0;

	mod->law = law;
	mod->exponent = law_k[law];
	for (size_t i = 0; i < m; i++)
		if (!(law_g(law, n[i]) > 0.0)) {
			/* log2(1) = 0: no multiple of it is a positive time */
			mod->coefficient = mod->rms = mod->rss_log = NAN;
			mod->aicc = INFINITY;
			return;
		}
	for (size_t i = 0; i < m; i++)
		a += log(t[i]) - log(law_g(law, n[i]));
	a /= (double)m;
	for (size_t i = 0; i < m; i++) {
		double e = log(t[i]) - log(law_g(law, n[i])) - a;

		rss += e * e;
	}
	mod->coefficient = exp(a);
	mod->rss_log = rss;
	mod->aicc = aicc(m, rss, 1);
	mod->rms = rms_of(n, t, m, mod->coefficient, 0, law);
}

/* t = c n^k: least squares of ln t on ln n. */
static void fit_power(const double *n, const double *t, size_t m,
		      struct perfkit_complexity_model *mod)
{
	double mx = 0.0, my = 0.0, sxx = 0.0, sxy = 0.0, k, a, rss = 0.0;

	for (size_t i = 0; i < m; i++) {
		mx += log(n[i]);
		my += log(t[i]);
	}
	mx /= (double)m;
	my /= (double)m;
	for (size_t i = 0; i < m; i++) {
		sxx += (log(n[i]) - mx) * (log(n[i]) - mx);
		sxy += (log(n[i]) - mx) * (log(t[i]) - my);
	}
	k = sxy / sxx;
	a = my - k * mx;
	for (size_t i = 0; i < m; i++) {
		double e = log(t[i]) - a - k * log(n[i]);

		rss += e * e;
	}
	mod->law = PERFKIT_COMPLEXITY_POWER;
	mod->coefficient = exp(a);
	mod->exponent = k;
	mod->rss_log = rss;
	mod->aicc = aicc(m, rss, 2);
	mod->rms = rms_of(n, t, m, mod->coefficient, k, PERFKIT_COMPLEXITY_POWER);
}

static int check_points(const double *n, const double *t, size_t m)
{
	int distinct = 0;

	if (!n || !t)
		return pk_error(-EINVAL, "complexity_fit: %s is NULL",
				!n ? "size" : "time");
	if (m < 3)
		return pk_error(-EINVAL, "complexity_fit: %zu point(s); at least "
				"3 are needed", m);
	for (size_t i = 0; i < m; i++) {
		if (!(isfinite(n[i]) && n[i] > 0))
			return pk_error(-EINVAL, "complexity_fit: size[%zu] = %g "
					"is not finite and > 0", i, n[i]);
		if (!(isfinite(t[i]) && t[i] > 0))
			return pk_error(-EINVAL, "complexity_fit: time[%zu] = %g "
					"is not finite and > 0", i, t[i]);
		distinct |= n[i] != n[0];
	}
	if (!distinct)
		return pk_error(-EINVAL, "complexity_fit: every point has size "
				"%g; at least 2 sizes are needed", n[0]);
	return 0;
}

PERFKIT_EXPORT int perfkit_complexity_fit(const double *size, const double *time,
					  size_t count,
					  struct perfkit_complexity_fit *out)
{
	struct perfkit_complexity_fit f;
	int rc = check_points(size, time, count);

	if (rc < 0)
		return rc;
	if (!out)
		return pk_error(-EINVAL, "complexity_fit: out is NULL");
	memset(&f, 0, sizeof(f));
	f.n = count;
	for (int law = 0; law < PERFKIT_COMPLEXITY_POWER; law++)
		fit_fixed(size, time, count, (enum perfkit_complexity)law,
			  &f.models[law]);
	fit_power(size, time, count, &f.models[PERFKIT_COMPLEXITY_POWER]);
	f.best = f.models[0];
	for (int law = 1; law < PERFKIT_COMPLEXITY_COUNT; law++)
		if (f.models[law].aicc < f.best.aicc)
			f.best = f.models[law];
	*out = f;
	return 0;
}
