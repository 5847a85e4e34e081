/* SPDX-License-Identifier: MIT */
/* The nominal clock the system states, the clock a dependent add chain
 * measures, and the frequency-scaling state (governor, turbo). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/timer.h"
#include "add-chain.h"
#include "machine-private.h"

/* ---- the dependent add chain ---- */

#define ADD_CHAIN_PER_ITER 128 /* PK_ADD64 PK_ADD64 */
#define MAX_ATTEMPTS 31

#ifdef PK_ADD1
/* ADD_CHAIN_PER_ITER adds per iteration, each waiting for the one before:
 * one cycle each on every core we know, and the loop's own counter and
 * branch run beside them on other ports. */
static void __attribute__((noinline)) add_chain(unsigned long iters)
{
	unsigned long x = 0, one = 1;

	for (unsigned long i = 0; i < iters; i++)
		__asm__ __volatile__(PK_ADD64 PK_ADD64 : "+r"(x) : "r"(one));
	__asm__ __volatile__("" : : "r"(x));
}

static uint64_t thread_cpu_ns(void)
{
	uint64_t ns = 0;

	perfkit_clock_read(PERFKIT_CLOCK_THREAD_CPU, &ns);
	return ns;
}

/* One chain, timed by the thread's CPU time, which does not count the
 * time the thread was descheduled: on a busy machine a wall-clock probe
 * reads a preempted core as a slow one. *ran says whether the thread kept
 * the CPU all along (CPU time >= 95% of wall time). The wall time where
 * the thread CPU clock does not advance. */
static uint64_t time_chain(unsigned long iters, int *ran)
{
	uint64_t c0 = thread_cpu_ns(), t0 = perfkit_now_ns(), t1, c1;

	add_chain(iters);
	t1 = perfkit_now_ns();
	c1 = thread_cpu_ns();
	*ran = (double)(c1 - c0) >= 0.95 * (double)(t1 - t0);
	return c1 > c0 ? c1 - c0 : t1 - t0;
}

int pk_measure_ghz(unsigned runs, double *median, double *min, double *max)
{
	double ghz[MAX_ATTEMPTS];
	unsigned long iters = 256;
	unsigned n = 0, kept = 0;
	uint64_t ns;
	int ran;

	if (runs == 0 || runs > MAX_ATTEMPTS / 2 || !median)
		return pk_error(-EINVAL, "pk_measure_ghz: runs must be 1-%d",
				MAX_ATTEMPTS / 2);
	/* Grow the chain until one run takes ~1 ms of CPU (this also wakes
	 * the core up from any idle state). */
	while ((ns = time_chain(iters, &ran)) < 1000000u && iters < (1ul << 40))
		iters *= 2;
	/* CPU time already leaves preemption out; runs during which the
	 * thread kept the CPU are counted for the report, and up to
	 * MAX_ATTEMPTS runs are made to get @runs of them. */
	while (kept < runs && n < MAX_ATTEMPTS) {
		ns = time_chain(iters, &ran);
		if (ns == 0)
			continue;
		ghz[n++] = (double)iters * ADD_CHAIN_PER_ITER / (double)ns;
		kept += ran != 0;
	}
	*median = pk_median_sort(ghz, n);
	if (min)
		*min = ghz[0];
	if (max)
		*max = ghz[n - 1];
	if (!isfinite(*median) || *median <= 0)
		return pk_error(-ERANGE, "measured clock is not positive");
	return (int)n;
}
#else
int pk_measure_ghz(unsigned runs, double *median, double *min, double *max)
{
	(void)runs, (void)median, (void)min, (void)max;
	return pk_error(-ENOTSUP, "no add-chain kernel for this architecture");
}
#endif

/* ---- probing ---- */

enum { MEASURE_RUNS = 11 };

static unsigned first_allowed_cpu(const struct perfkit_machine *m)
{
	int c = hwloc_bitmap_first(m->allowed);

	return c < 0 ? 0 : (unsigned)c;
}

static void probe_nominal(struct perfkit_machine *m, unsigned cpu)
{
	static const char *const files[] = { "base_frequency", "cpuinfo_max_freq" };
	char path[128];

	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/cpufreq/%s", cpu, files[i]);
		if (pk_read_khz_file(path, &m->nominal_ghz) == 0) {
			snprintf(m->nominal_source, sizeof(m->nominal_source),
				 "sysfs cpufreq %s (cpu %u)%s", files[i], cpu,
				 i == 1 ? ", may include boost" : "");
			m->nominal_rc = 0;
			return;
		}
	}
	if (pk_cpuinfo_mhz("/proc/cpuinfo", &m->nominal_ghz) == 0) {
		snprintf(m->nominal_source, sizeof(m->nominal_source),
			 "/proc/cpuinfo cpu MHz (the current clock, or in a VM the TSC rate)");
		m->nominal_rc = 0;
		return;
	}
	m->nominal_rc = -ENOTSUP;
	snprintf(m->nominal_source, sizeof(m->nominal_source),
		 "not available: no cpufreq in sysfs and no cpu MHz in /proc/cpuinfo");
}

static void probe_measured(struct perfkit_machine *m)
{
	m->measured_rc = pk_measure_ghz(MEASURE_RUNS, &m->measured_ghz,
					&m->measured_min_ghz, &m->measured_max_ghz);
	if (m->measured_rc < 0) {
		snprintf(m->measured_source, sizeof(m->measured_source),
			 "not available: %s", perfkit_last_error());
		return;
	}
	m->measured_runs = (unsigned)m->measured_rc;
	m->measured_rc = 0;
	snprintf(m->measured_source, sizeof(m->measured_source),
		 "dependent integer add chain (1 cycle/add) timed by the "
		 "thread's CPU time, median of %u runs of ~1 ms%s", m->measured_runs,
		 m->measured_runs > MEASURE_RUNS ? " (busy CPU: some runs were "
		 "preempted, which CPU time leaves out)" : ", none preempted");
}

/* The governor of every allowed CPU; one warning if any is not
 * "performance". */
static void probe_governor(struct perfkit_machine *m)
{
	char path[128], gov[64], odd[64] = "";
	unsigned odd_cpu = 0, seen = 0;
	int cpu;

	hwloc_bitmap_foreach_begin(cpu, m->allowed)
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
		if (pk_read_line(path, gov, sizeof(gov)) < 0)
			continue;
		if (!seen++)
			snprintf(m->governor, sizeof(m->governor), "%s", gov);
		else if (strcmp(m->governor, gov) != 0)
			snprintf(m->governor, sizeof(m->governor), "mixed");
		if (!odd[0] && strcmp(gov, "performance") != 0) {
			snprintf(odd, sizeof(odd), "%s", gov);
			odd_cpu = (unsigned)cpu;
		}
	hwloc_bitmap_foreach_end();
	if (!seen) {
		snprintf(m->governor, sizeof(m->governor), "not available");
		pk_machine_warn(m, PERFKIT_MACHINE_WARN_NO_CPUFREQ,
				"no cpufreq in sysfs (usual in a VM): governor and "
				"turbo state are unknown");
		return;
	}
	if (odd[0])
		pk_machine_warn(m, PERFKIT_MACHINE_WARN_GOVERNOR,
				"cpufreq governor of cpu %u is '%s', not 'performance': "
				"the clock may change during a run", odd_cpu, odd);
}

static void probe_turbo(struct perfkit_machine *m, unsigned cpu)
{
	char path[128], v[16];
	int on = -1;

	if (pk_read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", v, sizeof(v)) == 0)
		on = strcmp(v, "0") == 0;
	else if (pk_read_line("/sys/devices/system/cpu/cpufreq/boost", v, sizeof(v)) == 0)
		on = strcmp(v, "1") == 0;
	else {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpufreq/policy%u/boost", cpu);
		if (pk_read_line(path, v, sizeof(v)) == 0)
			on = strcmp(v, "1") == 0;
	}
	snprintf(m->turbo, sizeof(m->turbo), "%s",
		 on < 0 ? "not available" : on ? "on" : "off");
	if (on == 1)
		pk_machine_warn(m, PERFKIT_MACHINE_WARN_TURBO,
				"turbo/boost is on: the clock depends on load and "
				"temperature");
}

void pk_machine_probe_clock(struct perfkit_machine *m)
{
	unsigned cpu = first_allowed_cpu(m);
	double hz;

	probe_nominal(m, cpu);
	probe_measured(m);
	m->ticks_ghz = perfkit_ticks_rate(&hz) == 0 ? hz / 1e9 : 0.0;
	probe_governor(m);
	probe_turbo(m, cpu);
}
