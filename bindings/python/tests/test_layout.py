# SPDX-License-Identifier: MIT
"""Every struct the package mirrors with ctypes has the C compiler's layout:
each field's offset and size and the struct's size, read from a helper
program built by meson (tests/layout.c), never assumed."""

import ctypes
import json
import os
import subprocess

import numpy as np
import pytest

from perfkit import _structs as S
from perfkit.results import RECORD_DTYPE


@pytest.fixture(scope="module")
def c_layout():
    out = subprocess.run([os.environ["PERFKIT_LAYOUT_HELPER"]], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return json.loads(out)


def mirror_fields(cls):
    return {name: (getattr(cls, name).offset, getattr(cls, name).size)
            for name, _ in cls._fields_}


def test_helper_covers_every_mirror(c_layout):
    assert set(c_layout) == set(S.MIRRORS)


@pytest.mark.parametrize("cname", sorted(S.MIRRORS))
def test_mirror_matches_c(c_layout, cname):
    cls = S.MIRRORS[cname]
    c = c_layout[cname]
    assert ctypes.sizeof(cls) == c["size"], cname
    py = mirror_fields(cls)
    assert set(py) == set(c["fields"]), cname
    for name, (off, size) in py.items():
        assert [off, size] == c["fields"][name], "%s.%s" % (cname, name)


@pytest.fixture(scope="module")
def c_layout_mpi():
    helper = os.environ.get("PERFKIT_LAYOUT_HELPER_MPI")
    if not helper:
        pytest.skip("libperfkit-mpi is not built")
    out = subprocess.run([helper], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    return json.loads(out)


def test_mpi_helper_covers_every_mpi_mirror(c_layout_mpi):
    assert set(c_layout_mpi) == set(S.MPI_MIRRORS)


@pytest.mark.parametrize("cname", sorted(S.MPI_MIRRORS))
def test_mpi_mirror_matches_c(c_layout_mpi, cname):
    cls = S.MPI_MIRRORS[cname]
    c = c_layout_mpi[cname]
    assert ctypes.sizeof(cls) == c["size"], cname
    py = mirror_fields(cls)
    assert set(py) == set(c["fields"]), cname
    for name, (off, size) in py.items():
        assert [off, size] == c["fields"][name], "%s.%s" % (cname, name)


def test_numpy_record_dtype_is_the_c_record(c_layout):
    c = c_layout["perfkit_record"]
    assert RECORD_DTYPE.itemsize == c["size"]
    for name, (off, size) in c["fields"].items():
        dt, dt_off = RECORD_DTYPE.fields[name][:2]
        assert (dt_off, dt.itemsize) == (off, size), name


def test_helper_can_fail():
    # a mirror with a field missing must not match: the comparison is real
    class Short(ctypes.Structure):
        _fields_ = S.Record._fields_[:-1]
    assert ctypes.sizeof(Short) != ctypes.sizeof(S.Record)
    assert set(mirror_fields(Short)) != set(mirror_fields(S.Record))
