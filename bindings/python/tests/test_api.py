# SPDX-License-Identifier: MIT
"""Every public function and method of the package is called by some test.

A guard, not a proof: it reads the test files as text and looks for each
public name (the word for functions, ``.name`` for methods and
properties), so a function added without a test fails here by name;
a mention in a comment would pass it.
Classes count through their methods; exception classes through the errno
table of test_errors.py.
"""

import importlib
import inspect
import pathlib
import re

import pytest

MODULES = ["perfkit", "perfkit.harness", "perfkit.scaling", "perfkit.plot",
           "perfkit.results", "perfkit.timers", "perfkit.runner", "perfkit.machine",
           "perfkit.mpi"]
TESTS = pathlib.Path(__file__).parent


def public_callables():
    """(qualified name, bare name, kind) of every public function, method
    and property the modules define."""
    out = set()
    for mn in MODULES:
        try:
            m = importlib.import_module(mn)
        except ImportError:  # perfkit.mpi without mpi4py
            continue
        for n in getattr(m, "__all__", [n for n in dir(m) if not n.startswith("_")]):
            obj = getattr(m, n)
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            if inspect.isfunction(obj):
                out.add((mn + "." + n, n, "function"))
            elif inspect.isclass(obj):
                for an, av in vars(obj).items():
                    if not an.startswith("_") and (
                            inspect.isfunction(av) or
                            isinstance(av, (property, classmethod, staticmethod))):
                        out.add(("%s.%s.%s" % (mn, n, an), an, "method"))
    return sorted(out)


def unused(text):
    """The public callables @text never names."""
    return [q for q, n, kind in public_callables()
            if not re.search((r"\b%s\b" if kind == "function" else r"\.%s\b")
                             % re.escape(n), text)]


def test_every_public_callable_is_used_by_a_test():
    text = "\n".join(p.read_text() for p in TESTS.glob("*.py") if p.name != "test_api.py")
    missing = unused(text)
    assert not missing, "public callables no test uses: %s" % ", ".join(missing)


def test_the_guard_can_fail(monkeypatch):
    import perfkit.scaling as scaling

    def never_tested_zzq():
        pass
    monkeypatch.setattr(scaling, "never_tested_zzq", never_tested_zzq, raising=False)
    monkeypatch.setattr(scaling, "__all__", scaling.__all__ + ["never_tested_zzq"])
    text = "\n".join(p.read_text() for p in TESTS.glob("*.py") if p.name != "test_api.py")
    assert unused(text) == ["perfkit.scaling.never_tested_zzq"]
    assert "perfkit.results.Results.to_pandas" in unused("")
