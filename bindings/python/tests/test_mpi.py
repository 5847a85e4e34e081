# SPDX-License-Identifier: MIT
"""perfkit.mpi on 2 real ranks (mpirun, mpi4py): clock offsets, gather,
the harness across ranks, agreement on an error."""

import os
import shutil
import subprocess
import sys

import pytest


def test_two_ranks():
    pytest.importorskip("mpi4py")
    if not os.environ.get("PERFKIT_MPI_LIBRARY"):
        pytest.skip("libperfkit-mpi is not built")
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.skip("no mpirun")
    cmd = [mpirun, "-np", "2"]
    if "Open MPI" in subprocess.run([mpirun, "--version"], capture_output=True,
                                    text=True).stdout:
        cmd.append("--oversubscribe")
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl_vader_single_copy_mechanism="none")
    script = os.path.join(os.path.dirname(__file__), "mpi_check.py")
    r = subprocess.run(cmd + [sys.executable, script], capture_output=True, text=True,
                       env=env, timeout=240)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "rank 0 of 2: ok" in r.stdout and "rank 1 of 2: ok" in r.stdout
