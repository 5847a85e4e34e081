#!/usr/bin/env python3
"""Compile every public header alone as C99 -pedantic -Werror and as C++."""
import argparse
import os
import subprocess
import sys
import tempfile


def compile_one(compiler, flags, header, suffix, incs):
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'h' + suffix)
        with open(src, 'w') as f:
            f.write(f'#include <perfkit/{os.path.basename(header)}>\n'
                    f'#include <perfkit/{os.path.basename(header)}>\n'
                    'int main(void) { return 0; }\n')
        cmd = [compiler] + flags + incs + ['-c', src, '-o', os.path.join(d, 'h.o')]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print('FAILED:', ' '.join(cmd))
            print(r.stdout + r.stderr)
            return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cc', required=True)
    ap.add_argument('--cxx', default='')
    ap.add_argument('-I', dest='incs', action='append', default=[])
    ap.add_argument('--cflag', dest='cflags', action='append', default=[],
                    help='more compiler flags, split at spaces; -I becomes -isystem')
    ap.add_argument('headers', nargs='+')
    args = ap.parse_args()
    incs = ['-I' + i for i in args.incs]
    # another library's headers are system headers here: their own
    # warnings (Open MPI's C++ bindings) are not ours to fix
    for f in (f for c in args.cflags for f in c.split()):
        incs += ['-isystem', f[2:]] if f.startswith('-I') else [f]
    c_flags = ['-std=c99', '-pedantic', '-Werror', '-Wall', '-Wextra']
    cxx_flags = ['-std=c++11', '-pedantic', '-Werror', '-Wall', '-Wextra']
    ok = True
    n = 0
    for h in args.headers:
        ok &= compile_one(args.cc, c_flags, h, '.c', incs)
        n += 1
        if args.cxx:
            ok &= compile_one(args.cxx, cxx_flags, h, '.cc', incs)
            n += 1
        # only perfkit/mpi.h may pull in MPI; never the umbrella
        mpi = ('mpi.h', 'perfkit/mpi.h') if os.path.basename(h) != 'mpi.h' else ()
        for banned in ('blis.h', 'hwloc.h', 'jansson.h') + mpi:
            with open(h) as f:
                if f'<{banned}>' in f.read():
                    print(f'{h} includes <{banned}>: public headers must not')
                    ok = False
    if not args.cxx:
        print('no C++ compiler found (install g++): the C++ check cannot run')
        return 1
    print(f'{n} header compilations, {"all clean" if ok else "FAILURES"}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
