#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The CosmoFlow weak-scaling notebook from Python.

Each run folder holds config.pkl (or config.json) with
{"data": {"n_train": ..., "n_valid": ..., "shard": ...}} and history.csv with
columns epoch,time. For each rank count the epoch time is averaged without
epoch 0, the samples per epoch follow the shard rule, and libperfkit's weak
table gives throughput, ideal and efficiency; real and dummy data side by
side, and the notebook's two-panel figure.

    examples/python/scaling_analysis.py --pattern 'results/scaling-cpu-n%i' \\
        --dummy-pattern 'results/scaling-cpu-dummy-n%i' --ranks 1,2,4,8 --plot cpu.png
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from typing import Any, Dict, List, Optional

import pandas as pd

import perfkit
from perfkit import scaling


def load_config(result_dir: str) -> Dict[str, Any]:
    """config.pkl as the notebook reads it, else config.json."""
    pkl = os.path.join(result_dir, "config.pkl")
    if os.path.exists(pkl):
        with open(pkl, "rb") as f:
            return pickle.load(f)
    with open(os.path.join(result_dir, "config.json")) as f:
        return json.load(f)


def get_scaling_results(path_pattern: str, ranks: List[int]) -> pd.DataFrame:
    """The notebook's function on libperfkit: one row per rank count."""
    samples, times = [], []
    for r in ranks:
        result_dir = path_pattern % r
        dconf = load_config(result_dir)["data"]
        history = pd.read_csv(os.path.join(result_dir, "history.csv"))
        times.append(scaling.epoch_mean(history.epoch, history.time, warmup=1))
        samples.append(scaling.samples_per_epoch(dconf["n_train"], dconf["n_valid"],
                                                 bool(dconf["shard"]), r))
    table = scaling.weak_table(ranks, samples, times)
    return table.rename(columns={"time": "times", "throughput": "throughputs",
                                 "efficiency": "eff"})


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Weak-scaling table and figure from run "
                                             "folders (the CosmoFlow notebook).")
    ap.add_argument("--pattern", required=True, help="run folder with %%i for the ranks")
    ap.add_argument("--dummy-pattern", help="the same runs on dummy data")
    ap.add_argument("--ranks", default="1,2,4,8,16,32,64",
                    help="comma-separated rank counts (default 1,2,...,64)")
    ap.add_argument("--title", default="")
    ap.add_argument("--plot", metavar="PNG", help="write the two-panel figure")
    a = ap.parse_args(argv)
    try:
        a.ranks = [int(x) for x in a.ranks.split(",")]
    except ValueError:
        ap.error("--ranks must be comma-separated integers, not %r" % a.ranks)
    if any(r < 1 for r in a.ranks):
        ap.error("--ranks must all be at least 1")
    for p in (a.pattern, a.dummy_pattern):
        if p is not None and "%i" not in p and "%d" not in p:
            ap.error("a pattern needs %%i for the rank count: %r" % p)
    return a


def main(argv: Optional[List[str]] = None) -> int:
    a = parse_args(argv)
    try:
        real = get_scaling_results(a.pattern, a.ranks)
        dummy = get_scaling_results(a.dummy_pattern, a.ranks) if a.dummy_pattern else None
    except (OSError, KeyError, ValueError, pickle.UnpicklingError) as e:
        print("scaling_analysis: %s" % e, file=sys.stderr)
        return 1
    table = real if dummy is None else real.merge(dummy, on="ranks", suffixes=(None, "_dummy"))
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False))
    if a.plot:
        import matplotlib
        matplotlib.use("Agg")
        from perfkit import plot
        back = {"times": "time", "throughputs": "throughput", "eff": "efficiency"}
        fig = plot.scaling(real.rename(columns=back),
                           compare=None if dummy is None else dummy.rename(columns=back),
                           title=a.title)
        fig.savefig(a.plot, dpi=100)
        print("Wrote %s" % a.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
