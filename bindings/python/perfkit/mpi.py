# SPDX-License-Identifier: MIT
"""libperfkit-mpi with mpi4py communicators: the harness across ranks,
gathering result sets onto one rank, clock offsets, agreement on errors.

Every call is collective: call it on every rank of the communicator, from
the thread that initialised MPI. libperfkit-mpi is found as libperfkit is:
``PERFKIT_MPI_LIBRARY``, then beside the loaded libperfkit, then the soname
``libperfkit-mpi.so.1``; it must be built against the MPI library mpi4py
uses (Debian's python3-mpi4py and libopenmpi-dev agree).
"""

from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_size_t, c_void_p
from typing import Any, Optional, Tuple

from . import _args
from . import _errors
from . import _lib
from . import _structs as S
from ._lib import raise_for
from .results import Results

__all__ = ["clock_offset", "gather", "harness_run", "agree", "place", "pingpong",
           "collective"]

SONAME = "libperfkit-mpi.so.1"
_mpi_lib: Optional[ctypes.CDLL] = None
_COMM_T: Any = None


def _library() -> ctypes.CDLL:
    """Load libperfkit-mpi (and check that mpi4py is there) on first use."""
    global _mpi_lib, _COMM_T
    if _mpi_lib is not None:
        return _mpi_lib
    try:
        from mpi4py import MPI
    except ImportError as e:
        raise ImportError("perfkit.mpi needs mpi4py (Debian: python3-mpi4py): %s" % e) from None
    _COMM_T = c_void_p if MPI._sizeof(MPI.Comm) == ctypes.sizeof(c_void_p) else c_int
    explicit = os.environ.get("PERFKIT_MPI_LIBRARY")
    tried = []
    candidates = [explicit] if explicit else [
        os.path.join(os.path.dirname(os.path.abspath(_lib.path)), SONAME),
        os.path.join(os.path.dirname(os.path.abspath(_lib.path)), "mpi", SONAME), SONAME]
    for path in candidates:
        try:
            lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
            break
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    else:
        raise _errors.LibraryNotFoundError(
            "perfkit.mpi: libperfkit-mpi could not be loaded: tried %s; build libperfkit "
            "with MPI (meson setup -Dmpi=enabled) or set PERFKIT_MPI_LIBRARY" % "; ".join(tried))
    protos = {
        "perfkit_mpi_clock_offset": (c_int, [_COMM_T, c_int, POINTER(c_double),
                                             POINTER(c_double)]),
        "perfkit_mpi_results_gather": (c_int, [_COMM_T, c_void_p, c_int, POINTER(c_void_p)]),
        "perfkit_mpi_harness_run": (c_int, [_COMM_T, POINTER(S.HarnessOptions),
                                            POINTER(c_void_p)]),
        "perfkit_mpi_agree": (c_int, [_COMM_T, c_int]),
        "perfkit_mpi_place": (c_int, [_COMM_T, POINTER(c_int), c_char_p, c_size_t]),
        "perfkit_mpi_p2p_options_init": (c_int, [POINTER(S.MpiP2pOptions)]),
        "perfkit_mpi_pingpong": (c_int, [_COMM_T, POINTER(S.MpiP2pOptions),
                                         POINTER(c_void_p)]),
        "perfkit_mpi_collective_options_init": (c_int, [POINTER(S.MpiCollectiveOptions)]),
        "perfkit_mpi_collective_run": (c_int, [_COMM_T, POINTER(S.MpiCollectiveOptions),
                                               POINTER(c_void_p)]),
    }
    for name, (res, argt) in protos.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, argt
    _mpi_lib = lib
    return lib


def _handle(comm: Any, function: str) -> Any:
    from mpi4py import MPI
    if not isinstance(comm, MPI.Comm):
        raise TypeError("%s: comm must be an mpi4py communicator, not %s"
                        % (function, type(comm).__name__))
    return _COMM_T(MPI._handleof(comm))


def _call(function: str, *args: Any) -> int:
    lib = _library()
    _lib.lib.perfkit_clear_error()
    rc = getattr(lib, function)(*args)
    if rc < 0:
        raise_for(rc, function)
    return rc


def clock_offset(comm: Any, root: int = 0) -> Tuple[float, float]:
    """(offset, uncertainty) in seconds: add offset to this rank's
    CLOCK_REALTIME to get the root's clock (0 on the root)."""
    _library()
    h = _handle(comm, "mpi.clock_offset")
    off, unc = c_double(), c_double()
    _call("perfkit_mpi_clock_offset", h,
          _args.integer(root, "root", "mpi.clock_offset", -2**31, 2**31 - 1),
          byref(off), byref(unc))
    return off.value, unc.value


def gather(comm: Any, results: Results, root: int = 0) -> Optional[Results]:
    """Every rank's records onto ``root``, on its time axis (None elsewhere)."""
    _library()
    h = _handle(comm, "mpi.gather")
    if not isinstance(results, Results):
        raise TypeError("mpi.gather: results must be a perfkit.Results")
    out = c_void_p()
    _call("perfkit_mpi_results_gather", h, results._h,
          _args.integer(root, "root", "mpi.gather", -2**31, 2**31 - 1), byref(out))
    return Results(out) if out else None


def harness_run(comm: Any, **options: Any) -> Optional[Results]:
    """perfkit.harness.run() on every rank at once, records gathered on
    rank 0 (None elsewhere); ``workers`` is per rank. Options as for
    :func:`perfkit.harness.run`."""
    from .harness import _Run, _defaults
    _library()
    h = _handle(comm, "mpi.harness_run")
    kw = dict(kernel="dgemm", size=1024, loopcount=10, workers=0)
    for k in list(kw):
        if k in options:
            kw[k] = options.pop(k)
    r = _Run("mpi.harness_run", kw["kernel"], kw["size"], kw["loopcount"], kw["workers"],
             **_defaults(options))
    out = c_void_p()
    lib = _library()
    _lib.lib.perfkit_clear_error()
    with r.kernel_context():  # a Python kernel's exceptions, re-raised below
        rc = lib.perfkit_mpi_harness_run(h, byref(r.opt), byref(out))
    res = Results(out) if out else None
    r.raise_kernel_error(res)
    if r.error is not None:
        raise r.error
    if rc < 0:
        try:
            raise_for(rc, "perfkit_mpi_harness_run")
        except _errors.Error as e:
            e.results = res  # type: ignore[attr-defined]
            raise
    return res


def agree(comm: Any, rc: int = 0, message: str = "") -> None:
    """Agree on one result across ranks: raise on every rank the error of
    the lowest rank that passed a negative errno (with ``message``)."""
    _library()
    h = _handle(comm, "mpi.agree")
    code = _args.integer(rc, "rc", "mpi.agree", -2**31, 2**31 - 1)
    if code:
        _lib.lib.perfkit_set_error.argtypes = [c_int, c_char_p, c_char_p]
        _lib.lib.perfkit_set_error(code, b"%s", _args.text(message, "message", "mpi.agree"))
        rc2 = _library().perfkit_mpi_agree(h, code)
    else:
        _lib.lib.perfkit_clear_error()
        rc2 = _library().perfkit_mpi_agree(h, 0)
    if rc2 != 0:
        raise_for(rc2 if rc2 < 0 else -abs(rc2), "perfkit_mpi_agree")


def place(comm: Any) -> Tuple[str, str]:
    """Give each rank of a node its own share of the node's cores:
    ("kept" or "split", this rank's CPUs as "0-3,8"). Call right after
    MPI is initialised, before anything probes the machine."""
    _library()
    h = _handle(comm, "mpi.place")
    how = c_int()
    buf = ctypes.create_string_buffer(256)
    _call("perfkit_mpi_place", h, byref(how), buf, len(buf))
    return ("kept" if how.value == 0 else "split"), buf.value.decode()


P2P = {"pingpong": 0, "stream": 1}
COLLECTIVES = {"barrier": 0, "bcast": 1, "scatter": 2, "gather": 3, "reduce": 4,
               "allreduce": 5, "alltoall": 6}


def pingpong(comm: Any, pattern: str = "pingpong", min_bytes: int = 0,
             max_bytes: int = 4 << 20, perturbation: int = 3, trials: int = 5,
             trial_time: float = 0.005, warmup: int = 2, window: int = 64) -> Optional[Results]:
    """Latency and bandwidth between ranks 0 and 1 per message size (NetPIPE's
    ping-pong, or osu_bw's "stream"); one record per size on rank 0 (None
    elsewhere), with extra columns latency_s, latency_median_s,
    bandwidth_MBps, same_node, ..."""
    fn = "mpi.pingpong"
    _library()
    h = _handle(comm, fn)
    o = S.MpiP2pOptions()
    _call("perfkit_mpi_p2p_options_init", byref(o))
    o.pattern = _args.choice(pattern, "pattern", fn, P2P)
    o.min_bytes = _args.integer(min_bytes, "min_bytes", fn, _args.I64_MIN, _args.I64_MAX)
    o.max_bytes = _args.integer(max_bytes, "max_bytes", fn, _args.I64_MIN, _args.I64_MAX)
    o.perturbation = _args.integer(perturbation, "perturbation", fn, -2**31, 2**31 - 1)
    o.trials = _args.integer(trials, "trials", fn, 0, _args.UINT_MAX)
    o.trial_time = _args.real(trial_time, "trial_time", fn)
    o.warmup = _args.u64(warmup, "warmup", fn)
    o.window = _args.integer(window, "window", fn, 0, _args.UINT_MAX)
    out = c_void_p()
    _call("perfkit_mpi_pingpong", h, byref(o), byref(out))
    return Results(out) if out else None


def collective(comm: Any, op: str = "allreduce", min_bytes: int = 4,
               max_bytes: int = 1 << 20, time: float = 0.01, warmup: int = 2,
               root: int = 0) -> Optional[Results]:
    """Time one collective ("barrier", "bcast", "scatter", "gather",
    "reduce", "allreduce", "alltoall") per message size, as the OSU
    micro-benchmarks do; one record per size on rank 0 (None elsewhere),
    with latency_min_s, latency_mean_s and latency_max_s over ranks."""
    fn = "mpi.collective"
    _library()
    h = _handle(comm, fn)
    o = S.MpiCollectiveOptions()
    _call("perfkit_mpi_collective_options_init", byref(o))
    o.op = _args.choice(op, "op", fn, COLLECTIVES)
    o.min_bytes = _args.integer(min_bytes, "min_bytes", fn, _args.I64_MIN, _args.I64_MAX)
    o.max_bytes = _args.integer(max_bytes, "max_bytes", fn, _args.I64_MIN, _args.I64_MAX)
    o.time = _args.real(time, "time", fn)
    o.warmup = _args.u64(warmup, "warmup", fn)
    o.root = _args.integer(root, "root", fn, -2**31, 2**31 - 1)
    out = c_void_p()
    _call("perfkit_mpi_collective_run", h, byref(o), byref(out))
    return Results(out) if out else None
