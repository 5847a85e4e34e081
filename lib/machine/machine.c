/* SPDX-License-Identifier: MIT */
/* The cached machine description and its getters. The probe itself is
 * spread over machine-probe.c (topology, CPU), machine-simd.c (SIMD, FLOPs
 * table), machine-clock.c (clock), machine-warn.c (warnings), machine-kv.c
 * (export) and machine-bind.c (binding). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine-private.h"

static struct perfkit_machine *cached;
static int cached_rc;
static char cached_error[256];
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;

static void machine_free(struct perfkit_machine *m)
{
	if (!m)
		return;
	pk_machine_free_kv(m);
	for (size_t i = 0; i < m->nwarnings; i++)
		free(m->warnings[i].message);
	if (m->allowed)
		hwloc_bitmap_free(m->allowed);
	if (m->topo)
		hwloc_topology_destroy(m->topo);
	free(m);
}

static void compute_peak(struct perfkit_machine *m)
{
	m->peak_rc = -ENOTSUP;
	if (m->flops_rc < 0 || m->measured_rc < 0)
		return;
	if (pk_peak_gflops(m->allowed_cores, m->measured_ghz, m->dp_per_cycle,
			   &m->peak_dp) == 0 &&
	    pk_peak_gflops(m->allowed_cores, m->measured_ghz, m->sp_per_cycle,
			   &m->peak_sp) == 0)
		m->peak_rc = 0;
}

static void flops_from_table(struct perfkit_machine *m)
{
	const struct pk_flops_entry *e;

	m->uarch = "unknown";
	if (!m->have_id) {
		m->flops_rc = -ENOTSUP;
		snprintf(m->flops_why, sizeof(m->flops_why),
			 "unknown: CPU family/model could not be read");
		return;
	}
	m->flops_rc = pk_flops_lookup(m->vendor, m->family, m->model_no,
				      m->simd | pk_cpu_has_amx(), &e);
	if (m->flops_rc < 0) {
		snprintf(m->flops_why, sizeof(m->flops_why), "unknown: %s",
			 perfkit_last_error());
		return;
	}
	m->uarch = e->uarch;
	m->dp_per_cycle = e->dp;
	m->sp_per_cycle = e->sp;
	snprintf(m->flops_why, sizeof(m->flops_why), "%s", e->source);
}

static void probe(void)
{
	struct perfkit_machine *m = calloc(1, sizeof(*m));
	int rc;

	if (!m) {
		cached_rc = pk_error(-ENOMEM, "machine probe: out of memory");
		goto fail;
	}
	rc = pk_machine_probe_topology(m);
	if (rc < 0) {
		cached_rc = rc;
		goto fail;
	}
	pk_machine_probe_cpu_id(m);
	m->simd = pk_machine_detect_simd();
	flops_from_table(m);
	pk_machine_probe_clock(m);
	compute_peak(m);
	pk_machine_probe_warnings(m);
	pk_machine_build_kv(m);
	if (m->kv_failed) {
		cached_rc = pk_error(-ENOMEM, "machine probe: out of memory");
		goto fail;
	}
	perfkit_clear_error();
	cached = m;
	cached_rc = 0;
	return;
fail:
	snprintf(cached_error, sizeof(cached_error), "%s", perfkit_last_error());
	machine_free(m);
}

PERFKIT_EXPORT int perfkit_machine_probe(const struct perfkit_machine **out)
{
	if (!out)
		return pk_error(-EINVAL, "perfkit_machine_probe: out is NULL");
	pthread_once(&probe_once, probe);
	if (cached_rc < 0)
		return pk_error(cached_rc, "%s", cached_error);
	*out = cached;
	return 0;
}

PERFKIT_EXPORT unsigned perfkit_machine_packages(const struct perfkit_machine *m)
{
	return m ? m->packages : 0;
}

PERFKIT_EXPORT unsigned perfkit_machine_numa_nodes(const struct perfkit_machine *m)
{
	return m ? m->numa_nodes : 0;
}

PERFKIT_EXPORT unsigned perfkit_machine_cores(const struct perfkit_machine *m)
{
	return m ? m->cores : 0;
}

PERFKIT_EXPORT unsigned perfkit_machine_pus(const struct perfkit_machine *m)
{
	return m ? m->pus : 0;
}

PERFKIT_EXPORT unsigned perfkit_machine_allowed_pus(const struct perfkit_machine *m)
{
	return m ? m->allowed_pus : 0;
}

PERFKIT_EXPORT unsigned perfkit_machine_allowed_cores(const struct perfkit_machine *m)
{
	return m ? m->allowed_cores : 0;
}

PERFKIT_EXPORT int perfkit_machine_pu(const struct perfkit_machine *m, unsigned pu,
				      unsigned *os_index, unsigned *core,
				      int *allowed)
{
	hwloc_obj_t obj, c;

	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_pu: m is NULL");
	obj = hwloc_get_obj_by_type(m->topo, HWLOC_OBJ_PU, pu);
	if (!obj)
		return pk_error(-EINVAL, "perfkit_machine_pu: PU %u out of range (0-%u)",
				pu, m->pus ? m->pus - 1 : 0);
	if (os_index)
		*os_index = obj->os_index;
	if (core) {
		c = hwloc_get_ancestor_obj_by_type(m->topo, HWLOC_OBJ_CORE, obj);
		*core = c ? c->logical_index : pu;
	}
	if (allowed)
		*allowed = hwloc_bitmap_isset(m->allowed, obj->os_index);
	return 0;
}

PERFKIT_EXPORT int perfkit_machine_cache(const struct perfkit_machine *m,
					 unsigned level,
					 enum perfkit_cache_kind kind,
					 uint64_t *size_bytes,
					 unsigned *line_bytes, unsigned *count)
{
	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_cache: m is NULL");
	if (kind != PERFKIT_CACHE_DATA && kind != PERFKIT_CACHE_INSTRUCTION)
		return pk_error(-EINVAL, "perfkit_machine_cache: bad kind %d", (int)kind);
	for (size_t i = 0; i < m->ncaches; i++) {
		const struct pk_cache *c = &m->caches[i];

		if (c->level != level || c->kind != kind)
			continue;
		if (size_bytes)
			*size_bytes = c->size;
		if (line_bytes)
			*line_bytes = c->line;
		if (count)
			*count = c->count;
		return 0;
	}
	return pk_error(-ENOENT, "no L%u %s cache", level,
			kind == PERFKIT_CACHE_DATA ? "data" : "instruction");
}

PERFKIT_EXPORT int perfkit_machine_cpu_id(const struct perfkit_machine *m,
					  unsigned *family, unsigned *model)
{
	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_cpu_id: m is NULL");
	if (!m->have_id)
		return pk_error(-ENOTSUP, "CPU family/model could not be read");
	if (family)
		*family = m->family;
	if (model)
		*model = m->model_no;
	return 0;
}

PERFKIT_EXPORT unsigned perfkit_machine_simd(const struct perfkit_machine *m)
{
	return m ? m->simd : 0;
}

PERFKIT_EXPORT int perfkit_machine_flops_per_cycle(const struct perfkit_machine *m,
						   double *dp, double *sp)
{
	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_flops_per_cycle: m is NULL");
	if (m->flops_rc < 0)
		return pk_error(m->flops_rc, "FLOPs/cycle %s", m->flops_why);
	if (dp)
		*dp = m->dp_per_cycle;
	if (sp)
		*sp = m->sp_per_cycle;
	return 0;
}

PERFKIT_EXPORT int perfkit_machine_clock_nominal(const struct perfkit_machine *m,
						 double *ghz, const char **source)
{
	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_clock_nominal: m is NULL");
	if (source)
		*source = m->nominal_source;
	if (m->nominal_rc < 0)
		return pk_error(m->nominal_rc, "nominal clock %s", m->nominal_source);
	if (ghz)
		*ghz = m->nominal_ghz;
	return 0;
}

PERFKIT_EXPORT int perfkit_machine_clock_measured(const struct perfkit_machine *m,
						  double *ghz, const char **source)
{
	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_clock_measured: m is NULL");
	if (source)
		*source = m->measured_source;
	if (m->measured_rc < 0)
		return pk_error(m->measured_rc, "measured clock %s", m->measured_source);
	if (ghz)
		*ghz = m->measured_ghz;
	return 0;
}

PERFKIT_EXPORT int perfkit_machine_peak_gflops(const struct perfkit_machine *m,
					       double *dp, double *sp)
{
	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_peak_gflops: m is NULL");
	if (m->peak_rc < 0)
		return pk_error(m->peak_rc, "peak unknown: %s",
				m->flops_rc < 0 ? m->flops_why :
				"the clock could not be measured");
	if (dp)
		*dp = m->peak_dp;
	if (sp)
		*sp = m->peak_sp;
	return 0;
}

PERFKIT_EXPORT size_t perfkit_machine_warning_count(const struct perfkit_machine *m)
{
	return m ? m->nwarnings : 0;
}

PERFKIT_EXPORT int perfkit_machine_warning_get(const struct perfkit_machine *m,
					       size_t i,
					       enum perfkit_machine_warning *code,
					       const char **message)
{
	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_warning_get: m is NULL");
	if (i >= m->nwarnings)
		return pk_error(-EINVAL, "warning %zu out of range (%zu warnings)",
				i, m->nwarnings);
	if (code)
		*code = m->warnings[i].code;
	if (message)
		*message = m->warnings[i].message;
	return 0;
}
