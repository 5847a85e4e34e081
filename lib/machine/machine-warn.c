/* SPDX-License-Identifier: MIT */
/* Environment warnings: conditions that make measurements less reliable,
 * kept as data (code + message) for the caller to show or record. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine-private.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static const char *const warning_names[] = {
	[PERFKIT_MACHINE_WARN_GOVERNOR] = "governor",
	[PERFKIT_MACHINE_WARN_TURBO] = "turbo",
	[PERFKIT_MACHINE_WARN_HYPERVISOR] = "hypervisor",
	[PERFKIT_MACHINE_WARN_LOAD] = "load",
	[PERFKIT_MACHINE_WARN_THREADS_ENV] = "threads_env",
	[PERFKIT_MACHINE_WARN_SMT] = "smt",
	[PERFKIT_MACHINE_WARN_NO_CPUFREQ] = "no_cpufreq",
	[PERFKIT_MACHINE_WARN_CLOCK_UNSTABLE] = "clock_unstable",
};

PERFKIT_EXPORT const char *perfkit_machine_warning_name(enum perfkit_machine_warning code)
{
	if ((int)code <= 0 || (size_t)code >= sizeof(warning_names) / sizeof(warning_names[0]))
		return "unknown";
	return warning_names[code];
}

/* Record one warning per code (the first message wins). */
void pk_machine_warn(struct perfkit_machine *m, enum perfkit_machine_warning code,
		     const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	for (size_t i = 0; i < m->nwarnings; i++)
		if (m->warnings[i].code == code)
			return;
	if (m->nwarnings >= PK_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	m->warnings[m->nwarnings].message = strdup(buf);
	if (!m->warnings[m->nwarnings].message) {
		m->kv_failed = 1;
		return;
	}
	m->warnings[m->nwarnings++].code = code;
}

/* The hypervisor's name if we run under one: 1 if found, 0 if not. */
int pk_hypervisor_name(char *buf, size_t len)
{
	char line[64];

	if (!buf || len == 0)
		return pk_error(-EINVAL, "pk_hypervisor_name: bad argument");
	buf[0] = '\0';
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;

	/* CPUID.1:ECX bit 31 is reserved for hypervisors to set; leaf
	 * 0x40000000 then holds their 12-byte signature. */
	if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 31))) {
		char sig[13] = "";

		__cpuid(0x40000000, a, b, c, d);
		memcpy(sig, &b, 4);
		memcpy(sig + 4, &c, 4);
		memcpy(sig + 8, &d, 4);
		sig[12] = '\0';
		for (char *p = sig; *p; p++)
			if (*p < 0x20 || *p > 0x7e)
				*p = '?';
		snprintf(buf, len, "cpuid hypervisor bit set, signature '%s'", sig);
		return 1;
	}
#endif
	if (pk_read_line("/sys/hypervisor/type", line, sizeof(line)) == 0) {
		snprintf(buf, len, "/sys/hypervisor/type is '%s'", line);
		return 1;
	}
	return 0;
}

static void warn_hypervisor(struct perfkit_machine *m)
{
	char why[128];

	if (pk_hypervisor_name(why, sizeof(why)) == 1)
		pk_machine_warn(m, PERFKIT_MACHINE_WARN_HYPERVISOR,
				"running under a hypervisor (%s): vCPUs may share "
				"physical cores and be descheduled", why);
}

static void warn_load(struct perfkit_machine *m)
{
	double load[1];
	unsigned cores = m->allowed_cores ? m->allowed_cores : 1;

	if (getloadavg(load, 1) != 1)
		return;
	if (load[0] > 0.5 * cores)
		pk_machine_warn(m, PERFKIT_MACHINE_WARN_LOAD,
				"1-minute load average %.2f is above 0.5 per core "
				"(%u cores): other work competes for the CPUs",
				load[0], cores);
}

static void warn_threads_env(struct perfkit_machine *m)
{
	const char *omp = getenv("OMP_NUM_THREADS");
	const char *blis = getenv("BLIS_NUM_THREADS");

	if (omp || blis)
		pk_machine_warn(m, PERFKIT_MACHINE_WARN_THREADS_ENV,
				"OMP_NUM_THREADS=%s BLIS_NUM_THREADS=%s: libraries "
				"may start their own threads and oversubscribe",
				omp ? omp : "(unset)", blis ? blis : "(unset)");
}

static void warn_smt(struct perfkit_machine *m)
{
	int n = hwloc_get_nbobjs_by_type(m->topo, HWLOC_OBJ_CORE);
	hwloc_bitmap_t both = hwloc_bitmap_alloc();

	if (!both)
		return;
	for (int i = 0; i < n; i++) {
		hwloc_obj_t c = hwloc_get_obj_by_type(m->topo, HWLOC_OBJ_CORE, (unsigned)i);

		hwloc_bitmap_and(both, c->cpuset, m->allowed);
		if (hwloc_bitmap_weight(both) > 1) {
			pk_machine_warn(m, PERFKIT_MACHINE_WARN_SMT,
					"core %d has %d allowed SMT siblings: threads "
					"on siblings share one core's FP units", i,
					hwloc_bitmap_weight(both));
			break;
		}
	}
	hwloc_bitmap_free(both);
}

void pk_machine_probe_warnings(struct perfkit_machine *m)
{
	warn_hypervisor(m);
	warn_load(m);
	warn_threads_env(m);
	warn_smt(m);
}
