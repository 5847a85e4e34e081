/* SPDX-License-Identifier: MIT */
/* Pin threads to PUs or cores by logical index, and say where they are. */
#include <stdio.h>
#include <string.h>

#include "machine-private.h"

/* The allowed PUs of PU or core @index, into @set. */
static int target_set(const struct perfkit_machine *m, enum perfkit_bind_target what,
		      unsigned index, hwloc_bitmap_t set)
{
	hwloc_obj_type_t type;
	hwloc_obj_t obj;

	if (what != PERFKIT_BIND_PU && what != PERFKIT_BIND_CORE)
		return pk_error(-EINVAL, "bind: bad target %d", (int)what);
	type = what == PERFKIT_BIND_PU ? HWLOC_OBJ_PU : HWLOC_OBJ_CORE;
	obj = hwloc_get_obj_by_type(m->topo, type, index);
	if (!obj)
		return pk_error(-EINVAL, "bind: no %s with logical index %u (%d exist)",
				hwloc_obj_type_string(type), index,
				hwloc_get_nbobjs_by_type(m->topo, type));
	hwloc_bitmap_and(set, obj->cpuset, m->allowed);
	if (hwloc_bitmap_iszero(set))
		return pk_error(-EINVAL, "bind: %s %u is not allowed to this process",
				hwloc_obj_type_string(type), index);
	return 0;
}

/* Bind @thread (or, if @self, the caller). */
static int bind_to(const struct perfkit_machine *m, int self, pthread_t thread,
		enum perfkit_bind_target what, unsigned index)
{
	hwloc_bitmap_t set;
	int rc;

	if (!m)
		return pk_error(-EINVAL, "bind: m is NULL");
	set = hwloc_bitmap_alloc();
	if (!set)
		return pk_error(-ENOMEM, "bind: out of memory");
	rc = target_set(m, what, index, set);
	if (rc == 0) {
		int err = self ? hwloc_set_cpubind(m->topo, set, HWLOC_CPUBIND_THREAD) :
			hwloc_set_thread_cpubind(m->topo, thread, set, 0);

		if (err != 0)
			rc = pk_error(-EIO, "bind: the system refused: %s", strerror(errno));
	}
	hwloc_bitmap_free(set);
	return rc;
}

PERFKIT_EXPORT int perfkit_machine_bind_self(const struct perfkit_machine *m,
					     enum perfkit_bind_target what,
					     unsigned index)
{
	return bind_to(m, 1, pthread_self(), what, index);
}

PERFKIT_EXPORT int perfkit_machine_bind_thread(const struct perfkit_machine *m,
					       pthread_t thread,
					       enum perfkit_bind_target what,
					       unsigned index)
{
	return bind_to(m, 0, thread, what, index);
}

/* OS CPU numbers to logical PU indexes. */
static void to_logical(const struct perfkit_machine *m, hwloc_const_bitmap_t os,
		       hwloc_bitmap_t logical)
{
	int cpu;

	hwloc_bitmap_zero(logical);
	hwloc_bitmap_foreach_begin(cpu, os)
		hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(m->topo, (unsigned)cpu);

		if (pu)
			hwloc_bitmap_set(logical, pu->logical_index);
	hwloc_bitmap_foreach_end();
}

PERFKIT_EXPORT int perfkit_machine_binding(const struct perfkit_machine *m,
					   pthread_t thread, char *buf, size_t len)
{
	hwloc_bitmap_t os, logical;
	int rc = 0, n;

	if (!m || !buf || len == 0)
		return pk_error(-EINVAL, "perfkit_machine_binding: bad argument");
	os = hwloc_bitmap_alloc();
	logical = hwloc_bitmap_alloc();
	if (!os || !logical) {
		rc = pk_error(-ENOMEM, "perfkit_machine_binding: out of memory");
		goto out;
	}
	if (hwloc_get_thread_cpubind(m->topo, thread, os, 0) != 0) {
		rc = pk_error(-EIO, "cannot read the thread's binding: %s", strerror(errno));
		goto out;
	}
	to_logical(m, os, logical);
	n = hwloc_bitmap_list_snprintf(buf, len, logical);
	if (n < 0)
		rc = pk_error(-EIO, "cannot format the binding");
	else if ((size_t)n >= len)
		rc = pk_error(-ERANGE, "binding needs %d bytes, buffer has %zu", n + 1, len);
out:
	hwloc_bitmap_free(os);
	hwloc_bitmap_free(logical);
	return rc;
}

PERFKIT_EXPORT int perfkit_machine_last_pu(const struct perfkit_machine *m, unsigned *pu)
{
	hwloc_bitmap_t set;
	hwloc_obj_t obj = NULL;
	int cpu = -1;

	if (!m || !pu)
		return pk_error(-EINVAL, "perfkit_machine_last_pu: NULL argument");
	set = hwloc_bitmap_alloc();
	if (!set)
		return pk_error(-ENOMEM, "perfkit_machine_last_pu: out of memory");
	if (hwloc_get_last_cpu_location(m->topo, set, HWLOC_CPUBIND_THREAD) == 0)
		cpu = hwloc_bitmap_first(set);
	hwloc_bitmap_free(set);
	if (cpu >= 0)
		obj = hwloc_get_pu_obj_by_os_index(m->topo, (unsigned)cpu);
	if (!obj)
		return pk_error(-EIO, "the system did not say where this thread ran");
	*pu = obj->logical_index;
	return 0;
}
