# SPDX-License-Identifier: MIT
"""perfkit.timeit on the library's runner, and the statistics functions."""

import functools
import math

import numpy as np
import pytest

import perfkit

QUICK = dict(max_time=0.3, min_sample_time=0.001)


def test_timeit_returns_consistent_stats():
    st = perfkit.timeit(sum, range(100), **QUICK)
    assert isinstance(st, perfkit.Stats)
    assert st.n == len(st.samples) >= 10
    assert isinstance(st.samples, np.ndarray) and st.samples.dtype == np.float64
    assert st.min <= st.ci_low <= st.median <= st.ci_high <= st.max
    assert st.iterations >= 1
    assert st.stop_reason in ("precision", "samples", "time")
    assert st.timer_overhead_ns > 0 and st.timer_resolution_ns > 0
    assert st.elapsed_ns > 0
    assert st.median == pytest.approx(np.median(st.samples))
    assert st.mad == pytest.approx(np.median(np.abs(st.samples - np.median(st.samples))))
    p = st.percentiles
    assert p[1] <= p[25] <= p[50] <= p[75] <= p[99]
    assert p[50] == pytest.approx(st.median)
    assert "median" in str(st) and "calls" in str(st)
    assert st.ci == (st.ci_low, st.ci_high)


def test_timeit_calls_the_function_with_its_arguments():
    seen = []

    def f(a, b):
        seen.append((a, b))

    perfkit.timeit(f, 1, "x", iterations=3, min_samples=2, max_samples=2, warmup=0)
    assert set(seen) == {(1, "x")}
    assert len(seen) >= 3 * 2 and len(seen) % 3 == 0  # whole samples of 3 calls


def test_fixed_iterations_and_samples():
    st = perfkit.timeit(lambda: None, iterations=50, min_samples=7, max_samples=7)
    assert st.iterations == 50 and st.n == 7
    assert st.stop_reason in ("samples", "precision")


def test_keyword_arguments_through_partial():
    st = perfkit.timeit(functools.partial(sorted, [3, 1, 2], reverse=True), **QUICK)
    assert st.median > 0


def test_exceptions_of_the_function_propagate():
    calls = []

    def boom():
        calls.append(1)
        if len(calls) > 5:
            raise ZeroDivisionError("stop")

    with pytest.raises(ZeroDivisionError, match="stop"):
        perfkit.timeit(boom, **QUICK)


def test_keyboard_interrupt_propagates():
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        perfkit.timeit(interrupted, **QUICK)


def test_too_fast_to_time_is_a_range_error():
    # a sample can never last a second within 10 calls of a no-op
    with pytest.raises(perfkit.RangeError):
        perfkit.timeit(lambda: None, min_sample_time=1.0, max_iterations=10)


def test_stats_matches_numpy():
    x = np.random.default_rng(1).normal(100, 5, 101)
    st = perfkit.stats(x)
    assert st.n == 101
    assert st.median == pytest.approx(np.median(x))
    assert st.mean == pytest.approx(x.mean())
    assert st.stddev == pytest.approx(x.std(ddof=1))
    assert st.ci_coverage >= 0.95
    assert np.array_equal(st.samples, x)
    assert perfkit.stats([3.0]).n == 1 and math.isnan(perfkit.stats([3.0]).stddev)


def test_percentiles_match_numpy():
    x = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert perfkit.percentiles(x, 50) == 3.0
    got = perfkit.percentiles(x, [0, 10, 90, 100])
    assert np.allclose(got, np.percentile(x, [0, 10, 90, 100]))
    st = perfkit.stats(x)
    assert st.percentile(25) == pytest.approx(np.percentile(x, 25))


def test_two_sample():
    x = np.arange(20, dtype=float)
    r = perfkit.two_sample(x, x + 100)
    assert r.p_value < 0.001 and r.shift == pytest.approx(100)
    assert r.ci_low <= r.shift <= r.ci_high
    same = perfkit.two_sample(x, x)
    assert same.p_value > 0.5
    with pytest.raises(ValueError):
        perfkit.two_sample([], x)


def test_gc_off_while_timing_then_restored():
    import gc
    states = []
    perfkit.timeit(lambda: states.append(gc.isenabled()), iterations=5, min_samples=1,
                   max_samples=1, warmup=0)
    assert gc.isenabled() and not any(states)
    states.clear()
    perfkit.timeit(lambda: states.append(gc.isenabled()), iterations=5, min_samples=1,
                   max_samples=1, warmup=0, gc=True)
    assert all(states)
