# SPDX-License-Identifier: MIT
"""Loading, the version check, and errors: every negative return is a
perfkit.Error subclass fitting its errno, with the library's message; bad
Python input (None, wrong types, NaN, huge numbers, NULs) never crashes."""

import errno
import math
import os
import subprocess
import sys

import pytest

import perfkit
from perfkit import _lib


def run_python(code, **env):
    e = dict(os.environ)
    e.update(env)
    return subprocess.run([sys.executable, "-c", code], env=e, capture_output=True,
                          text=True, timeout=60)


def test_loads_the_build_tree_library():
    assert os.path.samefile(perfkit.library_path, os.environ["PERFKIT_LIBRARY"])
    assert perfkit.library_version().startswith("1.")
    assert perfkit.ABI_MAJOR == 1


def test_refuses_another_major_version():
    fake = os.environ["PERFKIT_TEST_FAKE_LIBRARY_2"]
    r = run_python("import perfkit", PERFKIT_LIBRARY=fake)
    assert r.returncode != 0
    assert "VersionError" in r.stderr
    assert "needs libperfkit 1.x" in r.stderr and "is version 2.0.0" in r.stderr
    assert fake in r.stderr


def test_check_version_directly():
    _lib.check_version(10000, "1.0.0", "x")
    _lib.check_version(10203, "1.2.3", "x")
    with pytest.raises(perfkit.VersionError, match="0.9.0"):
        _lib.check_version(900, "0.9.0", "/lib/libperfkit.so.0")
    with pytest.raises(ImportError, match="3.1.0"):
        _lib.check_version(30100, "3.1.0", "/x")


def test_missing_library_is_a_clear_import_error():
    r = run_python("import perfkit", PERFKIT_LIBRARY="/nonexistent/libperfkit.so.1")
    assert r.returncode != 0
    assert "LibraryNotFoundError" in r.stderr
    assert "/nonexistent/libperfkit.so.1" in r.stderr and "PERFKIT_LIBRARY" in r.stderr


def test_a_library_that_is_not_libperfkit_is_refused():
    r = run_python("import perfkit", PERFKIT_LIBRARY="libm.so.6")
    assert r.returncode != 0
    assert "does not export perfkit_version" in r.stderr


@pytest.mark.parametrize("code,builtin", [
    (errno.EINVAL, ValueError), (errno.EBADMSG, ValueError), (errno.EDOM, ValueError),
    (errno.ERANGE, OverflowError), (errno.ENOSPC, ValueError),
    (errno.ENOMEM, MemoryError), (errno.ENOENT, FileNotFoundError),
    (errno.EEXIST, FileExistsError), (errno.ENOTSUP, OSError), (errno.EIO, OSError),
    (errno.ETIMEDOUT, TimeoutError), (errno.ECHILD, ChildProcessError),
    (errno.EAGAIN, BlockingIOError), (errno.EACCES, PermissionError),
    (errno.EISDIR, IsADirectoryError), (errno.ECANCELED, perfkit.Error),
])
def test_each_errno_has_a_fitting_class(code, builtin):
    cls = perfkit.error_class(-code)
    assert issubclass(cls, perfkit.Error)
    assert issubclass(cls, builtin)
    assert perfkit.error_class(code) is cls


def test_named_classes():
    assert perfkit.error_class(-errno.EINVAL) is perfkit.InvalidArgumentError
    assert perfkit.error_class(-errno.ENOENT) is perfkit.NotFoundError
    assert perfkit.error_class(-errno.EBADMSG) is perfkit.MalformedInputError
    assert perfkit.error_class(-errno.EDOM) is perfkit.DomainError
    assert perfkit.error_class(-errno.ERANGE) is perfkit.RangeError


def test_strerror_names_codes():
    assert perfkit.strerror(0)
    assert perfkit.strerror(-errno.EINVAL) != perfkit.strerror(-errno.ENOENT)


def test_missing_file_is_file_not_found_with_the_message(tmp_path):
    path = str(tmp_path / "missing.json")
    with pytest.raises(FileNotFoundError) as info:
        perfkit.Results.read(path)
    e = info.value
    assert isinstance(e, perfkit.NotFoundError)
    assert e.code == -errno.ENOENT and e.errno == errno.ENOENT
    assert e.function == "perfkit_columns_read"
    assert "missing.json" in e.message and "missing.json" in str(e)


def test_malformed_file_names_line_and_column(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("name,elapsed\nx,notanumber\n")
    with pytest.raises(perfkit.MalformedInputError) as info:
        perfkit.Results.read(str(p))
    assert isinstance(info.value, ValueError)
    assert "line 2" in info.value.message


def test_c_state_errors_carry_the_library_message():
    sw = perfkit.Stopwatch()
    with pytest.raises(perfkit.InvalidArgumentError) as info:
        sw.stop()
    assert info.value.message  # the library's own words
    assert info.value.function == "perfkit_stopwatch_stop"


def test_message_is_not_stale():
    with pytest.raises(perfkit.NotFoundError) as first:
        perfkit.Results.read("/nonexistent/a.csv")
    sw = perfkit.Stopwatch()
    with pytest.raises(perfkit.InvalidArgumentError) as second:
        sw.stop()
    assert "a.csv" not in second.value.message
    assert first.value.message != second.value.message


@pytest.mark.parametrize("call", [
    lambda: perfkit.Results.read(None),
    lambda: perfkit.Results.read(42),
    lambda: perfkit.stats(None),
    lambda: perfkit.stats("abc"),
    lambda: perfkit.stats([1, "x"]),
    lambda: perfkit.clock_ns(None),
    lambda: perfkit.region(None),
    lambda: perfkit.region(3.5),
    lambda: perfkit.Stopwatch().set_max_laps(None),
    lambda: perfkit.Stopwatch().set_max_laps(2.5),
    lambda: perfkit.scaling.amdahl_speedup(None, 2),
    lambda: perfkit.scaling.strong_table([1, 2], None),
    lambda: perfkit.timeit(None),
    lambda: perfkit.Results().append(42),
    lambda: perfkit.Results()["x"],
])
def test_wrong_types_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


@pytest.mark.parametrize("call", [
    lambda: perfkit.stats([]),
    lambda: perfkit.stats([1.0, math.nan]),
    lambda: perfkit.stats([1.0, math.inf]),
    lambda: perfkit.stats([10**400]),
    lambda: perfkit.Results.read("a\0b.json"),
    lambda: perfkit.region(""),
    lambda: perfkit.region("x" * 256),
    lambda: perfkit.region("tab\there"),
    lambda: perfkit.clock_ns("sundial"),
    lambda: perfkit.Stopwatch().set_max_laps(2**80),
    lambda: perfkit.Stopwatch().set_max_laps(-1),
    lambda: perfkit.Stopwatch().set_max_laps(0),
    lambda: perfkit.timeit(lambda: None, precision=math.nan),
    lambda: perfkit.timeit(lambda: None, min_samples=-3),
    lambda: perfkit.timeit(lambda: None, iterations=2**64),
    lambda: perfkit.timeit(lambda: None, max_time=0),
    lambda: perfkit.Results().append(perfkit.Record(repetitions=-1)),
    lambda: perfkit.Results().append(perfkit.Record(repetitions=2**64)),
    lambda: perfkit.Results().append(perfkit.Record(worker=2**31)),
    lambda: perfkit.Results().append(perfkit.Record(elapsed=-1.0)),
    lambda: perfkit.scaling.amdahl_speedup(math.nan, 4),
    lambda: perfkit.scaling.amdahl_speedup(0.1, 10**400),
    lambda: perfkit.scaling.strong_table([1, 2, 4], [1.0, 0.5]),
    lambda: perfkit.scaling.usl_fit([1, 2, 3, 4], [1, 2, math.nan, 4]),
    lambda: perfkit.percentiles([1, 2, 3], 101),
])
def test_bad_values_raise_value_error(call):
    with pytest.raises(ValueError) as info:
        call()
    assert isinstance(info.value, perfkit.Error)


def test_huge_and_nan_reach_no_crash_in_c():
    # each of these is checked by the library itself, not by Python
    with pytest.raises(perfkit.InvalidArgumentError) as info:
        perfkit.scaling.amdahl_speedup(0.5, math.inf)
    assert info.value.function == "perfkit_amdahl_speedup"
    with pytest.raises(perfkit.InvalidArgumentError):
        perfkit.scaling.amdahl_limit(math.nan)
    with pytest.raises(perfkit.InvalidArgumentError):
        perfkit.scaling.usl_eval(1e308, 1e308, math.nan, 1e308)
