#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The pywren GFLOPS notebook from Python, on this machine's cores.

W workers each multiply two N x N matrices `loopcount` times (libperfkit's
dgemm kernel in C threads or forked processes), one record per worker with
its five timestamps; then the notebook's summary, results_to_dataframe(),
the per-worker GFLOPS histogram and the peak vs effective GFLOPS timeline.

    examples/python/flops_benchmark.py --workers 10 --loopcount 10 --matn 1024 \\
        --outfile small.json --plot small
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

import pandas as pd

import perfkit
from perfkit import harness


def results_to_dataframe(results: perfkit.Results) -> pd.DataFrame:
    """The notebook's DataFrame: one row per worker with its columns
    (host_submit_time, start_time, setup_time, end_time,
    download_output_timestamp in seconds from the run's epoch, est_flops,
    intra_func_flops = flops per second inside the worker)."""
    df = results.to_pandas()
    return pd.DataFrame({
        "worker": df.worker,
        "host_submit_time": df.t_submit,
        "start_time": df.t_start,
        "setup_time": df.t_setup - df.t_start,
        "end_time": df.t_end,
        "download_output_timestamp": df.t_collected,
        "est_flops": df.flops,
        "intra_func_flops": df.flops / df.elapsed,
        "status": df.status,
    })


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Benchmark dgemm GFLOPS on W workers (the pywren notebook).")
    ap.add_argument("--workers", type=int, default=0,
                    help="workers (default: one per allowed core)")
    ap.add_argument("--loopcount", type=int, default=10, help="products per worker")
    ap.add_argument("--matn", type=int, default=1024, help="matrix order N")
    ap.add_argument("--mode", choices=["threads", "processes"], default="threads")
    ap.add_argument("--outfile", help="write the records (.json, .jsonl or .csv)")
    ap.add_argument("--plot", metavar="PREFIX",
                    help="write PREFIX-histogram.png and PREFIX-timeline.png")
    a = ap.parse_args(argv)
    for name in ("loopcount", "matn"):
        if getattr(a, name) < 1:
            ap.error("--%s must be at least 1, not %d" % (name, getattr(a, name)))
    if a.workers < 0:
        ap.error("--workers must be 0 (one per core) or more, not %d" % a.workers)
    return a


def plot(results: perfkit.Results, prefix: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    from perfkit import plot as pkplot
    ax = pkplot.flops_histogram(results)
    ax.figure.savefig(prefix + "-histogram.png", dpi=100, bbox_inches="tight")
    ax = pkplot.flops_timeline(results)
    ax.figure.savefig(prefix + "-timeline.png", dpi=100, bbox_inches="tight")
    print("Wrote %s-histogram.png and %s-timeline.png" % (prefix, prefix))


def main(argv: Optional[List[str]] = None) -> int:
    a = parse_args(argv)
    try:
        res = harness.run(kernel="dgemm", size=a.matn, loopcount=a.loopcount,
                          workers=a.workers, mode=a.mode)
    except perfkit.Error as e:
        print("flops_benchmark: %s" % e, file=sys.stderr)
        return 1
    s = harness.summarize(res)
    df = results_to_dataframe(res)
    print("workers %d, N = %d, loopcount %d (%s)" % (len(df), a.matn, a.loopcount, a.mode))
    print("total time %.3f s (first submit to last collection)" % s["span"])
    print("%.2f GFLOPS effective, %.2f GFLOPS concurrent, per worker median %.2f "
          "(min %.2f, max %.2f)" % (s["effective_gflops"], s["concurrent_gflops"],
                                    s["worker_gflops_median"], s["worker_gflops_min"],
                                    s["worker_gflops_max"]))
    factor, text = harness.oversubscription(res)
    if text:
        print("Warning: " + text.strip())
    if a.outfile:
        res.write(a.outfile)
        print("Wrote %d records to %s" % (len(res), a.outfile))
    if a.plot:
        plot(res, a.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
