#!/usr/bin/env python3
"""End-to-end test of examples/perfkit-scaling on run folders made here.

Good folders: the printed table, the CSV and JSON tables, the Amdahl fit and
Karp-Flatt values are checked against numbers computed independently below.
Bad folders: each must fail with exit status 1 (a failed read) and a
message naming the file (and line); a bad command line exits 2. Result files
(--results), written here with MAKE_RESULTS in every format, are checked the
same way.
Usage: test-perfkit-scaling.py PERFKIT_SCALING [DATA_DIR [MAKE_RESULTS]]
"""
import csv
import json
import math
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
DATA = sys.argv[2] if len(sys.argv) > 2 else None
MAKE_RESULTS = sys.argv[3] if len(sys.argv) > 3 else None
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
             config=None, header='epoch,loss,time,val_loss', pickle_protocol=None):
    """A run folder; with pickle_protocol, config.pkl as the CosmoFlow
    benchmark writes it (pickle.dump of the dict, or @config's bytes)."""
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    value = {'data': {'n_train': n_train, 'n_valid': n_valid, 'shard': shard},
             'ranks': ranks}
    if pickle_protocol is not None:
        with open(os.path.join(d, 'config.pkl'), 'wb') as f:
            if isinstance(config, bytes):
                f.write(config)
            else:
                pickle.dump(config if config is not None else value, f,
                            protocol=pickle_protocol)
    else:
        with open(os.path.join(d, 'config.json'), 'w') as f:
            f.write(config if config is not None else json.dumps(value))
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


def printed_table(out, first='ranks'):
    lines = out.splitlines()
    start = next(i for i, l in enumerate(lines) if l.split()[:1] == [first])
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
    check(j['usl'] and j['usl']['alpha_ci'][0] is not None and
          j['usl']['alpha_ci'][0] >= 0 and 'alpha_at_bound' in j['usl'],
          'json usl profile interval within the bound')

    # Karp-Flatt per row, done here.
    for row in exp[1:]:
        q = row['ranks'] / exp[0]['ranks']
        s = row['throughputs'] / exp[0]['throughputs']
        kf = (1 / s - 1 / q) / (1 - 1 / q)
        m = re.search(r'^\s*%d\s+(\S+)\s+(\S+)$' % row['ranks'], out, re.M)
        check(m and close(float(m.group(2)), kf, 1e-3) if abs(kf) > 1e-3
              else m is not None, f'Karp-Flatt at {row["ranks"]}: {m and m.group(0)} vs {kf}')
    f_exp = amdahl_times_f([r['ranks'] for r in exp],
                           [1 / r['throughputs'] for r in exp])
    m = re.search(r'Amdahl fit on time per sample \(4 points\): f = (\S+)', out)
    check(m and abs(float(m.group(1)) - f_exp) < 6e-6,
          f'Amdahl f {m and m.group(1)} vs {f_exp}')
    check('Gustafson fit on times (4 points): f = ' in out, 'Gustafson fit')
    check('95% profile-likelihood intervals' in out, 'USL intervals')
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
    check(rc == 2 and '.png or .svg' in err, f'plot suffix: {rc} {err!r}')


def expect_fail(args, *needles, status=1):
    rc, out, err = run(args)
    ok = rc == status and all(n in err for n in needles)
    check(ok, f'{args}: exit {rc}, stderr {err!r}, wanted {status} and {needles}')


def expect_usage(args, *needles):
    """A bad command line: exit status 2 (one convention for every program)."""
    expect_fail(args, *needles, status=2)


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
    expect_usage([os.path.join(tmp, 'ok-n%i'), '--ranks', '2,1'], 'must increase')
    expect_fail([os.path.join(tmp, 'ok-n2'), os.path.join(tmp, 'ok-n1')],
                'ok-n1/config.json', 'must increase')
    expect_usage([os.path.join(tmp, 'ok-n%s'), '--ranks', '1'], '%i')
    expect_usage([os.path.join(tmp, 'ok-n%i'), '--ranks', '1,x'], '--ranks')
    expect_fail([os.path.join(tmp, 'ok-n%i'), '--ranks', '1,4'],
                'ok-n4: no such run folder')
    expect_usage([os.path.join(tmp, 'ok-n%i'), '--ranks', '1,2',
                  '--threshold', 'nan'], '--threshold')
    expect_usage([os.path.join(tmp, 'ok-n%i'), '--ranks', '1',
                  '--compare', os.path.join(tmp, 'ok-n%i%i')], '%i')
    expect_usage([], 'no run folders')
    rc, out, _ = run(['--help'])
    check(rc == 0 and out.startswith('Usage: perfkit-scaling'), '--help')


# The CosmoFlow benchmark's own configuration (configs/cosmo.yaml as
# train.py pickles it): nested dicts, lists, floats, None, and the epoch
# numbers of the learning-rate schedule as int keys.
def cosmoflow_config(ranks, n_train=64, n_valid=16, shard=False):
    return {'output_dir': f'results/scaling-cpu-n{ranks}',
            'data': {'name': 'cosmo', 'data_dir': '/scratch/cosmoUniverse',
                     'n_train': n_train, 'n_valid': n_valid,
                     'sample_shape': [128, 128, 128, 4], 'batch_size': 4,
                     'n_epochs': 4, 'shard': shard, 'apply_log': True,
                     'compression': None},
            'model': {'name': 'cosmoflow', 'input_shape': (128, 128, 128, 4),
                      'dropout': 0.5},
            'optimizer': {'name': 'SGD', 'momentum': 0.9},
            'lr_schedule': {'base_lr': 0.001, 'scaling': 'linear',
                            'decay_schedule': {32: 0.25, 64: 0.125}},
            'ranks': ranks}


def test_pickle(tmp):
    """config.pkl read as config.json is, at every protocol; anything that
    would run code refused, and never run."""
    for r, t in GOOD.items():
        make_run(tmp, f'json-n{r}', r, t)
    rc, want, err = run([os.path.join(tmp, 'json-n%i'), '--ranks', '1,2,4,8'])
    check(rc == 0, f'json folders: {err!r}')
    for proto in (2, 3, 4, 5):
        for r, t in GOOD.items():
            make_run(tmp, f'pkl{proto}-n{r}', r, t, pickle_protocol=proto,
                     config=cosmoflow_config(r))
        pat = os.path.join(tmp, f'pkl{proto}-n%i')
        rc, out, err = run([pat, '--ranks', '1,2,4,8'])
        check(rc == 0 and out.replace(f'pkl{proto}', 'json') == want,
              f'config.pkl protocol {proto}: exit {rc}, {err!r}')
        dirs = [os.path.join(tmp, f'pkl{proto}-n{r}') for r in (1, 2, 4, 8)]
        rc, out, err = run(dirs)
        check(rc == 0 and printed_table(out)[1][3]['ranks'] == 8,
              f'config.pkl folder list, protocol {proto}: {err!r}')
    # shard and the sample count come from the pickle
    make_run(tmp, 'shard-n1', 1, [300, 200], pickle_protocol=4,
             config=cosmoflow_config(1, n_train=100, n_valid=28, shard=True))
    rc, out, err = run([os.path.join(tmp, 'shard-n%i'), '--ranks', '1'])
    check(rc == 0 and printed_table(out)[1][0]['samples'] == 128,
          f'config.pkl samples: {err!r}')
    # config.json wins when both are there
    d = make_run(tmp, 'both-n1', 1, [300, 200], pickle_protocol=4,
                 config=b'\x80\x02cos\nsystem\n.')
    make_run(tmp, 'both-n1', 1, [300, 200])
    rc, _, err = run([os.path.join(tmp, 'both-n%i'), '--ranks', '1'])
    check(rc == 0, f'config.json before config.pkl: {err!r}')

    # refused: os.system through GLOBAL and REDUCE (at protocol 2, and
    # STACK_GLOBAL at 4), a class instance, a set; nothing may run
    pwned = os.path.join(tmp, 'pwned')
    cmd = f'touch {pwned}'.encode()
    evil2 = (b'\x80\x02cos\nsystem\nX' + len(cmd).to_bytes(4, 'little') + cmd +
             b'\x85R.')
    body = (b'\x8c\x02os\x8c\x06system\x93X' + len(cmd).to_bytes(4, 'little') +
            cmd + b'\x85R.')
    evil4 = b'\x80\x04\x95' + len(body).to_bytes(8, 'little') + body
    for name, data, words in (
            ('evil2', evil2, ('pickle byte 2: GLOBAL: refused', 'Python code')),
            ('evil4', evil4, ('pickle byte 23: STACK_GLOBAL: refused',)),
            ('object', pickle.dumps({'data': os.stat_result((0,) * 10)}, 2),
             ('GLOBAL: refused',)),
            ('set', pickle.dumps({'data': {1, 2}}, 4), ('EMPTY_SET: refused', 'sets')),
            ('trunc', pickle.dumps(cosmoflow_config(1), 4)[:-5], ('truncated',)),
            ('proto0', pickle.dumps(cosmoflow_config(1), 0), ('protocol 2 to 5',))):
        make_run(tmp, f'{name}-n1', 1, [300, 200], pickle_protocol=2,
                 config=data)
        expect_fail([os.path.join(tmp, f'{name}-n%i'), '--ranks', '1'],
                    f'{name}-n1/config.pkl: ', *words)
    check(not os.path.exists(pwned), 'a refused pickle ran its command')
    # the keys are checked as in config.json
    make_run(tmp, 'noshard-n1', 1, [300, 200], pickle_protocol=3,
             config={'data': {'n_train': 4, 'n_valid': 1}})
    expect_fail([os.path.join(tmp, 'noshard-n%i'), '--ranks', '1'],
                'noshard-n1/config.pkl: data.shard must be true or false')
    make_run(tmp, 'nodata-n1', 1, [300, 200], pickle_protocol=5, config=[1, 2])
    expect_fail([os.path.join(tmp, 'nodata-n%i'), '--ranks', '1'],
                'nodata-n1/config.pkl: no "data" object')
    d = make_run(tmp, 'noconf-n1', 1, [300, 200])
    os.remove(os.path.join(d, 'config.json'))
    expect_fail([os.path.join(tmp, 'noconf-n%i'), '--ranks', '1'],
                'noconf-n1: no config.json or config.pkl')
    d = make_run(tmp, 'dirconf-n1', 1, [300, 200])
    os.remove(os.path.join(d, 'config.json'))
    os.makedirs(os.path.join(d, 'config.pkl'))
    expect_fail([os.path.join(tmp, 'dirconf-n%i'), '--ranks', '1'],
                'dirconf-n1/config.pkl: not a regular file')


def test_history_edges(tmp):
    """The run-folder reader's bugs: long lines, folders, BOMs."""
    # a line longer than 64 KiB is one row, not several (the mean was
    # 334.667 instead of 2, with exit 0)
    d = make_run(tmp, 'long-n1', 1, [])
    with open(os.path.join(d, 'history.csv'), 'w') as f:
        f.write('epoch,loss,time,val_loss\n0,0.5,1000,0.6\n')
        f.write('1,"' + 'x' * 70000 + '",2,0.6\n')
        f.write('2,' + '9' * 70000 + ',2,0.6\n')
    rc, out, err = run([os.path.join(tmp, 'long-n%i'), '--ranks', '1'])
    check(rc == 0 and close(printed_table(out)[1][0]['times'], 2, 1e-9),
          f'line > 64 KiB: exit {rc}, {out[-300:]!r} {err!r}')
    d = make_run(tmp, 'longbad-n1', 1, [300, 200])
    with open(os.path.join(d, 'history.csv'), 'a') as f:
        f.write('3,0.5,' + '7' * 70000 + 'x,0.6\n')
    expect_fail([os.path.join(tmp, 'longbad-n%i'), '--ranks', '1'],
                'longbad-n1/history.csv:4: time')
    # history.csv a folder, or a FIFO (which must not block)
    d = make_run(tmp, 'dir-n1', 1, [300, 200])
    os.remove(os.path.join(d, 'history.csv'))
    os.makedirs(os.path.join(d, 'history.csv'))
    expect_fail([os.path.join(tmp, 'dir-n%i'), '--ranks', '1'],
                'dir-n1/history.csv: not a regular file (a folder)')
    d = make_run(tmp, 'fifo-n1', 1, [300, 200])
    os.remove(os.path.join(d, 'history.csv'))
    os.mkfifo(os.path.join(d, 'history.csv'))
    expect_fail([os.path.join(tmp, 'fifo-n%i'), '--ranks', '1'],
                'fifo-n1/history.csv: not a regular file')
    # a UTF-8 byte order mark in history.csv and in config.json
    for r, t in GOOD.items():
        make_run(tmp, f'plain-n{r}', r, t)
        d = make_run(tmp, f'bom-n{r}', r, t)
        for name in ('history.csv', 'config.json'):
            path = os.path.join(d, name)
            with open(path, 'rb') as f:
                data = f.read()
            with open(path, 'wb') as f:
                f.write(b'\xef\xbb\xbf' + data)
    rc, want, _ = run([os.path.join(tmp, 'plain-n%i'), '--ranks', '1,2,4,8'])
    rc2, out, err = run([os.path.join(tmp, 'bom-n%i'), '--ranks', '1,2,4,8'])
    check(rc == 0 and rc2 == 0 and out.replace('bom-n', 'plain-n') == want,
          f'BOM: exit {rc2}, {err!r}')
    make_run(tmp, 'bombad-n1', 1, [300, 200], config='\ufeff{"data": }')
    expect_fail([os.path.join(tmp, 'bombad-n%i'), '--ranks', '1'],
                'bombad-n1/config.json:1:')


def test_sample_data():
    if not DATA:
        return
    rc, out, err = run([os.path.join(DATA, 'cosmoflow-cpu', 'scaling-n%i'),
                        '--ranks', '1,2,4,8,16,32,64', '--compare',
                        os.path.join(DATA, 'cosmoflow-cpu-dummy', 'scaling-n%i')])
    check(rc == 0 and 'USL fit' in out and 'eff_dummy' in out,
          f'sample data: {rc} {err!r}')
    rc, out, err = run(['--results', os.path.join(DATA, 'perfkit-flops-sweep.json'),
                        '--price', '0.1'])
    check(rc == 0 and 'USL fit X(N)' in out and 'cost_per_flop' in out and
          '(1 at workers = 16)' in err, f'sample result file: {rc} {err!r}')


# ---- --results: result files written by the library ----

FLOPS = 2 * 256 ** 3 * 10   # dgemm N = 256, loopcount 10, per worker


def sweep(failed=True):
    """A weak sweep: W = 1, 2, 4, 8 workers, each doing FLOPS; launch
    staggered by 10 ms per worker, slower workers as W grows. Returns the
    records as dicts (fields and the parameters 'workers', 'mode')."""
    recs = []
    for w_count in (1, 2, 4, 8):
        for w in range(w_count):
            submit = 100.0 * w_count + 0.01 * w
            start = submit + 0.05 + 0.002 * w_count
            # deterministic jitter, as measurements have
            elapsed = (1.0 + 0.01 * w_count + 0.003 * w +
                       0.004 * ((7 * w + 3 * w_count) % 5))
            end = start + 0.02 + elapsed
            recs.append(dict(name='dgemm', worker=w, workers=w_count,
                             mode='threads', t_submit=submit, t_start=start,
                             t_setup=start + 0.02, t_end=end,
                             t_collected=end + 0.01 + 0.001 * w,
                             repetitions=10, problem_size=256, flops=FLOPS,
                             bytes=3 * 8 * 256 ** 2 * 10, elapsed=elapsed,
                             status=0))
    if failed:
        # a worker that timed out: skipped, whatever its numbers say
        recs.append(dict(name='dgemm', worker=4, workers=4, t_submit=0,
                         t_collected=1e6, flops=1e15, elapsed=1e9,
                         status=-110))
    return recs


def write_results(path, recs, meta=None):
    lines = ['meta ' + ' '.join(f'{k}={v}' for k, v in (meta or {}).items())
             ] if meta else []
    for r in recs:
        lines.append(' '.join(f'{k}={v!r}' if isinstance(v, float)
                              else f'{k}={v}' for k, v in r.items()))
    p = subprocess.run([MAKE_RESULTS, path], input='\n'.join(lines) + '\n',
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f'make-results {path}: {p.stderr}')


def points(recs, measure='makespan'):
    """Per worker count: (W, flops, makespan, elapsed max), status 0 only."""
    out = []
    for w_count in sorted({r['workers'] for r in recs}):
        g = [r for r in recs if r['workers'] == w_count and r['status'] == 0]
        span = max(r['t_collected'] for r in g) - min(r['t_submit'] for r in g)
        out.append((w_count, sum(r['flops'] for r in g), span,
                    max(r['elapsed'] for r in g)))
    return out


def amdahl_times_f(p, t):
    """Amdahl on times, T = T1 (f + (1 - f)/p), least squares on log t with
    log T1 profiled out, f in [0, 1]: a grid, then golden section."""
    def rss(f):
        r = [math.log(b) - math.log(f + (1 - f) / a) for a, b in zip(p, t)]
        m = sum(r) / len(r)
        return sum((x - m) ** 2 for x in r)
    k = min(range(201), key=lambda i: rss(i / 200))
    lo, hi = max(0, (k - 1) / 200), min(1, (k + 1) / 200)
    g = (math.sqrt(5) - 1) / 2
    for _ in range(100):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if rss(a) <= rss(b):
            hi = b
        else:
            lo = a
    return min((lo + hi) / 2, k / 200, key=rss)


def test_results_weak(tmp):
    recs = sweep()
    pts = points(recs)
    x0 = pts[0][1] / pts[0][2]
    want = [dict(workers=w, flops=f, makespan=t, flops_per_s=f / t,
                 ideal=w * x0 / pts[0][0], eff=(f / t) / (w * x0 / pts[0][0]))
            for w, f, t, _ in pts]
    outs = []
    for ext in ('json', 'csv', 'jsonl'):
        path = os.path.join(tmp, 'sweep.' + ext)
        write_results(path, recs, {'harness.kernel': 'dgemm'})
        rc, out, err = run(['--results', path])
        check(rc == 0, f'--results {ext}: exit {rc}, {err!r}')
        if rc != 0:
            continue
        check('skipped 1 record(s) with non-zero status (1 at workers = 4)'
              in err, f'failed record reported: {err!r}')
        outs.append(out.replace(path, 'FILE'))
        head, rows = printed_table(out, 'workers')
        check(head == ['workers', 'flops', 'makespan', 'flops_per_s', 'ideal',
                       'eff'], f'weak header {head}')
        check(len(rows) == 4, f'{ext}: {len(rows)} rows')
        for got, exp in zip(rows, want):
            for k, v in exp.items():
                check(close(got[k], v, 1e-5) if k != 'eff'
                      else abs(got[k] - v) < 6e-5, f'{ext} {k}: {got[k]} vs {v}')
    check(len(set(outs)) == 1, 'same report from json, csv and jsonl')
    out = outs[0] if outs else ''
    check('Weak-scaling summary of FILE (records grouped by workers; '
          'throughput = flops / makespan, makespan = max t_collected - min t_submit)'
          in out, 'weak heading')
    sp = [r['flops_per_s'] / want[0]['flops_per_s'] for r in want]
    f_exp = amdahl_times_f([r['workers'] for r in want],
                           [1 / r['flops_per_s'] for r in want])
    m = re.search(r'Amdahl fit on time per flop \(4 points\): f = (\S+)', out)
    check(m and abs(float(m.group(1)) - f_exp) < 6e-6,
          f'Amdahl f {m and m.group(1)} vs {f_exp}')
    for r, s_ in zip(want[1:], sp[1:]):
        qq = r['workers']
        kf = (1 / s_ - 1 / qq) / (1 - 1 / qq)
        m = re.search(r'^\s*%d\s+(\S+)\s+(\S+)$' % qq, out, re.M)
        check(m and abs(float(m.group(2)) - kf) < 6e-6,
              f'Karp-Flatt at {qq}: {m and m.group(0)} vs {kf}')
    check('USL fit X(N)' in out and 'Largest worker count with efficiency' in out,
          'fits and optimal count')

    # outputs: CSV and JSON exact, cost per flop, threshold, plot
    path = os.path.join(tmp, 'sweep.json')
    csv_path, json_path = os.path.join(tmp, 'w.csv'), os.path.join(tmp, 'w.json')
    rc, out, err = run(['--results', path, '--csv', csv_path, '--json',
                        json_path, '--price', '0.1', '--threshold', '0.99'])
    check(rc == 0, f'--results with outputs: {err!r}')
    with open(csv_path) as f:
        crow = list(csv.DictReader(f))
    for got, exp in zip(crow, want):
        for k, v in exp.items():
            check(close(float(got[k]), v, 1e-13), f'csv {k}: {got[k]} vs {v}')
    with open(json_path) as f:
        j = json.load(f)
    check(j['kind'] == 'weak' and j['source'] == path and
          j['group_by'] == 'workers' and j['failed_records'] == '1' and
          'warmup_epochs' not in j, f'json header {j}')
    for got, exp in zip(j['rows'], want):
        for k, v in exp.items():
            check(close(got[k], v, 1e-13), f'json {k}')
    best = max([r['workers'] for r in want if r['eff'] >= 0.99], default=None)
    m = re.search(r'efficiency >= 0.99: (\S+)', out)
    check(m and m.group(1) == (str(best) if best else 'none'),
          f'optimal {m and m.group(1)} vs {best}')
    check('Cost of one run at 0.1 per worker-hour' in out and
          'cost_per_flop' in out, 'cost section per run and flop')
    cost1 = want[0]['makespan'] / 3600 * 0.1
    check(f'{cost1:.5g}' in out, f'cost of 1 worker {cost1:.5g}')
    if shutil.which('gnuplot'):
        svg = os.path.join(tmp, 'w.svg')
        rc, _, err = run(['--results', path, '--plot', svg])
        check(rc == 0 and open(svg).read(200).startswith('<?xml'),
              f'results svg plot: {err!r}')


def strong_sweep():
    """Strong scaling: 8 * FLOPS in total, split over W = 1, 2, 4, 8
    workers; each worker's time is 8/W s, 5% longer per extra worker."""
    recs = []
    for w_count in (1, 2, 4, 8):
        for w in range(w_count):
            submit = 100.0 * w_count + 0.01 * w
            elapsed = 8 / w_count * (1 + 0.05 * (w_count - 1)) + 0.002 * w
            recs.append(dict(worker=w, workers=w_count, t_submit=submit,
                             t_start=submit + 0.05, t_end=submit + 0.05 + elapsed,
                             t_collected=submit + 0.06 + elapsed,
                             flops=FLOPS * 8 // w_count, elapsed=elapsed,
                             status=0))
    return recs


def test_results_strong(tmp):
    recs = strong_sweep()
    path = os.path.join(tmp, 'strong.json')
    write_results(path, recs)
    pts = points(recs)
    for measure, col in (('makespan', 2), ('elapsed', 3)):
        rc, out, err = run(['--results', path, '--measure', measure])
        check(rc == 0 and err == '', f'--measure {measure}: {rc} {err!r}')
        if rc != 0:
            continue
        lines = out.splitlines()
        start = next(i for i, l in enumerate(lines) if l.split()[:1] == ['workers'])
        head = lines[start].split()
        check(head == ['workers', measure, 'flops_per_s', 'speedup', 'eff',
                       'karp_flatt'], f'strong header {head}')
        t0, w0 = pts[0][col], pts[0][0]
        for line, p in zip(lines[start + 1:start + 5], pts):
            cells = line.split()
            s_ = t0 / p[col]
            check(close(float(cells[1]), p[col], 1e-5), f'{measure} time {cells}')
            check(abs(float(cells[3]) - s_) < 6e-5, f'{measure} speedup {cells}')
            check(abs(float(cells[4]) - s_ * w0 / p[0]) < 6e-5, f'eff {cells}')
            if p[0] == w0:
                check(cells[5] == '-', 'Karp-Flatt undefined at p0')
            else:
                q = p[0] / w0
                kf = (1 / s_ - 1 / q) / (1 - 1 / q)
                check(abs(float(cells[5]) - kf) < 6e-6, f'Karp-Flatt {cells} vs {kf}')
        check('Strong-scaling summary of' in out and 'speedup = T(p0) / T(p)' in out,
              'strong heading')
    # the measure that does not fit the experiment gets a note
    rc, _, err = run(['--results', path])
    check(rc == 0 and 'note: the flops stay the same at every worker count'
          in err, f'strong data read as weak: {err!r}')
    weak = os.path.join(tmp, 'weak.json')
    write_results(weak, sweep(failed=False))
    rc, _, err = run(['--results', weak, '--measure', 'makespan'])
    check(rc == 0 and 'note: the flops grow with the worker count' in err,
          f'weak data read as strong: {err!r}')
    json_path = os.path.join(tmp, 's.json')
    rc, _, err = run(['--results', path, '--measure', 'makespan', '--json', json_path])
    with open(json_path) as f:
        j = json.load(f)
    check(rc == 0 and j['kind'] == 'strong' and j['rows'][0]['karp_flatt'] is None
          and j['rows'][1]['speedup'] > 0, f'strong json {err!r}')


def test_results_bad(tmp):
    good = os.path.join(tmp, 'good.json')
    write_results(good, sweep())
    expect_fail(['--results', os.path.join(tmp, 'missing.json')], 'missing.json')
    bad = os.path.join(tmp, 'broken.json')
    with open(bad, 'w') as f:
        f.write('{"schema": "perfkit-results", "records": [\n  {"name": ')
    expect_fail(['--results', bad], 'broken.json')
    bad = os.path.join(tmp, 'broken.csv')
    with open(bad, 'w') as f:
        f.write('name,workers\n"unterminated\n')
    expect_fail(['--results', bad], 'broken.csv')
    bad = os.path.join(tmp, 'empty.jsonl')
    open(bad, 'w').close()
    expect_fail(['--results', bad], 'empty.jsonl')
    txt = os.path.join(tmp, 'sweep.txt')
    open(txt, 'w').close()
    expect_fail(['--results', txt], 'sweep.txt')
    expect_fail(['--results', good, '--group-by', 'threads'], 'good.json',
                "no record has 'threads'")
    bad = os.path.join(tmp, 'badgroup.json')
    recs = sweep(failed=False)
    recs[3]['workers'] = 'two'
    write_results(bad, recs)
    expect_fail(['--results', bad], 'badgroup.json',
                "record 3: workers = 'two' is not a worker count")
    expect_fail(['--results', good, '--work', 'items'], 'no record counted items',
                '--work')
    expect_usage(['--results', good, '--measure', 'speed'], '--measure')
    expect_usage(['--results', good, '--work', 'ops'], '--work')
    expect_usage(['--results', good, '--ranks', '1,2'], '--ranks', 'run folders')
    expect_usage(['--results', good, '--warmup-epochs', '0'], '--warmup-epochs')
    expect_usage(['--results', good, tmp], 'takes no run folders')
    expect_usage(['--measure', 'makespan', tmp], 'need --results')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for d in ('good', 'bad', 'pickle', 'history', 'results', 'results-bad'):
            os.makedirs(os.path.join(tmp, d))
        test_good(os.path.join(tmp, 'good'))
        test_bad(os.path.join(tmp, 'bad'))
        test_pickle(os.path.join(tmp, 'pickle'))
        test_history_edges(os.path.join(tmp, 'history'))
        if MAKE_RESULTS:
            test_results_weak(os.path.join(tmp, 'results'))
            test_results_strong(os.path.join(tmp, 'results'))
            test_results_bad(os.path.join(tmp, 'results-bad'))
    test_sample_data()
    print(f'{len(failures)} failure(s)')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
