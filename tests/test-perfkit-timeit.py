#!/usr/bin/env python3
"""perfkit-timeit end to end: every option and every bad input.

Commands are short (true, sleep 0.01, echo into a counter file) and run a
few times each; --prepare and --conclude are counted exactly through files
they append to. The exports are parsed with Python's own json and csv, and
the hyperfine-shaped JSON is also read back by libperfkit (read-results).
--lib uses the workshop's shared object (timeit-workshop.c) and a library
without the symbols. SIGINT is sent while a long run is under way: exit
130, the report printed and the files written. No timing is asserted;
times are only checked to be finite and >= 0.
Usage: test-perfkit-timeit.py PERFKIT_TIMEIT READ_RESULTS WORKSHOP_LIB
"""
import csv
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

EXE, READER, WORKSHOP = sys.argv[1], sys.argv[2], sys.argv[3]
COMPARE = sys.argv[4] if len(sys.argv) > 4 else None
TIMEOUT = 240  # a loaded 2-core machine; never a measurement
failures = []
TMP = tempfile.mkdtemp(prefix='test-timeit-')


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)
    return cond


def run(args, env=None):
    p = subprocess.run([EXE] + args, capture_output=True, text=True,
                       timeout=TIMEOUT, env=env)
    return p.returncode, p.stdout, p.stderr


def tmp(name):
    return os.path.join(TMP, name)


def lines_in(path):
    try:
        with open(path) as f:
            return len(f.readlines())
    except FileNotFoundError:
        return 0


def expect_ok(args, needles=()):
    rc, out, err = run(args)
    check(rc == 0, f'{args}: exit {rc}, stderr {err!r}')
    for n in needles:
        check(n in out, f'{args}: output lacks {n!r}:\n{out}')
    return out


def expect_error(args, needles, status=2):
    rc, out, err = run(args)
    check(rc == status, f'{args}: exit {rc}, want {status}; stderr {err!r}')
    check(err.startswith('perfkit-timeit: '),
          f'{args}: stderr {err!r} is not the program\'s message')
    for n in needles:
        check(n in err, f'{args}: stderr {err!r} lacks {n!r}')
    return out


def test_two_commands():
    out = expect_ok(['-N', '--runs', '5', 'true', 'sleep 0.02'],
                    ['No shell (-N)', 'Benchmark 1: true',
                     'Benchmark 2: sleep 0.02', 'Time (median, 95% CI)',
                     'Time (mean ± σ)', 'Range (min … max)', 'User, System',
                     'Runs:     5, stopped by runs', "'true' ran",
                     "times faster than 'sleep 0.02'"])
    check('nan' not in out.lower(), f'NaN printed:\n{out}')


def test_shell_spawn_subtracted():
    expect_ok(['--runs', '3', 'sleep 0.01'],
              ['Shell: sh -c', 'is subtracted from every run',
               'median of 50 runs'])
    expect_ok(['-S', 'bash', '--runs', '3', 'sleep 0.01'], ['Shell: bash -c'])
    expect_ok(['--shell=none', '--runs', '2', 'true'], ['No shell (-N)'])
    # a command faster than the shell itself is flagged, and only then
    # (whether ':' is faster depends on the load: check the consistency)
    out = expect_ok(['--runs', '3', ':'])
    spawn = re.search(r'\n  ([0-9.e+-]+) ms wall', out)
    med = re.search(r'Time \(median, 95% CI\): +([0-9.e+-]+) (s|ms|us|ns)',
                    out)
    if check(spawn and med, f'no spawn cost or median in:\n{out}'):
        scale = {'s': 1e3, 'ms': 1, 'us': 1e-3, 'ns': 1e-6}[med.group(2)]
        below = float(med.group(1)) * scale < float(spawn.group(1))
        check(below == ('less time than starting the shell' in out),
              f'the spawn warning does not match the times:\n{out}')


def test_prepare_conclude_warmup():
    p, c, r = tmp('prep'), tmp('conc'), tmp('runs')
    expect_ok(['--warmup', '2', '--runs', '4', '--prepare', f'echo >> {p}',
               '--conclude', f'echo >> {c}', f'echo >> {r}'],
              ['Runs:     4'])
    check(lines_in(p) == 6 and lines_in(c) == 6 and lines_in(r) == 6,
          f'2 warm-up + 4 runs: prepare {lines_in(p)}, conclude '
          f'{lines_in(c)}, command {lines_in(r)}, want 6 each')
    # one --prepare per command
    a, b = tmp('pa'), tmp('pb')
    expect_ok(['--runs', '2', '-p', f'echo >> {a}', '-p', f'echo >> {b}',
               'true', 'true'])
    check(lines_in(a) == 2 and lines_in(b) == 2,
          f'one prepare each: {lines_in(a)}, {lines_in(b)}, want 2, 2')
    expect_error(['-p', 'true', '-p', 'true', '-p', 'true', 'a', 'b'],
                 ['--prepare', 'one per command (2), not 3'])
    expect_error(['-c', 'true', '-c', 'true', 'a', 'b', 'c'],
                 ['--conclude', 'one per command (3), not 2'])
    expect_error(['--runs', '2', '-p', 'false', 'true'],
                 ["--prepare 'false' exited with status 1"], status=1)


def test_stop_rules():
    out = expect_ok(['-N', '--min-runs', '3', '--min-time', '0.2',
                     'sleep 0.01'], ['stopped by min-time'])
    expect_ok(['-N', '--max-runs', '4', '--min-time', '100', 'true'],
              ['Runs:     4, stopped by max-runs'])
    out = expect_ok(['-N', '--rel-ci', '0.5', '--max-time', '5',
                     'sleep 0.01'])
    check('stopped by precision' in out or 'stopped by max-time' in out,
          f'--rel-ci: no precision/max-time stop:\n{out}')
    expect_error(['--runs', '3', '--rel-ci', '0.1', 'true'],
                 ['--runs fixes the count'])
    expect_error(['--min-runs', '5', '--max-runs', '2', 'true'],
                 ['--min-runs (5) is above --max-runs (2)'])
    expect_error(['--max-time', '3', 'true'], ['--max-time', '--rel-ci'])
    expect_error(['--min-time', '-1', 'true'], ["--min-time '-1'"])
    expect_error(['--runs', '0', 'true'], ["--runs '0'"])


def test_failures():
    expect_error(['--runs', '3', 'false'],
                 ["command 'false' exited with status 1",
                  '--ignore-failure'], status=1)
    out = expect_ok(['-i', '--runs', '3', 'false'],
                    ['(non-zero exit status ignored)'])
    expect_ok(['-N', '--ignore-failure', '--runs', '2', 'false'])
    expect_error(['--runs', '2', 'kill -9 $$'], ['ended by signal 9'],
                 status=1)


def test_bad_commands():
    expect_error(['-N', 'no-such-command-x1'],
                 ["command not found: 'no-such-command-x1'"])
    expect_error(['no-such-command-x1'],
                 ["'no-such-command-x1': command not found"])
    expect_error(['-N', 'true', '-p', 'no-such-x2'],
                 ["--prepare 'no-such-x2': command not found"])
    expect_error(['-N', '/etc/passwd'], ["command not found: '/etc/passwd'"])
    expect_error([''], ['command 1 is empty'])
    expect_error(['true', '   '], ['command 2 is empty'])
    expect_error(['-N', "echo 'open"], ['a quote is not closed'])
    expect_error(['-S', 'no-such-shell', 'true'], ['no-such-shell'])
    expect_error(['--shell', '', 'true'], ["--shell ''"])
    expect_error(['--prepare', '', 'true'], ["--prepare ''"])
    expect_error([], ['no command to time'])
    expect_error(['--warmup', '-2', 'true'], ["--warmup '-2'", 'negative'])


def test_show_output():
    # the quotes keep the command's name from matching its output
    out = expect_ok(['-N', '--runs', '1', '--show-output', 'echo hel"lo"-x'])
    check('hello-x' in out, '--show-output: the output is not shown')
    out = expect_ok(['-N', '--runs', '1', 'echo hel"lo"-y'])
    check('hello-y' not in out, 'without --show-output the output is shown')


def test_parameters():
    out = expect_ok(['-N', '--runs', '3', '-P', 'n', '1', '3',
                     'sleep 0.0{n}'],
                    ['Benchmark 1: sleep 0.01', 'Benchmark 3: sleep 0.03',
                     "Complexity of 'sleep 0.0{n}' in n:"])
    out = expect_ok(['-N', '--runs', '2', '--parameter-scan', 'n', '2', '6',
                     '--parameter-step', '2', 'sleep 0.0{n}'],
                    ['sleep 0.02', 'sleep 0.04', 'sleep 0.06'])
    check('Benchmark 4' not in out, f'step 2 from 2 to 6: 3 values\n{out}')
    out = expect_ok(['-N', '--runs', '2', '-L', 'cmd', 'true,false',
                     '-i', '{cmd}'], ['Benchmark 1: true',
                                      'Benchmark 2: false'])
    check('Complexity' not in out, 'a list of words was fitted')
    expect_error(['-P', 'n', '5', '1', 'true'], ['MAX (1) is below MIN (5)'])
    expect_error(['-P', 'n', '1', 'x', 'true'], ["MAX 'x'"])
    expect_error(['-P', 'n', '1', '1e6', 'true'], ['at most 1000'])
    expect_error(['-P', 'n'], ['needs VAR MIN MAX'])
    expect_error(['-D', '2', 'true'], ['--parameter-step needs'])
    expect_error(['-P', 'n', '1', '2', '-D', '-1', 'true'],
                 ["--parameter-step '-1'"])
    expect_error(['-L', 'x', 'a,,b', 'true'], ['no empty value'])
    expect_error(['-L', 'x', 'a', '-P', 'n', '1', '2', 'true'],
                 ['only one parameter'])
    expect_error(['-L', '{x}', 'a', 'true'], ['a parameter name'])


def test_exports():
    js, jl, cs = tmp('o.json'), tmp('o.jsonl'), tmp('o.csv')
    md, hf = tmp('o.md'), tmp('hf.json')
    for path in (js, jl, cs):
        expect_ok(['-N', '--runs', '3', '-L', 'd', '0.01,0.02',
                   '--outfile', path, 'sleep {d}'])
    with open(js) as f:
        d = json.load(f)
    recs = d['records']
    check(len(recs) == 6, f'--outfile .json: {len(recs)} records, want 6')
    check(d['meta'].get('tool') == 'perfkit-timeit', f'meta {d["meta"]}')
    check(all(r['elapsed'] >= 0 and math.isfinite(r['elapsed'])
              for r in recs), 'elapsed not finite and >= 0')
    check({r['name'] for r in recs} == {'sleep 0.01', 'sleep 0.02'},
          'record names')
    with open(jl) as f:
        rows = [json.loads(x) for x in f if x.strip()]
    check(len(rows) == 7, f'--outfile .jsonl: {len(rows)} lines, want 7')
    with open(cs) as f:
        body = [x for x in f if not x.startswith('#')]
    check(len(list(csv.DictReader(body))) == 6, '--outfile .csv: 6 rows')

    expect_ok(['-N', '--runs', '3', '--export-markdown', md,
               '--export-json', hf, 'true', 'sleep 0.01'])
    with open(md) as f:
        table = f.read().splitlines()
    check(len(table) == 4 and table[0].startswith('| Command |')
          and '1.00' in ''.join(table), f'markdown:\n{table}')
    with open(hf) as f:
        h = json.load(f)
    res = h['results']
    keys = {'command', 'mean', 'stddev', 'median', 'user', 'system', 'min',
            'max', 'times', 'exit_codes', 'parameters'}
    check(len(res) == 2 and all(keys <= set(r) for r in res),
          f'hyperfine JSON keys: {[sorted(r) for r in res]}')
    check(all(len(r['times']) == 3 and r['exit_codes'] == [0, 0, 0]
              for r in res), 'hyperfine JSON: 3 times, 3 zero exit codes')
    p = subprocess.run([READER, hf], capture_output=True, text=True,
                       timeout=60)
    check(p.returncode == 0 and 'records 6' in p.stdout,
          f'libperfkit reads the hyperfine JSON: {p.stdout} {p.stderr}')
    expect_error(['--outfile', tmp('x.txt'), 'true'], ['.csv, .json'])
    expect_error(['--outfile', '/no/such/dir/x.json', 'true'], ['--outfile'])
    expect_error(['--export-json', '/no/such/dir/x.json', 'true'],
                 ['--export-json'])
    expect_error(['--export-markdown', '/no/such/dir/x.md', 'true'],
                 ['--export-markdown'])


def test_functions():
    base = ['--lib', WORKSHOP, '--setup', 'sum_setup', '--arg', '2000',
            '--max-time', '0.3']
    out = expect_ok(base + ['--func', 'sum_naive', '--func', 'sum_simd'],
                    ['Benchmark 1: sum_naive', 'Benchmark 2: sum_simd',
                     'Time per call', 'calls each', 'times faster than'])
    out = expect_ok(['--lib', WORKSHOP, '--setup', 'sum_setup', '--arg',
                     '{n}', '-P', 'n', '1000', '4000', '-D', '1000',
                     '--max-time', '0.1', '--func', 'sum_simd'],
                    ["Complexity of 'sum_simd' in n:"])
    hf = tmp('func.json')
    expect_ok(base + ['--runs', '5', '--func', 'sum_simd',
                      '--export-json', hf])
    with open(hf) as f:
        r = json.load(f)['results'][0]
    check(len(r['times']) == 5 and r['user'] is None and r['loops'] >= 1,
          f'--lib --export-json: {r}')
    expect_error(['--lib', tmp('no-such.so'), '--func', 'f'],
                 ['cannot load --lib'])
    expect_error(['--lib', WORKSHOP, '--func', 'no_such_fn'],
                 ["no function 'no_such_fn'"])
    expect_error(['--lib', WORKSHOP, '--setup', 'no_setup', '--func',
                  'sum_simd'], ["no function 'no_setup'"])
    expect_error(['--lib', WORKSHOP], ['--lib needs at least one --func'])
    expect_error(['--lib', WORKSHOP, '--func', 'f', 'true'],
                 ['not commands'])
    expect_error(['--func', 'f', 'true'], ['need --lib'])
    expect_error(['--lib', WORKSHOP, '--func', 'f', '-p', 'x'],
                 ['apply to commands'])
    expect_error(['--lib', '', '--func', 'f'], ["--lib ''"])
    expect_error(['--lib', WORKSHOP, '--func', 'f', '--sample-time', '0'],
                 ["--sample-time '0'"])


def test_sigint():
    out_json, hf = tmp('sig.json'), tmp('sig-hf.json')
    p = subprocess.Popen([EXE, '-N', '--runs', '100000', '--outfile',
                          out_json, '--export-json', hf, 'sleep 0.02'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=TIMEOUT)
    check(p.returncode == 130, f'SIGINT: exit {p.returncode}, want 130')
    check('SIGINT' in err, f'SIGINT: stderr {err!r}')
    check('stopped by signal' in out, f'SIGINT: no report:\n{out}')
    try:
        with open(out_json) as f:
            n = len(json.load(f)['records'])
        with open(hf) as f:
            m = len(json.load(f)['results'][0]['times'])
        check(n >= 1 and n == m, f'SIGINT: {n} records, {m} times')
    except (OSError, ValueError, KeyError, IndexError) as e:
        check(False, f'SIGINT: files not written: {e}')


def test_compare_files():
    """perfkit-compare reads perfkit-timeit's files: the same command
    (named 'sleep $D', D from the environment) 5 times slower in NEW is
    flagged slower; a file against itself shows no difference."""
    if not COMPARE:
        return
    old, new = tmp('cmp-old.json'), tmp('cmp-new.json')
    for path, d in ((old, '0.01'), (new, '0.05')):
        rc, out, err = run(['--runs', '10', '--outfile', path, 'sleep $D'],
                           env=dict(os.environ, D=d))
        check(rc == 0, f'compare files: timeit exit {rc}: {err!r}')
    p = subprocess.run([COMPARE, old, new], capture_output=True, text=True,
                       timeout=TIMEOUT)
    check(p.returncode == 0, f'perfkit-compare exit {p.returncode}: {p.stderr!r}')
    check('sleep $D' in p.stdout and 'slower' in p.stdout,
          f'perfkit-compare on timeit files:\n{p.stdout}')
    p = subprocess.run([COMPARE, old, old], capture_output=True, text=True,
                       timeout=TIMEOUT)
    check(p.returncode == 0 and 'no difference found' in p.stdout,
          f'perfkit-compare of a timeit file with itself:\n{p.stdout}{p.stderr}')


for t in (test_compare_files, test_two_commands, test_shell_spawn_subtracted,
          test_prepare_conclude_warmup, test_stop_rules, test_failures,
          test_bad_commands, test_show_output, test_parameters,
          test_exports, test_functions, test_sigint):
    t()
print(f'{len(failures)} failures' if failures else 'all checks passed')
sys.exit(1 if failures else 0)
