# SPDX-License-Identifier: MIT
"""Python callables as harness kernels (perfkit.harness.register_kernel):
runs in threads mode, the records' counts and timestamps, exceptions and
Ctrl-C, registration lifetime and bad input. No speed is asserted: rates
are checked positive, finite and below the machine's theoretical peak
where it is known."""

import errno
import gc
import itertools
import math
import os
import signal
import threading
import time

import numpy as np
import pytest

import perfkit
from perfkit import harness

_ids = itertools.count()


def uniq(stem):
    """A fresh kernel name: registrations last for the whole process."""
    return "py.%s.%d.%d" % (stem, os.getpid(), next(_ids))


class Calls:
    """Counts the callbacks, from any thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.n = {"setup": 0, "run": 0, "verify": 0, "teardown": 0}

    def hit(self, what):
        with self.lock:
            self.n[what] += 1


def sumsq_kernel(calls=None, **extra):
    def setup(n):
        calls and calls.hit("setup")
        return {"x": np.arange(n, dtype=np.float64) % 16, "s": None}

    def run(st):
        calls and calls.hit("run")
        st["s"] = float(np.dot(st["x"], st["x"]))

    def verify(st):
        calls and calls.hit("verify")
        return st["s"] == float(((np.arange(len(st["x"])) % 16) ** 2).sum())

    def teardown(st):
        calls and calls.hit("teardown")
        st.clear()

    opts = dict(setup=setup, verify=verify, teardown=teardown,
                flops=lambda n: 2 * n, bytes=lambda n: 8 * n,
                description="s = x.x with numpy")
    opts.update(extra)
    return harness.register_kernel(uniq("sumsq"), run, **opts)


def test_run_threads_records_counts_and_callbacks():
    calls = Calls()
    k = sumsq_kernel(calls)
    assert isinstance(k, harness.Kernel) and k.flops(1000) == 2000.0 and k.bytes(10) == 80.0
    assert harness.kernels()[k.name] == "s = x.x with numpy"
    res = harness.run(kernel=k, size=10000, loopcount=5, workers=2)
    df = res.to_pandas()
    assert len(df) == 2 and (df["status"] == 0).all()
    assert (df["name"].astype(str) == k.name).all()
    assert (df["flops"] == 2 * 10000 * 5).all() and (df["bytes"] == 8 * 10000 * 5).all()
    assert (df["repetitions"] == 5).all() and (df["elapsed"] > 0).all()
    assert (df["t_start"] <= df["t_setup"]).all() and (df["t_setup"] <= df["t_end"]).all()
    assert calls.n == {"setup": 2, "run": 10, "verify": 2, "teardown": 2}
    s = harness.summarize(res)
    assert s["failed"] == 0 and 0 < s["effective_gflops"] < math.inf
    if not math.isnan(s["machine_gflops"]):
        assert s["concurrent_gflops"] <= s["machine_gflops"] * 1.05


def test_setup_is_outside_the_timed_part():
    def setup(n):
        time.sleep(0.2)
        return n

    k = harness.register_kernel(uniq("slowsetup"), lambda st: None, setup=setup, flops=1)
    df = harness.run(kernel=k, size=1, loopcount=1, workers=1).to_pandas()
    assert (df["t_setup"] - df["t_start"]).iloc[0] >= 0.19  # the sleep, counted as setup
    assert df["flops"].iloc[0] == 1.0


def test_without_setup_the_state_is_the_size_and_counts_are_numbers():
    seen = []
    k = harness.register_kernel(uniq("plain"), seen.append, flops=3, bytes=0)
    df = harness.run(kernel=k.name, size=77, loopcount=2, workers=1).to_pandas()
    assert seen == [77, 77] and df["flops"].iloc[0] == 6.0 and df["bytes"].iloc[0] == 0.0


def test_decorator_and_run_by_name():
    name = uniq("deco")

    @harness.kernel(name, setup=lambda n: np.ones((n, n)), flops=lambda n: 2.0 * n**3)
    def matmul(a):
        a @ a

    assert isinstance(matmul, harness.Kernel) and matmul.name == name
    matmul(np.eye(2))  # still callable
    res = harness.run(kernel=name, size=64, loopcount=3, workers=2)
    df = res.to_pandas()
    assert (df["status"] == 0).all() and (df["flops"] == 2.0 * 64**3 * 3).all()
    s = harness.summarize(res)
    assert 0 < s["effective_gflops"] < math.inf


def test_decorator_default_name_is_the_function_name():
    stem = "deco_default_%d_%d" % (os.getpid(), next(_ids))
    def f(a):
        pass

    f.__name__ = stem
    k = harness.kernel(flops=1)(f)
    assert k.name == stem and stem in harness.kernels()


def test_sweeps_and_progress():
    k = sumsq_kernel()
    seen = []
    res = harness.sweep_workers([1, 2], kernel=k, size=1000, loopcount=2, progress=seen.append)
    df = res.to_pandas()
    assert len(df) == 3 and (df["status"] == 0).all() and len(seen) == 3
    res = harness.sweep_sizes([100, 200], kernel=k, loopcount=2, workers=1)
    assert sorted(res.to_pandas()["flops"].tolist()) == [400.0, 800.0]


def test_warmup_and_staggered_start():
    calls = Calls()
    k = sumsq_kernel(calls)
    df = harness.run(kernel=k, size=100, loopcount=3, warmup=2, workers=2, start="staggered",
                     stagger=0.01).to_pandas()
    assert (df["status"] == 0).all() and (df["repetitions"] == 3).all()
    assert (df["flops"] == 2 * 100 * 3).all()  # the warm-up is not counted
    assert calls.n["run"] == 2 * (2 + 3)


def test_min_time_runs_python_kernels():
    k = harness.register_kernel(uniq("mintime"), lambda st: time.sleep(0.001), flops=1)
    df = harness.run(kernel=k, size=1, loopcount=0, min_time=0.05, workers=1).to_pandas()
    assert df["status"].iloc[0] == 0 and df["repetitions"].iloc[0] >= 1
    assert df["flops"].iloc[0] == df["repetitions"].iloc[0]


# ---- exceptions ----

def test_exception_in_run_is_reraised_with_the_records():
    def run(st):
        raise ZeroDivisionError("boom")

    k = harness.register_kernel(uniq("boom"), run, flops=1)
    with pytest.raises(ZeroDivisionError, match="boom") as ei:
        harness.run(kernel=k, size=10, loopcount=3, workers=2)
    df = ei.value.results.to_pandas()
    assert len(df) == 2 and (df["status"] == -errno.EIO).all()
    assert df["error"].str.contains("ZeroDivisionError: boom").all()
    assert df["error"].str.contains("run").all()
    assert any("e.results" in n for n in getattr(ei.value, "__notes__", []))


def test_exception_in_one_worker_leaves_the_others_alone():
    first = threading.Lock()

    def run(st):
        if first.acquire(blocking=False):
            raise ValueError("only once")

    k = harness.register_kernel(uniq("once"), run, flops=1)
    with pytest.raises(ValueError, match="only once") as ei:
        harness.run(kernel=k, size=10, loopcount=2, workers=2)
    status = sorted(ei.value.results.to_pandas()["status"].tolist())
    assert status == [-errno.EIO, 0]


def test_exception_in_setup_fails_the_worker():
    def setup(n):
        raise MemoryError("no room")

    k = harness.register_kernel(uniq("nomem"), lambda st: None, setup=setup)
    with pytest.raises(MemoryError) as ei:
        harness.run(kernel=k, size=10, loopcount=1, workers=2)
    df = ei.value.results.to_pandas()
    assert (df["status"] == -errno.ENOMEM).all() and df["error"].str.contains("setup").all()


def test_oserror_keeps_its_errno_and_teardown_errors_are_raised():
    def run(st):
        raise FileNotFoundError(errno.ENOENT, "gone")

    k = harness.register_kernel(uniq("enoent"), run)
    with pytest.raises(FileNotFoundError) as ei:
        harness.run(kernel=k, size=1, loopcount=1, workers=1)
    assert ei.value.results.to_pandas()["status"].iloc[0] == -errno.ENOENT

    def teardown(st):
        raise RuntimeError("leak")

    k = harness.register_kernel(uniq("teardown"), lambda st: None, teardown=teardown)
    with pytest.raises(RuntimeError, match="leak") as ei:
        harness.run(kernel=k, size=1, loopcount=1, workers=1)
    assert ei.value.results.to_pandas()["status"].iloc[0] == 0  # the record was final


def test_verify_false_fails_like_a_wrong_result():
    k = harness.register_kernel(uniq("wrong"), lambda st: None, verify=lambda st: False)
    with pytest.raises(perfkit.MalformedInputError) as ei:
        harness.run(kernel=k, size=1, loopcount=1, workers=2)
    df = ei.value.results.to_pandas()
    assert (df["status"] == -errno.EBADMSG).all() and df["error"].str.contains("verify").all()
    # verify=False in the run skips it
    res = harness.run(kernel=k, size=1, loopcount=1, workers=1, verify=False)
    assert res.to_pandas()["status"].iloc[0] == 0


def test_keyboard_interrupt_in_the_callable_stops_every_worker():
    first = threading.Lock()

    def run(st):
        if first.acquire(blocking=False):
            raise KeyboardInterrupt
        time.sleep(0.002)

    k = harness.register_kernel(uniq("kbd"), run)
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt) as ei:
        harness.run(kernel=k, size=1, loopcount=5000, workers=2)  # 10 s unless stopped
    assert time.monotonic() - t0 < 9
    df = ei.value.results.to_pandas()
    assert (df["status"] == -errno.ECANCELED).all()


def test_ctrl_c_stops_a_run_and_keeps_the_records():
    """SIGINT to the process (as Ctrl-C sends it), once the workers run."""
    count = itertools.count()

    def run(st):
        if next(count) == 20:
            os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.002)

    k = harness.register_kernel(uniq("ctrlc"), run)
    # Python's own handler, also where SIGINT was ignored at start (a
    # background job of a non-interactive shell)
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    t0 = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt) as ei:
            harness.run(kernel=k, size=1, loopcount=5000, workers=2)  # 10 s unless stopped
    finally:
        signal.signal(signal.SIGINT, old)
    assert time.monotonic() - t0 < 9
    df = ei.value.results.to_pandas()
    assert len(df) == 2 and (df["status"] == -errno.ECANCELED).all()
    assert df["error"].str.contains("KeyboardInterrupt").all()
    # the next run works
    assert len(harness.run(kernel=k, size=1, loopcount=1, workers=1)) == 1


def test_a_run_started_from_a_kernel_is_refused():
    inner = sumsq_kernel()

    def run(st):
        harness.run(kernel=inner, size=10, loopcount=1, workers=1)

    k = harness.register_kernel(uniq("nested"), run)
    with pytest.raises(RuntimeError, match="overlap"):
        harness.run(kernel=k, size=1, loopcount=1, workers=1)


# ---- modes and registration ----

def test_processes_mode_is_refused_before_any_call():
    k = sumsq_kernel()
    for call in (lambda: harness.run(kernel=k, mode="processes", size=10, loopcount=1),
                 lambda: harness.run(kernel=k.name, mode="processes", size=10),
                 lambda: harness.sweep_workers([1], kernel=k, mode="processes", size=10)):
        with pytest.raises(perfkit.NotSupportedError, match="threads mode only") as ei:
            call()
        assert ei.value.code == -errno.ENOTSUP


def test_same_name_twice_is_the_library_error_and_replace_swaps():
    k = harness.register_kernel(uniq("twice"), lambda st: None, flops=1)
    with pytest.raises(perfkit.ExistsError) as ei:
        harness.register_kernel(k.name, lambda st: None)
    assert isinstance(ei.value, perfkit.Error) and isinstance(ei.value, FileExistsError)
    assert ei.value.code == -errno.EEXIST
    with pytest.raises(perfkit.ExistsError):
        harness.register_kernel("dgemm", lambda st: None)
    with pytest.raises(perfkit.ExistsError):
        harness.register_kernel("dgemm", lambda st: None, replace=True)
    k2 = harness.register_kernel(k.name, lambda st: None, flops=5, replace=True)
    assert k2 is k and k.flops(1) == 5.0
    assert harness.run(kernel=k, size=1, loopcount=2, workers=1).to_pandas()["flops"].iloc[0] == 10


def test_callbacks_outlive_every_python_reference():
    def register():
        state = {"hits": 0}

        def run(st):
            state["hits"] += 1

        return harness.register_kernel(uniq("gc"), run, setup=lambda n: n,
                                       flops=lambda n: float(n)).name

    name = register()
    gc.collect()
    df = harness.run(kernel=name, size=4, loopcount=3, workers=2).to_pandas()
    assert (df["status"] == 0).all() and (df["flops"] == 12).all()


@pytest.mark.parametrize("kwargs, exc", [
    (dict(name=None, run=lambda s: None), TypeError),
    (dict(name=5, run=lambda s: None), TypeError),
    (dict(name="x\0y", run=lambda s: None), perfkit.InvalidArgumentError),
    (dict(name="n", run=None), TypeError),
    (dict(name="n", run=42), TypeError),
    (dict(name="n", run=lambda s: None, setup="no"), TypeError),
    (dict(name="n", run=lambda s: None, teardown=1), TypeError),
    (dict(name="n", run=lambda s: None, verify=[]), TypeError),
    (dict(name="n", run=lambda s: None, flops=math.nan), perfkit.InvalidArgumentError),
    (dict(name="n", run=lambda s: None, flops=-1), perfkit.InvalidArgumentError),
    (dict(name="n", run=lambda s: None, flops=math.inf), perfkit.InvalidArgumentError),
    (dict(name="n", run=lambda s: None, bytes=1e30), perfkit.InvalidArgumentError),
    (dict(name="n", run=lambda s: None, flops="many"), TypeError),
    (dict(name="n", run=lambda s: None, flops=True), TypeError),
    (dict(name="n", run=lambda s: None, description=3), TypeError),
])
def test_bad_registrations_raise_before_any_call(kwargs, exc):
    name = kwargs.pop("name")
    before = set(harness.kernels())
    with pytest.raises(exc):
        harness.register_kernel(name, **kwargs)
    assert set(harness.kernels()) == before


@pytest.mark.parametrize("name", ["", "a b", "x" * 64, "é"])
def test_names_the_library_refuses(name):
    with pytest.raises(perfkit.InvalidArgumentError) as ei:
        harness.register_kernel(name, lambda s: None)
    assert ei.value.function == "perfkit_kernel_register"
    assert name not in harness.kernels()


def test_bad_runs_raise_before_any_call():
    calls = Calls()
    k = sumsq_kernel(calls)
    with pytest.raises(TypeError, match="register it first"):
        harness.run(kernel=lambda st: None)
    with pytest.raises(perfkit.InvalidArgumentError):
        harness.run(kernel=k, size=2**63, loopcount=1)
    with pytest.raises(perfkit.InvalidArgumentError):
        harness.run(kernel=k, size=10, loopcount=-1)
    bad = harness.register_kernel(uniq("nanflops"), lambda st: None, flops=lambda n: math.nan)
    with pytest.raises(perfkit.InvalidArgumentError, match="flops"):
        harness.run(kernel=bad, size=10, loopcount=1)
    worse = harness.register_kernel(uniq("raiseflops"), lambda st: None,
                                    bytes=lambda n: 1 // 0)
    with pytest.raises(ZeroDivisionError):
        harness.sweep_sizes([1, 2], kernel=worse, loopcount=1)
    with pytest.raises(TypeError):
        worse.flops(None)
    assert calls.n["setup"] == 0


def test_gil_releasing_code_runs_on_every_worker():
    """numpy's matrix product releases the GIL: two workers both compute
    (rates positive, finite, below the theoretical peak if known)."""
    k = harness.register_kernel(uniq("matmul"), lambda a: a @ a,
                                setup=lambda n: np.random.default_rng(0).random((n, n)),
                                flops=lambda n: 2.0 * n**3, bytes=lambda n: 16.0 * n * n)
    res = harness.run(kernel=k, size=128, loopcount=5, workers=2)
    df = res.to_pandas()
    assert (df["status"] == 0).all()
    g = df["flops"] / df["elapsed"] / 1e9
    assert ((g > 0) & np.isfinite(g)).all()
    s = harness.summarize(res)
    if not math.isnan(s["machine_gflops"]):
        assert s["concurrent_gflops"] <= s["machine_gflops"] * 1.05
