#!/usr/bin/env python3
"""perfkit-flops interrupted: what survives SIGKILL, SIGINT and SIGTERM.

A sweep of four one-worker points, each at least 0.5 s long, is started
and watched until its first point is done: in a .jsonl file (its records
are streamed), or on the progress bar drawn on a pseudo-terminal (for .json
and .csv, which are written at the end). Then:
  SIGKILL  the .jsonl keeps the finished records, every line valid JSON,
           the whole file readable by the library (tests/read-results);
  SIGINT   exit 130, the report printed, the finished points written;
  SIGTERM  exit 143, likewise (sent to the process group, as a terminal
           does, with a process per worker).
Bad --outfile and --plot paths exit 2 before anything is measured.
Nothing here asserts a timing: files and output are polled with generous
timeouts, and counts are checked only as far as the order of events
guarantees them.
Usage: test-perfkit-flops-signals.py PERFKIT_FLOPS READ_RESULTS
"""
import json
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results_files import parse_csv, parse_json, parse_jsonl  # noqa: E402

EXE, READER = sys.argv[1], sys.argv[2]
POINTS = 4
SWEEP = ['--sweep-workers=' + ','.join(['1'] * POINTS), '--matn', '64',
         '--min-time', '0.5', '--peak-time', '0']
TIMEOUT = 240  # seconds: for a loaded 2-core machine, never a measurement
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)
    return cond


def wait_until(what, cond, proc):
    """Poll cond() until true; False if the program ended first or the
    generous timeout ran out."""
    end = time.monotonic() + TIMEOUT
    while time.monotonic() < end:
        if cond():
            return True
        if proc.poll() is not None:
            return check(cond(), f'{what}: the program ended first '
                         f'(rc {proc.returncode})')
        time.sleep(0.05)
    return check(False, f'{what}: not within {TIMEOUT} s')


def jsonl_records(path):
    """Records in a .jsonl being written: whole lines after the header."""
    try:
        with open(path) as f:
            lines = f.read().split('\n')
    except FileNotFoundError:
        return 0
    return max(0, len([x for x in lines[:-1] if x.strip()]) - 1)


def finish(proc, out, err):
    try:
        proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        check(False, 'the program did not stop after the signal')
    with open(out) as f:
        stdout = f.read()
    with open(err, errors='replace') as f:
        stderr = f.read()
    return proc.returncode, stdout, stderr


def start(tmp, name, args, stderr=None, **kw):
    out, err = os.path.join(tmp, name + '.out'), os.path.join(tmp, name + '.err')
    with open(out, 'w') as o:
        e = open(err, 'w') if stderr is None else None
        proc = subprocess.Popen([EXE] + args, stdout=o, stderr=e or stderr,
                                stdin=subprocess.DEVNULL, **kw)
        if e:
            e.close()
    return proc, out, err


def read_back(path):
    """The library reads the file: its record lines ('record W S F N w')."""
    p = subprocess.run([READER, path], capture_output=True, text=True,
                       timeout=TIMEOUT)
    check(p.returncode == 0, f'read-results {path}: rc {p.returncode} {p.stderr}')
    return [x.split(' ') for x in p.stdout.splitlines() if x.startswith('record ')]


def check_records(path, recs, lib):
    check(1 <= len(recs) <= POINTS, f'{path}: {len(recs)} records')
    check(len(lib) == len(recs), f'{path}: library read {len(lib)} of {len(recs)}')
    for r in recs:
        check(int(r['status']) == 0 and float(r['elapsed']) > 0,
              f'{path}: record {r}')


def test_sigkill(tmp):
    path = os.path.join(tmp, 'killed.jsonl')
    proc, out, err = start(tmp, 'kill', SWEEP + ['--outfile', path])
    if wait_until('first streamed record', lambda: jsonl_records(path) >= 1, proc):
        proc.send_signal(signal.SIGKILL)
    rc, _, _ = finish(proc, out, err)
    check(rc == -signal.SIGKILL, f'SIGKILL: rc {rc}')
    with open(path) as f:
        text = f.read()
    check(text.endswith('\n'), 'SIGKILL: the file ends in a torn line')
    for i, line in enumerate(text.splitlines()):
        try:
            json.loads(line)
        except ValueError as e:
            check(False, f'SIGKILL: line {i + 1} is not JSON: {e}: {line!r}')
    recs, meta = parse_jsonl(path)
    check(meta.get('harness.kernel') == 'dgemm', f'SIGKILL: header meta {meta}')
    check_records(path, recs, read_back(path))


class Bar:
    """stderr on a pseudo-terminal, so that the progress bar is drawn."""

    def __init__(self):
        self.master, self.slave = pty.openpty()
        self.text = ''

    def seen(self, what):
        while select.select([self.master], [], [], 0)[0]:
            try:
                data = os.read(self.master, 4096)
            except OSError:  # the program closed its side
                break
            if not data:
                break
            self.text += data.decode(errors='replace')
        return what in self.text

    def close(self):
        os.close(self.master)


def interrupt(tmp, name, sig, ext, extra=(), group=False):
    """Run the sweep, signal it once its first point is done, return
    (rc, stdout, stderr, path)."""
    path = os.path.join(tmp, f'{name}.{ext}')
    bar = Bar()
    proc, out, err = start(tmp, name, SWEEP + ['--outfile', path] + list(extra),
                           stderr=bar.slave, start_new_session=group)
    os.close(bar.slave)
    # the progress line, redrawn twice a second, names the point under way:
    # any point after the first means the first is done
    later = [f'point {k} of {POINTS}' for k in range(2, POINTS + 1)]
    if wait_until(f'{name}: first point',
                  lambda: any(bar.seen(w) for w in later), proc):
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    rc, stdout, _ = finish(proc, out, out)
    bar.seen('')  # the rest of stderr
    bar.close()
    return rc, stdout, bar.text, path


def check_interrupted(name, rc, want, stdout, stderr, path, parser):
    signame = signal.Signals(want - 128).name
    check(rc == want, f'{name}: rc {rc}, want {want}: {stderr}')
    check(f'{signame}: ' in stderr and 'reporting and writing what finished' in stderr,
          f'{name}: no stop message: {stderr!r}')
    check('speedup' in stdout and 'efficiency' in stdout,
          f'{name}: no sweep table: {stdout}')
    recs, meta = parser(path)
    check('perfkit-flops' in meta.get('command', ''), f'{name}: command {meta}')
    check(f'Wrote {len(recs)} records to {path}' in stdout, f'{name}: wrote line')
    check_records(path, recs, read_back(path))


def test_sigint(tmp):
    for ext, parser in (('json', parse_json), ('csv', parse_csv),
                        ('jsonl', parse_jsonl)):
        rc, out, err, path = interrupt(tmp, 'int-' + ext, signal.SIGINT, ext)
        check_interrupted('SIGINT ' + ext, rc, 130, out, err, path, parser)


def test_sigterm(tmp):
    rc, out, err, path = interrupt(tmp, 'term', signal.SIGTERM, 'csv')
    check_interrupted('SIGTERM', rc, 143, out, err, path, parse_csv)
    # the whole group, as a terminal's ^C reaches it: the worker processes
    # finish their point instead of dying with it
    rc, out, err, path = interrupt(tmp, 'term-group', signal.SIGTERM, 'json',
                                   ['--mode', 'processes'], group=True)
    check_interrupted('SIGTERM group', rc, 143, out, err, path, parse_json)


def bad_paths(tmp):
    ro = os.path.join(tmp, 'readonly')
    os.mkdir(ro)
    os.chmod(ro, 0o555)
    folder = os.path.join(tmp, 'folder.json')
    os.mkdir(folder)
    cases = [
        (['--outfile', os.path.join(tmp, 'missing', 'x.json')], "folder '"),
        (['--outfile', folder], 'is a folder'),
        (['--outfile', os.path.join(tmp, 'missing', 'x.jsonl')], 'No such file'),
        (['--plot', os.path.join(tmp, 'missing', 'x.png')], 'No such file'),
    ]
    if os.geteuid() != 0:  # root may write anywhere
        cases += [(['--outfile', os.path.join(ro, 'x.csv')], 'cannot write in folder'),
                  (['--plot', os.path.join(ro, 'x.svg')], 'cannot write in folder')]
    return cases


def test_bad_paths(tmp):
    for args, text in bad_paths(tmp):
        p = subprocess.run([EXE] + SWEEP + args, capture_output=True, text=True,
                           timeout=TIMEOUT)
        check(p.returncode == 2, f'{args}: rc {p.returncode}')
        check(text in p.stderr and p.stderr.count('\n') == 1,
              f'{args}: stderr {p.stderr!r} lacks {text!r}')
        check(p.stdout == '', f'{args}: measured: {p.stdout!r}')
        check(not os.path.exists(args[1]) or os.path.isdir(args[1]),
              f'{args}: a file was made')


with tempfile.TemporaryDirectory() as tmp:
    test_bad_paths(tmp)
    test_sigkill(tmp)
    test_sigint(tmp)
    test_sigterm(tmp)
    os.chmod(os.path.join(tmp, 'readonly'), 0o755)
print(f'{len(failures)} failures' if failures else 'all checks passed')
sys.exit(1 if failures else 0)
