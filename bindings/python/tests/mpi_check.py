# SPDX-License-Identifier: MIT
"""Run by test_mpi.py under mpirun with 2 ranks: perfkit.mpi with mpi4py."""

import sys

from mpi4py import MPI

import perfkit
from perfkit import mpi

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()

off, unc = mpi.clock_offset(comm)
assert (off, unc) == (0.0, 0.0) if rank == 0 else unc >= 0

local = perfkit.Results()
local.append(perfkit.Record(name="r%d" % rank, worker=0, elapsed=1.0 + rank))
got = mpi.gather(comm, local)
if rank == 0:
    assert [r.name for r in got] == ["r%d" % i for i in range(size)], list(got)
    assert [r.rank for r in got] == list(range(size))
    assert got.meta["mpi.ranks"] == str(size)
else:
    assert got is None

res = mpi.harness_run(comm, kernel="dgemm", size=32, loopcount=1, workers=1)
if rank == 0:
    df = res.to_pandas()
    assert sorted(df["rank"].tolist()) == list(range(size)), df
    assert (df["status"] == 0).all()
else:
    assert res is None

# a Python kernel on every rank (threads mode); its exception comes back
from perfkit import harness
pyk = harness.register_kernel("py.mpi.sumsq", lambda x: float(x @ x),
                              setup=lambda n: __import__("numpy").ones(n), flops=lambda n: 2 * n)
res = mpi.harness_run(comm, kernel=pyk, size=100, loopcount=2, workers=1)
if rank == 0:
    df = res.to_pandas()
    assert (df["status"] == 0).all() and (df["flops"] == 400).all(), df
boom = harness.register_kernel("py.mpi.boom", lambda x: 1 // 0)
try:
    mpi.harness_run(comm, kernel=boom, size=1, loopcount=1, workers=1)
except ZeroDivisionError as e:
    assert (e.results is not None) == (rank == 0)
else:
    raise AssertionError("the kernel's exception was not raised")

try:
    mpi.agree(comm, -22 if rank == 1 else 0, "rank 1 refuses")
except perfkit.InvalidArgumentError as e:
    assert "rank 1" in e.message, e.message
else:
    raise AssertionError("agree did not raise")

try:
    mpi.gather("not a comm", local)
except TypeError:
    pass
else:
    raise AssertionError("a non-communicator was accepted")

pp = mpi.pingpong(comm, max_bytes=1024, trials=2, trial_time=1e-4, perturbation=0)
if rank == 0:
    df = pp.to_pandas()
    assert df["problem_size"].tolist()[0] == 0 and df["problem_size"].tolist()[-1] == 1024
    assert (df["latency_s"] > 0).all() and (df["same_node"].astype(str) == "yes").all()
else:
    assert pp is None
coll = mpi.collective(comm, op="allreduce", max_bytes=64, time=1e-4)
if rank == 0:
    df = coll.to_pandas()
    assert df["problem_size"].tolist() == [4, 8, 16, 32, 64], df["problem_size"].tolist()
    assert (df["latency_max_s"] >= df["latency_min_s"]).all()
try:
    mpi.pingpong(comm, pattern="carrier-pigeon")
except ValueError:
    pass
else:
    raise AssertionError("a bad pattern was accepted")

comm.Barrier()
print("rank %d of %d: ok" % (rank, size))
sys.stdout.flush()
