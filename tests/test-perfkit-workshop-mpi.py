#!/usr/bin/env python3
"""perfkit-workshop under mpirun with 1 to 3 ranks: the MPI queue (rank 0
hands out tasks) and MPI scatter rows at each rank count, their records
in --outfile (every task once, the rank and the wait of each), the
write-hdf5-mpi row (one file of all ranks, or "not built"), files removed
unless --keep, and a bad option that exits 2 on every rank with its
message once. No timing is asserted.
Usage: test-perfkit-workshop-mpi.py MPIEXEC-WORDS... -- PERFKIT_WORKSHOP
"""
import json
import os
import shutil
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


def run(np, args):
    cmd = MPIEXEC + ['-np', str(np), EXE] + args
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    except subprocess.TimeoutExpired:
        check(False, f'{np} ranks {args}: hung (timeout)')
        return -1, '', ''
    return p.returncode, p.stdout, p.stderr


def rows(out, first):
    return [l.split() for l in out.splitlines() if l.split()[:1] and l.split()[0] in first]


def test_queue(folder, np):
    out = os.path.join(folder, f'mpi-{np}.json')
    rc, text, err = run(np, ['--quick', '--study', 'queue', '-w', '1,2',
                             '--mode', 'threads', '--folder', folder, '-o', out])
    check(rc == 0, f'{np} ranks: exit {rc}: {err}')
    got = rows(text, {'mpi-queue', 'mpi-scatter'})
    want = sorted({w for w in (1, 2) if w <= np} | {np})
    for mode in ('mpi-queue', 'mpi-scatter'):
        ranks = [int(r[1]) for r in got if r[0] == mode]
        check(ranks == want, f'{np} ranks: {mode} rows at {ranks}, want {want}: {text}')
    for r in got:
        check(len(r) == 8 and float(r[2]) > 0 and r[7] == '0', f'{np} ranks: bad row {r}')
    check(text.count('Queue and pool:') == 1, f'{np} ranks: one node study printed once: {text}')
    with open(out) as f:
        recs = json.load(f)['records']
    for mode in ('mpi-queue', 'mpi-scatter'):
        for w in want:
            workers = w - 1 if mode == 'mpi-queue' and w > 1 else w
            mine = [r for r in recs if r['params']['mode'] == mode and
                    r.get('ranks') == str(w)]
            check(all(r['params']['workers'] == str(workers) for r in mine),
                  f'{np} ranks: {mode} on {w}: workers of {mine}')
            check(sorted(int(r['params']['task']) for r in mine) == list(range(20)),
                  f'{np} ranks: {mode} on {w}: tasks of {len(mine)} records')
            check(all(r['status'] == 0 and 0 <= r['rank'] < w and
                      float(r['params']['wait_s']) >= -1e-3 for r in mine),
                  f'{np} ranks: {mode} on {w}: bad record')
            if mode == 'mpi-queue' and w > 1:
                check(all(r['rank'] != 0 for r in mine),
                      f'{np} ranks: rank 0 ran a task of the queue')
    os.unlink(out)
    check(os.listdir(folder) == [], f'{np} ranks: files left {os.listdir(folder)}')


def test_io(folder, np):
    rc, text, err = run(np, ['--study', 'io', '--sizes', '8', '--files', '5',
                             '--folder', folder])
    check(rc == 0, f'io {np} ranks: exit {rc}: {err}')
    got = rows(text, {'write-hdf5-mpi'})
    check(len(got) == 1, f'io {np} ranks: one write-hdf5-mpi row: {text}')
    if got and 'not built' not in ' '.join(got[0]):
        check(got[0][2] == '5' and float(got[0][4]) > 0 and f'({np} ranks' in text,
              f'io {np} ranks: bad row {got[0]}')
    check('Profiles by regions' in text and text.count('write_files') >= 2,
          f'io {np} ranks: no profiles: {text}')
    check(os.listdir(folder) == [], f'io {np} ranks: files left {os.listdir(folder)}')
    rc, text, err = run(np, ['--study', 'io', '--sizes', '8', '--files', '4',
                             '--folder', folder, '--keep'])
    names = os.listdir(folder)
    h5 = [n for n in names if n.startswith('write-hdf5-mpi-')]
    built = 'parallel HDF5 missing' not in text
    check(rc == 0 and len(h5) == (1 if built else 0), f'io --keep {np} ranks: {names}')
    for n in h5:
        try:
            import h5py
        except ImportError:
            break
        with h5py.File(os.path.join(folder, n), 'r') as f:
            check(sorted(f.keys()) == [f'data{i:05d}' for i in range(4)] and
                  f['data00003'].shape == (8, 8), f'h5 file: {list(f.keys())}')
    for n in names:
        p = os.path.join(folder, n)
        shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)


def test_bad(np):
    rc, text, err = run(np, ['--sizes', '0'])
    check(rc == 2 and err.count('--sizes') == 1, f'bad option on {np} ranks: {rc} {err!r}')


def main():
    folder = tempfile.mkdtemp(prefix='pk-workshop-mpi-')
    try:
        for np in (1, 2, 3):
            test_queue(folder, np)
        test_io(folder, 2)
        test_bad(2)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
