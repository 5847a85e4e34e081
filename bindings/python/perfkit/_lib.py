# SPDX-License-Identifier: MIT
"""Loading libperfkit with ctypes (ABI mode: no compiler needed) and calling it.

The library is found in this order:

1. the environment variable ``PERFKIT_LIBRARY`` (a path; ``meson test`` sets
   it to the build tree's ``lib/libperfkit.so.1``); when set, nothing else
   is tried;
2. the library ``meson install`` put beside this package (its libdir is
   written into ``perfkit/_install.py`` at install time);
3. the soname ``libperfkit.so.1`` through the dynamic loader's search
   (``LD_LIBRARY_PATH``, ``ldconfig``'s cache).

A library of another major version is refused with :class:`VersionError`.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import (POINTER, c_char_p, c_double, c_int, c_int64, c_size_t,
                    c_uint, c_uint32, c_uint64, c_void_p)
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import _errors
from . import _structs as S

#: Major version of libperfkit this package is written for (the ABI).
ABI_MAJOR = 1
#: Oldest 1.x this package works with (PERFKIT_VERSION_ENCODE form).
ABI_MIN_VERSION = 10000
SONAME = "libperfkit.so.%d" % ABI_MAJOR

_P = c_void_p            # an opaque handle
_PP = POINTER(c_void_p)  # a handle's out-parameter

# name: (restype, argtypes). Every function the package calls is declared
# here, so that a missing symbol is reported at import, by name.
_PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    # error, version
    "perfkit_strerror": (c_char_p, [c_int]),
    "perfkit_last_error": (c_char_p, []),
    "perfkit_clear_error": (None, []),
    # variadic in C; always called with the format "%s" and one string
    "perfkit_set_error": (c_int, [c_int, c_char_p, c_char_p]),
    "perfkit_version": (c_int, []),
    "perfkit_version_string": (c_char_p, []),
    # timer
    "perfkit_now_ns": (c_uint64, []),
    "perfkit_clock_read": (c_int, [c_int, POINTER(c_uint64)]),
    "perfkit_clock_name": (c_char_p, [c_int]),
    "perfkit_ticks": (c_uint64, []),
    "perfkit_ticks_rate": (c_int, [POINTER(c_double)]),
    "perfkit_clock_measure": (c_int, [c_int, POINTER(S.ClockInfo)]),
    # stopwatch
    "perfkit_stopwatch_new": (c_int, [_PP]),
    "perfkit_stopwatch_destroy": (None, [_P]),
    "perfkit_stopwatch_start": (c_int, [_P]),
    "perfkit_stopwatch_stop": (c_int, [_P]),
    "perfkit_stopwatch_resume": (c_int, [_P]),
    "perfkit_stopwatch_reset": (c_int, [_P]),
    "perfkit_stopwatch_elapsed": (c_int, [_P, POINTER(c_uint64)]),
    "perfkit_stopwatch_is_running": (c_int, [_P]),
    "perfkit_stopwatch_lap": (c_int, [_P, POINTER(c_uint64)]),
    "perfkit_stopwatch_lap_count": (c_int, [_P, POINTER(c_size_t)]),
    "perfkit_stopwatch_lap_get": (c_int, [_P, c_size_t, POINTER(c_uint64)]),
    "perfkit_stopwatch_set_max_laps": (c_int, [_P, c_size_t]),
    # stats
    "perfkit_stats_compute": (c_int, [POINTER(c_double), c_size_t, POINTER(S.Stats)]),
    "perfkit_stats_percentiles": (c_int, [POINTER(c_double), c_size_t,
                                          POINTER(c_double), c_size_t,
                                          POINTER(c_double)]),
    "perfkit_stats_two_sample": (c_int, [POINTER(c_double), c_size_t,
                                         POINTER(c_double), c_size_t,
                                         POINTER(S.TwoSample)]),
    # runner
    "perfkit_runner_new": (c_int, [_PP]),
    "perfkit_runner_destroy": (None, [_P]),
    "perfkit_runner_set_warmup": (c_int, [_P, c_uint64, c_double]),
    "perfkit_runner_set_min_sample_time": (c_int, [_P, c_double]),
    "perfkit_runner_set_iterations": (c_int, [_P, c_uint64]),
    "perfkit_runner_set_max_iterations": (c_int, [_P, c_uint64]),
    "perfkit_runner_set_samples": (c_int, [_P, c_uint64, c_uint64]),
    "perfkit_runner_set_max_time": (c_int, [_P, c_double]),
    "perfkit_runner_set_precision": (c_int, [_P, c_double]),
    "perfkit_runner_run": (c_int, [_P, S.RUNNER_FN, c_void_p, _PP]),
    "perfkit_runner_result_destroy": (None, [_P]),
    "perfkit_runner_result_stats": (c_int, [_P, POINTER(S.Stats)]),
    "perfkit_runner_result_samples": (c_int, [_P, POINTER(POINTER(c_double)),
                                              POINTER(c_size_t)]),
    "perfkit_runner_result_iterations": (c_uint64, [_P]),
    "perfkit_runner_result_stop_reason": (c_int, [_P]),
    "perfkit_runner_result_timer_overhead_ns": (c_double, [_P]),
    "perfkit_runner_result_timer_resolution_ns": (c_double, [_P]),
    "perfkit_runner_result_elapsed_ns": (c_double, [_P]),
    "perfkit_runner_stop_name": (c_char_p, [c_int]),
    # regions
    "perfkit_region_begin": (c_int, [c_char_p]),
    "perfkit_region_end": (c_int, [c_char_p]),
    "perfkit_region_depth": (c_int, []),
    "perfkit_region_reset": (None, []),
    "perfkit_region_clock": (c_int, []),
    "perfkit_region_overhead": (c_int, [POINTER(c_double)]),
    "perfkit_region_arg": (c_int, [c_char_p, c_double]),
    "perfkit_region_trace_start": (c_int, [c_size_t, c_uint64]),
    "perfkit_region_trace_stop": (None, []),
    "perfkit_region_trace_counts": (c_int, [POINTER(c_uint64), POINTER(c_uint64),
                                            POINTER(c_uint64)]),
    "perfkit_region_trace_write": (c_int, [c_char_p]),
    "perfkit_region_sort_parse": (c_int, [c_char_p, POINTER(c_int)]),
    "perfkit_region_snapshot_new": (c_int, [c_int, _PP]),
    "perfkit_region_snapshot_destroy": (None, [_P]),
    "perfkit_region_snapshot_count": (c_int, [_P, POINTER(c_size_t)]),
    "perfkit_region_snapshot_entry": (c_int, [_P, c_size_t,
                                              POINTER(POINTER(S.RegionEntry))]),
    "perfkit_region_snapshot_total": (c_int, [_P, POINTER(c_uint64)]),
    "perfkit_region_snapshot_threads": (c_int, [_P, POINTER(c_size_t)]),
    "perfkit_region_snapshot_dropped": (c_int, [_P, POINTER(c_uint64)]),
    "perfkit_region_snapshot_print": (c_int, [_P, c_void_p]),
    "perfkit_region_snapshot_edge_count": (c_int, [_P, POINTER(c_size_t)]),
    "perfkit_region_snapshot_edge": (c_int, [_P, c_size_t,
                                             POINTER(POINTER(S.RegionEdge))]),
    "perfkit_region_snapshot_print_profile": (c_int, [_P, c_int, c_void_p]),
    # machine
    "perfkit_machine_probe": (c_int, [_PP]),
    "perfkit_machine_packages": (c_uint, [_P]),
    "perfkit_machine_numa_nodes": (c_uint, [_P]),
    "perfkit_machine_cores": (c_uint, [_P]),
    "perfkit_machine_pus": (c_uint, [_P]),
    "perfkit_machine_allowed_pus": (c_uint, [_P]),
    "perfkit_machine_allowed_cores": (c_uint, [_P]),
    "perfkit_machine_cpu_vendor": (c_char_p, [_P]),
    "perfkit_machine_cpu_model": (c_char_p, [_P]),
    "perfkit_machine_cpu_uarch": (c_char_p, [_P]),
    "perfkit_machine_simd": (c_uint, [_P]),
    "perfkit_simd_name": (c_char_p, [c_uint]),
    "perfkit_machine_flops_per_cycle": (c_int, [_P, POINTER(c_double), POINTER(c_double)]),
    "perfkit_machine_clock_nominal": (c_int, [_P, POINTER(c_double), POINTER(c_char_p)]),
    "perfkit_machine_clock_measured": (c_int, [_P, POINTER(c_double), POINTER(c_char_p)]),
    "perfkit_machine_peak_gflops": (c_int, [_P, POINTER(c_double), POINTER(c_double)]),
    "perfkit_machine_warning_name": (c_char_p, [c_int]),
    "perfkit_machine_warning_count": (c_size_t, [_P]),
    "perfkit_machine_warning_get": (c_int, [_P, c_size_t, POINTER(c_int), POINTER(c_char_p)]),
    "perfkit_machine_kv_count": (c_size_t, [_P]),
    "perfkit_machine_kv_get": (c_int, [_P, c_size_t, POINTER(c_char_p), POINTER(c_char_p)]),
    "perfkit_machine_to_json": (c_int, [_P, POINTER(c_void_p)]),
    # records and result sets
    "perfkit_record_init": (c_int, [POINTER(S.Record)]),
    "perfkit_record_set_name": (c_int, [POINTER(S.Record), c_char_p]),
    "perfkit_record_set_host": (c_int, [POINTER(S.Record), c_char_p]),
    "perfkit_record_set_param": (c_int, [POINTER(S.Record), c_char_p, c_char_p]),
    "perfkit_results_new": (c_int, [_PP]),
    "perfkit_results_destroy": (None, [_P]),
    "perfkit_results_epoch_ns": (c_int64, [_P]),
    "perfkit_results_set_epoch_ns": (c_int, [_P, c_int64]),
    "perfkit_results_append": (c_int, [_P, POINTER(S.Record)]),
    "perfkit_results_count": (c_size_t, [_P]),
    "perfkit_results_get": (c_int, [_P, c_size_t, POINTER(POINTER(S.Record))]),
    "perfkit_results_meta_set": (c_int, [_P, c_char_p, c_char_p]),
    "perfkit_results_meta_get": (c_int, [_P, c_char_p, POINTER(c_char_p)]),
    "perfkit_results_meta_count": (c_size_t, [_P]),
    "perfkit_results_meta_at": (c_int, [_P, c_size_t, POINTER(c_char_p), POINTER(c_char_p)]),
    "perfkit_results_set_machine": (c_int, [_P, _P]),
    "perfkit_results_extra_count": (c_size_t, [_P, c_size_t]),
    "perfkit_results_extra_get": (c_int, [_P, c_size_t, c_size_t,
                                          POINTER(c_char_p), POINTER(c_char_p)]),
    "perfkit_results_extra_set": (c_int, [_P, c_size_t, c_char_p, c_char_p]),
    "perfkit_results_append_regions": (c_int, [_P, _P, c_char_p]),
    "perfkit_results_write": (c_int, [_P, c_char_p, c_int]),
    "perfkit_results_read": (c_int, [c_char_p, c_int, _PP]),
    "perfkit_results_format": (c_int, [_P, c_int, POINTER(c_void_p), POINTER(c_size_t)]),
    "perfkit_results_parse": (c_int, [c_char_p, c_size_t, c_int, _PP]),
    "perfkit_results_sort": (c_int, [_P, c_char_p, c_int]),
    "perfkit_columns_read": (c_int, [c_char_p, c_int, _PP]),
    "perfkit_columns_from_results": (c_int, [_P, _PP]),
    "perfkit_columns_to_results": (c_int, [_P, _PP]),
    "perfkit_columns_destroy": (None, [_P]),
    "perfkit_columns_rows": (c_size_t, [_P]),
    "perfkit_columns_count": (c_size_t, [_P]),
    "perfkit_columns_at": (c_int, [_P, c_size_t, POINTER(POINTER(S.Column))]),
    "perfkit_columns_find": (c_int, [_P, c_int, c_char_p, POINTER(POINTER(S.Column))]),
    "perfkit_columns_meta": (_P, [_P]),
    "perfkit_results_filter": (c_int, [_P, c_char_p, c_char_p, _PP]),
    # scaling
    "perfkit_amdahl_speedup": (c_int, [c_double, c_double, POINTER(c_double)]),
    "perfkit_amdahl_limit": (c_int, [c_double, POINTER(c_double)]),
    "perfkit_karp_flatt": (c_int, [c_double, c_double, POINTER(c_double)]),
    "perfkit_amdahl_serial_fraction": (c_int, [c_double, c_double, POINTER(c_double)]),
    "perfkit_amdahl_fit": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                   POINTER(S.AmdahlFit)]),
    "perfkit_gustafson_speedup": (c_int, [c_double, c_double, POINTER(c_double)]),
    "perfkit_gustafson_serial_fraction": (c_int, [c_double, c_double, POINTER(c_double)]),
    "perfkit_amdahl_fit_times": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                         POINTER(S.FractionFit)]),
    "perfkit_gustafson_fit_times": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                            POINTER(S.FractionFit)]),
    "perfkit_scaling_strong": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                       POINTER(S.StrongRow), POINTER(c_size_t)]),
    "perfkit_scaling_weak": (c_int, [POINTER(c_double), POINTER(c_double),
                                     POINTER(c_double), c_size_t,
                                     POINTER(S.WeakRow), POINTER(c_size_t)]),
    "perfkit_scaling_epoch_mean": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                           c_double, POINTER(c_double), POINTER(c_size_t)]),
    "perfkit_scaling_samples": (c_int, [c_double, c_double, c_int, c_double,
                                        POINTER(c_double)]),
    "perfkit_usl_fit": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                POINTER(S.UslFit)]),
    "perfkit_usl_eval": (c_int, [c_double, c_double, c_double, c_double, POINTER(c_double)]),
    "perfkit_usl_predict": (c_int, [POINTER(S.UslFit), c_double, POINTER(S.UslPrediction)]),
    "perfkit_usl_fit_profile": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                        POINTER(S.UslProfileFit)]),
    "perfkit_scaling_optimal": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                        c_double, POINTER(c_size_t)]),
    "perfkit_scaling_cost": (c_int, [POINTER(c_double), POINTER(c_double), POINTER(c_double),
                                     c_size_t, c_double, POINTER(S.ScalingCost)]),
    "perfkit_scaling_cheapest": (c_int, [POINTER(c_double), POINTER(c_double),
                                         POINTER(c_double), POINTER(c_double), c_size_t,
                                         c_double, c_double, c_double, POINTER(c_size_t)]),
    "perfkit_scaling_points_from_results": (c_int, [_P, c_char_p, c_int,
                                                    POINTER(S.ScalingPoint), c_size_t,
                                                    POINTER(c_size_t)]),
    "perfkit_complexity_fit": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                                       POINTER(S.ComplexityFit)]),
    "perfkit_complexity_name": (c_char_p, [c_int]),
    # harness and kernels
    "perfkit_harness_options_init": (c_int, [POINTER(S.HarnessOptions)]),
    "perfkit_harness_options_check": (c_int, [POINTER(S.HarnessOptions)]),
    "perfkit_harness_run": (c_int, [POINTER(S.HarnessOptions), POINTER(c_void_p)]),
    "perfkit_harness_sweep_workers": (c_int, [POINTER(S.HarnessOptions), POINTER(c_uint), c_size_t,
                                              POINTER(c_void_p)]),
    "perfkit_harness_sweep_sizes": (c_int, [POINTER(S.HarnessOptions), POINTER(c_int64), c_size_t,
                                            POINTER(c_void_p)]),
    "perfkit_harness_summarize": (c_int, [c_void_p, POINTER(S.HarnessSummary)]),
    "perfkit_harness_summarize_point": (c_int, [c_void_p, c_char_p, c_char_p,
                                                POINTER(S.HarnessSummary)]),
    "perfkit_harness_peak_timeline": (c_int, [c_void_p, c_double, POINTER(c_double),
                                              c_size_t, POINTER(c_size_t)]),
    "perfkit_harness_effective_timeline": (c_int, [c_void_p, POINTER(c_double),
                                                   POINTER(c_double), c_size_t,
                                                   POINTER(c_size_t)]),
    "perfkit_harness_histogram": (c_int, [c_void_p, POINTER(c_double), c_size_t,
                                          POINTER(c_size_t), POINTER(c_size_t),
                                          POINTER(c_size_t)]),
    "perfkit_harness_oversubscription": (c_int, [c_void_p, POINTER(c_double), c_char_p,
                                                 c_size_t]),
    "perfkit_kernel_list": (c_int, [POINTER(c_void_p), c_size_t, POINTER(c_size_t)]),
    "perfkit_kernel_name": (c_char_p, [c_void_p]),
    "perfkit_kernel_description": (c_char_p, [c_void_p]),
    "perfkit_kernel_register": (c_int, [POINTER(S.KernelOps), POINTER(c_void_p)]),
}


def _candidates() -> List[str]:
    explicit = os.environ.get("PERFKIT_LIBRARY")
    if explicit:
        return [explicit]
    found: List[str] = []
    try:
        from ._install import LIBDIR  # written by meson install
        found.append(os.path.join(LIBDIR, SONAME))
    except ImportError:
        pass
    found.append(SONAME)
    return found


def check_version(version: int, version_string: str, path: str) -> None:
    """Refuse a library whose major version is not :data:`ABI_MAJOR`.

    Raises:
        VersionError: with a message naming both versions and the file.
    """
    major = version // 10000
    if major != ABI_MAJOR or version < ABI_MIN_VERSION:
        raise _errors.VersionError(
            "perfkit: this Python package needs libperfkit %d.x (at least "
            "%d.%d), but %s is version %s; install the package that comes "
            "with that library, or point PERFKIT_LIBRARY at a libperfkit.so.%d"
            % (ABI_MAJOR, ABI_MIN_VERSION // 10000, ABI_MIN_VERSION // 100 % 100,
               path, version_string, ABI_MAJOR))


def _open() -> Tuple[ctypes.CDLL, str]:
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            errors.append("%s (%s)" % (path, e))
    raise _errors.LibraryNotFoundError(
        "perfkit: libperfkit could not be loaded: tried %s. Build it "
        "(meson compile -C build) and set PERFKIT_LIBRARY=build/lib/%s, or "
        "install it (meson install -C build)" % ("; ".join(errors), SONAME))


def _declare(lib: ctypes.CDLL, path: str) -> None:
    for name, (restype, argtypes) in _PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise _errors.VersionError(
                "perfkit: %s does not export %s(): it is not a libperfkit "
                "this package can use" % (path, name)) from None
        fn.restype = restype
        fn.argtypes = argtypes


def _load() -> Tuple[ctypes.CDLL, str]:
    lib, path = _open()
    try:
        get_version = lib.perfkit_version
        get_string = lib.perfkit_version_string
    except AttributeError:
        raise _errors.VersionError(
            "perfkit: %s does not export perfkit_version(): it is not "
            "libperfkit" % path) from None
    get_version.restype = c_int
    get_string.restype = c_char_p
    check_version(get_version(), get_string().decode(), path)
    _declare(lib, path)
    return lib, path


lib, path = _load()

# The C library's own allocator and streams: results_format() and
# machine_to_json() hand out malloc()ed text; the report printers write to
# a FILE *, here an open_memstream().
_libc = ctypes.CDLL(None)
_libc.free.argtypes = [c_void_p]
_libc.free.restype = None
_libc.open_memstream.argtypes = [POINTER(c_void_p), POINTER(c_size_t)]
_libc.open_memstream.restype = c_void_p
_libc.fclose.argtypes = [c_void_p]
_libc.fclose.restype = c_int


def strerror(code: int) -> str:
    """libperfkit's name of an error code, e.g. "invalid argument"."""
    return lib.perfkit_strerror(int(code)).decode("utf-8", "replace")


def last_error() -> str:
    """The calling thread's last error message ("" if none)."""
    return lib.perfkit_last_error().decode("utf-8", "replace")


def raise_for(rc: int, function: str) -> None:
    """Raise the perfkit.Error subclass for a negative return code."""
    raise _errors.make_error(rc, function, last_error(), strerror(rc))


def call(function: str, *args: Any) -> int:
    """Call a C function by name and raise on a negative return.

    The thread's message is cleared first, so that the exception never
    carries the message of an earlier failure.
    """
    lib.perfkit_clear_error()
    rc = getattr(lib, function)(*args)
    if rc < 0:
        raise_for(rc, function)
    return rc


def take_text(ptr: c_void_p, length: Optional[int] = None) -> str:
    """Copy a malloc()ed C string into a str and free it."""
    try:
        if length is None:
            data = ctypes.string_at(ptr)
        else:
            data = ctypes.string_at(ptr, length)
        return data.decode("utf-8", "replace")
    finally:
        _libc.free(ptr)


def capture(printer: Callable[[int], int], function: str) -> str:
    """Run a C printer that writes to a FILE * and return what it wrote."""
    buf = c_void_p()
    size = c_size_t()
    stream = _libc.open_memstream(ctypes.byref(buf), ctypes.byref(size))
    if not stream:
        raise MemoryError("open_memstream failed")
    try:
        lib.perfkit_clear_error()
        rc = printer(stream)
    finally:
        _libc.fclose(stream)
        text = ctypes.string_at(buf, size.value).decode("utf-8", "replace") if buf else ""
        _libc.free(buf)
    if rc < 0:
        raise_for(rc, function)
    return text


def version() -> str:
    """Version of the loaded libperfkit, e.g. "1.0.0"."""
    return lib.perfkit_version_string().decode()
