/* SPDX-License-Identifier: MIT */
/* perfkit-machine: print what libperfkit knows about this machine.
 *
 *   perfkit-machine          a readable summary
 *   perfkit-machine --json   the description as JSON
 *   perfkit-machine --kv     every key=value pair
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/perfkit.h>

#include "cli.h"

/* Also the options' getopt values, above any character. */
enum output { OUTPUT_SUMMARY, OUTPUT_JSON = 256, OUTPUT_KV };

static void print_topology(const struct perfkit_machine *m)
{
	unsigned fam, mod;

	printf("CPU        %s (%s)\n", perfkit_machine_cpu_model(m),
	       perfkit_machine_cpu_vendor(m));
	if (perfkit_machine_cpu_id(m, &fam, &mod) == 0)
		printf("           family 0x%x model 0x%x, %s\n", fam, mod,
		       perfkit_machine_cpu_uarch(m));
	printf("Topology   %u package(s), %u NUMA node(s), %u core(s), %u PU(s)\n",
	       perfkit_machine_packages(m), perfkit_machine_numa_nodes(m),
	       perfkit_machine_cores(m), perfkit_machine_pus(m));
	printf("Allowed    %u core(s), %u PU(s) for this process\n",
	       perfkit_machine_allowed_cores(m), perfkit_machine_allowed_pus(m));
}

static void print_caches(const struct perfkit_machine *m)
{
	static const char *const kinds[] = { "d", "i" };
	int any = 0;

	printf("Caches    ");
	for (unsigned level = 1; level <= 5; level++)
		for (int k = 0; k < 2; k++) {
			uint64_t size;
			unsigned line, count;

			if (perfkit_machine_cache(m, level, (enum perfkit_cache_kind)k,
						  &size, &line, &count) != 0)
				continue;
			any = 1;
			printf(" L%u%s %llu KiB x%u (line %u B)", level,
			       level == 1 ? kinds[k] : (k ? "i" : ""),
			       (unsigned long long)(size / 1024), count, line);
		}
	printf("%s\n", any ? "" : " unknown (hwloc found none)");
}

static void print_simd_and_clock(const struct perfkit_machine *m)
{
	unsigned simd = perfkit_machine_simd(m);
	double ghz, dp, sp;
	const char *src;

	printf("SIMD      ");
	for (unsigned bit = 1; bit <= PERFKIT_SIMD_SVE; bit <<= 1)
		if (simd & bit)
			printf(" %s", perfkit_simd_name((enum perfkit_simd)bit));
	printf("\n");

	if (perfkit_machine_clock_nominal(m, &ghz, &src) == 0)
		printf("Nominal    %.3f GHz  [%s]\n", ghz, src);
	else
		printf("Nominal    unknown  [%s]\n", src);
	if (perfkit_machine_clock_measured(m, &ghz, &src) == 0)
		printf("Measured   %.3f GHz  [%s]\n", ghz, src);
	else
		printf("Measured   unknown  [%s]\n", src);

	if (perfkit_machine_flops_per_cycle(m, &dp, &sp) == 0)
		printf("FLOPs/cyc  %g DP, %g SP per core\n", dp, sp);
	else
		printf("FLOPs/cyc  unknown: %s\n", perfkit_last_error());
	if (perfkit_machine_peak_gflops(m, &dp, &sp) == 0)
		printf("Peak       %.1f DP, %.1f SP GFLOPS (%u cores x %.3f GHz x FLOPs/cycle)\n",
		       dp, sp, perfkit_machine_allowed_cores(m), ghz);
	else
		printf("Peak       unknown\n");
}

static void print_warnings(const struct perfkit_machine *m)
{
	size_t n = perfkit_machine_warning_count(m);

	printf("Warnings   %zu\n", n);
	for (size_t i = 0; i < n; i++) {
		enum perfkit_machine_warning code;
		const char *msg;

		perfkit_machine_warning_get(m, i, &code, &msg);
		printf("  [%s] %s\n", perfkit_machine_warning_name(code), msg);
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-machine [--json | --kv]\n"
		"Print what libperfkit knows about this machine: CPU, topology, caches,\n"
		"SIMD, nominal and measured clock, peak GFLOPS, and warnings.\n"
		"      --json     the description as JSON\n"
		"      --kv       every key=value pair\n"
		"  -h, --help     this text\n"
		"      --version  the program's and libperfkit's version\n");
}

/* -1: go on; else the exit status (help, version, bad usage). */
static int parse(int argc, char **argv, enum output *how)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OUTPUT_JSON },
		{ "kv", no_argument, NULL, OUTPUT_KV },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*how = OUTPUT_SUMMARY;
	while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case OUTPUT_JSON:
		case OUTPUT_KV:
			if (*how != OUTPUT_SUMMARY && *how != (enum output)c) {
				cli_error("--json and --kv: choose one");
				return CLI_EXIT_USAGE;
			}
			*how = (enum output)c;
			break;
		case 'h': usage(stdout); return CLI_EXIT_OK;
		case CLI_OPT_VERSION: cli_print_version(stdout); return CLI_EXIT_OK;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

static int print_json(const struct perfkit_machine *m)
{
	char *json;

	if (perfkit_machine_to_json(m, &json) < 0)
		return cli_error("JSON export failed: %s", perfkit_last_error());
	printf("%s\n", json);
	free(json);
	return 0;
}

static void print_kv(const struct perfkit_machine *m)
{
	for (size_t i = 0; i < perfkit_machine_kv_count(m); i++) {
		const char *k, *v;

		perfkit_machine_kv_get(m, i, &k, &v);
		printf("%s=%s\n", k, v);
	}
}

int main(int argc, char **argv)
{
	const struct perfkit_machine *m;
	enum output how;
	int rc;

	cli_set_program("perfkit-machine");
	if ((rc = parse(argc, argv, &how)) >= 0)
		return rc;
	rc = perfkit_machine_probe(&m);
	if (rc < 0) {
		cli_error("probe failed: %s (%s)", perfkit_strerror(rc), perfkit_last_error());
		return CLI_EXIT_FAILED;
	}
	if (how == OUTPUT_JSON)
		return print_json(m) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
	if (how == OUTPUT_KV) {
		print_kv(m);
		return CLI_EXIT_OK;
	}
	print_topology(m);
	print_caches(m);
	print_simd_and_clock(m);
	print_warnings(m);
	return CLI_EXIT_OK;
}
