# SPDX-License-Identifier: MIT
"""Checks of Python arguments before they reach C.

ctypes converts silently where C would be hurt: an int too large for
uint64_t wraps, a negative one becomes huge, a str with a NUL is cut, None
becomes a NULL pointer. These helpers refuse such values with TypeError (the
wrong kind of object) or perfkit.InvalidArgumentError (a ValueError: the
right kind, a wrong value), before any call. NaN and infinities are passed
on to C, which names what is wrong with them.
"""

from __future__ import annotations

import ctypes
import numbers
import os
from typing import Any, Optional, Tuple

import numpy as np

from ._errors import InvalidArgumentError

U64_MAX = 2**64 - 1
I64_MIN, I64_MAX = -2**63, 2**63 - 1
SIZE_MAX = 2**(8 * ctypes.sizeof(ctypes.c_size_t)) - 1
UINT_MAX = 2**(8 * ctypes.sizeof(ctypes.c_uint)) - 1


def bad(function: str, name: str, what: str) -> InvalidArgumentError:
    exc = InvalidArgumentError("%s: %s %s" % (function, name, what))
    exc.code = -22
    exc.function = function
    exc.message = "%s %s" % (name, what)
    return exc


def integer(value: Any, name: str, function: str, lo: int, hi: int) -> int:
    """An int in [lo, hi] (bool is refused: it is rarely meant as a count)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError("%s: %s must be an integer, not %s"
                        % (function, name, type(value).__name__))
    v = int(value)
    if v < lo or v > hi:
        raise bad(function, name, "is %d, outside [%d, %d]" % (v, lo, hi))
    return v


def u64(value: Any, name: str, function: str, lo: int = 0) -> int:
    """An int that fits uint64_t."""
    return integer(value, name, function, lo, U64_MAX)


def size(value: Any, name: str, function: str, lo: int = 0) -> int:
    """An int that fits size_t."""
    return integer(value, name, function, lo, SIZE_MAX)


def real(value: Any, name: str, function: str) -> float:
    """A float (NaN and infinities pass: the library checks them)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("%s: %s must be a number, not %s"
                        % (function, name, type(value).__name__))
    try:
        return float(value)
    except OverflowError:
        raise bad(function, name, "does not fit a double") from None


def text(value: Any, name: str, function: str, allow_none: bool = False) -> Optional[bytes]:
    """UTF-8 bytes for a char * argument; refuses embedded NULs."""
    if value is None:
        if allow_none:
            return None
        raise TypeError("%s: %s must be a str, not None" % (function, name))
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogateescape")
    elif isinstance(value, bytes):
        data = value
    else:
        raise TypeError("%s: %s must be a str, not %s"
                        % (function, name, type(value).__name__))
    if b"\0" in data:
        raise bad(function, name, "holds a NUL character")
    return data


def doubles(value: Any, name: str, function: str, allow_empty: bool = False) -> np.ndarray:
    """A C-contiguous float64 copy of a 1-d sequence of numbers."""
    if value is None:
        raise TypeError("%s: %s must be a sequence of numbers, not None" % (function, name))
    if isinstance(value, (str, bytes)):
        raise TypeError("%s: %s must be a sequence of numbers, not %s"
                        % (function, name, type(value).__name__))
    try:
        arr = np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as e:
        raise TypeError("%s: %s must be a sequence of numbers (%s)" % (function, name, e)) from None
    except OverflowError:
        raise bad(function, name, "holds a number that does not fit a double") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise bad(function, name, "must be one-dimensional, not of shape %s" % (arr.shape,))
    if arr.size == 0 and not allow_empty:
        raise bad(function, name, "is empty")
    return np.ascontiguousarray(arr)


def doubles_nd(value: Any, name: str, function: str) -> np.ndarray:
    """A float64 array of any shape (a scalar gives a 0-d array)."""
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError("%s: %s must be a number or an array of numbers, not %s"
                        % (function, name, type(value).__name__))
    try:
        return np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError("%s: %s must be a number or an array of numbers (%s)"
                        % (function, name, e)) from None
    except OverflowError:
        raise bad(function, name, "holds a number that does not fit a double") from None


def same_length(function: str, **arrays: np.ndarray) -> int:
    """The common length of arrays, or InvalidArgumentError naming them."""
    lengths = {k: len(v) for k, v in arrays.items() if v is not None}
    if len(set(lengths.values())) > 1:
        raise bad(function, " and ".join(lengths),
                   "differ in length (%s)" % ", ".join("%s %d" % kv for kv in lengths.items()))
    return next(iter(lengths.values()))


def ptr(arr: Optional[np.ndarray]) -> Any:
    """A double * into a float64 array (NULL for None)."""
    if arr is None:
        return None
    return arr.ctypes.data_as(ctypes.POINTER(ctypes.c_double))


def choice(value: Any, name: str, function: str, table: dict) -> int:
    """The C enum value of a word (e.g. "threads") or of its int value."""
    if isinstance(value, str):
        key = value.lower().replace("-", "_")
        if key in table:
            return table[key]
        raise bad(function, name, "is %r; one of %s" % (value, ", ".join(sorted(table))))
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) \
            and int(value) in table.values():
        return int(value)
    raise TypeError("%s: %s must be one of %s, not %r"
                    % (function, name, ", ".join(sorted(table)), value))

