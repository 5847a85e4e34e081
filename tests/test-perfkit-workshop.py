#!/usr/bin/env python3
"""perfkit-workshop end to end: both studies on small sizes into a folder
the test owns (left empty, or with --keep holding the files), the tables'
columns, and bad command lines (exit 2, one line, nothing run). No timing
is asserted: rates are only checked positive and finite.

Usage: test-perfkit-workshop.py WORKSHOP
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(args, timeout=240):
    p = subprocess.run([EXE] + args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def rows(out, first):
    """Lines of a table whose first column is in @first, split."""
    return [l.split() for l in out.splitlines() if l.split()[:1] and l.split()[0] in first]


def test_io(folder):
    rc, out, err = run(['--study', 'io', '--sizes', '8,20', '--files', '5',
                        '--folder', folder])
    check(rc == 0, f'io: exit {rc}: {err}')
    got = rows(out, {'write-text', 'write-binary', 'write-hdf5'})
    measured = [r for r in got if len(r) == 6]
    check(len(measured) >= 4, f'io: want text and binary rows for 2 sizes: {out}')
    for r in measured:
        sec, files_s, mb_s = float(r[2]), float(r[3]), float(r[4])
        check(sec > 0 and math.isfinite(files_s) and files_s > 0 and mb_s > 0,
              f'io: bad figures {r}')
    check(os.listdir(folder) == [], f'io: files left without --keep: {os.listdir(folder)}')
    rc, out, err = run(['--study', 'io', '--sizes', '8', '--files', '3',
                        '--folder', folder, '--keep'])
    names = os.listdir(folder)
    check(rc == 0 and sum(n.endswith('.txt') for n in names) == 3 and
          sum(n.endswith('.bin') for n in names) == 3,
          f'io --keep: {rc} {err} {names}')
    for n in names:
        os.unlink(os.path.join(folder, n))


def test_queue(folder):
    rc, out, err = run(['--study', 'queue', '--sizes', '10', '--files', '12',
                        '-w', '1,3', '--folder', folder])
    check(rc == 0, f'queue: exit {rc}: {err}')
    got = rows(out, {'threads', 'processes'})
    check(len(got) == 4, f'queue: want 2 modes x 2 worker counts: {out}')
    for r in got:
        check(len(r) == 8 and float(r[2]) > 0 and r[7] == '0',
              f'queue: bad row {r}')
    check(os.listdir(folder) == [], 'queue: files left')
    rc, out, err = run(['--study', 'queue', '--files', '4', '-w', '2',
                        '--mode', 'processes', '--kernel', 'triad',
                        '--sizes', '1000'])
    check(rc == 0 and len(rows(out, {'processes'})) == 1 and
          not rows(out, {'threads'}), f'queue --mode processes: {rc} {out} {err}')


def test_quick_outfile(folder):
    out = os.path.join(folder, 'q.json')
    rc, text, err = run(['--quick', '--study', 'queue', '-o', out])
    check(rc == 0 and f'Wrote 80 records to {out}' in text, f'--quick -o: {rc} {err}')
    with open(out) as f:
        recs = json.load(f)['records']
    check(len(recs) == 80, f'--outfile: {len(recs)} records')
    for mode in ('threads', 'processes'):
        for w in ('1', '2'):
            mine = [r for r in recs if r['params']['mode'] == mode and
                    r['params']['workers'] == w]
            check(sorted(int(r['params']['task']) for r in mine) == list(range(20)),
                  f'--outfile: {mode} {w}: tasks {[r["params"]["task"] for r in mine]}')
            check(all(r['status'] == 0 and r['items'] == 1 and
                      0 <= r['worker'] < int(w) and
                      float(r['params']['wait_s']) >= 0 for r in mine),
                  f'--outfile: {mode} {w}: bad record')
    os.unlink(out)
    rc, text, err = run(['-o', os.path.join(folder, 'no', 'x.json')])
    check(rc == 2 and '--outfile' in err, f'-o into a missing folder: {rc} {err}')


def test_bad(folder):
    plain = os.path.join(folder, 'plain')
    open(plain, 'w').close()
    cases = [
        (['--study', 'disk'], ["--study 'disk'"]),
        (['--mode', 'fibres'], ["--mode 'fibres'"]),
        (['--files', '0'], ["--files '0'"]),
        (['--files', '-3'], ["--files '-3'"]),
        (['--sizes', '10,,20'], ["--sizes '10,,20'"]),
        (['--sizes', '0'], ["--sizes '0'"]),
        (['--sizes', '1000000'], ["--sizes '1000000'"]),
        (['-w', '0'], ["--workers '0'"]),
        (['-w', '65'], ["--workers '65'"]),
        (['--kernel', 'nope'], ["--kernel 'nope'", 'not a registered kernel']),
        (['--folder', plain], [f"--folder '{plain}'", 'not an existing folder']),
        (['--folder', os.path.join(folder, 'gone')], ['not an existing folder']),
        (['--bogus'], ['--bogus']),
        (['stray'], ["unexpected argument 'stray'"]),
    ]
    for args, needles in cases:
        rc, out, err = run(args, timeout=60)
        check(rc == 2 and out == '' and err.count('\n') == 1 and
              all(n in err for n in needles),
              f'{args}: exit {rc}, out {out[:60]!r}, err {err!r}')
    os.unlink(plain)


def test_unwritable():
    """A write failure mid-run is exit 1 with the kernel's message."""
    if not os.path.exists('/dev/full'):
        return
    d = tempfile.mkdtemp(prefix='pk-workshop-full-')
    try:
        # every file the text writer may name is taken by a folder, so
        # creating it fails: exit 1, a message naming the kernel
        rc, out, err = run(['--study', 'io', '--sizes', '4', '--files', '2',
                            '--folder', d])
        check(rc == 0, f'control run: {rc} {err}')
        os.chmod(d, 0o555)
        if os.geteuid() != 0:
            rc, out, err = run(['--study', 'io', '--sizes', '4', '--files', '2',
                                '--folder', d])
            check(rc == 1 and 'write-text' in err and 'cannot write into' in err,
                  f'unwritable folder: {rc} {err!r}')
    finally:
        os.chmod(d, 0o755)
        shutil.rmtree(d)


def main():
    folder = tempfile.mkdtemp(prefix='pk-workshop-test-')
    try:
        test_io(folder)
        test_queue(folder)
        test_quick_outfile(folder)
        test_bad(folder)
        test_unwritable()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
