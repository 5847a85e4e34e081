#!/usr/bin/env python3
"""End-to-end tests of perfkit-mpi-pingpong and perfkit-mpi-collectives
under mpirun, and of the agreed refusal of options shared by every MPI
example (perfkit-flops-mpi included).

Small runs print their tables and write JSON, CSV and JSON Lines, parsed
here: sizes in order, the MPI library and each rank's host and cores on
every record, and, with the ranks placed, no two ranks on one CPU. Bad
options exit 2 with the message once. An MPMD launch where one rank gets
bad options (issue 13's reproducer) stops every rank, with that rank's
message printed once, well within the timeout; --help on any one rank
prints the usage once and stops all. perfkit-mpi-collectives --plot draws
a PNG (or, without gnuplot, says how to get it after the tables). No
timing is asserted beyond "positive and finite".
Usage: test-perfkit-mpi-comm.py MPIEXEC-WORDS... -- PINGPONG COLLECTIVES FLOPS_MPI
"""
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results_files import parse_csv, parse_json, parse_jsonl  # noqa: E402

sep = sys.argv.index('--')
MPIEXEC = sys.argv[1:sep]
PINGPONG, COLL, FLOPS = sys.argv[sep + 1:sep + 4]
QUICK_PP = ['--max-bytes', '4096', '--trials', '2', '--trial-time', '0.0001']
QUICK_COLL = ['--max-bytes', '64', '--time', '0.0001']
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(np, exe, args, timeout=240):
    p = subprocess.run(MPIEXEC + ['-np', str(np), exe] + args,
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def cpus(text):
    """'0-2,5' as a set of CPU numbers."""
    out = set()
    for part in text.split(','):
        lo, _, hi = part.partition('-')
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def test_pingpong(tmp):
    want = [0, 1, 2, 4, 5, 7, 8, 11, 13, 16, 19, 29, 32, 35, 61, 64, 67, 125, 128,
            131, 253, 256, 259, 509, 512, 515, 1021, 1024, 1027, 2045, 2048,
            2051, 4093, 4096]
    for ext, parser in (('json', parse_json), ('csv', parse_csv),
                        ('jsonl', parse_jsonl)):
        path = os.path.join(tmp, 'pp.' + ext)
        rc, out, err = run(2, PINGPONG, QUICK_PP + ['--outfile', path])
        check(rc == 0, f'pingpong {ext}: rc {rc}: {err}')
        check(out.count('MPI library:') == 1, f'pingpong {ext}: one table: {out}')
        check('latency (us)' in out and 'bandwidth MB/s' in out, f'pingpong {ext}: header')
        if not os.path.exists(path):
            check(False, f'pingpong {ext}: {path} not written')
            continue
        recs, meta = parser(path)
        check([int(r['problem_size']) for r in recs] == want, f'pingpong {ext}: sizes')
        check(meta.get('mpi.library', '') != '', f'pingpong {ext}: mpi.library')
        for r in recs:
            lat, bw = float(r['latency_s']), float(r['bandwidth_MBps'])
            check(math.isfinite(lat) and 0 < lat < 1, f'pingpong {ext}: latency {lat}')
            check(0 <= bw < 1e7, f'pingpong {ext}: bandwidth {bw}')
            check(r['same_node'] == 'yes' and r['host_0'] and r['host_1'],
                  f'pingpong {ext}: context {r}')
        # placed: ranks 0 and 1 on CPUs of their own (2 CPUs here or more)
        c0, c1 = cpus(recs[0]['cores_0']), cpus(recs[0]['cores_1'])
        if (os.cpu_count() or 1) >= 2:
            check(not (c0 & c1), f'pingpong: ranks share CPUs {c0} {c1}')
    rc, out, err = run(2, PINGPONG, QUICK_PP + ['--stream', '--window', '4',
                                                '--min-bytes', '1024'])
    check(rc == 0 and 'stream:' in out, f'pingpong --stream: rc {rc}: {err}')
    if shutil.which('gnuplot'):
        png = os.path.join(tmp, 'pp.png')
        rc, out, err = run(2, PINGPONG, QUICK_PP + ['--plot', png])
        check(rc == 0 and os.path.getsize(png) > 1000, f'pingpong --plot: rc {rc}: {err}')


def test_collectives(tmp):
    path = os.path.join(tmp, 'coll.json')
    rc, out, err = run(3, COLL, QUICK_COLL + ['--op', 'all', '--outfile', path])
    check(rc == 0, f'collectives all: rc {rc}: {err}')
    names = ['barrier', 'bcast', 'scatter', 'gather', 'reduce', 'allreduce', 'alltoall']
    for n in names:
        check(f'# {n}:' in out, f'collectives all: no {n} table')
    if os.path.exists(path):
        recs, meta = parse_json(path)
        check(len(recs) == 1 + 6 * 5, f'collectives all: {len(recs)} records')
        for r in recs:
            lo, mean, hi = (float(r[k]) for k in ('latency_min_s', 'latency_mean_s',
                                                  'latency_max_s'))
            check(0 < lo <= mean * (1 + 1e-9) <= hi * (1 + 2e-9),
                  f'collectives: min/mean/max {lo} {mean} {hi}')
            check(r['ranks'] == '3' and r['rank_cores'].count(';') == 2,
                  f'collectives: context {r}')
    rc, out, err = run(2, COLL, QUICK_COLL + ['--op', 'bcast', '--root', '1'])
    check(rc == 0 and '# bcast:' in out and '# reduce' not in out,
          f'collectives bcast: rc {rc}: {err}')


def is_png(path):
    try:
        with open(path, 'rb') as f:
            head = f.read(8)
        return head == b'\x89PNG\r\n\x1a\n' and os.path.getsize(path) > 1000
    except OSError:
        return False


def test_collectives_plot(tmp):
    if shutil.which('gnuplot'):
        png = os.path.join(tmp, 'coll.png')
        rc, out, err = run(3, COLL, QUICK_COLL + ['--op', 'all', '--plot', png])
        check(rc == 0 and is_png(png), f'collectives --plot: rc {rc}: {err}')
        check(f'Plotted time against message size to {png}' in out,
              f'collectives --plot: {out}')
        check(not [f for f in os.listdir(tmp) if '.tmp' in f],
              f'collectives --plot: temporary files left: {os.listdir(tmp)}')
        # barrier alone has no size axis, still a figure
        png = os.path.join(tmp, 'barrier.png')
        rc, out, err = run(2, COLL, QUICK_COLL + ['--op', 'barrier', '--plot', png])
        check(rc == 0 and is_png(png), f'collectives --op barrier --plot: rc {rc}: {err}')
    # without gnuplot: the tables, then one hint, exit 1, no file. The
    # ranks get an empty PATH through env(1), since mpirun may put its
    # own folder (where gnuplot may be too) in front of the PATH it is given.
    nobin = os.path.join(tmp, 'nobin')
    os.makedirs(nobin, exist_ok=True)
    png = os.path.join(tmp, 'none.png')
    p = subprocess.run(MPIEXEC + ['-np', '2', shutil.which('env'), 'PATH=' + nobin,
                                  os.path.abspath(COLL)] + QUICK_COLL + ['--plot', png],
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 1 and p.stderr.count('apt-get install gnuplot-nox') == 1,
          f'collectives --plot without gnuplot: rc {p.returncode}: {p.stderr}')
    check('# allreduce:' in p.stdout and not os.path.exists(png),
          f'collectives --plot without gnuplot: tables first, no file: {p.stdout}')


def test_bad_options():
    cases = ((PINGPONG, ['--max-bytes', '-1'], "--max-bytes '-1'"),
             (PINGPONG, ['--max-bytes', '2000000000'], "--max-bytes '2000000000'"),
             (PINGPONG, ['--min-bytes', '9', '--max-bytes', '8'], 'above --max-bytes'),
             (PINGPONG, ['--window', '0'], "--window '0'"),
             (PINGPONG, ['--outfile', '/tmp/x.txt'], '.json, .csv'),
             (PINGPONG, ['extra'], "unexpected argument 'extra'"),
             (COLL, ['--op', 'nope'], "--op 'nope'"),
             (COLL, ['--min-bytes', '6'], 'multiple of 4'),
             (COLL, ['--min-bytes', '0'], "--min-bytes '0'"),
             (COLL, ['--root', '5'], '--root 5'),
             (COLL, ['--bogus'], '--bogus'),
             (COLL, ['--plot', '/tmp/x.txt'], '.png or .svg'),
             (COLL, ['--plot', '/nonexistent-dir/c.png'], '--plot /nonexistent-dir/c.png'),
             (PINGPONG, ['--plot', '/tmp/x.pdf'], '.png or .svg'))
    for exe, args, text in cases:
        rc, out, err = run(2, exe, args, timeout=60)
        check(rc == 2, f'{args}: rc {rc}, want 2')
        check(err.count(text) == 1, f'{args}: want "{text}" once in stderr: {err}')
    for exe, name in ((PINGPONG, 'perfkit-mpi-pingpong'), (COLL, 'perfkit-mpi-collectives')):
        rc, out, _ = run(2, exe, ['--help'], timeout=60)
        check(rc == 0 and out.count(f'Usage: {name}') == 1, f'{name} --help: rc {rc}')
    # one rank is not a pair
    rc, out, err = run(1, PINGPONG, QUICK_PP, timeout=60)
    check(rc == 1 and 'one rank' in err, f'pingpong on 1 rank: rc {rc}: {err}')


def mpmd(exe, good, bad):
    """mpirun -np 2 EXE GOOD : -np 1 EXE BAD, under a timeout."""
    t0 = time.monotonic()
    p = subprocess.run(MPIEXEC + ['-np', '2', exe] + good + [':', '-np', '1', exe] + bad,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stderr, time.monotonic() - t0


def test_agreed_failure():
    # issue 13's reproducer: the third rank refuses -n 0
    rc, err, took = mpmd(FLOPS, ['-n', '32', '-l', '1', '-w', '1', '--peak-time', '0'],
                         ['-n', '0'])
    check(rc == 2, f'flops-mpi MPMD: rc {rc}, want 2: {err}')
    check(err.count("--matn '0'") == 1 and 'rank 2 of 3' in err,
          f'flops-mpi MPMD: message once, naming rank 2: {err}')
    check(took < 30, f'flops-mpi MPMD: took {took:.1f} s')
    rc, err, took = mpmd(PINGPONG, QUICK_PP, ['--window', 'x'])
    check(rc == 2 and err.count("--window 'x'") == 1 and 'rank 2 of 3' in err,
          f'pingpong MPMD: rc {rc}: {err}')
    # rank 0's own refusal reads as the program alone would say it
    rc, err, took = mpmd(COLL, ['--op', 'nope'], QUICK_COLL)
    check(rc == 2 and err.count("--op 'nope'") == 1 and 'rank 0' not in err,
          f'collectives MPMD: rc {rc}: {err}')


def test_agreed_stop():
    """--help or --version on one rank other than 0 stops every rank with
    exit 0, and that rank alone prints it."""
    for exe, name in ((PINGPONG, 'perfkit-mpi-pingpong'), (COLL, 'perfkit-mpi-collectives'),
                      (FLOPS, 'perfkit-flops-mpi')):
        p = subprocess.run(MPIEXEC + ['-np', '2', exe, '--version', ':', '-np', '1', exe,
                                      '--bogus'], capture_output=True, text=True, timeout=60)
        check(p.returncode == 0 and p.stdout.count(f'{name} (libperfkit)') == 1 and
              '--bogus' not in p.stderr,
              f'{name}: rank 0 --version decides: rc {p.returncode}: {p.stdout} {p.stderr}')
    rc, err, took = mpmd(COLL, QUICK_COLL, ['--help'])
    check(rc == 0 and took < 30, f'collectives MPMD --help on rank 2: rc {rc}: {err}')
    p = subprocess.run(MPIEXEC + ['-np', '2', PINGPONG] + QUICK_PP + [':', '-np', '1',
                                                                      PINGPONG, '--help'],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and p.stdout.count('Usage: perfkit-mpi-pingpong') == 1 and
          'latency (us)' not in p.stdout,
          f'pingpong MPMD --help on rank 2: rc {p.returncode}: {p.stdout}')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_pingpong(tmp)
        test_collectives(tmp)
        test_collectives_plot(tmp)
        test_bad_options()
        test_agreed_failure()
        test_agreed_stop()
    print(f'{len(failures)} failures' if failures else 'all checks passed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
