#!/usr/bin/env python3
"""End-to-end test of examples/perfkit-mpi-pi under mpirun with 1 to 4 ranks.

The hits of a seed are the same on every rank count and equal those of
this script's own SplitMix64 darts; the estimate lies within 5 standard
errors of pi; a seed repeats its hits and another seed does not; the
records file holds one record per run; --price prints the cost table.
Bad options (0, negative, huge darts, too many ranks, MPMD lines where
one rank is wrong) exit 2 on every rank with the message once, within a
timeout. No timing is asserted.
Usage: test-perfkit-mpi-pi.py MPIEXEC-WORDS... -- PERFKIT_MPI_PI
"""
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time

sep = sys.argv.index('--')
MPIEXEC = sys.argv[1:sep]
EXE = sys.argv[sep + 1]
M64 = (1 << 64) - 1
GAMMA = 0x9e3779b97f4a7c15
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(np, args, extra=None):
    cmd = MPIEXEC + ['-np', str(np), EXE] + args + (extra or [])
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        check(False, f'{args}: hung (timeout)')
        return -1, '', ''
    return p.returncode, p.stdout, p.stderr


def mix(z):
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M64
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M64
    return z ^ (z >> 31)


def hits_reference(seed, darts):
    """The program's darts, one after the other: dart i is SplitMix64's
    output for counter i, x its high and y its low 32 bits."""
    key, hits = mix((seed + GAMMA) & M64), 0
    for i in range(darts):
        z = mix((key + (i + 1) * GAMMA) & M64)
        x = ((z >> 32) + 0.5) * 2.0 ** -32
        y = ((z & 0xffffffff) + 0.5) * 2.0 ** -32
        hits += x * x + y * y < 1.0
    return hits


def hits_of(out):
    rows = [line.split() for line in out.splitlines()]
    return [int(w[3]) for w in rows if len(w) == 8 and w[0].isdigit() and w[3].isdigit()]


def test_ranks_agree_and_reference():
    rc, out, err = run(4, ['--darts', '20000', '--seed', '5', '--ranks', '1,2,3,4',
                           '--repeat', '1'])
    check(rc == 0, f'1..4 ranks: rc {rc}: {err}')
    h = hits_of(out)
    check(len(h) == 4 and len(set(h)) == 1, f'hits per rank count {h}')
    ref = hits_reference(5, 20000)
    check(h and h[0] == ref, f'hits {h[:1]} against the serial darts {ref}')
    check(out.count('Effective') == 0 and out.count('pi       ') == 1, 'one estimate')


def test_estimate_within_bounds(tmp):
    darts = 4000000
    path = os.path.join(tmp, 'pi.json')
    rc, out, err = run(2, ['--darts', str(darts), '--seed', '11', '--repeat', '2',
                           '--outfile', path])
    check(rc == 0, f'2 ranks: rc {rc}: {err}')
    h = hits_of(out)
    se = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4) / darts)
    est = 4 * h[0] / darts if h else float('nan')
    check(abs(est - math.pi) < 5 * se, f'estimate {est} not within 5 se ({se}) of pi')
    check('speedup' in out and 'efficiency' in out, 'scaling table missing')
    with open(path) as f:
        data = json.load(f)
    recs = data['records']
    check(len(recs) == 4, f'{len(recs)} records, want 4 (2 counts x 2 runs)')
    for r in recs:
        check(r['name'] == 'mpi-pi' and int(r['problem_size']) == darts, f'record {r}')
        check(float(r['elapsed']) > 0 and math.isfinite(float(r['elapsed'])), 'elapsed')
        check(r['params']['hits'] == str(h[0]), f'record hits {r["params"]}')
        # seconds from the set's epoch, timed by rank 0 (not Unix time)
        check(-1e-3 < float(r['t_submit']) < 600 and r['rank'] == 0,
              f'record time axis {r["t_submit"]}, rank {r["rank"]}')
        span = float(r['t_end']) - float(r['t_start'])
        check(math.isclose(span, float(r['elapsed']), rel_tol=1e-6, abs_tol=1e-6),
              f'record t_end - t_start {span} is not elapsed {r["elapsed"]}')
    check([r['params']['ranks'] for r in recs] == ['1', '1', '2', '2'], 'record ranks')


def test_seeds():
    a = hits_of(run(2, ['--darts', '100000', '--seed', '7', '--repeat', '1'])[1])
    b = hits_of(run(3, ['--darts', '100000', '--seed', '7', '--repeat', '1'])[1])
    c = hits_of(run(2, ['--darts', '100000', '--seed', '8', '--repeat', '1'])[1])
    check(a and a == b[:len(a)], f'seed 7 on 2 and 3 ranks: {a} {b}')
    check(a and c and a[0] != c[0], f'seeds 7 and 8 gave the same hits {a} {c}')


def test_price():
    rc, out, err = run(2, ['--darts', '200000', '--repeat', '1', '--price', '0.10',
                           '--deadline', '1000'])
    check(rc == 0 and 'Time versus money at $0.1 per CPU-hour' in out,
          f'--price: rc {rc} {err}')
    check('Cheapest within the deadline: 1 ranks' in out or
          'Cheapest within the deadline: 2 ranks' in out, f'cheapest: {out}')
    rc, out, err = run(1, ['--darts', '200000', '--repeat', '1', '--price', '1',
                           '--deadline', '1e-9'])
    check(rc == 0 and 'No rank count finished within the deadline' in out,
          f'tight deadline: {out}')


def expect_usage(np, args, text, extra=None):
    rc, out, err = run(np, args, extra)
    check(rc == 2, f'{args} {extra or ""}: rc {rc}, want 2')
    check(err.count(text) == 1, f'{args}: want "{text}" once in stderr: {err}')
    check('Usage' not in out and 'pi       ' not in out, f'{args}: ran anyway: {out}')


def test_bad_options(tmp):
    expect_usage(3, ['--darts', '0'], "--darts '0': need a whole number from 1")
    expect_usage(3, ['--darts', '-5'], "--darts '-5'")
    expect_usage(2, ['--darts', '99999999999999999999'], 'too large')
    expect_usage(2, ['--darts', '9007199254740993'], "--darts '9007199254740993'")
    expect_usage(2, ['--ranks', '1,8'], '8 ranks asked for, the job has 2')
    expect_usage(2, ['--ranks', '2,1'], 'must increase')
    expect_usage(2, ['--deadline', '3'], '--deadline needs --price')
    expect_usage(2, ['--outfile', os.path.join(tmp, 'x.txt')], '.json, .csv')
    expect_usage(2, ['--bogus'], "unrecognized option '--bogus'")
    # one rank given a bad line among good ones: all stop, it speaks once
    expect_usage(2, ['--darts', '1000'], "rank 2 of 3: --darts '0'",
                 [':', '-np', '1', EXE, '--darts', '0'])
    rc, out, err = run(3, ['--help'])
    check(rc == 0 and out.count('Usage: perfkit-mpi-pi') == 1, f'--help: rc {rc} {out}')
    # output paths are checked on rank 0, which writes them
    expect_usage(2, ['--plot', os.path.join(tmp, 'missing', 'p.png')], '--plot ')
    expect_usage(2, ['--plot', os.path.join(tmp, 'p.pdf')], '.png or .svg')
    # --version on a rank other than 0: every rank stops, that one says it
    rc, out, err = run(2, ['--darts', '1000'], [':', '-np', '1', EXE, '--version'])
    check(rc == 0 and out.count('perfkit-mpi-pi (libperfkit)') == 1 and 'pi       ' not in out,
          f'--version on rank 2: rc {rc} {out} {err}')


def ranks_of(pid):
    """The processes under the launcher @pid running EXE."""
    children, found = {}, []
    for d in os.listdir('/proc'):
        try:
            with open(f'/proc/{d}/stat') as f:
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    todo = [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            todo.append(c)
            try:
                if os.path.samefile(f'/proc/{c}/exe', EXE):
                    found.append(c)
            except OSError:
                pass
    return found


def test_sigterm(tmp):
    """SIGTERM to every rank after the first run: the run in progress stops
    at its next block of darts, rank 0 reports and writes what finished,
    and the job exits 143."""
    path = os.path.join(tmp, 'stopped.json')
    p = subprocess.Popen(MPIEXEC + ['-np', '2', EXE, '--darts', '100000000', '--repeat', '50',
                                    '--outfile', path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = ''
    deadline = time.time() + 120
    while time.time() < deadline:
        first = p.stdout.readline()
        if first.split()[:1] == ['1']:
            break
    for pid in ranks_of(p.pid):
        os.kill(pid, signal.SIGTERM)
    try:
        out, err = p.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        check(False, 'SIGTERM: hung')
    check(p.returncode == 143, f'SIGTERM: rc {p.returncode}, want 143: {err}')
    check('SIGTERM: reporting and writing the runs that finished' in err, f'SIGTERM: {err}')
    check('pi       ' in out, f'SIGTERM: no estimate: {out}')
    if os.path.exists(path):
        with open(path) as f:
            n = len(json.load(f)['records'])
        check(1 <= n < 100, f'SIGTERM: {n} records')
    else:
        check(False, 'SIGTERM: no records written')


with tempfile.TemporaryDirectory() as tmp:
    test_ranks_agree_and_reference()
    test_estimate_within_bounds(tmp)
    test_seeds()
    test_price()
    test_bad_options(tmp)
    test_sigterm(tmp)
print(f'{len(failures)} failures' if failures else 'all checks passed')
sys.exit(1 if failures else 0)
