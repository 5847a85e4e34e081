#!/usr/bin/env python3
"""The Slurm scripts in examples/slurm are valid bash, start their program
with srun or mpirun, and name only programs that are built (or, for the
ones still being written, are in the known list of examples below).
Usage: test-slurm-scripts.py SLURM_DIR PROGRAM...
"""
import glob
import os
import re
import subprocess
import sys

SLURM_DIR = sys.argv[1]
BUILT = {os.path.basename(p) for p in sys.argv[2:]}
# Example programs of libperfkit that may not be in this build yet.
KNOWN = {'perfkit-mpi-pingpong', 'perfkit-mpi-collectives'}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


scripts = sorted(glob.glob(os.path.join(SLURM_DIR, '*.sbatch')))
check(len(scripts) >= 5, f'only {len(scripts)} scripts in {SLURM_DIR}')
launchers = set()
for path in scripts:
    name = os.path.basename(path)
    p = subprocess.run(['bash', '-n', path], capture_output=True, text=True)
    check(p.returncode == 0, f'{name}: bash -n: {p.stderr}')
    with open(path) as f:
        text = f.read()
    check(text.startswith('#!/bin/bash\n'), f'{name}: no #!/bin/bash line')
    check('#SBATCH ' in text, f'{name}: no #SBATCH lines')
    code = '\n'.join(l for l in text.splitlines() if not l.lstrip().startswith('#'))
    programs = set(re.findall(r'\b(perfkit-[a-z0-9-]+)\b', code))
    check(programs, f'{name}: names no program')
    for prog in programs:
        check(prog in BUILT or prog in KNOWN, f'{name}: {prog} is not built')
    for launcher in ('srun', 'mpirun'):
        if re.search(rf'^\s*{launcher}\b', code, re.M):
            launchers.add(launcher)
    check(re.search(r'^\s*(srun|mpirun)\b', code, re.M), f'{name}: no srun or mpirun')
for prog in ('perfkit-flops-mpi', 'perfkit-mpi-pingpong', 'perfkit-mpi-pi'):
    check(any(prog in open(s).read() for s in scripts), f'no script runs {prog}')
check(launchers == {'srun', 'mpirun'}, f'launchers used: {launchers}')
print(f'{len(failures)} failures' if failures else f'all checks passed ({len(scripts)} scripts)')
sys.exit(1 if failures else 0)
