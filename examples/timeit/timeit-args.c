/* SPDX-License-Identifier: MIT */
/* perfkit-timeit: the command line, checked before anything runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "timeit.h"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: perfkit-timeit [OPTION]... COMMAND...\n"
"  or:  perfkit-timeit --lib LIB.so --func F [--func G]... [--setup S] [--arg A]...\n"
"\n"
"Times shell commands, as hyperfine does, or C functions in a shared object,\n"
"as Python's timeit does; prints the median with its 95%% CI, mean, spread,\n"
"user and system time, outliers, and each one's speed relative to the fastest.\n"
"\n"
"How often:\n"
"  -w, --warmup N           runs (samples for functions) before measuring\n"
"                           (default 0 for commands, 1 for functions)\n"
"  -r, --runs N             exactly N runs (samples), no other rule\n"
"  -m, --min-runs N         at least N runs (default 10)\n"
"  -M, --max-runs N         at most N runs (default none; functions 1000)\n"
"      --min-time S         commands: run until S seconds were spent, after\n"
"                           the minimum runs (default 3)\n"
"      --rel-ci REL         stop once the 95%% CI of the median is within\n"
"                           +-REL x median (e.g. 0.01), after the minimum runs\n"
"      --max-time S         time budget per command with --rel-ci (default 60)\n"
"                           or per function (default 2)\n"
"      --sample-time S      functions: shortest sample; loops per sample are\n"
"                           calibrated to it (default 0.01)\n"
"Commands:\n"
"  -p, --prepare CMD        run before each run (once: for all commands; else\n"
"                           one per command), not timed\n"
"  -c, --conclude CMD       run after each run, not timed\n"
"  -P, --parameter-scan VAR MIN MAX\n"
"                           one benchmark per value of VAR from MIN to MAX;\n"
"                           {VAR} in commands (and --arg) is replaced\n"
"  -D, --parameter-step D   step of the scan (default 1)\n"
"  -L, --parameter-list VAR V1,V2,...\n"
"                           one benchmark per value in the list\n"
"  -N, --shell=none         run commands without a shell (split into words)\n"
"  -S, --shell SHELL        the shell (default sh); its spawn cost is measured\n"
"                           and subtracted from every run\n"
"  -i, --ignore-failure     go on when a command exits non-zero\n"
"      --show-output        the commands' output to the terminal\n"
"Functions:\n"
"      --lib PATH           the shared object (dlopen)\n"
"      --func NAME          void NAME(void *state), timed in calibrated loops\n"
"      --setup NAME         void *NAME(int argc, char **argv), called once\n"
"                           (per parameter value) with the --arg values; its\n"
"                           result is the state (without it: the argv array)\n"
"      --arg VALUE          an argument for the setup\n"
"Output:\n"
"      --outfile FILE       every run as a record (.csv, .json, .jsonl)\n"
"      --export-markdown FILE  the summary as a Markdown table\n"
"      --export-json FILE   hyperfine's JSON shape (docs/timeit.md)\n"
"  -h, --help               show this help\n"
"      --version            the program's and libperfkit's version\n");
}

enum {
	OPT_MIN_TIME = 256, OPT_MAX_TIME, OPT_REL_CI, OPT_SAMPLE_TIME,
	OPT_SHOW_OUTPUT, OPT_LIB, OPT_FUNC, OPT_SETUP, OPT_ARG, OPT_OUTFILE,
	OPT_MARKDOWN, OPT_JSON,
};

static const struct option options[] = {
	{ "warmup", required_argument, NULL, 'w' },
	{ "runs", required_argument, NULL, 'r' },
	{ "min-runs", required_argument, NULL, 'm' },
	{ "max-runs", required_argument, NULL, 'M' },
	{ "min-time", required_argument, NULL, OPT_MIN_TIME },
	{ "max-time", required_argument, NULL, OPT_MAX_TIME },
	{ "rel-ci", required_argument, NULL, OPT_REL_CI },
	{ "sample-time", required_argument, NULL, OPT_SAMPLE_TIME },
	{ "prepare", required_argument, NULL, 'p' },
	{ "conclude", required_argument, NULL, 'c' },
	{ "parameter-scan", required_argument, NULL, 'P' },
	{ "parameter-step", required_argument, NULL, 'D' },
	{ "parameter-list", required_argument, NULL, 'L' },
	{ "shell", required_argument, NULL, 'S' },
	{ "ignore-failure", no_argument, NULL, 'i' },
	{ "show-output", no_argument, NULL, OPT_SHOW_OUTPUT },
	{ "lib", required_argument, NULL, OPT_LIB },
	{ "func", required_argument, NULL, OPT_FUNC },
	{ "setup", required_argument, NULL, OPT_SETUP },
	{ "arg", required_argument, NULL, OPT_ARG },
	{ "outfile", required_argument, NULL, OPT_OUTFILE },
	{ "export-markdown", required_argument, NULL, OPT_MARKDOWN },
	{ "export-json", required_argument, NULL, OPT_JSON },
	CLI_OPTIONS_STANDARD,
	{ NULL, 0, NULL, 0 },
};

/* A non-empty text that goes into a list of at most @cap. */
static int push(const char *opt, const char *v, const char **list, int *n,
		int cap)
{
	if (!*v)
		return cli_bad_value(opt, v, "an empty value");
	if (*n >= cap)
		return cli_error("%s: at most %d", opt, cap);
	list[(*n)++] = v;
	return 0;
}

static int set_param(struct timeit_args *a, const char *opt, const char *v)
{
	if (a->param)
		return cli_error("%s: only one parameter (--parameter-scan or "
				 "--parameter-list) may be given", opt);
	if (!*v || strpbrk(v, "{}, \t"))
		return cli_bad_value(opt, v, "a parameter name (no braces, "
				     "commas or blanks)");
	a->param = v;
	return 0;
}

/* -P VAR MIN MAX: the two values after the option's own. */
static int parse_scan(struct timeit_args *a, int argc, char **argv)
{
	if (set_param(a, "--parameter-scan", optarg) != 0)
		return -1;
	if (optind + 1 >= argc)
		return cli_error("--parameter-scan needs VAR MIN MAX");
	if (cli_parse_double("--parameter-scan MIN", argv[optind], -1e15, 1e15,
			     &a->scan_lo) != 0 ||
	    cli_parse_double("--parameter-scan MAX", argv[optind + 1], -1e15,
			     1e15, &a->scan_hi) != 0)
		return -1;
	optind += 2;
	a->scan_set = 1;
	return 0;
}

/* "a,b,c" into the value list; the copy is owned by @a. */
static int parse_list(struct timeit_args *a, const char *v)
{
	char *p;

	if (set_param(a, "--parameter-list", optarg) != 0)
		return -1;
	if (!*v)
		return cli_bad_value("--parameter-list", v, "values separated "
				     "by commas");
	a->param_buf = strdup(v);
	if (!a->param_buf)
		return cli_error("out of memory");
	for (p = a->param_buf;; p++) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (!*p)
			return cli_bad_value("--parameter-list", v, "no empty "
					     "value between commas");
		if (a->nvalues >= TIMEIT_MAX_VALUES)
			return cli_error("--parameter-list: at most %d values",
					 TIMEIT_MAX_VALUES);
		a->param_values[a->nvalues++] = p;
		if (!comma)
			return 0;
		p = comma;
	}
}

static int parse_one(int c, struct timeit_args *a, int argc, char **argv)
{
	switch (c) {
	case 'w': return cli_parse_u64("--warmup", optarg, 0, 1000000, &a->warmup);
	case 'r': return cli_parse_u64("--runs", optarg, 1, 100000000, &a->runs);
	case 'm': return cli_parse_u64("--min-runs", optarg, 1, 100000000, &a->min_runs);
	case 'M': return cli_parse_u64("--max-runs", optarg, 1, 100000000, &a->max_runs);
	case OPT_MIN_TIME:
		a->min_time_set = 1;
		return cli_parse_seconds("--min-time", optarg, &a->min_time);
	case OPT_MAX_TIME:
		a->max_time_set = 1;
		return cli_parse_positive("--max-time", optarg, 86400, &a->max_time);
	case OPT_REL_CI: return cli_parse_positive("--rel-ci", optarg, 1, &a->rel_ci);
	case OPT_SAMPLE_TIME:
		a->sample_time_set = 1;
		return cli_parse_positive("--sample-time", optarg, 60, &a->sample_time);
	case 'p': return push("--prepare", optarg, a->prepare, &a->nprepare, TIMEIT_MAX_COMMANDS);
	case 'c': return push("--conclude", optarg, a->conclude, &a->nconclude, TIMEIT_MAX_COMMANDS);
	case 'P': return parse_scan(a, argc, argv);
	case 'D':
		a->step_set = 1;
		return cli_parse_positive("--parameter-step", optarg, 1e15, &a->scan_step);
	case 'L': return optind < argc ? (parse_list(a, argv[optind++])) :
		  cli_error("--parameter-list needs VAR and VALUES");
	case 'N': a->shell = NULL; return 0;
	case 'S':
		if (!*optarg)
			return cli_bad_value("--shell", optarg, "a shell, or none");
		a->shell = strcmp(optarg, "none") == 0 ? NULL : optarg;
		return 0;
	case 'i': a->ignore_failure = 1; return 0;
	case OPT_SHOW_OUTPUT: a->show_output = 1; return 0;
	case OPT_LIB:
		if (!*optarg)
			return cli_bad_value("--lib", optarg, "a shared object");
		a->lib = optarg;
		return 0;
	case OPT_FUNC: return push("--func", optarg, a->funcs, &a->nfuncs, TIMEIT_MAX_COMMANDS);
	case OPT_SETUP:
		if (!*optarg)
			return cli_bad_value("--setup", optarg, "a function name");
		a->setup = optarg;
		return 0;
	case OPT_ARG:
		if (a->nfargs >= TIMEIT_MAX_ARGS)
			return cli_error("--arg: at most %d", TIMEIT_MAX_ARGS);
		a->fargs[a->nfargs++] = optarg;
		return 0;
	case OPT_OUTFILE: a->outfile = optarg; return 0;
	case OPT_MARKDOWN: a->markdown = optarg; return 0;
	case OPT_JSON: a->json = optarg; return 0;
	default: return -1;
	}
}

/* MIN, MIN + STEP, ... MAX as text; numbers shown as given. */
static int make_scan(struct timeit_args *a)
{
	double step = a->step_set ? a->scan_step : 1;
	double count = floor((a->scan_hi - a->scan_lo) / step + 1e-9) + 1;
	char *p;

	if (a->scan_hi < a->scan_lo)
		return cli_error("--parameter-scan: MAX (%g) is below MIN (%g)",
				 a->scan_hi, a->scan_lo);
	if (count > TIMEIT_MAX_VALUES)
		return cli_error("--parameter-scan: %.0f values; at most %d (a "
				 "larger --parameter-step?)", count,
				 TIMEIT_MAX_VALUES);
	a->nvalues = (int)count;
	a->param_buf = malloc((size_t)a->nvalues * 32);
	if (!a->param_buf)
		return cli_error("out of memory");
	p = a->param_buf;
	for (int i = 0; i < a->nvalues; i++) {
		a->param_values[i] = p;
		p += snprintf(p, 32, "%.12g", a->scan_lo + i * step) + 1;
	}
	return 0;
}

/* Every value a positive number: the scan can be fitted for complexity. */
static int all_numeric(const struct timeit_args *a)
{
	for (int i = 0; i < a->nvalues; i++) {
		char *end;
		double v = strtod(a->param_values[i], &end);

		if (*end || !isfinite(v) || v <= 0)
			return 0;
	}
	return a->nvalues > 0;
}

static int check_functions(const struct timeit_args *a)
{
	if (a->ncommands)
		return cli_error("with --lib, give functions (--func), not "
				 "commands ('%s')", a->commands[0]);
	if (!a->nfuncs)
		return cli_error("--lib needs at least one --func");
	if (a->nprepare || a->nconclude || a->ignore_failure ||
	    a->show_output || a->min_time_set)
		return cli_error("--prepare, --conclude, --ignore-failure, "
				 "--show-output and --min-time apply to "
				 "commands, not to --lib functions");
	return 0;
}

static int check_commands(const struct timeit_args *a)
{
	if (a->nfuncs || a->setup || a->nfargs || a->sample_time_set)
		return cli_error("--func, --setup, --arg and --sample-time "
				 "need --lib");
	if (!a->ncommands)
		return cli_error("no command to time (try --help)");
	for (int i = 0; i < a->ncommands; i++)
		if (!a->commands[i][strspn(a->commands[i], " \t\n")])
			return cli_error("command %d is empty", i + 1);
	if (a->nprepare > 1 && a->nprepare != a->ncommands)
		return cli_error("--prepare: give one for all commands or one "
				 "per command (%d), not %d", a->ncommands,
				 a->nprepare);
	if (a->nconclude > 1 && a->nconclude != a->ncommands)
		return cli_error("--conclude: give one for all commands or one "
				 "per command (%d), not %d", a->ncommands,
				 a->nconclude);
	return 0;
}

static int check_rules(const struct timeit_args *a)
{
	if (a->runs && (a->min_runs || a->max_runs || a->rel_ci > 0))
		return cli_error("--runs fixes the count: it excludes "
				 "--min-runs, --max-runs and --rel-ci");
	if (a->min_runs && a->max_runs && a->min_runs > a->max_runs)
		return cli_error("--min-runs (%llu) is above --max-runs (%llu)",
				 (unsigned long long)a->min_runs,
				 (unsigned long long)a->max_runs);
	if (a->step_set && !a->scan_set)
		return cli_error("--parameter-step needs --parameter-scan");
	if (a->max_time_set && !a->lib && a->rel_ci <= 0)
		return cli_error("--max-time applies to commands only with "
				 "--rel-ci (else the rule is --min-time)");
	return 0;
}

static int check_outputs(const struct timeit_args *a)
{
	if (a->outfile && cli_check_output_path("--outfile", a->outfile) != 0)
		return -1;
	if (a->markdown &&
	    cli_check_output_path("--export-markdown", a->markdown) != 0)
		return -1;
	if (a->json && cli_check_output_path("--export-json", a->json) != 0)
		return -1;
	if (a->outfile) {
		enum perfkit_format f;

		if (perfkit_format_from_path(a->outfile, &f) != 0)
			return cli_bad_value("--outfile", a->outfile, "a name "
					     "ending .csv, .json or .jsonl");
	}
	return 0;
}

static void set_defaults(struct timeit_args *a)
{
	if (a->warmup == UINT64_MAX)
		a->warmup = a->lib ? 1 : 0;
	if (!a->min_time_set)
		a->min_time = 3.0;
	if (!a->max_time_set)
		a->max_time = a->lib ? PERFKIT_RUNNER_DEFAULT_MAX_TIME : 60.0;
	if (!a->min_runs)
		a->min_runs = a->runs ? a->runs : 10;
	if (!a->max_runs)
		a->max_runs = a->runs ? a->runs :
			      a->lib ? PERFKIT_RUNNER_DEFAULT_MAX_SAMPLES : 100000000;
	if (a->min_runs > a->max_runs)
		a->min_runs = a->max_runs;
}

int timeit_parse_args(int argc, char **argv, struct timeit_args *a)
{
	int c, rc = 0;

	*a = (struct timeit_args){ .shell = "sh", .warmup = UINT64_MAX };
	while (rc == 0 &&
	       (c = cli_getopt(argc, argv, "w:r:m:M:p:c:P:D:L:NS:ih", options)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		if (c == CLI_OPT_VERSION) {
			cli_print_version(stdout);
			return CLI_EXIT_OK;
		}
		rc = parse_one(c, a, argc, argv);
	}
	for (; rc == 0 && optind < argc; optind++)
		if (a->ncommands < TIMEIT_MAX_COMMANDS)
			a->commands[a->ncommands++] = argv[optind];
		else
			rc = cli_error("at most %d commands", TIMEIT_MAX_COMMANDS);
	if (rc == 0)
		rc = a->lib ? check_functions(a) : check_commands(a);
	if (rc == 0)
		rc = check_rules(a);
	if (rc == 0 && a->scan_set)
		rc = make_scan(a);
	if (rc == 0)
		rc = check_outputs(a);
	if (rc != 0)
		return CLI_EXIT_USAGE;
	a->numeric = all_numeric(a);
	set_defaults(a);
	return -1;
}

void timeit_args_free(struct timeit_args *a)
{
	free(a->param_buf);
	a->param_buf = NULL;
}
