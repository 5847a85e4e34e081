#!/usr/bin/env python3
"""End-to-end test of examples/perfkit-flops.

Small runs write JSON, CSV and JSON Lines; each file is parsed here with
python's json/csv modules AND loaded back with the library's readers
(tests/read-results), and the two must agree with each other and with what
was asked. Bad options must exit 2 with a clear message on stderr; --plot
without gnuplot must say how to get it. No timing is asserted.
Usage: test-perfkit-flops.py PERFKIT_FLOPS READ_RESULTS [PERFKIT_SCALING]
"""
import math
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results_files import parse_csv, parse_json, parse_jsonl  # noqa: E402

EXE, READER = sys.argv[1], sys.argv[2]
SCALING = sys.argv[3] if len(sys.argv) > 3 else None
failures = []
SMALL = ['--matn', '48', '--loopcount', '2', '--peak-time', '0']


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(args, env=None, exe=None):
    p = subprocess.run([exe or EXE] + args, capture_output=True, text=True,
                       env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


def read_back(path, *point):
    """The library's view of a file: records, metadata, summary."""
    rc, out, err = run([path] + list(point), exe=READER)
    check(rc == 0, f'read-results {path}: rc {rc}, {err}')
    recs, meta, summary = [], {}, None
    for line in out.splitlines():
        f = line.split(' ')
        if f[0] == 'record':
            recs.append({'worker': int(f[1]), 'status': int(f[2]),
                         'flops': float(f[3]), 'name': f[4],
                         'workers': f[5] if len(f) > 5 else ''})
        elif f[0] == 'meta':
            k, _, v = line[5:].partition('=')
            meta[k] = v
        elif f[0] == 'summary':
            summary = {'rc': int(f[1]), 'workers': int(f[3]),
                       'failed': int(f[5]), 'flops': float(f[7]),
                       'peak': float(f[9]), 'effective': float(f[11])}
    return recs, meta, summary


def param(rec, key):
    if 'params' in rec:
        return rec['params'].get(key)
    return rec.get('param.' + key, rec.get(key))


def check_file(path, parser, workers, kernel='dgemm', n=48, loop=2,
               mode='threads'):
    recs, meta = parser(path)
    check(len(recs) == workers, f'{path}: {len(recs)} records, want {workers}')
    check(meta.get('harness.kernel') == kernel, f'{path}: harness.kernel {meta}')
    check(meta.get('harness.size') == str(n), f'{path}: harness.size')
    check(meta.get('harness.loopcount') == str(loop), f'{path}: harness.loopcount')
    check(meta.get('harness.workers') == str(workers), f'{path}: harness.workers')
    check('perfkit-flops' in meta.get('command', ''), f'{path}: command')
    flops = 2 * n ** 3 * loop if kernel == 'dgemm' else None
    times = ('t_submit', 't_start', 't_setup', 't_end', 't_collected')
    for i, r in enumerate(recs):
        check(int(r['worker']) == i, f'{path}: worker {r["worker"]} at {i}')
        check(int(r['status']) == 0, f'{path}: status {r["status"]}')
        check(r['name'] == kernel, f'{path}: name {r["name"]}')
        if flops:
            check(float(r['flops']) == flops, f'{path}: flops {r["flops"]}')
        check(int(r['repetitions']) == loop, f'{path}: repetitions')
        t = [float(r[k]) for k in times]
        check(all(a <= b for a, b in zip(t, t[1:])), f'{path}: times {t}')
        check(float(r['elapsed']) > 0, f'{path}: elapsed')
        check(param(r, 'workers') == str(workers), f'{path}: param workers')
        check(param(r, 'mode') == mode, f'{path}: param mode')
        check(param(r, 'placement') in ('none', 'compact', 'scatter'),
              f'{path}: param placement')
    # the library reads the same file to the same records
    lrecs, lmeta, summary = read_back(path)
    check(len(lrecs) == len(recs), f'{path}: library read {len(lrecs)} records')
    for a, b in zip(lrecs, recs):
        check(a['worker'] == int(b['worker']) and a['flops'] == float(b['flops']),
              f'{path}: library record {a} vs {b["worker"]}, {b["flops"]}')
    check(lmeta.get('harness.kernel') == kernel, f'{path}: library meta')
    check(summary and summary['rc'] == 0 and summary['workers'] == workers,
          f'{path}: library summary {summary}')
    if summary and flops:
        check(summary['flops'] == flops * workers, f'{path}: summary flops')
        check(0 < summary['effective'] <= summary['peak'] * (1 + 1e-9),
              f'{path}: effective {summary}')


def test_formats(tmp):
    for ext, parser in (('json', parse_json), ('csv', parse_csv),
                        ('jsonl', parse_jsonl)):
        path = os.path.join(tmp, 'small.' + ext)
        rc, out, err = run(['--workers', '2', '--outfile', path] + SMALL)
        check(rc == 0, f'{ext}: rc {rc}: {err}')
        check('Summed' in out and 'Effective' in out, f'{ext}: report {out}')
        check('straggler ratio' in out, f'{ext}: straggler ratio missing')
        check('Per-worker GFLOPS' in out and 'Timeline' in out,
              f'{ext}: histogram or timeline missing')
        check(f'Wrote 2 records to {path}' in out, f'{ext}: wrote line')
        check_file(path, parser, 2)


def test_notebook_options(tmp):
    # the pywren notebook's command line, with --opt=value and a process per worker
    path = os.path.join(tmp, 'seed.json')
    rc, out, err = run(['--workers=3', '--loopcount=2', '--matn=48',
                        f'--outfile={path}', '--mode=processes',
                        '--placement=scatter', '--peak-time=0'])
    check(rc == 0, f'seed options: rc {rc}: {err}')
    check_file(path, parse_json, 3, mode='processes')


def test_many_workers():
    # more workers than the table shows: percentiles instead of rows
    rc, out, err = run(['--workers', '20', '--matn', '16', '--loopcount', '1',
                        '--peak-time', '0', '--placement', 'none'])
    check(rc == 0, f'20 workers: rc {rc}: {err}')
    check('20 workers succeeded' in out and 'GFLOPS per worker' in out,
          f'20 workers: no percentile summary: {out}')
    check('  worker  cpu' not in out, '20 workers: printed every row')


def test_sweeps(tmp):
    path = os.path.join(tmp, 'sweep.json')
    rc, out, err = run(['--sweep-workers=1,2', '--outfile', path] + SMALL)
    check(rc == 0, f'sweep: rc {rc}: {err}')
    check('speedup' in out and 'efficiency' in out, 'sweep table')
    recs, meta = parse_json(path)
    check(meta.get('harness.sweep') == 'workers', 'sweep meta')
    check([param(r, 'workers') for r in recs] == ['1', '2', '2'],
          f'sweep workers {[param(r, "workers") for r in recs]}')
    for w in ('1', '2'):
        _, _, s = read_back(path, 'workers', w)
        check(s and s['rc'] == 0 and s['workers'] == int(w), f'point {w}: {s}')
    path = os.path.join(tmp, 'sizes.csv')
    rc, out, err = run(['--kernel', 'triad', '--workers', '1',
                        '--sweep-sizes', '100,1000', '--outfile', path,
                        '--loopcount', '2', '--peak-time', '0'])
    check(rc == 0, f'sizes: rc {rc}: {err}')
    rows, meta = parse_csv(path)
    check([r['problem_size'] for r in rows] == ['100', '1000'], 'sizes rows')
    check('flops/B' in out, 'roofline columns')


def strong_rows(out):
    """The rows of the strong-scaling table: W, reps, makespan, speedup,
    efficiency %, Karp-Flatt (None at the first row), GFLOPS."""
    lines = out.splitlines()
    heads = [i for i, l in enumerate(lines) if l.lstrip().startswith('workers  reps/worker')]
    check(len(heads) == 1, f'one strong table: {out}')
    rows = []
    for line in lines[heads[0] + 1 if heads else len(lines):]:
        f = line.split()
        if not f or not f[0].isdigit():
            break
        rows.append((int(f[0]), f[1], float(f[2]), float(f[3]), float(f[4].rstrip('%')),
                     None if f[5] == '-' else float(f[5]), float(f[6])))
    return rows


def test_strong(tmp):
    """--total-loopcount with --sweep-workers: the optimal-number-of-cores
    table; rates positive, finite and physically possible."""
    path = os.path.join(tmp, 'strong.json')
    rc, out, err = run(['--sweep-workers=1,2,3', '--total-loopcount', '7', '--matn', '48',
                        '--peak-time', '0', '--outfile', path])
    check(rc == 0, f'strong: rc {rc}: {err}')
    check('7 repetitions in all, split over the workers' in out, f'strong headline: {out}')
    check('Strong scaling: 7 repetitions of dgemm in all' in out, 'strong title')
    rows = strong_rows(out)
    check([r[0] for r in rows] == [1, 2, 3], f'strong rows {rows}')
    check([r[1] for r in rows] == ['7', '3-4', '2-3'], f'shares {rows}')
    recs, meta = parse_json(path)
    theo = float(meta['harness.core_peak_gflops']) * float(meta['harness.cores'])
    for w, _, makespan, speedup, eff, kf, gflops in rows:
        for v in (makespan, speedup, eff, gflops):
            check(math.isfinite(v) and v > 0, f'W={w}: {v} not positive and finite')
        check(gflops <= theo, f'W={w}: {gflops} GFLOPS above the theoretical {theo}')
        check(abs(eff - 100 * speedup / w) < 0.1, f'W={w}: efficiency {eff} vs speedup')
        check((kf is None) == (w == 1), f'W={w}: Karp-Flatt {kf}')
        check(kf is None or math.isfinite(kf), f'W={w}: Karp-Flatt {kf}')
    check(rows and rows[0][3] == 1.0, 'speedup 1 at the first point')
    check('Amdahl fit: serial fraction f = ' in out or
          'Amdahl fit: none: ' in out and 'does not fit these data' in out,
          f'Amdahl line: {out}')
    check('Optimal number of workers: ' in out, 'optimal line')
    # the records: each worker's share, every repetition once per point
    check(meta.get('harness.total_loopcount') == '7', 'total in the metadata')
    for w in (1, 2, 3):
        reps = [int(r['repetitions']) for r in recs if param(r, 'workers') == str(w)]
        check(len(reps) == w and sum(reps) == 7 and max(reps) - min(reps) <= 1,
              f'W={w}: shares {reps}')
    # and perfkit-scaling reads them as a strong-scaling series
    if SCALING:
        rc, sout, serr = run(['--results', path, '--measure', 'makespan'], exe=SCALING)
        check(rc == 0, f'perfkit-scaling --results: rc {rc}: {serr}')
        check('speedup' in sout and 'efficiency' in sout, f'perfkit-scaling table: {sout}')
        check(all(f'\n{w} ' in sout or f' {w} ' in sout for w in (1, 2, 3)),
              f'perfkit-scaling rows: {sout}')
    # a single run splits too
    rc, out, err = run(['--workers', '2', '--total-loopcount', '5', '--matn', '48',
                        '--peak-time', '0', '--outfile', path])
    recs, _ = parse_json(path)
    check(rc == 0 and sorted(int(r['repetitions']) for r in recs) == [2, 3],
          f'single run split: {rc} {err}')


def test_plot(tmp):
    if shutil.which('gnuplot'):
        path = os.path.join(tmp, 'plot.svg')
        rc, out, err = run(['--workers', '2', '--plot', path] + SMALL)
        check(rc == 0, f'plot: rc {rc}: {err}')
        with open(path) as f:
            check('<svg' in f.read(), 'plot: not an SVG')
    empty = os.path.join(tmp, 'nobin')
    os.mkdir(empty)
    env = dict(os.environ, PATH=empty)
    rc, out, err = run(['--workers', '1', '--plot',
                        os.path.join(tmp, 'p.png')] + SMALL, env=env)
    check(rc == 1, f'plot without gnuplot: rc {rc}')
    check('apt-get install gnuplot-nox' in err, f'plot hint: {err}')
    check('Summed' in out, 'the report is printed before the plot fails')


def test_failure_exit(tmp):
    # N too large: every worker fails in setup; exit 1, the file still
    # written, the error in it
    path = os.path.join(tmp, 'fail.json')
    rc, out, err = run(['--workers', '2', '--matn', '1099511627776',
                        '--outfile', path, '--peak-time', '0'])
    check(rc == 1, f'huge N: rc {rc}')
    check('2 of 2 workers failed' in err, f'huge N message: {err}')
    check('No worker succeeded' in out, f'huge N report: {out}')
    recs, _ = parse_json(path)
    check(all(int(r['status']) < 0 for r in recs), 'failed statuses')
    check(all('setup' in r.get('extra', r).get('error', '') for r in recs),
          f'error column: {recs}')


BAD = [
    (['--workers', '0'], "--workers '0': need a whole number from 1 to 4096"),
    (['--workers', 'x'], "--workers 'x'"),
    (['--loopcount', '-1'], "--loopcount '-1'"),
    (['--matn', '0'], "--matn '0'"),
    (['--kernel', 'nope'], "unknown kernel 'nope' (registered: dgemm"),
    (['--placement', 'diagonal'], 'use none, compact or scatter'),
    (['--mode', 'fork'], 'use threads or processes'),
    (['--start', 'now'], 'use barrier or staggered'),
    (['--min-time', 'nan'], "--min-time 'nan': need seconds >= 0"),
    (['--outfile', 'x.txt'], 'must end in .json, .csv, .jsonl or .ndjson'),
    (['--plot', 'x.pdf'], 'must end in .png or .svg'),
    (['--sweep-workers=1,,2'], "--sweep-workers '1,,2'"),
    (['--sweep-sizes', '10,0'], "--sweep-sizes '0'"),
    (['--sweep-workers', '--sweep-sizes', '8'], 'choose one'),
    (['--total-loopcount', '0'], "--total-loopcount '0'"),
    (['--total-loopcount', '-4'], "--total-loopcount '-4'"),
    (['--total-loopcount', 'lots'], "--total-loopcount 'lots'"),
    (['--total-loopcount', '2.5'], "--total-loopcount '2.5'"),
    (['--total-loopcount', '8', '--loopcount', '2'], 'choose one'),
    (['--total-loopcount', '8', '--min-time', '1'], 'choose one'),
    (['--total-loopcount', '2', '--workers', '3'], 'a worker would have nothing to do'),
    (['--sweep-workers=1,4', '--total-loopcount', '3'], 'a worker would have nothing to do'),
    (['--threshold', '0'], "--threshold '0'"),
    (['--threshold', '-0.5'], "--threshold '-0.5'"),
    (['--threshold', '1.5'], "--threshold '1.5'"),
    (['--threshold', 'high'], "--threshold 'high'"),
    (['--bogus'], "unrecognized option '--bogus'"),
    (['stray'], "unexpected argument 'stray'"),
]


def test_bad_options():
    for args, text in BAD:
        rc, out, err = run(args)
        check(rc == 2, f'{args}: rc {rc}')
        check(text in err, f'{args}: stderr {err!r} lacks {text!r}')
        check(out == '', f'{args}: printed a report')


def test_help_and_list():
    rc, out, _ = run(['--help'])
    check(rc == 0 and '--sweep-workers' in out, 'help')
    rc, out, _ = run(['--list-kernels'])
    check(rc == 0 and 'dgemm' in out and 'triad' in out, 'list kernels')


def test_no_arguments():
    # the README's main job: all cores, dgemm, N = 1024, loopcount 10
    rc, out, err = run([])
    check(rc == 0, f'no arguments: rc {rc}: {err}')
    check('dgemm, N = 1024, loopcount 10' in out, 'no-argument headline')
    check('measured `peak` kernel' in out, 'peak kernel line')
    g = [float(line.split()[1]) for line in out.splitlines()
         if line.startswith('Summed')]
    check(g and math.isfinite(g[0]) and g[0] > 0, 'summed GFLOPS')


def test_oversubscription_warning():
    # workers x kernel threads above the allowed cores: warned, with the factor
    rc, out, err = run(['--workers', '2', '--threads', '4'] + SMALL)
    check(rc == 0, f'--threads 4: rc {rc}: {err}')
    warn = [line for line in out.splitlines() if line.startswith('Warning')]
    check(any('2 workers x 4 kernel threads = 8 threads on' in w and
              'oversubscribed' in w and 'To measure the cores' in w
              for w in warn), f'no oversubscription warning: {out}')
    # the threads variables: the built-in kernels set their own count
    env = dict(os.environ, OMP_NUM_THREADS='16', BLIS_NUM_THREADS='16',
               OPENBLAS_NUM_THREADS='16')
    rc, out, err = run(['--workers', '1'] + SMALL, env=env)
    check(rc == 0, f'OMP_NUM_THREADS=16: rc {rc}: {err}')
    check(not any(line.startswith('Warning') for line in out.splitlines()),
          f'a built-in kernel warned of variables it overrides: {out}')
    # one worker on one core: no warning
    rc, out, err = run(['--workers', '1'] + SMALL)
    check('Warning' not in out, f'1 worker warned: {out}')


def test_time_sliced_rates():
    # many workers on few cores: Summed stays a rate the cores reached, the
    # per-worker sum is labelled, the factor said
    rc, out, err = run(['--workers', '300', '--matn', '16', '--loopcount', '2',
                        '--peak-time', '0'])
    check(rc == 0, f'300 workers: rc {rc}: {err}')
    lines = out.splitlines()
    summed = [line for line in lines if line.startswith('Summed')]
    check(summed and 'the most the workers computed together' in summed[0],
          f'Summed line: {summed}')
    check(any('sum of per-worker rates' in line for line in lines),
          'per-worker sum not labelled')
    check(any(line.startswith('Warning') and '300 worker' in line and
              'oversubscribed' in line for line in lines),
          f'300 workers: no warning: {out}')
    check('not a result' not in out, f'a bug reported: {out}')


def pty_run(args):
    """Run under a pseudo-terminal (stdout and stderr); all it wrote."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(EXE, [EXE] + args)
    buf = b''
    while True:
        r, _, _ = select.select([fd], [], [], 300)
        if not r:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        buf += data
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), buf.decode(errors='replace')


def test_progress_line():
    # on a terminal: a line redrawn in place with elapsed time, ETA, point
    rc, out = pty_run(['--workers', '2', '--matn', '32', '--loopcount', '2',
                       '--sweep-workers=1,2', '--peak-time', '0.6'])
    check(rc == 0, f'progress under a pty: rc {rc}: {out[-500:]}')
    frames = [f for f in out.split('\r') if 'elapsed' in f]
    check(len(frames) >= 2, f'progress: {len(frames)} frames: {out[:500]}')
    check(any('ETA' in f and 'point 2 of 2' in f and 'workers' in f for f in frames),
          f'progress: no ETA and point: {frames}')
    # the ticker moves it while nothing is collected (the 0.6 s peak run)
    check(sum('preparing' in f for f in frames) >= 2,
          f'progress: the line did not move while preparing: {frames}')
    # not a terminal: none of it
    rc, o, e = run(['--workers', '1'] + SMALL)
    check('elapsed' not in o + e and '\r' not in o + e, 'progress line in a pipe')


with tempfile.TemporaryDirectory() as tmp:
    test_formats(tmp)
    test_notebook_options(tmp)
    test_sweeps(tmp)
    test_strong(tmp)
    test_plot(tmp)
    test_failure_exit(tmp)
test_many_workers()
test_bad_options()
test_help_and_list()
test_no_arguments()
test_oversubscription_warning()
test_time_sliced_rates()
test_progress_line()
print(f'{len(failures)} failures' if failures else 'all checks passed')
sys.exit(1 if failures else 0)
