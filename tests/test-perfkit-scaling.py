#!/usr/bin/env python3
"""End-to-end test of examples/perfkit-scaling on run folders made here.

Good folders: the printed table, the CSV and JSON tables, the Amdahl fit and
Karp-Flatt values are checked against numbers computed independently below.
Bad folders: each must fail with exit status 1 and a message naming the
file (and line). Usage: test-perfkit-scaling.py PERFKIT_SCALING [DATA_DIR]
"""
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
DATA = sys.argv[2] if len(sys.argv) > 2 else None
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(args, env=None):
    p = subprocess.run([EXE] + args, capture_output=True, text=True, env=env,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def make_run(root, name, ranks, times, n_train=64, n_valid=16, shard=False,
             config=None, header='epoch,loss,time,val_loss'):
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'config.json'), 'w') as f:
        f.write(config if config is not None else json.dumps(
            {'data': {'n_train': n_train, 'n_valid': n_valid, 'shard': shard},
             'ranks': ranks}))
    with open(os.path.join(d, 'history.csv'), 'w') as f:
        f.write(header + '\n')
        for e, t in enumerate(times):
            f.write(f'{e},0.5,{t},0.6\n')
    return d


# Epoch times per rank count; epoch 0 is the warm-up.
GOOD = {1: [300, 200, 202, 198], 2: [310, 205, 207],
        4: [330, 230, 226, 228, 230], 8: [360, 250, 254]}
DUMMY = {1: [280, 180, 182], 2: [290, 184, 186], 4: [300, 195, 197],
         8: [320, 210, 212]}


def expected(table, warmup=1, n=80, shard=False):
    rows, x0 = [], None
    for r, times in sorted(table.items()):
        kept = [t for e, t in enumerate(times) if e >= warmup]
        mean = sum(kept) / len(kept)
        samples = n if shard else n * r
        x = samples / mean
        if x0 is None:
            x0, r0 = x, r
        ideal = r * x0 / r0
        rows.append(dict(ranks=r, samples=samples, times=mean,
                         throughputs=x, ideal=ideal, eff=x / ideal))
    return rows


def printed_table(out):
    lines = out.splitlines()
    start = next(i for i, l in enumerate(lines) if l.split()[:1] == ['ranks'])
    head = lines[start].split()
    rows = []
    for l in lines[start + 1:]:
        if not l.strip():
            break
        rows.append(dict(zip(head, map(float, l.split()))))
    return head, rows


def close(a, b, rel):
    return abs(a - b) <= rel * max(abs(b), 1e-300)


def test_good(tmp):
    for r, t in GOOD.items():
        make_run(tmp, f'run-n{r}', r, t)
        make_run(tmp, f'dummy-n{r}', r, DUMMY[r])
    pat = os.path.join(tmp, 'run-n%i')
    csv_path, json_path = os.path.join(tmp, 't.csv'), os.path.join(tmp, 't.json')
    rc, out, err = run([pat, '--ranks', '1,2,4,8', '--compare',
                        os.path.join(tmp, 'dummy-n%i'), '--csv', csv_path,
                        '--json', json_path, '--price', '0.05'])
    check(rc == 0, f'good folders: exit {rc}, stderr {err!r}')
    if rc != 0:
        return
    exp, expd = expected(GOOD), expected(DUMMY)
    head, rows = printed_table(out)
    check(head[:6] == ['ranks', 'samples', 'times', 'throughputs', 'ideal', 'eff'],
          f'table header {head}')
    check('eff_dummy' in head and 'throughputs_dummy' in head,
          f'merged columns {head}')
    check(len(rows) == 4, f'{len(rows)} printed rows')
    for got, want, wd in zip(rows, exp, expd):
        for k in ('ranks', 'samples', 'times', 'throughputs', 'ideal'):
            check(close(got[k], want[k], 1e-5), f'printed {k}: {got[k]} vs {want[k]}')
            check(close(got[k + '_dummy'] if k != 'ranks' else got[k],
                        wd[k], 1e-5), f'printed {k}_dummy')
        check(abs(got['eff'] - want['eff']) < 6e-5, f'printed eff {got["eff"]}')
    with open(csv_path) as f:
        crow = list(csv.DictReader(f))
    for got, want in zip(crow, exp):
        for k, v in want.items():
            check(close(float(got[k]), v, 1e-13), f'csv {k}: {got[k]} vs {v}')
    with open(json_path) as f:
        j = json.load(f)
    check(len(j['rows']) == 4, 'json rows')
    for got, want in zip(j['rows'], exp):
        for k, v in want.items():
            check(close(got[k], v, 1e-13), f'json {k}')
    check(j['usl'] is not None and j['usl']['alpha'] >= 0, 'json usl fit')

    # Amdahl f through the origin of 1/S - 1/q on 1 - 1/q, done here.
    sxx = sxy = 0
    for row in exp[1:]:
        q = row['ranks'] / exp[0]['ranks']
        s = row['throughputs'] / exp[0]['throughputs']
        x, y = 1 - 1 / q, 1 / s - 1 / q
        sxx, sxy = sxx + x * x, sxy + x * y
        kf = (1 / s - 1 / q) / (1 - 1 / q)
        m = re.search(r'^\s*%d\s+(\S+)\s+(\S+)$' % row['ranks'], out, re.M)
        check(m and close(float(m.group(2)), kf, 1e-3) if abs(kf) > 1e-3
              else m is not None, f'Karp-Flatt at {row["ranks"]}: {m and m.group(0)} vs {kf}')
    f_exp = sxy / sxx
    m = re.search(r'Amdahl fit: f = (\S+)', out)
    check(m and abs(float(m.group(1)) - f_exp) < 6e-6,
          f'Amdahl f {m and m.group(1)} vs {f_exp}')
    # optimal count: the largest rank count with eff >= 0.8
    best = max(r['ranks'] for r in exp if r['eff'] >= 0.8)
    m = re.search(r'efficiency >= 0.8: (\d+)', out)
    check(m and int(m.group(1)) == best, f'optimal {m and m.group(1)} vs {best}')
    check('Cost of one epoch at 0.05' in out, 'cost section')
    cost1 = 1 * exp[0]['times'] / 3600 * 0.05
    check(f'{cost1:.5g}' in out, f'cost of 1 rank {cost1:.5g}')

    # --warmup-epochs 0 keeps epoch 0; folder-list mode reads ranks from config
    rc, out, err = run([pat, '--ranks', '1,2,4,8', '--warmup-epochs', '0'])
    check(rc == 0, f'warmup 0: {err}')
    _, rows = printed_table(out)
    for got, want in zip(rows, expected(GOOD, warmup=0)):
        check(close(got['times'], want['times'], 1e-5), f'warmup 0 times {got}')
    dirs = [os.path.join(tmp, f'run-n{r}') for r in (1, 2, 4, 8)]
    rc, out2, err = run(dirs)
    check(rc == 0 and printed_table(out2)[1][3]['ranks'] == 8,
          f'folder list: {err}')

    # plot: with gnuplot if installed; without it, a hint how to get it
    svg = os.path.join(tmp, 'fig.svg')
    if shutil.which('gnuplot'):
        rc, _, err = run([pat, '--ranks', '1,2,4,8', '--plot', svg])
        check(rc == 0 and open(svg).read(200).startswith('<?xml'),
              f'svg plot: {err}')
    empty = os.path.join(tmp, 'empty-path')
    os.makedirs(empty)
    rc, _, err = run([pat, '--ranks', '1,2,4,8', '--plot', svg + '2.svg'],
                     env=dict(os.environ, PATH=empty))
    check(rc == 1 and 'gnuplot' in err and 'apt-get install gnuplot' in err,
          f'no gnuplot: {rc} {err!r}')
    rc, _, err = run([pat, '--ranks', '1,2,4,8', '--plot', svg + '.pdf'])
    check(rc == 1 and '.png or .svg' in err, f'plot suffix: {err!r}')


def expect_fail(args, *needles):
    rc, out, err = run(args)
    ok = rc == 1 and all(n in err for n in needles)
    check(ok, f'{args}: exit {rc}, stderr {err!r}, wanted {needles}')


def test_bad(tmp):
    ok = [200, 100, 100]
    for r in (1, 2):
        make_run(tmp, f'ok-n{r}', r, ok)
    # history.csv problems
    d = make_run(tmp, 'nohist-n2', 2, ok)
    os.remove(os.path.join(d, 'history.csv'))
    make_run(tmp, 'nohist-n1', 1, ok)
    expect_fail([os.path.join(tmp, 'nohist-n%i'), '--ranks', '1,2'],
                'nohist-n2/history.csv', 'cannot open')
    for r in (1, 2):
        make_run(tmp, f'empty-n{r}', r, ok)
    open(os.path.join(tmp, 'empty-n2', 'history.csv'), 'w').close()
    expect_fail([os.path.join(tmp, 'empty-n%i'), '--ranks', '1,2'],
                'empty-n2/history.csv', 'empty')
    make_run(tmp, 'cols-n1', 1, ok, header='epoch,loss,seconds,val_loss')
    expect_fail([os.path.join(tmp, 'cols-n%i'), '--ranks', '1'],
                'cols-n1/history.csv:1:', "'time'")
    d = make_run(tmp, 'nan-n1', 1, ok)
    with open(os.path.join(d, 'history.csv'), 'a') as f:
        f.write('3,0.5,fast,0.6\n')
    expect_fail([os.path.join(tmp, 'nan-n%i'), '--ranks', '1'],
                'nan-n1/history.csv:5:', "'fast'")
    make_run(tmp, 'zero-n1', 1, [200, 0, 100])
    expect_fail([os.path.join(tmp, 'zero-n%i'), '--ranks', '1'],
                'zero-n1/history.csv:3:', 'time 0')
    make_run(tmp, 'short-n1', 1, [200])
    expect_fail([os.path.join(tmp, 'short-n%i'), '--ranks', '1'],
                'short-n1/history.csv', 'warm-up')
    # config.json problems
    make_run(tmp, 'json-n1', 1, ok, config='{"data": {"n_train": 4,\n "n_valid": }}')
    expect_fail([os.path.join(tmp, 'json-n%i'), '--ranks', '1'],
                'json-n1/config.json:2:')
    make_run(tmp, 'shard-n1', 1, ok, config='{"data": {"n_train": 4, "n_valid": 1}}')
    expect_fail([os.path.join(tmp, 'shard-n%i'), '--ranks', '1'],
                'shard-n1/config.json', 'shard')
    make_run(tmp, 'mism-n1', 1, ok, config='{"data": {"n_train": 4, "n_valid": 1, '
             '"shard": true}, "ranks": 3}')
    expect_fail([os.path.join(tmp, 'mism-n%i'), '--ranks', '1'],
                'mism-n1/config.json', 'ranks')
    # order, patterns, arguments
    expect_fail([os.path.join(tmp, 'ok-n%i'), '--ranks', '2,1'], 'must increase')
    expect_fail([os.path.join(tmp, 'ok-n2'), os.path.join(tmp, 'ok-n1')],
                'ok-n1/config.json', 'must increase')
    expect_fail([os.path.join(tmp, 'ok-n%s'), '--ranks', '1'], '%i')
    expect_fail([os.path.join(tmp, 'ok-n%i'), '--ranks', '1,x'], '--ranks')
    expect_fail([os.path.join(tmp, 'ok-n%i'), '--ranks', '1,4'],
                'ok-n4: no such run folder')
    expect_fail([os.path.join(tmp, 'ok-n%i'), '--ranks', '1,2',
                 '--threshold', 'nan'], '--threshold')
    expect_fail([], 'no run folders')
    rc, out, _ = run(['--help'])
    check(rc == 0 and 'usage' in out, '--help')


def test_sample_data():
    if not DATA:
        return
    rc, out, err = run([os.path.join(DATA, 'cosmoflow-cpu', 'scaling-n%i'),
                        '--ranks', '1,2,4,8,16,32,64', '--compare',
                        os.path.join(DATA, 'cosmoflow-cpu-dummy', 'scaling-n%i')])
    check(rc == 0 and 'USL fit' in out and 'eff_dummy' in out,
          f'sample data: {rc} {err!r}')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, 'good'))
        os.makedirs(os.path.join(tmp, 'bad'))
        test_good(os.path.join(tmp, 'good'))
        test_bad(os.path.join(tmp, 'bad'))
    test_sample_data()
    print(f'{len(failures)} failure(s)')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
