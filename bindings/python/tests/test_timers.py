# SPDX-License-Identifier: MIT
"""Clocks, Stopwatch and regions as context managers and decorators, and
the profile as text and as a DataFrame."""

import json
import threading
import time

import numpy as np
import pandas as pd
import pytest

import perfkit


def test_now_ns_is_monotonic_and_agrees_with_python():
    a = perfkit.now_ns()
    b = time.monotonic_ns()
    c = perfkit.now_ns()
    assert a <= c
    assert abs(b - a) < 10**9  # the same clock (CLOCK_MONOTONIC)


@pytest.mark.parametrize("clock", ["monotonic", "process_cpu", "thread_cpu", "ticks"])
def test_clocks(clock):
    a = perfkit.clock_ns(clock)
    b = perfkit.clock_ns(clock)
    assert 0 <= a <= b
    info = perfkit.clock_info(clock)
    assert info.reads > 0 and info.overhead_ns >= 0
    assert info.clock == clock.replace("_", "-")  # the library's name


def test_ticks():
    assert perfkit.ticks_rate() > 0
    assert perfkit.ticks() <= perfkit.ticks()


def test_stopwatch_methods():
    sw = perfkit.Stopwatch()
    assert not sw.running and sw.elapsed_ns == 0
    sw.start()
    assert sw.running
    time.sleep(0.002)
    lap = sw.lap()
    sw.stop()
    assert lap >= 2_000_000
    assert sw.elapsed_ns >= lap
    assert list(sw.laps) == [lap]
    frozen = sw.elapsed_ns
    time.sleep(0.001)
    assert sw.elapsed_ns == frozen  # stopped
    sw.reset()
    assert sw.elapsed_ns == 0 and len(sw.laps) == 0
    with pytest.raises(perfkit.InvalidArgumentError):
        sw.stop()
    sw.start()
    with pytest.raises(perfkit.InvalidArgumentError):
        sw.start()


def test_stopwatch_resume_keeps_time_and_laps():
    sw = perfkit.Stopwatch().start()
    time.sleep(0.002)
    sw.lap()
    sw.stop()
    first = sw.elapsed_ns
    assert sw.resume() is sw and sw.running
    time.sleep(0.002)
    sw.stop()
    assert sw.elapsed_ns >= first + 2_000_000 and len(sw.laps) == 1
    sw.resume()
    with pytest.raises(perfkit.InvalidArgumentError, match="running"):
        sw.resume()


def test_stopwatch_context_manager_adds_up():
    sw = perfkit.Stopwatch()
    for _ in range(3):
        with sw:
            time.sleep(0.001)
        assert not sw.running
    assert sw.elapsed >= 0.003


def test_stopwatch_decorator_one_lap_per_call():
    sw = perfkit.Stopwatch()

    @sw
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)

    assert fact(5) == 120 and fact(3) == 6
    laps = sw.laps
    assert laps.dtype == np.uint64 and len(laps) == 2
    assert sw.elapsed_ns >= int(laps.sum()) > 0
    assert fact.__name__ == "fact"


def test_stopwatch_lap_bound():
    sw = perfkit.Stopwatch()
    sw.set_max_laps(2)
    sw.start()
    sw.lap()
    sw.lap()
    with pytest.raises(perfkit.RangeError):
        sw.lap()
    assert sw.running


def test_region_context_manager_and_decorator():
    perfkit.reset_profile()

    @perfkit.region("generate")
    def generate(i):
        return np.arange(100) * i

    for i in range(10):
        with perfkit.region("step"):
            generate(i)
            with perfkit.region("write"):
                time.sleep(0.0005)
    df = perfkit.profile(threads="thread").to_pandas()
    rows = df.set_index("name")
    assert set(rows.index) == {"step", "generate", "write"}
    assert (rows["calls"] == 10).all()
    assert (rows["tottime_s"] <= rows["cumtime_s"] + 1e-12).all()
    assert rows.loc["step", "cumtime_s"] >= rows.loc["write", "cumtime_s"]
    assert rows.loc["write", "cumtime_s"] >= 10 * 0.0005
    assert abs(df["tottime_percent"].sum() - 100) < 1e-6
    assert perfkit.region("x").name == "x"


def test_region_ends_on_exceptions():
    perfkit.reset_profile()
    with pytest.raises(KeyError):
        with perfkit.region("fails"):
            raise KeyError("x")
    p = perfkit.profile("thread")
    assert len(p) == 1
    assert p.to_pandas()["calls"].tolist() == [1]


def test_profile_text_and_edges():
    perfkit.reset_profile()
    with perfkit.region("outer"):
        with perfkit.region("inner"):
            pass
    p = perfkit.profile()
    table = p.table()
    assert table.startswith("# perfkit regions") and "outer" in table
    text = p.text(sort="cumtime")
    assert "sorted by cumtime" in text and "inner" in text
    assert str(p) == p.text()
    edges = p.edges()
    pair = edges[edges.callee == "inner"]
    assert pair["caller"].tolist() == ["outer"]
    assert None in edges["caller"].tolist()  # outer at the top level
    assert p.total_ns > 0 and p.dropped == 0 and p.thread_count >= 1
    with pytest.raises(ValueError):
        p.text(sort="random")


def test_regions_from_threads_are_merged():
    perfkit.reset_profile()

    def work():
        for _ in range(5):
            with perfkit.region("threaded"):
                pass

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    df = perfkit.profile("all").to_pandas().set_index("name")
    assert df.loc["threaded", "calls"] == 15
    assert df.loc["threaded", "threads"] >= 1


def test_deep_nesting_is_dropped_not_raised():
    perfkit.reset_profile()

    @perfkit.region("deep")
    def deep(n):
        return 0 if n == 0 else deep(n - 1)

    deep(200)  # deeper than the library's 128 levels
    p = perfkit.profile("thread")
    assert p.dropped > 0
    assert p.to_pandas().set_index("name").loc["deep", "calls"] >= 1


def test_overhead_and_clock():
    assert perfkit.region_overhead_ns() > 0
    assert perfkit.region_clock() in ("ticks", "monotonic")


def test_trace(tmp_path):
    perfkit.trace_start(max_events=1000)
    with perfkit.region("traced"):
        pass
    perfkit.trace_stop()
    counts = perfkit.trace_counts()
    assert counts["events"] >= 1
    path = tmp_path / "trace.json"
    perfkit.trace_write(str(path))
    doc = json.loads(path.read_text())
    assert any(e.get("name") == "traced" for e in doc["traceEvents"])
    with pytest.raises(perfkit.Error):
        perfkit.trace_write(str(tmp_path / "missing" / "t.json"))
    with pytest.raises(ValueError):
        perfkit.trace_start(max_events=0)
