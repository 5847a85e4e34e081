#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The MPI-on-EC2 talk's Monte Carlo pi with mpi4py, numpy and perfkit:
the Python twin of perfkit-mpi-pi.

    mpirun -np 2 examples/python/mpi_pi.py --darts 100000000 --ranks 1,2 --price 0.10

Every rank throws its share of the darts at the unit square and counts
those inside the quarter circle; a reduce adds the hits up on rank 0,
which prints pi, its error against math.pi in standard errors, and the
time. The darts are perfkit-mpi-pi's: dart i of a seed is SplitMix64's
output for the counter i (high 32 bits x, low 32 bits y), computed with
numpy in blocks, so a seed gives the same hits on any rank count, and the
same as the C program. Each count of --ranks runs on the first ranks of
the job while the others wait asleep; perfkit.Stopwatch times each run,
every rank keeps a record of its share, perfkit.mpi.gather brings them to
rank 0, and perfkit.scaling makes the speedup, efficiency and, with
--price, the time-versus-money table.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np
from mpi4py import MPI

import perfkit
from perfkit import mpi

import mpi_common as mc

PROG = "mpi_pi.py"
GAMMA = 0x9E3779B97F4A7C15          # SplitMix64's increment (the golden ratio)
MASK = (1 << 64) - 1
DARTS_MAX = 1 << 53                 # their count stays exact in a double
BLOCK = 1 << 15                     # darts per numpy pass, and between looks at a signal
M1, M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def parser() -> mc.Parser:
    p = mc.Parser(prog=PROG, description=(
        "Estimate pi by throwing darts at the unit square on every MPI rank, as the "
        "MPI-on-EC2 talk does; a reduce adds up the hits. Runs each rank count of --ranks "
        "on the first ranks of the job and prints the estimate, its error, the time, "
        "speedup and efficiency and, with --price, what each count costs."))
    p.add_argument("-n", "--darts", type=mc.whole(1, DARTS_MAX), default=100_000_000,
                   metavar="N", help="darts per run, all ranks together (default 100000000)")
    p.add_argument("-s", "--seed", type=mc.whole(0, MASK), default=1, metavar="S",
                   help="the random stream; the same seed gives the same hits on any "
                   "number of ranks, and as perfkit-mpi-pi (default 1)")
    mc.add_run_options(p)
    return p


# ---- the darts ----

def mix64(z: int) -> int:
    """SplitMix64's finaliser on one number (Python integers)."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Darts:
    """The darts of one seed, BLOCK at a time in preallocated numpy arrays
    (uint64 arithmetic wraps, as C's does)."""

    def __init__(self, seed: int) -> None:
        self.key = mix64((seed + GAMMA) & MASK)
        self.steps = np.arange(1, BLOCK + 1, dtype=np.uint64) * np.uint64(GAMMA)
        self.z, self.t = np.empty(BLOCK, np.uint64), np.empty(BLOCK, np.uint64)
        self.x, self.y = np.empty(BLOCK), np.empty(BLOCK)
        self._block(0, BLOCK)   # touch the buffers before any timing

    def _block(self, first: int, n: int) -> int:
        z, t, x, y = self.z[:n], self.t[:n], self.x[:n], self.y[:n]
        np.add(self.steps[:n], np.uint64((self.key + first * GAMMA) & MASK), out=z)
        for shift, mult in ((30, M1), (27, M2)):
            np.right_shift(z, shift, out=t)
            z ^= t
            z *= mult
        np.right_shift(z, 31, out=t)
        z ^= t
        np.right_shift(z, 32, out=t)       # x: the high 32 bits, a grid cell's centre
        np.add(t, 0.5, out=x)
        np.bitwise_and(z, 0xFFFFFFFF, out=t)
        np.add(t, 0.5, out=y)
        x *= 2.0 ** -32
        y *= 2.0 ** -32
        x *= x
        y *= y
        x += y
        return int(np.count_nonzero(x < 1.0))

    def throw(self, first: int, count: int) -> Tuple[int, bool]:
        """Hits among darts first .. first + count - 1, and whether a signal
        stopped the throwing (then the hits are partial)."""
        hits = 0
        while count > 0:
            if mc.Stop.signal:
                return hits, True
            n = min(count, BLOCK)
            hits += self._block(first, n)
            first += n
            count -= n
        return hits, False


def share(darts: int, ranks: int, rank: int) -> Tuple[int, int]:
    """Rank ``rank``'s first dart and count (the first darts % ranks throw one more)."""
    base, extra = divmod(darts, ranks)
    return rank * base + min(rank, extra), base + (1 if rank < extra else 0)


def standard_error(darts: int) -> float:
    """4 sqrt(p (1 - p) / darts), p = pi / 4: the binomial spread of the estimate."""
    p = math.pi / 4
    return 4 * math.sqrt(p * (1 - p) / darts)


# ---- one run ----

@dataclass
class Run:
    """One run, as rank 0 of its ranks sees it."""
    ranks: int
    index: int
    hits: int = 0
    seconds: float = 0.0        # from leaving the barrier to the reduce's end
    rank_min: float = 0.0       # the fastest rank's throwing
    rank_max: float = 0.0       # the slowest rank's
    stopped: bool = False


def pi_run(comm: MPI.Comm, a, darts: Darts, index: int, local: perfkit.Results) -> Run:
    """Throw the darts over ``comm`` and reduce the hits on its rank 0
    (collective); this rank's share becomes a record in ``local``."""
    first, count = share(a.darts, comm.size, comm.rank)
    sw = perfkit.Stopwatch()
    comm.Barrier()
    t0 = mc.wall_s(local)
    sw.start()
    hits, stopped = darts.throw(first, count)
    busy = sw.lap() / 1e9
    total = comm.reduce(hits, op=MPI.SUM, root=0)       # the talk's mpi.reduce()
    sw.stop()
    r = Run(comm.size, index, total or 0, sw.elapsed)
    r.rank_min = comm.reduce(busy, op=MPI.MIN, root=0)
    r.rank_max = comm.reduce(busy, op=MPI.MAX, root=0)
    r.stopped = bool(comm.reduce(stopped, op=MPI.LOR, root=0))
    params = {"ranks": comm.size, "run": index + 1, "seed": a.seed}
    local.append(perfkit.Record(name="mpi-pi-rank", t_submit=t0, t_start=t0, t_setup=t0,
                                t_end=t0 + busy, t_collected=t0 + busy, elapsed=busy,
                                repetitions=1, problem_size=a.darts, items=count,
                                params=dict(params, hits=hits)))
    if comm.rank == 0 and not r.stopped:
        local.append(perfkit.Record(name="mpi-pi", t_submit=t0, t_start=t0, t_setup=t0,
                                    t_end=t0 + r.seconds, t_collected=t0 + r.seconds,
                                    elapsed=r.seconds, repetitions=1, problem_size=a.darts,
                                    items=a.darts, params=dict(params, hits=total)))
    return r


def print_row(a, r: Run) -> None:
    print("  %5d  %3d  %10.4g  %11d  %11.5f  %9.2f  %17.5f  %11.5f" % (
        r.ranks, r.index + 1, a.darts / r.ranks, r.hits, r.seconds,
        a.darts / r.seconds / 1e6, r.rank_min, r.rank_max), flush=True)


def run_counts(a, local: perfkit.Results) -> List[Run]:
    """Every rank count, every run; ranks outside a count wait asleep, and
    after each run all agree whether a signal stops the job."""
    runs, darts = [], Darts(a.seed)
    for sub, _, i in mc.each_run(a):
        if sub != MPI.COMM_NULL:
            r = pi_run(sub, a, darts, i, local)
            if MPI.COMM_WORLD.rank == 0 and not r.stopped:
                print_row(a, r)
                runs.append(r)
    return runs


# ---- rank 0's report ----

def print_estimate(a, runs: Sequence[Run]) -> bool:
    """pi from the first run, and that every run counted the same hits."""
    for r in runs[1:]:
        if r.hits != runs[0].hits:
            print("%s: %d ranks counted %d hits, %d ranks %d: the same darts must hit the "
                  "same (a bug)" % (PROG, runs[0].ranks, runs[0].hits, r.ranks, r.hits),
                  file=sys.stderr)
            return False
    est, se = 4 * runs[0].hits / a.darts, standard_error(a.darts)
    print("\npi       %.10f = 4 x %d / %d (every run: the same darts on any rank count)"
          % (est, runs[0].hits, a.darts))
    print("error    %+.3e against math.pi = %+.2f standard errors (%.2e)"
          % (est - math.pi, (est - math.pi) / se, se))
    return True


def report(a, runs: Sequence[Run], gathered: perfkit.Results,
           argv: Sequence[str]) -> int:
    status = mc.EXIT_OK
    if mc.Stop.signal:
        print("%s: %s: reporting and writing the runs that finished"
              % (PROG, mc.Stop.name()), file=sys.stderr)
    if not runs:
        return status
    if not print_estimate(a, runs):
        status = mc.EXIT_FAILED
    written = mc.report(PROG, a, runs, gathered, argv,
                        "Monte Carlo pi on MPI ranks (mpi4py + numpy)")
    return written or status


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    world = MPI.COMM_WORLD
    # every rank parses; one verdict for all before any other collective
    a, status = mc.agree_options(world, parser(), argv, mc.check_run_options)
    if a is None:
        return status
    mc.Stop.catch()
    if world.rank == 0:
        print("%s: %d darts, seed %d, %d run%s per rank count, job of %d rank%s (%s)" % (
            PROG, a.darts, a.seed, a.repeat, "" if a.repeat == 1 else "s", world.size,
            "" if world.size == 1 else "s", mc.library_name()))
        print("  ranks  run  darts/rank         hits      time, s   Mdarts/s  "
              "per rank: fastest  slowest, s", flush=True)
    local = perfkit.Results()
    runs = run_counts(a, local)
    gathered = mpi.gather(world, local)         # every rank's records, on rank 0's clock
    status = report(a, runs, gathered, argv) if world.rank == 0 else mc.EXIT_OK
    # rank 0's failures and any rank's signal count for the whole job
    return mc.quiet_max(world, mc.Stop.status(status))


if __name__ == "__main__":
    mc.run_main(main)
