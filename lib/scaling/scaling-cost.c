/* SPDX-License-Identifier: MIT */
/* Optimal worker count and the cost of runs at a price per worker-hour. */
#include <math.h>

#include "scaling-private.h"

PERFKIT_EXPORT int perfkit_scaling_optimal(const double *workers,
					   const double *efficiency, size_t n,
					   double threshold, size_t *index)
{
	size_t best = n;
	int rc;

	if (!workers || !efficiency || !index)
		return pk_error(-EINVAL, "perfkit_scaling_optimal: NULL argument");
	if (n == 0)
		return pk_error(-EINVAL, "perfkit_scaling_optimal: no entries (n = 0)");
	if (!(isfinite(threshold) && threshold > 0))
		return pk_error(-EINVAL,
				"perfkit_scaling_optimal: threshold %g must be finite and > 0",
				threshold);
	if ((rc = pk_check_positive(__func__, "workers", workers, n)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!(isfinite(efficiency[i]) && efficiency[i] >= 0))
			return pk_error(-EINVAL,
					"perfkit_scaling_optimal: efficiency[%zu] = %g must be finite and >= 0",
					i, efficiency[i]);
		if (efficiency[i] >= threshold &&
		    (best == n || workers[i] > workers[best]))
			best = i;
	}
	if (best == n)
		return pk_error(-EDOM,
				"perfkit_scaling_optimal: no worker count reaches efficiency %g",
				threshold);
	*index = best;
	return 0;
}

static int cost_one(const double *workers, const double *time_s,
		    const double *work, size_t i, double price,
		    struct perfkit_scaling_cost *c)
{
	c->workers = workers[i];
	c->time = time_s[i];
	c->worker_hours = workers[i] * time_s[i] / 3600.0;
	c->cost = c->worker_hours * price;
	c->cost_per_work = work ? c->cost / work[i] : c->cost;
	if (!isfinite(c->worker_hours) || !isfinite(c->cost) ||
	    !isfinite(c->cost_per_work))
		return pk_error(-ERANGE,
				"perfkit_scaling_cost: run %zu: cost overflows double (%g workers, %g s)",
				i, workers[i], time_s[i]);
	return 0;
}

static int check_runs(const char *func, const double *workers,
		      const double *time_s, const double *work, size_t n)
{
	int rc;

	if (n == 0)
		return pk_error(-EINVAL, "%s: no runs (n = 0)", func);
	if ((rc = pk_check_positive(func, "workers", workers, n)) < 0 ||
	    (rc = pk_check_positive(func, "time_s", time_s, n)) < 0)
		return rc;
	if (work && (rc = pk_check_positive(func, "work", work, n)) < 0)
		return rc;
	return 0;
}

PERFKIT_EXPORT int perfkit_scaling_cost(const double *workers,
					const double *time_s,
					const double *work, size_t n,
					double price,
					struct perfkit_scaling_cost *costs)
{
	int rc;

	if (!workers || !time_s || !costs)
		return pk_error(-EINVAL, "perfkit_scaling_cost: NULL argument");
	if ((rc = check_runs(__func__, workers, time_s, work, n)) < 0)
		return rc;
	if (!(isfinite(price) && price >= 0))
		return pk_error(-EINVAL,
				"perfkit_scaling_cost: price %g must be finite and >= 0",
				price);
	for (size_t i = 0; i < n; i++)
		if ((rc = cost_one(workers, time_s, work, i, price, &costs[i])) < 0)
			return rc;
	return 0;
}

PERFKIT_EXPORT int perfkit_scaling_cheapest(const double *workers,
					    const double *time_s,
					    const double *work,
					    const double *efficiency, size_t n,
					    double price, double max_time_s,
					    double min_efficiency,
					    size_t *index)
{
	size_t best = n;
	double best_cost = INFINITY;
	int rc;

	if (!workers || !time_s || !index)
		return pk_error(-EINVAL, "perfkit_scaling_cheapest: NULL argument");
	if ((rc = check_runs(__func__, workers, time_s, work, n)) < 0)
		return rc;
	if (!(isfinite(price) && price > 0))
		return pk_error(-EINVAL,
				"perfkit_scaling_cheapest: price %g must be finite and > 0",
				price);
	if (!(max_time_s > 0))
		return pk_error(-EINVAL,
				"perfkit_scaling_cheapest: max_time_s %g must be > 0 (INFINITY for none)",
				max_time_s);
	if (!(isfinite(min_efficiency) && min_efficiency >= 0))
		return pk_error(-EINVAL,
				"perfkit_scaling_cheapest: min_efficiency %g must be finite and >= 0",
				min_efficiency);
	if (min_efficiency > 0 && !efficiency)
		return pk_error(-EINVAL,
				"perfkit_scaling_cheapest: efficiency is NULL but min_efficiency is %g",
				min_efficiency);
	for (size_t i = 0; i < n; i++) {
		struct perfkit_scaling_cost c;

		if (efficiency && !(isfinite(efficiency[i]) && efficiency[i] >= 0))
			return pk_error(-EINVAL,
					"perfkit_scaling_cheapest: efficiency[%zu] = %g must be finite and >= 0",
					i, efficiency[i]);
		if (time_s[i] > max_time_s ||
		    (efficiency && efficiency[i] < min_efficiency))
			continue;
		if ((rc = cost_one(workers, time_s, work, i, price, &c)) < 0)
			return rc;
		if (c.cost_per_work < best_cost ||
		    (c.cost_per_work == best_cost && workers[i] < workers[best])) {
			best = i;
			best_cost = c.cost_per_work;
		}
	}
	if (best == n)
		return pk_error(-EDOM,
				"perfkit_scaling_cheapest: no run takes at most %g s with efficiency >= %g",
				max_time_s, min_efficiency);
	*index = best;
	return 0;
}
