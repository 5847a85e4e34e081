/* SPDX-License-Identifier: MIT */
/* Strong- and weak-scaling tables from plain arrays of runs. */
#include <math.h>

#include "scaling-private.h"

/* Mean, sample standard deviation and minimum of the x[i] whose key[i]
 * equals k; the count goes to *count. */
static void group_stats(const double *key, const double *x, size_t n,
			double k, size_t *count, double *mean, double *sd,
			double *min)
{
	double sum = 0, ss = 0, lo = INFINITY, m;
	size_t c = 0;

	for (size_t i = 0; i < n; i++) {
		if (key[i] != k)
			continue;
		sum += x[i];
		lo = fmin(lo, x[i]);
		c++;
	}
	m = sum / (double)c;
	for (size_t i = 0; i < n; i++)
		if (key[i] == k)
			ss += (x[i] - m) * (x[i] - m);
	*count = c;
	*mean = m;
	*sd = c > 1 ? sqrt(ss / (double)(c - 1)) : 0.0;
	*min = lo;
}

/* Ratios of extreme but finite inputs can leave the double range; say so
 * rather than hand back inf or NaN. */
static int overflow(const char *func, double p)
{
	return pk_error(-ERANGE,
			"%s: ratios at %g workers overflow double: inputs too extreme",
			func, p);
}

PERFKIT_EXPORT int perfkit_scaling_strong(const double *workers,
					  const double *time, size_t n,
					  struct perfkit_scaling_strong_row *rows,
					  size_t *nrows)
{
	double p = -INFINITY, p0 = 0, t0 = 0;
	size_t k = 0;
	int rc;

	if (!workers || !time || !rows || !nrows)
		return pk_error(-EINVAL, "perfkit_scaling_strong: NULL argument");
	if (n == 0)
		return pk_error(-EINVAL, "perfkit_scaling_strong: no runs (n = 0)");
	if ((rc = pk_check_positive(__func__, "workers", workers, n)) < 0 ||
	    (rc = pk_check_positive(__func__, "time", time, n)) < 0)
		return rc;
	while (isfinite(p = pk_next_above(workers, n, p))) {
		struct perfkit_scaling_strong_row *r = &rows[k];

		r->workers = p;
		group_stats(workers, time, n, p, &r->repeats, &r->time,
			    &r->time_sd, &r->time_min);
		if (k == 0) {
			p0 = p;
			t0 = r->time;
		}
		r->speedup = t0 / r->time;
		r->efficiency = r->speedup * p0 / p;
		r->karp_flatt = NAN;
		if (!isfinite(r->speedup) || !isfinite(r->efficiency) ||
		    !(r->speedup > 0))
			return overflow(__func__, p);
		if (k > 0)
			perfkit_karp_flatt(r->speedup, p / p0, &r->karp_flatt);
		k++;
	}
	*nrows = k;
	return 0;
}

PERFKIT_EXPORT int perfkit_scaling_weak(const double *ranks,
					const double *samples,
					const double *time, size_t n,
					struct perfkit_scaling_weak_row *rows,
					size_t *nrows)
{
	double p = -INFINITY, per_rank0 = 0;
	size_t k = 0;
	int rc;

	if (!ranks || !samples || !time || !rows || !nrows)
		return pk_error(-EINVAL, "perfkit_scaling_weak: NULL argument");
	if (n == 0)
		return pk_error(-EINVAL, "perfkit_scaling_weak: no runs (n = 0)");
	if ((rc = pk_check_positive(__func__, "ranks", ranks, n)) < 0 ||
	    (rc = pk_check_positive(__func__, "samples", samples, n)) < 0 ||
	    (rc = pk_check_positive(__func__, "time", time, n)) < 0)
		return rc;
	/* Repeats must describe the same job, or their mean time means little. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (ranks[i] == ranks[j] && samples[i] != samples[j])
				return pk_error(-EINVAL,
						"perfkit_scaling_weak: runs %zu and %zu both have %g ranks but %g and %g samples",
						j, i, ranks[i], samples[j],
						samples[i]);
	while (isfinite(p = pk_next_above(ranks, n, p))) {
		struct perfkit_scaling_weak_row *r = &rows[k];
		double sd, min;

		r->ranks = p;
		group_stats(ranks, time, n, p, &r->repeats, &r->time, &sd, &min);
		for (size_t i = 0; i < n; i++)
			if (ranks[i] == p)
				r->samples = samples[i];
		r->throughput = r->samples / r->time;
		if (k == 0)
			per_rank0 = r->throughput / p;
		r->ideal = p * per_rank0;
		r->efficiency = r->throughput / r->ideal;
		if (!isfinite(r->throughput) || !isfinite(r->ideal) ||
		    !isfinite(r->efficiency) || !(r->throughput > 0) ||
		    !(r->ideal > 0))
			return overflow(__func__, p);
		k++;
	}
	*nrows = k;
	return 0;
}

PERFKIT_EXPORT int perfkit_scaling_epoch_mean(const double *epoch,
					      const double *time, size_t n,
					      double warmup, double *mean,
					      size_t *used)
{
	double sum = 0;
	size_t c = 0;

	if (!epoch || !time || !mean)
		return pk_error(-EINVAL,
				"perfkit_scaling_epoch_mean: NULL argument");
	if (!(isfinite(warmup) && warmup >= 0))
		return pk_error(-EINVAL,
				"perfkit_scaling_epoch_mean: warmup %g must be finite and >= 0",
				warmup);
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(epoch[i]))
			return pk_error(-EINVAL,
					"perfkit_scaling_epoch_mean: epoch[%zu] = %g is not finite",
					i, epoch[i]);
		if (!(isfinite(time[i]) && time[i] > 0))
			return pk_error(-EINVAL,
					"perfkit_scaling_epoch_mean: time[%zu] = %g must be finite and > 0",
					i, time[i]);
		if (epoch[i] < warmup)
			continue;
		sum += time[i];
		c++;
	}
	if (c == 0)
		return pk_error(-EDOM,
				"perfkit_scaling_epoch_mean: no epoch left after dropping %g warm-up epoch(s) of %zu",
				warmup, n);
	if (!isfinite(sum))
		return pk_error(-ERANGE,
				"perfkit_scaling_epoch_mean: the sum of times overflows");
	*mean = sum / (double)c;
	if (used)
		*used = c;
	return 0;
}

PERFKIT_EXPORT int perfkit_scaling_samples(double n_train, double n_valid,
					   int shard, double ranks,
					   double *samples)
{
	double total;

	if (!samples)
		return pk_error(-EINVAL, "perfkit_scaling_samples: samples is NULL");
	if (!(isfinite(n_train) && n_train >= 0) ||
	    !(isfinite(n_valid) && n_valid >= 0))
		return pk_error(-EINVAL,
				"perfkit_scaling_samples: n_train %g and n_valid %g must be finite and >= 0",
				n_train, n_valid);
	if (!(isfinite(ranks) && ranks > 0))
		return pk_error(-EINVAL,
				"perfkit_scaling_samples: ranks %g must be finite and > 0",
				ranks);
	total = n_train + n_valid;
	if (total == 0)
		return pk_error(-EINVAL,
				"perfkit_scaling_samples: no samples (n_train + n_valid = 0)");
	if (!isfinite(shard ? total : total * ranks))
		return pk_error(-ERANGE,
				"perfkit_scaling_samples: the sample count overflows");
	*samples = shard ? total : total * ranks;
	return 0;
}
