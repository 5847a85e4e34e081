# SPDX-License-Identifier: MIT
"""examples/python/mpi_pi.py and mpi_correlate.py under mpirun with 2
ranks: pi within its statistical bound, the same hits on any rank count
and as perfkit-mpi-pi, correlations equal to numpy's, records readable by
perfkit.Results.read, and wrong options or input refused on every rank
(exit 2, the message once, no hang: every run has a timeout)."""

import math
import os
import re
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest

import perfkit

pytest.importorskip("mpi4py")
if not os.environ.get("PERFKIT_MPI_LIBRARY"):
    pytest.skip("libperfkit-mpi is not built", allow_module_level=True)
MPIRUN = shutil.which("mpirun") or shutil.which("mpiexec")
if MPIRUN is None:
    pytest.skip("no mpirun", allow_module_level=True)

EXAMPLES = os.environ.get("PERFKIT_PYTHON_EXAMPLES",
                          os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                       "examples", "python"))
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_btl_vader_single_copy_mechanism="none")
OPEN_MPI = "Open MPI" in subprocess.run([MPIRUN, "--version"], capture_output=True,
                                        text=True).stdout
TIMEOUT = 120


def launch(*apps, np_=2):
    """mpirun over one program (apps = (script, args)) or several (MPMD)."""
    cmd = [MPIRUN] + (["--oversubscribe"] if OPEN_MPI else [])
    for i, (script, args) in enumerate(apps):
        if i:
            cmd.append(":")
        cmd += ["-np", str(np_ if len(apps) == 1 else 1), sys.executable,
                os.path.join(EXAMPLES, script)] + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=TIMEOUT)


def run(script, *args, np_=2):
    return launch((script, args), np_=np_)


def program_lines(stderr, prog):
    """The program's own lines (mpirun adds its notes about the exit code)."""
    return [ln for ln in stderr.splitlines() if ln.startswith(prog + ":")]


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


# ---- mpi_pi.py ----

def pi_rows(out):
    """(ranks, run, hits) of every row of the table."""
    return [(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^\s+(\d+)\s+(\d+)\s+\S+\s+(\d+)\s+\S+\s+\S+", out, re.M)]


def test_pi(tmp_path):
    out, png = tmp_path / "pi.json", tmp_path / "pi.png"
    darts = 2_000_000
    r = run("mpi_pi.py", "--darts", str(darts), "--seed", "3", "--ranks", "1,2", "--repeat",
            "2", "--price", "0.10", "--deadline", "100", "--outfile", str(out),
            "--plot", str(png))
    assert r.returncode == 0, r.stdout + r.stderr
    rows = pi_rows(r.stdout)
    assert [(k, i) for k, i, _ in rows] == [(1, 1), (1, 2), (2, 1), (2, 2)], r.stdout
    hits = {h for _, _, h in rows}
    assert len(hits) == 1, rows                     # the same darts on any rank count
    est = 4 * hits.pop() / darts
    se = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4) / darts)
    assert abs(est - math.pi) < 5 * se, (est, se)   # 5 standard errors: ~6e-7 to fail
    m = re.search(r"^pi\s+(\S+) = 4 x", r.stdout, re.M)
    assert m and abs(float(m.group(1)) - est) < 1e-9
    assert re.search(r"^error\s+\S+ against math.pi = \S+ standard errors", r.stdout, re.M)
    for word in ("Scaling (strong", "Karp-Flatt", "Time versus money at $0.1",
                 "Cheapest within the deadline: "):
        assert word in r.stdout, word
    assert is_png(png)
    res = perfkit.Results.read(str(out))
    df = res.to_pandas()
    runs, shares = df[df.name == "mpi-pi"], df[df.name == "mpi-pi-rank"]
    assert len(runs) == 4 and len(shares) == 2 * 1 + 2 * 2
    assert (runs["rank"] == 0).all() and sorted(set(shares["rank"])) == [0, 1]
    assert (runs.elapsed > 0).all() and (runs["items"] == darts).all()
    # each run's hits are its ranks' hits added up (the reduce)
    for (k, i), g in shares.groupby(["ranks", "run"]):
        total = runs[(runs.ranks == k) & (runs.run == i)].hits.iloc[0]
        assert g.hits.sum() == total and g["items"].sum() == darts
    assert res.meta["mpi.ranks"] == "2" and "mpi_pi.py" in res.meta["command"]


def test_pi_same_darts_as_c():
    exe = os.environ.get("PERFKIT_MPI_PI_EXE")
    if not exe:
        pytest.skip("perfkit-mpi-pi is not built")
    args = ["--darts", "1000003", "--seed", "12345", "--ranks", "2", "--repeat", "1"]
    c = subprocess.run([MPIRUN] + (["--oversubscribe"] if OPEN_MPI else [])
                       + ["-np", "2", exe] + args, capture_output=True, text=True, env=ENV,
                       timeout=TIMEOUT)
    py = run("mpi_pi.py", *args)
    assert c.returncode == 0 and py.returncode == 0, c.stderr + py.stderr
    assert pi_rows(c.stdout)[0][2] == pi_rows(py.stdout)[0][2], (c.stdout, py.stdout)


@pytest.mark.parametrize("args", [
    ["--darts", "0"], ["--darts", "-5"], ["--darts", "nan"], ["--darts", "1e6"],
    ["--ranks", "3"], ["--ranks", "2,1"],
    ["--repeat", "0"], ["--price", "nan"], ["--price", "-1"], ["--deadline", "1"],
    ["--price", "1", "--deadline", "0"], ["--outfile", "pi.txt"],
    ["--outfile", "/nonexistent-folder/pi.json"], ["--plot", "pi.gif"], ["--nonsense"],
    ["stray"]])
def test_pi_wrong_options(args):
    r = run("mpi_pi.py", *args)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = program_lines(r.stderr, "mpi_pi.py")
    assert len(lines) == 1 and "error: " in lines[0], r.stderr    # said once, one line
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_pi_one_rank_refuses():
    """An MPMD launch where only rank 1 has a bad value: every rank stops,
    the message names rank 1, once."""
    r = launch(("mpi_pi.py", ["--darts", "1000"]), ("mpi_pi.py", ["--darts", "0"]))
    assert r.returncode == 2, r.stdout + r.stderr
    lines = program_lines(r.stderr, "mpi_pi.py")
    assert lines == ["mpi_pi.py: rank 1 of 2: error: argument -n/--darts: '0': "
                     "need a whole number from 1 to 9007199254740992"], r.stderr


def test_pi_help():
    r = run("mpi_pi.py", "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("usage: mpi_pi.py") == 1 and "--deadline" in r.stdout


# ---- mpi_correlate.py ----

def top_pairs(out):
    return [(int(a), int(b), float(v)) for a, b, v in
            re.findall(r"^\s+(\d+)\s+(\d+)\s+r = (\S+)$", out, re.M)]


def test_correlate_against_numpy(tmp_path):
    """Vectors from a CSV file (a header, a constant row whose r is NaN):
    the program's check passes and its top pairs are numpy's."""
    rng = np.random.default_rng(5)
    x = rng.integers(1, 6, size=(40, 30)).astype(float)
    x[7] = 3.0                                          # no spread: r undefined
    x[12] = x[4] * 2 + 1                                # r(5, 13) = 1
    csv = tmp_path / "ratings.csv"
    with open(csv, "w") as f:
        f.write(",".join("user%d" % u for u in range(30)) + "\n")
        for row in x:
            f.write(",".join("%g" % v for v in row) + "\n")
    out = tmp_path / "corr.csv"
    r = run("mpi_correlate.py", "--input", str(csv), "--ranks", "1,2", "--repeat", "1",
            "--top", "4", "--outfile", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    m = re.search(r"^check\s+every run's r within (\S+) of the serial numpy.corrcoef "
                  r"\(\S+ s on rank 0\): ok$", r.stdout, re.M)
    assert m and float(m.group(1)) <= 1e-10, r.stdout
    with np.errstate(divide="ignore", invalid="ignore"):
        ref = np.corrcoef(x)
    iu = np.triu_indices(len(x), 1)
    vals = np.where(np.isnan(ref[iu]), -np.inf, ref[iu])
    order = np.argsort(-vals, kind="stable")[:4]
    want = [(iu[0][q] + 1, iu[1][q] + 1, ref[iu][q]) for q in order]
    got = top_pairs(r.stdout)
    assert [(a, b) for a, b, _ in got][0] == (5, 13)
    assert [(a, b) for a, b, _ in got] == [(a, b) for a, b, _ in want], (got, want)
    assert all(abs(g[2] - w[2]) < 1e-6 for g, w in zip(got, want))
    res = perfkit.Results.read(str(out))
    df = res.to_pandas()
    assert (df[df.name == "mpi-correlate"]["items"] == 40 * 39 // 2).all()
    assert len(df[df.name == "mpi-correlate"]) == 2
    assert sorted(df[df.name == "mpi-correlate-rank"]["rank"]) == [0, 0, 1]
    assert (df.elapsed > 0).all()


def test_correlate_generated_as_c(tmp_path):
    args = ["--items", "150", "--users", "80", "--seed", "9", "--ranks", "2", "--repeat",
            "1", "--top", "3"]
    py = run("mpi_correlate.py", *args, "--price", "0", "--plot", str(tmp_path / "c.png"))
    assert py.returncode == 0, py.stdout + py.stderr
    assert "check    every run's r" in py.stdout and "Free CPUs" in py.stdout
    assert is_png(tmp_path / "c.png")
    exe = os.environ.get("PERFKIT_MPI_CORRELATE_EXE")
    if not exe:
        pytest.skip("perfkit-mpi-correlate is not built")
    c = subprocess.run([MPIRUN] + (["--oversubscribe"] if OPEN_MPI else [])
                       + ["-np", "2", exe] + args, capture_output=True, text=True, env=ENV,
                       timeout=TIMEOUT)
    assert c.returncode == 0, c.stderr
    assert top_pairs(py.stdout) == top_pairs(c.stdout) != []


@pytest.mark.parametrize("args", [
    ["--items", "1"], ["--users", "0"], ["--top", "nan"],
    ["--items", "20000", "--users", "20000"], ["--input", "x.csv", "--items", "5"],
    ["--input", ""], ["--ranks", "1,1"], ["--no-check=1"]])
def test_correlate_wrong_options(args):
    r = run("mpi_correlate.py", *args)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = program_lines(r.stderr, "mpi_correlate.py")
    assert len(lines) == 1 and "error: " in lines[0], r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("text,message", [
    ("1,2,3\n4,x,6\n", "line 2, column 2: 'x' is not a finite number"),
    ("1,2,3\n4,5\n", "line 2, column 1: 2 fields, the first data line 3"),
    ("1,2\n3,,4\n", "line 2, column 2: an empty field"),
    ("a,b\n", "no data lines"), ("1,2,3\n", "one data line"), ("1\n2\n", "one column"),
    ("", "no data lines")])
def test_correlate_bad_input(tmp_path, text, message):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    r = run("mpi_correlate.py", "--input", str(f))
    assert r.returncode == 2, r.stdout + r.stderr
    lines = program_lines(r.stderr, "mpi_correlate.py")
    assert len(lines) == 1 and message in lines[0], r.stderr


def test_correlate_input_folder_and_missing(tmp_path):
    for path, message in ((tmp_path, "is a folder"), (tmp_path / "none.csv", "No such file")):
        r = run("mpi_correlate.py", "--input", str(path))
        assert r.returncode == 2 and message in r.stderr, r.stderr


def test_pi_signal_on_one_rank(tmp_path):
    """SIGINT to rank 1 alone: the run in progress stops, rank 0 reports and
    writes the runs that finished, and every rank exits 130."""
    out = tmp_path / "pi.json"
    cmd = [MPIRUN] + (["--oversubscribe"] if OPEN_MPI else []) + [
        "-np", "2", sys.executable, os.path.join(EXAMPLES, "mpi_pi.py"), "--darts",
        "20000000", "--ranks", "2", "--repeat", "1000", "--outfile", str(out)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=ENV)
    try:
        lines = [p.stdout.readline() for _ in range(3)]     # headline, header, a run
        assert re.match(r"\s+2\s+1\s", lines[2]), lines
        ranks = ranks_of(p.pid)
        assert len(ranks) == 2, ranks
        os.kill(max(ranks), signal.SIGINT)                  # the later pid: either rank
        stdout, stderr = p.communicate(timeout=TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 130, stdout + stderr
    assert "mpi_pi.py: SIGINT: reporting and writing the runs that finished" in stderr
    assert re.search(r"^pi\s+3\.1", stdout, re.M) and "Wrote " in stdout
    n = len(pi_rows("".join(lines) + stdout))
    assert len(perfkit.Results.read(str(out)).filter("name", "mpi-pi")) == n >= 1


def ranks_of(pid):
    """The python processes mpirun started (its children that run python)."""
    kids = []
    for task in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/children" % (pid, task)) as f:
            kids += [int(k) for k in f.read().split()]
    return [k for k in kids if "mpi_pi.py" in open("/proc/%d/cmdline" % k).read()]


@pytest.mark.skipif(not OPEN_MPI, reason="per-rank working folders: Open MPI's --wdir")
def test_pi_outfile_checked_on_rank_0_only(tmp_path):
    """Only rank 0 writes --outfile, so a folder missing where another rank
    runs (another node) does not refuse a valid command."""
    for d in ("r0/out", "r1"):
        (tmp_path / d).mkdir(parents=True)
    app = [sys.executable, os.path.join(EXAMPLES, "mpi_pi.py"), "--darts", "10000",
           "--repeat", "1", "--outfile", "out/pi.json"]
    cmd = [MPIRUN, "--oversubscribe", "--wdir", str(tmp_path / "r0"), "-np", "1"] + app + [
        ":", "--wdir", str(tmp_path / "r1"), "-np", "1"] + app
    r = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=TIMEOUT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(perfkit.Results.read(str(tmp_path / "r0" / "out" / "pi.json"))) == 5
