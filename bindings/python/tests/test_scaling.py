# SPDX-License-Identifier: MIT
"""perfkit.scaling: tables as DataFrames, the laws, fits with uncertainty,
the optimal worker count and cost."""

import math

import numpy as np
import pandas as pd
import pytest

import perfkit
from perfkit import scaling

P = [1, 2, 4, 8]
T = [10.0, 5.5, 3.25, 2.125]  # Amdahl with f = 0.1 exactly


def test_strong_table():
    df = scaling.strong_table(P, T)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["workers", "repeats", "time", "time_sd", "time_min",
                                "speedup", "efficiency", "karp_flatt"]
    assert df["speedup"].tolist() == pytest.approx([1, 10 / 5.5, 10 / 3.25, 10 / 2.125])
    assert math.isnan(df["karp_flatt"][0])
    assert df["karp_flatt"][1:].tolist() == pytest.approx([0.1, 0.1, 0.1])


def test_strong_table_repeats_and_order():
    df = scaling.strong_table(np.array([4, 1, 4, 1]), pd.Series([3.0, 10.0, 3.5, 10.0]))
    assert df["workers"].tolist() == [1, 4]
    assert df["repeats"].tolist() == [2, 2]
    assert df["time"][1] == pytest.approx(3.25)


def test_laws():
    assert scaling.amdahl_speedup(0.1, 8) == pytest.approx(1 / (0.1 + 0.9 / 8))
    s = scaling.amdahl_speedup(0.1, np.array([1, 2, 4]))
    assert isinstance(s, np.ndarray) and s.shape == (3,)
    assert scaling.amdahl_speedup([0.0, 0.5], 2).tolist() == pytest.approx([2.0, 4 / 3])
    assert scaling.amdahl_limit(0.1) == pytest.approx(10)
    assert scaling.amdahl_limit(0) == math.inf
    assert scaling.karp_flatt(10 / 3.25, 4) == pytest.approx(0.1)
    assert scaling.amdahl_serial_fraction(10 / 3.25, 4) == pytest.approx(0.1)
    assert scaling.gustafson_speedup(0.1, 8) == pytest.approx(8 - 0.1 * 7)
    assert scaling.gustafson_serial_fraction(7.3, 8) == pytest.approx(0.1)
    with pytest.raises(perfkit.DomainError):
        scaling.karp_flatt(1.0, 1)
    with pytest.raises(ValueError):
        scaling.amdahl_speedup(1.5, 2)
    with pytest.raises(ValueError):
        scaling.amdahl_speedup([0.1, 0.2], [1, 2, 3])


def test_amdahl_fits():
    df = scaling.strong_table(P, T)
    fit = scaling.amdahl_fit(df.workers, df.speedup)
    assert fit.f == pytest.approx(0.1) and fit.limit == pytest.approx(10)
    assert fit.n == 3
    rng = np.random.default_rng(7)
    p = np.repeat([1, 2, 4, 8, 16], 3)
    t = 10 * (0.07 + 0.93 / p) * rng.normal(1, 0.01, p.size)
    ft = scaling.amdahl_fit_times(p, t)
    assert ft.f.ci[0] <= ft.f.value <= ft.f.ci[1]
    assert ft.f.ci[0] < 0.07 < ft.f.ci[1] or abs(ft.f.value - 0.07) < 0.01
    assert ft.t1.value == pytest.approx(10, rel=0.05)
    assert ft.limit == pytest.approx(1 / ft.f.value)
    g = scaling.gustafson_fit_times(p, 10 * p / (p - 0.2 * (p - 1)) * rng.normal(1, 0.01, p.size))
    assert g.f.ci[0] <= g.f.value <= g.f.ci[1]
    assert g.f.value == pytest.approx(0.2, abs=0.05)
    with pytest.raises(perfkit.DomainError):
        scaling.amdahl_fit([1, 1], [1, 1])


def test_weak_table_is_the_cosmoflow_table():
    ranks = [1, 2, 4, 8]
    samples = [512 * r for r in ranks]
    times = [10.0, 10.2, 10.5, 11.0]
    df = scaling.weak_table(ranks, samples, times)
    thr = np.array(samples) / np.array(times)
    assert df["throughput"].tolist() == pytest.approx(thr)
    assert df["ideal"].tolist() == pytest.approx(np.array(ranks) * thr[0])
    assert df["efficiency"].tolist() == pytest.approx(thr / (np.array(ranks) * thr[0]))


def test_epochs_and_samples():
    assert scaling.epoch_mean([0, 1, 2], [30.0, 10.0, 12.0]) == pytest.approx(11.0)
    assert scaling.epoch_mean([0, 1, 2], [30.0, 10.0, 12.0], warmup=0) == pytest.approx(52 / 3)
    with pytest.raises(perfkit.DomainError):
        scaling.epoch_mean([0], [30.0])
    assert scaling.samples_per_epoch(1000, 200, shard=False, ranks=4) == 4800
    assert scaling.samples_per_epoch(1000, 200, shard=True, ranks=4) == 1200


def test_usl_fit_recovers_known_parameters():
    n = np.array([1, 2, 4, 8, 16, 32, 64], dtype=float)
    alpha, beta, gamma = 0.05, 0.001, 100.0
    x = gamma * n / (1 + alpha * (n - 1) + beta * n * (n - 1))
    x = x * np.random.default_rng(3).normal(1, 0.005, n.size)
    fit = scaling.usl_fit(n, x)
    assert fit.alpha == pytest.approx(alpha, abs=0.02)
    assert fit.beta == pytest.approx(beta, abs=0.0005)
    assert fit.gamma == pytest.approx(gamma, rel=0.05)
    for name in ("alpha", "beta", "gamma"):
        lo, hi = getattr(fit, name + "_interval").ci
        assert lo <= getattr(fit, name) <= hi
        assert getattr(fit, name + "_se") > 0
    assert fit.peak_n == pytest.approx(math.sqrt((1 - fit.alpha) / fit.beta))
    assert fit.limit == pytest.approx(fit.gamma / fit.alpha)
    assert fit.cov.shape == (3, 3) and fit.r2 > 0.99
    y, se, (lo, hi) = fit.predict(10)
    assert lo <= y <= hi and se > 0
    assert fit(10) == pytest.approx(y)
    assert fit([1, 2]).shape == (2,)
    plain = scaling.usl_fit(n, x, profile=False)
    assert plain.alpha == pytest.approx(fit.alpha) and plain.alpha_interval is None
    with pytest.raises(perfkit.DomainError):
        scaling.usl_fit([1, 2, 3], [1, 2, 3])
    assert scaling.usl_eval(0, 0, 2.0, 8) == 16.0


def test_optimal_and_cost():
    df = scaling.strong_table(P, T)
    assert scaling.optimal_workers(df.workers, df.efficiency, 0.6) == 4
    with pytest.raises(perfkit.DomainError):
        scaling.optimal_workers(df.workers, df.efficiency, 1.5)
    cost = scaling.cost_table(df.workers, df.time * 3600, price=0.10)
    assert cost["worker_hours"].tolist() == pytest.approx((df.workers * df.time).tolist())
    assert cost["cost"].tolist() == pytest.approx((0.10 * df.workers * df.time).tolist())
    i = scaling.cheapest(df.workers, df.time * 3600, price=0.10, max_time_s=6 * 3600)
    assert df.workers[i] == 2
    with pytest.raises(perfkit.DomainError):
        scaling.cheapest(df.workers, df.time, price=1.0, max_time_s=0.001)


def test_points_from_results():
    res = perfkit.Results()
    for w in (1, 2, 4):
        for i in range(w):
            res.append(perfkit.Record(name="k", worker=i, t_submit=0.0, t_start=0.1,
                                      t_setup=0.1, t_end=1.0 / w, t_collected=1.0 / w + 0.1,
                                      flops=1e9, elapsed=1.0 / w - 0.1,
                                      params={"workers": str(w)}))
    pts = scaling.points_from_results(res, "workers", "throughput_flops")
    assert pts["workers"].tolist() == [1, 2, 4]
    assert pts["records"].tolist() == [1, 2, 4]
    assert pts["span"].tolist() == ["submit_collected"] * 3
    assert pts["value"].tolist() == pytest.approx(pts["flops"] / pts["makespan"])
    with pytest.raises(perfkit.NotFoundError):
        scaling.points_from_results(res, "nokey")
    with pytest.raises(TypeError):
        scaling.points_from_results([1, 2], "workers")


def test_complexity_fit():
    n = np.array([100, 200, 400, 800, 1600], dtype=float)
    noise = np.array([1.01, 0.99, 1.0, 1.02, 0.98])
    fit = scaling.complexity_fit(n, 3e-9 * n**2 * noise)
    assert fit.law == "O(n^2)"
    assert fit.coefficient == pytest.approx(3e-9, rel=0.05)
    assert len(fit.models) == 7


def test_interval_from_the_c_fit_parameter():
    from perfkit import _structs as S
    p = S.FitParam()
    p.value, p.ci[0], p.ci[1], p.flags = 0.25, 0.0, 0.5, 1 | 4
    iv = scaling.Interval.from_c(p)
    assert iv.value == 0.25 and iv.ci == (0.0, 0.5)
    assert iv.at_lower and not iv.at_upper and iv.ci_to_lower and not iv.ci_to_upper
