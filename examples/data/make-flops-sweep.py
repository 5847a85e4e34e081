#!/usr/bin/env python3
"""Regenerate the SYNTHETIC worker sweep perfkit-flops-sweep.json.

Usage: make-flops-sweep.py BUILD/tests/make-results [OUT.json]

It imitates what the harness writes for `perfkit-flops --sweep-workers`:
dgemm with N = 1024, loopcount 10 on W = 1, 2, 4, 8, 16 workers (weak
scaling: every worker does the same work), one record per worker with the
parameters workers, mode and placement. The per-worker rate follows a
Universal Scalability Law shape (alpha = 0.02, beta = 0.0008 around 40
GFLOPS, as shared caches and memory bandwidth fill up) with +-3% noise;
workers are launched 4 ms apart and collected 2 ms apart, and one worker of
the 16-worker run failed (status -110, ETIMEDOUT) to show how failed
records are skipped. The numbers are made up, not measured.
"""
import random
import subprocess
import sys

N, LOOPS = 1024, 10
FLOPS = 2 * N ** 3 * LOOPS
BYTES = 3 * 8 * N ** 2 * LOOPS
RATE1 = 40e9
ALPHA, BETA = 0.02, 0.0008
EPOCH_NS = 1767225600000000000  # 2026-01-01T00:00:00Z


def spec():
    rnd = random.Random(5)
    lines = [f'epoch {EPOCH_NS}',
             'meta date=2026-01-01T00:00:00Z sample=synthetic '
             'harness.kernel=dgemm harness.size=1024 harness.loopcount=10 '
             'harness.workers=1,2,4,8,16']
    t = 0.5
    for w_count in (1, 2, 4, 8, 16):
        slow = 1 + ALPHA * (w_count - 1) + BETA * w_count * (w_count - 1)
        last = t
        for w in range(w_count):
            submit = t + 0.004 * w
            start = submit + 0.0015
            setup = start + 0.012
            elapsed = FLOPS / (RATE1 / slow) * rnd.uniform(0.97, 1.03)
            end = setup + elapsed
            collected = end + 0.002 * (w + 1)
            status = -110 if (w_count, w) == (16, 13) else 0
            if status:
                end, collected, elapsed = setup + 0.2, setup + 0.2, 0.0
            lines.append(
                f'name=dgemm host=node01 worker={w} cpu={w} status={status} '
                f't_submit={submit:.6f} t_start={start:.6f} '
                f't_setup={setup:.6f} t_end={end:.6f} '
                f't_collected={collected:.6f} repetitions={LOOPS} '
                f'problem_size={N} flops={FLOPS if not status else 0} '
                f'bytes={BYTES if not status else 0} elapsed={elapsed:.6f} '
                f'workers={w_count} mode=threads placement=compact')
            last = max(last, collected)
        t = round(last + 0.25, 3)
    return '\n'.join(lines) + '\n'


def main():
    out = sys.argv[2] if len(sys.argv) > 2 else 'perfkit-flops-sweep.json'
    p = subprocess.run([sys.argv[1], out], input=spec(), text=True)
    return p.returncode


if __name__ == '__main__':
    sys.exit(main())
