/* SPDX-License-Identifier: MIT */
/*
 * perfkit-regions: the profiling walk-through of seed 003 ("python -m
 * cProfile -s tottime write.py -n 100") in C, with named regions.
 *
 * Writes N files of SIZE x SIZE values into a temporary directory (removed
 * afterwards) and prints the region table, sorted by exclusive time:
 *
 *   perfkit-regions                     per-element generate_data, text files
 *   perfkit-regions --vectorized        one generate_data call per file
 *   perfkit-regions --vectorized --binary   ...and binary files
 *
 * Per-element regions show what instrumenting a tiny function costs: compare
 * the generate_data figures of the first two runs.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <perfkit/perfkit.h>

struct options {
	int files, size, vectorized, binary;
};

static double generate_one(double x, double y, int file)
{
	return sin(x * 0.01 + file) * cos(y * 0.01) + 1e-3 * x * y;
}

static void generate_all(double *z, int n, int file)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			z[i * n + j] = generate_one(i, j, file);
}

static int save(const char *path, const double *z, int n, int binary)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	if (binary) {
		ok = fwrite(z, sizeof(*z), (size_t)n * n, f) == (size_t)n * n;
	} else {
		ok = 1;
		for (int i = 0; i < n && ok; i++)
			for (int j = 0; j < n && ok; j++)
				ok = fprintf(f, "%.18e%c", z[i * n + j],
					     j + 1 < n ? ' ' : '\n') > 0;
	}
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int write_data(const struct options *o, const char *dir, double *z, int file)
{
	char path[4096];
	int n = o->size, rc;

	perfkit_region_begin("write_data");
	if (o->vectorized) {
		perfkit_region_begin("generate_data");
		generate_all(z, n, file);
		perfkit_region_end("generate_data");
	} else {
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				perfkit_region_begin("generate_data");
				z[i * n + j] = generate_one(i, j, file);
				perfkit_region_end("generate_data");
			}
	}
	snprintf(path, sizeof(path), "%s/data%05d", dir, file);
	perfkit_region_begin(o->binary ? "save" : "savetxt");
	rc = save(path, z, n, o->binary);
	perfkit_region_end(o->binary ? "save" : "savetxt");
	perfkit_region_end("write_data");
	if (rc < 0)
		fprintf(stderr, "perfkit-regions: cannot write %s: %s\n", path,
			strerror(errno));
	remove(path);
	return rc;
}

static int parse(int argc, char **argv, struct options *o)
{
	*o = (struct options){ 100, 100, 0, 0 };
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--vectorized") == 0)
			o->vectorized = 1;
		else if (strcmp(argv[i], "--binary") == 0)
			o->binary = 1;
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			o->files = atoi(argv[++i]);
		else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			o->size = atoi(argv[++i]);
		else
			return -1;
	}
	return o->files > 0 && o->size > 0 && o->size <= 4096 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/perfkit-regions-XXXXXX";
	struct options o;
	double *z, pair_ns = 0;
	int rc = 0;

	if (parse(argc, argv, &o) < 0) {
		fprintf(stderr, "usage: %s [--vectorized] [--binary] [-n FILES] "
			"[-s SIZE (1..4096)]\n", argv[0]);
		return 2;
	}
	z = malloc(sizeof(*z) * (size_t)o.size * (size_t)o.size);
	if (!z || !mkdtemp(dir)) {
		fprintf(stderr, "perfkit-regions: %s\n", strerror(errno));
		free(z);
		return 1;
	}
	for (int i = 0; i < o.files && rc == 0; i++)
		rc = write_data(&o, dir, z, i);
	rmdir(dir);
	free(z);

	perfkit_region_report(stdout);
	if (perfkit_region_overhead(&pair_ns) == 0)
		printf("# a begin/end pair costs about %.0f ns here (%s clock)\n",
		       pair_ns, perfkit_clock_name(perfkit_region_clock()));
	return rc == 0 ? 0 : 1;
}
