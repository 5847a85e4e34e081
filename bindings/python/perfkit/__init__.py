# SPDX-License-Identifier: MIT
"""perfkit: Python bindings of libperfkit, a C library for measuring how fast
code runs and how well it scales.

The package calls ``libperfkit.so.1`` through ctypes (no compiler needed).
Quick start::

    import perfkit
    print(perfkit.timeit(sum, range(1000)))       # ns per call, median and CI

Modules: timers (clocks, Stopwatch, region, profile), runner (timeit,
stats), results (Record, Results), machine, scaling. Every failure of the
library raises a :class:`perfkit.Error` subclass that is also the built-in
exception Python uses for that errno (ValueError for -EINVAL,
FileNotFoundError for -ENOENT, ...).
"""

from __future__ import annotations

from ._errors import (CancelledError, ChildFailedError, DomainError, Error,
                      ExistsError, InputOutputError, InvalidArgumentError,
                      LibraryNotFoundError, MalformedInputError, NotFoundError,
                      NotSupportedError, OutOfMemoryError, RangeError,
                      TableFullError, TimedOutError, TryAgainError, VersionError,
                      error_class)
from ._lib import ABI_MAJOR, path as library_path, strerror, version as library_version
from .machine import Machine, machine
from .results import FIELDS, RECORD_DTYPE, Record, Results
from .runner import Stats, TwoSample, percentiles, stats, timeit, two_sample
from .timers import (ClockInfo, Profile, Stopwatch, clock_info, clock_ns, now_ns,
                     profile, region, region_clock, region_overhead_ns,
                     reset_profile, ticks, ticks_rate, trace_counts, trace_start,
                     trace_stop, trace_write)
from . import harness, plot, scaling

__version__ = "1.0.0"

__all__ = [
    "Error", "InvalidArgumentError", "MalformedInputError", "DomainError",
    "RangeError", "TableFullError", "OutOfMemoryError", "NotFoundError",
    "ExistsError", "NotSupportedError", "InputOutputError", "CancelledError",
    "TimedOutError", "ChildFailedError", "TryAgainError", "VersionError",
    "LibraryNotFoundError", "error_class", "ABI_MAJOR", "library_path",
    "library_version", "strerror", "Machine", "machine", "FIELDS", "RECORD_DTYPE",
    "Record", "Results", "Stats", "TwoSample", "percentiles", "stats", "timeit",
    "two_sample", "ClockInfo", "Profile", "Stopwatch", "clock_info", "clock_ns",
    "now_ns", "profile", "region", "region_clock", "region_overhead_ns",
    "reset_profile", "ticks", "ticks_rate", "trace_counts", "trace_start",
    "trace_stop", "trace_write", "harness", "plot", "scaling",
]
