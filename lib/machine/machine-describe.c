/* SPDX-License-Identifier: MIT */
/* The machine description as key/value pairs (perfkit_machine_kv_*()),
 * built once when the machine is probed. */
#include <stdio.h>
#include <stdlib.h>

#include "perfkit/version.h"
#include "machine-private.h"

/* A number, or the text saying why there is none. */
static void add_real(struct perfkit_machine *m, const char *key, int known,
		     double v, const char *unknown)
{
	if (known)
		pk_kv_add(m, PK_KV_NUMBER, key, "%.6g", v);
	else
		pk_kv_add(m, PK_KV_STRING, key, "%s", unknown);
}

static void add_uint(struct perfkit_machine *m, const char *key, unsigned long long v)
{
	pk_kv_add(m, PK_KV_INTEGER, key, "%llu", v);
}

static void cpu_kv(struct perfkit_machine *m)
{
	pk_kv_add(m, PK_KV_STRING, "cpu.vendor", "%s", perfkit_machine_cpu_vendor(m));
	pk_kv_add(m, PK_KV_STRING, "cpu.model", "%s", perfkit_machine_cpu_model(m));
	if (m->have_id) {
		pk_kv_add(m, PK_KV_STRING, "cpu.family", "0x%x", m->family);
		pk_kv_add(m, PK_KV_STRING, "cpu.model_number", "0x%x", m->model_no);
	} else {
		pk_kv_add(m, PK_KV_STRING, "cpu.family", "unknown");
		pk_kv_add(m, PK_KV_STRING, "cpu.model_number", "unknown");
	}
	pk_kv_add(m, PK_KV_STRING, "cpu.uarch", "%s", perfkit_machine_cpu_uarch(m));
}

static void topology_kv(struct perfkit_machine *m)
{
	char list[256];

	add_uint(m, "topology.packages", m->packages);
	add_uint(m, "topology.numa_nodes", m->numa_nodes);
	add_uint(m, "topology.cores", m->cores);
	add_uint(m, "topology.pus", m->pus);
	add_uint(m, "topology.allowed_cores", m->allowed_cores);
	add_uint(m, "topology.allowed_pus", m->allowed_pus);
	if (hwloc_bitmap_list_snprintf(list, sizeof(list), m->allowed) < 0)
		snprintf(list, sizeof(list), "unknown");
	pk_kv_add(m, PK_KV_STRING, "topology.allowed_os_cpus", "%s", list);
}

static void cache_kv(struct perfkit_machine *m)
{
	for (size_t i = 0; i < m->ncaches; i++) {
		const struct pk_cache *c = &m->caches[i];
		const char *suffix = "";
		char key[64];

		/* L1 is split (L1d, L1i); name a level's data cache "d" when
		 * the same level has an instruction cache too. */
		for (size_t j = 0; j < m->ncaches; j++)
			if (m->caches[j].level == c->level && j != i)
				suffix = c->kind == PERFKIT_CACHE_INSTRUCTION ? "i" : "d";
		if (c->kind == PERFKIT_CACHE_INSTRUCTION)
			suffix = "i";
		snprintf(key, sizeof(key), "cache.L%u%s.size", c->level, suffix);
		add_uint(m, key, c->size);
		snprintf(key, sizeof(key), "cache.L%u%s.line", c->level, suffix);
		add_uint(m, key, c->line);
		snprintf(key, sizeof(key), "cache.L%u%s.count", c->level, suffix);
		add_uint(m, key, c->count);
	}
}

static void simd_kv(struct perfkit_machine *m)
{
	char list[128] = "";
	size_t n = 0;

	for (unsigned bit = 1; bit <= PERFKIT_SIMD_SVE; bit <<= 1)
		if (m->simd & bit)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
					      n ? " " : "",
					      perfkit_simd_name((enum perfkit_simd)bit));
	pk_kv_add(m, PK_KV_STRING, "simd.usable", "%s", n ? list : "none");
	add_real(m, "flops.dp_per_cycle", m->flops_rc == 0, m->dp_per_cycle, "unknown");
	add_real(m, "flops.sp_per_cycle", m->flops_rc == 0, m->sp_per_cycle, "unknown");
	pk_kv_add(m, PK_KV_STRING, "flops.source", "%s", m->flops_why);
}

static void clock_kv(struct perfkit_machine *m)
{
	int ok = m->measured_rc == 0;

	add_real(m, "clock.nominal_ghz", m->nominal_rc == 0, m->nominal_ghz,
		 "not available");
	pk_kv_add(m, PK_KV_STRING, "clock.nominal_source", "%s", m->nominal_source);
	add_real(m, "clock.measured_ghz", ok, m->measured_ghz, "not available");
	add_real(m, "clock.measured_min_ghz", ok, m->measured_min_ghz, "not available");
	add_real(m, "clock.measured_max_ghz", ok, m->measured_max_ghz, "not available");
	add_uint(m, "clock.measured_runs", m->measured_runs);
	pk_kv_add(m, PK_KV_STRING, "clock.measured_source", "%s", m->measured_source);
	add_real(m, "clock.ticks_ghz", m->ticks_ghz > 0, m->ticks_ghz, "not available");
	pk_kv_add(m, PK_KV_STRING, "clock.governor", "%s", m->governor);
	pk_kv_add(m, PK_KV_STRING, "clock.turbo", "%s", m->turbo);
}

static void peak_kv(struct perfkit_machine *m)
{
	int ok = m->peak_rc == 0;

	add_uint(m, "peak.cores", m->allowed_cores);
	add_real(m, "peak.ghz", m->measured_rc == 0, m->measured_ghz, "unknown");
	add_real(m, "peak.dp_flops_per_cycle", m->flops_rc == 0, m->dp_per_cycle, "unknown");
	add_real(m, "peak.sp_flops_per_cycle", m->flops_rc == 0, m->sp_per_cycle, "unknown");
	add_real(m, "peak.dp_gflops", ok, m->peak_dp, "unknown");
	add_real(m, "peak.sp_gflops", ok, m->peak_sp, "unknown");
	pk_kv_add(m, PK_KV_STRING, "peak.formula",
		  "allowed cores x measured GHz x FLOPs/cycle");
}

static void env_kv(struct perfkit_machine *m)
{
	const char *names[] = { "OMP_NUM_THREADS", "BLIS_NUM_THREADS" };
	double load[1];
	char key[64];

	if (getloadavg(load, 1) == 1)
		pk_kv_add(m, PK_KV_NUMBER, "env.loadavg_1min", "%.2f", load[0]);
	else
		pk_kv_add(m, PK_KV_STRING, "env.loadavg_1min", "not available");
	for (size_t i = 0; i < 2; i++) {
		const char *v = getenv(names[i]);

		snprintf(key, sizeof(key), "env.%s", names[i]);
		pk_kv_add(m, PK_KV_STRING, key, "%s", v ? v : "not set");
	}
	for (size_t i = 0; i < m->nwarnings; i++) {
		snprintf(key, sizeof(key), "warning.%s",
			 perfkit_machine_warning_name(m->warnings[i].code));
		pk_kv_add(m, PK_KV_STRING, key, "%s", m->warnings[i].message);
	}
}

void pk_machine_build_kv(struct perfkit_machine *m)
{
	pk_kv_add(m, PK_KV_STRING, "perfkit.version", "%s", perfkit_version_string());
	pk_machine_host_kv(m);
	cpu_kv(m);
	topology_kv(m);
	cache_kv(m);
	simd_kv(m);
	clock_kv(m);
	peak_kv(m);
	env_kv(m);
}
