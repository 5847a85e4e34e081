# SPDX-License-Identifier: MIT
"""The valgrind setup's check of itself (test 'python-memcheck-selftest',
should_fail): a leak inside libperfkit, made from Python through ctypes,
must make memcheck fail the interpreter; python-valgrind.supp must not hide
it. Outside valgrind it has nothing to show and skips (exit 77)."""

import ctypes
import os
import sys


def under_valgrind() -> bool:
    with open("/proc/self/maps") as maps:
        return "vgpreload_memcheck" in maps.read()


def main() -> int:
    if not under_valgrind():
        print("not under valgrind's memcheck: nothing to check")
        return 77
    lib = ctypes.CDLL(os.environ["PERFKIT_LIBRARY"])
    handle = ctypes.c_void_p()
    if lib.perfkit_stopwatch_new(ctypes.byref(handle)) != 0:
        return 0  # no leak made: memcheck passes, the test fails
    handle = None  # the stopwatch is never destroyed: a definite leak
    print("leaked a stopwatch made in libperfkit; memcheck must report it")
    return 0


sys.exit(main())
