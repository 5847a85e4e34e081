#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The MPI-on-EC2 talk's pairwise Pearson correlations ("scaling KNN":
every pair of Netflix movies) with mpi4py, numpy and perfkit: the Python
twin of perfkit-mpi-correlate.

    mpirun -np 2 examples/python/mpi_correlate.py --items 2000 --users 5000 --ranks 1,2
    mpirun -np 2 examples/python/mpi_correlate.py --input ratings.csv --outfile corr.json

Rank 0 makes the rating vectors (perfkit-mpi-correlate's generator, so a
seed gives the same data as the C program) or reads them from a CSV file,
and computes every pair's r serially with numpy.corrcoef as the
reference. Then, for each rank count of --ranks (the first ranks of the
job; the others wait asleep), rank 0 scatters the vectors (Scatterv),
every rank standardises its share, an Allgatherv gives every rank all of
them, every rank correlates its rows with all rows in one matrix product,
and rank 0 gathers the pairs (Gatherv) and compares them with the
reference. It prints the time per run, the most correlated pairs,
speedup, efficiency and, with --price, the cost of each count.
"""

from __future__ import annotations

import os

# One BLAS thread per rank: the ranks are the parallelism (the workshop's
# OMP_NUM_THREADS=1). Set before numpy loads its BLAS; a user's setting wins.
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import math  # noqa: E402
import stat  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import List, Optional, Sequence, Tuple  # noqa: E402

import numpy as np  # noqa: E402
from mpi4py import MPI  # noqa: E402

import perfkit  # noqa: E402
from perfkit import mpi  # noqa: E402

import mpi_common as mc  # noqa: E402

PROG = "mpi_correlate.py"
ITEMS_MAX, USERS_MAX, VALUES_MAX = 20000, 1000000, 1 << 28   # as perfkit-mpi-correlate
TOLERANCE = 1e-10               # largest difference from the reference that counts as equal
GAMMA = 0x9E3779B97F4A7C15
TASTES = 3


def parser() -> mc.Parser:
    p = mc.Parser(prog=PROG, description=(
        "Pearson's correlation of every pair of rating vectors, as the MPI-on-EC2 talk "
        "computed it for Netflix movies: rank 0 scatters the vectors, every rank "
        "correlates its share with all of them, rank 0 gathers the results and checks "
        "them against a serial numpy computation. Runs each rank count of --ranks on "
        "the first ranks of the job and prints the time, speedup and efficiency."))
    p.add_argument("-m", "--items", type=mc.whole(2, ITEMS_MAX), metavar="M",
                   help="rating vectors (movies) to generate (default 500)")
    p.add_argument("-u", "--users", type=mc.whole(2, USERS_MAX), metavar="U",
                   help="ratings per vector (default 1000)")
    p.add_argument("-s", "--seed", type=mc.whole(0, (1 << 64) - 1), default=1, metavar="S",
                   help="the generated ratings, the same as perfkit-mpi-correlate's (default 1)")
    p.add_argument("-i", "--input", metavar="FILE",
                   help="read the vectors from a CSV file instead: one line per vector, "
                   "numbers separated by commas")
    p.add_argument("--top", type=mc.whole(0, 1000), default=5, metavar="K",
                   help="show the K most correlated pairs (default 5)")
    p.add_argument("--no-check", dest="check", action="store_false",
                   help="skip the serial computation and the check")
    mc.add_run_options(p)
    return p


def check_options(a, size: int, rank: int) -> None:
    if a.input is not None and (a.items is not None or a.users is not None):
        raise mc.UsageError("--input and --items/--users: choose one (a file has its size)")
    if a.input == "":
        raise mc.UsageError("--input: the file name is empty")
    a.items = 500 if a.items is None else a.items
    a.users = 1000 if a.users is None else a.users
    if a.items * a.users > VALUES_MAX:
        raise mc.UsageError("--items %d x --users %d: more than 2^28 ratings"
                            % (a.items, a.users))
    mc.check_run_options(a, size, rank)


# ---- the rating vectors ----

def mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, elementwise on uint64 (wrapping as C's)."""
    z = z ^ (z >> np.uint64(30))
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def uniform(seed: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Uniform in [-1, 1) for each (seed, a, b): perfkit-mpi-correlate's counter-based draw."""
    g = np.uint64(GAMMA)
    z = mix64(np.uint64(seed) + a.astype(np.uint64) * g)
    z = mix64(z + (b.astype(np.uint64) + np.uint64(1)) * g)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -52 - 1.0


def generate(items: int, users: int, seed: int) -> np.ndarray:
    """Ratings 1 to 5 from three tastes per item and per user plus noise,
    items x users, as perfkit-mpi-correlate makes them."""
    t = np.arange(TASTES)
    item = uniform(seed, TASTES * np.arange(items)[:, None] + t, np.zeros(1, np.int64))
    user = uniform(seed, TASTES * (items + np.arange(users))[:, None] + t, np.ones(1, np.int64))
    s = np.zeros((items, users))
    for k in range(TASTES):
        s += item[:, k, None] * user[None, :, k]
    noise = uniform(seed, np.arange(items)[:, None], 2 + np.arange(users)[None, :])
    x = 3.0 + 2.5 * s + 0.8 * noise
    whole = np.trunc(x)                     # C's round(): halves away from zero
    x = whole + np.sign(x) * (np.abs(x - whole) >= 0.5)
    return np.clip(x, 1.0, 5.0)


def number(text: str) -> float:
    """A finite number, or ValueError."""
    v = float(text)                         # ValueError for words
    if not math.isfinite(v):
        raise ValueError(text)
    return v


def is_number(text: str) -> bool:
    try:
        number(text)
    except ValueError:
        return False
    return True


def read_csv(path: str) -> np.ndarray:
    """One vector per line, numbers separated by commas, the same count on
    every line; a first line with a word is a header; blank lines are
    skipped. A problem is a UsageError naming the line and column."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        raise mc.UsageError("--input %s: %s" % (path, e.strerror)) from None
    if stat.S_ISDIR(mode):
        raise mc.UsageError("--input %s: is a folder, not a CSV file" % path)
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise mc.UsageError("--input %s: not a regular file or a pipe" % path)
    rows: List[List[float]] = []
    header_seen = False
    try:
        with open(path, newline="", encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                fields = [t.strip(" \t") for t in line.rstrip("\n").rstrip("\r").split(",")]
                if fields == [""]:
                    continue                # a blank line
                bad = [c for c, t in enumerate(fields, 1) if not is_number(t)]
                if bad and not rows and not header_seen and all(fields):
                    header_seen = True      # a first line of names
                    continue
                rows.append(csv_row(path, line_no, fields, bad, rows))
    except (OSError, UnicodeDecodeError) as e:
        raise mc.UsageError("--input %s: %s" % (path, e)) from None
    if len(rows) < 2 or len(rows[0]) < 2:
        raise mc.UsageError("--input %s: %s" % (path, (
            "no data lines (the file is empty or a header only)" if not rows else
            "one data line; correlations need at least 2 items" if len(rows) == 1 else
            "one column; correlations need at least 2 users")))
    return np.array(rows)


def csv_row(path: str, line_no: int, fields: List[str], bad: List[int],
            rows: List[List[float]]) -> List[float]:
    """A data line's numbers, checked against the lines before it."""
    where = "--input %s: line %d, column %%d: " % (path, line_no)
    if bad:
        col = bad[0]
        raise mc.UsageError(where % col + ("an empty field" if fields[col - 1] == "" else
                                           "'%s' is not a finite number" % fields[col - 1]))
    if rows and len(fields) != len(rows[0]):
        raise mc.UsageError(where % 1 + "%d fields, the first data line %d"
                            % (len(fields), len(rows[0])))
    if len(rows) >= ITEMS_MAX:
        raise mc.UsageError("--input %s: more than %d rows (items)" % (path, ITEMS_MAX))
    if (len(rows) + 1) * len(fields) > VALUES_MAX:
        raise mc.UsageError("--input %s: more than 2^28 values" % path)
    return [float(t) for t in fields]


def reference(x: np.ndarray) -> np.ndarray:
    """Every pair's r, serially with numpy.corrcoef: the upper triangle, row by row."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.corrcoef(x)
    return r[np.triu_indices(len(x), 1)]


@dataclass
class Data:
    """The vectors on rank 0 (None elsewhere), their size on every rank."""
    x: Optional[np.ndarray]
    items: int
    users: int
    ref: Optional[np.ndarray] = None    # rank 0, with the check
    serial_s: float = 0.0

    @property
    def pairs(self) -> int:
        return self.items * (self.items - 1) // 2


def load(a, comm: MPI.Comm) -> Tuple[Optional[Data], int]:
    """Rank 0 makes or reads the vectors; every rank learns their size,
    or that the input was refused (exit 2 for all, said once). Rank 0 then
    computes the reference while the others wait asleep."""
    x, message = None, None
    if comm.rank == 0:
        try:
            x = read_csv(a.input) if a.input else generate(a.items, a.users, a.seed)
        except mc.UsageError as e:
            message = str(e)
            print("%s: error: %s" % (PROG, message), file=sys.stderr, flush=True)
    ok, m, u = comm.bcast((message is None, *(x.shape if x is not None else (0, 0))), root=0)
    if not ok:
        return None, mc.EXIT_USAGE
    d = Data(x, m, u)
    failed = 0
    if comm.rank == 0 and a.check:
        sw = perfkit.Stopwatch()
        try:
            with sw:
                d.ref = reference(x)
        except MemoryError:
            print("%s: out of memory for the reference of %d pairs (try --no-check)"
                  % (PROG, d.pairs), file=sys.stderr)
            failed = 1
        d.serial_s = sw.elapsed
    if mc.quiet_max(comm, failed):
        return None, mc.EXIT_FAILED
    return d, -1


# ---- one run ----

def blocks(n: int, k: int) -> np.ndarray:
    """Rows per rank: contiguous, the first n % k ranks one more."""
    return np.array([n // k + (1 if r < n % k else 0) for r in range(k)])


def standardize(rows: np.ndarray) -> None:
    """Mean 0 and sum of squares 1 per row, in place: then r is a dot
    product. A constant row (no spread) becomes NaN: its r is undefined."""
    rows -= rows.mean(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows /= np.sqrt(np.einsum("ij,ij->i", rows, rows))[:, None]


@dataclass
class Run:
    ranks: int
    index: int
    seconds: float = 0.0        # rank 0: from the scatter to the last r gathered
    rank_min: float = 0.0       # the fastest rank's correlating
    rank_max: float = 0.0       # the slowest rank's
    tri: Optional[np.ndarray] = None  # rank 0: every pair's r, in row order


def correlate_run(comm: MPI.Comm, d: Data, index: int, local: perfkit.Results) -> Run:
    """The talk's steps over ``comm`` (collective); this rank's share
    becomes a record in ``local``."""
    k, rank, m, u = comm.size, comm.rank, d.items, d.users
    rows = blocks(m, k)
    first = int(rows[:rank].sum())
    firsts = np.concatenate(([0], np.cumsum(rows)[:-1]))
    mine, z = np.empty((rows[rank], u)), np.empty((m, u))
    # the pairs (i, j > i) of each rank's rows, in row order
    pcounts = np.array([sum(m - 1 - i for i in range(f, f + c)) for f, c in zip(firsts, rows)])
    tri = np.empty(d.pairs) if rank == 0 else None
    sw = perfkit.Stopwatch()
    comm.Barrier()
    t0 = mc.wall_s(local)
    sw.start()
    comm.Scatterv([d.x, rows * u, firsts * u, MPI.DOUBLE] if rank == 0 else None, mine, root=0)
    standardize(mine)
    comm.Allgatherv(mine, [z, rows * u, firsts * u, MPI.DOUBLE])
    r = mine @ z.T                          # my rows against every row: BLAS
    keep = np.arange(m)[None, :] > np.arange(first, first + rows[rank])[:, None]
    pairs = np.ascontiguousarray(r[keep])
    busy = sw.lap() / 1e9
    comm.Gatherv(pairs, [tri, pcounts, np.concatenate(([0], np.cumsum(pcounts)[:-1])),
                         MPI.DOUBLE] if rank == 0 else None, root=0)
    sw.stop()
    run = Run(k, index, sw.elapsed, tri=tri)
    run.rank_min = comm.reduce(busy, op=MPI.MIN, root=0)
    run.rank_max = comm.reduce(busy, op=MPI.MAX, root=0)
    params = {"ranks": k, "run": index + 1, "users": u}
    local.append(perfkit.Record(name="mpi-correlate-rank", t_submit=t0, t_start=t0,
                                t_setup=t0, t_end=t0 + busy, t_collected=t0 + busy,
                                elapsed=busy, repetitions=1, problem_size=m,
                                items=len(pairs), flops=2.0 * rows[rank] * m * u,
                                params=params))
    if rank == 0:
        local.append(perfkit.Record(name="mpi-correlate", t_submit=t0, t_start=t0,
                                    t_setup=t0, t_end=t0 + run.seconds,
                                    t_collected=t0 + run.seconds, elapsed=run.seconds,
                                    repetitions=1, problem_size=m, items=d.pairs,
                                    flops=2.0 * d.pairs * u, params=params))
    return run


def max_difference(r: np.ndarray, ref: np.ndarray) -> float:
    """The largest |r - ref|; NaN where exactly one of the two is NaN."""
    if not np.array_equal(np.isnan(r), np.isnan(ref)):
        return math.nan
    ok = ~np.isnan(r)
    return float(np.max(np.abs(r[ok] - ref[ok]), initial=0.0))


def run_counts(a, d: Data, local: perfkit.Results) -> Tuple[List[Run], float, bool]:
    """Every rank count, every run, each checked on rank 0; after each run
    all ranks agree whether a signal or a failed check stops the job."""
    runs, worst, failed = [], 0.0, False
    for sub, k, i in mc.each_run(a, lambda: failed):
        if sub == MPI.COMM_NULL:
            continue
        r = correlate_run(sub, d, i, local)
        if MPI.COMM_WORLD.rank != 0:
            continue
        print("  %5d  %3d  %11.5f  %11.4g  %17.5f  %11.5f" % (
            r.ranks, i + 1, r.seconds, d.pairs / r.seconds, r.rank_min,
            r.rank_max), flush=True)
        runs.append(r)
        if a.check:
            diff = max_difference(r.tri, d.ref)
            worst = max(worst, diff)
            if not diff <= TOLERANCE:
                print("%s: %d ranks: r differs from the serial computation by "
                      "%g (a bug)" % (PROG, k, diff), file=sys.stderr)
                failed = True
    return runs, worst, failed


# ---- rank 0's report ----

def print_top(tri: np.ndarray, items: int, k: int) -> None:
    """The k largest r, best first (NaN left out), rows counted from 1."""
    ok = np.flatnonzero(~np.isnan(tri))
    if k == 0 or ok.size == 0:
        return
    k = min(k, ok.size)
    cand = ok[np.argpartition(-tri[ok], k - 1)[:k]] if k < ok.size else ok
    best = cand[np.lexsort((cand, -tri[cand]))][:k]
    starts = np.array([i * (2 * items - i - 1) // 2 for i in range(items)])
    print("\nMost correlated pairs (rows counted from 1)")
    for q in best:
        i = int(np.searchsorted(starts, q, side="right")) - 1
        print("  %6d  %6d  r = %+.6f" % (i + 1, q - starts[i] + i + 2, tri[q]))


def report(a, d: Data, runs: Sequence[Run], worst: float, failed: bool,
           gathered: perfkit.Results, argv: Sequence[str]) -> int:
    status = mc.EXIT_FAILED if failed else mc.EXIT_OK
    if mc.Stop.signal:
        print("%s: %s: reporting and writing the runs that finished"
              % (PROG, mc.Stop.name()), file=sys.stderr)
    if not runs:
        return status
    if a.check and not failed:
        print("\ncheck    every run's r within %.1e of the serial numpy.corrcoef "
              "(%.4f s on rank 0): ok" % (worst, d.serial_s))
    print_top(runs[-1].tri, d.items, a.top)
    written = mc.report(PROG, a, runs, gathered, argv,
                        "Pairwise correlations on MPI ranks (mpi4py + numpy)")
    return written or status


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    world = MPI.COMM_WORLD
    # every rank parses; one verdict for all before any other collective
    a, status = mc.agree_options(world, parser(), argv, check_options)
    if a is None:
        return status
    d, status = load(a, world)
    if d is None:
        return status
    mc.Stop.catch()
    if world.rank == 0:
        print("%s: %d vectors of %d ratings (%s), %d pairs, %d run%s per rank count, job of "
              "%d rank%s (%s)" % (PROG, d.items, d.users, a.input or "generated", d.pairs,
                                  a.repeat, "" if a.repeat == 1 else "s", world.size,
                                  "" if world.size == 1 else "s", mc.library_name()))
        print("  ranks  run      time, s     pairs/s  per rank: fastest  slowest, s",
              flush=True)
    local = perfkit.Results()
    runs, worst, failed = run_counts(a, d, local)
    gathered = mpi.gather(world, local)         # every rank's records, on rank 0's clock
    status = (report(a, d, runs, worst, failed, gathered, argv) if world.rank == 0
              else mc.EXIT_OK)
    # rank 0's failures and any rank's signal count for the whole job
    return mc.quiet_max(world, mc.Stop.status(status))


if __name__ == "__main__":
    mc.run_main(main)
