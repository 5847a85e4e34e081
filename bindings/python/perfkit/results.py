# SPDX-License-Identifier: MIT
"""Result records and result sets: read, write, and hand to numpy/pandas.

:meth:`Results.read` reads a file into the library's columns (one array
per field, parameter and extra column) without building its records;
:meth:`Results.to_pandas` builds the DataFrame from those arrays, and
the records are built only when something needs them (indexing,
iteration, changes, writing). :meth:`Results.to_numpy` copies the record
array out of C memory in one block.
"""

from __future__ import annotations

import ctypes
import errno
import math
import numbers
import sys
from ctypes import POINTER, byref, c_char_p, c_size_t, c_void_p
from dataclasses import dataclass, field, fields
from typing import Any, Dict, Iterator, List, Mapping, MutableMapping, Optional, Union

import numpy as np

from . import _args
from . import _columns
from . import _structs as S
from ._errors import make_error
from ._lib import call, lib, take_text

__all__ = ["Record", "Results", "FORMATS", "RECORD_DTYPE", "FIELDS"]

FORMATS = {"auto": 0, "csv": 1, "json": 2, "jsonl": 3, "gbench": 4, "hyperfine": 5}

#: numpy dtype of struct perfkit_record (from the checked ctypes mirror).
RECORD_DTYPE = S.numpy_dtype(S.Record)

#: The record's fields in file order (those to_pandas() gives as columns).
FIELDS = ("name", "host", "worker", "rank", "cpu", "status", "t_submit", "t_start",
          "t_setup", "t_end", "t_collected", "repetitions", "problem_size", "flops",
          "bytes", "items", "elapsed")
TIMESTAMPS = ("t_submit", "t_start", "t_setup", "t_end", "t_collected")


@dataclass
class Record:
    """One measurement: who ran what, where, when, and how much work.

    Timestamps are seconds from the result set's epoch; NaN where the
    measurement did not take one. Work counts are totals over repetitions.
    """
    name: str = ""
    host: str = ""
    worker: int = -1
    rank: int = -1
    cpu: int = -1
    status: int = 0
    t_submit: float = math.nan
    t_start: float = math.nan
    t_setup: float = math.nan
    t_end: float = math.nan
    t_collected: float = math.nan
    repetitions: int = 0
    problem_size: int = 0
    flops: float = 0.0
    bytes: float = 0.0
    items: float = 0.0
    elapsed: float = 0.0
    #: User parameters (at most 4; text values).
    params: Dict[str, str] = field(default_factory=dict)

    def to_c(self) -> S.Record:
        """A struct perfkit_record filled through the library's setters.

        Raises:
            RangeError: a name or parameter is too long.
            TableFullError: more than 4 parameters.
            TypeError, InvalidArgumentError: a field of the wrong kind.
        """
        fn = "Record.to_c"
        rec = S.Record()
        call("perfkit_record_init", byref(rec))
        call("perfkit_record_set_name", byref(rec), _args.text(self.name, "name", fn))
        call("perfkit_record_set_host", byref(rec), _args.text(self.host, "host", fn))
        for f in ("worker", "rank", "cpu", "status"):
            setattr(rec, f, _args.integer(getattr(self, f), f, fn, -2**31, 2**31 - 1))
        rec.repetitions = _args.u64(self.repetitions, "repetitions", fn)
        rec.problem_size = _args.integer(self.problem_size, "problem_size", fn,
                                         _args.I64_MIN, _args.I64_MAX)
        for f in TIMESTAMPS + ("flops", "bytes", "items", "elapsed"):
            setattr(rec, f, _args.real(getattr(self, f), f, fn))
        if not isinstance(self.params, Mapping):
            raise TypeError("%s: params must be a mapping, not %s"
                            % (fn, type(self.params).__name__))
        for k, v in self.params.items():
            call("perfkit_record_set_param", byref(rec), _args.text(k, "param key", fn),
                 _args.text(str(v), "param value", fn))
        return rec

    @classmethod
    def from_c(cls, rec: S.Record) -> "Record":
        """A Record holding a copy of a struct perfkit_record."""
        out = cls(name=rec.name.decode("utf-8", "replace"),
                  host=rec.host.decode("utf-8", "replace"))
        for f in FIELDS[2:]:
            setattr(out, f, getattr(rec, f))
        out.params = {rec.params[i].key.decode("utf-8", "replace"):
                      rec.params[i].value.decode("utf-8", "replace")
                      for i in range(min(rec.nparams, S.RECORD_PARAMS_MAX))}
        return out


class _Meta(MutableMapping):
    """The set's metadata as an ordered str -> str mapping."""

    def __init__(self, owner: "Results") -> None:
        self._owner = owner

    def __getitem__(self, key: str) -> str:
        k = _args.text(key, "key", "Results.meta")
        v = c_char_p()
        lib.perfkit_clear_error()
        rc = lib.perfkit_results_meta_get(self._owner._meta_h, k, byref(v))
        if rc == -2:
            raise KeyError(key)
        if rc < 0:
            call("perfkit_results_meta_get", self._owner._meta_h, k, byref(v))
        return v.value.decode("utf-8", "replace")

    def __setitem__(self, key: str, value: Any) -> None:
        fn = "Results.meta"
        call("perfkit_results_meta_set", self._owner._h, _args.text(key, "key", fn),
             _args.text(str(value), "value", fn))

    def __delitem__(self, key: str) -> None:
        raise TypeError("metadata keys cannot be removed")

    def __iter__(self) -> Iterator[str]:
        k = c_char_p()
        for i in range(len(self)):
            call("perfkit_results_meta_at", self._owner._meta_h, i, byref(k), None)
            yield k.value.decode("utf-8", "replace")

    def __len__(self) -> int:
        return lib.perfkit_results_meta_count(self._owner._meta_h)

    def __repr__(self) -> str:
        return repr(dict(self))


class Results:
    """An ordered set of records with the run's metadata (struct perfkit_results).

    ``len(res)``, ``res[i]`` and iteration give :class:`Record` copies; for
    many records use :meth:`to_numpy` or :meth:`to_pandas`. A set read from
    a file holds columns until something needs its records. A set is not
    thread-safe: one thread at a time may change it.
    """

    def __init__(self, _handle: Optional[c_void_p] = None,
                 _cols: Optional["_columns.Columns"] = None) -> None:
        if _handle is None and _cols is None:
            _handle = c_void_p()
            call("perfkit_results_new", byref(_handle))
        self._records = _handle
        self._cols = _cols

    @property
    def _h(self) -> c_void_p:
        """The struct perfkit_results; a set read into columns builds its
        records here, once, and drops the columns."""
        if self._records is None:
            if self._cols is None:
                raise make_error(-errno.EINVAL, "Results", "this set gave its "
                                 "records to a DataFrame (to_pandas(copy=False)); "
                                 "read the file again", "")
            self._records = self._cols.to_results()
            self._cols = None
        return self._records

    @property
    def _meta_h(self) -> c_void_p:
        """The set whose metadata and epoch to read, records or not."""
        return self._cols.meta_handle if self._records is None and self._cols else self._h

    @property
    def meta(self) -> MutableMapping[str, str]:
        """The set's metadata: an ordered str -> str mapping (keys cannot be
        removed); "machine.*" keys describe the machine."""
        return _Meta(self)

    def __del__(self) -> None:
        h = getattr(self, "_records", None)
        if h and lib is not None:  # lib is None at interpreter exit
            lib.perfkit_results_destroy(h)
            self._records = None

    @classmethod
    def read(cls, path: Any, format: str = "auto") -> "Results":
        """Read a result file: CSV, JSON, JSON Lines (by extension with
        "auto"), Google Benchmark or hyperfine JSON.

        The file becomes the library's columns (CSV and JSON Lines are
        streamed: a million records take about 117 MiB, not the 481 MiB
        of their records); the records are built on first use.

        Raises:
            NotFoundError: no such file.
            MalformedInputError: the message names line and column.
            NotSupportedError: unknown extension, or not a regular file.
        """
        p = _args.text(path, "path", "Results.read")
        f = _args.choice(format, "format", "Results.read", FORMATS)
        return cls(_cols=_columns.Columns.read(p, f))

    @classmethod
    def parse(cls, data: Union[str, bytes], format: str) -> "Results":
        """Parse a result set from text in a concrete format ("csv", "json", ...)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes):
            raise TypeError("Results.parse: data must be str or bytes, not %s"
                            % type(data).__name__)
        f = _args.choice(format, "format", "Results.parse", FORMATS)
        h = c_void_p()
        call("perfkit_results_parse", data, len(data), f, byref(h))
        return cls(h)

    def write(self, path: Any, format: str = "auto") -> None:
        """Write atomically (temporary file, fsync, rename)."""
        p = _args.text(path, "path", "Results.write")
        f = _args.choice(format, "format", "Results.write", FORMATS)
        call("perfkit_results_write", self._h, p, f)

    def format(self, format: str = "json") -> str:
        """The set as text: "csv", "json" or "jsonl"."""
        f = _args.choice(format, "format", "Results.format", FORMATS)
        data = c_void_p()
        n = c_size_t()
        call("perfkit_results_format", self._h, f, byref(data), byref(n))
        return take_text(data, n.value)

    @property
    def epoch_ns(self) -> int:
        """Unix time (ns) the records' timestamps count from."""
        return lib.perfkit_results_epoch_ns(self._meta_h)

    @epoch_ns.setter
    def epoch_ns(self, unix_ns: int) -> None:
        call("perfkit_results_set_epoch_ns", self._h,
             _args.integer(unix_ns, "epoch_ns", "Results.epoch_ns", 0, _args.I64_MAX))

    def append(self, record: Optional[Record] = None, **fields_: Any) -> None:
        """Append a Record, or one built from keyword fields."""
        if record is None:
            record = Record(**fields_)
        elif fields_:
            raise TypeError("Results.append: give a Record or fields, not both")
        if not isinstance(record, Record):
            raise TypeError("Results.append: record must be a perfkit.Record, not %s"
                            % type(record).__name__)
        rec = record.to_c()
        call("perfkit_results_append", self._h, byref(rec))

    def set_machine(self) -> None:
        """Copy this machine's description into the metadata ("machine.*")."""
        from .machine import _probe
        call("perfkit_results_set_machine", self._h, _probe())

    def __len__(self) -> int:
        if self._records is None and self._cols is not None:
            return self._cols.rows
        return lib.perfkit_results_count(self._h)

    def _get(self, i: int) -> S.Record:
        p = POINTER(S.Record)()
        call("perfkit_results_get", self._h, i, byref(p))
        return p.contents

    def __getitem__(self, i: Union[int, slice]) -> Any:
        n = len(self)
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(n))]
        if isinstance(i, bool) or not isinstance(i, numbers.Integral):
            raise TypeError("Results indices must be integers, not %s" % type(i).__name__)
        j = int(i) + n if i < 0 else int(i)
        if not 0 <= j < n:
            raise IndexError("Results index %d out of range (%d records)" % (i, n))
        return Record.from_c(self._get(j))

    def __iter__(self) -> Iterator[Record]:
        for i in range(len(self)):
            yield Record.from_c(self._get(i))

    def extras(self, i: int) -> Dict[str, str]:
        """Extra columns of record i: keys a file held beyond fields and params."""
        i = _args.size(i, "index", "Results.extras")
        k, v = c_char_p(), c_char_p()
        out = {}
        for j in range(lib.perfkit_results_extra_count(self._h, i)):
            call("perfkit_results_extra_get", self._h, i, j, byref(k), byref(v))
            out[k.value.decode("utf-8", "replace")] = v.value.decode("utf-8", "replace")
        return out

    def set_extra(self, i: int, key: str, value: Any) -> None:
        """Add an extra column to record i."""
        fn = "Results.set_extra"
        call("perfkit_results_extra_set", self._h, _args.size(i, "index", fn),
             _args.text(key, "key", fn), _args.text(str(value), "value", fn))

    def _view(self) -> np.ndarray:
        """The records in place, as a read-only structured array over the
        set's own memory: valid only while the set lives and is not changed.
        (The records are one contiguous block; a set where they were not
        would be copied record by record.)"""
        n = len(self)
        if n == 0:
            return np.empty(0, dtype=RECORD_DTYPE)
        first = ctypes.addressof(self._get(0))
        last = ctypes.addressof(self._get(n - 1))
        size = RECORD_DTYPE.itemsize
        if last - first != (n - 1) * size:  # not one block (never seen)
            out = np.empty(n, dtype=RECORD_DTYPE)
            for i in range(n):
                ctypes.memmove(out[i:].ctypes.data, ctypes.addressof(self._get(i)), size)
            return out
        block = (ctypes.c_char * (n * size)).from_address(first)
        view = np.frombuffer(block, dtype=RECORD_DTYPE, count=n)
        view.flags.writeable = False
        return view

    def to_numpy(self) -> np.ndarray:
        """The records as a structured array of struct perfkit_record's layout
        (:data:`RECORD_DTYPE`; name and host as bytes), copied in one block."""
        return self._view().copy()

    def to_pandas(self, extras: bool = True, copy: Optional[bool] = None) -> "Any":
        """One row per record: every field (name and host as categoricals,
        timestamps in seconds from :attr:`epoch_ns`), then one column per
        parameter key and per extra column (int64 or float64 where every
        value is a number, else a categorical; NaN where a record has
        none). ``df.attrs`` holds "epoch_ns" and "meta".

        The numeric columns are the library's arrays. With ``copy=True``
        the DataFrame gets copies and the set keeps its own. With
        ``copy=False`` the DataFrame takes the arrays of a set read from a
        file and the set is left empty (any later use raises), as pyarrow's
        ``self_destruct``: no copy, peak memory of one set; a set of
        records in memory keeps them (the frame takes a copy). The default
        takes them only from a set nothing else can reach, as in
        ``Results.read(path).to_pandas()``, and copies otherwise.
        """
        refs = sys.getrefcount(self)
        if copy is not None and not isinstance(copy, bool):
            raise TypeError("Results.to_pandas: copy must be a bool or None, not %s"
                            % type(copy).__name__)
        meta = {"epoch_ns": self.epoch_ns, "meta": dict(self.meta)}
        if self._records is None and self._cols is not None:
            cols = self._cols
            give = copy is False or (copy is None and _columns.is_temporary(refs))
        else:
            cols = _columns.Columns.from_results(self._h)  # a private copy
            give = True
        df = _columns.frame(cols, copy=not give, extras=extras)
        if give and cols is self._cols:  # only once the frame exists
            self._cols = None
        df.attrs.update(meta)
        return df

    def sort(self, key: str, descending: bool = False) -> None:
        """Sort in place (stable) by a field, parameter or extra column."""
        call("perfkit_results_sort", self._h, _args.text(key, "key", "Results.sort"),
             1 if descending else 0)

    def filter(self, key: str, value: Any) -> "Results":
        """A new set of the records whose value for key equals value (as text)."""
        fn = "Results.filter"
        h = c_void_p()
        call("perfkit_results_filter", self._h, _args.text(key, "key", fn),
             _args.text(str(value), "value", fn), byref(h))
        return Results(h)

    def __repr__(self) -> str:
        if self._records is None and self._cols is None:
            return "<perfkit.Results: records given to a DataFrame>"
        return "<perfkit.Results: %d records>" % len(self)
