#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Python bindings against the tools a Python user already has, in one run.

1. perfkit.timeit of a trivial function against timeit.timeit: the per-call
   times should agree (goal: within 5 %), alternating, several rounds.
2. Results.read + .to_pandas() of N records (default 1,000,000) against
   pandas.read_csv of the same records as CSV: time (goal: >= 1.0x
   read_csv's speed) and peak memory (goal: <= 2x the DataFrame). Each
   reader runs in a fresh child process, alternating, so that one's peak
   memory and caches do not reach the other.

Run from the build tree:
    meson compile -C build bench-python
or by hand:
    PERFKIT_LIBRARY=build/lib/libperfkit.so.1 PYTHONPATH=bindings/python \\
        /usr/bin/python3 benchmarks/bench-python.py [--records N] [--rounds R]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import timeit as std_timeit


def trivial():
    pass


def bench_timeit(rounds):
    import perfkit
    ratios = []
    print("perfkit.timeit vs timeit.timeit, trivial function, ns per call:")
    for r in range(rounds):
        st = perfkit.timeit(trivial, max_time=2.0, precision=0.005)
        timer = std_timeit.Timer(trivial)
        number, _ = timer.autorange()
        reps = timer.repeat(repeat=15, number=number)
        ref = statistics.median(reps) / number * 1e9
        ratios.append(st.median / ref)
        print("  round %d: perfkit %.2f ns (95%% CI %.2f-%.2f, %d samples x %d calls), "
              "timeit %.2f ns (median of 15 x %d calls): ratio %.3f"
              % (r + 1, st.median, st.ci_low, st.ci_high, st.n, st.iterations, ref,
                 number, st.median / ref))
    med = statistics.median(ratios)
    print("  median ratio perfkit/timeit %.3f (goal: within 0.95-1.05): %s"
          % (med, "met" if 0.95 <= med <= 1.05 else "NOT met"))
    return med


def make_files(n, folder):
    """N records written by libperfkit as CSV and JSON Lines."""
    import numpy as np
    import pandas as pd
    import perfkit
    rng = np.random.default_rng(1)
    t0 = rng.uniform(0, 10, n)
    df = pd.DataFrame({
        "name": "dgemm", "host": "node1", "worker": np.arange(n) % 2800,
        "rank": -1, "cpu": np.arange(n) % 2, "status": 0,
        "t_submit": t0, "t_start": t0 + 0.01, "t_setup": t0 + 0.6, "t_end": t0 + 7.0,
        "t_collected": t0 + 7.01, "repetitions": 10, "problem_size": 1024,
        "flops": 2.0 * 1024**3 * 10, "bytes": 0.0, "items": 0.0,
        "elapsed": rng.uniform(6.3, 6.5, n), "param.workers": 2800,
    })
    raw = os.path.join(folder, "raw.csv")
    df.to_csv(raw, index=False)
    res = perfkit.Results.read(raw)
    csv = os.path.join(folder, "records.csv")
    jsonl = os.path.join(folder, "records.jsonl")
    res.write(csv)
    res.write(jsonl)
    os.unlink(raw)
    return csv, jsonl


def peak_rss_kib():
    """This process's peak resident memory (VmHWM: reset by exec, unlike
    ru_maxrss, which a child inherits from its parent)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(kind, path):
    """One reader in this (fresh) process: time and peak RSS growth."""
    import numpy as np  # noqa: F401  (imports are not part of the figure)
    import pandas as pd
    import perfkit
    base = peak_rss_kib()
    t = time.perf_counter()
    if kind == "read_csv":
        df = pd.read_csv(path, comment="#")
    else:
        df = perfkit.Results.read(path).to_pandas()
    seconds = time.perf_counter() - t
    peak = peak_rss_kib() - base
    print(json.dumps({"seconds": seconds, "peak_kib": peak, "rows": len(df),
                      "df_bytes": int(df.memory_usage(deep=True).sum())}))


def run_child(kind, path):
    out = subprocess.run([sys.executable, __file__, "--child", kind, path],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def bench_read(n, rounds):
    import pandas as pd
    with tempfile.TemporaryDirectory() as folder:
        t = time.perf_counter()
        csv, jsonl = make_files(n, folder)
        print("\n%d records written as CSV (%.0f MB) and JSON Lines (%.0f MB) in %.1f s"
              % (n, os.path.getsize(csv) / 1e6, os.path.getsize(jsonl) / 1e6,
                 time.perf_counter() - t))
        kinds = [("read_csv", csv), ("perfkit_csv", csv), ("perfkit_jsonl", jsonl)]
        got = {k: [] for k, _ in kinds}
        for _ in range(rounds):
            for k, p in kinds:
                got[k].append(run_child(k, p))
        ref = statistics.median(r["seconds"] for r in got["read_csv"])
        print("Results.read + to_pandas() vs pandas.read_csv (pandas %s), median of %d rounds:"
              % (pd.__version__, rounds))
        for k, _ in kinds:
            s = statistics.median(r["seconds"] for r in got[k])
            peak = statistics.median(r["peak_kib"] for r in got[k]) * 1024
            dfb = got[k][0]["df_bytes"]
            print("  %-14s %7.3f s  speed %.2fx read_csv  peak memory %6.0f MB = %.2fx its "
                  "DataFrame (%.0f MB)" % (k, s, ref / s, peak / 1e6, peak / dfb, dfb / 1e6))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(*a.child)
        return
    if a.records < 1 or a.rounds < 1:
        ap.error("--records and --rounds must be at least 1")
    print("load average %.2f %.2f %.2f" % os.getloadavg())
    bench_timeit(a.rounds)
    bench_read(a.records, a.rounds)
    print("load average %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
