/* SPDX-License-Identifier: MIT */
/*
 * bench-kernels: what the built-in kernels reach on one core, and how that
 * compares with likwid-bench measured in the same run.
 *
 *   peak, peak-sp   GFLOPS and flops per cycle (against a measured clock)
 *   dgemm           GFLOPS at N = 1024 and 2048, one BLIS thread
 *   triad           GB/s at a 1 GiB working set
 *   likwid-bench    peakflops_avx_fma (and _avx512_fma when we use AVX-512)
 *                   -w S0:100kB:1, stream_avx -w S0:1GB:1, alternated with
 *                   ours; printed as ratios ours / likwid
 *
 * Every figure is the median of several samples, with min and max, timed
 * with the monotonic clock (wall). On a shared machine the thread can be
 * descheduled while timed, so the clock, peak and dgemm figures are also
 * given per second of the thread's CPU time ("cpu"), which other processes
 * in the VM do not inflate (hypervisor steal still does). The process pins
 * itself to CPU 0, as likwid-bench -w S0:...:1 pins its thread.
 * Usage: bench-kernels [--quick]   (--quick: smaller, for a smoke test)
 */
#include <blis.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/perfkit.h"

#define SAMPLES 5

static int quick;

/* Both clocks at once: wall (monotonic) and this thread's CPU time. */
struct stamp {
	uint64_t wall, cpu;
};

static struct stamp stamp(void)
{
	struct stamp t = { perfkit_now_ns(), 0 };

	perfkit_clock_read(PERFKIT_CLOCK_THREAD_CPU, &t.cpu);
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct stats {
	double median, min, max;
};

static struct stats summarise(double *v, int n)
{
	struct stats s;

	qsort(v, (size_t)n, sizeof(double), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
	return s;
}

/*
 * Core clock from a dependent chain of integer adds (one per cycle on
 * every x86 core since the P6), timed with the monotonic clock: a VM's
 * /proc/cpuinfo shows the TSC rate, not this.
 */
static void measure_ghz(struct stats *wall, struct stats *cpu)
{
#if defined(__x86_64__)
	double w[SAMPLES], c[SAMPLES];
	const uint64_t iters = quick ? 200000 : 2000000;

	for (int s = 0; s < SAMPLES; s++) {
		uint64_t x = 0;
		struct stamp t0 = stamp(), t1;

		for (uint64_t i = 0; i < iters; i++)
			__asm__ __volatile__(".rept 100\n\tadd $1, %0\n\t.endr"
					     : "+r"(x));
		t1 = stamp();
		w[s] = (double)(iters * 100) / (double)(t1.wall - t0.wall);
		c[s] = (double)(iters * 100) / (double)(t1.cpu - t0.cpu);
	}
	*wall = summarise(w, SAMPLES);
	*cpu = summarise(c, SAMPLES);
#else
	memset(wall, 0, sizeof(*wall)); /* unknown: no flops per cycle */
	memset(cpu, 0, sizeof(*cpu));
#endif
}

static const struct perfkit_kernel *kernel(const char *name)
{
	const struct perfkit_kernel *k;

	if (perfkit_kernel_find(name, &k) != 0) {
		fprintf(stderr, "bench-kernels: %s\n", perfkit_last_error());
		exit(1);
	}
	return k;
}

static struct perfkit_kernel_instance *setup(const char *name, int64_t size)
{
	struct perfkit_kernel_instance *inst;

	if (perfkit_kernel_setup(kernel(name), size, NULL, &inst) != 0) {
		fprintf(stderr, "bench-kernels: %s\n", perfkit_last_error());
		exit(1);
	}
	return inst;
}

/* One timed sample: run @reps repetitions, return the rate of flops (or
 * bytes) per wall ns, i.e. G/s; *cpu_rate gets it per CPU ns. */
static double sample(struct perfkit_kernel_instance *inst, int64_t size,
		     uint64_t reps, int bytes, double *cpu_rate)
{
	const struct perfkit_kernel *k = perfkit_kernel_instance_kernel(inst);
	struct stamp t0, t1;
	double count;

	t0 = stamp();
	perfkit_kernel_run(inst, reps);
	t1 = stamp();
	if (bytes)
		perfkit_kernel_bytes(k, size, reps, &count);
	else
		perfkit_kernel_flops(k, size, reps, &count);
	*cpu_rate = count / (double)(t1.cpu - t0.cpu);
	return count / (double)(t1.wall - t0.wall);
}

static void check(struct perfkit_kernel_instance *inst)
{
	if (perfkit_kernel_verify(inst) != 0) {
		fprintf(stderr, "bench-kernels: wrong result: %s\n",
			perfkit_last_error());
		exit(1);
	}
}

/* Our peak: SAMPLES samples of ~0.2 s each (~1 s in all). */
static struct stats bench_peak(const char *name, struct stats *cpu)
{
	const int64_t size = 100000; /* ~0.1-1 ms per repetition */
	struct perfkit_kernel_instance *inst = setup(name, size);
	double v[SAMPLES], c[SAMPLES];
	uint64_t reps = 1, t0;

	/* Find the repetitions for ~0.2 s. */
	for (;;) {
		t0 = perfkit_now_ns();
		perfkit_kernel_run(inst, reps);
		if (perfkit_now_ns() - t0 > (quick ? 2000000u : 20000000u))
			break;
		reps *= 2;
	}
	reps *= quick ? 1 : 10;
	for (int s = 0; s < SAMPLES; s++)
		v[s] = sample(inst, size, reps, 0, &c[s]);
	check(inst);
	perfkit_kernel_teardown(inst);
	*cpu = summarise(c, SAMPLES);
	return summarise(v, SAMPLES);
}

static struct stats bench_dgemm(int64_t n, struct stats *cpu)
{
	struct perfkit_kernel_instance *inst = setup("dgemm", n);
	double v[SAMPLES], c[SAMPLES];
	int samples = n >= 2048 ? 3 : SAMPLES;

	perfkit_kernel_run(inst, 1); /* warm-up: BLIS init, page faults */
	for (int s = 0; s < samples; s++)
		v[s] = sample(inst, n, 1, 0, &c[s]);
	check(inst);
	perfkit_kernel_teardown(inst);
	*cpu = summarise(c, samples);
	return summarise(v, samples);
}

static struct stats bench_triad(int64_t n)
{
	struct perfkit_kernel_instance *inst = setup("triad", n);
	double v[SAMPLES], c;

	perfkit_kernel_run(inst, 1);
	for (int s = 0; s < SAMPLES; s++)
		v[s] = sample(inst, n, 1, 1, &c);
	check(inst);
	perfkit_kernel_teardown(inst);
	return summarise(v, SAMPLES);
}

/* Run likwid-bench; return the figure on the line starting with @key
 * ("MFlops/s:" or "MByte/s:"), or a negative value if it did not run. */
static double likwid(const char *test, const char *workgroup, const char *key)
{
	char cmd[256], line[512];
	double value = -1;
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "likwid-bench -t %s -w %s 2>&1", test,
		 workgroup);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		if (strncmp(line, key, strlen(key)) == 0)
			value = strtod(line + strlen(key), NULL);
	}
	status = pclose(p);
	return status == 0 ? value : -1;
}

static int have_likwid(void)
{
	return system("command -v likwid-bench >/dev/null 2>&1") == 0;
}

static void print_stats(const char *what, struct stats s, const char *unit)
{
	printf("%-30s %9.2f %-7s (min %.2f, max %.2f)\n", what, s.median, unit,
	       s.min, s.max);
}

/* Alternate our sample and likwid's, then print the ratio of medians. */
static void compare_peak(const char *test, const char *ours)
{
	double a[3], b[3];
	int ok = 1;

	for (int r = 0; r < 3; r++) {
		struct stats cpu;

		a[r] = bench_peak(ours, &cpu).median;
		b[r] = likwid(test, "S0:100kB:1", "MFlops/s:") / 1e3;
		ok &= b[r] > 0;
	}
	if (!ok) {
		printf("likwid-bench -t %s failed here (no access in this VM?): "
		       "no ratio\n", test);
		return;
	}
	struct stats sa = summarise(a, 3), sb = summarise(b, 3);
	printf("%-30s %9.2f GFLOPS  (min %.2f, max %.2f, 3 runs)\n", test,
	       sb.median, sb.min, sb.max);
	printf("  ratio %s / likwid %s: %.3f (ours %.2f GFLOPS, same rounds)\n",
	       ours, test, sa.median / sb.median, sa.median);
}

static void compare_triad(int64_t n)
{
	double a[3], b[3];
	int ok = 1;

	for (int r = 0; r < 3; r++) {
		a[r] = bench_triad(n).median;
		b[r] = likwid("stream_avx", "S0:1GB:1", "MByte/s:") / 1e3;
		ok &= b[r] > 0;
	}
	if (!ok) {
		printf("likwid-bench -t stream_avx failed here (no access in this "
		       "VM?): no ratio\n");
		return;
	}
	struct stats sa = summarise(a, 3), sb = summarise(b, 3);
	printf("%-30s %9.2f GB/s    (min %.2f, max %.2f, 3 runs)\n",
	       "likwid stream_avx S0:1GB:1", sb.median, sb.min, sb.max);
	printf("  ratio triad / likwid stream_avx: %.3f (ours %.2f GB/s, same "
	       "rounds)\n", sa.median / sb.median, sa.median);
}

int main(int argc, char **argv)
{
	cpu_set_t one;
	const char *isa = perfkit_kernel_peak_isa();
	struct stats ghz, ghz_cpu;
	int64_t triad_n;

	quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0)
		printf("note: could not pin to CPU 0 (%s)\n", strerror(errno));

	printf("peak ISA path: %s; %d samples per figure, median (min, max)\n",
	       isa, SAMPLES);
	/* A BLIS without a kernel set for this CPU falls back to 'generic'
	 * reference code: say which one ran. */
	printf("BLIS %s, sub-configuration '%s'\n", bli_info_get_version_str(),
	       bli_arch_string(bli_arch_query_id()));
	measure_ghz(&ghz, &ghz_cpu);
	if (ghz.median > 0) {
		print_stats("core clock, wall", ghz, "GHz");
		print_stats("core clock, cpu", ghz_cpu, "GHz");
	}

	for (int p = 0; p < 2; p++) {
		const char *name = p ? "peak-sp" : "peak";
		struct stats cpu, s = bench_peak(name, &cpu);
		char label[64];

		snprintf(label, sizeof(label), "%s 1 thread, wall", name);
		print_stats(label, s, "GFLOPS");
		snprintf(label, sizeof(label), "%s 1 thread, cpu", name);
		print_stats(label, cpu, "GFLOPS");
		/* cpu/cpu: both immune to other processes in the VM */
		if (ghz_cpu.median > 0)
			printf("  = %.2f flops/cycle at %.3f GHz (cpu time)\n",
			       cpu.median / ghz_cpu.median, ghz_cpu.median);
	}

	for (int64_t n = 1024; n <= (quick ? 1024 : 2048); n *= 2) {
		struct stats cpu, s = bench_dgemm(n, &cpu);
		char label[64];

		snprintf(label, sizeof(label), "dgemm N=%lld 1 thread, wall",
			 (long long)n);
		print_stats(label, s, "GFLOPS");
		snprintf(label, sizeof(label), "dgemm N=%lld 1 thread, cpu",
			 (long long)n);
		print_stats(label, cpu, "GFLOPS");
	}

	/* 1 GiB over the three arrays */
	triad_n = (quick ? (INT64_C(1) << 26) : (INT64_C(1) << 30)) / 24;
	print_stats(quick ? "triad 64 MiB 1 thread, wall" : "triad 1 GiB 1 thread, wall",
		    bench_triad(triad_n), "GB/s");

	if (quick)
		return 0;
	if (!have_likwid()) {
		printf("likwid-bench not installed: no comparison\n");
		return 0;
	}
	compare_peak("peakflops_avx_fma", "peak");
	if (strcmp(isa, "avx512") == 0)
		compare_peak("peakflops_avx512_fma", "peak");
	compare_triad(triad_n);
	return 0;
}
