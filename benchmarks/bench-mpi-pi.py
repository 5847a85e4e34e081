#!/usr/bin/env python3
"""bench-mpi-pi: perfkit-mpi-pi against the MPI-on-EC2 talk's own approach.

The talk computed pi with mpi4py and numpy: every rank draws its darts
with numpy, counts those inside the circle, and comm.reduce() adds the
counts up. This script runs that (python3-mpi4py and python3-numpy from
Debian, under /usr/bin/python3; numpy's fastest generator, PCG64, drawn
in blocks of 2^20 darts) and perfkit-mpi-pi with the same darts on the
same rank counts, alternating the two for several rounds. Both time the
same span: from leaving a barrier to the end of the reduce on rank 0.
Prints each side's median and the ratio python time / perfkit time
(goal >= 1.0: perfkit at least as fast), and the load average.

Usage: bench-mpi-pi.py [--build DIR] [--darts N] [--ranks 1,2] [--rounds R]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

PYTHON = '/usr/bin/python3'   # Debian's, with its mpi4py (not pyenv's)

TALK_PI = r'''
import sys
import numpy as np
from mpi4py import MPI

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()
darts, seed = int(sys.argv[1]), int(sys.argv[2])
mine = darts // size + (1 if rank < darts % size else 0)
rng = np.random.default_rng([seed, rank])
comm.Barrier()
t0 = MPI.Wtime()
hits, left = 0, mine
while left > 0:
    n = min(left, 1 << 20)
    x, y = rng.random(n), rng.random(n)
    hits += int(np.count_nonzero(x * x + y * y < 1.0))
    left -= n
total = comm.reduce(hits, op=MPI.SUM, root=0)
t = MPI.Wtime() - t0
if rank == 0:
    print(f'{t:.9f} {4.0 * total / darts:.9f}')
'''


def mpirun(np_):
    cmd = [shutil.which('mpirun') or 'mpirun', '--oversubscribe', '-np', str(np_)]
    if os.geteuid() == 0:
        cmd.insert(1, '--allow-run-as-root')
    return cmd


def run_python(script, np_, darts, seed):
    out = subprocess.run(mpirun(np_) + [PYTHON, script, str(darts), str(seed)],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    t, est = out.split()
    return float(t), float(est)


def run_perfkit(exe, np_, darts, seed, tmp):
    path = os.path.join(tmp, 'pi.json')
    subprocess.run(mpirun(np_) + [exe, '--darts', str(darts), '--seed', str(seed),
                                  '--ranks', str(np_), '--repeat', '1', '--outfile', path],
                   capture_output=True, text=True, timeout=600, check=True)
    with open(path) as f:
        rec = json.load(f)['records'][0]
    return float(rec['elapsed']), 4.0 * int(rec['params']['hits']) / darts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--darts', type=int, default=200_000_000)
    ap.add_argument('--ranks', default='1,2')
    ap.add_argument('--rounds', type=int, default=5)
    a = ap.parse_args()
    exe = os.path.join(a.build, 'examples', 'perfkit-mpi-pi')
    if not os.access(exe, os.X_OK):
        sys.exit(f'bench-mpi-pi: {exe} not built')
    if subprocess.run([PYTHON, '-c', 'import mpi4py, numpy'],
                      capture_output=True).returncode != 0:
        sys.exit('bench-mpi-pi: needs Debian python3-mpi4py and python3-numpy '
                 '(apt-get install python3-mpi4py python3-numpy)')
    os.environ.setdefault('OMPI_MCA_btl_vader_single_copy_mechanism', 'none')
    print(f'bench-mpi-pi: {a.darts} darts, {a.rounds} rounds alternating, '
          f'load average {os.getloadavg()[0]:.2f} at start')
    print(f'{"ranks":>5}  {"perfkit, s":>11}  {"mpi4py+numpy, s":>15}  {"ratio":>6}  '
          f'{"Mdarts/s perfkit":>16}  {"numpy":>8}')
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, 'talk_pi.py')
        with open(script, 'w') as f:
            f.write(TALK_PI)
        for np_ in [int(k) for k in a.ranks.split(',')]:
            pk, py = [], []
            for r in range(a.rounds):
                pk.append(run_perfkit(exe, np_, a.darts, r + 1, tmp)[0])
                py.append(run_python(script, np_, a.darts, r + 1)[0])
            mpk, mpy = statistics.median(pk), statistics.median(py)
            print(f'{np_:5d}  {mpk:11.4f}  {mpy:15.4f}  {mpy / mpk:6.2f}  '
                  f'{a.darts / mpk / 1e6:16.1f}  {a.darts / mpy / 1e6:8.1f}')
    print(f'load average {os.getloadavg()[0]:.2f} at the end; goal: ratio >= 1.0')


if __name__ == '__main__':
    main()
