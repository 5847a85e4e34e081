#!/usr/bin/env python3
"""bench-io: the I/O kernels against the HPC Python workshop's writers.

The workshop writes many N x N grids: numpy.savetxt (text), ndarray.tofile
(raw binary) and h5py's create_dataset (one dataset per grid in one HDF5
file). Each side generates every grid before writing it (the workshop's
vectorised generate_data), writes into the same folder, and is timed over
the write loop only (the HDF5 file is created before and flushed inside
the timed loop, as the write-hdf5 kernel does). The perfkit side is one
worker of perfkit-flops (--kernel write-text / write-binary / write-hdf5),
its record's elapsed time.

Ratio = reference time / perfkit time (files per second of perfkit over
the reference's); goal >= 1.0 for each writer. One run of each, the order
alternating per writer.

Usage: bench-io.py [--build DIR] [--quick]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Debian's python3-numpy and python3-h5py belong to /usr/bin/python3.
try:
    import numpy  # noqa: F401
except ImportError:
    if os.path.exists('/usr/bin/python3') and sys.executable != '/usr/bin/python3':
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    sys.exit('bench-io: needs numpy (Debian: apt-get install python3-numpy)')

WRITER = r'''
import os, sys, time
import numpy as np
kind, n, files, folder = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x = np.arange(-n / 2, n / 2, 1)
y = np.arange(500 - n / 2, 500 + n / 2, 1)
X, Y = np.meshgrid(x[:n], y[:n])

def generate_data(X, Y, i):
    return 1.0 + 0.5 * np.sin(0.1 * X + 0.01 * i) * np.cos(0.1 * Y)

if kind == 'hdf5':
    import h5py
    hf = h5py.File(os.path.join(folder, 'data.h5'), 'w')
t0 = time.perf_counter()
for i in range(files):
    Z = generate_data(X, Y, i)
    if kind == 'text':
        np.savetxt(os.path.join(folder, 'output%05d' % i), Z)
    elif kind == 'binary':
        Z.tofile(os.path.join(folder, 'output%05d' % i))
    else:
        hf.create_dataset('data%05d' % i, data=Z)
if kind == 'hdf5':
    hf.flush()
t1 = time.perf_counter()
if kind == 'hdf5':
    hf.close()
print(t1 - t0)
'''

KERNELS = {'text': 'write-text', 'binary': 'write-binary', 'hdf5': 'write-hdf5'}
REFERENCE = {'text': 'numpy.savetxt', 'binary': 'ndarray.tofile',
             'hdf5': 'h5py create_dataset'}


def reference(kind, n, files, folder):
    p = subprocess.run([sys.executable, '-c', WRITER, kind, str(n), str(files), folder],
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1:] or ['failed']
    return float(p.stdout), ''


def perfkit(exe, kind, n, files, folder):
    out = os.path.join(folder, 'run.json')
    env = dict(os.environ, TMPDIR=folder)
    p = subprocess.run([exe, '--kernel', KERNELS[kind], '--matn', str(n),
                        '--loopcount', str(files), '--workers', '1',
                        '--peak-time', '0', '--outfile', out],
                       capture_output=True, text=True, env=env, timeout=600)
    if p.returncode != 0:
        return None, (p.stderr.strip().splitlines() or ['failed'])[-1]
    with open(out) as f:
        rec = json.load(f)['records'][0]
    os.unlink(out)
    return rec, ''


def clean(folder):
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--quick', action='store_true', help='smaller sizes')
    args = ap.parse_args()
    exe = os.path.join(args.build, 'examples', 'perfkit-flops')
    if not os.access(exe, os.X_OK):
        sys.exit(f'bench-io: {exe} not found: build first')
    cases = [(100, 200), (500, 20)] if not args.quick else [(50, 20), (200, 4)]
    folder = tempfile.mkdtemp(prefix='bench-io-')
    print(f'bench-io: numpy {numpy.__version__}, folder {folder}, '
          f'load {os.getloadavg()[0]:.2f}')
    print(f'{"writer":>7} {"N":>5} {"files":>5} {"reference":>20} {"ref s":>8} '
          f'{"perfkit s":>9} {"files/s":>9} {"MB/s":>8} {"ratio":>7}')
    results = []
    try:
        for k, kind in enumerate(('text', 'binary', 'hdf5')):
            for n, files in cases:
                order = ('ref', 'ours') if k % 2 == 0 else ('ours', 'ref')
                ref = rec = None
                why = ''
                for side in order:
                    if side == 'ref':
                        ref, w = reference(kind, n, files, folder)
                    else:
                        rec, w = perfkit(exe, kind, n, files, folder)
                    why = why or w
                    clean(folder)
                if ref is None or rec is None:
                    print(f'{kind:>7} {n:>5} {files:>5}  not measured: {why}')
                    results.append((kind, n, None))
                    continue
                t = rec['elapsed']
                ratio = ref / t
                results.append((kind, n, ratio))
                print(f'{kind:>7} {n:>5} {files:>5} {REFERENCE[kind]:>20} {ref:>8.3f} '
                      f'{t:>9.3f} {rec["items"] / t:>9.0f} {rec["bytes"] / t / 1e6:>8.1f} '
                      f'{ratio:>7.2f}')
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f'load after: {os.getloadavg()[0]:.2f}')
    print('\nGoals (reference time / perfkit time >= 1.0):')
    bad = 0
    for kind, n, ratio in results:
        ok = ratio is not None and ratio >= 1.0
        bad += not ok
        shown = f'{ratio:.2f}' if ratio is not None else 'n/a'
        print(f'  {KERNELS[kind]:<13} N={n:<5} {shown:>6}  {"met" if ok else "MISSED"}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
