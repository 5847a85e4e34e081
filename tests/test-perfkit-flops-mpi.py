#!/usr/bin/env python3
"""End-to-end test of examples/perfkit-flops-mpi under mpirun with 2 ranks.

Small runs write JSON, CSV and JSON Lines; each file is parsed here with
python's json/csv modules AND loaded back with the library's readers
(tests/read-results): 2 ranks x 2 workers, ranks and global worker indices
right, timestamps ordered in each record, the per-rank metadata present.
Bad options exit 2 with the message once; output paths are checked on
rank 0 only (ranks started in different folders). Interrupted jobs: after rank
0's first record is streamed to a .jsonl, SIGKILL to every rank leaves
that record; SIGTERM to every rank lets the run finish, gathers and writes
all records and exits 143. No timing is asserted.
Usage: test-perfkit-flops-mpi.py MPIEXEC-WORDS... -- PERFKIT_FLOPS_MPI READ_RESULTS
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results_files import parse_csv, parse_json, parse_jsonl  # noqa: E402

sep = sys.argv.index('--')
MPIEXEC = sys.argv[1:sep]
EXE, READER = sys.argv[sep + 1], sys.argv[sep + 2]
RANKS, WORKERS = 2, 2
SMALL = ['--matn', '48', '--loopcount', '2', '--peak-time', '0',
         '--workers', str(WORKERS), '--placement', 'none']
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(args):
    p = subprocess.run(MPIEXEC + ['-np', str(RANKS), EXE] + args,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def read_back(path, *point):
    p = subprocess.run([READER, path] + list(point), capture_output=True, text=True)
    check(p.returncode == 0, f'read-results {path}: {p.stderr}')
    recs = [line.split(' ') for line in p.stdout.splitlines() if line.startswith('record ')]
    summary = [line.split(' ') for line in p.stdout.splitlines() if line.startswith('summary ')]
    return recs, summary[0] if summary else None


def check_file(path, parser):
    recs, meta = parser(path)
    total = RANKS * WORKERS
    check(len(recs) == total, f'{path}: {len(recs)} records, want {total}')
    check(meta.get('mpi.ranks') == str(RANKS), f'{path}: mpi.ranks {meta.get("mpi.ranks")}')
    check(meta.get('mpi.workers_per_rank') == ','.join([str(WORKERS)] * RANKS),
          f'{path}: mpi.workers_per_rank')
    check(meta.get('harness.workers') == str(total), f'{path}: harness.workers')
    check(meta.get('mpi.library', '') != '', f'{path}: mpi.library')
    check('perfkit-flops-mpi' in meta.get('command', ''), f'{path}: command')
    for r in range(RANKS):
        for key in ('host', 'clock_offset_s', 'clock_uncertainty_s', 'status'):
            check(f'mpi.rank.{r}.{key}' in meta, f'{path}: mpi.rank.{r}.{key}')
    times = ('t_submit', 't_start', 't_setup', 't_end', 't_collected')
    for i, rec in enumerate(recs):
        check(int(rec['rank']) == i // WORKERS, f'{path}: rank {rec["rank"]} at {i}')
        check(int(rec['worker']) == i, f'{path}: worker {rec["worker"]} at {i}')
        check(int(rec['local_worker']) == i % WORKERS, f'{path}: local_worker')
        check(int(rec['status']) == 0, f'{path}: status {rec["status"]}')
        check(float(rec['flops']) == 2 * 48 ** 3 * 2, f'{path}: flops')
        t = [float(rec[k]) for k in times]
        check(all(a <= b for a, b in zip(t, t[1:])), f'{path}: times {t}')
    # the library reads the same records back, and summarises each rank
    lrecs, summary = read_back(path)
    check([int(r[1]) for r in lrecs] == list(range(total)), f'{path}: library workers')
    check(summary is not None and int(summary[1]) == 0 and int(summary[3]) == total,
          f'{path}: library summary {summary}')
    for r in range(RANKS):
        _, s = read_back(path, 'rank', str(r))
        check(s is not None and int(s[3]) == WORKERS, f'{path}: rank {r} summary {s}')


def test_formats(tmp):
    for ext, parser in (('json', parse_json), ('csv', parse_csv),
                        ('jsonl', parse_jsonl)):
        path = os.path.join(tmp, 'mpi.' + ext)
        rc, out, err = run(SMALL + ['--outfile', path])
        check(rc == 0, f'{ext}: rc {rc}: {err}')
        check('Effective' in out and 'Summed' in out, f'{ext}: report')
        check(f'MPI       {RANKS} ranks' in out, f'{ext}: MPI line missing: {out}')
        check('clock offset' in out and 'summed GFLOPS per rank' in out,
              f'{ext}: per-rank summary missing')
        check(out.count('Effective') == 1, f'{ext}: only rank 0 reports')
        check(os.path.exists(path), f'{ext}: {path} not written')
        if os.path.exists(path):
            check_file(path, parser)


def test_bad_options(tmp):
    for args, text in ((['--workers', '0'], "--workers '0'"),
                       (['--sweep-workers'], 'not supported across ranks'),
                       (['--kernel', 'nope'], "unknown kernel 'nope'"),
                       (['--outfile', os.path.join(tmp, 'x.txt')], '.json, .csv')):
        rc, out, err = run(SMALL + args)
        check(rc == 2, f'{args}: rc {rc}, want 2')
        check(err.count(text) == 1, f'{args}: want "{text}" once in stderr: {err}')
    rc, out, _ = run(['--help'])
    check(rc == 0 and out.count('Usage: perfkit-flops-mpi') == 1, f'--help: rc {rc}')


def run_two_folders(wdir0, wdir1, args):
    """Rank 0 in wdir0, rank 1 in wdir1: two hosts whose folders differ."""
    exe = os.path.abspath(EXE)
    p = subprocess.run(MPIEXEC + ['-np', '1', '--wdir', wdir0, exe] + args
                       + [':', '-np', '1', '--wdir', wdir1, exe] + args,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_outputs_on_rank0(tmp):
    """Only rank 0 writes --outfile and --plot, so only rank 0 checks them: a
    folder that another host lacks does not refuse a valid command line."""
    here, there = os.path.join(tmp, 'rank0'), os.path.join(tmp, 'rank1')
    os.makedirs(os.path.join(here, 'out'))
    os.makedirs(there)
    args = SMALL + ['--outfile', 'out/run.json']
    rc, _, err = run_two_folders(here, there, args)
    check(rc == 0, f'out/ only on rank 0: rc {rc}: {err}')
    check(os.path.exists(os.path.join(here, 'out', 'run.json')),
          'out/ only on rank 0: the file not written')
    rc, _, err = run_two_folders(there, here, args)
    check(rc == 2, f'out/ missing on rank 0: rc {rc}, want 2')
    check(err.count('--outfile') == 1, f'out/ missing on rank 0: message once: {err}')


def ranks_of(pid):
    """The processes under the launcher @pid running EXE (Open MPI starts
    them as its children, MPICH's hydra as grandchildren)."""
    children, found = {}, []
    for d in os.listdir('/proc'):
        try:
            with open(f'/proc/{d}/stat') as f:
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    todo = [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            todo.append(c)
            try:
                if os.path.samefile(f'/proc/{c}/exe', EXE):
                    found.append(c)
            except OSError:
                pass
    return found


def streamed(path):
    try:
        with open(path) as f:
            return max(0, f.read().count('\n') - 1)
    except FileNotFoundError:
        return 0


def interrupted(tmp, name, sig):
    """A staggered job (ranks' workers submitted 3 s apart) signalled on
    every rank once rank 0 streamed its first record."""
    path = os.path.join(tmp, name + '.jsonl')
    args = ['--matn', '48', '--min-time', '0.3', '--peak-time', '0', '--workers', '1',
            '--placement', 'none', '--start', 'staggered', '--stagger', '3',
            '--outfile', path]
    proc = subprocess.Popen(MPIEXEC + ['-np', str(RANKS), EXE] + args,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 240
    while streamed(path) < 1 and proc.poll() is None and time.monotonic() < end:
        time.sleep(0.05)
    ranks = ranks_of(proc.pid)
    check(len(ranks) == RANKS, f'{name}: found ranks {ranks}')
    for r in ranks:
        try:
            os.kill(r, sig)
        except ProcessLookupError:
            pass
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err, path


def test_signals(tmp):
    rc, _, _, path = interrupted(tmp, 'killed', signal.SIGKILL)
    check(rc != 0, f'SIGKILL: rc {rc}')
    with open(path) as f:
        lines = f.read().splitlines()
    try:
        [json.loads(x) for x in lines]
    except ValueError as e:
        check(False, f'SIGKILL: a line is not JSON: {e}')
    recs, summary = read_back(path)
    check(len(recs) >= 1, f'SIGKILL: {len(recs)} records kept')
    rc, out, err, path = interrupted(tmp, 'terminated', signal.SIGTERM)
    check(rc == 143, f'SIGTERM: rc {rc}, want 143: {err}')
    check('SIGTERM: reporting and writing what finished' in err, f'SIGTERM: {err}')
    check('Summed' in out and f'Wrote {RANKS} records' in out, f'SIGTERM: report {out}')
    recs, meta = parse_jsonl(path)
    check(len(recs) == RANKS and 'command' in meta, f'SIGTERM: {len(recs)} records')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_formats(tmp)
        test_bad_options(tmp)
        test_outputs_on_rank0(tmp)
        test_signals(tmp)
    print(f'{len(failures)} failures' if failures else 'all checks passed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
