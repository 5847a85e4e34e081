#!/usr/bin/env python3
"""End-to-end test of examples/perfkit-mpi-correlate under mpirun, 1 to 4 ranks.

Generated data: every rank count's gathered r passes the program's own
serial check. A CSV written here: the most correlated pairs the program
prints equal those of this script's own Pearson (plain Python, no numpy),
with a header line and a constant row (undefined r) in the file. Records
are one per run. Bad input (a malformed, ragged, empty or header-only
file, a folder, a missing file) and bad options exit 2 on every rank with
one message, within a timeout. No timing is asserted.
Usage: test-perfkit-mpi-correlate.py MPIEXEC-WORDS... -- PERFKIT_MPI_CORRELATE
"""
import json
import math
import os
import random
import subprocess
import sys
import tempfile

sep = sys.argv.index('--')
MPIEXEC = sys.argv[1:sep]
EXE = sys.argv[sep + 1]
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


def pearson(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    return sab / math.sqrt(saa * sbb) if saa > 0 and sbb > 0 else float('nan')


def top_pairs(out):
    pairs, on = [], False
    for line in out.splitlines():
        if line.startswith('Most correlated pairs'):
            on = True
        elif on and 'r = ' in line:
            w = line.split()
            pairs.append((int(w[0]), int(w[1]), float(w[4])))
        elif on:
            on = False
    return pairs


def test_generated(tmp):
    path = os.path.join(tmp, 'corr.json')
    rc, out, err = run(4, ['--items', '60', '--users', '40', '--ranks', '1,2,3,4',
                           '--repeat', '1', '--outfile', path])
    check(rc == 0, f'generated, 1..4 ranks: rc {rc}: {err}')
    check("r within" in out and ': ok' in out, f'no check line: {out}')
    with open(path) as f:
        recs = json.load(f)['records']
    check([r['params']['ranks'] for r in recs] == ['1', '2', '3', '4'], 'record ranks')
    for r in recs:
        check(r['name'] == 'mpi-correlate' and float(r['items']) == 60 * 59 / 2,
              f'record {r}')
        check(-1e-3 < float(r['t_submit']) < 600 and r['rank'] == 0,
              f'record time axis {r["t_submit"]}, rank {r["rank"]}')


def test_csv_against_python(tmp):
    rnd = random.Random(3)
    rows = [[rnd.randint(1, 5) for _ in range(25)] for _ in range(17)]
    rows[4] = [3] * 25                      # constant: r undefined
    rows[9] = [v + 1 for v in rows[2]]      # r(3, 10) = 1 exactly
    path = os.path.join(tmp, 'ratings.csv')
    with open(path, 'w') as f:
        f.write(','.join(f'user{u}' for u in range(25)) + '\n')
        for r in rows:
            f.write(','.join(str(v) for v in r) + '\n')
    rc, out, err = run(3, ['--input', path, '--top', '6', '--repeat', '1'])
    check(rc == 0, f'csv: rc {rc}: {err}')
    got = top_pairs(out)
    want = sorted(((i + 1, j + 1, pearson(rows[i], rows[j]))
                   for i in range(17) for j in range(i + 1, 17)
                   if not math.isnan(pearson(rows[i], rows[j]))),
                  key=lambda t: -t[2])[:6]
    check(len(got) == 6, f'top pairs: {got}')
    for g, w in zip(got, want):
        check(abs(g[2] - w[2]) < 1e-6, f'top pair {g} against python {w}')
    check(got and got[0][:2] == (3, 10), f'best pair {got[:1]}, want rows 3 and 10')


def expect_usage(np, args, text, extra=None):
    rc, out, err = run(np, args, extra)
    check(rc == 2, f'{args}: rc {rc}, want 2; {err}')
    check(err.count(text) == 1, f'{args}: want "{text}" once in stderr: {err}')
    check('Most correlated' not in out, f'{args}: ran anyway')


def test_bad_input(tmp):
    def write(name, text):
        p = os.path.join(tmp, name)
        with open(p, 'w') as f:
            f.write(text)
        return p
    expect_usage(3, ['--input', write('bad.csv', '1,2,3\n4,5,6\n7,x,9\n')],
                 "line 3, column 2: 'x' is not a finite number")
    expect_usage(2, ['--input', write('ragged.csv', '1,2,3\n4,5\n')],
                 'line 2, column 1: 2 fields, the first data line 3')
    expect_usage(2, ['--input', write('nan.csv', '1,2\n3,nan\n')], "'nan' is not a finite")
    expect_usage(2, ['--input', write('hole.csv', '1,,2\n3,4,5\n')], 'an empty field')
    expect_usage(2, ['--input', write('empty.csv', '')], 'no data lines')
    expect_usage(2, ['--input', write('header.csv', 'a,b,c\n')], 'no data lines')
    expect_usage(2, ['--input', write('one.csv', '1,2,3\n')], 'at least 2 items')
    expect_usage(2, ['--input', write('nul.csv', '1,2\n3\x004\n')], 'a NUL byte')
    expect_usage(2, ['--input', tmp], 'is a folder')
    expect_usage(2, ['--input', os.path.join(tmp, 'missing.csv')], 'No such file')
    expect_usage(2, ['--input', '/dev/null'], 'not a regular file')
    expect_usage(3, ['--items', '0'], "--items '0'")
    expect_usage(2, ['--items', '-1'], "--items '-1'")
    expect_usage(2, ['--users', '99999999999999999999'], 'too large')
    expect_usage(2, ['--items', '20000', '--users', '1000000'], 'more than 2^28 ratings')
    expect_usage(2, ['--items', '5', '--input', 'x.csv'], 'choose one')
    expect_usage(2, ['--ranks', '3'], '3 ranks asked for, the job has 2')
    expect_usage(2, ['--items', '50'], "rank 2 of 3: --items '1'",
                 [':', '-np', '1', EXE, '--items', '1'])
    expect_usage(2, ['--outfile', os.path.join(tmp, 'missing', 'c.json')], '--outfile ')


with tempfile.TemporaryDirectory() as tmp:
    test_generated(tmp)
    test_csv_against_python(tmp)
    test_bad_input(tmp)
print(f'{len(failures)} failures' if failures else 'all checks passed')
sys.exit(1 if failures else 0)
