#!/usr/bin/env python3
"""perfkit-compare end to end. No timing is asserted: verdicts are checked
only on files whose values the test writes itself.

Usage: test-perfkit-compare.py COMPARE MAKE_RESULTS FLOPS [GBENCH_SAMPLE]
       test-perfkit-compare.py COMPARE MAKE_RESULTS --hyperfine
The second form runs the real hyperfine and exits 77 (skipped) without it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

COMPARE, MAKE = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(args, timeout=120):
    p = subprocess.run([COMPARE] + args, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def make(path, lines):
    p = subprocess.run([MAKE, path], input='\n'.join(lines) + '\n',
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def series(name, scale=1.0, extra='', n=10):
    """n records of 1.00, 1.01, ... s (times scale) per repetition."""
    return [f'name={name} repetitions=1 elapsed={scale * (1 + 0.01 * i)!r}'
            + (' ' + extra if extra else '') for i in range(n)]


def verdicts(out):
    """{benchmark label: verdict} from the text table."""
    rows = {}
    for line in out.splitlines()[1:]:
        if not line.strip():
            break
        for v in ('no difference found', 'slower', 'faster',
                  'too few samples'):
            if line.endswith(v):
                rows[line.split('  ')[0].strip()] = v
    return rows


def expect_usage_error(args, needles):
    rc, out, err = run(args)
    check(rc == 2, f'{args}: exit {rc}, want 2; stderr {err!r}')
    check(err.startswith('perfkit-compare: ') and err.count('\n') == 1,
          f'{args}: want one line on stderr, got {err!r}')
    for n in needles:
        check(n in err, f'{args}: stderr {err!r} lacks {n!r}')


def test_made_files(d):
    old, same, slow = (os.path.join(d, f) for f in
                       ('old.json', 'same.json', 'slow.json'))
    base = series('a') + series('b', extra='x=1') + series('c')
    make(old, base)
    make(same, base)
    make(slow, series('a') + series('b', 1.1, 'x=1') + series('c'))

    rc, out, err = run([old, same])
    check(rc == 0 and err == '', f'identical: exit {rc}, stderr {err!r}')
    v = verdicts(out)
    check(v == {'a': 'no difference found', 'b [x=1]': 'no difference found',
                'c': 'no difference found'}, f'identical: {v} from {out}')

    rc, out, err = run([old, slow])
    v = verdicts(out)
    check(rc == 0, f'slower: exit {rc}, {err!r}')
    check(v == {'a': 'no difference found', 'b [x=1]': 'slower',
                'c': 'no difference found'}, f'10 % slower: {v} from {out}')
    check('1.100' in out, f'ratio 1.100 not printed: {out}')
    check('1 slower, 0 faster, 2 no difference found' in out, out)

    # the same sets in CSV and JSON Lines compare alike
    make(os.path.join(d, 'old.csv'), base)
    make(os.path.join(d, 'slow.jsonl'),
         series('a') + series('b', 1.1, 'x=1') + series('c'))
    rc, out2, err = run([os.path.join(d, 'old.csv'),
                         os.path.join(d, 'slow.jsonl')])
    check(rc == 0 and verdicts(out2) == v, f'csv/jsonl: {rc} {out2} {err}')

    # --fail-on-regression
    rc, out, err = run(['--fail-on-regression', '5%', old, slow])
    check(rc == 1 and 'regression: b is 10.0% slower' in err,
          f'--fail-on-regression 5%: exit {rc}, {err!r}')
    rc, out, err = run(['--fail-on-regression', '20', old, slow])
    check(rc == 0 and err == '', f'--fail-on-regression 20: {rc} {err!r}')
    rc, out, err = run(['--fail-on-regression', '5%', old, same])
    check(rc == 0, f'--fail-on-regression on equal files: {rc} {err!r}')

    # --markdown and --outfile
    res = os.path.join(d, 'cmp.json')
    rc, out, err = run(['--markdown', '--outfile', res, old, slow])
    check(rc == 0 and out.startswith('| benchmark | n old/new |'),
          f'--markdown: {rc} {out[:80]!r}')
    check('| b [x=1] | 10/10 |' in out, f'markdown row: {out}')
    with open(res) as f:
        doc = json.load(f)
    got = {r['name']: (r['verdict'], r.get('params', {})) for r in
           doc['records']}
    check(got == {'a': ('no difference found', {}),
                  'b': ('slower', {'x': '1'}),
                  'c': ('no difference found', {})}, f'--outfile: {got}')
    check(doc['meta']['compare.metric'] == 'time', doc['meta'])

    # two groups of one file
    grp = os.path.join(d, 'groups.json')
    make(grp, series('k', extra='version=v1') +
         series('k', 1.1, 'version=v2'))
    rc, out, err = run(['--group', 'version=v1,v2', grp])
    check(rc == 0 and verdicts(out) == {'k': 'slower'},
          f'--group: {rc} {out} {err}')

    # bad input: a clear line and exit 2
    expect_usage_error([old, os.path.join(d, 'missing.json')],
                       ['missing.json', 'No such file'])
    other = os.path.join(d, 'other.json')
    make(other, series('z'))
    expect_usage_error([old, other], ['no benchmark is in both sets'])
    one_a, one_b = os.path.join(d, 'one-a.json'), os.path.join(d, 'one-b.json')
    make(one_a, series('a', n=1))
    make(one_b, series('a', 1.5, n=1))
    expect_usage_error([one_a, one_b], ['two values or more on each side'])
    broken = os.path.join(d, 'broken.json')
    with open(broken, 'w') as f:
        f.write('{"results": [{"command": "x", "times": [1, "2"]}]}')
    expect_usage_error([broken, broken],
                       ['hyperfine JSON: line 1', 'results[0].times'])


def test_flops(d, flops):
    files = []
    for k in range(2):
        out = os.path.join(d, f'flops{k}.json')
        p = subprocess.run([flops, '-k', 'compute_flops', '-n', '64', '-l',
                            '2', '-w', '2', '--placement', 'none',
                            '--peak-time', '0', '-o', out],
                           capture_output=True, text=True, timeout=120)
        check(p.returncode == 0, f'perfkit-flops: {p.returncode} {p.stderr}')
        files.append(out)
    for metric in ('time', 'gflops'):
        rc, out, err = run(['--metric', metric] + files)
        check(rc == 0 and 'compute_flops n=64' in out,
              f'perfkit-flops files, {metric}: {rc} {out} {err}')


def test_gbench(d, sample):
    files = []
    for k in range(2):
        out = os.path.join(d, f'gb{k}.json')
        p = subprocess.run([sample, '--benchmark_repetitions=5',
                            '--benchmark_min_time=0.01',
                            f'--benchmark_out={out}',
                            '--benchmark_out_format=json'],
                           capture_output=True, text=True, timeout=120)
        check(p.returncode == 0, f'gbench-sample: {p.returncode} {p.stderr}')
        files.append(out)
    rc, out, err = run(files)
    check(rc == 0 and 'BM_sum/64' in out and 'BM_sum/512' in out and
          '5/5' in out, f'Google Benchmark files: {rc} {out} {err}')
    rc, out, err = run([files[0], files[0]])
    check(rc == 0 and set(verdicts(out).values()) == {'no difference found'},
          f'a Google Benchmark file against itself: {out}')


def test_hyperfine(d):
    hf = shutil.which('hyperfine')
    if not hf:
        print('hyperfine not found: skipped')
        sys.exit(77)
    files = []
    for k in range(2):
        out = os.path.join(d, f'hf{k}.json')
        p = subprocess.run([hf, '-N', '--runs', '5', '--style', 'none',
                            '--export-json', out, '-P', 'n', '1', '2',
                            'true {n}'],
                           capture_output=True, text=True, timeout=120)
        check(p.returncode == 0, f'hyperfine: {p.returncode} {p.stderr}')
        files.append(out)
    rc, out, err = run(files)
    check(rc == 0 and 'true 1 [n=1]' in out and 'true 2 [n=2]' in out and
          '5/5' in out, f'hyperfine files: {rc} {out} {err}')
    # a perfkit file and a hyperfine file compare when they name the same
    pk = os.path.join(d, 'pk.json')
    make(pk, [f'name=true repetitions=1 elapsed={0.001 * (1 + i / 100)!r}'
              for i in range(5)])
    with open(files[0]) as f:
        doc = json.load(f)
    doc['results'] = [dict(doc['results'][0], command='true')]
    doc['results'][0].pop('parameters', None)
    one = os.path.join(d, 'hf-true.json')
    with open(one, 'w') as f:
        json.dump(doc, f)
    rc, out, err = run([pk, one])
    check(rc == 0 and out.startswith('benchmark') and '\ntrue ' in out,
          f'perfkit vs hyperfine: {rc} {out} {err}')


with tempfile.TemporaryDirectory() as d:
    if sys.argv[3] == '--hyperfine':
        test_hyperfine(d)
    else:
        test_made_files(d)
        test_flops(d, sys.argv[3])
        if len(sys.argv) > 4:
            test_gbench(d, sys.argv[4])
        else:
            print('Google Benchmark not built: its files are not tested')
print(f'{len(failures)} failures' if failures else 'all checks passed')
sys.exit(1 if failures else 0)
