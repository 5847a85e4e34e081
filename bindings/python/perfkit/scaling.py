# SPDX-License-Identifier: MIT
"""The scaling calculator: strong and weak tables, Amdahl, Gustafson,
Karp-Flatt, Universal Scalability Law fits with uncertainty, the optimal
worker count and cost, over libperfkit's scaling module.

Inputs are sequences of numbers (lists, numpy arrays, pandas Series), one
element per measured run; repeats at one worker count are welcome. Tables
come back as pandas DataFrames.
"""

from __future__ import annotations

import ctypes
import math
from ctypes import byref, c_double, c_size_t
from dataclasses import dataclass
from typing import Any, Optional, Sequence, Tuple, Union

import numpy as np

from . import _args
from . import _structs as S
from ._lib import call, lib

__all__ = [
    "amdahl_speedup", "amdahl_limit", "karp_flatt", "amdahl_serial_fraction",
    "gustafson_speedup", "gustafson_serial_fraction", "AmdahlFit", "amdahl_fit",
    "FractionFit", "Interval", "amdahl_fit_times", "gustafson_fit_times", "strong_table",
    "weak_table", "epoch_mean", "samples_per_epoch", "UslFit", "usl_fit", "usl_eval",
    "optimal_workers", "cost_table", "cheapest", "points_from_results",
    "ComplexityFit", "complexity_fit",
]

Numbers = Union[Sequence[float], np.ndarray]
Scalar = Union[float, int]


def _law(c_name: str, a: Any, b: Any, an: str, bn: str) -> Any:
    """Apply a two-argument C law element-wise (numpy broadcasting)."""
    scalar = np.ndim(a) == 0 and np.ndim(b) == 0
    x = _args.doubles_nd(a, an, c_name)
    y = _args.doubles_nd(b, bn, c_name)
    try:
        x, y = np.broadcast_arrays(x, y)
    except ValueError:
        raise _args.bad(c_name, an + " and " + bn, "have shapes %s and %s that do not broadcast"
                         % (x.shape, y.shape)) from None
    out = np.empty(x.shape)
    r = c_double()
    for i in np.ndindex(x.shape):
        call(c_name, float(x[i]), float(y[i]), byref(r))
        out[i] = r.value
    return float(out) if scalar else out


def amdahl_speedup(f: Any, p: Any) -> Any:
    """Amdahl's speedup 1 / (f + (1 - f) / p); arrays broadcast."""
    return _law("perfkit_amdahl_speedup", f, p, "f", "p")


def amdahl_limit(f: Scalar) -> float:
    """Amdahl's limit 1 / f (inf for f = 0)."""
    r = c_double()
    call("perfkit_amdahl_limit", _args.real(f, "f", "amdahl_limit"), byref(r))
    return r.value


def karp_flatt(speedup: Any, p: Any) -> Any:
    """The Karp-Flatt serial fraction (1/S - 1/p) / (1 - 1/p) of measured
    speedups; e < 0 means superlinear, e > 1 a slowdown.

    Raises:
        DomainError: p is 1 (one worker says nothing about the serial part).
    """
    return _law("perfkit_karp_flatt", speedup, p, "speedup", "p")


def amdahl_serial_fraction(speedup: Any, p: Any) -> Any:
    """Amdahl's f solved from one (S, p) pair (the Karp-Flatt number)."""
    return _law("perfkit_amdahl_serial_fraction", speedup, p, "speedup", "p")


def gustafson_speedup(f: Any, p: Any) -> Any:
    """Gustafson's scaled speedup p - f (p - 1)."""
    return _law("perfkit_gustafson_speedup", f, p, "f", "p")


def gustafson_serial_fraction(speedup: Any, p: Any) -> Any:
    """The serial fraction (p - S) / (p - 1) implied by a scaled speedup."""
    return _law("perfkit_gustafson_serial_fraction", speedup, p, "speedup", "p")


@dataclass(frozen=True)
class AmdahlFit:
    """Least-squares Amdahl fit on speedups (see :func:`amdahl_fit`)."""
    f: float
    f_se: float
    f_ci: Tuple[float, float]
    limit: float
    rse: float
    n: int
    dof: float


def amdahl_fit(p: Numbers, speedup: Numbers) -> AmdahlFit:
    """Fit Amdahl's serial fraction to (p, S) points.

    Its interval is too narrow when the speedups share one measured T(1);
    prefer :func:`amdahl_fit_times` on the times themselves.

    Raises:
        DomainError: fewer than two points with p != 1, or f outside [0, 1].
    """
    fn = "amdahl_fit"
    x = _args.doubles(p, "p", fn)
    y = _args.doubles(speedup, "speedup", fn)
    n = _args.same_length(fn, p=x, speedup=y)
    r = S.AmdahlFit()
    call("perfkit_amdahl_fit", _args.ptr(x), _args.ptr(y), n, byref(r))
    return AmdahlFit(r.f, r.f_se, (r.f_ci[0], r.f_ci[1]), r.limit, r.rse, r.n, r.dof)


@dataclass(frozen=True)
class Interval:
    """A fitted parameter with its 95 % profile-likelihood interval."""
    value: float
    ci: Tuple[float, float]
    #: The estimate sits on the lower / upper end of its range.
    at_lower: bool
    at_upper: bool
    #: The interval reaches the lower / upper end of the range.
    ci_to_lower: bool
    ci_to_upper: bool

    @classmethod
    def from_c(cls, p: S.FitParam) -> "Interval":
        fl = p.flags
        return cls(p.value, (p.ci[0], p.ci[1]), bool(fl & 1), bool(fl & 2),
                   bool(fl & 4), bool(fl & 8))


@dataclass(frozen=True)
class FractionFit:
    """A serial fraction f and single-worker time T1 fitted on times."""
    f: Interval
    t1: Interval
    rse: float
    n: int
    dof: float

    @property
    def limit(self) -> float:
        """Amdahl's speedup limit 1/f (inf for f = 0)."""
        return math.inf if self.f.value <= 0 else 1.0 / self.f.value


def _fraction_fit(fn: str, c_name: str, p: Numbers, t: Numbers) -> FractionFit:
    x = _args.doubles(p, "p", fn)
    y = _args.doubles(t, "t", fn)
    n = _args.same_length(fn, p=x, t=y)
    r = S.FractionFit()
    call(c_name, _args.ptr(x), _args.ptr(y), n, byref(r))
    return FractionFit(Interval.from_c(r.f), Interval.from_c(r.t1), r.rse, r.n, r.dof)


def amdahl_fit_times(p: Numbers, t: Numbers) -> FractionFit:
    """Fit T(p) = T1 (f + (1 - f)/p) to measured times (strong scaling),
    with profile-likelihood intervals of f and T1 (at least 3 runs)."""
    return _fraction_fit("amdahl_fit_times", "perfkit_amdahl_fit_times", p, t)


def gustafson_fit_times(p: Numbers, t: Numbers) -> FractionFit:
    """Fit T(p) = T1 p / (p - f (p - 1)) to weak-scaling times."""
    return _fraction_fit("gustafson_fit_times", "perfkit_gustafson_fit_times", p, t)


def _frame(rows: Any, n: int, names: Sequence[str]) -> Any:
    """A DataFrame of the first n structs of a ctypes array (copied through
    the mirror's numpy dtype, not through PEP 3118 format strings)."""
    import pandas as pd
    raw = ctypes.string_at(ctypes.addressof(rows), ctypes.sizeof(rows))
    arr = np.frombuffer(raw, dtype=S.numpy_dtype(rows._type_))[:n]
    return pd.DataFrame({k: np.array(arr[k]) for k in names})


def strong_table(workers: Numbers, time: Numbers) -> Any:
    """Strong-scaling table (fixed total work): one row per worker count
    with repeats, mean time, its sd and minimum, speedup, efficiency and the
    Karp-Flatt serial fraction (NaN in the first row)."""
    fn = "strong_table"
    w = _args.doubles(workers, "workers", fn)
    t = _args.doubles(time, "time", fn)
    n = _args.same_length(fn, workers=w, time=t)
    rows = (S.StrongRow * n)()
    nrows = c_size_t()
    call("perfkit_scaling_strong", _args.ptr(w), _args.ptr(t), n, rows, byref(nrows))
    return _frame(rows, nrows.value, [f for f, _ in S.StrongRow._fields_])


def weak_table(ranks: Numbers, samples: Numbers, time: Numbers) -> Any:
    """Weak-scaling table, the CosmoFlow notebook's: ranks, repeats, samples,
    time, throughput = samples / time, ideal = ranks x per-rank throughput at
    the smallest count, efficiency = throughput / ideal."""
    fn = "weak_table"
    r = _args.doubles(ranks, "ranks", fn)
    s = _args.doubles(samples, "samples", fn)
    t = _args.doubles(time, "time", fn)
    n = _args.same_length(fn, ranks=r, samples=s, time=t)
    rows = (S.WeakRow * n)()
    nrows = c_size_t()
    call("perfkit_scaling_weak", _args.ptr(r), _args.ptr(s), _args.ptr(t), n, rows,
         byref(nrows))
    return _frame(rows, nrows.value, [f for f, _ in S.WeakRow._fields_])


def epoch_mean(epoch: Numbers, time: Numbers, warmup: float = 1) -> float:
    """Mean epoch time with epochs numbered below ``warmup`` dropped (1, as
    the CosmoFlow notebook does, drops epoch 0)."""
    fn = "epoch_mean"
    e = _args.doubles(epoch, "epoch", fn)
    t = _args.doubles(time, "time", fn)
    n = _args.same_length(fn, epoch=e, time=t)
    mean = c_double()
    call("perfkit_scaling_epoch_mean", _args.ptr(e), _args.ptr(t), n,
         _args.real(warmup, "warmup", fn), byref(mean), None)
    return mean.value


def samples_per_epoch(n_train: float, n_valid: float, shard: bool, ranks: float) -> float:
    """Samples per epoch of a run: n_train + n_valid, times ranks unless the
    data set is sharded across ranks (the CosmoFlow notebook's rule)."""
    fn = "samples_per_epoch"
    out = c_double()
    call("perfkit_scaling_samples", _args.real(n_train, "n_train", fn),
         _args.real(n_valid, "n_valid", fn), 1 if shard else 0,
         _args.real(ranks, "ranks", fn), byref(out))
    return out.value


@dataclass(frozen=True)
class UslFit:
    """A Universal Scalability Law fit X(N) = gamma N / (1 + alpha (N-1) + beta N (N-1)).

    ``*_se`` are standard errors and ``*_ci`` Wald intervals (they may cross
    the bound 0); ``*_interval`` are profile-likelihood intervals that
    respect alpha, beta >= 0 and gamma > 0 (None without ``profile=True``).
    """
    alpha: float
    beta: float
    gamma: float
    alpha_se: float
    beta_se: float
    gamma_se: float
    alpha_ci: Tuple[float, float]
    beta_ci: Tuple[float, float]
    gamma_ci: Tuple[float, float]
    cov: np.ndarray
    rse: float
    r2: float
    n: int
    dof: float
    #: Worker count of peak throughput sqrt((1 - alpha)/beta); inf when beta = 0.
    peak_n: float
    #: Throughput at peak_n.
    peak_x: float
    #: The Amdahl asymptote gamma / alpha (the limit with beta = 0).
    limit: float
    iterations: int
    #: Student-t quantile t(0.975, n - 3) of the Wald intervals.
    t975: float
    alpha_interval: Optional[Interval] = None
    beta_interval: Optional[Interval] = None
    gamma_interval: Optional[Interval] = None

    def __call__(self, n: Any) -> Any:
        """The model's throughput at N (arrays broadcast)."""
        return usl_eval(self.alpha, self.beta, self.gamma, n)

    def predict(self, n: float) -> Tuple[float, float, Tuple[float, float]]:
        """(throughput, standard error, 95 % interval of the mean) at N."""
        c = self._c()
        pred = S.UslPrediction()
        call("perfkit_usl_predict", byref(c), _args.real(n, "n", "UslFit.predict"),
             byref(pred))
        return pred.throughput, pred.se, (pred.ci[0], pred.ci[1])

    def _c(self) -> S.UslFit:
        c = S.UslFit(alpha=self.alpha, beta=self.beta, gamma=self.gamma,
                     alpha_se=self.alpha_se, beta_se=self.beta_se, gamma_se=self.gamma_se,
                     rse=self.rse, r2=self.r2, n=self.n, dof=self.dof,
                     peak_n=self.peak_n, peak_x=self.peak_x, asymptote=self.limit,
                     iterations=self.iterations)
        c.t975 = self.t975
        for i in range(3):
            for j in range(3):
                c.cov[i][j] = float(self.cov[i, j])
        for name in ("alpha_ci", "beta_ci", "gamma_ci"):
            getattr(c, name)[0], getattr(c, name)[1] = getattr(self, name)
        c.inv_alpha = math.inf if self.alpha == 0 else 1.0 / self.alpha
        return c


def usl_fit(n: Numbers, x: Numbers, profile: bool = True) -> UslFit:
    """Fit the Universal Scalability Law to (N, X) points (at least 4, with
    at least 3 distinct N).

    With ``profile=True`` (the default) each parameter also gets a
    profile-likelihood interval that respects its bound.

    Raises:
        DomainError: too few points, or the data cannot pin down the three
            parameters.
        RangeError: the fit did not converge.
    """
    fn = "usl_fit"
    a = _args.doubles(n, "n", fn)
    b = _args.doubles(x, "x", fn)
    count = _args.same_length(fn, n=a, x=b)
    if profile:
        pf = S.UslProfileFit()
        call("perfkit_usl_fit_profile", _args.ptr(a), _args.ptr(b), count, byref(pf))
        r = pf.fit
        extra = dict(alpha_interval=Interval.from_c(pf.alpha),
                     beta_interval=Interval.from_c(pf.beta),
                     gamma_interval=Interval.from_c(pf.gamma))
    else:
        r = S.UslFit()
        call("perfkit_usl_fit", _args.ptr(a), _args.ptr(b), count, byref(r))
        extra = {}
    cov = np.array([[r.cov[i][j] for j in range(3)] for i in range(3)])
    fit = UslFit(r.alpha, r.beta, r.gamma, r.alpha_se, r.beta_se, r.gamma_se,
                 (r.alpha_ci[0], r.alpha_ci[1]), (r.beta_ci[0], r.beta_ci[1]),
                 (r.gamma_ci[0], r.gamma_ci[1]), cov, r.rse, r.r2, r.n, r.dof,
                 r.peak_n, r.peak_x, r.asymptote, r.iterations, r.t975, **extra)
    return fit


def usl_eval(alpha: float, beta: float, gamma: float, n: Any) -> Any:
    """The USL throughput gamma N / (1 + alpha (N-1) + beta N (N-1))."""
    fn = "usl_eval"
    a = _args.real(alpha, "alpha", fn)
    b = _args.real(beta, "beta", fn)
    g = _args.real(gamma, "gamma", fn)
    scalar = np.ndim(n) == 0
    ns = np.atleast_1d(_args.doubles_nd(n, "n", fn))
    out = np.empty(ns.shape)
    r = c_double()
    for i in np.ndindex(ns.shape):
        call("perfkit_usl_eval", a, b, g, float(ns[i]), byref(r))
        out[i] = r.value
    return float(out[0]) if scalar else out


def optimal_workers(workers: Numbers, efficiency: Numbers, threshold: float = 0.5) -> float:
    """The largest worker count whose efficiency is at least ``threshold``.

    Raises:
        DomainError: no count reaches the threshold.
    """
    fn = "optimal_workers"
    w = _args.doubles(workers, "workers", fn)
    e = _args.doubles(efficiency, "efficiency", fn)
    n = _args.same_length(fn, workers=w, efficiency=e)
    idx = c_size_t()
    call("perfkit_scaling_optimal", _args.ptr(w), _args.ptr(e), n,
         _args.real(threshold, "threshold", fn), byref(idx))
    return float(w[idx.value])


def cost_table(workers: Numbers, time_s: Numbers, price: float,
               work: Optional[Numbers] = None) -> Any:
    """Cost of each run at ``price`` per worker-hour: workers, time,
    worker_hours, cost and cost_per_work (work = 1 per run when None)."""
    fn = "cost_table"
    w = _args.doubles(workers, "workers", fn)
    t = _args.doubles(time_s, "time_s", fn)
    k = None if work is None else _args.doubles(work, "work", fn)
    n = _args.same_length(fn, workers=w, time_s=t, work=k)
    rows = (S.ScalingCost * n)()
    call("perfkit_scaling_cost", _args.ptr(w), _args.ptr(t), _args.ptr(k), n,
         _args.real(price, "price", fn), rows)
    return _frame(rows, n, [f for f, _ in S.ScalingCost._fields_])


def cheapest(workers: Numbers, time_s: Numbers, price: float,
             work: Optional[Numbers] = None, efficiency: Optional[Numbers] = None,
             max_time_s: float = math.inf, min_efficiency: float = 0.0) -> int:
    """Index of the run with the lowest cost per unit of work among those
    within ``max_time_s`` and at least ``min_efficiency``.

    Raises:
        DomainError: no run meets the targets.
    """
    fn = "cheapest"
    w = _args.doubles(workers, "workers", fn)
    t = _args.doubles(time_s, "time_s", fn)
    k = None if work is None else _args.doubles(work, "work", fn)
    e = None if efficiency is None else _args.doubles(efficiency, "efficiency", fn)
    n = _args.same_length(fn, workers=w, time_s=t, work=k, efficiency=e)
    idx = c_size_t()
    call("perfkit_scaling_cheapest", _args.ptr(w), _args.ptr(t), _args.ptr(k),
         _args.ptr(e), n, _args.real(price, "price", fn),
         _args.real(max_time_s, "max_time_s", fn),
         _args.real(min_efficiency, "min_efficiency", fn), byref(idx))
    return idx.value


MEASURES = {"makespan": 0, "elapsed_max": 1, "throughput_flops": 2,
            "throughput_items": 3, "throughput_bytes": 4}
_SPANS = {0: "submit_collected", 1: "start_end", 2: "elapsed"}


def points_from_results(results: Any, group_key: str = "workers",
                        measure: str = "makespan") -> Any:
    """Group a result set's records by worker count (``group_key``, a
    parameter or field) into one row per count: records, failed, makespan,
    span, elapsed_max, flops, bytes, items and ``value`` (the measure:
    "makespan", "elapsed_max", "throughput_flops", "throughput_items" or
    "throughput_bytes")."""
    from .results import Results
    fn = "points_from_results"
    if not isinstance(results, Results):
        raise TypeError("%s: results must be a perfkit.Results, not %s"
                        % (fn, type(results).__name__))
    key = _args.text(group_key, "group_key", fn)
    m = _args.choice(measure, "measure", fn, MEASURES)
    n = c_size_t()
    call("perfkit_scaling_points_from_results", results._h, key, m, None, 0, byref(n))
    cap = max(n.value, 1)
    pts = (S.ScalingPoint * cap)()
    call("perfkit_scaling_points_from_results", results._h, key, m, pts, cap, byref(n))
    df = _frame(pts, n.value, [f for f, _ in S.ScalingPoint._fields_])
    df["span"] = df["span"].map(_SPANS)
    return df


LAWS = ("O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(n^k)")


@dataclass(frozen=True)
class ComplexityFit:
    """How time grows with size: the law AICc picks, and every law tried."""
    law: str
    coefficient: float
    exponent: float
    n: int
    #: One row per law: coefficient, exponent, rms, rss_log, aicc.
    models: Any


def complexity_fit(size: Numbers, time: Numbers) -> ComplexityFit:
    """Fit O(1), O(log n), O(n), O(n log n), O(n^2), O(n^3) and n^k to
    (size, time) points and pick one by AICc (at least 3 points, 2 sizes)."""
    import pandas as pd
    fn = "complexity_fit"
    s = _args.doubles(size, "size", fn)
    t = _args.doubles(time, "time", fn)
    n = _args.same_length(fn, size=s, time=t)
    r = S.ComplexityFit()
    call("perfkit_complexity_fit", _args.ptr(s), _args.ptr(t), n, byref(r))
    models = pd.DataFrame(
        [(lib.perfkit_complexity_name(m.law).decode(), m.coefficient, m.exponent,
          m.rms, m.rss_log, m.aicc) for m in r.models],
        columns=["law", "coefficient", "exponent", "rms", "rss_log", "aicc"])
    return ComplexityFit(lib.perfkit_complexity_name(r.best.law).decode(),
                         r.best.coefficient, r.best.exponent, r.n, models)
