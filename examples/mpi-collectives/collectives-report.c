/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-collectives: the OSU-style table. */
#include <math.h>
#include <stdlib.h>

#include "collectives.h"

static const char *value(const struct perfkit_results *res, size_t i, const char *key,
			 char *buf, size_t len)
{
	if (perfkit_results_value(res, i, key, buf, len) != 0)
		snprintf(buf, len, "?");
	return buf;
}

double collectives_us(const struct perfkit_results *res, size_t i, const char *key)
{
	char buf[64];

	if (perfkit_results_value(res, i, key, buf, sizeof(buf)) != 0)
		return NAN;
	return atof(buf) * 1e6;
}

void collectives_context(FILE *out, const struct perfkit_results *res)
{
	char lib[512], ranks[16], nodes[16], hosts[2048], cores[2048];

	if (perfkit_results_count(res) == 0)
		return;
	fprintf(out, "MPI library: %s\n", value(res, 0, "mpi_library", lib, sizeof(lib)));
	fprintf(out, "%s ranks on %s node(s); hosts %s; cores %s\n",
		value(res, 0, "ranks", ranks, sizeof(ranks)),
		value(res, 0, "nodes", nodes, sizeof(nodes)),
		value(res, 0, "rank_hosts", hosts, sizeof(hosts)),
		value(res, 0, "rank_cores", cores, sizeof(cores)));
}

void collectives_table(FILE *out, const struct perfkit_results *res)
{
	const struct perfkit_record *r = NULL;

	if (perfkit_results_count(res) == 0)
		return;
	perfkit_results_get(res, 0, &r);
	fprintf(out, "\n# %s: per-rank mean time per operation, over ranks\n", r->name);
	fprintf(out, "%12s %12s %14s %14s %14s\n", "bytes", "iterations", "min (us)",
		"mean (us)", "max (us)");
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		perfkit_results_get(res, i, &r);
		fprintf(out, "%12lld %12llu %14.3f %14.3f %14.3f\n", (long long)r->problem_size,
			(unsigned long long)r->repetitions, collectives_us(res, i, "latency_min_s"),
			collectives_us(res, i, "latency_mean_s"),
			collectives_us(res, i, "latency_max_s"));
	}
}
