#!/usr/bin/env python3
"""perfkit as a meson subproject builds only its libraries.

A tiny parent project (tests/subproject/parent) takes the source tree as
subprojects/perfkit (a symlink, in a temporary folder), builds a program
with dependency('perfkit') (and one with dependency('perfkit-mpi') when
perfkit found MPI) and runs the first. The parent's `meson test --list`
must hold none of perfkit's tests, and `meson introspect --targets` no
target of perfkit's but libraries: no example, test, benchmark, fuzzer,
man page or documentation.
Usage: test-subproject.py VERSION SOURCE_ROOT PARENT_DIR MESON...
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

VERSION, SOURCE, PARENT = sys.argv[1:4]
MESON = sys.argv[4:]
LIBRARY_TYPES = ('shared library', 'static library')
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(args, **kw):
    p = subprocess.run(args, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        print(p.stdout[-4000:], p.stderr[-4000:], sep='\n')
        raise SystemExit(f'{" ".join(args)}: exit {p.returncode}')
    return p.stdout


def main():
    with tempfile.TemporaryDirectory() as tmp:
        parent = os.path.join(tmp, 'parent')
        build = os.path.join(tmp, 'build')
        shutil.copytree(PARENT, parent)
        os.makedirs(os.path.join(parent, 'subprojects'))
        os.symlink(os.path.abspath(SOURCE),
                   os.path.join(parent, 'subprojects', 'perfkit'))
        run(MESON + ['setup', build, parent])
        run(MESON + ['compile', '-C', build, '-j', '2'])

        out = run([os.path.join(build, 'parent-prog')])
        check(out == f'parent-prog: libperfkit {VERSION}\n',
              f'parent-prog printed {out!r}')

        tests = run(MESON + ['test', '-C', build, '--list', '--no-rebuild']).split('\n')
        tests = [t for t in tests if t.strip()]
        check(any('parent-prog' in t for t in tests),
              f"the parent's own test is not listed: {tests}")
        theirs = [t for t in tests if 'parent-prog' not in t]
        check(not theirs, f"perfkit's tests in the parent: {theirs}")

        targets = json.loads(run(MESON + ['introspect', '--targets', build]))
        ours = [t for t in targets if t.get('subproject') == 'perfkit']
        extra = sorted(f"{t['name']} ({t['type']})" for t in ours
                       if t['type'] not in LIBRARY_TYPES)
        check(not extra, f"perfkit targets that are not libraries: {extra}")
        libs = {(t['name'], t['type']) for t in ours}
        check(('perfkit', 'shared library') in libs,
              f'no libperfkit.so among {sorted(libs)}')
        mpi = any(t['name'] == 'parent-prog-mpi' for t in targets)
        print(f'{len(tests)} test(s) and {len(targets)} target(s) in the parent, '
              f'{len(ours)} of them perfkit libraries; perfkit-mpi '
              f'{"used" if mpi else "not found"}')
    print(f'{len(failures)} failure(s)')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
