# SPDX-License-Identifier: MIT
"""perfkit.machine(): the description as a dataclass, a dict and JSON."""

import json

import perfkit


def test_topology_counts_are_consistent():
    m = perfkit.machine()
    assert m.cores >= 1 and m.pus >= m.cores
    assert 1 <= m.allowed_cores <= m.cores
    assert 1 <= m.allowed_pus <= m.pus
    assert m.packages >= 1
    assert m.cpu_vendor and m.cpu_model


def test_dataclass_and_dict():
    m = perfkit.machine()
    d = m.to_dict()
    assert d["cores"] == m.cores and d["simd"] == m.simd
    json.dumps(d)  # plain data
    assert all(isinstance(s, str) for s in m.simd)
    assert all(isinstance(name, str) and msg for name, msg in m.warnings)
    assert m.kv["topology.cores"] == str(m.cores)


def test_json_of_the_library():
    doc = json.loads(perfkit.machine().to_json())
    assert doc["topology"]["cores"] == perfkit.machine().cores


def test_peak_is_cores_times_clock_times_flops_per_cycle():
    m = perfkit.machine()
    if m.peak_dp_gflops is None:
        return  # unknown CPU: nothing is guessed
    assert m.clock_measured_ghz > 0 and m.dp_flops_per_cycle > 0
    expected = m.allowed_cores * m.clock_measured_ghz * m.dp_flops_per_cycle
    assert abs(m.peak_dp_gflops - expected) <= 1e-6 * expected


def test_cached():
    assert perfkit.machine() == perfkit.machine()
