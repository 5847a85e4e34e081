# SPDX-License-Identifier: MIT
"""Python callables as harness kernels: the registry behind
:func:`perfkit.harness.register_kernel`.

The library calls a kernel through the function pointers of a
``struct perfkit_kernel_ops``; here they are ctypes callbacks, which take
the GIL on entry and release it on return. Each worker thread of the
harness therefore runs the user's Python code under the GIL: code that
spends its time in C without the GIL (numpy's BLAS, large array
operations, ``time.sleep``, I/O) runs on all workers at once, pure Python
runs one worker at a time.

Lifetime: the library keeps a registration (and its function pointers)
until the process exits, so every callback object registered here is kept
in :data:`_REGISTRY` for as long; nothing registered is ever freed.

Errors: a callback never lets an exception reach ctypes (which would
print it and return garbage). It stores the exception in the run's
:class:`RunContext`, sets the thread's libperfkit message with
``perfkit_set_error()`` (the record's "error" column) and returns a
negative errno (the record's status); the harness re-raises the
exception after the run, with every record.
"""

from __future__ import annotations

import ctypes
import errno as _errno
import itertools
import math
import numbers
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple, Union

from . import _args
from . import _structs as S
from ._errors import Error, NotSupportedError, make_error
from ._lib import call, lib, strerror

if TYPE_CHECKING:
    from .results import Results

#: A per-repetition count: a number, or a function of the problem size.
Count = Union[int, float, Callable[[int], float]]

#: Largest flop or byte count accepted for one repetition: a guard against
#: typos (1e24 flops is a year of a 30 PFLOPS machine).
COUNT_MAX = 1e24

_REGISTRY: Dict[str, "Kernel"] = {}
_REGISTRY_LOCK = threading.Lock()


class RunContext:
    """What the callbacks of one harness run report to its caller."""

    def __init__(self, on_stop: Optional[Callable[[], None]] = None) -> None:
        #: Set by Ctrl-C or a KeyboardInterrupt in a callable: every
        #: worker stops at its next repetition.
        self.stop = False
        #: (exception, "kernel 'name' run") in the order they happened.
        self.errors: List[Tuple[BaseException, str]] = []
        self._on_stop = on_stop
        self._lock = threading.Lock()

    def failed(self, exc: BaseException, where: str) -> None:
        with self._lock:
            self.errors.append((exc, where))
        if isinstance(exc, KeyboardInterrupt):
            self.stop = True
            if self._on_stop is not None:
                self._on_stop()

    def first_error(self) -> Optional[Tuple[BaseException, str]]:
        """The exception to re-raise: a KeyboardInterrupt if any (the
        user asked to stop), else the first one."""
        with self._lock:
            for e in self.errors:
                if isinstance(e[0], KeyboardInterrupt):
                    return e
            return self.errors[0] if self.errors else None


_active: Optional[RunContext] = None
_RUN_LOCK = threading.Lock()


def begin_run(on_stop: Optional[Callable[[], None]] = None) -> RunContext:
    """Make the context of a run of Python kernels current (one at a time)."""
    global _active
    if not _RUN_LOCK.acquire(blocking=False):
        raise RuntimeError("perfkit.harness: another run of a Python kernel is in "
                           "progress (runs must not overlap, nor start from a kernel)")
    _active = RunContext(on_stop)
    return _active


def end_run(ctx: RunContext) -> None:
    global _active
    if _active is ctx:
        _active = None
        _RUN_LOCK.release()


class _Impl:
    """The user's callables; swapped as a whole by ``replace=True``."""
    __slots__ = ("run", "setup", "teardown", "verify", "flops", "bytes")

    def __init__(self, run: Callable[[Any], Any], setup: Optional[Callable[[int], Any]],
                 teardown: Optional[Callable[[Any], Any]],
                 verify: Optional[Callable[[Any], Any]], flops: Count, nbytes: Count) -> None:
        self.run, self.setup, self.teardown, self.verify = run, setup, teardown, verify
        self.flops, self.bytes = flops, nbytes


class _Instance:
    __slots__ = ("impl", "state", "ctx")

    def __init__(self, impl: _Impl, state: Any, ctx: RunContext) -> None:
        self.impl, self.state, self.ctx = impl, state, ctx


# set up instances by the key their C state pointer holds
_INSTANCES: Dict[int, _Instance] = {}
_KEYS = itertools.count(1)


def _code_of(exc: BaseException) -> int:
    if isinstance(exc, Error) and exc.code < 0:
        return exc.code
    if isinstance(exc, KeyboardInterrupt):
        return -_errno.ECANCELED
    if isinstance(exc, MemoryError):
        return -_errno.ENOMEM
    if isinstance(exc, OSError) and isinstance(exc.errno, int) and exc.errno > 0:
        return -exc.errno
    return -_errno.EIO


def _say(code: int, text: str) -> int:
    """Set the calling thread's libperfkit message (the record's error)."""
    lib.perfkit_set_error(code, b"%s", text.encode("utf-8", "replace")[:480])
    return code


def _report(ctx: RunContext, exc: BaseException, where: str) -> int:
    ctx.failed(exc, where)
    text = "%s: %s" % (type(exc).__name__, exc) if str(exc) else type(exc).__name__
    return _say(_code_of(exc), text)


def _stopped() -> int:
    return _say(-_errno.ECANCELED, "stopped (KeyboardInterrupt)")


def _count_arg(value: Any, name: str, function: str) -> Count:
    """A declared count: a callable, or a finite number in [0, COUNT_MAX]."""
    if callable(value):
        return value
    v = _args.real(value, name, function)
    if not math.isfinite(v) or v < 0 or v > COUNT_MAX:
        raise _args.bad(function, name, "is %r; a count per repetition must be a "
                        "finite number in [0, %g] or a function of the size" % (v, COUNT_MAX))
    return v


def _callable_arg(value: Any, name: str, function: str, required: bool = False) -> Any:
    if value is None and not required:
        return None
    if not callable(value):
        raise TypeError("%s: %s must be callable, not %s" % (function, name, type(value).__name__))
    return value


class Kernel:
    """A Python kernel registered with libperfkit (from
    :func:`perfkit.harness.register_kernel`); run it with
    ``perfkit.harness.run(kernel=k)`` or by its name.

    Calling the object calls its ``run`` callable (so that a decorated
    function stays usable)."""

    def __init__(self, name: str, description: str, impl: _Impl) -> None:
        self._name = name
        self._description = description
        self._impl = impl
        self._keep: Tuple[Any, ...] = ()  # ctypes objects the library points to

    @property
    def name(self) -> str:
        """The name the library knows it by."""
        return self._name

    @property
    def description(self) -> str:
        """The description given at its first registration."""
        return self._description

    def flops(self, size: int) -> float:
        """Floating-point operations of one repetition at ``size``."""
        return self._count("flops", size)

    def bytes(self, size: int) -> float:
        """Bytes moved by one repetition at ``size``, as declared."""
        return self._count("bytes", size)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._impl.run(*args, **kwargs)

    def __repr__(self) -> str:
        return "<perfkit.harness.Kernel %r (Python)>" % self._name

    def _count(self, which: str, size: int) -> float:
        fn = "Kernel.%s" % which
        n = _args.integer(size, "size", fn, 1, _args.I64_MAX)
        c = getattr(self._impl, which)
        v = c(n) if callable(c) else c
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError("kernel '%s': %s(%d) returned %s, not a number"
                            % (self._name, which, n, type(v).__name__))
        v = float(v)
        if not math.isfinite(v) or v < 0 or v > COUNT_MAX:
            raise _args.bad("kernel '%s'" % self._name, "%s(%d)" % (which, n),
                            "is %r; not a count in [0, %g]" % (v, COUNT_MAX))
        return v

    # ---- the C callbacks ----

    def _setup_cb(self, size: int, _options: Any, _userdata: Any, state: Any) -> int:
        ctx = _active if _active is not None else RunContext()
        if ctx.stop:
            return _stopped()
        impl = self._impl
        try:
            st = impl.setup(size) if impl.setup is not None else size
        except BaseException as e:  # noqa: B902 - reported, re-raised after the run
            return _report(ctx, e, "kernel '%s' setup" % self._name)
        key = next(_KEYS)
        _INSTANCES[key] = _Instance(impl, st, ctx)
        state[0] = key
        return 0

    def _run_cb(self, key: int, repetitions: int) -> int:
        inst = _INSTANCES.get(key)
        if inst is None:
            return _say(-_errno.EINVAL, "no such instance")
        run, st, ctx = inst.impl.run, inst.state, inst.ctx
        try:
            for _ in range(repetitions):
                if ctx.stop:
                    return _stopped()
                run(st)
        except BaseException as e:  # noqa: B902
            return _report(ctx, e, "kernel '%s' run" % self._name)
        return 0

    def _teardown_cb(self, key: int) -> None:
        inst = _INSTANCES.pop(key, None)
        if inst is None or inst.impl.teardown is None:
            return
        try:
            inst.impl.teardown(inst.state)
        except BaseException as e:  # noqa: B902
            _report(inst.ctx, e, "kernel '%s' teardown" % self._name)

    def _verify_cb(self, key: int) -> int:
        inst = _INSTANCES.get(key)
        if inst is None:
            return _say(-_errno.EINVAL, "no such instance")
        if inst.impl.verify is None:
            return -_errno.ENOTSUP  # the harness counts it as passed
        try:
            ok = inst.impl.verify(inst.state)
        except BaseException as e:  # noqa: B902
            return _report(inst.ctx, e, "kernel '%s' verify" % self._name)
        if ok is False:
            return _say(-_errno.EBADMSG, "verify() returned False")
        return 0

    def _count_cb(self, which: str) -> Callable[[int, Any], float]:
        def cb(size: int, _userdata: Any) -> float:
            try:
                return self._count(which, size)
            except BaseException as e:  # noqa: B902
                (_active or RunContext()).failed(e, "kernel '%s' %s" % (self._name, which))
                return math.nan  # the library refuses it (-ERANGE)
        return cb

    def _ops(self, name: bytes, description: Optional[bytes]) -> S.KernelOps:
        fns = (S.KERNEL_SETUP_FN(self._setup_cb), S.KERNEL_RUN_FN(self._run_cb),
               S.KERNEL_TEARDOWN_FN(self._teardown_cb),
               S.KERNEL_COUNT_FN(self._count_cb("flops")),
               S.KERNEL_COUNT_FN(self._count_cb("bytes")),
               S.KERNEL_VERIFY_FN(self._verify_cb))
        ops = S.KernelOps(size=ctypes.sizeof(S.KernelOps), name=name, description=description,
                          setup=fns[0], run=fns[1], teardown=fns[2], flops=fns[3],
                          bytes=fns[4], verify=fns[5])
        self._keep = (ops,) + fns + (name, description)
        return ops


def register(name: str, run: Callable[[Any], Any], *, setup: Optional[Callable[[int], Any]] = None,
             teardown: Optional[Callable[[Any], Any]] = None,
             verify: Optional[Callable[[Any], Any]] = None, flops: Count = 0.0,
             nbytes: Count = 0.0, description: str = "", replace: bool = False,
             function: str = "harness.register_kernel") -> Kernel:
    """See :func:`perfkit.harness.register_kernel`."""
    fn = function
    cname = _args.text(name, "name", fn)
    impl = _Impl(_callable_arg(run, "run", fn, required=True),
                 _callable_arg(setup, "setup", fn), _callable_arg(teardown, "teardown", fn),
                 _callable_arg(verify, "verify", fn), _count_arg(flops, "flops", fn),
                 _count_arg(nbytes, "bytes", fn))
    cdesc = _args.text(description, "description", fn, allow_none=True) or None
    assert cname is not None
    key = cname.decode("utf-8", "surrogateescape")
    with _REGISTRY_LOCK:
        old = _REGISTRY.get(key)
        if old is not None and replace:
            old._impl = impl  # the C registration (and description) stay
            return old
        k = Kernel(key, (cdesc or b"").decode("utf-8", "replace"), impl)
        ops = k._ops(cname, cdesc)
        call("perfkit_kernel_register", ctypes.byref(ops), None)
        _REGISTRY[key] = k
    return k


def lookup(kernel: Any) -> Optional[Kernel]:
    """The Python kernel a harness ``kernel=`` argument names, if any."""
    if isinstance(kernel, Kernel):
        return kernel
    if isinstance(kernel, str):
        return _REGISTRY.get(kernel)
    return None


def refuse_processes(fn: str, name: str) -> NotSupportedError:
    """The error for a Python kernel in processes mode (docs/python.md
    says why, with the hang it avoids)."""
    return make_error(  # type: ignore[return-value]
        -_errno.ENOTSUP, fn,
        "kernel '%s' is a Python callable: it runs in threads mode only. In "
        "processes mode the library forks its workers from C while another "
        "Python thread may hold the GIL (or the import lock), and a child "
        "that then called the kernel would wait for it forever. Use "
        "mode=\"threads\" (numpy, I/O and sleep release the GIL) or a C "
        "kernel (examples/perfkit-user-kernel.c)" % name, strerror(-_errno.ENOTSUP))


def wait(done: threading.Event) -> None:
    """Wait in short steps: the main thread then runs Python's signal
    handlers within 0.1 s even when SIGINT was delivered to another thread
    (which does not interrupt a blocked wait). An Event, not Thread.join:
    a join interrupted by KeyboardInterrupt can leave is_alive() False
    while the thread still runs (CPython 3.11)."""
    while not done.wait(0.1):
        pass


def from_argument(kernel: Any, fn: str) -> Optional["Kernel"]:
    """The Python kernel of a ``kernel=`` argument (None for a C kernel's
    name); a bare callable is refused with a hint."""
    if isinstance(kernel, bytes):
        kernel = kernel.decode("utf-8", "surrogateescape")
    k = lookup(kernel)
    if k is None and callable(kernel):
        raise TypeError("%s: kernel must be a kernel's name or a perfkit.harness.Kernel, "
                        "not a bare callable: register it first, e.g. "
                        "harness.register_kernel(\"mine\", fn, flops=...)" % fn)
    return k


def with_results(failure: Tuple[BaseException, str], count: int,
                 out: Optional["Results"]) -> BaseException:
    """The exception a Python kernel raised, to re-raise after the run,
    with the run's records as ``e.results``."""
    exc, where = failure
    exc.results = out  # type: ignore[attr-defined]
    if hasattr(exc, "add_note"):
        exc.add_note("perfkit.harness: raised in %s (%d exception%s in the run); the run "
                     "finished, and e.results holds its records, the failed workers' with "
                     "their status and an \"error\" column"
                     % (where, count, "" if count == 1 else "s"))
    return exc
