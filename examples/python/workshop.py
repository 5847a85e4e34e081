#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The HPC Python workshop's steps from Python, on libperfkit.

1. Profile: write grids the slow way (a Python loop per point) and the
   vectorised way, inside named regions; print cProfile's table.
2. Benchmark the alternatives with perfkit.timeit: text (numpy.savetxt)
   against binary (numpy.save) for one grid, with the ratio and the
   Mann-Whitney verdict.
3. Amdahl: a multiprocessing pool of W = 1..--max-workers processes writes
   --files grids; libperfkit's strong-scaling table, Amdahl fitted on the
   times, the optimal worker count and the cost per core-hour.

    examples/python/workshop.py --files 100 --size 100 --max-workers 2
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
from typing import List, Optional

import numpy as np

import perfkit
from perfkit import scaling


def generate_point(x: float, y: float, i: int) -> float:
    return np.sin(x / 10.0 + i) * np.cos(y / 10.0)


@perfkit.region("generate_data")
def generate_grid(size: int, i: int) -> np.ndarray:
    x = np.arange(size, dtype=float)
    X, Y = np.meshgrid(x, x)
    return np.sin(X / 10.0 + i) * np.cos(Y / 10.0)


def write_loop(folder: str, size: int, i: int) -> None:
    with perfkit.region("write_loop"):
        data = np.zeros((size, size))
        with perfkit.region("generate_point_loop"):
            for a in range(size):
                for b in range(size):
                    data[a, b] = generate_point(a, b, i)
        with perfkit.region("savetxt"):
            np.savetxt(os.path.join(folder, "loop%05d.txt" % i), data)


def write_text(folder: str, size: int, i: int) -> None:
    np.savetxt(os.path.join(folder, "text%05d.txt" % i), generate_grid(size, i))


def write_binary(folder: str, size: int, i: int) -> None:
    np.save(os.path.join(folder, "bin%05d.npy" % i), generate_grid(size, i))


def profile_step(folder: str, files: int, size: int) -> None:
    perfkit.reset_profile()
    for i in range(files):
        write_loop(folder, size, i)
        with perfkit.region("write_vectorized"):
            write_text(folder, size, i)
    print("== 1. profile (%d files of %dx%d, loop vs vectorised)" % (files, size, size))
    print(perfkit.profile().text(sort="tottime").split("\n#\n")[0])


def benchmark_step(folder: str, size: int) -> None:
    print("\n== 2. text vs binary, one %dx%d grid (perfkit.timeit)" % (size, size))
    text = perfkit.timeit(write_text, folder, size, 0, max_time=1.0)
    binary = perfkit.timeit(write_binary, folder, size, 0, max_time=1.0)
    for name, st in (("savetxt", text), ("np.save", binary)):
        print("  %-8s %10.1f us per call (95%% CI %.1f-%.1f, %d samples)"
              % (name, st.median / 1e3, st.ci_low / 1e3, st.ci_high / 1e3, st.n))
    cmp = perfkit.two_sample(text.samples, binary.samples)
    print("  binary is %.1fx faster (p = %.2g)" % (text.median / binary.median, cmp.p_value))


def _write_task(args: tuple) -> None:
    folder, size, i = args
    write_binary(folder, size, i)


def amdahl_step(folder: str, files: int, size: int, max_workers: int, repeats: int,
                efficiency: float, price: float) -> None:
    print("\n== 3. multiprocessing pool, %d files, 1 to %d workers, %d repeats"
          % (files, max_workers, repeats))
    workers, times = [], []
    tasks = [(folder, size, i) for i in range(files)]
    for _ in range(repeats):
        for w in range(1, max_workers + 1):
            t0 = perfkit.now_ns()
            with mp.Pool(processes=w) as pool:
                pool.map(_write_task, tasks)
            workers.append(w)
            times.append((perfkit.now_ns() - t0) / 1e9)
    table = scaling.strong_table(workers, times)
    print(table[["workers", "repeats", "time", "time_sd", "speedup", "efficiency",
                 "karp_flatt"]].to_string(index=False))
    if len(set(workers)) >= 2 and len(workers) >= 3:
        try:
            fit = scaling.amdahl_fit_times(workers, times)
            print("Amdahl on the times: serial fraction %.3f (95%% CI %.3f-%.3f), "
                  "speedup limit %.1f" % (fit.f.value, fit.f.ci[0], fit.f.ci[1], fit.limit))
        except perfkit.DomainError as e:
            print("Amdahl does not fit these times: %s" % e.message)
    try:
        best = scaling.optimal_workers(table.workers, table.efficiency, efficiency)
        print("optimal: %d workers (the most with efficiency >= %.2f)" % (best, efficiency))
    except perfkit.DomainError:
        print("no worker count reaches efficiency %.2f" % efficiency)
    cost = scaling.cost_table(table.workers, table.time, price=price)
    print("cost at $%.2f per core-hour: %s" % (price, ", ".join(
        "%d workers $%.2g" % (w, c) for w, c in zip(cost.workers, cost.cost))))


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="The HPC Python workshop's profile, "
                                             "benchmark and Amdahl steps on libperfkit.")
    ap.add_argument("--files", type=int, default=20, help="grids to write (default 20)")
    ap.add_argument("--size", type=int, default=100, help="grid side (default 100)")
    ap.add_argument("--max-workers", type=int, default=os.cpu_count() or 1,
                    help="largest pool (default: the CPUs)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per pool size")
    ap.add_argument("--efficiency", type=float, default=0.5,
                    help="lowest acceptable efficiency for the optimal count")
    ap.add_argument("--price", type=float, default=0.10, help="dollars per core-hour")
    a = ap.parse_args(argv)
    for name in ("files", "size", "max_workers", "repeats"):
        if getattr(a, name) < 1:
            ap.error("--%s must be at least 1" % name.replace("_", "-"))
    if a.max_workers > 32:
        ap.error("--max-workers is at most 32")
    if not 0 < a.efficiency <= 1:
        ap.error("--efficiency must be in (0, 1]")
    if not a.price >= 0:
        ap.error("--price must be 0 or more")
    return a


def main(argv: Optional[List[str]] = None) -> int:
    a = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="perfkit-workshop-") as folder:
        profile_step(folder, min(a.files, 10), a.size)
        benchmark_step(folder, a.size)
        amdahl_step(folder, a.files, a.size, a.max_workers, a.repeats, a.efficiency, a.price)
    return 0


if __name__ == "__main__":
    sys.exit(main())
