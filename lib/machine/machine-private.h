/* SPDX-License-Identifier: MIT */
/* The machine description's internals, shared by lib/machine/ and reached
 * by tests/test-machine.c through the static library. Not installed. */
#ifndef PERFKIT_MACHINE_PRIVATE_H
#define PERFKIT_MACHINE_PRIVATE_H

#include <hwloc.h>
#include <stddef.h>

#include "common.h"
#include "perfkit/machine.h"

enum { PK_MAX_CACHES = 12, PK_MAX_WARNINGS = 16 };

enum pk_kv_type { PK_KV_STRING = 0, PK_KV_NUMBER = 1, PK_KV_INTEGER = 2 };

struct pk_kv {
	char *key;
	char *value;
	enum pk_kv_type type;
};

struct pk_cache {
	unsigned level;
	enum perfkit_cache_kind kind;
	uint64_t size;
	unsigned line;
	unsigned count;
};

struct pk_warning {
	enum perfkit_machine_warning code;
	char *message;
};

/* One row of the FLOPs/cycle table (machine-simd.c, documented in
 * docs/machine.md). */
struct pk_flops_entry {
	const char *vendor;
	unsigned family;
	unsigned model_lo, model_hi;
	unsigned simd_required; /* all of these bits must be usable */
	const char *uarch;
	double dp, sp;          /* FLOPs per cycle per core */
	const char *source;
};

struct perfkit_machine {
	hwloc_topology_t topo;
	hwloc_bitmap_t allowed;  /* cgroup cpuset ∩ main-thread affinity */

	unsigned packages, numa_nodes, cores, pus, allowed_pus, allowed_cores;

	char vendor[64], model[128];
	const char *uarch;
	int have_id;
	unsigned family, model_no;

	unsigned simd;

	int flops_rc;
	double dp_per_cycle, sp_per_cycle;
	char flops_why[192];

	int nominal_rc;
	double nominal_ghz;
	char nominal_source[160];

	int measured_rc;
	double measured_ghz, measured_min_ghz, measured_max_ghz;
	unsigned measured_runs;
	char measured_source[224];

	double ticks_ghz;
	char governor[64], turbo[32];

	int peak_rc;
	double peak_dp, peak_sp;

	struct pk_cache caches[PK_MAX_CACHES];
	size_t ncaches;

	struct pk_warning warnings[PK_MAX_WARNINGS];
	size_t nwarnings;

	struct pk_kv *kv;
	size_t nkv, kv_cap;
	int kv_failed;
};

/* machine-probe.c: topology, caches, CPU identity. */
int pk_machine_probe_topology(struct perfkit_machine *m);
void pk_machine_probe_cpu_id(struct perfkit_machine *m);

/* machine-simd.c: run-time SIMD and the FLOPs/cycle table. */
unsigned pk_machine_detect_simd(void);
/*
 * Not a perfkit_simd bit: set beside them for pk_flops_lookup() when the
 * CPU reports AMX-TILE (CPUID.(7,0):EDX[24]), which only Intel server cores
 * with two 512-bit FMA units have. A hypervisor may show such a core under
 * a client model number (a Xeon seen as Rocket Lake 0xA7).
 */
#define PK_CPU_AMX (1u << 30)
unsigned pk_cpu_has_amx(void);
int pk_flops_lookup(const char *vendor, unsigned family, unsigned model,
		    unsigned simd, const struct pk_flops_entry **out);
int pk_peak_gflops(unsigned cores, double ghz, double flops_per_cycle,
		   double *gflops);

/* machine-files.c: small files of /sys and /proc. */
int pk_read_khz_file(const char *path, double *ghz);
int pk_cpuinfo_mhz(const char *path, double *ghz);
int pk_read_line(const char *path, char *buf, size_t len);

/* machine-clock.c: nominal and measured clock, governor and turbo. */
/* Returns the number of runs the median is taken from (> 0), or -errno. */
int pk_measure_ghz(unsigned runs, double *median, double *min, double *max);
void pk_machine_probe_clock(struct perfkit_machine *m);

/* machine-warn.c: environment warnings. */
int pk_hypervisor_name(char *buf, size_t len);
void pk_machine_probe_warnings(struct perfkit_machine *m);
void pk_machine_warn(struct perfkit_machine *m, enum perfkit_machine_warning code,
		     const char *fmt, ...) PK_PRINTF(3, 4);

/* machine-kv.c: the key/value list and JSON. */
void pk_kv_add(struct perfkit_machine *m, enum pk_kv_type type, const char *key,
	       const char *fmt, ...) PK_PRINTF(4, 5);
void pk_machine_free_kv(struct perfkit_machine *m);

/* machine-describe.c and machine-host.c: the pairs of the description. */
void pk_machine_build_kv(struct perfkit_machine *m);
void pk_machine_host_kv(struct perfkit_machine *m);

#endif /* PERFKIT_MACHINE_PRIVATE_H */
