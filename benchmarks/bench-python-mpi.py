#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench-python-mpi: the Python programs of the MPI talk against their C twins.

examples/python/mpi_pi.py (numpy, perfkit-mpi-pi's darts) against
perfkit-mpi-pi, and examples/python/mpi_correlate.py (numpy, one matrix
product per rank) against perfkit-mpi-correlate, on the same work and the
same rank counts, alternating the two for several rounds. Both sides time
the same span (rank 0, from leaving a barrier to the end of the reduce or
gather), read back from each program's --outfile records. Prints each
side's median, the ratio Python time / C time, and the load average. No
goal: this says what the Python twins cost, or save.

Usage: bench-python-mpi.py [--build DIR] [--darts N] [--items M --users U]
                           [--ranks 1,2] [--rounds R]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

PYTHON = "/usr/bin/python3"   # Debian's, with numpy and mpi4py (not pyenv's)
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mpirun(np_):
    cmd = [shutil.which("mpirun") or "mpirun", "--oversubscribe", "-np", str(np_)]
    if os.geteuid() == 0:
        cmd.insert(1, "--allow-run-as-root")
    return cmd


def timed(cmd, path, name):
    """Run one job, return rank 0's elapsed time of its one run."""
    subprocess.run(cmd + ["--repeat", "1", "--outfile", path], capture_output=True,
                   text=True, timeout=900, check=True)
    out = subprocess.run([PYTHON, "-c", "import perfkit, sys; r = perfkit.Results.read("
                          "sys.argv[1]); print([x.elapsed for x in r if x.name == sys.argv[2]]"
                          "[0])", path, name], capture_output=True, text=True, check=True)
    return float(out.stdout)


def compare(label, c_cmd, py_cmd, name, rounds, tmp):
    c, py = [], []
    for _ in range(rounds):
        c.append(timed(c_cmd, os.path.join(tmp, "c.json"), name))
        py.append(timed(py_cmd, os.path.join(tmp, "py.json"), name))
    mc, mp = statistics.median(c), statistics.median(py)
    print(f"{label:<28}  {mc:10.4f}  {mp:10.4f}  {mp / mc:7.2f}   "
          f"(C {min(c):.4f}-{max(c):.4f}, Python {min(py):.4f}-{max(py):.4f})", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--darts", type=int, default=100_000_000)
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--users", type=int, default=2000)
    ap.add_argument("--ranks", default="1,2")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    exe = {p: os.path.join(build, "examples", p)
           for p in ("perfkit-mpi-pi", "perfkit-mpi-correlate")}
    for path in exe.values():
        if not os.access(path, os.X_OK):
            sys.exit(f"bench-python-mpi: {path} not built")
    os.environ.update(PERFKIT_LIBRARY=os.path.join(build, "lib", "libperfkit.so.1"),
                      PERFKIT_MPI_LIBRARY=os.path.join(build, "lib", "mpi",
                                                       "libperfkit-mpi.so.1"),
                      PYTHONPATH=os.path.join(SRC, "bindings", "python"))
    os.environ.setdefault("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
    if subprocess.run([PYTHON, "-c", "import mpi4py, numpy, perfkit.mpi"],
                      capture_output=True).returncode != 0:
        sys.exit("bench-python-mpi: needs python3-mpi4py and python3-numpy, and the "
                 "perfkit package of this tree")
    py = {p: os.path.join(SRC, "examples", "python", p)
          for p in ("mpi_pi.py", "mpi_correlate.py")}
    print(f"bench-python-mpi: {a.rounds} rounds alternating, load average "
          f"{' '.join('%.2f' % x for x in os.getloadavg())} at start")
    print(f"{'':<28}  {'C, s':>10}  {'Python, s':>10}  {'Py / C':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for k in [int(x) for x in a.ranks.split(",")]:
            args = ["--darts", str(a.darts), "--ranks", str(k)]
            compare(f"pi, {a.darts:.0e} darts, {k} rank{'s' if k > 1 else ''}",
                    mpirun(k) + [exe["perfkit-mpi-pi"]] + args,
                    mpirun(k) + [PYTHON, py["mpi_pi.py"]] + args, "mpi-pi", a.rounds, tmp)
        for k in [int(x) for x in a.ranks.split(",")]:
            args = ["--items", str(a.items), "--users", str(a.users), "--ranks", str(k),
                    "--no-check"]
            compare(f"correlate, {a.items}x{a.users}, {k} rank{'s' if k > 1 else ''}",
                    mpirun(k) + [exe["perfkit-mpi-correlate"]] + args,
                    mpirun(k) + [PYTHON, py["mpi_correlate.py"]] + args, "mpi-correlate",
                    a.rounds, tmp)
    print(f"load average {' '.join('%.2f' % x for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    main()
