# SPDX-License-Identifier: MIT
"""The seeds' figures with matplotlib (imported on first use).

- :func:`flops_histogram`: per-worker GFLOPS (the pywren notebook's histogram);
- :func:`flops_timeline`: peak vs effective GFLOPS over time (its timeline);
- :func:`scaling`: the CosmoFlow notebook's two panels, throughput with the
  ideal on log axes above, efficiency below.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple

import numpy as np

from . import harness
from .results import Results

__all__ = ["worker_gflops", "flops_histogram", "flops_timeline", "scaling"]


def worker_gflops(results: Results) -> np.ndarray:
    """GFLOPS of each succeeded worker record (flops / elapsed / 1e9)."""
    if not isinstance(results, Results):
        raise TypeError("results must be a perfkit.Results, not %s" % type(results).__name__)
    a = results.to_numpy()
    ok = (a["worker"] >= 0) & (a["status"] == 0) & (a["elapsed"] > 0)
    return a["flops"][ok] / a["elapsed"][ok] / 1e9


def flops_histogram(results: Results, bins: Any = None, ax: Any = None) -> Any:
    """Histogram of per-worker GFLOPS; returns the Axes."""
    import matplotlib.pyplot as plt
    g = worker_gflops(results)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    if bins is None:
        bins = min(max(len(g) // 4, 5), 50)
    ax.hist(g, bins=bins, color="C0", edgecolor="white")
    ax.set_xlabel("GFLOPS per worker")
    ax.set_ylabel("workers")
    ax.set_title("%d workers, median %.3g GFLOPS" % (len(g), np.median(g)) if len(g) else
                 "no succeeded worker")
    return ax


def flops_timeline(results: Results, bin_width: Optional[float] = None, ax: Any = None) -> Any:
    """Peak GFLOPS (the workers computing at each moment, in bins) and
    effective GFLOPS (flops collected so far over the time since the first
    submission), the pywren notebook's figure; returns the Axes."""
    import matplotlib.pyplot as plt
    te, ge = harness.effective_timeline(results)
    if bin_width is None:
        span = float(te[-1]) if len(te) else 1.0
        bin_width = max(span / 100.0, 1e-6)
    tp, gp = harness.peak_timeline(results, bin_width=bin_width)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    ax.step(tp, gp, where="post", label="peak GFLOPS")
    ax.plot(te, ge, "o-", ms=3, label="effective GFLOPS")
    ax.set_xlabel("time (sec)")
    ax.set_ylabel("GFLOPS")
    ax.legend(loc=0)
    ax.grid(alpha=0.3)
    return ax


def _columns(table: Any) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    cols = set(table.columns)
    if {"ranks", "throughput", "ideal", "efficiency"} <= cols:  # weak_table()
        return (np.asarray(table["ranks"], float), np.asarray(table["throughput"], float),
                np.asarray(table["ideal"], float), np.asarray(table["efficiency"], float),
                "Throughput [samples/s]")
    if {"workers", "speedup", "efficiency"} <= cols:  # strong_table()
        w = np.asarray(table["workers"], float)
        return (w, np.asarray(table["speedup"], float), w / w[0],
                np.asarray(table["efficiency"], float), "Speedup")
    raise ValueError("table must come from scaling.weak_table() or strong_table(); "
                     "its columns are %s" % ", ".join(table.columns))


def scaling(table: Any, compare: Any = None, fit: Any = None, title: str = "",
            labels: Sequence[str] = ("Real data", "Dummy data")) -> Any:
    """The CosmoFlow notebook's figure: throughput (or speedup) with the
    ideal on log axes, efficiency below; ``compare`` a second table (the
    notebook's dummy data), ``fit`` a :class:`perfkit.scaling.UslFit` drawn
    over the top panel. Returns the Figure."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter
    x, y, ideal, eff, ylabel = _columns(table)
    fig, (ax0, ax1) = plt.subplots(nrows=2, sharex=True, figsize=(7, 7),
                                   gridspec_kw=dict(height_ratios=[0.75, 0.25], hspace=0))
    if title:
        ax0.set_title(title)
    ax0.plot(x, y, "o-", ms=7, label=labels[0])
    if compare is not None:
        cx, cy, _, ceff, _ = _columns(compare)
        ax0.plot(cx, cy, "^-", ms=7, label=labels[1] if len(labels) > 1 else "compare")
        ax1.plot(cx, ceff, "^-", ms=7, color="C1")
    ax0.plot(x, ideal, "--", color="gray", label="Ideal")
    if fit is not None:
        xs = np.geomspace(x.min(), x.max(), 100)
        ax0.plot(xs, fit(xs), ":", color="C3", label="USL fit")
    ax0.set_ylabel(ylabel)
    ax0.set_yscale("log")
    ax0.yaxis.set_major_formatter(ScalarFormatter())
    ax0.yaxis.set_minor_formatter(NullFormatter())
    ax0.legend(loc=0)
    ax0.grid(alpha=0.3)
    ax1.plot(x, eff, "o-", ms=7)
    ax1.set_xlabel("Number of workers")
    ax1.set_ylabel("Efficiency")
    ax1.set_xscale("log")
    ax1.set_xticks(x)
    ax1.xaxis.set_major_formatter(ScalarFormatter())
    ax1.xaxis.set_minor_formatter(NullFormatter())
    ax1.set_ylim(bottom=min(0.5, float(np.nanmin(eff)) - 0.05), top=1.05)
    ax1.grid(alpha=0.3)
    fig.tight_layout()
    return fig
