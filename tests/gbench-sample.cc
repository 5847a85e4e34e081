// SPDX-License-Identifier: MIT
// A tiny Google Benchmark program whose --benchmark_out JSON
// tests/test-perfkit-compare.py feeds to perfkit-compare: files made by
// the real tool, not imitations of them.
#include <benchmark/benchmark.h>

static void BM_sum(benchmark::State &state)
{
	const long n = state.range(0);

	for (auto _ : state) {
		long t = 0;
		for (long i = 0; i < n; i++)
			benchmark::DoNotOptimize(t += i);
	}
	state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_sum)->Arg(64)->Arg(512);

BENCHMARK_MAIN();
