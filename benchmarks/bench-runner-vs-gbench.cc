// SPDX-License-Identifier: MIT
//
// libperfkit's runner against Google Benchmark, timing the same function
// (a strict left-to-right sum of 1000 doubles) in one process, alternating
// which goes first, for several rounds. Both take samples (repetitions) of
// at least 10 ms; each round prints both medians, both spreads (MAD as % of
// the median) and the ratio. Goal: medians within 5 %.
//
// Short rounds, many of them: on a shared machine the load changes within
// seconds, and both tools in one round see about the same load. The summary
// is the median over rounds of the per-round ratio, and the ratio of the
// fastest samples (the least disturbed ones).
//
// usage: bench-runner-vs-gbench [ROUNDS [SAMPLES]]   (default 20 rounds, 5)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <perfkit/perfkit.h>

namespace {

constexpr int kN = 1000;
constexpr double kSampleTime = 0.01;
double data[kN];

// Not inlined, so both harnesses call exactly the same code.
__attribute__((noinline)) double sum1000(const double *x)
{
	double s = 0.0;

	for (int i = 0; i < kN; i++)
		s += x[i];
	return s;
}

void perfkit_fn(void *user, uint64_t iterations)
{
	const double *x = static_cast<const double *>(user);

	for (uint64_t i = 0; i < iterations; i++)
		benchmark::DoNotOptimize(sum1000(x));
}

void BM_sum1000(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(sum1000(data));
}

// Collects the per-repetition time per iteration (ns); prints nothing.
class Collector : public benchmark::BenchmarkReporter {
public:
	std::vector<double> ns;
	std::vector<int64_t> iters;
	bool failed = false;

	bool ReportContext(const Context &) override { return true; }
	void ReportRuns(const std::vector<Run> &runs) override
	{
		for (const Run &r : runs) {
			if (r.error_occurred)
				failed = true;
			else if (r.run_type == Run::RT_Iteration &&
				 (iters.push_back(r.iterations), true))
				ns.push_back(r.GetAdjustedRealTime() *
					     benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
					     benchmark::GetTimeUnitMultiplier(r.time_unit));
		}
	}
};

struct Summary {
	perfkit_stats st;
	uint64_t iterations;     // per sample (perfkit: all samples)
	uint64_t min_iterations; // gbench: each repetition calibrates anew
};

bool run_perfkit(perfkit_runner *r, Summary *out)
{
	perfkit_runner_result *res;

	if (perfkit_runner_run(r, perfkit_fn, data, &res) < 0) {
		std::fprintf(stderr, "perfkit: %s\n", perfkit_last_error());
		return false;
	}
	perfkit_runner_result_stats(res, &out->st);
	out->iterations = perfkit_runner_result_iterations(res);
	out->min_iterations = out->iterations;
	perfkit_runner_result_destroy(res);
	return true;
}

bool run_gbench(Summary *out)
{
	Collector c;

	benchmark::RunSpecifiedBenchmarks(&c);
	if (c.failed || c.ns.empty() ||
	    perfkit_stats_compute(c.ns.data(), c.ns.size(), &out->st) < 0) {
		std::fprintf(stderr, "gbench: no usable repetitions\n");
		return false;
	}
	out->iterations = static_cast<uint64_t>(
		*std::max_element(c.iters.begin(), c.iters.end()));
	out->min_iterations = static_cast<uint64_t>(
		*std::min_element(c.iters.begin(), c.iters.end()));
	return true;
}

double median_of(std::vector<double> v)
{
	perfkit_stats st;

	return perfkit_stats_compute(v.data(), v.size(), &st) == 0 ? st.median : NAN;
}

long parse_count(const char *s, const char *what)
{
	char *end;
	long v = std::strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > 1000) {
		std::fprintf(stderr, "bench-runner-vs-gbench: %s must be 1..1000, "
			     "got '%s'\n", what, s);
		std::exit(2);
	}
	return v;
}

} // namespace

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? parse_count(argv[1], "ROUNDS") : 20;
	long samples = argc > 2 ? parse_count(argv[2], "SAMPLES") : 5;
	std::vector<double> pk_medians, gb_medians, ratios;
	double pk_min = INFINITY, gb_min = INFINITY;
	perfkit_clock_info clk;
	perfkit_runner *r;
	int one = 1;
	char prog[] = "bench-runner-vs-gbench";
	char *gb_argv[] = { prog, nullptr };

	for (int i = 0; i < kN; i++)
		data[i] = 1.0 + 1e-3 * (i % 7);

	benchmark::Initialize(&one, gb_argv);
	benchmark::RegisterBenchmark("sum1000", BM_sum1000)
		->MinTime(kSampleTime)
		->Repetitions(static_cast<int>(samples))
		->ReportAggregatesOnly(false);

	if (perfkit_runner_new(&r) < 0 ||
	    perfkit_runner_set_min_sample_time(r, kSampleTime) < 0 ||
	    perfkit_runner_set_samples(r, samples, samples) < 0 ||
	    perfkit_runner_set_max_time(r, INFINITY) < 0 ||
	    perfkit_clock_measure(PERFKIT_CLOCK_MONOTONIC, &clk) < 0) {
		std::fprintf(stderr, "perfkit: %s\n", perfkit_last_error());
		return 1;
	}

	std::printf("sum of %d doubles, one dependent add chain; %ld rounds, "
		    "each: %ld samples of >= %.0f ms per tool, order alternating\n",
		    kN, rounds, samples, kSampleTime * 1e3);
	std::printf("clock read: %.1f ns (perfkit reports it, subtracts nothing; "
		    "gbench subtracts nothing either)\n\n", clk.overhead_ns);
	std::printf("round  first    perfkit median   MAD   iters   gbench median   "
		    "MAD   iters (min-max)  perfkit/gbench\n");

	for (long round = 0; round < rounds; round++) {
		Summary pk, gb;
		bool pk_first = round % 2 == 0;
		bool ok = pk_first ? run_perfkit(r, &pk) && run_gbench(&gb) :
				     run_gbench(&gb) && run_perfkit(r, &pk);

		if (!ok)
			return 1;
		double ratio = pk.st.median / gb.st.median;

		pk_medians.push_back(pk.st.median);
		gb_medians.push_back(gb.st.median);
		ratios.push_back(ratio);
		pk_min = std::fmin(pk_min, pk.st.min);
		gb_min = std::fmin(gb_min, gb.st.min);
		std::printf("%5ld  %-7s  %11.1f ns %6.2f%% %6llu  %11.1f ns %6.2f%% "
			    "%6llu-%-6llu  %10.4f\n",
			    round + 1, pk_first ? "perfkit" : "gbench", pk.st.median,
			    100 * pk.st.mad / pk.st.median,
			    (unsigned long long)pk.iterations, gb.st.median,
			    100 * gb.st.mad / gb.st.median,
			    (unsigned long long)gb.min_iterations,
			    (unsigned long long)gb.iterations, ratio);
	}

	double pk_m = median_of(pk_medians), gb_m = median_of(gb_medians);
	double ratio_m = median_of(ratios);

	std::printf("\nmedian over rounds: perfkit %.1f ns, gbench %.1f ns, "
		    "ratio of medians %.4f, median ratio %.4f\n",
		    pk_m, gb_m, pk_m / gb_m, ratio_m);
	std::printf("fastest sample: perfkit %.1f ns, gbench %.1f ns, ratio %.4f\n",
		    pk_min, gb_min, pk_min / gb_min);
	std::printf("goal |median ratio - 1| <= 5%%: %s (%.2f%%)\n",
		    std::fabs(ratio_m - 1) <= 0.05 ? "met" : "NOT met",
		    100 * std::fabs(ratio_m - 1));
	perfkit_runner_destroy(r);
	benchmark::Shutdown();
	return 0;
}
