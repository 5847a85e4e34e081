# SPDX-License-Identifier: MIT
"""Repeated measurement (``perfkit.timeit``) and robust statistics."""

from __future__ import annotations

import ctypes
import gc as _gc
import itertools
from ctypes import POINTER, byref, c_double, c_size_t, c_void_p
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from . import _args
from . import _structs as S
from ._lib import call, lib, raise_for

__all__ = ["Stats", "TwoSample", "timeit", "stats", "percentiles", "two_sample"]

_STOP_NAMES = {1: "precision", 2: "samples", 3: "time"}


@dataclass
class Stats:
    """Summary of a sample of measurements, in the unit of the input.

    From :func:`timeit` every figure is ns per call. ``ci_low``/``ci_high``
    is the distribution-free 95 % interval of the median; ``mad`` is the raw
    median absolute deviation (multiply by 1.4826 for a normal sigma).
    """
    n: int
    min: float
    max: float
    mean: float
    median: float
    stddev: float
    mad: float
    cv: float
    ci_low: float
    ci_high: float
    ci_coverage: float
    outliers: int
    #: The raw values (ns per call for timeit), in the order taken.
    samples: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))
    #: timeit only: calls per sample (calibrated or fixed).
    iterations: int = 0
    #: timeit only: "precision", "samples" or "time".
    stop_reason: str = ""
    #: timeit only: measured cost of one clock read, ns (never subtracted).
    timer_overhead_ns: float = float("nan")
    #: timeit only: measured resolution of the monotonic clock, ns.
    timer_resolution_ns: float = float("nan")
    #: timeit only: wall time of the whole run (calibration included), ns.
    elapsed_ns: float = float("nan")

    def percentile(self, p: Union[float, Sequence[float]]) -> Union[float, np.ndarray]:
        """Percentile(s) of the samples (numpy's default 'linear' method)."""
        return percentiles(self.samples, p)

    @property
    def percentiles(self) -> dict:
        """The 1st, 5th, 25th, 50th, 75th, 95th and 99th percentiles."""
        ps = (1, 5, 25, 50, 75, 95, 99)
        return dict(zip(ps, np.atleast_1d(percentiles(self.samples, ps))))

    @property
    def ci(self) -> tuple:
        """(ci_low, ci_high)."""
        return (self.ci_low, self.ci_high)

    def __str__(self) -> str:
        unit = " ns" if self.iterations else ""
        s = "median %.6g%s, 95%% CI [%.6g, %.6g], MAD %.3g, %d samples" % (
            self.median, unit, self.ci_low, self.ci_high, self.mad, self.n)
        if self.iterations:
            s = "%s x %d calls, stopped by %s" % (s, self.iterations, self.stop_reason)
        return s


def _from_c(st: S.Stats, samples: np.ndarray) -> Stats:
    return Stats(int(st.n), st.min, st.max, st.mean, st.median, st.stddev, st.mad,
                 st.cv, st.ci_low, st.ci_high, st.ci_coverage, int(st.outliers),
                 samples)


def stats(values: Sequence[float]) -> Stats:
    """Summarise a sample (median, its CI, MAD, outliers, ...).

    Raises:
        InvalidArgumentError: empty, or a value is NaN or infinite.
    """
    x = _args.doubles(values, "values", "stats")
    st = S.Stats()
    call("perfkit_stats_compute", _args.ptr(x), len(x), byref(st))
    return _from_c(st, x)


def percentiles(values: Sequence[float], p: Union[float, Sequence[float]]) -> Union[float, np.ndarray]:
    """Percentiles by linear interpolation (numpy's default, R's type 7).

    A scalar ``p`` gives a float, a sequence an array."""
    x = _args.doubles(values, "values", "percentiles")
    ps = _args.doubles(p, "p", "percentiles")
    out = np.empty(len(ps))
    call("perfkit_stats_percentiles", _args.ptr(x), len(x), _args.ptr(ps), len(ps),
         _args.ptr(out))
    return float(out[0]) if np.ndim(p) == 0 else out


@dataclass(frozen=True)
class TwoSample:
    """Mann-Whitney U test and Hodges-Lehmann shift y - x with its 95 % CI."""
    nx: int
    ny: int
    u: float
    p_value: float
    exact: bool
    shift: float
    ci_low: float
    ci_high: float
    ci_coverage: float


def two_sample(x: Sequence[float], y: Sequence[float]) -> TwoSample:
    """Compare two independent samples ("before" x, "after" y)."""
    a = _args.doubles(x, "x", "two_sample")
    b = _args.doubles(y, "y", "two_sample")
    r = S.TwoSample()
    call("perfkit_stats_two_sample", _args.ptr(a), len(a), _args.ptr(b), len(b), byref(r))
    return TwoSample(int(r.nx), int(r.ny), r.u, r.p_value, bool(r.exact), r.shift,
                     r.ci_low, r.ci_high, r.ci_coverage)


class _Work:
    """The C callback: runs func(*args) `iterations` times, as timeit's
    inner loop does; the first exception stops the work and is re-raised
    once the runner returns."""

    def __init__(self, func: Callable[..., Any], args: tuple) -> None:
        self.func = func
        self.args = args
        self.error: Optional[BaseException] = None
        self.c_fn = S.RUNNER_FN(self._run)

    def _run(self, user: Any, iterations: int) -> None:
        if self.error is not None:
            return
        func, args, repeat = self.func, self.args, itertools.repeat
        try:
            if args:
                for _ in repeat(None, iterations):
                    func(*args)
            else:
                for _ in repeat(None, iterations):
                    func()
        except BaseException as e:  # noqa: B902 - re-raised after the run
            self.error = e


def _configure(r: c_void_p, precision: float, min_sample_time: float, warmup: int,
               warmup_time: float, iterations: Optional[int], max_iterations: Optional[int],
               min_samples: int, max_samples: int, max_time: float) -> None:
    fn = "timeit"
    call("perfkit_runner_set_precision", r, _args.real(precision, "precision", fn))
    call("perfkit_runner_set_min_sample_time", r,
         _args.real(min_sample_time, "min_sample_time", fn))
    call("perfkit_runner_set_warmup", r, _args.u64(warmup, "warmup", fn),
         _args.real(warmup_time, "warmup_time", fn))
    if iterations is not None:
        call("perfkit_runner_set_iterations", r, _args.u64(iterations, "iterations", fn, 1))
    if max_iterations is not None:
        call("perfkit_runner_set_max_iterations", r,
             _args.u64(max_iterations, "max_iterations", fn))
    call("perfkit_runner_set_samples", r, _args.u64(min_samples, "min_samples", fn),
         _args.u64(max_samples, "max_samples", fn))
    call("perfkit_runner_set_max_time", r, _args.real(max_time, "max_time", fn))


def timeit(func: Callable[..., Any], *args: Any, precision: float = 0.01,
           min_sample_time: float = 0.01, warmup: int = 1, warmup_time: float = 0.0,
           iterations: Optional[int] = None, max_iterations: Optional[int] = None,
           min_samples: int = 10, max_samples: int = 1000,
           max_time: float = 2.0, gc: bool = False) -> Stats:
    """Time ``func(*args)`` with libperfkit's runner; figures in ns per call.

    The runner calibrates the calls per sample so that one sample lasts at
    least ``min_sample_time`` seconds, runs ``warmup`` samples (and at least
    ``warmup_time`` s), then takes samples until the 95 % CI of the median is
    within ``precision`` (relative half-width), or ``max_samples`` are
    taken, or the next sample would end past ``max_time`` seconds (counted
    from the start, calibration included); never fewer than
    ``min_samples``. ``iterations`` fixes the calls per sample instead.

    Each call goes through the interpreter's loop, as ``timeit.timeit``'s
    does, so the figures include the cost of a Python call; and as timeit
    does, the garbage collector is off while timing unless ``gc=True``. The clock's
    read cost is reported (``timer_overhead_ns``), never subtracted.
    Keyword arguments for ``func``: use ``functools.partial``.

    Raises:
        TypeError: ``func`` is not callable.
        InvalidArgumentError: an option is out of range.
        RangeError: calibration reached ``max_iterations`` with samples still
            shorter than ``min_sample_time``.
        Whatever ``func`` raised, after the runner stopped.
    """
    if not callable(func):
        raise TypeError("timeit: func must be callable, not %s" % type(func).__name__)
    r = c_void_p()
    call("perfkit_runner_new", byref(r))
    res = c_void_p()
    try:
        _configure(r, precision, min_sample_time, warmup, warmup_time, iterations,
                   max_iterations, min_samples, max_samples, max_time)
        work = _Work(func, args)
        was_on = _gc.isenabled()
        if not gc:
            _gc.disable()
        try:
            lib.perfkit_clear_error()
            rc = lib.perfkit_runner_run(r, work.c_fn, None, byref(res))
        finally:
            if was_on:
                _gc.enable()
        if work.error is not None:
            raise work.error
        if rc < 0:
            raise_for(rc, "perfkit_runner_run")
        return _result(res)
    finally:
        lib.perfkit_runner_result_destroy(res)
        lib.perfkit_runner_destroy(r)


def _result(res: c_void_p) -> Stats:
    st = S.Stats()
    call("perfkit_runner_result_stats", res, byref(st))
    ptr = POINTER(c_double)()
    n = c_size_t()
    call("perfkit_runner_result_samples", res, byref(ptr), byref(n))
    samples = np.ctypeslib.as_array(ptr, shape=(n.value,)).copy() if n.value else np.empty(0)
    out = _from_c(st, samples)
    out.iterations = int(lib.perfkit_runner_result_iterations(res))
    out.stop_reason = lib.perfkit_runner_stop_name(
        lib.perfkit_runner_result_stop_reason(res)).decode()
    out.timer_overhead_ns = lib.perfkit_runner_result_timer_overhead_ns(res)
    out.timer_resolution_ns = lib.perfkit_runner_result_timer_resolution_ns(res)
    out.elapsed_ns = lib.perfkit_runner_result_elapsed_ns(res)
    return out
