/* SPDX-License-Identifier: MIT */
/* perfkit_mpi_place(): ranks that share a node and could run on the same
 * CPUs get disjoint shares of the node's cores, so that no two ranks pin
 * their workers to one core while another sits idle. A launcher's own
 * disjoint binding is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi-private.h"

/* A core's identity: package and core id from sysfs (-1: unknown, then
 * each CPU counts as its own core). */
static long core_key(int cpu)
{
	char path[96];
	long pkg = -1, core = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%ld", &core) != 1)
			core = -1;
		fclose(f);
	}
	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%ld", &pkg) != 1)
			pkg = -1;
		fclose(f);
	}
	if (core < 0 || pkg < 0)
		return -1 - cpu;
	return pkg * 65536 + core;
}

static int overlap_any(const cpu_set_t *sets, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			cpu_set_t both;

			CPU_AND(&both, &sets[i], &sets[j]);
			if (CPU_COUNT(&both) > 0)
				return 1;
		}
	return 0;
}

/* Local rank @i of @n: the CPUs of its share of the cores in @all. */
static void share_of(const cpu_set_t *all, int i, int n, cpu_set_t *mine)
{
	long keys[CPU_SETSIZE];
	int ncores = 0, first, last;

	for (int c = 0; c < CPU_SETSIZE; c++) {
		long k;
		int seen = 0;

		if (!CPU_ISSET(c, all))
			continue;
		k = core_key(c);
		for (int q = 0; q < ncores && !seen; q++)
			seen = keys[q] == k;
		if (!seen)
			keys[ncores++] = k;
	}
	if (n <= ncores) {
		first = (int)((long)i * ncores / n);
		last = (int)((long)(i + 1) * ncores / n) - 1;
	} else {
		first = last = (int)((long)i * ncores / n);
	}
	CPU_ZERO(mine);
	for (int c = 0; c < CPU_SETSIZE; c++) {
		long k;

		if (!CPU_ISSET(c, all))
			continue;
		k = core_key(c);
		for (int q = first; q <= last; q++)
			if (keys[q] == k)
				CPU_SET(c, mine);
	}
}

/* Collective on the node's ranks. */
static int place_on_node(MPI_Comm node, enum perfkit_mpi_placement *how)
{
	cpu_set_t own, all, *sets;
	int i, n, rc = 0;

	MPI_Comm_rank(node, &i);
	MPI_Comm_size(node, &n);
	CPU_ZERO(&own);
	if (sched_getaffinity(0, sizeof(own), &own) != 0)
		rc = pk_mpi_error(-EIO, "mpi_place: sched_getaffinity failed");
	sets = calloc((size_t)n, sizeof(*sets));
	if (!sets && rc == 0)
		rc = pk_mpi_error(-ENOMEM, "mpi_place: out of memory");
	if ((rc = pk_mpi_agree(node, rc))) {
		free(sets);
		return rc;
	}
	MPI_Allgather(&own, sizeof(own), MPI_BYTE, sets, sizeof(own), MPI_BYTE, node);
	*how = PERFKIT_MPI_PLACE_KEPT;
	if (overlap_any(sets, n)) {
		CPU_ZERO(&all);
		for (int r = 0; r < n; r++)
			CPU_OR(&all, &all, &sets[r]);
		share_of(&all, i, n, &own);
		*how = PERFKIT_MPI_PLACE_SPLIT;
		if (sched_setaffinity(0, sizeof(own), &own) != 0)
			rc = pk_mpi_error(-EIO, "mpi_place: sched_setaffinity refused "
					  "this rank's share of the cores");
	}
	free(sets);
	return pk_mpi_agree(node, rc);
}

PERFKIT_EXPORT int perfkit_mpi_place(MPI_Comm comm, enum perfkit_mpi_placement *how,
				     char *cores, size_t len)
{
	static const char who[] = "mpi_place";
	enum perfkit_mpi_placement done = PERFKIT_MPI_PLACE_KEPT;
	MPI_Comm c, node;
	int rc = pk_mpi_comm_usable(comm, who);

	if (rc)
		return rc;
	if (!cores || len == 0)
		rc = pk_mpi_error(-EINVAL, "%s: %s", who, !cores ? "cores is NULL" : "len is 0");
	MPI_Comm_dup(comm, &c);
	if ((rc = pk_mpi_agree(c, rc)) == 0) {
		MPI_Comm_split_type(c, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
		rc = place_on_node(node, &done);
		MPI_Comm_free(&node);
		rc = pk_mpi_agree(c, rc);
	}
	MPI_Comm_free(&c);
	if (rc == 0) {
		pk_mpi_cpus_self(cores, len < PERFKIT_MPI_CORES_MAX ? len : PERFKIT_MPI_CORES_MAX);
		if (how)
			*how = done;
	}
	return rc;
}

PERFKIT_EXPORT int perfkit_mpi_agree(MPI_Comm comm, int rc)
{
	int code = pk_mpi_comm_usable(comm, "mpi_agree");
	MPI_Comm c;

	if (code)
		return code;
	MPI_Comm_dup(comm, &c);
	code = pk_mpi_agree(c, rc);
	MPI_Comm_free(&c);
	return code;
}
