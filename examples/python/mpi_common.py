# SPDX-License-Identifier: MIT
"""What examples/python/mpi_pi.py and mpi_correlate.py share, as
examples/mpi-common does for their C twins (perfkit-mpi-pi and
perfkit-mpi-correlate):

- The command line, agreed by every rank (perfkit.mpi.agree) before any
  other collective: argparse's messages are held back, and one rank's bad
  option or value makes every rank exit 2, with the message printed once.
- The rank counts of one job: count k runs on the first k ranks while
  the others wait asleep (Open MPI busy-polls in a blocking call, and a
  polling rank would take a core from the ranks that compute).
- Rank 0's report: libperfkit's strong-scaling table, the talk's time
  against money at --price and the cheapest count within --deadline, the
  plot, and the records gathered from every rank.
- SIGINT and SIGTERM: the work stops at the next block, rank 0 reports
  what finished, and every rank exits 128 + the signal.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import math
import os
import re
import signal
import sys
import time
import traceback
from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
from mpi4py import MPI

import perfkit
from perfkit import mpi, scaling

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
COUNTS_MAX = 64                     # rank counts of one job (as the C programs)
RECORD_SUFFIXES = (".json", ".csv", ".jsonl", ".ndjson")
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
QUIET_POLL_S = 200e-6               # how often a sleeping wait looks


class UsageError(Exception):
    """A refused option or value (exit 2)."""


class Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so that the
    ranks can agree before any of them leaves."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


# ---- option values, strict: a bad one is a usage error naming it ----

def whole(lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [lo, hi], digits only."""
    def parse(text: str) -> int:
        if not re.fullmatch(r"[0-9]+", text):
            raise argparse.ArgumentTypeError("'%s': need a whole number >= %d" % (text, lo))
        v = int(text)
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError("'%s': need a whole number from %d to %d"
                                             % (text, lo, hi))
        return v
    return parse


def real(lo: float, hi: float, lo_open: bool = False) -> Callable[[str], float]:
    """An argparse type: a number in [lo, hi] ((lo, hi] when lo_open);
    NaN never, infinity only when hi is."""
    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            v = math.nan
        if math.isnan(v) or v < lo or v > hi or (lo_open and v == lo):
            raise argparse.ArgumentTypeError("'%s': need a number %s %g%s" % (
                text, ">" if lo_open else ">=", lo,
                "" if math.isinf(hi) else " and <= %g" % hi))
        return v
    return parse


def rank_list(text: str) -> List[int]:
    """An argparse type: "1,2,4", at most COUNTS_MAX counts of 1 to 2^24."""
    one = whole(1, 1 << 24)
    counts = [one(t) for t in text.split(",")]
    if len(counts) > COUNTS_MAX:
        raise argparse.ArgumentTypeError("more than %d rank counts" % COUNTS_MAX)
    return counts


def add_run_options(p: argparse.ArgumentParser) -> None:
    """The options of a scaling run, as perfkit-mpi-pi and -correlate have them."""
    p.add_argument("-r", "--ranks", type=rank_list, metavar="LIST",
                   help="rank counts to run, increasing (default 1,2,4,... and the job's size)")
    p.add_argument("--repeat", type=whole(1, 1000), default=3, metavar="R",
                   help="timed runs per rank count (default 3)")
    p.add_argument("--price", type=real(0, 1e6), metavar="DOLLARS",
                   help="price of one CPU for an hour: print time against cost")
    p.add_argument("--deadline", type=real(0, math.inf, lo_open=True), metavar="SECONDS",
                   help="with --price: the cheapest count that takes at most this")
    p.add_argument("-o", "--outfile", metavar="FILE",
                   help="write every rank's records: .json, .csv, .jsonl or .ndjson")
    p.add_argument("--plot", metavar="FILE",
                   help="draw speedup and efficiency (matplotlib): .png, .svg or .pdf")
    p.add_argument("--version", action="version",
                   version="%(prog)s, perfkit " + perfkit.__version__
                   + ", libperfkit " + perfkit.library_version())


def default_counts(size: int) -> List[int]:
    """1, 2, 4, ... below the job's size, and the size."""
    counts, k = [], 1
    while k < size and len(counts) < COUNTS_MAX - 1:
        counts.append(k)
        k *= 2
    return counts + [size]


def check_output(option: str, path: str) -> None:
    """That rank 0 can write ``path`` (as examples/common's cli_check_output_path)."""
    if path == "":
        raise UsageError("%s: the file name is empty" % option)
    if path.endswith("/") or os.path.isdir(path):
        raise UsageError("%s %s: names a folder, not a file" % (option, path))
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise UsageError("%s %s: no folder '%s'" % (option, path, folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError("%s %s: cannot write in folder '%s'" % (option, path, folder))
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise UsageError("%s %s: cannot overwrite it" % (option, path))


def check_run_options(a: argparse.Namespace, size: int, rank: int) -> None:
    """The checks both programs share; the output paths on rank 0 alone,
    which writes them (another node may not have the folder)."""
    if a.ranks is None:
        a.ranks = default_counts(size)
    for i, k in enumerate(a.ranks):
        if k > size:
            raise UsageError("--ranks: %d ranks asked for, the job has %d (start it with "
                             "mpirun -np %d)" % (k, size, k))
        if i > 0 and k <= a.ranks[i - 1]:
            raise UsageError("--ranks: the counts must increase (%d after %d)"
                             % (k, a.ranks[i - 1]))
    if a.deadline is not None and a.price is None:
        raise UsageError("--deadline needs --price (the cheapest count within it)")
    if a.outfile is not None and not a.outfile.endswith(RECORD_SUFFIXES):
        raise UsageError("--outfile %s: the name must end in .json, .csv, .jsonl or .ndjson"
                         % a.outfile)
    if a.plot is not None and not a.plot.endswith(PLOT_SUFFIXES):
        raise UsageError("--plot %s: the name must end in .png, .svg or .pdf" % a.plot)
    if rank == 0:
        for option, path in (("--outfile", a.outfile), ("--plot", a.plot)):
            if path is not None:
                check_output(option, path)


# ---- the agreement ----

def _deciding_rank(message: str) -> Optional[int]:
    m = re.match(r"rank (\d+) of \d+: ", message)
    return int(m.group(1)) if m else None


def agree_options(comm: MPI.Comm, parser: Parser, argv: Optional[Sequence[str]],
                  check: Callable[[argparse.Namespace, int, int], None]
                  ) -> Tuple[Optional[argparse.Namespace], int]:
    """Parse and check on every rank, then agree (collective): (args, -1)
    when every rank goes on, else (None, the status every rank returns):
    2 when some rank refused its options, 0 when the lowest rank that
    stopped asked for --help or --version. Only that rank prints, so the
    message appears once; it names the rank unless it is rank 0."""
    held = io.StringIO()
    args, status, message = None, -1, ""
    with contextlib.redirect_stdout(held):
        try:
            args = parser.parse_args(argv)
            check(args, comm.size, comm.rank)
        except UsageError as e:
            status, message = EXIT_USAGE, str(e)
        except SystemExit as e:                 # --help, --version
            status = EXIT_OK if not e.code else EXIT_USAGE
    verdict = {-1: 0, EXIT_OK: 1, EXIT_USAGE: -errno.EINVAL}[status]
    try:
        mpi.agree(comm, verdict, message or "stopped (--help or --version)")
    except perfkit.Error as e:
        first = _deciding_rank(e.message)
        if comm.rank == first:
            sys.stdout.write(held.getvalue())
            if message:
                where = "" if comm.rank == 0 else "rank %d of %d: " % (comm.rank, comm.size)
                print("%s: %serror: %s" % (parser.prog, where, message), file=sys.stderr)
        elif first is None and comm.rank == 0:
            print("%s: error: %s" % (parser.prog, e.message), file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        return None, EXIT_USAGE if e.code == -errno.EINVAL else EXIT_OK
    return args, -1


# ---- the rank counts of one job ----

def counts_comm(comm: MPI.Comm, k: int) -> MPI.Comm:
    """The first k ranks of ``comm`` (MPI.COMM_NULL on the others; collective)."""
    return comm.Split(0 if comm.rank < k else MPI.UNDEFINED, comm.rank)


def each_run(a: argparse.Namespace, failed: Callable[[], bool] = lambda: False
             ) -> Iterator[Tuple[MPI.Comm, int, int]]:
    """(the first k ranks' communicator or MPI.COMM_NULL, k, run index) for
    every rank count k of ``a.ranks`` and every run of ``a.repeat``. After
    each run every rank agrees whether the job stops (a signal on any
    rank, or ``failed()`` on any); each communicator is freed after its
    runs."""
    world = MPI.COMM_WORLD
    for k in a.ranks:
        sub = counts_comm(world, k)
        try:
            for i in range(a.repeat):
                yield sub, k, i
                if Stop.agree(world, failed()):
                    return
        finally:
            if sub != MPI.COMM_NULL:
                sub.Free()


def quiet_max(comm: MPI.Comm, v: int) -> int:
    """The largest of every rank's ``v``, waiting asleep (collective)."""
    send = np.array([v], dtype=np.intc)
    recv = np.zeros(1, dtype=np.intc)
    req = comm.Iallreduce(send, recv, op=MPI.MAX)
    while not req.Test():
        time.sleep(QUIET_POLL_S)
    return int(recv[0])


def library_name() -> str:
    """The MPI library's version, its first line."""
    return re.split(r"[,\n]", MPI.Get_library_version(), maxsplit=1)[0]


class Stop:
    """SIGINT and SIGTERM set ``signal``; the work looks at it between blocks."""
    signal = 0

    @classmethod
    def catch(cls) -> None:
        def handler(signum: int, frame: Any) -> None:
            cls.signal = signum
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    @classmethod
    def agree(cls, comm: MPI.Comm, failed: bool = False) -> bool:
        """After a run (collective, asleep): whether every rank stops, for a
        signal on any rank (then it is every rank's) or a ``failed`` one."""
        v = quiet_max(comm, cls.signal or int(failed))
        if v > 1 and not cls.signal:
            cls.signal = v
        return v != 0

    @classmethod
    def name(cls) -> str:
        return signal.Signals(cls.signal).name

    @classmethod
    def status(cls, status: int) -> int:
        """128 + the signal after one, else ``status``."""
        return 128 + cls.signal if cls.signal else status


# ---- rank 0's report ----

def print_scaling(ranks: Sequence[int], times: Sequence[float], price: Optional[float],
                  deadline: Optional[float]) -> Any:
    """libperfkit's strong-scaling table and, at ``price``, the cost of each
    count and the cheapest within ``deadline``; returns the table."""
    t = scaling.strong_table(ranks, times)
    reps = int(t.repeats.iloc[0])
    print("\nScaling (strong: the same work on more ranks; mean of %d run%s per count)"
          % (reps, "" if reps == 1 else "s"))
    print("  ranks     time, s       +- sd     fastest   speedup  efficiency  Karp-Flatt")
    for r in t.itertuples():
        kf = "%10s" % "-" if math.isnan(r.karp_flatt) else "%10.3f" % r.karp_flatt
        print("  %5g  %10.4f  %10.4f  %10.4f  %8.2f  %10.2f  %s" % (
            r.workers, r.time, r.time_sd, r.time_min, r.speedup, r.efficiency, kf))
    if price is not None:
        print_cost(t, price, math.inf if deadline is None else deadline)
    return t


def print_cost(t: Any, price: float, deadline: float) -> None:
    c = scaling.cost_table(t.workers, t.time, price)
    print("\nTime versus money at $%g per CPU-hour (each rank a CPU)" % price)
    print("  ranks     time, s   CPU-hours     cost, $   x time   x cost")
    for r in c.itertuples():
        rel = r.cost / c.cost.iloc[0] if c.cost.iloc[0] > 0 else math.nan
        print("  %5g  %10.4f  %10.3g  %10.3g  %7.3f  %7.3f" % (
            r.workers, r.time, r.worker_hours, r.cost, r.time / c.time.iloc[0], rel))
    if price == 0:
        print("Free CPUs: the fastest count costs nothing more")
        return
    try:
        best = scaling.cheapest(c.workers, c.time, price, max_time_s=deadline)
    except perfkit.DomainError:
        print("No rank count finished within the deadline of %g s (fastest: %.4f s)"
              % (deadline, t.time.iloc[-1]))
        return
    print("Cheapest%s: %g ranks, %.4f s for $%.3g" % (
        "" if math.isinf(deadline) else " within the deadline", c.workers[best],
        c.time[best], c.cost[best]))


def plot_scaling(path: str, table: Any, title: str) -> None:
    """Speedup with the ideal, and efficiency, against the rank count."""
    import matplotlib
    matplotlib.use("Agg")
    from perfkit import plot
    fig = plot.scaling(table, title=title)
    fig.axes[-1].set_xlabel("MPI ranks")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print("Plotted speedup and efficiency to %s" % path)


def write_records(path: str, res: perfkit.Results, argv: Sequence[str]) -> None:
    """Every rank's records (gathered on rank 0) with the command and machine."""
    res.meta["command"] = " ".join([os.path.basename(sys.argv[0])] + list(argv))
    res.set_machine()
    res.write(path)
    print("\nWrote %d records to %s" % (len(res), path))


def report(prog: str, a: argparse.Namespace, runs: Sequence[Any], gathered: perfkit.Results,
           argv: Sequence[str], title: str) -> int:
    """Rank 0's last steps: the scaling table (and cost), then the records
    and the plot if asked. EXIT_OK, or EXIT_FAILED when writing failed
    (said on stderr)."""
    table = print_scaling([r.ranks for r in runs], [r.seconds for r in runs],
                          a.price, a.deadline)
    try:
        if a.outfile:
            write_records(a.outfile, gathered, argv)
        if a.plot:
            plot_scaling(a.plot, table, title)
    except (perfkit.Error, OSError) as e:
        print("%s: %s" % (prog, e), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def wall_s(res: perfkit.Results) -> float:
    """Now, in seconds from the set's epoch (CLOCK_REALTIME, as the epoch)."""
    return (time.time_ns() - res.epoch_ns) / 1e9


def run_main(main: Callable[[], int]) -> None:
    """Run ``main`` and exit with its status; an unexpected exception on any
    rank aborts the job, so that no rank waits for it in a collective."""
    try:
        status = main()
    except Exception:  # pylint: disable=broad-except
        traceback.print_exc()
        sys.stderr.flush()
        MPI.COMM_WORLD.Abort(EXIT_FAILED)
        raise
    sys.stdout.flush()
    sys.exit(status)
