/* SPDX-License-Identifier: MIT */
/* Topology, caches and CPU identity, from hwloc (and cpuid or /proc/cpuinfo
 * where hwloc does not say). */
#include <ctype.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine-private.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/* The CPUs the process's main thread may run on. The main thread, not the
 * caller: the first probe may come from an already pinned worker. */
static int main_thread_affinity(hwloc_bitmap_t set, int last_cpu)
{
	int ncpus = last_cpu + 1 > CPU_SETSIZE ? last_cpu + 1 : CPU_SETSIZE;
	size_t size = CPU_ALLOC_SIZE(ncpus);
	cpu_set_t *cs = CPU_ALLOC(ncpus);

	if (!cs)
		return -ENOMEM;
	CPU_ZERO_S(size, cs);
	if (sched_getaffinity(getpid(), size, cs) != 0) {
		CPU_FREE(cs);
		return -EIO;
	}
	hwloc_bitmap_zero(set);
	for (int c = 0; c < ncpus; c++)
		if (CPU_ISSET_S(c, size, cs))
			hwloc_bitmap_set(set, (unsigned)c);
	CPU_FREE(cs);
	return 0;
}

static int load_topology(struct perfkit_machine *m)
{
	if (hwloc_topology_init(&m->topo) != 0) {
		m->topo = NULL;
		return pk_error(-ENOMEM, "hwloc_topology_init failed");
	}
	/* Keep PUs outside our cgroup in view, so that an index that is not
	 * ours can be told apart from one that does not exist. */
	hwloc_topology_set_flags(m->topo, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED);
	hwloc_topology_set_io_types_filter(m->topo, HWLOC_TYPE_FILTER_KEEP_NONE);
	hwloc_topology_set_icache_types_filter(m->topo, HWLOC_TYPE_FILTER_KEEP_ALL);
	if (hwloc_topology_load(m->topo) != 0)
		return pk_error(-EIO, "hwloc could not load the topology");
	return 0;
}

static void count_allowed_cores(struct perfkit_machine *m)
{
	int n = hwloc_get_nbobjs_by_type(m->topo, HWLOC_OBJ_CORE);

	m->allowed_cores = 0;
	for (int i = 0; i < n; i++) {
		hwloc_obj_t c = hwloc_get_obj_by_type(m->topo, HWLOC_OBJ_CORE, (unsigned)i);

		if (c && hwloc_bitmap_intersects(c->cpuset, m->allowed))
			m->allowed_cores++;
	}
}

static void probe_caches(struct perfkit_machine *m)
{
	static const hwloc_obj_type_t types[] = {
		HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE,
		HWLOC_OBJ_L2ICACHE, HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE,
		HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE,
	};

	m->ncaches = 0;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int n = hwloc_get_nbobjs_by_type(m->topo, types[i]);
		hwloc_obj_t o = n > 0 ? hwloc_get_obj_by_type(m->topo, types[i], 0) : NULL;
		struct pk_cache *c;

		if (!o || !o->attr || m->ncaches >= PK_MAX_CACHES)
			continue;
		c = &m->caches[m->ncaches++];
		c->level = o->attr->cache.depth;
		c->kind = o->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION ?
			PERFKIT_CACHE_INSTRUCTION : PERFKIT_CACHE_DATA;
		c->size = o->attr->cache.size;
		c->line = o->attr->cache.linesize;
		c->count = (unsigned)n;
	}
}

int pk_machine_probe_topology(struct perfkit_machine *m)
{
	hwloc_const_cpuset_t cgroup;
	hwloc_bitmap_t aff;
	int rc = load_topology(m);

	if (rc < 0)
		return rc;
	m->packages = (unsigned)hwloc_get_nbobjs_by_type(m->topo, HWLOC_OBJ_PACKAGE);
	m->numa_nodes = (unsigned)hwloc_get_nbobjs_by_type(m->topo, HWLOC_OBJ_NUMANODE);
	m->cores = (unsigned)hwloc_get_nbobjs_by_type(m->topo, HWLOC_OBJ_CORE);
	m->pus = (unsigned)hwloc_get_nbobjs_by_type(m->topo, HWLOC_OBJ_PU);

	cgroup = hwloc_topology_get_allowed_cpuset(m->topo);
	m->allowed = hwloc_bitmap_dup(cgroup);
	aff = hwloc_bitmap_alloc();
	if (!m->allowed || !aff) {
		hwloc_bitmap_free(aff);
		return pk_error(-ENOMEM, "machine probe: out of memory");
	}
	rc = main_thread_affinity(aff, hwloc_bitmap_last(
		hwloc_topology_get_complete_cpuset(m->topo)));
	if (rc == 0)
		hwloc_bitmap_and(m->allowed, m->allowed, aff);
	hwloc_bitmap_free(aff);
	if (rc == -ENOMEM)
		return pk_error(rc, "machine probe: out of memory");
	/* Only PUs that exist in the topology count. */
	hwloc_bitmap_and(m->allowed, m->allowed,
			 hwloc_get_root_obj(m->topo)->cpuset);
	m->allowed_pus = (unsigned)hwloc_bitmap_weight(m->allowed);
	count_allowed_cores(m);
	probe_caches(m);
	return 0;
}

/* Copy @src without leading/trailing blanks (cpuid pads brand strings). */
static void copy_trimmed(char *dst, size_t len, const char *src)
{
	size_t n;

	while (*src && isspace((unsigned char)*src))
		src++;
	n = strlen(src);
	while (n > 0 && isspace((unsigned char)src[n - 1]))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || v > 0xffffffffUL)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static void cpu_id_from_hwloc(struct perfkit_machine *m)
{
	hwloc_obj_t pkg = hwloc_get_obj_by_type(m->topo, HWLOC_OBJ_PACKAGE, 0);
	hwloc_obj_t root = hwloc_get_root_obj(m->topo);
	const char *v, *mo;

	for (hwloc_obj_t o = pkg; o; o = o == pkg ? root : NULL) {
		v = hwloc_obj_get_info_by_name(o, "CPUVendor");
		mo = hwloc_obj_get_info_by_name(o, "CPUModel");
		if (v && !m->vendor[0])
			copy_trimmed(m->vendor, sizeof(m->vendor), v);
		if (mo && !m->model[0])
			copy_trimmed(m->model, sizeof(m->model), mo);
		if (!m->have_id &&
		    parse_uint(hwloc_obj_get_info_by_name(o, "CPUFamilyNumber"),
			       &m->family) == 0 &&
		    parse_uint(hwloc_obj_get_info_by_name(o, "CPUModelNumber"),
			       &m->model_no) == 0)
			m->have_id = 1;
	}
}

#if defined(__x86_64__) || defined(__i386__)
/* Where hwloc said nothing, ask the CPU (display family/model rules from
 * the Intel SDM vol. 2, CPUID leaf 1). */
static void cpu_id_from_cpuid(struct perfkit_machine *m)
{
	unsigned a, b, c, d, regs[12];

	if (!m->vendor[0] && __get_cpuid(0, &a, &b, &c, &d)) {
		memcpy(m->vendor, &b, 4);
		memcpy(m->vendor + 4, &d, 4);
		memcpy(m->vendor + 8, &c, 4);
		m->vendor[12] = '\0';
	}
	if (!m->have_id && __get_cpuid(1, &a, &b, &c, &d)) {
		unsigned fam = (a >> 8) & 0xf, mod = (a >> 4) & 0xf;

		if (fam == 0xf)
			fam += (a >> 20) & 0xff;
		if (fam == 0x6 || fam >= 0xf)
			mod |= ((a >> 16) & 0xf) << 4;
		m->family = fam;
		m->model_no = mod;
		m->have_id = 1;
	}
	if (!m->model[0] && (unsigned)__get_cpuid_max(0x80000000, NULL) >= 0x80000004u) {
		char brand[49];

		for (unsigned i = 0; i < 3; i++)
			__get_cpuid(0x80000002 + i, &regs[4 * i], &regs[4 * i + 1],
				    &regs[4 * i + 2], &regs[4 * i + 3]);
		memcpy(brand, regs, 48);
		brand[48] = '\0';
		copy_trimmed(m->model, sizeof(m->model), brand);
	}
}
#endif

#if defined(__aarch64__)
static const char *arm_implementer_name(unsigned code)
{
	switch (code) {
	case 0x41: return "ARM";
	case 0x46: return "Fujitsu";
	case 0x48: return "HiSilicon";
	case 0x4e: return "NVIDIA";
	case 0x51: return "Qualcomm";
	case 0x61: return "Apple";
	case 0xc0: return "Ampere";
	default: return NULL;
	}
}

/* aarch64 has no cpuid for user space: the kernel lists MIDR fields. */
static void cpu_id_from_cpuinfo(struct perfkit_machine *m)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	unsigned impl = 0, part = 0;
	int have_impl = 0, have_part = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && !(have_impl && have_part)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		if (!have_impl && strncmp(line, "CPU implementer", 15) == 0)
			have_impl = parse_uint(colon + 1, &impl) == 0;
		else if (!have_part && strncmp(line, "CPU part", 8) == 0)
			have_part = parse_uint(colon + 1, &part) == 0;
	}
	fclose(f);
	if (have_impl && have_part) {
		const char *name = arm_implementer_name(impl);

		m->family = impl;
		m->model_no = part;
		m->have_id = 1;
		if (name)
			snprintf(m->vendor, sizeof(m->vendor), "%s", name);
		else
			snprintf(m->vendor, sizeof(m->vendor), "implementer 0x%02x", impl);
	}
}
#endif

void pk_machine_probe_cpu_id(struct perfkit_machine *m)
{
#if defined(__aarch64__)
	cpu_id_from_cpuinfo(m);
#endif
	cpu_id_from_hwloc(m);
#if defined(__x86_64__) || defined(__i386__)
	cpu_id_from_cpuid(m);
#endif
}

PERFKIT_EXPORT const char *perfkit_machine_cpu_vendor(const struct perfkit_machine *m)
{
	return m && m->vendor[0] ? m->vendor : "unknown";
}

PERFKIT_EXPORT const char *perfkit_machine_cpu_model(const struct perfkit_machine *m)
{
	return m && m->model[0] ? m->model : "unknown";
}

PERFKIT_EXPORT const char *perfkit_machine_cpu_uarch(const struct perfkit_machine *m)
{
	return m && m->uarch ? m->uarch : "unknown";
}
