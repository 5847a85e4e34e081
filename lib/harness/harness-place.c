/* SPDX-License-Identifier: MIT */
/* Worker placement: which allowed core each worker gets (compact or
 * scatter order over the hwloc tree) and binding to it. */
#include <stdlib.h>
#include <string.h>

#include "harness-private.h"
#include "machine-private.h"

static int core_allowed(const struct perfkit_machine *m, hwloc_obj_t core)
{
	return hwloc_bitmap_intersects(core->cpuset, m->allowed);
}

/* Allowed cores in logical (compact) order. */
static unsigned compact_order(const struct perfkit_machine *m, unsigned *order)
{
	unsigned n = 0;
	hwloc_obj_t core = NULL;

	while ((core = hwloc_get_next_obj_by_type(m->topo, HWLOC_OBJ_CORE, core)))
		if (core_allowed(m, core))
			order[n++] = core->logical_index;
	return n;
}

/*
 * The allowed cores below @obj, scattered: each child's list scattered
 * recursively, then the lists interleaved round-robin, so that consecutive
 * entries sit under different children at every level of the tree
 * (packages, NUMA nodes, caches). Appends to @out, returns the count or -1
 * when out of memory.
 */
static int scatter_below(const struct perfkit_machine *m, hwloc_obj_t obj,
			 unsigned *out, unsigned cap)
{
	unsigned *lists, *lens, total = 0;
	unsigned arity = obj->arity;
	int rc = 0;

	if (obj->type == HWLOC_OBJ_CORE) {
		if (!core_allowed(m, obj))
			return 0;
		out[0] = obj->logical_index;
		return 1;
	}
	if (arity == 0)
		return 0;
	lists = calloc((size_t)arity * cap, sizeof(unsigned));
	lens = calloc(arity, sizeof(unsigned));
	if (!lists || !lens) {
		rc = -1;
		goto out;
	}
	for (unsigned c = 0; c < arity; c++) {
		int k = scatter_below(m, obj->children[c], lists + (size_t)c * cap, cap);

		if (k < 0) {
			rc = -1;
			goto out;
		}
		lens[c] = (unsigned)k;
	}
	for (unsigned pos = 0; total < cap; pos++) {
		unsigned before = total;

		for (unsigned c = 0; c < arity; c++)
			if (pos < lens[c] && total < cap)
				out[total++] = lists[(size_t)c * cap + pos];
		if (total == before)
			break;
	}
	rc = (int)total;
out:
	free(lists);
	free(lens);
	return rc;
}

int pk_harness_core_order(const struct perfkit_machine *m,
			  enum perfkit_harness_placement placement,
			  unsigned **order, unsigned *n)
{
	int cores = hwloc_get_nbobjs_by_type(m->topo, HWLOC_OBJ_CORE);
	unsigned *o;
	int k;

	*order = NULL;
	*n = 0;
	if (cores <= 0)
		return pk_error(-EIO, "harness: the topology has no cores to place workers on");
	o = calloc((size_t)cores, sizeof(unsigned));
	if (!o)
		return pk_error(-ENOMEM, "harness: out of memory for the placement");
	if (placement == PERFKIT_HARNESS_PLACE_SCATTER)
		k = scatter_below(m, hwloc_get_root_obj(m->topo), o, (unsigned)cores);
	else
		k = (int)compact_order(m, o);
	if (k <= 0) {
		free(o);
		return k < 0 ? pk_error(-ENOMEM, "harness: out of memory for the placement")
			     : pk_error(-EIO, "harness: no allowed core to place workers on");
	}
	*order = o;
	*n = (unsigned)k;
	return 0;
}

int pk_harness_bind(const struct perfkit_machine *m, const unsigned *order,
		    unsigned n, unsigned first, unsigned count)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int rc = 0;

	if (!set)
		return pk_error(-ENOMEM, "harness: out of memory binding a worker");
	if (count > n)
		count = n;
	for (unsigned j = 0; j < count; j++) {
		hwloc_obj_t core = hwloc_get_obj_by_type(m->topo, HWLOC_OBJ_CORE,
							 order[(first + j) % n]);
		if (core)
			hwloc_bitmap_or(set, set, core->cpuset);
	}
	hwloc_bitmap_and(set, set, m->allowed);
	if (hwloc_bitmap_iszero(set))
		rc = pk_error(-EIO, "harness: worker's cores are not allowed");
	else if (hwloc_set_cpubind(m->topo, set, HWLOC_CPUBIND_THREAD) != 0)
		rc = pk_error(-EIO, "harness: the system refused to bind a worker: %s",
			      strerror(errno));
	hwloc_bitmap_free(set);
	return rc;
}
