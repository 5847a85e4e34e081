/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/scaling.h
 * @brief Scaling calculator: strong and weak scaling tables, Amdahl,
 *        Gustafson, Karp–Flatt, Universal Scalability Law fits, optimal
 *        worker count and cost.
 */
#ifndef PERFKIT_SCALING_H
#define PERFKIT_SCALING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup scaling Scaling calculator
 * @brief How well a program scales, from measured (workers, time) points.
 *
 * Input is always plain arrays, one element per measured run, so that any
 * source (result records, CSV files, a program's own timers) can feed it;
 * perfkit_scaling_points_from_results() makes such points from a result
 * set (@ref record), one per worker count.
 * The same worker count may appear several times (repeats); the arrays need
 * not be sorted. Definitions (see also the guide page @ref scaling_guide):
 *
 * - p0 is the smallest worker count measured, T(p) the mean time at p.
 * - speedup S(p) = T(p0) / T(p) (relative to the smallest run),
 * - efficiency E(p) = S(p) · p0 / p,
 * - Karp–Flatt serial fraction e(p) = (1/S − 1/q) / (1 − 1/q), q = p / p0.
 *
 * All functions are thread-safe: they touch only their arguments (and the
 * calling thread's perfkit_last_error() message on failure). None allocates
 * memory except where noted.
 *
 * @code
 * double p[] = { 1, 2, 4, 8 }, t[] = { 10.0, 5.5, 3.25, 2.125 };
 * struct perfkit_scaling_strong_row rows[4];
 * size_t nrows;
 * struct perfkit_amdahl_fit fit;
 *
 * perfkit_scaling_strong(p, t, 4, rows, &nrows);   // S = 1, 1.82, 3.08, 4.71
 * double q[4], s[4];
 * for (size_t i = 0; i < nrows; i++) {
 *         q[i] = rows[i].workers;
 *         s[i] = rows[i].speedup;
 * }
 * perfkit_amdahl_fit(q, s, nrows, &fit);           // fit.f == 0.1
 * @endcode
 * @{
 */

/* ---- laws ---------------------------------------------------------- */

/**
 * @brief Amdahl's speedup on @p p workers: 1 / (f + (1 − f) / p).
 * @param f serial fraction, 0 ≤ f ≤ 1
 * @param p number of workers, finite and > 0
 * @param[out] speedup the speedup
 * @return 0 on success
 * @retval -EINVAL @p speedup is NULL, @p f outside [0, 1], @p p not
 *         finite and positive, or either is NaN
 */
int perfkit_amdahl_speedup(double f, double p, double *speedup);

/**
 * @brief Amdahl's limit on speedup for infinitely many workers: 1 / f.
 * @param f serial fraction, 0 ≤ f ≤ 1
 * @param[out] limit 1 / f; @c INFINITY when @p f is 0 (no limit)
 * @return 0 on success
 * @retval -EINVAL @p limit is NULL or @p f outside [0, 1] or NaN
 */
int perfkit_amdahl_limit(double f, double *limit);

/**
 * @brief The Karp–Flatt metric: the serial fraction implied by one
 *        measured speedup, e = (1/S − 1/p) / (1 − 1/p).
 * @param speedup measured speedup S against one worker, finite and > 0
 * @param p number of workers (or the ratio p/p0 for a speedup measured
 *        against p0 workers), finite, > 0 and ≠ 1
 * @param[out] e the serial fraction. This is also Amdahl's f solved from
 *        one (S, p) pair. It is reported as computed: e < 0 means a
 *        superlinear speedup (S > p), e > 1 a slowdown (S < 1).
 * @return 0 on success
 * @retval -EINVAL @p e is NULL, or a value is NaN, infinite or ≤ 0
 * @retval -EDOM @p p is 1: one worker says nothing about the serial part
 * @retval -ERANGE the result overflows double (S extremely small)
 */
int perfkit_karp_flatt(double speedup, double p, double *e);

/**
 * @brief Amdahl's serial fraction from one (S, p) pair:
 *        f = (1/S − 1/p) / (1 − 1/p).
 * @param speedup measured speedup S against one worker, finite and > 0
 * @param p number of workers, finite, > 0 and ≠ 1
 * @param[out] f the serial fraction, reported as computed (outside [0, 1]
 *        for superlinear speedup or a slowdown)
 * @return 0 on success
 * @retval -EINVAL @p f is NULL, or a value is NaN, infinite or ≤ 0
 * @retval -EDOM @p p is 1
 * @retval -ERANGE the result overflows double
 *
 * The same number as perfkit_karp_flatt(), under Amdahl's name; for many
 * points use perfkit_amdahl_fit().
 */
int perfkit_amdahl_serial_fraction(double speedup, double p, double *f);

/** @brief A least-squares fit of Amdahl's serial fraction. */
struct perfkit_amdahl_fit {
	/** The serial fraction f, in [0, 1] (a fit outside is refused). */
	double f;
	/** Standard error of @ref f. */
	double f_se;
	/** Two-sided 95% interval for f: f ± t(0.975, n − 1) · se. */
	double f_ci[2];
	/** Speedup limit 1 / f; @c INFINITY when f ≤ 0. */
	double limit;
	/** Residual standard error, in units of 1/S. */
	double rse;
	/** Number of points used (those with p ≠ 1). */
	size_t n;
	/** Degrees of freedom, n − 1. */
	double dof;
};

/**
 * @brief Fit Amdahl's serial fraction to many (p, S) points.
 * @param p worker counts (or p/p0 ratios), finite and > 0
 * @param speedup speedups against one worker (or against p0), finite, > 0
 * @param n number of points
 * @param[out] fit the fitted fraction with its uncertainty
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL or a value is NaN, infinite or ≤ 0
 * @retval -EDOM fewer than two points with p ≠ 1, or the model does not
 *         fit these data: the fitted f is outside [0, 1] (a speedup that
 *         falls as workers are added gives f > 1, a superlinear one
 *         f < 0); the message says which, and @p fit is not written
 * @retval -ERANGE values so extreme that the sums overflow double
 *
 * Amdahl's law is linear in f once written for 1/S:
 * 1/S − 1/p = f (1 − 1/p). The fit is the least-squares line through the
 * origin of y = 1/S − 1/p against x = 1 − 1/p, so f = Σxy / Σx², with
 * se = s / √Σx², s² = Σ(y − f x)² / (n − 1), and a Student-t interval with
 * n − 1 degrees of freedom. Points at p = 1 (x = 0) carry no information
 * and are skipped; they do not count in n.
 *
 * @warning This interval is too narrow when the speedups share one
 * measured T(1), as speedups computed from a strong-scaling table do: the
 * noise of T(1) moves every point the same way, and the fit counts it as
 * independent. In simulation (f = 0.07, p = 1…64, 1 % noise on the
 * times) it held the true f in 24 % of data sets instead of 95 %. Fit the
 * times themselves with perfkit_amdahl_fit_times() (see @ref statistics).
 */
int perfkit_amdahl_fit(const double *p, const double *speedup, size_t n,
		       struct perfkit_amdahl_fit *fit);

/**
 * @brief Gustafson's scaled speedup: S = p − f (p − 1).
 * @param f serial fraction of the run on @p p workers, 0 ≤ f ≤ 1
 * @param p number of workers, finite and > 0
 * @param[out] speedup the scaled speedup
 * @return 0 on success
 * @retval -EINVAL @p speedup is NULL, @p f outside [0, 1], @p p not finite
 *         and positive, or either is NaN
 */
int perfkit_gustafson_speedup(double f, double p, double *speedup);

/**
 * @brief The serial fraction implied by a scaled speedup: f = (p − S)/(p − 1).
 * @param speedup scaled speedup S, finite and > 0
 * @param p number of workers, finite, > 0 and ≠ 1
 * @param[out] f the serial fraction, reported as computed (f < 0 for S > p)
 * @return 0 on success
 * @retval -EINVAL @p f is NULL, or a value is NaN, infinite or ≤ 0
 * @retval -EDOM @p p is 1
 */
int perfkit_gustafson_serial_fraction(double speedup, double p, double *f);

/** @brief Flags of a fitted parameter, in perfkit_fit_param::flags. */
enum perfkit_fit_flag {
	/** The estimate is the lower end of the parameter's range (0 for a
	 *  serial fraction, α or β): the unconstrained optimum lies below
	 *  it, or on it. */
	PERFKIT_FIT_AT_LOWER = 1u << 0,
	/** The estimate is the upper end of the range (1 for a serial
	 *  fraction). */
	PERFKIT_FIT_AT_UPPER = 1u << 1,
	/** The interval reaches down to the lower end of the range: the
	 *  data reject no value down to it. */
	PERFKIT_FIT_CI_TO_LOWER = 1u << 2,
	/** The interval reaches up to the upper end of the range; where the
	 *  range has none, perfkit_fit_param::ci[1] is @c INFINITY: the
	 *  data set no upper limit. */
	PERFKIT_FIT_CI_TO_UPPER = 1u << 3,
};

/** @brief One fitted parameter with its 95 % profile-likelihood interval. */
struct perfkit_fit_param {
	/** The estimate, inside the parameter's range. */
	double value;
	/** Two-sided 95 % interval, inside the parameter's range: the values
	 *  v whose best fit with the parameter held at v has a residual sum
	 *  of squares RSS(v) ≤ RSS_min · (1 + t²(0.975, dof) / dof). */
	double ci[2];
	/** #perfkit_fit_flag bits: whether the estimate or the interval
	 *  ends at a bound. */
	unsigned flags;
};

/** @brief A serial fraction fitted on measured times: Amdahl's
 *         (perfkit_amdahl_fit_times()) or Gustafson's
 *         (perfkit_gustafson_fit_times()). */
struct perfkit_fraction_fit {
	/** The serial fraction f, in [0, 1], with its interval. Amdahl's
	 *  speedup limit 1/f has the interval [1/ci[1], 1/ci[0]] (a profile
	 *  interval maps through a monotone function). */
	struct perfkit_fit_param f;
	/** T1, the time of the work on one worker (Amdahl: the whole fixed
	 *  work; Gustafson: one worker's share), in the unit of the times,
	 *  with its interval; extrapolated when no run had p = 1. */
	struct perfkit_fit_param t1;
	/** Residual standard deviation of the log times, √(RSS / dof): the
	 *  relative noise of one run (0.01 is 1 %). */
	double rse;
	/** Number of runs used. */
	size_t n;
	/** Degrees of freedom, n − 2. */
	double dof;
};

/**
 * @brief Fit Amdahl's law to measured times: T(p) = T1 · (f + (1 − f)/p).
 * @param p worker count of each run (or the ratio p/p0), finite and > 0;
 *        repeats (several runs at one count) are welcome
 * @param t time of each run (any unit), finite and > 0
 * @param n number of runs, at least 3
 * @param[out] fit f and T1 with their 95 % intervals; not written on
 *        failure
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL or a value is NaN, infinite or ≤ 0
 *         (the message names the index)
 * @retval -EDOM fewer than 3 runs or fewer than 2 distinct worker counts,
 *         or the model does not fit these data: every f in [0, 1] is
 *         rejected at the 5 % level (the times grow as workers are added,
 *         or fall faster than 1/p); the message says which
 *
 * T1 and f are both fitted, so the noise of the one-worker run is not
 * carried into every point as it is when speedups T(1)/T(p) are fitted
 * (perfkit_amdahl_fit()). Least squares on log t: timing noise is
 * relative (a run twice as long wanders twice as far), and on the log
 * scale it has one spread for all p. f is held to [0, 1]; its interval
 * and T1's are profile-likelihood intervals (see perfkit_fit_param::ci)
 * and stay inside the range: a fit at a bound says so in the flags. In
 * simulation (f = 0.07, p = 1…64, 1,000 sets) the interval of f held the
 * true f in 94.2 % of data sets at 1 % noise and 94.6 % at 5 %, that of
 * T1 in 94.7 %; see @ref statistics.
 */
int perfkit_amdahl_fit_times(const double *p, const double *t, size_t n,
			     struct perfkit_fraction_fit *fit);

/**
 * @brief Fit Gustafson's law to weak-scaling times:
 *        T(p) = T1 · p / (p − f (p − 1)).
 * @param p worker count of each run, finite and > 0; repeats welcome
 * @param t time of each run, the work growing in proportion to @p p
 *        (each worker doing the same share), finite and > 0
 * @param n number of runs, at least 3
 * @param[out] fit f (the serial fraction of the run on p workers, taken
 *        as constant) and T1 (one worker's share alone) with their 95 %
 *        intervals; not written on failure
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL or a value is NaN, infinite or ≤ 0
 * @retval -EDOM fewer than 3 runs or fewer than 2 distinct worker counts,
 *         or every f in [0, 1] is rejected at the 5 % level (the time
 *         grows faster than p, or falls as workers are added)
 *
 * The scaled speedup p · T1 / T(p) is Gustafson's p − f (p − 1). The same
 * method as perfkit_amdahl_fit_times(): least squares on log t with T1 and
 * f fitted, f held to [0, 1], profile-likelihood intervals.
 */
int perfkit_gustafson_fit_times(const double *p, const double *t, size_t n,
				struct perfkit_fraction_fit *fit);

/* ---- tables -------------------------------------------------------- */

/** @brief One row of a strong-scaling table: all runs at one worker count. */
struct perfkit_scaling_strong_row {
	/** Worker count p. */
	double workers;
	/** Number of runs measured at p. */
	size_t repeats;
	/** Mean time T(p) over the repeats. */
	double time;
	/** Sample standard deviation of the times; 0 for one repeat. */
	double time_sd;
	/** Shortest time at p. */
	double time_min;
	/** Speedup S(p) = T(p0) / T(p); 1 at p0. */
	double speedup;
	/** Efficiency E(p) = S(p) · p0 / p; 1 at p0. */
	double efficiency;
	/** Karp–Flatt serial fraction with q = p / p0; NaN at p = p0. */
	double karp_flatt;
};

/**
 * @brief Build a strong-scaling table (fixed total work) from (p, T) runs.
 * @param workers worker count of each run, finite and > 0
 * @param time time of each run (any unit), finite and > 0
 * @param n number of runs, ≥ 1
 * @param[out] rows room for at least @p n rows (there are at most @p n
 *        distinct worker counts); filled in increasing worker count
 * @param[out] nrows the number of rows written
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL, @p n is 0, or a value is NaN, infinite
 *         or ≤ 0 (the message names the index)
 * @retval -ERANGE a ratio of extreme inputs overflows double
 *
 * The Karp–Flatt entry of the first row is NaN by definition (q = 1); it is
 * the only NaN the table holds.
 */
int perfkit_scaling_strong(const double *workers, const double *time,
			   size_t n, struct perfkit_scaling_strong_row *rows,
			   size_t *nrows);

/** @brief One row of a weak-scaling table (the summary table of the
 *         CosmoFlow weak-scaling notebook). */
struct perfkit_scaling_weak_row {
	/** Rank (worker) count. */
	double ranks;
	/** Number of runs at this rank count. */
	size_t repeats;
	/** Samples processed per epoch, whole job. */
	double samples;
	/** Mean epoch time over the repeats. */
	double time;
	/** Throughput = samples / time. */
	double throughput;
	/** Ideal throughput = ranks · X(p0) / p0 (= ranks · X(1) when p0 = 1). */
	double ideal;
	/** Efficiency = throughput / ideal; 1 at p0. */
	double efficiency;
};

/**
 * @brief Build a weak-scaling table from (ranks, samples, time) runs.
 * @param ranks rank count of each run, finite and > 0
 * @param samples samples each run processed per epoch (whole job), > 0;
 *        repeats at one rank count must agree
 * @param time mean epoch time of each run (see
 *        perfkit_scaling_epoch_mean()), finite and > 0
 * @param n number of runs, ≥ 1
 * @param[out] rows room for at least @p n rows; filled in increasing rank
 *        count
 * @param[out] nrows the number of rows written
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL, @p n is 0, a value is NaN, infinite or
 *         ≤ 0, or repeats at one rank count disagree on samples
 * @retval -ERANGE a ratio of extreme inputs overflows double
 *
 * Throughput is samples / mean time, as the CosmoFlow notebook computes it.
 * When one rank was measured the ideal is ranks × throughput at one rank;
 * otherwise it is the per-rank throughput at the smallest count p0 times
 * ranks.
 */
int perfkit_scaling_weak(const double *ranks, const double *samples,
			 const double *time, size_t n,
			 struct perfkit_scaling_weak_row *rows, size_t *nrows);

/**
 * @brief Mean epoch time with warm-up epochs dropped.
 * @param epoch epoch number of each entry (Keras numbers from 0)
 * @param time time of each epoch, finite and > 0
 * @param n number of entries
 * @param warmup epochs numbered below @p warmup are dropped (1, as the
 *        CosmoFlow notebook does, drops epoch 0; 0 keeps all), finite
 *        and ≥ 0
 * @param[out] mean the mean time of the kept epochs
 * @param[out] used number of epochs kept; may be NULL
 * @return 0 on success
 * @retval -EINVAL a required pointer is NULL, or a value is NaN, infinite
 *         or out of range (the message names the index)
 * @retval -EDOM no epoch is left after dropping the warm-up
 * @retval -ERANGE the sum of the times overflows double
 */
int perfkit_scaling_epoch_mean(const double *epoch, const double *time,
			       size_t n, double warmup, double *mean,
			       size_t *used);

/**
 * @brief Samples per epoch of a run, with the CosmoFlow notebook's shard
 *        rule.
 * @param n_train training samples
 * @param n_valid validation samples
 * @param shard non-zero when the data set is split across ranks (the total
 *        is fixed); zero when every rank reads all of it (the total grows
 *        with ranks)
 * @param ranks rank count, finite and > 0
 * @param[out] samples n_train + n_valid, times @p ranks unless @p shard
 * @return 0 on success
 * @retval -EINVAL @p samples is NULL, a count is negative, NaN or
 *         infinite, their sum is 0, or @p ranks is not positive
 * @retval -ERANGE the sample count overflows double
 */
int perfkit_scaling_samples(double n_train, double n_valid, int shard,
			    double ranks, double *samples);

/* ---- USL ----------------------------------------------------------- */

/** @brief A Universal Scalability Law fit, X(N) = γN / (1 + α(N−1) + βN(N−1)). */
struct perfkit_usl_fit {
	/** Contention α ≥ 0. */
	double alpha;
	/** Coherency (crosstalk) β ≥ 0. */
	double beta;
	/** Throughput of one worker γ > 0. */
	double gamma;
	/** Standard errors of α, β, γ, from s² (JᵀJ)⁻¹. */
	double alpha_se;
	/** Standard error of β. */
	double beta_se;
	/** Standard error of γ. */
	double gamma_se;
	/** Two-sided 95% interval for α: α ± t(0.975, n − 3) · se (Wald; may
	 *  reach below the bound 0). */
	double alpha_ci[2];
	/** Two-sided 95% interval for β. */
	double beta_ci[2];
	/** Two-sided 95% interval for γ. */
	double gamma_ci[2];
	/** Covariance matrix of (α, β, γ), s² (JᵀJ)⁻¹; for perfkit_usl_predict(). */
	double cov[3][3];
	/** Residual standard error s = √(RSS / (n − 3)). */
	double rse;
	/** Coefficient of determination 1 − RSS/TSS (1 when TSS is 0). */
	double r2;
	/** Number of points. */
	size_t n;
	/** Degrees of freedom, n − 3. */
	double dof;
	/** Student-t quantile t(0.975, n − 3) used for the intervals. */
	double t975;
	/** Worker count of peak throughput N* = √((1 − α)/β), at least 1
	 *  (1 when α ≥ 1); @c INFINITY when β = 0 (no peak). */
	double peak_n;
	/** Throughput at N*; γ/α when β = 0 and α > 0; @c INFINITY when
	 *  α = β = 0 (linear scaling). */
	double peak_x;
	/** Amdahl asymptote γ / α (β = 0); @c INFINITY when α = 0. */
	double asymptote;
	/** 1 / α: with β = 0, efficiency falls to one half at N = 1 + 1/α;
	 *  @c INFINITY when α = 0. */
	double inv_alpha;
	/** Levenberg–Marquardt iterations of the winning start. */
	unsigned iterations;
};

/**
 * @brief Fit the Universal Scalability Law to (N, X) points.
 * @param n_workers load or worker count of each point, finite and > 0
 * @param throughput throughput measured at each point, finite and > 0
 * @param n number of points, at least 4 (3 parameters and one degree of
 *        freedom for the intervals)
 * @param[out] fit the parameters, their uncertainty and derived figures
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL or a value is NaN, infinite or ≤ 0
 * @retval -EDOM fewer than 4 points, fewer than 3 distinct N, or JᵀJ is
 *         singular at the solution (the data cannot pin down α, β and γ)
 * @retval -ERANGE the fit did not converge, or overflowed double
 *
 * Bounded nonlinear least squares on the absolute residuals X − X(N):
 * Levenberg–Marquardt with Marquardt's diagonal scaling, each step projected
 * onto α ≥ 0, β ≥ 0, γ > 0, run from several starts (one from a linearised
 * fit) keeping the smallest residual sum of squares. Takes a few
 * microseconds for tens of points.
 */
int perfkit_usl_fit(const double *n_workers, const double *throughput,
		    size_t n, struct perfkit_usl_fit *fit);

/**
 * @brief Evaluate the USL model: γN / (1 + α(N−1) + βN(N−1)).
 * @param alpha contention α, finite and ≥ 0
 * @param beta coherency β, finite and ≥ 0
 * @param gamma single-worker throughput γ, finite and > 0
 * @param n_workers N, finite and > 0
 * @param[out] throughput X(N)
 * @return 0 on success
 * @retval -EINVAL @p throughput is NULL or a parameter is out of range
 */
int perfkit_usl_eval(double alpha, double beta, double gamma,
		     double n_workers, double *throughput);

/** @brief A USL prediction with its uncertainty. */
struct perfkit_usl_prediction {
	/** Worker count N. */
	double n_workers;
	/** Predicted throughput X(N). */
	double throughput;
	/** Standard error of X(N) by the delta method, √(gᵀ C g), g = ∇X. */
	double se;
	/** Two-sided 95% interval for the mean X(N): X ± t(0.975, n − 3)·se. */
	double ci[2];
};

/**
 * @brief Predict throughput at @p n_workers from a fit, with an interval.
 * @param fit a fit from perfkit_usl_fit()
 * @param n_workers N, finite and > 0
 * @param[out] pred the prediction
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL, @p n_workers out of range, or @p fit
 *         holds parameters out of range
 */
int perfkit_usl_predict(const struct perfkit_usl_fit *fit, double n_workers,
			struct perfkit_usl_prediction *pred);

/** @brief A USL fit with intervals that respect the bounds. */
struct perfkit_usl_profile_fit {
	/** The fit as perfkit_usl_fit() returns it, with its Wald intervals
	 *  (kept for comparison: they ignore the bounds). */
	struct perfkit_usl_fit fit;
	/** Contention α ≥ 0 with its 95 % profile-likelihood interval. */
	struct perfkit_fit_param alpha;
	/** Coherency β ≥ 0 with its interval. */
	struct perfkit_fit_param beta;
	/** Single-worker throughput γ > 0 with its interval. */
	struct perfkit_fit_param gamma;
};

/**
 * @brief Fit the Universal Scalability Law with profile-likelihood
 *        intervals that respect α ≥ 0, β ≥ 0, γ > 0.
 * @param n_workers load or worker count of each point, finite and > 0
 * @param throughput throughput at each point, finite and > 0
 * @param n number of points, at least 4
 * @param[out] fit the fit of perfkit_usl_fit() and, for each parameter,
 *        its interval and whether the estimate or the interval ends at a
 *        bound; not written on failure
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL or a value is NaN, infinite or ≤ 0
 * @retval -EDOM as perfkit_usl_fit()
 * @retval -ERANGE as perfkit_usl_fit(), or a profile fit did not converge
 * @retval -ENOMEM out of memory
 *
 * The fit is perfkit_usl_fit()'s (least squares on X, constant noise).
 * For each parameter, the interval holds the values v for which the best
 * fit of the other two (within their bounds) with the parameter held at v
 * has RSS(v) ≤ RSS_min · (1 + t²(0.975, n − 3)/(n − 3)); each end is found
 * by bisection. An estimate at a bound has that bound as one end of its
 * interval, and the flags say so; a parameter the data cannot limit from
 * above gets @c INFINITY. In simulation (1,000 sets each, 1 % and 5 %
 * noise of one spread at every N) the intervals held the true parameters
 * in 94.0–97.5 % of data sets, also with α at its bound 0; with noise
 * proportional to X, β's held it in only 89 %: see @ref statistics.
 * Costs some hundreds of refits: well under a millisecond for tens of
 * points.
 */
int perfkit_usl_fit_profile(const double *n_workers, const double *throughput,
			    size_t n, struct perfkit_usl_profile_fit *fit);

/* ---- optimal count and cost ---------------------------------------- */

/**
 * @brief The largest worker count whose efficiency is at or above a
 *        threshold.
 * @param workers worker counts, finite and > 0
 * @param efficiency efficiency at each count, finite and ≥ 0
 * @param n number of entries, ≥ 1
 * @param threshold the lowest acceptable efficiency, finite and > 0
 * @param[out] index index into the arrays of the chosen count
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL, @p n is 0, or a value is out of range
 * @retval -EDOM no count reaches @p threshold
 *
 * Each count is judged by its own efficiency: a dip below the threshold at
 * a smaller count does not disqualify a larger one.
 */
int perfkit_scaling_optimal(const double *workers, const double *efficiency,
			    size_t n, double threshold, size_t *index);

/** @brief The cost of one run. */
struct perfkit_scaling_cost {
	/** Worker count p. */
	double workers;
	/** Time of the run, seconds. */
	double time;
	/** Worker-hours: p · time / 3600. */
	double worker_hours;
	/** Cost: worker-hours × price. */
	double cost;
	/** Cost per unit of work (cost / work); equals @ref cost when no work
	 *  is given. */
	double cost_per_work;
};

/**
 * @brief Cost of each run at a price per worker-hour.
 * @param workers worker count of each run, finite and > 0
 * @param time_s time of each run in seconds, finite and > 0
 * @param work work done by each run (samples, iterations), finite and > 0;
 *        NULL to count each run as one unit
 * @param n number of runs, ≥ 1
 * @param price price of one worker for one hour (e.g. dollars per
 *        CPU-hour), finite and ≥ 0
 * @param[out] costs @p n entries, in input order
 * @return 0 on success
 * @retval -EINVAL a required pointer is NULL, @p n is 0, or a value is out
 *         of range (the message names the index)
 * @retval -ERANGE a cost overflows double
 */
int perfkit_scaling_cost(const double *workers, const double *time_s,
			 const double *work, size_t n, double price,
			 struct perfkit_scaling_cost *costs);

/**
 * @brief The cheapest run that meets a time and an efficiency target.
 * @param workers worker count of each run, finite and > 0
 * @param time_s time of each run in seconds, finite and > 0
 * @param work work of each run, or NULL (see perfkit_scaling_cost())
 * @param efficiency efficiency of each run, or NULL when @p min_efficiency
 *        is 0
 * @param n number of runs, ≥ 1
 * @param price price per worker-hour, finite and > 0
 * @param max_time_s the longest acceptable time, > 0 (@c INFINITY: none)
 * @param min_efficiency the lowest acceptable efficiency, finite, ≥ 0
 * @param[out] index index of the run with the lowest cost per unit of work
 *        among those meeting both targets (ties: fewer workers)
 * @return 0 on success
 * @retval -EINVAL a required pointer is NULL, @p n is 0, or a value is out
 *         of range
 * @retval -EDOM no run meets the targets
 * @retval -ERANGE a cost overflows double
 */
int perfkit_scaling_cheapest(const double *workers, const double *time_s,
			     const double *work, const double *efficiency,
			     size_t n, double price, double max_time_s,
			     double min_efficiency, size_t *index);

/* ---- input from result records ------------------------------------ */

struct perfkit_results;

/** @brief What perfkit_scaling_points_from_results() puts in
 *         perfkit_scaling_point::value. */
enum perfkit_scaling_measure {
	/** Time of the whole run at that worker count, seconds: the group's
	 *  makespan (see perfkit_scaling_point::makespan). For strong
	 *  scaling: feed it to perfkit_scaling_strong() as the time. */
	PERFKIT_SCALING_MAKESPAN = 0,
	/** The slowest worker's timed work, max @c elapsed, seconds: the
	 *  time without launch and collection overhead. */
	PERFKIT_SCALING_ELAPSED_MAX = 1,
	/** Sum of @c flops over the group / makespan: the whole job's
	 *  effective rate (as in the pywren GFLOPS notebook), flop/s. For weak
	 *  scaling. */
	PERFKIT_SCALING_THROUGHPUT_FLOPS = 2,
	/** Sum of @c items / makespan, items per second. */
	PERFKIT_SCALING_THROUGHPUT_ITEMS = 3,
	/** Sum of @c bytes / makespan, bytes per second. */
	PERFKIT_SCALING_THROUGHPUT_BYTES = 4,
};

/** @brief Which timestamps a makespan was taken from. */
enum perfkit_scaling_span {
	/** max @c t_collected − min @c t_submit: from handing out the work
	 *  to collecting the last result (the pywren notebook's job time). */
	PERFKIT_SCALING_SPAN_SUBMIT_COLLECTED = 0,
	/** max @c t_end − min @c t_start: from the first worker's start to
	 *  the last one's end. */
	PERFKIT_SCALING_SPAN_START_END = 1,
	/** max @c elapsed: no usable timestamps, the slowest worker's
	 *  timed work stands in for the run. */
	PERFKIT_SCALING_SPAN_ELAPSED = 2,
};

/** @brief One worker count of a result set: its records summed up. */
struct perfkit_scaling_point {
	/** Worker count: the numeric value of the group key. */
	double workers;
	/** Records of the group used (status 0). */
	size_t records;
	/** Records of the group skipped because their status is non-zero
	 *  (the measurement failed). */
	size_t failed;
	/** Time of the run at this worker count, seconds, taken as @ref span
	 *  says. */
	double makespan;
	/** Where @ref makespan comes from; the same for every point of one
	 *  call. */
	enum perfkit_scaling_span span;
	/** Largest @c elapsed of the group, seconds. */
	double elapsed_max;
	/** Sum of @c flops over the group's records. */
	double flops;
	/** Sum of @c bytes. */
	double bytes;
	/** Sum of @c items. */
	double items;
	/** The measure asked for: finite and > 0. */
	double value;
};

/**
 * @brief Group a result set's records by worker count and sum each group
 *        up into a scaling point.
 * @param res the result set (see @ref record)
 * @param group_key the key whose value is a record's worker count, as
 *        perfkit_results_value() reads it: a user parameter such as
 *        "workers" (which the harness sets on every record of a run) or a
 *        field such as "rank"
 * @param measure what goes into perfkit_scaling_point::value
 * @param[out] points room for @p cap points, filled in increasing worker
 *        count; NULL to ask only for their number
 * @param cap number of entries @p points has room for (ignored when
 *        @p points is NULL); perfkit_results_count() always suffices
 * @param[out] n the number of points (distinct worker counts), also when
 *        @p points is NULL or too small
 * @return 0 on success
 * @retval -EINVAL @p res, @p group_key or @p n is NULL, @p group_key is
 *         empty, or @p measure is unknown
 * @retval -EDOM the set has no records, every record of a group failed,
 *         or a group's measure is not finite and > 0 (e.g. no record
 *         counted flops, or a makespan of 0); the message names the group
 * @retval -ENOENT a record has no value for @p group_key (the message says
 *         whether no record has it, or names the first that lacks it)
 * @retval -EBADMSG a record's group value is not a finite number > 0, or
 *         a record used holds a NaN, infinite or negative count or
 *         elapsed time, an infinite timestamp, or a timestamp pair out of
 *         order; the message names the record by index
 * @retval -ENOSPC @p cap is smaller than the number of points (@p n says
 *         how many are needed; @p points is left undefined)
 * @retval -ERANGE a group's work sums, makespan or throughput overflow
 *         double
 * @retval -ENOMEM out of memory
 *
 * Records are grouped by the numeric value of @p group_key ("4" and
 * "4.0" are one group). Records whose @c status is non-zero are left out
 * of the sums and counted in perfkit_scaling_point::failed; they still
 * need a valid group value.
 *
 * The makespan of a group is the span of its records' timestamps,
 * max @c t_collected − min @c t_submit. When any record used (in any
 * group) lacks one of those (NaN: the measurement did not take it), all
 * groups use max @c t_end − min @c t_start instead, and when those are
 * missing too, max @c elapsed. One rule for the whole call keeps the
 * points comparable; perfkit_scaling_point::span says which was used.
 *
 * Which measure fits which experiment:
 * - **Strong scaling** (the total work is fixed, each worker does
 *   1/W of it): the time falls with W. Use #PERFKIT_SCALING_MAKESPAN (or
 *   #PERFKIT_SCALING_ELAPSED_MAX to leave launch overhead out) as the
 *   time of perfkit_scaling_strong().
 * - **Weak scaling** (each worker does the same work, so the total grows
 *   with W, as in the harness's worker sweeps): the time ideally stays
 *   flat and the throughput grows with W. Use
 *   #PERFKIT_SCALING_THROUGHPUT_FLOPS (or _ITEMS, _BYTES), or pass the
 *   point's work sum and makespan to perfkit_scaling_weak() as samples
 *   and time.
 *
 * With @p points NULL the records are grouped and checked but no measure
 * is computed. Allocates temporary memory in proportion to
 * perfkit_results_count(). Thread-safe as long as nobody changes @p res
 * meanwhile.
 *
 * @code
 * struct perfkit_scaling_point pt[64];
 * size_t n;
 *
 * if (perfkit_scaling_points_from_results(res, "workers",
 *		PERFKIT_SCALING_THROUGHPUT_FLOPS, pt, 64, &n) == 0)
 *	for (size_t i = 0; i < n; i++)
 *		printf("%g workers: %.3g GFLOPS over %.3g s (%zu failed)\n",
 *		       pt[i].workers, pt[i].value / 1e9, pt[i].makespan,
 *		       pt[i].failed);
 * else
 *	fprintf(stderr, "%s\n", perfkit_last_error());
 * @endcode
 */
int perfkit_scaling_points_from_results(const struct perfkit_results *res,
					const char *group_key,
					enum perfkit_scaling_measure measure,
					struct perfkit_scaling_point *points,
					size_t cap, size_t *n);


/* ---- Complexity fits (perfkit_complexity_fit()) ---- */

/** @brief The growth laws perfkit_complexity_fit() tries. */
enum perfkit_complexity {
	/** t = c. */
	PERFKIT_COMPLEXITY_1 = 0,
	/** t = c log2 n. */
	PERFKIT_COMPLEXITY_LOG_N = 1,
	/** t = c n. */
	PERFKIT_COMPLEXITY_N = 2,
	/** t = c n log2 n. */
	PERFKIT_COMPLEXITY_N_LOG_N = 3,
	/** t = c n². */
	PERFKIT_COMPLEXITY_N2 = 4,
	/** t = c n³. */
	PERFKIT_COMPLEXITY_N3 = 5,
	/** t = c n^k, k fitted. */
	PERFKIT_COMPLEXITY_POWER = 6,
};

/** @brief Number of laws in enum perfkit_complexity. */
#define PERFKIT_COMPLEXITY_COUNT 7

/**
 * @brief One law fitted to (size, time) points.
 *
 * Fits are on the log scale (multiplicative noise): the residuals are
 * ln t − ln(c g(n)).
 */
struct perfkit_complexity_model {
	/** The law. */
	enum perfkit_complexity law;
	/** c, in the unit of the times per unit of g(n). */
	double coefficient;
	/** k: the power of n (0, 0, 1, 1, 2, 3, or the fitted one). */
	double exponent;
	/** RMS error of the fit in the unit of the times:
	 *  sqrt(mean((t − c g(n))²)). */
	double rms;
	/** Sum of squared log residuals. */
	double rss_log;
	/** Corrected Akaike information criterion on the log residuals; the
	 *  smallest wins. Infinite when the law cannot be fitted (log n with
	 *  a size <= 1; the power law with fewer than 4 points). */
	double aicc;
};

/** @brief The result of perfkit_complexity_fit(): the chosen law and every
 *         law tried. */
struct perfkit_complexity_fit {
	/** Points used. */
	size_t n;
	/** The law with the smallest AICc (ties: the simpler law). */
	struct perfkit_complexity_model best;
	/** Every law, indexed by enum perfkit_complexity. */
	struct perfkit_complexity_model models[PERFKIT_COMPLEXITY_COUNT];
};

/**
 * @brief Fit how time grows with size: O(1), O(log n), O(n), O(n log n),
 *        O(n²), O(n³) and a free power law n^k, and pick one by AICc.
 * @param size the sizes n, > 0
 * @param time the times (any unit), > 0
 * @param count number of points: at least 3, with at least 2 sizes
 * @param[out] out the fits; untouched on failure
 * @return 0 on success
 * @retval -EINVAL a pointer is NULL, fewer than 3 points or only one
 *         size, or a size or time is not finite and > 0
 *
 * Each fixed law t = c g(n) is fitted on the log scale, ln c = mean(ln t −
 * ln g(n)) (one parameter); the power law by least squares of ln t on
 * ln n (two parameters). With m points, p parameters and RSS the sum of
 * squared log residuals, AICc = m ln(RSS/m) + 2p + 2p(p+1)/(m − p − 1).
 * The formulas and their assumptions are in @ref statistics. Thread-safe.
 */
int perfkit_complexity_fit(const double *size, const double *time,
			   size_t count, struct perfkit_complexity_fit *out);

/**
 * @brief A law in big-O notation.
 * @param law the law
 * @return "O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)",
 *         "O(n^k)", or "O(?)" for an unknown value; static text
 */
const char *perfkit_complexity_name(enum perfkit_complexity law);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_SCALING_H */
