/* SPDX-License-Identifier: MIT */
/* A region profile (timer layer) as result records. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "perfkit/record.h"
#include "perfkit/region.h"

#define TOP_LEVEL "(top level)"

static int too_long(const char *what, const char *name, size_t max)
{
	return pk_error(-ERANGE, "perfkit_results_append_regions: %s \"%.40s...\" "
			"is longer than %zu bytes", what, name, max);
}

/* Every name must fit before anything is appended. */
static int check_fits(const struct perfkit_region_snapshot *snap, const char *label)
{
	const struct perfkit_region_entry *e;
	const struct perfkit_region_edge *g;
	size_t n = 0, ng = 0;

	if (label && strlen(label) > PERFKIT_RECORD_PARAM_VALUE_MAX)
		return too_long("label", label, PERFKIT_RECORD_PARAM_VALUE_MAX);
	perfkit_region_snapshot_count(snap, &n);
	perfkit_region_snapshot_edge_count(snap, &ng);
	for (size_t i = 0; i < n; i++)
		if (perfkit_region_snapshot_entry(snap, i, &e) == 0 &&
		    strlen(e->name) > PERFKIT_RECORD_NAME_MAX)
			return too_long("region name", e->name, PERFKIT_RECORD_NAME_MAX);
	for (size_t i = 0; i < ng; i++)
		if (perfkit_region_snapshot_edge(snap, i, &g) == 0 && g->caller &&
		    strlen(g->caller) > PERFKIT_RECORD_PARAM_VALUE_MAX)
			return too_long("caller name", g->caller,
					PERFKIT_RECORD_PARAM_VALUE_MAX);
	return 0;
}

static int append_one(struct perfkit_results *res, const char *name,
		      const char *label, const char *caller, uint64_t calls,
		      uint64_t excl_ns, uint64_t incl_ns)
{
	struct perfkit_record rec;
	char cum[32];
	size_t i;
	int rc;

	perfkit_record_init(&rec);
	perfkit_record_set_name(&rec, name);
	rec.repetitions = calls;
	rec.elapsed = (double)excl_ns / 1e9;
	if (label && *label)
		perfkit_record_set_param(&rec, "profile", label);
	if (caller)
		perfkit_record_set_param(&rec, "caller", caller);
	rc = perfkit_results_append(res, &rec);
	if (rc < 0)
		return rc;
	i = perfkit_results_count(res) - 1;
	snprintf(cum, sizeof(cum), "%.9f", (double)incl_ns / 1e9);
	rc = perfkit_results_extra_set(res, i, "kind", caller ? "edge" : "region");
	if (rc == 0)
		rc = perfkit_results_extra_set(res, i, "cumtime", cum);
	return rc;
}

PERFKIT_EXPORT int perfkit_results_append_regions(struct perfkit_results *res,
						  const struct perfkit_region_snapshot *snap,
						  const char *label)
{
	const struct perfkit_region_entry *e;
	const struct perfkit_region_edge *g;
	size_t n = 0, ng = 0;
	int rc;

	if (!res || !snap)
		return pk_error(-EINVAL, "perfkit_results_append_regions: %s is NULL",
				!res ? "res" : "snap");
	rc = check_fits(snap, label);
	if (rc < 0)
		return rc;
	perfkit_region_snapshot_count(snap, &n);
	perfkit_region_snapshot_edge_count(snap, &ng);
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((rc = perfkit_region_snapshot_entry(snap, i, &e)) == 0)
			rc = append_one(res, e->name, label, NULL, e->calls,
					e->exclusive_ns, e->inclusive_ns);
	for (size_t i = 0; i < ng && rc == 0; i++)
		if ((rc = perfkit_region_snapshot_edge(snap, i, &g)) == 0)
			rc = append_one(res, g->callee, label,
					g->caller ? g->caller : TOP_LEVEL, g->calls,
					g->exclusive_ns, g->inclusive_ns);
	return rc;
}
