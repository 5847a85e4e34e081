/* SPDX-License-Identifier: MIT */
/*
 * perfkit-regions: the profiling step of the HPC Python workshop in C.
 *
 * The workshop profiles write.py ("python -m cProfile -s tottime write.py
 * -n 100"), finds the per-element generate_data loop and np.savetxt slow,
 * then profiles write_vectorized.py and write_vectorized_binary.py. This
 * program runs the three write_data variants in one process, each under
 * named regions, into a temporary folder that it removes:
 *
 *   slow        generate_data per value (nested loops), text files
 *   vectorized  one generate_data per file, text files
 *   binary      one generate_data per file, binary files
 *
 * For each it prints cProfile's report (sortable, with callers and
 * callees); then the time of each variant against the slow one, writes the
 * Chrome trace of all three (viztracer's view; open it in ui.perfetto.dev)
 * and, with --outfile, the profiles as result records that perfkit-compare
 * can compare.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "stop.h"

/* Bounds that keep a run within minutes: a file of the largest size
 * holds 16 M values, and each file is written and removed in turn. */
#define FILES_MAX 100000
#define SIDE_MAX 4096
#define NVARIANTS 3

enum variant { SLOW, VECTORIZED, BINARY };
static const char *const variant_names[NVARIANTS] = { "slow", "vectorized", "binary" };

struct options {
	int files, size, repeat;
	int only;			/* -1: all variants */
	enum perfkit_region_sort sort;
	const char *trace, *outfile;
	int trace_events;
	double trace_min_us;
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

/* write.py's inner loop: a region around every value, as cProfile counts
 * every call of generate_data. */
static void generate_each(double *z, int n, int file)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			perfkit_region_begin("generate_data");
			z[i * n + j] = generate_one(i, j, file);
			perfkit_region_end("generate_data");
		}
}

static FILE *open_file(const char *path)
{
	FILE *f;

	perfkit_region_begin("open");
	f = fopen(path, "wb");
	perfkit_region_end("open");
	return f;
}

/* np.savetxt: "%.18e" per value, a space between, a newline per row. */
static int savetxt(const char *path, const double *z, int n)
{
	FILE *f = open_file(path);
	int ok = f != NULL;

	for (int i = 0; i < n && ok; i++)
		for (int j = 0; j < n && ok; j++)
			ok = fprintf(f, "%.18e%c", z[i * n + j], j + 1 < n ? ' ' : '\n') > 0;
	return f && fclose(f) == 0 && ok ? 0 : -1;
}

/* np.save: the values as they are in memory. */
static int save(const char *path, const double *z, int n)
{
	FILE *f = open_file(path);
	int ok = f && fwrite(z, sizeof(*z), (size_t)n * n, f) == (size_t)n * n;

	return f && fclose(f) == 0 && ok ? 0 : -1;
}

static int write_data(enum variant v, const char *dir, double *z, int n, int file)
{
	const char *saver = v == BINARY ? "save" : "savetxt";
	char path[4096];
	int rc;

	perfkit_region_begin("write_data");
	perfkit_region_arg("file", file);
	perfkit_region_begin(v == SLOW ? "generate_loop" : "generate_data");
	if (v == SLOW)
		generate_each(z, n, file);
	else
		generate_all(z, n, file);
	perfkit_region_end(v == SLOW ? "generate_loop" : "generate_data");
	snprintf(path, sizeof(path), "%s/data%05d", dir, file);
	perfkit_region_begin(saver);
	rc = v == BINARY ? save(path, z, n) : savetxt(path, z, n);
	perfkit_region_end(saver);
	perfkit_region_end("write_data");
	if (rc < 0)
		cli_error("cannot write %s: %s", path, strerror(errno));
	remove(path);
	return rc;
}

/* One variant under a top-level region named after it, `repeat` times;
 * each profile (this thread only) is appended to `res`, the last one
 * printed. */
static int profile_variant(const struct options *o, enum variant v, const char *dir,
			   double *z, struct perfkit_results *res, double *seconds)
{
	struct perfkit_region_snapshot *snap = NULL;
	int rc = 0, done = 0;

	for (int r = 0; r < o->repeat && rc == 0 && !stop_signal; r++) {
		uint64_t t0 = perfkit_now_ns();

		perfkit_region_reset();
		perfkit_region_begin(variant_names[v]);
		for (done = 0; done < o->files && rc == 0 && !stop_signal; done++)
			rc = write_data(v, dir, z, o->size, done);
		perfkit_region_end(variant_names[v]);
		*seconds = (double)(perfkit_now_ns() - t0) / 1e9;
		perfkit_region_snapshot_destroy(snap);
		if (perfkit_region_snapshot_new(PERFKIT_REGION_CALLING_THREAD, &snap) < 0 ||
		    perfkit_results_append_regions(res, snap, variant_names[v]) < 0)
			rc = cli_error("%s", perfkit_last_error());
	}
	printf("\n## %s: %d files of %d x %d values, %.3f s%s\n", variant_names[v],
	       done, o->size, o->size, *seconds, o->repeat > 1 ? " (the last run)" : "");
	if (rc == 0 && snap && perfkit_region_snapshot_print_profile(snap, o->sort, stdout) < 0)
		rc = cli_error("%s", perfkit_last_error());
	perfkit_region_snapshot_destroy(snap);
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-regions [OPTION]...\n"
		"Profile the HPC Python workshop's write_data three ways (slow: nested loops\n"
		"and text files; vectorized: text files; binary), writing FILES files of\n"
		"SIZE x SIZE values into a temporary folder that is removed afterwards.\n"
		"Prints cProfile's report for each (calls, tottime, cumtime, per call,\n"
		"callers and callees), the time of each against the slow one, and writes\n"
		"a Chrome trace (open it in ui.perfetto.dev).\n"
		"  -n, --files FILES       files per variant, 1 to %d (default 100)\n"
		"  -s, --size SIZE         values per row and column, 1 to %d (default 100)\n"
		"  -r, --repeat R          profile each variant R times, 1 to 1000 (default 1;\n"
		"                          the records of all runs go to --outfile)\n"
		"      --variant NAME      slow, vectorized or binary (default: all three)\n"
		"      --sort KEY          tottime, cumtime, calls or name (default tottime)\n"
		"      --trace FILE        the trace (default perfkit-regions-trace.json)\n"
		"      --trace-events N    trace budget in events, 1 to %d (default %d)\n"
		"      --trace-min-us US   leave regions shorter than US out of the trace\n"
		"                          (default 1: the per-value regions of slow)\n"
		"  -o, --outfile FILE      the profiles as records (.csv, .json, .jsonl)\n"
		"  -h, --help              this text\n"
		"      --version           the program's and libperfkit's version\n",
		FILES_MAX, SIDE_MAX, PERFKIT_REGION_TRACE_MAX_EVENTS,
		PERFKIT_REGION_TRACE_DEFAULT_EVENTS);
}

static int parse_option(int c, struct options *o)
{
	int sort;

	switch (c) {
	case 'n': return cli_parse_int("-n", optarg, 1, FILES_MAX, &o->files);
	case 's': return cli_parse_int("-s", optarg, 1, SIDE_MAX, &o->size);
	case 'r': return cli_parse_int("-r", optarg, 1, 1000, &o->repeat);
	case 'o': o->outfile = optarg; return cli_check_output_path("--outfile", optarg);
	case 'V': return cli_parse_enum("--variant", optarg, variant_names, NVARIANTS,
					&o->only);
	case 'S':
		if (cli_parse_enum("--sort", optarg, (const char *const[]){ "tottime",
				   "cumtime", "calls", "name" }, 4, &sort) < 0)
			return -1;
		o->sort = (enum perfkit_region_sort)sort;
		return 0;
	case 'T': o->trace = optarg; return cli_check_output_path("--trace", optarg);
	case 'E': return cli_parse_int("--trace-events", optarg, 1,
				       PERFKIT_REGION_TRACE_MAX_EVENTS, &o->trace_events);
	case 'M': return cli_parse_double("--trace-min-us", optarg, 0, 3.6e9,
					  &o->trace_min_us);
	default: return -1;
	}
}

/* -1: go on; else the exit status (help, version, bad usage). */
static int parse(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "files", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "outfile", required_argument, NULL, 'o' },
		{ "variant", required_argument, NULL, 'V' },
		{ "sort", required_argument, NULL, 'S' },
		{ "trace", required_argument, NULL, 'T' },
		{ "trace-events", required_argument, NULL, 'E' },
		{ "trace-min-us", required_argument, NULL, 'M' },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	*o = (struct options){ 100, 100, 1, -1, PERFKIT_REGION_SORT_TOTTIME,
			       "perfkit-regions-trace.json", NULL,
			       PERFKIT_REGION_TRACE_DEFAULT_EVENTS, 1.0 };
	while (rc == 0 && (c = cli_getopt(argc, argv, "n:s:r:o:h", opts)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		if (c == CLI_OPT_VERSION) {
			cli_print_version(stdout);
			return CLI_EXIT_OK;
		}
		if (c == '?')
			return CLI_EXIT_USAGE;
		rc = parse_option(c, o);
	}
	if (rc == 0 && optind < argc)
		rc = cli_error("unexpected argument '%s'", argv[optind]);
	return rc == 0 ? -1 : CLI_EXIT_USAGE;
}

/* The workshop's "~4.8 s, ~1.4 s, ~0.46 s": each variant against slow. */
static void print_summary(const double *seconds, const int *ran)
{
	printf("\n## time per variant\n");
	for (int v = 0; v < NVARIANTS; v++) {
		if (!ran[v])
			continue;
		printf("%-11s %10.3f s", variant_names[v], seconds[v]);
		if (ran[SLOW] && seconds[v] > 0)
			printf("   %6.1fx faster than slow", seconds[SLOW] / seconds[v]);
		printf("\n");
	}
}

static int write_outputs(const struct options *o, const struct perfkit_results *res)
{
	uint64_t events = 0, dropped = 0, filtered = 0;
	int rc = 0;

	perfkit_region_trace_counts(&events, &dropped, &filtered);
	if (perfkit_region_trace_write(o->trace) < 0)
		rc = cli_error("%s", perfkit_last_error());
	else
		printf("\ntrace: %s (%llu events, %llu shorter than %g us left out, "
		       "%llu dropped)\n", o->trace, (unsigned long long)events,
		       (unsigned long long)filtered, o->trace_min_us,
		       (unsigned long long)dropped);
	if (o->outfile && perfkit_results_write(res, o->outfile, PERFKIT_FORMAT_AUTO) < 0)
		rc = cli_error("%s", perfkit_last_error());
	else if (o->outfile)
		printf("profiles: %s\n", o->outfile);
	return rc;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/perfkit-regions-XXXXXX";
	double seconds[NVARIANTS] = { 0 }, *z;
	int ran[NVARIANTS] = { 0 }, rc = 0;
	struct perfkit_results *res = NULL;
	struct options o;

	cli_set_program("perfkit-regions");
	if ((rc = parse(argc, argv, &o)) >= 0)
		return rc;
	if (stop_catch() != 0)
		return CLI_EXIT_FAILED;
	rc = 0;
	z = malloc(sizeof(*z) * (size_t)o.size * (size_t)o.size);
	if (!z || !mkdtemp(dir) || perfkit_results_new(&res) < 0) {
		cli_error("%s", z ? strerror(errno) : "out of memory");
		free(z);
		return CLI_EXIT_FAILED;
	}
	if (perfkit_region_trace_start((size_t)o.trace_events,
				       (uint64_t)(o.trace_min_us * 1e3)) < 0)
		cli_error("%s (tracing as set before)", perfkit_last_error());

	/* profile each variant: write.py, write_vectorized.py, ..._binary.py */
	for (int v = 0; v < NVARIANTS && rc == 0 && !stop_signal; v++)
		if (o.only < 0 || o.only == v) {
			rc = profile_variant(&o, (enum variant)v, dir, z, res, &seconds[v]);
			ran[v] = 1;
		}
	rmdir(dir);
	free(z);
	if (stop_signal)
		cli_error("%s: reporting and writing what finished", stop_name(stop_signal));

	print_summary(seconds, ran);
	if (write_outputs(&o, res) < 0)
		rc = -1;
	perfkit_results_destroy(res);
	return stop_status(rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED);
}
