# SPDX-License-Identifier: MIT
"""Clocks, a stopwatch, and named profiling regions (cProfile's tottime and
cumtime for code you mark), over libperfkit's timer module."""

from __future__ import annotations

import ctypes
import functools
from ctypes import POINTER, byref, c_double, c_int, c_size_t, c_uint64, c_void_p
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar

import numpy as np

from . import _args
from . import _structs as S
from ._lib import call, capture, lib, raise_for

__all__ = ["now_ns", "clock_ns", "ticks", "ticks_rate", "clock_info", "ClockInfo",
           "Stopwatch", "region", "Profile", "profile", "reset_profile",
           "region_overhead_ns", "region_clock", "trace_start", "trace_stop",
           "trace_write", "trace_counts"]

F = TypeVar("F", bound=Callable[..., Any])

CLOCKS = {"monotonic": 0, "process_cpu": 1, "thread_cpu": 2, "ticks": 3}
SORTS = {"tottime": 0, "cumtime": 1, "calls": 2, "name": 3}
SCOPES = {"all": 0, "thread": 1}
_EINVAL = -22
_ERANGE = -34
_ENOMEM = -12


def now_ns() -> int:
    """The monotonic wall clock in ns (CLOCK_MONOTONIC); cannot fail."""
    return lib.perfkit_now_ns()


def clock_ns(clock: str = "monotonic") -> int:
    """Read a clock in ns: "monotonic", "process_cpu", "thread_cpu" or "ticks".

    Raises:
        NotSupportedError: the system cannot read this clock.
    """
    c = _args.choice(clock, "clock", "clock_ns", CLOCKS)
    ns = c_uint64()
    call("perfkit_clock_read", c, byref(ns))
    return ns.value


def ticks() -> int:
    """The raw tick counter (rdtsc on x86-64); convert with :func:`ticks_rate`."""
    return lib.perfkit_ticks()


def ticks_rate() -> float:
    """Ticks per second of :func:`ticks` (calibrated once, ~20 ms)."""
    hz = c_double()
    call("perfkit_ticks_rate", byref(hz))
    return hz.value


@dataclass(frozen=True)
class ClockInfo:
    """Measured resolution and read cost of one clock (ns)."""
    #: The library's name of the clock: "monotonic", "process-cpu", "thread-cpu", "ticks".
    clock: str
    reported_resolution_ns: float
    observed_resolution_ns: float
    overhead_ns: float
    reads: int


def clock_info(clock: str = "monotonic") -> ClockInfo:
    """Measure a clock's resolution and the cost of one read (a few ms)."""
    c = _args.choice(clock, "clock", "clock_info", CLOCKS)
    info = S.ClockInfo()
    call("perfkit_clock_measure", c, byref(info))
    return ClockInfo(lib.perfkit_clock_name(c).decode(), info.reported_resolution_ns,
                     info.observed_resolution_ns, info.overhead_ns, info.reads)


class Stopwatch:
    """A stopwatch with laps on the monotonic clock.

    As a context manager it resumes on entry and stops on exit, so that
    several ``with`` blocks add up::

        sw = perfkit.Stopwatch()
        for step in range(3):
            with sw:
                work(step)
        print(sw.elapsed)          # seconds, the three blocks together

    As a decorator each call is one lap (:attr:`laps`), and recursion counts
    once::

        @sw
        def solve(): ...

    A stopwatch is for one thread at a time (the C object takes no lock).
    """

    def __init__(self) -> None:
        self._sw = c_void_p()
        call("perfkit_stopwatch_new", byref(self._sw))
        self._depth = 0

    def __del__(self) -> None:
        sw = getattr(self, "_sw", None)
        if sw and lib is not None:  # lib is None at interpreter exit
            lib.perfkit_stopwatch_destroy(sw)
            self._sw = c_void_p()

    def start(self) -> "Stopwatch":
        """Clear the elapsed time and laps, then run.

        Raises:
            InvalidArgumentError: it is already running.
        """
        call("perfkit_stopwatch_start", self._sw)
        return self

    def stop(self) -> "Stopwatch":
        """Pause; the running interval is added to the elapsed time."""
        call("perfkit_stopwatch_stop", self._sw)
        return self

    def resume(self) -> "Stopwatch":
        """Run again, keeping the elapsed time and laps."""
        call("perfkit_stopwatch_resume", self._sw)
        return self

    def reset(self) -> "Stopwatch":
        """Stop, and clear the elapsed time and laps."""
        call("perfkit_stopwatch_reset", self._sw)
        return self

    def lap(self) -> int:
        """Record a lap (running time since the previous lap); its ns."""
        ns = c_uint64()
        call("perfkit_stopwatch_lap", self._sw, byref(ns))
        return ns.value

    @property
    def running(self) -> bool:
        """Whether it is running."""
        return bool(call("perfkit_stopwatch_is_running", self._sw))

    @property
    def elapsed_ns(self) -> int:
        """Elapsed running time, ns (while running or stopped)."""
        ns = c_uint64()
        call("perfkit_stopwatch_elapsed", self._sw, byref(ns))
        return ns.value

    @property
    def elapsed(self) -> float:
        """Elapsed running time, seconds."""
        return self.elapsed_ns / 1e9

    @property
    def laps(self) -> np.ndarray:
        """Every lap since start or reset, ns, as a uint64 array."""
        n = c_size_t()
        call("perfkit_stopwatch_lap_count", self._sw, byref(n))
        out = np.empty(n.value, dtype=np.uint64)
        ns = c_uint64()
        for i in range(n.value):
            call("perfkit_stopwatch_lap_get", self._sw, i, byref(ns))
            out[i] = ns.value
        return out

    def set_max_laps(self, max_laps: int) -> None:
        """Change the bound on the laps kept (default 2**20)."""
        n = _args.size(max_laps, "max_laps", "Stopwatch.set_max_laps")
        call("perfkit_stopwatch_set_max_laps", self._sw, n)

    def __enter__(self) -> "Stopwatch":
        return self.resume()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return func(*args, **kwargs)
            self.resume()
            self._depth += 1
            try:
                return func(*args, **kwargs)
            finally:
                self._depth -= 1
                self.lap()
                self.stop()
        return timed  # type: ignore[return-value]

    def __repr__(self) -> str:
        return "<perfkit.Stopwatch %s, %.9f s>" % (
            "running" if self.running else "stopped", self.elapsed)


def _region_name(name: Any) -> bytes:
    data = _args.text(name, "name", "region")
    assert data is not None
    if not 1 <= len(data) <= 255:
        raise _args.bad("region", "name", "must be 1 to 255 bytes, not %d" % len(data))
    if any(b < 0x20 or b == 0x7f for b in data):
        raise _args.bad("region", "name", "holds a control character")
    return data


class region:
    """A named profiling region, as a context manager or a decorator::

        with perfkit.region("write"):
            np.savetxt(f, data)

        @perfkit.region("generate")
        def generate(i): ...

    Regions nest and are recorded per thread without locks; the profile
    (:func:`profile`) merges all threads. A region refused by the library
    (nested deeper than 128, or out of memory) is counted as dropped in the
    profile rather than raising, so that profiling never breaks the code it
    measures.
    """

    __slots__ = ("name", "_c")

    def __init__(self, name: str) -> None:
        self._c = _region_name(name)
        self.name = self._c.decode("utf-8", "surrogateescape")

    def __enter__(self) -> "region":
        rc = lib.perfkit_region_begin(self._c)
        if rc < 0 and rc not in (_ERANGE, _ENOMEM):
            raise_for(rc, "perfkit_region_begin")
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        rc = lib.perfkit_region_end(self._c)
        if rc < 0 and rc != _ERANGE and exc_type is None:
            raise_for(rc, "perfkit_region_end")

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def profiled(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)
        return profiled  # type: ignore[return-value]

    def __repr__(self) -> str:
        return "perfkit.region(%r)" % self.name


class Profile:
    """A snapshot of the regions' figures, merged by name (see :func:`profile`)."""

    def __init__(self, threads: str = "all") -> None:
        scope = _args.choice(threads, "threads", "profile", SCOPES)
        self.threads_scope = threads
        self._snap = c_void_p()
        call("perfkit_region_snapshot_new", scope, byref(self._snap))

    def __del__(self) -> None:
        snap = getattr(self, "_snap", None)
        if snap and lib is not None:  # lib is None at interpreter exit
            lib.perfkit_region_snapshot_destroy(snap)
            self._snap = c_void_p()

    def __len__(self) -> int:
        n = c_size_t()
        call("perfkit_region_snapshot_count", self._snap, byref(n))
        return n.value

    @property
    def total_ns(self) -> int:
        """Sum of the exclusive times, ns (the base of the percentages)."""
        t = c_uint64()
        call("perfkit_region_snapshot_total", self._snap, byref(t))
        return t.value

    @property
    def dropped(self) -> int:
        """Regions the library refused since the last reset."""
        d = c_uint64()
        call("perfkit_region_snapshot_dropped", self._snap, byref(d))
        return d.value

    @property
    def thread_count(self) -> int:
        """Threads whose profiles contributed."""
        t = c_size_t()
        call("perfkit_region_snapshot_threads", self._snap, byref(t))
        return t.value

    def table(self) -> str:
        """The table sorted by exclusive time (perfkit_region_snapshot_print)."""
        return capture(lambda f: lib.perfkit_region_snapshot_print(self._snap, f),
                       "perfkit_region_snapshot_print")

    def text(self, sort: str = "tottime") -> str:
        """cProfile's report: the table in ``sort`` order ("tottime",
        "cumtime", "calls" or "name"), then callers and callees."""
        s = _args.choice(sort, "sort", "Profile.text", SORTS)
        return capture(lambda f: lib.perfkit_region_snapshot_print_profile(self._snap, s, f),
                       "perfkit_region_snapshot_print_profile")

    def __str__(self) -> str:
        return self.text()

    def to_pandas(self) -> "Any":
        """One row per name: calls, tottime_s, cumtime_s, per-call µs,
        percent of the total and threads; sorted by tottime."""
        import pandas as pd
        rows = []
        entry = POINTER(S.RegionEntry)()
        for i in range(len(self)):
            call("perfkit_region_snapshot_entry", self._snap, i, byref(entry))
            e = entry.contents
            rows.append((e.name.decode("utf-8", "replace"), e.calls,
                         e.exclusive_ns / 1e9, e.inclusive_ns / 1e9, e.threads))
        df = pd.DataFrame(rows, columns=["name", "calls", "tottime_s", "cumtime_s", "threads"])
        calls = df["calls"].where(df["calls"] > 0)
        df["tottime_percall_us"] = df["tottime_s"] / calls * 1e6
        df["cumtime_percall_us"] = df["cumtime_s"] / calls * 1e6
        total = self.total_ns / 1e9
        df["tottime_percent"] = df["tottime_s"] / total * 100 if total > 0 else 0.0
        return df

    def edges(self) -> "Any":
        """Callers and callees: one row per (caller, callee) pair; the
        caller is None for calls at the top level."""
        import pandas as pd
        n = c_size_t()
        call("perfkit_region_snapshot_edge_count", self._snap, byref(n))
        rows = []
        edge = POINTER(S.RegionEdge)()
        for i in range(n.value):
            call("perfkit_region_snapshot_edge", self._snap, i, byref(edge))
            e = edge.contents
            rows.append((e.caller.decode("utf-8", "replace") if e.caller else None,
                         e.callee.decode("utf-8", "replace"), e.calls,
                         e.exclusive_ns / 1e9, e.inclusive_ns / 1e9, e.threads))
        return pd.DataFrame(rows, columns=["caller", "callee", "calls", "tottime_s",
                                           "cumtime_s", "threads"])


def profile(threads: str = "all") -> Profile:
    """Snapshot the region profile: ``threads="all"`` merges every thread
    (and those exited since the last reset), ``"thread"`` the caller's only.
    Print it, or call ``.to_pandas()``."""
    return Profile(threads)


def reset_profile() -> None:
    """Clear the counts of all threads (open regions are kept)."""
    lib.perfkit_region_reset()


def region_overhead_ns() -> float:
    """Median cost of one begin/end pair measured in C, ns (about 2 ms).

    The Python context manager adds the interpreter's own cost on top."""
    ns = c_double()
    call("perfkit_region_overhead", byref(ns))
    return ns.value


def region_clock() -> str:
    """The clock regions are timed with: "ticks" or "monotonic"."""
    return lib.perfkit_clock_name(lib.perfkit_region_clock()).decode()


def trace_start(max_events: int = 1 << 20, min_duration_ns: int = 0) -> None:
    """Record every region that ends from now on, for a Chrome trace file."""
    n = _args.size(max_events, "max_events", "trace_start")
    m = _args.u64(min_duration_ns, "min_duration_ns", "trace_start")
    call("perfkit_region_trace_start", n, m)


def trace_stop() -> None:
    """Stop recording trace events (those recorded are kept)."""
    lib.perfkit_region_trace_stop()


def trace_counts() -> "dict[str, int]":
    """Events held, dropped (budget spent) and filtered (too short)."""
    e, d, f = c_uint64(), c_uint64(), c_uint64()
    call("perfkit_region_trace_counts", byref(e), byref(d), byref(f))
    return {"events": e.value, "dropped": d.value, "filtered": f.value}


def trace_write(path: str) -> None:
    """Write the trace as Chrome Trace Event JSON (ui.perfetto.dev), atomically."""
    p = _args.text(path, "path", "trace_write")
    call("perfkit_region_trace_write", p)
