# SPDX-License-Identifier: MIT
"""Exceptions: one perfkit.Error subclass per errno libperfkit returns.

Each class also derives from the built-in exception Python itself raises for
that errno, so ``except ValueError`` and ``except FileNotFoundError`` work as
a Python user expects. The mapping follows CPython's own conventions: the
``math`` module turns EDOM into ValueError and ERANGE into OverflowError, and
``OSError(errno, ...)`` picks FileNotFoundError for ENOENT, TimeoutError for
ETIMEDOUT, and so on.
"""

from __future__ import annotations

import errno as _errno
from typing import Dict, Optional, Type

__all__ = [
    "Error", "InvalidArgumentError", "MalformedInputError", "DomainError",
    "RangeError", "TableFullError", "OutOfMemoryError", "NotFoundError",
    "ExistsError", "NotSupportedError", "InputOutputError", "CancelledError",
    "TimedOutError", "ChildFailedError", "TryAgainError", "VersionError",
    "LibraryNotFoundError", "error_class", "make_error",
]


class Error(Exception):
    """Base class of every failure libperfkit reports.

    Attributes:
        code: the negative errno the C call returned (e.g. ``-errno.EINVAL``).
        function: the C function that failed (e.g. ``"perfkit_results_read"``).
        message: ``perfkit_last_error()`` after the failure: which argument
            was wrong, or the file, line and column of malformed input.
    """

    code: int = 0
    function: str = ""
    message: str = ""


class InvalidArgumentError(Error, ValueError):
    """-EINVAL: an argument is NULL, NaN, out of range or inconsistent."""


class MalformedInputError(Error, ValueError):
    """-EBADMSG: malformed input (a CSV or JSON file, a config)."""


class DomainError(Error, ValueError):
    """-EDOM: the data cannot support the requested model."""


class RangeError(Error, OverflowError):
    """-ERANGE: a value does not fit, or a fit did not converge."""


class TableFullError(Error, ValueError):
    """-ENOSPC: a fixed-size table (a record's parameters) is full."""


class OutOfMemoryError(Error, MemoryError):
    """-ENOMEM: an allocation failed."""


class NotFoundError(Error, FileNotFoundError):
    """-ENOENT: a named file, kernel, key or region does not exist."""


class ExistsError(Error, FileExistsError):
    """-EEXIST: a name is already registered."""


class NotSupportedError(Error, OSError):
    """-ENOTSUP: not possible on this machine, or an unknown file type."""


class InputOutputError(Error, OSError):
    """-EIO: reading or writing a file failed."""


class CancelledError(Error):
    """-ECANCELED: the caller asked to stop."""


class TimedOutError(Error, TimeoutError):
    """-ETIMEDOUT: a time budget ran out before a goal was met."""


class ChildFailedError(Error, ChildProcessError):
    """-ECHILD: a worker process died or could not be collected."""


class TryAgainError(Error, BlockingIOError):
    """-EAGAIN: a thread or process could not be created now."""


class VersionError(ImportError):
    """The loaded libperfkit has another major version than this package."""


class LibraryNotFoundError(ImportError):
    """libperfkit could not be loaded."""


_BY_ERRNO: Dict[int, Type[Error]] = {
    _errno.EINVAL: InvalidArgumentError,
    _errno.EBADMSG: MalformedInputError,
    _errno.EDOM: DomainError,
    _errno.ERANGE: RangeError,
    _errno.ENOSPC: TableFullError,
    _errno.ENOMEM: OutOfMemoryError,
    _errno.ENOENT: NotFoundError,
    _errno.EEXIST: ExistsError,
    _errno.ENOTSUP: NotSupportedError,
    _errno.EIO: InputOutputError,
    _errno.ECANCELED: CancelledError,
    _errno.ETIMEDOUT: TimedOutError,
    _errno.ECHILD: ChildFailedError,
    _errno.EAGAIN: TryAgainError,
}

_OS_CLASSES: Dict[int, Type[Error]] = {}


def error_class(code: int) -> Type[Error]:
    """The Error subclass for a negative (or positive) errno value.

    Codes outside the library's list (e.g. -EACCES from opening a file) get
    a subclass of Error and of the OSError subclass Python uses for them
    (PermissionError for EACCES).
    """
    n = abs(int(code))
    cls = _BY_ERRNO.get(n)
    if cls is not None:
        return cls
    cls = _OS_CLASSES.get(n)
    if cls is None:
        base = type(OSError(n, ""))
        cls = type("OSFailure" if base is OSError else base.__name__ + "Error",
                   (Error, base), {"__doc__": "-%s from libperfkit." % _errno.errorcode.get(n, str(n)),
                                   "__module__": __name__})
        _OS_CLASSES[n] = cls
    return cls


def make_error(code: int, function: str, message: Optional[str],
               strerror: str) -> Error:
    """Build the exception for a failed call; the text names the function."""
    text = message if message else strerror
    if not text.startswith(function):  # many messages name their function
        text = "%s: %s" % (function, text)
    cls = error_class(code)
    if issubclass(cls, OSError):
        exc = cls(abs(code), text)
    else:
        exc = cls(text)
    exc.code = -abs(int(code))
    exc.function = function
    exc.message = message or strerror
    return exc
