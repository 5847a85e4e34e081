# SPDX-License-Identifier: MIT
"""`pip install bindings/python` works (offline, no compiler) and the
installed package loads libperfkit."""

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

SOURCE = os.path.join(os.path.dirname(__file__), "..")


def test_pip_install(tmp_path):
    for module in ("pip", "setuptools"):  # not imported here: setuptools patches distutils
        if importlib.util.find_spec(module) is None:
            pytest.skip("no %s" % module)
    src = tmp_path / "src"
    shutil.copytree(SOURCE, src, ignore=shutil.ignore_patterns("tests", "__pycache__",
                                                                "*.in", "build", "*.egg-info"))
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--no-build-isolation", "--no-index", "--target", str(target),
                        str(src)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    env = dict(os.environ, PYTHONPATH=str(target))
    r = subprocess.run([sys.executable, "-c",
                        "import perfkit; print(perfkit.__file__); print(perfkit.now_ns() > 0)"],
                       capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=60)
    assert r.returncode == 0, r.stderr
    where, ok = r.stdout.split()
    assert where.startswith(str(target)) and ok == "True"
    assert (target / "perfkit" / "py.typed").exists()
