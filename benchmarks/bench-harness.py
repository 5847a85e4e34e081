#!/usr/bin/env python3
"""bench-harness: the FLOPS harness against the tools it must match.

Every ratio of issue 4's performance goals, from one run of this script:

  dgemm     perfkit-flops (1 worker, and W = cores) against the pywren GFLOPS notebook's own
            numpy compute_flops at the same N and thread count
            (OPENBLAS_NUM_THREADS = W), N = 1024 and 2048; goal >= 1.00
  peak      the `peak` kernel on W workers against likwid-bench
            peakflops_avx_fma on W threads (goal >= 0.98; medians), and
            against the theoretical peak at the clock under the peak
            kernel's own FMA load on W cores, the two measured in pairs at
            the same moment (goal 0.97 <= share <= 1.00; the 1 s runs
            against that clock, with the pairs' spread, and the ratio at
            the scalar clock are printed beside it)
  triad     the `triad` kernel against likwid-bench stream_avx on the same
            working set and thread count; goal >= 0.95
  overhead  effective / summed GFLOPS at loopcount 10, N = 2048, W <= cores
            (goal >= 0.95), and the per-worker spawn and collect cost in us
  scale     perfkit-flops --workers 2800 --loopcount 10 --matn 64 (the
            notebook's scale, default peak reference), threads and
            processes: its wall time against twice the time the same
            28,000 dgemms take on W = cores workers, plus 5 s (goal
            wall / limit <= 1.00); skipped below 4 GB of free memory

Each comparison alternates the two sides for several rounds and compares
medians. Figures come from the records perfkit-flops writes (JSON): summed
= sum of flops / elapsed, effective = total flops / (last t_collected -
first t_submit). Needs python3-numpy (Debian, with OpenBLAS) and likwid;
what is missing is reported, not guessed.

Usage: bench-harness.py [--build DIR] [--rounds R] [--quick]
                        [--only dgemm,peak,triad,overhead,scale]
"""
import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

try:
    import numpy  # noqa: F401  (only to know it is there)
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False
    # Debian's python3-numpy belongs to /usr/bin/python3, which may not be
    # the python3 first in PATH (pyenv, venv): use it if it has numpy.
    if os.path.exists('/usr/bin/python3') and sys.executable != '/usr/bin/python3' \
            and subprocess.run(['/usr/bin/python3', '-c', 'import numpy'],
                               capture_output=True).returncode == 0:
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)

# The pywren notebook's function, verbatim but for the print.
COMPUTE_FLOPS = '''
import numpy as np, sys, time
def compute_flops(loopcount, MAT_N):
    A = np.arange(MAT_N**2, dtype=np.float64).reshape(MAT_N, MAT_N)
    B = np.arange(MAT_N**2, dtype=np.float64).reshape(MAT_N, MAT_N)
    t1 = time.time()
    for i in range(loopcount):
        c = np.sum(np.dot(A, B))
    FLOPS = 2 * MAT_N**3 * loopcount
    t2 = time.time()
    return FLOPS / (t2-t1)
print(compute_flops(int(sys.argv[1]), int(sys.argv[2])) / 1e9)
'''


def flatten(obj, prefix, out):
    """The JSON file's nested machine object back to dotted keys."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, f'{prefix}.{k}', out)
    else:
        out[prefix] = obj
    return out


def load(path):
    with open(path) as f:
        d = json.load(f)
    return d['records'], flatten(d.get('machine', {}), 'machine', dict(d['meta']))


def sh(cmd, env=None, timeout=900):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


class Bench:
    def __init__(self, args):
        self.exe = os.path.join(args.build, 'examples', 'perfkit-flops')
        if not os.access(self.exe, os.X_OK):
            sys.exit(f'bench-harness: {self.exe} not found: build first (meson compile -C {args.build})')
        self.build = args.build
        self.rounds = args.rounds
        self.quick = args.quick
        self.tmp = tempfile.mkdtemp(prefix='bench-harness-')
        self.meta = {}
        self.results = []  # (goal name, ratio or None, goal, note)

    # ---- perfkit-flops ----
    def flops(self, kernel, n, workers, extra=()):
        out = os.path.join(self.tmp, 'run.json')
        rc, _, err = sh([self.exe, '--kernel', kernel, '--matn', str(n),
                         '--workers', str(workers), '--peak-time', '0',
                         '--outfile', out] + list(extra))
        if rc != 0:
            sys.exit(f'bench-harness: perfkit-flops failed: {err}')
        recs, self.meta = load(out)
        flops = sum(r['flops'] for r in recs)
        nbytes = sum(r['bytes'] for r in recs)
        span = max(r['t_collected'] for r in recs) - min(r['t_submit'] for r in recs)
        return {
            'summed': sum(r['flops'] / r['elapsed'] for r in recs) / 1e9,
            'effective': flops / span / 1e9,
            'gbps': sum(r['bytes'] / r['elapsed'] for r in recs) / 1e9,
            'eff_gbps': nbytes / span / 1e9,
            'spawn_us': statistics.median((r['t_start'] - r['t_submit']) * 1e6 for r in recs),
            'collect_us': statistics.median((r['t_collected'] - r['t_end']) * 1e6 for r in recs),
            'setup_ms': statistics.median((r['t_setup'] - r['t_start']) * 1e3 for r in recs),
            'peak_clock_ghz': float(self.meta.get('harness.peak_clock_ghz', 'nan')),
            'pairs_share': float(self.meta.get('harness.peak_pairs_share', 'nan')),
            'pairs_u': float(self.meta.get('harness.peak_pairs_share_uncertainty', 'nan')),
            'share_u': float(self.meta.get('harness.peak_share_uncertainty', 'nan')),
            'scalar_ghz': float(self.meta.get('machine.peak.ghz', 'nan')),
            'work_s': max(r['t_end'] for r in recs) - min(r['t_setup'] for r in recs),
        }

    # ---- references ----
    def numpy(self, n, threads, loopcount):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads),
                   OMP_NUM_THREADS=str(threads), BLIS_NUM_THREADS=str(threads))
        rc, out, err = sh([sys.executable, '-c', COMPUTE_FLOPS, str(loopcount), str(n)], env=env)
        if rc != 0:
            sys.exit(f'bench-harness: numpy compute_flops failed: {err}')
        return float(out)

    def likwid(self, test, workgroup):
        if not shutil.which('likwid-bench'):
            return None, 'likwid-bench is not installed (Debian: apt-get install likwid)'
        rc, out, err = sh(['likwid-bench', '-t', test, '-w', workgroup])
        m = re.search(r'^MFlops/s:\s*([0-9.]+)', out, re.M)
        b = re.search(r'^MByte/s:\s*([0-9.]+)', out, re.M)
        if rc != 0 or not m:
            last = (err or out).strip().splitlines()[-1:] or ['no output']
            return None, f'likwid-bench could not run here: {last[0]}'
        return {'gflops': float(m.group(1)) / 1e3,
                'gbps': float(b.group(1)) / 1e3 if b else None}, ''

    # ---- helpers ----
    def alternate(self, a, b):
        """Run a() and b() alternately, the order swapped every round."""
        ra, rb = [], []
        for i in range(self.rounds):
            for f, r in ((a, ra), (b, rb)) if i % 2 == 0 else ((b, rb), (a, ra)):
                r.append(f())
        return ra, rb

    def goal(self, name, ratio, goal, note='', upper=None):
        self.results.append((name, ratio, goal, note, upper))

    def cores(self):
        rc, out, _ = sh([self.exe, '--workers', '1', '--matn', '8', '--loopcount', '1',
                         '--peak-time', '0', '--outfile', os.path.join(self.tmp, 'm.json')])
        _, self.meta = load(os.path.join(self.tmp, 'm.json'))
        return int(self.meta['harness.cores'])


def med(xs, key=None):
    return statistics.median([x[key] if key else x for x in xs])


def blas_name():
    try:
        return os.path.realpath('/etc/alternatives/libblas.so.3-x86_64-linux-gnu')
    except OSError:
        return 'unknown'


def dgemm_vs_numpy(b, cores):
    print('\n== dgemm: harness against the pywren notebook\'s numpy compute_flops (loopcount 10) ==')
    print(f'numpy {numpy.__version__ if HAVE_NUMPY else "?"}, libblas.so.3 -> {blas_name()}')
    print(f'{"N":>5} {"W":>3} {"numpy":>9} {"dgemm sum":>10} {"effective":>10} '
          f'{"c_flops sum":>11} {"dgemm/numpy":>12} {"c_flops/numpy":>14}')
    sizes = (256, 512) if b.quick else (1024, 2048)
    for n in sizes:
        for w in sorted({1, cores}):
            ref, ours = b.alternate(lambda: b.numpy(n, w, 10),
                                    lambda: b.flops('dgemm', n, w, ['--loopcount', '10']))
            seedk = [b.flops('compute_flops', n, w, ['--loopcount', '10'])
                     for _ in range(max(1, b.rounds // 2))]
            r = med(ours, 'summed') / med(ref)
            rs = med(seedk, 'summed') / med(ref)
            print(f'{n:>5} {w:>3} {med(ref):>9.2f} {med(ours, "summed"):>10.2f} '
                  f'{med(ours, "effective"):>10.2f} {med(seedk, "summed"):>11.2f} '
                  f'{r:>12.3f} {rs:>14.3f}')
            b.goal(f'dgemm N={n} W={w} / numpy', r, 1.00)
    print('(GFLOPS, medians; numpy with OPENBLAS_NUM_THREADS = W; the harness runs W '
          'single-threaded BLIS workers)')


def peak_vs_theoretical(b, w, runs):
    """The goal: the `peak` loop's share of the theoretical peak at the
    clock under load, both measured in pairs at the same moment on W cores
    at once (perfkit_kernel_peak_pairs(): ~1 ms clock runs alternating with
    ~1 ms peak runs, thread CPU time; the harness records the median over
    the pairs), median of the rounds; 0.97 <= share <= 1.00. Printed
    beside it, no goal: each round's 1 s kernel run (wall clock) against
    the theoretical peak at that clock, with the pairs' spread as its
    uncertainty, and the ratio at the scalar clock."""
    fpc = float(b.meta['harness.core_peak_gflops']) / float(b.meta['machine.peak.ghz'])
    g = med(runs, 'summed')
    ghz = med(runs, 'scalar_ghz')
    hot = med(runs, 'peak_clock_ghz')  # NaN if the harness could not measure it
    share = med(runs, 'pairs_share')
    theo, theo_hot = fpc * ghz * w, fpc * hot * w
    rounds = ', '.join(f"{r['pairs_share']:.3f} ± {r['pairs_u']:.3f}" for r in runs)
    print(f'     clock under {b.meta.get("harness.peak_clock_isa", "?")} FMA load on {w} '
          f'core(s) at once: {hot:.2f} GHz ({hot / ghz:.3f} x the scalar {ghz:.2f} GHz)')
    print(f'     paired with it ({b.meta.get("harness.peak_pairs", "?")} pairs per run): the '
          f'`peak` loop makes {share * fpc:.2f} flops/cycle of the table\'s {fpc:.0f} -> share '
          f'{share:.3f} (rounds: {rounds})'
          f' (goal 0.97 .. 1.00)')
    print(f'     the {len(runs)} kernel runs (wall clock) against {theo_hot:.1f} GFLOPS at that '
          f'clock: {g / theo_hot:.3f} ± {med(runs, "share_u"):.3f} (no goal); at the scalar clock '
          f'{theo:.1f}: {g / theo:.3f} (no goal)')
    b.goal(f'peak W={w} / theoretical at the clock under load (paired)',
           share if math.isfinite(share) else None, 0.97,
           'the harness did not record harness.peak_pairs_share', upper=1.00)


def peak_vs_likwid(b, cores):
    print('\n== peak: harness against likwid-bench peakflops_avx_fma and the theoretical peak ==')
    secs = '0.2' if b.quick else '1'
    for w in sorted({1, cores}):
        wg = f'S0:{100 * w}kB:{w}'
        ref, msg = b.likwid('peakflops_avx_fma', wg)
        ref512, _ = b.likwid('peakflops_avx512_fma', wg)
        ours = []
        refs = []
        for i in range(b.rounds):
            ours.append(b.flops('peak', 100000, w, ['--min-time', secs]))
            if ref:
                r, _ = b.likwid('peakflops_avx_fma', wg)
                refs.append(r['gflops'] if r else ref['gflops'])
        g = med(ours, 'summed')
        print(f'W={w}: peak kernel {g:.1f} GFLOPS (median of {b.rounds} runs of {secs} s)')
        if ref:
            lk = med(refs)
            print(f'     likwid-bench peakflops_avx_fma -w {wg}: {lk:.1f} GFLOPS -> ratio {g / lk:.3f}'
                  + (f'; peakflops_avx512_fma: {ref512["gflops"]:.1f} -> ratio '
                     f'{g / ref512["gflops"]:.3f}' if ref512 else ''))
            b.goal(f'peak W={w} / likwid peakflops_avx_fma', g / lk, 0.98)
        else:
            print(f'     {msg}')
            b.goal(f'peak W={w} / likwid peakflops_avx_fma', None, 0.98, msg)
        peak_vs_theoretical(b, w, ours)


def triad_vs_likwid(b, cores):
    print('\n== triad: harness against likwid-bench stream_avx (same working set and threads) ==')
    total = 10 ** 8 if b.quick else 2 * 10 ** 9  # bytes of all arrays together
    for w in sorted({1, cores}):
        wg = f'S0:{total // 10 ** 6}MB:{w}'
        n = total // (24 * w)  # three arrays of doubles per worker
        ours, refs = [], []
        msg = ''
        for i in range(b.rounds):
            ours.append(b.flops('triad', n, w, ['--loopcount', '10']))
            r, msg = b.likwid('stream_avx', wg)
            if r:
                refs.append(r['gbps'])
        g = med(ours, 'gbps')
        if refs:
            print(f'W={w}: triad {g:.1f} GB/s ({w} x {n} elements x 3 arrays); '
                  f'likwid-bench stream_avx -w {wg}: {med(refs):.1f} GB/s -> ratio {g / med(refs):.3f}')
            b.goal(f'triad W={w} / likwid stream_avx', g / med(refs), 0.95)
        else:
            print(f'W={w}: triad {g:.1f} GB/s; {msg}')
            b.goal(f'triad W={w} / likwid stream_avx', None, 0.95, msg)


def overhead(b, cores):
    print('\n== overhead: effective / summed at loopcount 10, N = 2048 ==')
    n = 512 if b.quick else 2048
    for mode in ('threads', 'processes'):
        for w in range(1, cores + 1):
            runs = [b.flops('dgemm', n, w, ['--loopcount', '10', '--mode', mode])
                    for _ in range(b.rounds)]
            r = med([x['effective'] / x['summed'] for x in runs])
            print(f'{mode:>9} W={w}: summed {med(runs, "summed"):.2f}, effective '
                  f'{med(runs, "effective"):.2f} GFLOPS -> {r:.3f}; per worker: spawn '
                  f'{med(runs, "spawn_us"):.0f} us, setup {med(runs, "setup_ms"):.1f} ms, '
                  f'collect {med(runs, "collect_us"):.0f} us')
            b.goal(f'effective/summed {mode} W={w}', r, 0.95)


def mem_available_mb():
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith('MemAvailable:'):
                return int(line.split()[1]) // 1024
    return 0


def scale(b, cores):
    """The notebook's 2,800 workers: wall time of the whole command (probe,
    peak reference, 2,800 workers, report) against 2 x the dgemm work + 5 s,
    the work being the same 28,000 dgemms of order 64 split over W = cores
    workers (--total-loopcount), from their first setup to their last end."""
    import time
    print('\n== scale: perfkit-flops --workers 2800 --loopcount 10 --matn 64 ==')
    free = mem_available_mb()
    if free < 4096:
        msg = f'{free} MB available, 4096 wanted for 2,800 live workers'
        print(f'skipped: {msg}')
        b.goal('scale: 2,800 workers, wall / (2 x work + 5 s)', None, 0.0, msg, upper=1.00)
        return
    work = med([b.flops('dgemm', 64, cores, ['--total-loopcount', '28000'])
                for _ in range(b.rounds)], 'work_s')
    limit = 2 * work + 5
    for mode in ('threads', 'processes'):
        t0 = time.monotonic()
        rc, out, err = sh([b.exe, '--workers', '2800', '--loopcount', '10', '--matn', '64',
                           '--mode', mode], timeout=300)
        wall = time.monotonic() - t0
        summed = re.search(r'^Summed\s+([0-9.]+)', out, re.M)
        print(f'{mode:>9}: {wall:.1f} s (rc {rc}); the dgemm work alone {work:.2f} s on '
              f'{cores} workers -> limit {limit:.1f} s; Summed '
              f'{summed.group(1) if summed else "?"} GFLOPS; load average '
              f'{os.getloadavg()[0]:.1f}')
        if rc != 0:
            print(f'     perfkit-flops failed: {err.strip()[-300:]}')
        b.goal(f'scale: 2,800 workers {mode}, wall / (2 x work + 5 s)',
               wall / limit if rc == 0 else None, 0.0, f'rc {rc}', upper=1.00)
    fork_floor(b, limit)


def fork_floor(b, limit):
    """What 2,800 processes cost on this machine before any work: bench-fork
    forks 2,800 idle children from a process that ran the harness once,
    releases them together and reaps them (the barrier start's shape)."""
    exe = os.path.join(b.build, 'benchmarks', 'bench-fork')
    if not os.path.exists(exe):
        print('  (bench-fork not built: no fork floor)')
        return
    rc, out, err = sh([exe, '2800', str(b.rounds)], timeout=300)
    totals = [float(t) for t in re.findall(r'total ([0-9.]+) s', out)]
    if rc != 0 or not totals:
        print(f'  bench-fork failed: {err.strip()[-300:]}')
        return
    floor = sorted(totals)[len(totals) // 2]
    print(f'  floor: fork, release and reap of 2,800 idle children of such a process: '
          f'{floor:.1f} s (median of {len(totals)}) = {floor / limit:.2f} x the limit '
          f'{limit:.1f} s')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--quick', action='store_true', help='small sizes: a smoke test')
    ap.add_argument('--only', default='dgemm,peak,triad,overhead,scale',
                    help='comma-separated parts to run (default: all)')
    args = ap.parse_args()
    parts = set(args.only.split(','))
    b = Bench(args)
    cores = b.cores()
    print(f'bench-harness: {b.meta.get("machine.cpu.model")}, {cores} cores allowed, '
          f'clock {float(b.meta["machine.clock.measured_ghz"]):.2f} GHz measured; '
          f'{args.rounds} rounds' + (' (quick)' if args.quick else '')
          + f'; load average {os.getloadavg()[0]:.2f}')
    print(f'BLAS: BLIS {b.meta.get("machine.blis.version", "?")}, '
          f'\'{b.meta.get("harness.blas.config", "?")}\' kernels, chosen by '
          f'{b.meta.get("harness.blas.chosen_by", "?")}')
    if 'dgemm' in parts and HAVE_NUMPY:
        dgemm_vs_numpy(b, cores)
    elif 'dgemm' in parts:
        print('\nnumpy is not installed (Debian: apt-get install python3-numpy): no dgemm ratio')
        b.goal('dgemm / numpy', None, 1.0, 'numpy missing')
    if 'peak' in parts:
        peak_vs_likwid(b, cores)
    if 'triad' in parts:
        triad_vs_likwid(b, cores)
    if 'overhead' in parts:
        overhead(b, cores)
    if 'scale' in parts:
        scale(b, cores)
    print(f'\n== goals == (load average at the end: '
          f'{" ".join(f"{x:.2f}" for x in os.getloadavg())})')
    for name, ratio, goal, note, upper in b.results:
        want = f'goal >= {goal:.2f}' + (f', <= {upper:.2f}' if upper else '')
        if ratio is None:
            print(f'  {name:<62} {"n/a":>7}  ({want})  NOT MEASURED: {note}')
        else:
            ok = ratio >= goal and (upper is None or ratio <= upper)
            print(f'  {name:<62} {ratio:>7.3f}  ({want})  {"met" if ok else "MISSED"}')
    shutil.rmtree(b.tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
