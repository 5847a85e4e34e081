#!/usr/bin/env python3
"""perfkit-regions end to end: the three variants' reports, the trace (a
JSON schema check, every B with its E, loaded with the json module), the
profiles as records, the temporary folder removed, PERFKIT_TRACE at exit,
SIGINT, and bad options (exit 2, one line, nothing written).
Usage: test-perfkit-regions.py PERFKIT_REGIONS
"""
import glob
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_check  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(args, cwd, env=None, timeout=120):
    p = subprocess.run([EXE] + args, capture_output=True, text=True, cwd=cwd,
                       env=dict(os.environ, **(env or {})), timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def trace_ok(path, what):
    """Schema, nesting; returns the parsed trace or None."""
    doc, problems, begins = trace_check.check_file(path)
    for p in problems:
        check(False, f'{what}: {p}')
    check(doc is None or sum(begins.values()) > 0, f'{what}: no B events')
    return doc


def temp_folders():
    return set(glob.glob('/tmp/perfkit-regions-*'))


def test_three_variants(tmp):
    before = temp_folders()
    rc, out, err = run(['-n', '3', '-s', '20', '--trace', 't.json',
                        '-o', 'prof.json'], tmp)
    check(rc == 0 and err == '', f'run: rc {rc}, err {err!r}')
    for v in ('slow', 'vectorized', 'binary'):
        check(f'## {v}: 3 files of 20 x 20 values' in out, f'no report of {v}')
    check(out.count('sorted by tottime') == 3, 'not three reports by tottime')
    check('callers (<-) and callees (->)' in out, 'no callers and callees')
    check(re.search(r'^  <- +1200 .*generate_loop$', out, re.M),
          'generate_data under generate_loop: 1200 calls')
    check('faster than slow' in out, 'no comparison of the variants')
    check(temp_folders() <= before, 'the temporary folder is left behind')
    doc = trace_ok(os.path.join(tmp, 't.json'), 'three variants')
    if doc:
        names = {e['name'] for e in doc['traceEvents'] if e['ph'] == 'B'}
        check({'slow', 'vectorized', 'binary', 'write_data', 'savetxt', 'save',
               'open'} <= names, f'trace names {names}')
        # the per-value regions (< 1 us) are filtered out by default
        check(doc['otherData']['filtered'] >= 1000 and
              doc['otherData']['dropped'] == 0, f'otherData {doc["otherData"]}')
        args = [e['args'] for e in doc['traceEvents']
                if e['ph'] == 'B' and e['name'] == 'write_data']
        check(len(args) == 9 and args[0] == {'file': 0} and args[2] == {'file': 2},
              f'write_data args {args[:3]}')
        meta = [e for e in doc['traceEvents'] if e['ph'] == 'M']
        check(any(e['name'] == 'process_name' and
                  e['args']['name'] == 'perfkit-regions' for e in meta),
              f'process name {meta}')
    with open(os.path.join(tmp, 'prof.json'), encoding='utf-8') as f:
        prof = json.load(f)
    text = json.dumps(prof)
    for v in ('slow', 'vectorized', 'binary'):
        check(f'"{v}"' in text, f'profile {v} not in the records')
    check('"cumtime"' in text and '"edge"' in text, 'records lack cumtime or edges')


def test_sort_and_variant(tmp):
    rc, out, _ = run(['-n', '2', '-s', '8', '--variant', 'binary', '--sort', 'name',
                      '--trace', 'b.json'], tmp)
    check(rc == 0, f'--variant binary: rc {rc}')
    check('## slow' not in out and '## binary' in out, 'only binary runs')
    rows = [line.split()[-1] for line in out.splitlines()
            if line[:1] == ' ' and line.split()[0].isdigit()]
    check(rows == sorted(rows) and rows, f'--sort name order {rows}')
    check('sorted by name' in out, 'the header names the order')
    check(os.path.exists(os.path.join(tmp, 'b.json')), 'trace written')


def test_default_trace_path(tmp):
    d = tempfile.mkdtemp(dir=tmp)
    rc, _, _ = run(['-n', '1', '-s', '4'], d)
    check(rc == 0, f'default run: rc {rc}')
    trace_ok(os.path.join(d, 'perfkit-regions-trace.json'), 'default path')


def test_environment(tmp):
    rc, _, err = run(['-n', '1', '-s', '4', '--variant', 'binary', '--trace', 'own.json'],
                     tmp, {'PERFKIT_TRACE': 'env.json'})
    check(rc == 0 and err == '', f'PERFKIT_TRACE: rc {rc}, err {err!r}')
    trace_ok(os.path.join(tmp, 'env.json'), 'PERFKIT_TRACE')
    rc, _, err = run(['-n', '1', '-s', '4', '--trace', 'own2.json'], tmp,
                     {'PERFKIT_TRACE': 'env2.json', 'PERFKIT_TRACE_EVENTS': 'abc'})
    check(rc == 0 and "PERFKIT_TRACE_EVENTS='abc'" in err and
          not os.path.exists(os.path.join(tmp, 'env2.json')),
          f'bad PERFKIT_TRACE_EVENTS: rc {rc}, err {err!r}')
    rc, _, err = run(['-n', '1', '-s', '4', '--trace', 'own3.json'], tmp,
                     {'PERFKIT_TRACE': '/nonexistent-pk/env.json'})
    check(rc == 0 and 'libperfkit: PERFKIT_TRACE:' in err and
          '/nonexistent-pk/env.json' in err, f'unwritable PERFKIT_TRACE: {err!r}')


def test_signals(tmp):
    for sig, name, status in ((signal.SIGINT, 'SIGINT', 130),
                              (signal.SIGTERM, 'SIGTERM', 143)):
        trace = f'{name}.json'
        p = subprocess.Popen([EXE, '-n', '100000', '-s', '64', '--variant', 'binary',
                              '--trace', trace, '-o', f'{name}-prof.json'], cwd=tmp,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, PERFKIT_TRACE=f'{name}-env.json'))
        time.sleep(1.5)
        p.send_signal(sig)
        out, err = p.communicate(timeout=120)
        check(p.returncode == status, f'{name}: rc {p.returncode}, err {err!r}')
        check(name in err and '## binary' in out, f'{name} report: {err!r}')
        trace_ok(os.path.join(tmp, trace), f'after {name}')
        trace_ok(os.path.join(tmp, f'{name}-env.json'), f'PERFKIT_TRACE after {name}')
        check(os.path.exists(os.path.join(tmp, f'{name}-prof.json')),
              f'{name}: profiles not written')


def test_repeat(tmp):
    rc, out, _ = run(['-n', '2', '-s', '8', '-r', '3', '--variant', 'vectorized',
                      '--trace', 'r.json', '-o', 'r.csv'], tmp)
    check(rc == 0 and '(the last run)' in out, f'--repeat: rc {rc}')
    with open(os.path.join(tmp, 'r.csv'), encoding='utf-8') as f:
        rows = [line for line in f if line.strip() and not line.startswith('#')]
    # 5 names and 5 caller-callee pairs per run, 3 runs, and a header
    check(len(rows) == 3 * 10 + 1, f'--repeat 3: {len(rows)} CSV lines')


BAD = [
    (['--variant', 'fast'], "--variant 'fast'"),
    (['--sort', 'time'], "--sort 'time'"),
    (['--trace-events', '0'], "--trace-events '0'"),
    (['--trace-events', '99999999999'], "--trace-events '99999999999'"),
    (['--trace-min-us', '-1'], "--trace-min-us '-1'"),
    (['--trace-min-us', 'nan'], "--trace-min-us 'nan'"),
    (['--trace', '/nonexistent-pk/t.json'], '--trace /nonexistent-pk/t.json'),
    (['--trace', '.'], '--trace .'),
    (['-o', '/nonexistent-pk/p.json'], '--outfile /nonexistent-pk/p.json'),
    (['-n', '0'], "-n '0'"),
    (['-r', '0'], "-r '0'"),
    (['--repeat', '1001'], "-r '1001'"),
    (['--trace'], "'--trace'"),
    (['stray'], "unexpected argument 'stray'"),
    (['--bogus'], "'--bogus'"),
]


def test_bad_options(tmp):
    d = tempfile.mkdtemp(dir=tmp)
    for args, words in BAD:
        rc, out, err = run(args, d)
        check(rc == 2 and out == '' and err.count('\n') == 1 and words in err,
              f'{args}: rc {rc}, err {err!r}')
    check(os.listdir(d) == [], f'bad options wrote {os.listdir(d)}')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for t in (test_three_variants, test_sort_and_variant, test_default_trace_path,
                  test_environment, test_signals, test_repeat, test_bad_options):
            t(tmp)
    if failures:
        print(f'{len(failures)} failure(s)')
        return 1
    print('ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
