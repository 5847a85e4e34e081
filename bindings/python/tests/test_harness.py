# SPDX-License-Identifier: MIT
"""perfkit.harness: runs, sweeps and the pywren notebook's aggregates, on
small problems (no speed is asserted; rates are checked positive, finite
and below the machine's theoretical peak where it is known)."""

import math

import numpy as np
import pytest

import perfkit
from perfkit import harness

SMALL = dict(kernel="dgemm", size=64, loopcount=2)


def test_kernels_listed():
    k = harness.kernels()
    assert "dgemm" in k and "peak" in k
    assert all(isinstance(v, str) for v in k.values())


def test_run_one_record_per_worker():
    res = harness.run(workers=2, **SMALL)
    df = res.to_pandas()
    assert len(df) == 2 and df["worker"].tolist() == [0, 1]
    assert (df["status"] == 0).all()
    assert (df["flops"] == 2 * 64**3 * 2).all()
    assert (df["t_submit"] <= df["t_start"]).all() and (df["t_end"] <= df["t_collected"]).all()
    assert (df["workers"] == 2).all() and (df["mode"].astype(str) == "threads").all()
    assert res.meta["harness.kernel"] == "dgemm"
    s = harness.summarize(res)
    assert s["workers"] == 2 and s["failed"] == 0
    assert 0 < s["effective_gflops"] < math.inf
    assert s["effective_gflops"] <= s["concurrent_gflops"] * 1.001
    if not math.isnan(s["machine_gflops"]):
        assert s["concurrent_gflops"] <= s["machine_gflops"] * 1.05


def test_processes_and_progress():
    seen = []
    res = harness.run(workers=2, mode="processes", progress=seen.append, **SMALL)
    assert len(res) == 2
    assert [p.done for p in seen] == [1, 2] and seen[-1].total == 2
    assert seen[0].record.name == "dgemm"


def test_progress_exception_stops_and_propagates():
    def stop(p):
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        harness.sweep_workers([1, 2], progress=stop, **SMALL)


def test_sweep_workers_and_points():
    res = harness.sweep_workers([1, 2], **SMALL)
    df = res.to_pandas()
    assert sorted(df["workers"].unique().tolist()) == [1, 2]
    assert len(df) == 3
    one = harness.summarize(res, "workers", 2)
    assert one["workers"] == 2
    pts = perfkit.scaling.points_from_results(res, "workers", "throughput_flops")
    assert pts["workers"].tolist() == [1, 2] and (pts["value"] > 0).all()


def test_sweep_sizes():
    res = harness.sweep_sizes([32, 64], kernel="dgemm", loopcount=1, workers=1)
    assert sorted(res.to_pandas()["problem_size"].tolist()) == [32, 64]


def test_timelines_and_histogram():
    res = harness.run(workers=2, **SMALL)
    t, g = harness.peak_timeline(res, bin_width=0.001)
    assert len(t) == len(g) >= 1 and (g >= 0).all()
    te, ge = harness.effective_timeline(res)
    assert len(te) == 2 and (np.diff(te) >= 0).all() and (ge > 0).all()
    counts, below, above = harness.histogram(res, [0, 1e6])
    assert counts.sum() + below + above == 2
    factor, text = harness.oversubscription(res)
    assert factor > 0 and isinstance(text, str)


@pytest.mark.parametrize("opts,exc", [
    (dict(kernel="nonexistent"), perfkit.Error),
    (dict(size=-5), ValueError),
    (dict(workers=10**6), ValueError),
    (dict(workers=2**40), ValueError),
    (dict(mode="fibers"), ValueError),
    (dict(placement=None), TypeError),
    (dict(loopcount=-1), ValueError),
    (dict(stagger=math.nan), ValueError),
    (dict(kernel=None), TypeError),
])
def test_bad_options(opts, exc):
    args = dict(SMALL, workers=1)
    args.update(opts)
    with pytest.raises(exc):
        harness.run(**args)


def test_bad_arguments():
    with pytest.raises(TypeError):
        harness.summarize([1, 2])
    with pytest.raises(TypeError):
        harness.sweep_workers([1], nonsense=3, **SMALL)
    with pytest.raises(ValueError):
        harness.peak_timeline(perfkit.Results(), bin_width=0)
