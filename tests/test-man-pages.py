#!/usr/bin/env python3
"""Every installed program has its man page, and the page is right.

Installs the build into a temporary root, then for each program in its
bin folder: share/man/man1/<program>.1 exists, groff renders it with every
warning on (-ww) and none given, its NAME line names the program, and the
rendered page holds every option the program's --help lists, its version
and the EXIT STATUS section. Exits 77 (skipped) when the build writes no
man pages (no help2man, or -Dman=disabled).
Usage: test-man-pages.py BUILD_DIR VERSION PROGRAM... [--no-pages]
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

args = sys.argv[1:]
if '--no-pages' in args:
    print('man pages are not built (no help2man, or -Dman=disabled): skipped')
    sys.exit(77)
BUILD, VERSION = args[0], args[1]
PROGRAMS = {os.path.basename(p): p for p in args[2:]}
GROFF = shutil.which('groff')
# Leaks are test-examples-cli.py's business (with Open MPI's suppressions
# for perfkit-flops-mpi); root may start MPI.
HELP_ENV = dict(os.environ, ASAN_OPTIONS='detect_leaks=0',
                OMPI_ALLOW_RUN_AS_ROOT='1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM='1')
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def options(help_text):
    """The options --help lists: -x and --long-name at the start of a line
    or after a comma ("  -n, --matn N, --size N")."""
    found = set()
    for line in help_text.splitlines():
        m = re.match(r'\s+(-[^ ].*?)(?:\s{2,}|$)', line)
        if m:
            found.update(re.findall(r'(?:^|,\s*)(--?[A-Za-z][\w-]*)', m.group(1)))
    return found


def render(page):
    """The page as plain text, one long line per paragraph (no hyphenation
    breaks), and groff's warnings."""
    p = subprocess.run([GROFF, '-man', '-Tascii', '-ww', '-rLL=1000n',
                        '-P-c', '-P-b', '-P-u', page],
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def main():
    if not GROFF:
        print('groff is not installed (Debian: groff-base): skipped')
        return 77
    with tempfile.TemporaryDirectory() as root:
        subprocess.run(['meson', 'install', '-C', BUILD, '--destdir', root,
                        '--no-rebuild', '--quiet'], check=True,
                       stdout=subprocess.DEVNULL)
        bins = glob.glob(os.path.join(root, '**', 'bin', 'perfkit-*'), recursive=True)
        installed = sorted(os.path.basename(b) for b in bins)
        check(installed == sorted(PROGRAMS),
              f'installed programs {installed}, built {sorted(PROGRAMS)}')
        pages = {os.path.basename(p)[:-2]: p for p in
                 glob.glob(os.path.join(root, '**', 'man1', '*.1'), recursive=True)}
        for name in installed:
            page = pages.get(name)
            check(page and os.path.dirname(page).endswith('share/man/man1'),
                  f'{name}: no page in share/man/man1 ({sorted(pages)})')
            if not page:
                continue
            rc, text, warn = render(page)
            check(rc == 0 and warn == '', f'{name}.1: groff rc {rc}: {warn!r}')
            check(re.search(rf'^NAME\n\s+{re.escape(name)} - \S', text, re.M),
                  f'{name}.1: no NAME line "{name} - ..."')
            check(re.search(rf'^libperfkit {re.escape(VERSION)} ', text, re.M),
                  f'{name}.1: no "libperfkit {VERSION}" in the footer')
            check('EXIT STATUS' in text, f'{name}.1: no EXIT STATUS')
            h = subprocess.run([PROGRAMS[name], '--help'], capture_output=True,
                               text=True, env=HELP_ENV)
            check(h.returncode == 0, f'{name} --help: rc {h.returncode}: {h.stderr!r}')
            help_text = h.stdout
            opts = options(help_text)
            check('--help' in opts and '--version' in opts,
                  f'{name}: options not found in --help: {sorted(opts)}')
            missing = sorted(o for o in opts if not re.search(
                rf'(?<![\w-]){re.escape(o)}(?![\w-])', text))
            check(not missing, f'{name}.1 lacks options {missing}')
            print(f'{name}.1: {len(opts)} options, rendered without warnings')
    print(f'{len(failures)} failure(s)')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
