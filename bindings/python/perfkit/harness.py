# SPDX-License-Identifier: MIT
"""The FLOPS-kernel harness: built-in kernels (dgemm, peak, STREAM, ...) on
W workers pinned with hwloc, one record per worker, and the pywren
notebook's aggregates (peak and effective GFLOPS, timelines, histogram).

Kernels run in C threads or forked processes: the GIL is released for the
whole run of a built-in kernel.

A Python callable can be a kernel too (:func:`register_kernel`, or the
:func:`kernel` decorator), in threads mode only. The worker threads call it
through ctypes callbacks, which hold the GIL while Python code runs: a
callable that spends its time in code that releases the GIL (numpy's
matrix products and large array operations, ``time.sleep``, I/O) runs on
all workers at once; pure Python code runs one worker at a time, so W
workers get about the rate of one. Processes mode is refused
(:class:`perfkit.NotSupportedError`): the library forks while another
Python thread may hold the GIL, and a child that then calls Python would
hang. See docs/python.md, "Harness".
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from ctypes import POINTER, byref, c_double, c_int, c_int64, c_size_t, c_uint, c_void_p
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _args
from . import _kernels
from . import _structs as S
from ._errors import make_error
from ._kernels import Count, Kernel
from ._lib import call, last_error, lib, strerror
from .results import Results

__all__ = ["Progress", "Kernel", "register_kernel", "kernel", "run", "sweep_workers", "sweep_sizes",
           "summarize", "peak_timeline", "effective_timeline", "histogram",
           "oversubscription", "kernels"]

#: A ``kernel=`` argument: a registered kernel's name, or a Python Kernel.
KernelName = Union[str, Kernel]

MODES = {"threads": 0, "processes": 1}
PLACEMENTS = {"none": 0, "compact": 1, "scatter": 2}
STARTS = {"barrier": 0, "staggered": 1}


@dataclass(frozen=True)
class Progress:
    """Where a run stands, after each collected worker."""
    done: int
    total: int
    point: int
    points: int
    #: The record just collected (a copy).
    record: Any


def kernels() -> Dict[str, str]:
    """The registered kernels: name -> description."""
    n = c_size_t()
    call("perfkit_kernel_list", None, 0, byref(n))
    arr = (c_void_p * max(n.value, 1))()
    call("perfkit_kernel_list", arr, n.value, byref(n))
    return {lib.perfkit_kernel_name(arr[i]).decode(): lib.perfkit_kernel_description(arr[i]).decode()
            for i in range(n.value)}


def register_kernel(name: str, run: Callable[[Any], Any], *,
                    setup: Optional[Callable[[int], Any]] = None,
                    teardown: Optional[Callable[[Any], Any]] = None,
                    verify: Optional[Callable[[Any], Any]] = None,
                    flops: Count = 0.0, bytes: Count = 0.0, description: str = "",
                    replace: bool = False) -> Kernel:
    """Register a Python callable as a harness kernel (threads mode only).

    Each worker calls ``state = setup(size)`` once (untimed: between its
    record's ``t_start`` and ``t_setup``; without ``setup`` the state is the
    size), then ``run(state)`` once per repetition (timed: ``t_setup`` to
    ``t_end``), then, when the run verifies, ``verify(state)`` (``False``
    or an exception fails the worker; without ``verify`` it passes), and
    ``teardown(state)``. All are called in the worker's thread.

    Args:
        name: 1 to 63 characters from [A-Za-z0-9_.-], unique among all
            kernels (the built-ins too).
        run: one repetition of the work.
        setup, teardown, verify: see above; optional.
        flops, bytes: floating-point operations and bytes moved by one
            repetition: a number, or a function of the size; the records'
            ``flops`` and ``bytes`` (and so every GFLOPS the library
            computes) come from them.
        description: one line for :func:`kernels`.
        replace: if ``name`` is already a Python kernel, swap in these
            callables (a notebook cell run twice); the library keeps the
            first description. A C kernel's name is never replaced.

    Returns:
        The :class:`Kernel`; pass it (or its name) as ``kernel=`` to
        :func:`run` and the sweeps.

    Raises:
        TypeError: ``name`` is not a str, or ``run``, ``setup``,
            ``teardown`` or ``verify`` is not callable.
        InvalidArgumentError: a count is negative, NaN, infinite or above
            1e24; or the library refuses the name.
        ExistsError: a kernel of that name is registered (``replace``
            aside).

    The library keeps a registration until the process exits, and so does
    this package with the callables: registering is for good.
    """
    return _kernels.register(name, run, setup=setup, teardown=teardown, verify=verify,
                             flops=flops, nbytes=bytes, description=description,
                             replace=replace)


def kernel(name: Optional[str] = None, **options: Any) -> Callable[[Callable[[Any], Any]], Kernel]:
    """Decorator form of :func:`register_kernel`; the name defaults to the
    function's ``__name__``::

        @perfkit.harness.kernel(setup=lambda n: np.ones((n, n)), flops=lambda n: 2 * n**3)
        def matmul(a):
            a @ a
    """
    def register(fn: Callable[[Any], Any]) -> Kernel:
        return register_kernel(name if name is not None else getattr(fn, "__name__", ""),
                               fn, **options)
    return register


class _Run:
    """Options in C form, with the callbacks and strings kept alive."""

    def __init__(self, fn: str, kernel: KernelName, size: int, loopcount: int, workers: int,
                 mode: str, placement: str, threads: int, warmup: int, start: str,
                 stagger: float, min_time: float, verify: bool, peak_reference: float,
                 total_loopcount: int,
                 progress: Optional[Callable[[Progress], Any]]) -> None:
        o = S.HarnessOptions()
        call("perfkit_harness_options_init", byref(o))
        self.pykernel = _kernels.from_argument(kernel, fn)
        if self.pykernel is not None:
            kernel = self.pykernel.name
        self._kernel = _args.text(kernel, "kernel", fn)
        o.kernel = self._kernel
        o.problem_size = _args.integer(size, "size", fn, _args.I64_MIN, _args.I64_MAX)
        o.loopcount = _args.u64(loopcount, "loopcount", fn)
        o.min_time = _args.real(min_time, "min_time", fn)
        o.workers = _args.integer(workers, "workers", fn, 0, _args.UINT_MAX)
        o.mode = _args.choice(mode, "mode", fn, MODES)
        if self.pykernel is not None and o.mode == MODES["processes"]:
            raise _kernels.refuse_processes(fn, kernel)
        o.placement = _args.choice(placement, "placement", fn, PLACEMENTS)
        o.threads = _args.integer(threads, "threads", fn, 0, _args.UINT_MAX)
        o.warmup = _args.u64(warmup, "warmup", fn)
        o.start = _args.choice(start, "start", fn, STARTS)
        o.stagger = _args.real(stagger, "stagger", fn)
        o.verify = 1 if verify else 0
        o.peak_reference = _args.real(peak_reference, "peak_reference", fn)
        o.total_loopcount = _args.u64(total_loopcount, "total_loopcount", fn)
        self.cancel = c_int(0)
        o.cancel = ctypes.pointer(self.cancel)
        self.error: Optional[BaseException] = None
        self.ctx: Optional[_kernels.RunContext] = None
        self.check_size(o.problem_size)
        if progress is not None:
            if not callable(progress):
                raise TypeError("%s: progress must be callable" % fn)
            self._cb = S.HARNESS_PROGRESS_FN(self._progress_cb(progress))
            o.progress = self._cb
        self.opt = o

    def _progress_cb(self, user: Callable[[Progress], Any]) -> Callable[..., None]:
        from .results import Record

        def cb(p: Any, _userdata: Any) -> None:
            if self.error is not None:
                return
            try:
                q = p.contents
                rec = Record.from_c(q.record.contents) if q.record else None
                user(Progress(q.done, q.total, q.point, q.points, rec))
            except BaseException as e:  # stop the run, re-raise after it
                self.error = e
                self.cancel.value = 1
        return cb

    def check_size(self, size: int) -> None:
        """A Python kernel's counts at ``size``, before any C call: the
        user's flops/bytes functions raise here, not in a worker."""
        if self.pykernel is not None and size > 0:
            self.pykernel.flops(size)
            self.pykernel.bytes(size)

    def _stop(self) -> None:
        self.cancel.value = 1

    @contextlib.contextmanager
    def kernel_context(self) -> Iterator[None]:
        """Around a C call that may run a Python kernel in this thread's
        run (perfkit.mpi): its callables report to this run; then
        :meth:`raise_kernel_error`."""
        if self.pykernel is None:
            yield
            return
        self.ctx = _kernels.begin_run(on_stop=self._stop)
        try:
            yield
        finally:
            _kernels.end_run(self.ctx)

    def raise_kernel_error(self, out: Optional[Results]) -> None:
        """Re-raise what a Python kernel raised during the run, if it did."""
        failure = self.ctx.first_error() if self.ctx is not None else None
        if failure is not None:
            raise _kernels.with_results(failure, len(self.ctx.errors), out)  # type: ignore[union-attr]

    def _call(self, c_name: str, *extra: Any) -> Tuple[int, c_void_p, str]:
        h = c_void_p()
        lib.perfkit_clear_error()
        rc = getattr(lib, c_name)(byref(self.opt), *extra, byref(h))
        return rc, h, last_error()

    def _call_python(self, c_name: str, *extra: Any) -> Tuple[int, c_void_p, str]:
        """A run of a Python kernel. The C call runs in a helper thread and
        this one waits, so that Ctrl-C (delivered to the main thread)
        stops every worker at its next repetition; a second Ctrl-C
        abandons the run (it goes on in the background)."""
        ctx = self.ctx = _kernels.begin_run(on_stop=self._stop)
        box: List[Tuple[int, c_void_p, str]] = []
        done = threading.Event()

        def target() -> None:
            try:
                box.append(self._call(c_name, *extra))
            finally:
                _kernels.end_run(ctx)
                done.set()

        t = threading.Thread(target=target, name="perfkit-harness", daemon=True)
        try:
            t.start()
        except BaseException:
            _kernels.end_run(ctx)
            raise
        try:
            _kernels.wait(done)
        except KeyboardInterrupt as e:
            ctx.failed(e, "the caller (Ctrl-C)")
            _kernels.wait(done)
        t.join()
        return box[0]

    def go(self, c_name: str, *extra: Any) -> Results:
        if self.pykernel is None:
            rc, h, message = self._call(c_name, *extra)
        else:
            rc, h, message = self._call_python(c_name, *extra)
        out = Results(h) if h else None
        self.raise_kernel_error(out)
        if self.error is not None:
            raise self.error
        if rc < 0:
            e = make_error(rc, c_name, message, strerror(rc))
            e.results = out  # type: ignore[attr-defined]  # the records of the workers that ran
            raise e
        assert out is not None
        return out


_DOC_OPTIONS = """
    Args:
        kernel: a registered kernel's name (:func:`kernels`): "dgemm",
            "peak", ...; or a Python :class:`Kernel` (threads mode only).
        size: problem size in the kernel's unit (matrix order for dgemm).
        loopcount: timed repetitions per worker (0: use ``min_time``).
        workers: worker count; 0 = one per allowed core.
        mode: "threads" or "processes" (forked, like the notebook's lambdas).
        placement: "compact", "scatter" or "none".
        threads: kernel threads per worker (BLIS threads for dgemm).
        warmup: untimed repetitions before the timed work.
        start: "barrier" (all start together) or "staggered".
        stagger: seconds between submissions with a staggered start.
        min_time: with loopcount 0, repeat until this many seconds.
        verify: check each worker's result after the timed work.
        peak_reference: seconds of the `peak` kernel first (0: none).
        total_loopcount: strong scaling: the workers share this many
            repetitions in all.
        progress: called with a :class:`Progress` after each collected
            worker; an exception it raises stops the run (workers already
            submitted finish) and is re-raised.

    Raises:
        InvalidArgumentError: an option is invalid (the message names it).
        Error: a worker failed; ``e.results`` holds every record, the
            failed ones with their status and an "error" column.
        NotSupportedError: a Python kernel with mode="processes".
        BaseException: what a Python kernel's callable raised (the first
            one; a KeyboardInterrupt before any other), re-raised after
            the run with ``e.results`` as above. Ctrl-C during a run of a
            Python kernel stops every worker at its next repetition and
            raises KeyboardInterrupt the same way.
"""


def run(kernel: KernelName = "dgemm", size: int = 1024, loopcount: int = 10, workers: int = 0,
        mode: str = "threads", placement: str = "compact", threads: int = 1,
        warmup: int = 0, start: str = "barrier", stagger: float = 0.0,
        min_time: float = 0.0, verify: bool = True, peak_reference: float = 0.0,
        total_loopcount: int = 0,
        progress: Optional[Callable[[Progress], Any]] = None) -> Results:
    """Run a kernel on W workers; one record per worker (the pywren
    notebook's ``--workers --loopcount --matn``)."""
    r = _Run("harness.run", kernel, size, loopcount, workers, mode, placement, threads,
             warmup, start, stagger, min_time, verify, peak_reference, total_loopcount,
             progress)
    return r.go("perfkit_harness_run")


run.__doc__ = (run.__doc__ or "") + _DOC_OPTIONS


def sweep_workers(counts: Optional[Sequence[int]] = None, kernel: KernelName = "dgemm",
                  size: int = 1024, loopcount: int = 10, **options: Any) -> Results:
    """Run the same options at several worker counts (default 1..cores):
    a scaling series in one set, records told apart by their "workers"
    parameter. Options as for :func:`run` (``workers`` is ignored)."""
    options.pop("workers", None)
    r = _Run("harness.sweep_workers", kernel, size, loopcount, 0, **_defaults(options))
    if counts is None:
        return r.go("perfkit_harness_sweep_workers", None, 0)
    cs = [_args.integer(c, "counts[%d]" % i, "harness.sweep_workers", 0, _args.UINT_MAX)
          for i, c in enumerate(counts)]
    arr = (c_uint * max(len(cs), 1))(*cs)
    return r.go("perfkit_harness_sweep_workers", arr, len(cs))


def sweep_sizes(sizes: Sequence[int], kernel: KernelName = "dgemm", loopcount: int = 10,
                workers: int = 0, **options: Any) -> Results:
    """Run the same options at several problem sizes (roofline points);
    records told apart by problem_size."""
    fn = "harness.sweep_sizes"
    if sizes is None or isinstance(sizes, (str, bytes)):
        raise TypeError("%s: sizes must be a sequence of integers" % fn)
    ss = [_args.integer(s, "sizes[%d]" % i, fn, _args.I64_MIN, _args.I64_MAX)
          for i, s in enumerate(sizes)]
    r = _Run(fn, kernel, ss[0] if ss else 1, loopcount, workers, **_defaults(options))
    for s in ss:
        r.check_size(s)
    arr = (c_int64 * max(len(ss), 1))(*ss)
    return r.go("perfkit_harness_sweep_sizes", arr, len(ss))


def _defaults(options: Dict[str, Any]) -> Dict[str, Any]:
    known = dict(mode="threads", placement="compact", threads=1, warmup=0,
                 start="barrier", stagger=0.0, min_time=0.0, verify=True,
                 peak_reference=0.0, total_loopcount=0, progress=None)
    unknown = set(options) - set(known)
    if unknown:
        raise TypeError("unknown harness option(s): %s" % ", ".join(sorted(unknown)))
    known.update(options)
    return known


def summarize(results: Results, key: Optional[str] = None, value: Any = None) -> Dict[str, float]:
    """Aggregates of the worker records (peak, concurrent and effective
    GFLOPS, straggler ratio, theoretical share, ...); of one sweep point
    with ``key``/``value`` (e.g. "workers", 4)."""
    fn = "harness.summarize"
    _check_results(results, fn)
    s = S.HarnessSummary()
    if key is None:
        call("perfkit_harness_summarize", results._h, byref(s))
    else:
        call("perfkit_harness_summarize_point", results._h, _args.text(key, "key", fn),
             _args.text(str(value), "value", fn), byref(s))
    return s.to_dict()


def _check_results(results: Any, fn: str) -> None:
    if not isinstance(results, Results):
        raise TypeError("%s: results must be a perfkit.Results, not %s"
                        % (fn, type(results).__name__))


def peak_timeline(results: Results, bin_width: float = 1.0) -> Tuple[np.ndarray, np.ndarray]:
    """The "peak GFLOPS" curve: (bin start times s, summed GFLOPS per bin)."""
    fn = "harness.peak_timeline"
    _check_results(results, fn)
    w = _args.real(bin_width, "bin_width", fn)
    n = c_size_t()
    call("perfkit_harness_peak_timeline", results._h, w, None, 0, byref(n))
    out = np.zeros(n.value)
    call("perfkit_harness_peak_timeline", results._h, w, _args.ptr(out), n.value, byref(n))
    return np.arange(n.value) * w, out


def effective_timeline(results: Results) -> Tuple[np.ndarray, np.ndarray]:
    """The "effective GFLOPS" curve: (collection times s, flops collected so
    far / time since the first submission, GFLOPS)."""
    fn = "harness.effective_timeline"
    _check_results(results, fn)
    n = c_size_t()
    call("perfkit_harness_effective_timeline", results._h, None, None, 0, byref(n))
    t, g = np.zeros(n.value), np.zeros(n.value)
    call("perfkit_harness_effective_timeline", results._h, _args.ptr(t), _args.ptr(g),
         n.value, byref(n))
    return t, g


def histogram(results: Results, edges: Sequence[float]) -> Tuple[np.ndarray, int, int]:
    """Per-worker GFLOPS histogram: (counts per bin, below, above), bins as
    numpy.histogram's."""
    fn = "harness.histogram"
    _check_results(results, fn)
    e = _args.doubles(edges, "edges", fn)
    counts = np.zeros(max(len(e) - 1, 1), dtype=np.uintp)
    below, above = c_size_t(), c_size_t()
    call("perfkit_harness_histogram", results._h, _args.ptr(e), len(e),
         counts.ctypes.data_as(POINTER(c_size_t)), byref(below), byref(above))
    return counts[:max(len(e) - 1, 0)].astype(np.int64), below.value, above.value


def oversubscription(results: Results) -> Tuple[float, str]:
    """(factor, warning text): threads that could run at once over allowed
    cores (<= 1: none), and what to change."""
    fn = "harness.oversubscription"
    _check_results(results, fn)
    f = c_double()
    buf = ctypes.create_string_buffer(4096)
    call("perfkit_harness_oversubscription", results._h, byref(f), buf, len(buf))
    return f.value, buf.value.decode("utf-8", "replace")
