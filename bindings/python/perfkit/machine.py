# SPDX-License-Identifier: MIT
"""The machine a measurement runs on (libperfkit's machine module)."""

from __future__ import annotations

import dataclasses
from ctypes import byref, c_char_p, c_double, c_int, c_void_p
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ._lib import call, lib, take_text

__all__ = ["Machine", "machine"]

_SIMD_BITS = 7


def _probe() -> c_void_p:
    m = c_void_p()
    call("perfkit_machine_probe", byref(m))
    return m


def _text(p: Optional[bytes]) -> str:
    return p.decode("utf-8", "replace") if p else ""


@dataclass(frozen=True)
class Machine:
    """This machine as libperfkit probed it (once per process, cached).

    Figures the library could not determine are None, never guessed. The
    clock is measured (a dependent add chain); in a VM the nominal clock of
    /proc/cpuinfo is the TSC rate, not the core clock.
    """
    cpu_vendor: str
    cpu_model: str
    cpu_uarch: str
    packages: int
    numa_nodes: int
    cores: int
    pus: int
    allowed_cores: int
    allowed_pus: int
    #: SIMD instruction sets usable now, e.g. ["sse2", "avx", "avx2", "fma", "avx512f"].
    simd: List[str]
    dp_flops_per_cycle: Optional[float]
    sp_flops_per_cycle: Optional[float]
    clock_nominal_ghz: Optional[float]
    clock_nominal_source: str
    clock_measured_ghz: Optional[float]
    clock_measured_source: str
    #: allowed cores x measured GHz x FLOPs/cycle.
    peak_dp_gflops: Optional[float]
    peak_sp_gflops: Optional[float]
    #: (name, explanation) of each condition that makes timings less reliable.
    warnings: List[Tuple[str, str]]
    #: Every (dotted key, text value) pair of the description, in order.
    kv: Dict[str, str] = field(repr=False)

    def to_dict(self) -> Dict[str, Any]:
        """The dataclass as a plain dict (JSON-serialisable)."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        """libperfkit's own JSON of the description (nested by key)."""
        text = c_void_p()
        call("perfkit_machine_to_json", _probe(), byref(text))
        return take_text(text)


def _pair(function: str, m: c_void_p) -> Tuple[Optional[float], Optional[float]]:
    a, b = c_double(), c_double()
    lib.perfkit_clear_error()
    rc = getattr(lib, function)(m, byref(a), byref(b))
    return (a.value, b.value) if rc == 0 else (None, None)


def _clock(function: str, m: c_void_p) -> Tuple[Optional[float], str]:
    ghz, src = c_double(), c_char_p()
    rc = getattr(lib, function)(m, byref(ghz), byref(src))
    return (ghz.value if rc == 0 else None), _text(src.value)


def machine() -> Machine:
    """Describe this machine (probed on first use, some 20 ms; then cached).

    Raises:
        InputOutputError: hwloc could not load the topology.
    """
    m = _probe()
    simd_bits = lib.perfkit_machine_simd(m)
    simd = [lib.perfkit_simd_name(1 << b).decode() for b in range(_SIMD_BITS)
            if simd_bits & (1 << b)]
    warnings = []
    code, msg = c_int(), c_char_p()
    for i in range(lib.perfkit_machine_warning_count(m)):
        call("perfkit_machine_warning_get", m, i, byref(code), byref(msg))
        warnings.append((lib.perfkit_machine_warning_name(code.value).decode(),
                         _text(msg.value)))
    kv = {}
    k, v = c_char_p(), c_char_p()
    for i in range(lib.perfkit_machine_kv_count(m)):
        call("perfkit_machine_kv_get", m, i, byref(k), byref(v))
        kv[_text(k.value)] = _text(v.value)
    dp_fpc, sp_fpc = _pair("perfkit_machine_flops_per_cycle", m)
    dp_peak, sp_peak = _pair("perfkit_machine_peak_gflops", m)
    nominal, nominal_src = _clock("perfkit_machine_clock_nominal", m)
    measured, measured_src = _clock("perfkit_machine_clock_measured", m)
    return Machine(
        cpu_vendor=_text(lib.perfkit_machine_cpu_vendor(m)),
        cpu_model=_text(lib.perfkit_machine_cpu_model(m)),
        cpu_uarch=_text(lib.perfkit_machine_cpu_uarch(m)),
        packages=lib.perfkit_machine_packages(m),
        numa_nodes=lib.perfkit_machine_numa_nodes(m),
        cores=lib.perfkit_machine_cores(m), pus=lib.perfkit_machine_pus(m),
        allowed_cores=lib.perfkit_machine_allowed_cores(m),
        allowed_pus=lib.perfkit_machine_allowed_pus(m),
        simd=simd, dp_flops_per_cycle=dp_fpc, sp_flops_per_cycle=sp_fpc,
        clock_nominal_ghz=nominal, clock_nominal_source=nominal_src,
        clock_measured_ghz=measured, clock_measured_source=measured_src,
        peak_dp_gflops=dp_peak, peak_sp_gflops=sp_peak, warnings=warnings, kv=kv)
