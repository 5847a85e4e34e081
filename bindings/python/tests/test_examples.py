# SPDX-License-Identifier: MIT
"""examples/python: the pywren and CosmoFlow notebooks as programs, end to
end, with their files and figures checked, and wrong options refused."""

import json
import os
import pickle
import subprocess
import sys

import pytest

import perfkit

EXAMPLES = os.environ.get("PERFKIT_PYTHON_EXAMPLES",
                          os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                       "examples", "python"))


def run(name, *args, cwd=None):
    return subprocess.run([sys.executable, os.path.join(EXAMPLES, name)] + list(args),
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_flops_benchmark(tmp_path):
    out = tmp_path / "small.json"
    r = run("flops_benchmark.py", "--workers", "3", "--loopcount", "2", "--matn", "64",
            "--outfile", str(out), "--plot", str(tmp_path / "small"))
    assert r.returncode == 0, r.stderr
    assert "GFLOPS effective" in r.stdout and "total time" in r.stdout
    res = perfkit.Results.read(str(out))
    assert len(res) == 3
    assert is_png(tmp_path / "small-histogram.png") and is_png(tmp_path / "small-timeline.png")


def test_flops_benchmark_dataframe():
    sys.path.insert(0, EXAMPLES)
    try:
        import flops_benchmark
    finally:
        sys.path.pop(0)
    res = perfkit.harness.run(kernel="dgemm", size=32, loopcount=1, workers=2)
    df = flops_benchmark.results_to_dataframe(res)
    assert list(df.columns[:3]) == ["worker", "host_submit_time", "start_time"]
    assert (df.intra_func_flops > 0).all() and (df.est_flops == 2 * 32**3).all()


@pytest.mark.parametrize("args", [["--matn", "0"], ["--workers", "-1"],
                                  ["--loopcount", "x"], ["--nonsense"],
                                  ["--mode", "fibers"]])
def test_flops_benchmark_wrong_options(args):
    r = run("flops_benchmark.py", *args)
    assert r.returncode == 2 and "error" in r.stderr


def make_runs(root, kind, times_by_rank, shard=False):
    for r, t in times_by_rank.items():
        d = root / ("scaling-%s-n%d" % (kind, r))
        d.mkdir()
        with open(d / "config.pkl", "wb") as f:
            pickle.dump({"data": {"n_train": 512, "n_valid": 128, "shard": shard}}, f)
        (d / "history.csv").write_text(
            "epoch,time\n0,%f\n1,%f\n2,%f\n" % (t * 3, t, t))


def test_scaling_analysis(tmp_path):
    make_runs(tmp_path, "cpu", {1: 10.0, 2: 10.4, 4: 11.0})
    make_runs(tmp_path, "dummy", {1: 9.0, 2: 9.1, 4: 9.3})
    png = tmp_path / "cpu.png"
    r = run("scaling_analysis.py", "--pattern", str(tmp_path / "scaling-cpu-n%i"),
            "--dummy-pattern", str(tmp_path / "scaling-dummy-n%i"), "--ranks", "1,2,4",
            "--plot", str(png))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["ranks", "repeats"]
    assert "eff_dummy" in lines[0]
    # ranks 4: samples 4 x 640, time 11.0: throughput 232.7, eff 232.7 / (4 x 64)
    row4 = lines[3].split()
    assert row4[0] in ("4", "4.0")
    assert is_png(png)


@pytest.mark.parametrize("args", [[], ["--pattern", "x"],
                                  ["--pattern", "x%i", "--ranks", "a,b"],
                                  ["--pattern", "x%i", "--ranks", "0,1"]])
def test_scaling_analysis_wrong_options(args):
    r = run("scaling_analysis.py", *args)
    assert r.returncode == 2 and "error" in r.stderr


def test_scaling_analysis_missing_folder(tmp_path):
    r = run("scaling_analysis.py", "--pattern", str(tmp_path / "none-n%i"), "--ranks", "1")
    assert r.returncode == 1 and "scaling_analysis:" in r.stderr


def test_workshop():
    r = run("workshop.py", "--files", "4", "--size", "20", "--max-workers", "2",
            "--repeats", "2")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for word in ("generate_point_loop", "savetxt", "np.save", "speedup", "cost at $"):
        assert word in out, word


@pytest.mark.parametrize("args", [["--files", "0"], ["--max-workers", "100"],
                                  ["--efficiency", "2"], ["--price", "-1"], ["--size", "x"]])
def test_workshop_wrong_options(args):
    r = run("workshop.py", *args)
    assert r.returncode == 2 and "error" in r.stderr
