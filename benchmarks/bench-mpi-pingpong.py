#!/usr/bin/env python3
"""bench-mpi-pingpong: perfkit-mpi-pingpong against NetPIPE's NPmpi.

Issue 13's goals, on 2 ranks of this machine, from one run of this script:

  latency    at 1 to 8 bytes (the sizes both tools measure; NetPIPE has no
             0-byte message): perfkit's / NPmpi's <= 1.10
  bandwidth  at 1 MiB and more: perfkit's / NPmpi's >= 0.95

Debian's netpipe-openmpi installs NPmpi as NPopenmpi. Both tools report a
size's latency as half the best trial's round trip, bandwidth as bytes over
that time. The two alternate for several rounds, each sweeping 1 to
8 B and from 1 MiB to 4 MiB; per size and tool the best round counts
(as NetPIPE's best trial does), and each size's ratio is printed; a band's figure is the
geometric mean of its sizes' ratios. The load average is printed with the
figures: on a shared machine, run it several times.

Usage: bench-mpi-pingpong.py [--build DIR] [--rounds R] [--mpirun WORDS]
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

# The two bands of the goals, each swept by both tools (a whole sweep to
# 4 MiB takes NetPIPE minutes on a busy machine).
# NetPIPE starts a band at its lower bound less 3 (the perturbation), so
# both tools then measure 2^k - 3, 2^k and 2^k + 3.
BANDS = ((1, 8), ((1 << 20) - 3, (4 << 20) + 3))


def mpirun_words(extra):
    words = ['mpirun', '-np', '2']
    if extra:
        words += extra.split()
    elif 'Open MPI' in subprocess.run(['mpirun', '--version'], capture_output=True,
                                      text=True).stdout:
        words += ['--oversubscribe'] + (['--allow-run-as-root'] if os.geteuid() == 0 else [])
    return words


def netpipe(mpirun, exe, out, lo, hi):
    lo = lo + 3 if lo > 8 else lo
    subprocess.run(mpirun + [exe, '-l', str(lo), '-u', str(hi), '-o', out], check=True,
                   capture_output=True, timeout=300)
    best = {}
    with open(out) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                size, mbps, sec = int(parts[0]), float(parts[1]), float(parts[2])
                best[size] = (sec, mbps * 1e6 / 8 / 1e6)  # (latency s, MB/s)
    return best


def perfkit(mpirun, exe, out, lo, hi):
    subprocess.run(mpirun + [exe, '--min-bytes', str(lo), '--max-bytes', str(hi),
                             '--outfile', out],
                   check=True, capture_output=True, timeout=300)
    with open(out) as f:
        doc = json.load(f)
    return {int(r['problem_size']): (float(r['latency_s']), float(r['bandwidth_MBps']))
            for r in doc['records']}


def merge(best, round_):
    for size, (lat, bw) in round_.items():
        old = best.get(size)
        best[size] = (min(lat, old[0]), max(bw, old[1])) if old else (lat, bw)


def gmean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float('nan')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--mpirun', default='', help='launcher options after "mpirun -np 2"')
    args = ap.parse_args()
    npmpi = shutil.which('NPmpi') or shutil.which('NPopenmpi')
    pp = os.path.join(args.build, 'examples', 'perfkit-mpi-pingpong')
    if not npmpi:
        print('NPmpi not found: apt-get install netpipe-openmpi')
        return 2
    if not os.access(pp, os.X_OK):
        print(f'{pp} not built')
        return 2
    mpirun = mpirun_words(args.mpirun)
    ref, ours = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            # alternate which tool goes first
            order = [('np', npmpi), ('pk', pp)] if r % 2 == 0 else [('pk', pp), ('np', npmpi)]
            for (name, exe), (lo, hi) in ((o, b) for b in BANDS for o in order):
                out = os.path.join(tmp, f'{name}{r}.' + ('json' if name == 'pk' else 'out'))
                if name == 'np':
                    merge(ref, netpipe(mpirun, exe, out, lo, hi))
                else:
                    merge(ours, perfkit(mpirun, exe, out, lo, hi))
    common = sorted(set(ref) & set(ours))
    print(f'{" ".join(mpirun)}; {args.rounds} rounds; load average '
          f'{" ".join(f"{x:.2f}" for x in os.getloadavg())}')
    print(f'{"bytes":>10} {"NPmpi us":>10} {"perfkit us":>11} {"lat ratio":>10} '
          f'{"NPmpi MB/s":>11} {"perfkit MB/s":>13} {"bw ratio":>9}')
    lat_r, bw_r = [], []
    for s in common:
        (l0, b0), (l1, b1) = ref[s], ours[s]
        lr, br = l1 / l0, (b1 / b0 if b0 > 0 else float('nan'))
        print(f'{s:>10} {l0 * 1e6:>10.3f} {l1 * 1e6:>11.3f} {lr:>10.3f} '
              f'{b0:>11.1f} {b1:>13.1f} {br:>9.3f}')
        if 1 <= s <= 8:
            lat_r.append(lr)
        if s >= 1 << 20:
            bw_r.append(br)
    lat, bw = gmean(lat_r), gmean(bw_r)
    print(f'latency 1-8 B, perfkit / NPmpi (geometric mean of {len(lat_r)} sizes): '
          f'{lat:.3f}  goal <= 1.10: {"met" if lat <= 1.10 else "NOT met"}')
    print(f'bandwidth >= 1 MiB, perfkit / NPmpi (geometric mean of {len(bw_r)} sizes): '
          f'{bw:.3f}  goal >= 0.95: {"met" if bw >= 0.95 else "NOT met"}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
