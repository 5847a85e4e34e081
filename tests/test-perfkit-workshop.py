#!/usr/bin/env python3
"""perfkit-workshop end to end: the I/O, queue-and-pool and BLAS studies
on small sizes into a folder the test owns (left empty, or with --keep
holding the files), the tables' columns, the fits' lines, --report's
Markdown and PNG files, and bad command lines (exit 2, one line, nothing
run). No timing is asserted: rates are only checked positive and finite.

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
    measured = [r for r in got if len(r) == 7]
    check(len(measured) >= 4, f'io: want text and binary rows for 2 sizes: {out}')
    for r in measured:
        check(r[2] == '5', f'io: F column {r}')
        sec, files_s, mb_s = float(r[3]), float(r[4]), float(r[5])
        check(sec > 0 and math.isfinite(files_s) and files_s > 0 and mb_s > 0,
              f'io: bad figures {r}')
    check(os.listdir(folder) == [], f'io: files left without --keep: {os.listdir(folder)}')
    # each variant profiled by regions: cProfile's columns, F writes of
    # one call each under write_files, one setup, verify and teardown
    check('Profiles by regions' in out and
          out.count('ncalls   tottime_s  percall_us   cumtime_s  percall_us  name') ==
          len(measured), f'io: a profile per variant: {out}')
    prof = [l.split() for l in out.splitlines() if len(l.split()) == 6]
    for name, calls in (('write', '5'), ('write_files', '1'), ('setup', '1'),
                        ('verify', '1'), ('teardown', '1')):
        mine = [p for p in prof if p[5] == name]
        check(len(mine) == len(measured) and all(p[0] == calls for p in mine),
              f'io: profile lines of {name}: {mine}')
    for p in prof:
        check(float(p[1]) >= 0 and float(p[3]) >= float(p[1]), f'io: profile line {p}')
    rc, out, err = run(['--study', 'io', '--sizes', '8', '--files', '3',
                        '--folder', folder, '--keep'])
    names = os.listdir(folder)
    check(rc == 0 and sum(n.endswith('.txt') for n in names) == 3 and
          sum(n.endswith('.bin') for n in names) == 3,
          f'io --keep: {rc} {err} {names}')
    for n in names:
        os.unlink(os.path.join(folder, n))
    # two file counts: each format at each count
    rc, out, err = run(['--study', 'io', '--sizes', '6', '--files', '2,7',
                        '--folder', folder])
    got = [r for r in rows(out, {'write-text', 'write-binary'}) if len(r) == 7]
    check(rc == 0 and sorted(r[2] for r in got) == ['2', '2', '7', '7'],
          f'io --files 2,7: {rc} {err} {out}')


def test_queue(folder):
    rc, out, err = run(['--study', 'queue', '--sizes', '10', '--files', '12',
                        '-w', '1,3', '--folder', folder])
    check(rc == 0, f'queue: exit {rc}: {err}')
    got = rows(out, {'threads', 'processes', 'pool-threads', 'pool-processes'})
    check(len(got) == 8, f'queue: want 4 patterns x 2 worker counts: {out}')
    for r in got:
        check(len(r) == 8 and float(r[2]) > 0 and r[7] == '0',
              f'queue: bad row {r}')
    check('Amdahl needs' not in out and 'USL: no fit: needs 4 worker counts, 2 given' in out,
          f'queue: USL refused with 2 counts: {out}')
    check(out.count('cost per 1,000 files at 0.100 per worker-hour') == 4,
          f'queue: a cost line per pattern: {out}')
    check(os.listdir(folder) == [], 'queue: files left')
    # four counts: Amdahl and USL fitted (or refused with a reason), an
    # optimal count, the cost at the price given
    rc, out, err = run(['--study', 'queue', '--sizes', '10', '--files', '16',
                        '-w', '1,2,3,4', '--mode', 'threads', '--price', '2.5',
                        '--folder', folder])
    check(rc == 0 and len(rows(out, {'threads'})) == 4 and
          len(rows(out, {'pool-threads'})) == 4 and
          not rows(out, {'pool-processes'}), f'queue 4 counts: {rc} {err} {out}')
    for fit in ('Amdahl:', 'USL:', 'optimal:'):
        check(out.count(fit) == 2, f'queue: two {fit} lines: {out}')
    check('at 2.500 per worker-hour' in out, f'--price: {out}')
    rc, out, err = run(['--study', 'queue', '--files', '4', '-w', '2',
                        '--mode', 'processes', '--kernel', 'triad',
                        '--sizes', '1000'])
    check(rc == 0 and len(rows(out, {'processes'})) == 1 and
          not rows(out, {'threads'}), f'queue --mode processes: {rc} {out} {err}')


def test_quick_outfile(folder):
    out = os.path.join(folder, 'q.json')
    rc, text, err = run(['--quick', '--study', 'queue', '-w', '1,2', '-o', out])
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


def test_blas():
    """W = cores workers with 1 BLAS thread, then with `cores` threads each:
    the second is oversubscribed on more than one core and warns."""
    rc, out, err = run(['--study', 'blas', '--blas-size', '64', '--blas-loops', '3'])
    got = [r for r in out.splitlines() if r.split()[:1] and r.split()[0].isdigit()]
    check(rc == 0 and len(got) == 2, f'blas: {rc} {err} {out}')
    cores = os.cpu_count()
    check('OMP_NUM_THREADS=1' in got[0] if got else False, f'blas: first row {got}')
    for r in got:
        f = r.split()
        check(float(f[3]) > 0 and float(f[4]) > 0 and math.isfinite(float(f[4])),
              f'blas: bad row {r}')
    if cores > 1:
        check('oversubscribed' in out and 'warning:' in err and
              'OMP_NUM_THREADS=1' in err, f'blas: no warning: {out} {err}')
        check('the time of OMP_NUM_THREADS=1' in out, f'blas: no ratio: {out}')


def png_ok(path):
    with open(path, 'rb') as f:
        data = f.read()
    return data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 2000


def test_report(folder):
    """--quick --report: report.md naming every study, two real PNGs."""
    if not shutil.which('gnuplot'):
        print('gnuplot not installed: --report not tested')
        return
    rep = os.path.join(folder, 'rep')
    rc, out, err = run(['--quick', '--report', rep, '--folder', folder,
                        '--blas-loops', '3'])
    check(rc == 0 and f'Wrote {rep}/report.md' in out, f'--report: {rc} {err}')
    for png in ('speedup.png', 'io.png'):
        p = os.path.join(rep, png)
        check(os.path.exists(p) and png_ok(p), f'--report: {png} not a PNG')
    with open(os.path.join(rep, 'report.md')) as f:
        md = f.read()
    for needle in ('# perfkit-workshop report', 'load average', '## I/O',
                   'write-text', 'write-binary', '## Queue and pool',
                   'queue threads', 'queue processes', 'pool threads',
                   'Amdahl', 'USL', 'Optimal', 'cost per 1,000 files',
                   '## BLAS threads', 'OMP_NUM_THREADS=1',
                   '](speedup.png)', '](io.png)'):
        check(needle in md, f'report.md lacks {needle!r}')
    # the folder given exists already: written again
    rc, out, err = run(['--study', 'io', '--files', '2', '--sizes', '4',
                        '--report', rep, '--folder', folder])
    check(rc == 0 and png_ok(os.path.join(rep, 'io.png')), f'--report again: {rc} {err}')
    shutil.rmtree(rep)


def test_signal(folder):
    """SIGINT during the pool and queue: exit 130, the stop said, no report
    written, no files left."""
    import signal
    import time
    rep = os.path.join(folder, 'rep-int')
    p = subprocess.Popen([EXE, '--study', 'queue', '--files', '100000',
                          '--sizes', '4', '-w', '1,2', '--mode', 'threads',
                          '--folder', folder, '--report', rep],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    check(p.returncode == 130 and 'stopped by SIGINT' in err,
          f'SIGINT: exit {p.returncode}: {err!r}')
    check(not os.path.exists(os.path.join(rep, 'report.md')), 'SIGINT: report written')
    check([n for n in os.listdir(folder) if n != 'rep-int'] == [],
          f'SIGINT: files left {os.listdir(folder)}')
    shutil.rmtree(rep, ignore_errors=True)


def test_bad(folder):
    plain = os.path.join(folder, 'plain')
    open(plain, 'w').close()
    cases = [
        (['--study', 'disk'], ["--study 'disk'"]),
        (['--report', plain], [f"--report '{plain}'", 'not a writable folder']),
        (['--report', os.path.join(folder, 'no', 'dir')], ['--report']),
        (['--price', '-1'], ["--price '-1'"]),
        (['--price', 'nan'], ["--price 'nan'"]),
        (['--blas-size', '0'], ["--blas-size '0'"]),
        (['--blas-size', '99999'], ["--blas-size '99999'"]),
        (['--blas-loops', 'x'], ["--blas-loops 'x'"]),
        (['--files', '10,0'], ["--files"]),
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
        test_blas()
        test_report(folder)
        test_signal(folder)
        test_bad(folder)
        test_unwritable()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
