# SPDX-License-Identifier: MIT
"""Results.to_pandas(): columns built with numpy from the record block."""

from __future__ import annotations

from ctypes import byref, c_char_p
from typing import TYPE_CHECKING, Any, Dict

import numpy as np

from ._lib import call, lib

if TYPE_CHECKING:
    from .results import Results

_NUMERIC = ("worker", "rank", "cpu", "status", "t_submit", "t_start", "t_setup",
            "t_end", "t_collected", "repetitions", "problem_size", "flops", "bytes",
            "items", "elapsed")


def _all_equal(arr: np.ndarray, field: str) -> bool:
    """Whether every record has the first one's bytes in a field, compared
    as 64-bit words of the record block where the layout allows."""
    dt, off = arr.dtype.fields[field][:2]
    size = arr.dtype.itemsize
    if arr.flags.c_contiguous and size % 8 == 0 and off % 8 == 0 and dt.itemsize % 8 == 0:
        words = arr.view(np.uint64).reshape(len(arr), size // 8)
        cols = words[:, off // 8:(off + dt.itemsize) // 8]
        return bool((cols == cols[0]).all())
    col = arr[field]
    return bool((col == col[0]).all())


def _text_column(raw: np.ndarray, same: bool = False) -> Any:
    """A categorical column from fixed-width bytes: only the distinct values
    are decoded (a run has few names and hosts)."""
    import pandas as pd
    if len(raw) and (same or (raw == raw[0]).all()):  # the common case: one value
        uniq, codes = raw[:1], np.zeros(len(raw), dtype=np.int32)
    else:
        uniq, codes = np.unique(raw, return_inverse=True)
    cats = [u.decode("utf-8", "replace") for u in uniq]
    if len(set(cats)) < len(cats):  # invalid UTF-8 decoded alike: plain text
        return np.array(cats, dtype=object)[codes]
    return pd.Categorical.from_codes(codes.astype(np.int32, copy=False), cats)


def _typed(values: np.ndarray, present: np.ndarray) -> Any:
    """Text values (bytes) as int64 or float64 where every present one is a
    number, else as text (categorical when every row has one); absent
    entries become NaN or None."""
    got = values[present]
    if got.size:
        if present.all():
            try:
                return got.astype(np.int64)
            except (ValueError, OverflowError):
                pass
        try:
            out = np.full(values.shape, np.nan)
            out[present] = got.astype(np.float64)
            return out
        except (ValueError, OverflowError):
            pass
    if present.all():
        return _text_column(values)
    out = np.full(values.shape, None, dtype=object)
    out[present] = [v.decode("utf-8", "replace") for v in got]
    return out


def _param_columns(arr: np.ndarray) -> Dict[str, np.ndarray]:
    keys = arr["params"]["key"]
    vals = arr["params"]["value"]
    used = np.arange(keys.shape[1])[None, :] < arr["nparams"][:, None]
    if len(arr) == 0:
        return {}
    first = keys[0][:arr["nparams"][0]]
    if (keys == keys[0]).all() and (arr["nparams"] == arr["nparams"][0]).all():
        order = list(first)  # the common case: every record has the same keys
    else:
        flat = keys[used]
        uniq, at = np.unique(flat, return_index=True)
        order = list(uniq[np.argsort(at)])
    cols = {}
    for k in order:
        hit = (keys == k) & used
        present = hit.any(axis=1)
        picked = np.zeros(len(arr), dtype=vals.dtype.base)
        rows, slots = np.nonzero(hit)
        picked[rows] = vals[rows, slots]
        cols[k.decode("utf-8", "replace")] = _typed(picked, present)
    return cols


def _extra_columns(res: "Results") -> Dict[str, np.ndarray]:
    h = res._h
    n = len(res)
    count = lib.perfkit_results_extra_count
    found: Dict[str, Dict[int, bytes]] = {}
    k, v = c_char_p(), c_char_p()
    for i in range(n):
        m = count(h, i)
        for j in range(m):
            call("perfkit_results_extra_get", h, i, j, byref(k), byref(v))
            found.setdefault(k.value.decode("utf-8", "replace"), {})[i] = v.value
    cols = {}
    for key, by_row in found.items():
        present = np.zeros(n, dtype=bool)
        idx = np.fromiter(by_row.keys(), dtype=np.int64, count=len(by_row))
        present[idx] = True
        width = max(len(b) for b in by_row.values()) or 1
        values = np.zeros(n, dtype="S%d" % width)
        values[idx] = list(by_row.values())
        cols[key] = _typed(values, present)
    return cols


def records_frame(res: "Results", extras: bool = True) -> Any:
    """The DataFrame of Results.to_pandas()."""
    import pandas as pd
    arr = res._view()  # no copy of the records: each column is copied once
    same = {f: len(arr) > 0 and _all_equal(arr, f) for f in ("name", "host")}
    cols: Dict[str, Any] = {f: _text_column(arr[f], same[f]) for f in ("name", "host")}
    for f in _NUMERIC:
        cols[f] = np.array(arr[f])
    for key, col in _param_columns(arr).items():
        cols.setdefault(key, col)
    if extras:
        for key, col in _extra_columns(res).items():
            cols.setdefault(key, col)
    df = pd.DataFrame(cols, copy=False)
    df.attrs["epoch_ns"] = res.epoch_ns
    df.attrs["meta"] = dict(res.meta)
    return df
