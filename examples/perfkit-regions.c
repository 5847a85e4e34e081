/* SPDX-License-Identifier: MIT */
/*
 * perfkit-regions: the profiling step of the HPC Python workshop
 * ("python -m cProfile -s tottime write.py -n 100") in C, with named
 * regions.
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

#include "cli.h"

/* Bounds that keep a run within minutes: a file of the largest size
 * holds 16 M values, and each file is written and removed in turn. */
#define FILES_MAX 100000
#define SIDE_MAX 4096

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
		cli_error("cannot write %s: %s", path, strerror(errno));
	remove(path);
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-regions [--vectorized] [--binary] [-n FILES] [-s SIZE]\n"
		"Write FILES files of SIZE x SIZE values into a temporary folder (removed\n"
		"afterwards), timing each step with named regions, and print the region\n"
		"table sorted by exclusive time, as cProfile -s tottime does.\n"
		"  -n, --files FILES  files to write, 1 to %d (default 100)\n"
		"  -s, --size SIZE    values per row and column, 1 to %d (default 100)\n"
		"      --vectorized   one generate_data call per file, not per value\n"
		"      --binary       write binary files instead of text\n"
		"  -h, --help         this text\n"
		"      --version      the program's and libperfkit's version\n",
		FILES_MAX, SIDE_MAX);
}

/* -1: go on; else the exit status (help, version, bad usage). */
static int parse(int argc, char **argv, struct options *o)
{
	enum { OPT_VECTORIZED = 256, OPT_BINARY };
	static const struct option opts[] = {
		{ "files", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "vectorized", no_argument, NULL, OPT_VECTORIZED },
		{ "binary", no_argument, NULL, OPT_BINARY },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	*o = (struct options){ 100, 100, 0, 0 };
	while (rc == 0 && (c = cli_getopt(argc, argv, "n:s:h", opts)) != -1) {
		switch (c) {
		case 'n': rc = cli_parse_int("-n", optarg, 1, FILES_MAX, &o->files); break;
		case 's': rc = cli_parse_int("-s", optarg, 1, SIDE_MAX, &o->size); break;
		case OPT_VECTORIZED: o->vectorized = 1; break;
		case OPT_BINARY: o->binary = 1; break;
		case 'h': usage(stdout); return CLI_EXIT_OK;
		case CLI_OPT_VERSION: cli_print_version(stdout); return CLI_EXIT_OK;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (rc == 0 && optind < argc)
		rc = cli_error("unexpected argument '%s'", argv[optind]);
	return rc == 0 ? -1 : CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/perfkit-regions-XXXXXX";
	struct options o;
	double *z, pair_ns = 0;
	int rc;

	cli_set_program("perfkit-regions");
	if ((rc = parse(argc, argv, &o)) >= 0)
		return rc;
	z = malloc(sizeof(*z) * (size_t)o.size * (size_t)o.size);
	if (!z || !mkdtemp(dir)) {
		cli_error("%s", strerror(errno));
		free(z);
		return CLI_EXIT_FAILED;
	}
	/* write.py's loop: generate each file's data, save it */
	rc = 0;
	for (int i = 0; i < o.files && rc == 0; i++)
		rc = write_data(&o, dir, z, i);
	rmdir(dir);
	free(z);

	/* cProfile's table: calls, inclusive and exclusive time per region */
	perfkit_region_report(stdout);
	if (perfkit_region_overhead(&pair_ns) == 0)
		printf("# a begin/end pair costs about %.0f ns here (%s clock)\n",
		       pair_ns, perfkit_clock_name(perfkit_region_clock()));
	return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}
