# SPDX-License-Identifier: MIT
"""ctypes mirrors of the C structs the package reads and fills.

Never assumed: tests/test_layout.py compares every offset and size here
with the C compiler's (bindings/python/tests/layout.c). A struct listed in
:data:`MIRRORS` must match its C twin field by field.
"""

from __future__ import annotations

from ctypes import (CFUNCTYPE, POINTER, Array, Structure, c_char, sizeof, c_char_p, c_double,
                    c_int, c_int32, c_int64, c_size_t, c_uint, c_uint32, c_uint64,
                    c_void_p)
from typing import TYPE_CHECKING, Any, Dict, Type

if TYPE_CHECKING:
    import numpy as np

RECORD_VERSION = 1
RECORD_NAME_MAX = 63
RECORD_HOST_MAX = 63
RECORD_PARAMS_MAX = 4
RECORD_PARAM_KEY_MAX = 23
RECORD_PARAM_VALUE_MAX = 39
COMPLEXITY_COUNT = 7

#: void (*fn)(void *user, uint64_t iterations): the runner's work function.
RUNNER_FN = CFUNCTYPE(None, c_void_p, c_uint64)


class RecordParam(Structure):
    """struct perfkit_record_param."""
    _fields_ = [("key", c_char * (RECORD_PARAM_KEY_MAX + 1)),
                ("value", c_char * (RECORD_PARAM_VALUE_MAX + 1))]


class Record(Structure):
    """struct perfkit_record (version 1)."""
    _fields_ = [
        ("version", c_uint32), ("size", c_uint32),
        ("name", c_char * (RECORD_NAME_MAX + 1)),
        ("host", c_char * (RECORD_HOST_MAX + 1)),
        ("worker", c_int32), ("rank", c_int32), ("cpu", c_int32), ("status", c_int32),
        ("t_submit", c_double), ("t_start", c_double), ("t_setup", c_double),
        ("t_end", c_double), ("t_collected", c_double),
        ("repetitions", c_uint64), ("problem_size", c_int64),
        ("flops", c_double), ("bytes", c_double), ("items", c_double),
        ("elapsed", c_double),
        ("nparams", c_uint32),
        ("params", RecordParam * RECORD_PARAMS_MAX),
    ]


class Column(Structure):
    """struct perfkit_column: one column of a result set's columns."""
    _fields_ = [("name", c_char_p), ("kind", c_int), ("type", c_int),
                ("data", c_void_p), ("nvalues", c_size_t),
                ("values", POINTER(c_char_p))]


class Stats(Structure):
    """struct perfkit_stats."""
    _fields_ = [("n", c_uint64)] + [(f, c_double) for f in (
        "min", "max", "mean", "median", "stddev", "mad", "cv", "ci_low",
        "ci_high", "ci_coverage")] + [("outliers", c_uint64)]


class TwoSample(Structure):
    """struct perfkit_stats_two_sample."""
    _fields_ = [("nx", c_uint64), ("ny", c_uint64), ("u", c_double),
                ("p_value", c_double), ("exact", c_int), ("shift", c_double),
                ("ci_low", c_double), ("ci_high", c_double),
                ("ci_coverage", c_double)]


class ClockInfo(Structure):
    """struct perfkit_clock_info."""
    _fields_ = [("clock", c_int), ("reported_resolution_ns", c_double),
                ("observed_resolution_ns", c_double), ("overhead_ns", c_double),
                ("reads", c_uint64)]


class RegionEntry(Structure):
    """struct perfkit_region_entry (read through a pointer only)."""
    _fields_ = [("name", c_char_p), ("calls", c_uint64), ("inclusive_ns", c_uint64),
                ("exclusive_ns", c_uint64), ("threads", c_uint32)]


class RegionEdge(Structure):
    """struct perfkit_region_edge (read through a pointer only)."""
    _fields_ = [("caller", c_char_p), ("callee", c_char_p), ("calls", c_uint64),
                ("inclusive_ns", c_uint64), ("exclusive_ns", c_uint64),
                ("threads", c_uint32)]


class AmdahlFit(Structure):
    """struct perfkit_amdahl_fit."""
    _fields_ = [("f", c_double), ("f_se", c_double), ("f_ci", c_double * 2),
                ("limit", c_double), ("rse", c_double), ("n", c_size_t),
                ("dof", c_double)]


class FitParam(Structure):
    """struct perfkit_fit_param."""
    _fields_ = [("value", c_double), ("ci", c_double * 2), ("flags", c_uint)]


class FractionFit(Structure):
    """struct perfkit_fraction_fit."""
    _fields_ = [("f", FitParam), ("t1", FitParam), ("rse", c_double),
                ("n", c_size_t), ("dof", c_double)]


class StrongRow(Structure):
    """struct perfkit_scaling_strong_row."""
    _fields_ = [("workers", c_double), ("repeats", c_size_t), ("time", c_double),
                ("time_sd", c_double), ("time_min", c_double), ("speedup", c_double),
                ("efficiency", c_double), ("karp_flatt", c_double)]


class WeakRow(Structure):
    """struct perfkit_scaling_weak_row."""
    _fields_ = [("ranks", c_double), ("repeats", c_size_t), ("samples", c_double),
                ("time", c_double), ("throughput", c_double), ("ideal", c_double),
                ("efficiency", c_double)]


class UslFit(Structure):
    """struct perfkit_usl_fit."""
    _fields_ = [("alpha", c_double), ("beta", c_double), ("gamma", c_double),
                ("alpha_se", c_double), ("beta_se", c_double), ("gamma_se", c_double),
                ("alpha_ci", c_double * 2), ("beta_ci", c_double * 2),
                ("gamma_ci", c_double * 2), ("cov", (c_double * 3) * 3),
                ("rse", c_double), ("r2", c_double), ("n", c_size_t),
                ("dof", c_double), ("t975", c_double), ("peak_n", c_double),
                ("peak_x", c_double), ("asymptote", c_double),
                ("inv_alpha", c_double), ("iterations", c_uint)]


class UslPrediction(Structure):
    """struct perfkit_usl_prediction."""
    _fields_ = [("n_workers", c_double), ("throughput", c_double), ("se", c_double),
                ("ci", c_double * 2)]


class UslProfileFit(Structure):
    """struct perfkit_usl_profile_fit."""
    _fields_ = [("fit", UslFit), ("alpha", FitParam), ("beta", FitParam),
                ("gamma", FitParam)]


class ScalingCost(Structure):
    """struct perfkit_scaling_cost."""
    _fields_ = [("workers", c_double), ("time", c_double), ("worker_hours", c_double),
                ("cost", c_double), ("cost_per_work", c_double)]


class ScalingPoint(Structure):
    """struct perfkit_scaling_point."""
    _fields_ = [("workers", c_double), ("records", c_size_t), ("failed", c_size_t),
                ("makespan", c_double), ("span", c_int), ("elapsed_max", c_double),
                ("flops", c_double), ("bytes", c_double), ("items", c_double),
                ("value", c_double)]


class ComplexityModel(Structure):
    """struct perfkit_complexity_model."""
    _fields_ = [("law", c_int), ("coefficient", c_double), ("exponent", c_double),
                ("rms", c_double), ("rss_log", c_double), ("aicc", c_double)]


class ComplexityFit(Structure):
    """struct perfkit_complexity_fit."""
    _fields_ = [("n", c_size_t), ("best", ComplexityModel),
                ("models", ComplexityModel * COMPLEXITY_COUNT)]


class HarnessProgress(Structure):
    """struct perfkit_harness_progress."""
    _fields_ = [("size", c_size_t), ("done", c_uint), ("total", c_uint),
                ("point", c_uint), ("points", c_uint),
                ("record", POINTER(Record)), ("results", c_void_p)]


HARNESS_PROGRESS_FN = CFUNCTYPE(None, POINTER(HarnessProgress), c_void_p)
HARNESS_BEFORE_FN = CFUNCTYPE(None, c_void_p)


class HarnessOptions(Structure):
    """struct perfkit_harness_options (checked by the layout test)."""
    _fields_ = [("size", c_size_t), ("kernel", c_char_p), ("problem_size", c_int64),
                ("loopcount", c_uint64), ("min_time", c_double), ("workers", c_uint),
                ("placement", c_int), ("mode", c_int), ("threads", c_uint),
                ("warmup", c_uint64), ("start", c_int), ("stagger", c_double),
                ("verify", c_int), ("peak_reference", c_double),
                ("progress", HARNESS_PROGRESS_FN), ("userdata", c_void_p),
                ("before_submit", HARNESS_BEFORE_FN), ("cancel", POINTER(c_int)),
                ("total_loopcount", c_uint64)]


class HarnessSummary(Structure):
    """struct perfkit_harness_summary (checked by the layout test)."""
    _fields_ = [("size", c_size_t), ("workers", c_size_t), ("failed", c_size_t)] + [
        (f, c_double) for f in (
            "flops", "bytes", "intensity", "span", "peak_gflops", "effective_gflops",
            "peak_gbps", "effective_gbps", "worker_gflops_min", "worker_gflops_median",
            "worker_gflops_max", "elapsed_median", "elapsed_max", "straggler_ratio",
            "theoretical_gflops", "fraction_theoretical", "peak_kernel_gflops",
            "fraction_peak_kernel", "setup_median", "spawn_us_median",
            "collect_us_median", "machine_gflops", "concurrent_gflops",
            "concurrent_fraction_theoretical", "oversubscription")]

    def to_dict(self) -> Dict[str, float]:
        """Every figure by name (size left out)."""
        return {f: getattr(self, f) for f, _ in self._fields_ if f != "size"}


class MpiP2pOptions(Structure):
    """struct perfkit_mpi_p2p_options (libperfkit-mpi)."""
    _fields_ = [("size", c_size_t), ("pattern", c_int), ("min_bytes", c_int64),
                ("max_bytes", c_int64), ("perturbation", c_int), ("trials", c_uint),
                ("trial_time", c_double), ("warmup", c_uint64), ("window", c_uint)]


class MpiCollectiveOptions(Structure):
    """struct perfkit_mpi_collective_options (libperfkit-mpi)."""
    _fields_ = [("size", c_size_t), ("op", c_int), ("min_bytes", c_int64),
                ("max_bytes", c_int64), ("time", c_double), ("warmup", c_uint64),
                ("root", c_int)]


#: libperfkit-mpi's structs: checked by the layout test where MPI is built.
MPI_MIRRORS: Dict[str, Type[Structure]] = {
    "perfkit_mpi_p2p_options": MpiP2pOptions,
    "perfkit_mpi_collective_options": MpiCollectiveOptions,
}


def numpy_dtype(cls: Type[Structure]) -> "np.dtype":
    """The numpy dtype of a mirror, with its offsets and size (char arrays
    become bytes "S<n>", nested structs and arrays are kept)."""
    import numpy as np

    def of(t: Any) -> "np.dtype":
        if issubclass(t, Array):
            if t._type_ is c_char:
                return np.dtype("S%d" % t._length_)
            return np.dtype((of(t._type_), (t._length_,)))
        if issubclass(t, Structure):
            return numpy_dtype(t)
        return np.dtype(t)

    return np.dtype({"names": [f for f, _ in cls._fields_],
                     "formats": [of(t) for _, t in cls._fields_],
                     "offsets": [getattr(cls, f).offset for f, _ in cls._fields_],
                     "itemsize": sizeof(cls)})


#: The callbacks of struct perfkit_kernel_ops (a Python kernel's trampolines).
KERNEL_SETUP_FN = CFUNCTYPE(c_int, c_int64, c_void_p, c_void_p, POINTER(c_void_p))
KERNEL_RUN_FN = CFUNCTYPE(c_int, c_void_p, c_uint64)
KERNEL_TEARDOWN_FN = CFUNCTYPE(None, c_void_p)
KERNEL_COUNT_FN = CFUNCTYPE(c_double, c_int64, c_void_p)
KERNEL_VERIFY_FN = CFUNCTYPE(c_int, c_void_p)


class KernelOps(Structure):
    """struct perfkit_kernel_ops (checked by the layout test)."""
    _fields_ = [("size", c_size_t), ("name", c_char_p), ("description", c_char_p),
                ("setup", KERNEL_SETUP_FN), ("run", KERNEL_RUN_FN),
                ("teardown", KERNEL_TEARDOWN_FN), ("flops", KERNEL_COUNT_FN),
                ("bytes", KERNEL_COUNT_FN), ("verify", KERNEL_VERIFY_FN),
                ("userdata", c_void_p), ("items", KERNEL_COUNT_FN)]


#: C struct name -> its mirror; every entry is checked by the layout test.
MIRRORS: Dict[str, Type[Structure]] = {
    "perfkit_record_param": RecordParam,
    "perfkit_record": Record,
    "perfkit_column": Column,
    "perfkit_stats": Stats,
    "perfkit_stats_two_sample": TwoSample,
    "perfkit_clock_info": ClockInfo,
    "perfkit_region_entry": RegionEntry,
    "perfkit_region_edge": RegionEdge,
    "perfkit_amdahl_fit": AmdahlFit,
    "perfkit_fit_param": FitParam,
    "perfkit_fraction_fit": FractionFit,
    "perfkit_scaling_strong_row": StrongRow,
    "perfkit_scaling_weak_row": WeakRow,
    "perfkit_usl_fit": UslFit,
    "perfkit_usl_prediction": UslPrediction,
    "perfkit_usl_profile_fit": UslProfileFit,
    "perfkit_scaling_cost": ScalingCost,
    "perfkit_scaling_point": ScalingPoint,
    "perfkit_complexity_model": ComplexityModel,
    "perfkit_complexity_fit": ComplexityFit,
    "perfkit_harness_options": HarnessOptions,
    "perfkit_harness_progress": HarnessProgress,
    "perfkit_harness_summary": HarnessSummary,
    "perfkit_kernel_ops": KernelOps,
}
