# SPDX-License-Identifier: MIT
"""A result set's columns (struct perfkit_columns) as numpy arrays over the
C memory, and the DataFrame of Results.to_pandas() built from them.

Numbers are the library's own arrays: the DataFrame takes them as they are
(``copy=False``) or copies each once. Text (name, host, parameters, extra
columns) comes as codes into each column's distinct values: only those
are decoded, and parameters whose every value is a number become int64 or
float64 columns through a lookup table, the rest categoricals.
"""

from __future__ import annotations

import re
import sys
from ctypes import POINTER, byref, c_void_p
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from . import _structs as S
from ._lib import call, lib

FIELD, PARAM, EXTRA = 1, 2, 3
_TEXT = 5
_DTYPES = {1: np.dtype(np.int32), 2: np.dtype(np.int64), 3: np.dtype(np.uint64),
           4: np.dtype(np.float64), _TEXT: np.dtype(np.int32)}
_INT = re.compile(r"[+-]?[0-9]+\Z")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z|"
                    r"[+-]?(nan|inf|infinity)\Z", re.IGNORECASE)
_I64 = 2**63


class _Buffer:
    """The array interface of one column: numpy arrays made from it keep
    the columns (and so their memory) alive."""

    __slots__ = ("__array_interface__", "_owner")

    def __init__(self, owner: "Columns", address: int, dtype: np.dtype, n: int) -> None:
        self.__array_interface__ = {"data": (address, False), "shape": (n,),
                                    "typestr": dtype.str, "version": 3}
        self._owner = owner


class Columns:
    """Owns a struct perfkit_columns until the last array over it is gone."""

    def __init__(self, handle: c_void_p) -> None:
        self._h = handle

    def __del__(self) -> None:
        h = getattr(self, "_h", None)
        if h and lib is not None:  # lib is None at interpreter exit
            lib.perfkit_columns_destroy(h)
            self._h = None

    @classmethod
    def read(cls, path: bytes, fmt: int) -> "Columns":
        h = c_void_p()
        call("perfkit_columns_read", path, fmt, byref(h))
        return cls(h)

    @classmethod
    def from_results(cls, results_handle: c_void_p) -> "Columns":
        h = c_void_p()
        call("perfkit_columns_from_results", results_handle, byref(h))
        return cls(h)

    def to_results(self) -> c_void_p:
        """A new struct perfkit_results of the same records (the caller owns it)."""
        h = c_void_p()
        call("perfkit_columns_to_results", self._h, byref(h))
        return h

    @property
    def rows(self) -> int:
        return lib.perfkit_columns_rows(self._h)

    @property
    def meta_handle(self) -> c_void_p:
        """The set of the metadata and epoch (owned by the columns)."""
        return c_void_p(lib.perfkit_columns_meta(self._h))

    def columns(self) -> List[Tuple[str, int, np.ndarray, Optional[List[bytes]]]]:
        """(name, kind, array over the C memory, distinct values or None) per column."""
        n = self.rows
        out = []
        p = POINTER(S.Column)()
        for i in range(lib.perfkit_columns_count(self._h)):
            call("perfkit_columns_at", self._h, i, byref(p))
            c = p.contents
            dtype = _DTYPES[c.type]
            arr = (np.asarray(_Buffer(self, c.data, dtype, n)) if n
                   else np.empty(0, dtype=dtype))
            values = ([c.values[j] for j in range(c.nvalues)] if c.type == _TEXT
                      else None)
            out.append((c.name.decode("utf-8", "replace"), c.kind, arr, values))
        return out


def _numbers(texts: List[str]) -> Optional[np.ndarray]:
    """The lookup table of distinct values that are all numbers: int64 when
    every one is an integer in range, else float64; None otherwise."""
    if all(_INT.match(t) and -_I64 <= int(t) < _I64 for t in texts):
        return np.array([int(t) for t in texts], dtype=np.int64)
    if all(_FLOAT.match(t) for t in texts):
        return np.array([float(t) for t in texts], dtype=np.float64)
    return None


def _text(codes: np.ndarray, values: List[bytes], typed: bool) -> Any:
    """A text column from its codes: numbers where @typed and every value is
    one (NaN where a row has none), else a categorical (NaN where none)."""
    import pandas as pd
    texts = [v.decode("utf-8", "replace") for v in values]
    missing = bool(len(codes)) and bool((codes < 0).any())
    lut = _numbers(texts) if typed and texts else None
    if lut is not None:
        if missing:
            lut = np.append(lut.astype(np.float64), np.nan)  # code -1 picks NaN
        return lut[codes]
    if len(set(texts)) < len(texts):  # invalid UTF-8 decoded alike: plain text
        obj = np.array(texts + [None], dtype=object)
        return obj[codes]
    return pd.Categorical.from_codes(codes, texts)


def frame(cols: Columns, copy: bool, extras: bool) -> Any:
    """The DataFrame of the columns: fields, then parameters, then extra
    columns (a name met twice keeps its first column)."""
    import pandas as pd
    data: Dict[str, Any] = {}
    for name, kind, arr, values in cols.columns():
        if (kind == EXTRA and not extras) or name in data:
            continue
        if copy:  # pandas keeps codes as they are above 32767 categories
            arr = arr.copy()
        data[name] = arr if values is None else _text(arr, values, kind != FIELD)
    return pd.DataFrame(data, copy=False)


def _probe_refs() -> Tuple[int, int]:
    """sys.getrefcount(self) inside a method called on a temporary, and on
    an object a variable also holds, as this interpreter counts them."""
    class Probe:
        def count(self) -> int:
            return sys.getrefcount(self)
    held = Probe()
    return Probe().count(), held.count()


_TEMP_REFS, _HELD_REFS = _probe_refs()


#: CPython before 3.14: from 3.14 some references on the stack are
#: borrowed and not counted, so a held object may look like a temporary
#: (pandas turned its own such check off there, pandas-dev/pandas#61368).
_COUNTS_EVERY_REFERENCE = (sys.implementation.name == "cpython"
                           and sys.version_info < (3, 14))


def is_temporary(obj_refs: int) -> bool:
    """Whether a method's self with @obj_refs references (sys.getrefcount
    in the method's body) can be nothing but a temporary of the caller's
    expression, as in ``Results.read(path).to_pandas()``. Only where this
    interpreter tells the two cases apart (CPython 3.11 to 3.13)."""
    return (_COUNTS_EVERY_REFERENCE and _TEMP_REFS < _HELD_REFS
            and obj_refs <= _TEMP_REFS)
