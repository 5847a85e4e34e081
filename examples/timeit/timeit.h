/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit: time shell commands (as hyperfine does) or C functions
 * in a shared object (as Python's timeit does), compare them, and export
 * what was measured. The parts, in the order main uses them:
 *   timeit-args.c     the command line
 *   timeit-bench.c    the list of benchmarks (parameters substituted)
 *   timeit-words.c    a command split into words for -N
 *   timeit-command.c  running commands: spawn cost, warm-up, stop rules
 *   timeit-func.c     functions of a shared object, on the runner
 *   timeit-report.c   statistics, outliers, relative speed, complexity
 *   timeit-export.c   --outfile, --export-markdown, --export-json
 */
#ifndef TIMEIT_H
#define TIMEIT_H

#include <stddef.h>
#include <stdint.h>

#include <perfkit/perfkit.h>

#define TIMEIT_MAX_COMMANDS 64   /* commands or functions */
#define TIMEIT_MAX_VALUES 1000   /* values of the scanned parameter */
#define TIMEIT_MAX_ARGS 32       /* --arg values */

struct timeit_args {
	/* what is timed: commands, or functions of a shared object */
	const char *commands[TIMEIT_MAX_COMMANDS];
	int ncommands;
	const char *lib, *setup;
	const char *funcs[TIMEIT_MAX_COMMANDS];
	int nfuncs;
	const char *fargs[TIMEIT_MAX_ARGS];
	int nfargs;
	/* how often: warm-up, run counts, time rules */
	uint64_t warmup, runs, min_runs, max_runs;
	double min_time, max_time, rel_ci, sample_time;
	int max_time_set, min_time_set, sample_time_set;
	/* around the commands */
	const char *prepare[TIMEIT_MAX_COMMANDS], *conclude[TIMEIT_MAX_COMMANDS];
	int nprepare, nconclude;
	const char *shell;       /* NULL with -N */
	int ignore_failure, show_output;
	/* one parameter: a numeric scan or a list of values */
	const char *param;
	const char *param_values[TIMEIT_MAX_VALUES];
	char *param_buf;         /* owns the values (scan or list copy) */
	int nvalues, numeric;
	double scan_lo, scan_hi, scan_step;
	int scan_set, step_set;
	/* outputs */
	const char *outfile, *markdown, *json;
};

/* One command (or function) at one parameter value, and its runs. */
struct timeit_bench {
	char *name;         /* the command after substitution, or f's name */
	char *prepare, *conclude; /* substituted, or NULL */
	int group;          /* which command or function (0..) */
	const char *value;  /* the parameter's value, or NULL */
	char **fargs;       /* --arg values after substitution (functions) */
	double *wall, *user, *sys; /* seconds per run (per call: functions) */
	int *codes;         /* exit code per run (-1: a signal) */
	size_t n, cap;
	uint64_t loops;     /* calls per sample; 1 for commands */
	const char *stop;   /* which rule ended the runs */
	struct perfkit_stats st;
	double user_median, sys_median;
	int failed;         /* a run exited non-zero (with --ignore-failure) */
};

struct timeit_set {
	struct timeit_bench *b;
	size_t n;
	int functions;      /* 1: functions of a shared object */
	/* shell spawn cost, subtracted from every run; 0 with -N */
	double spawn_wall, spawn_user, spawn_sys;
	size_t spawn_runs;
};

/* timeit-args.c: -1 to go on, else the exit status. */
int timeit_parse_args(int argc, char **argv, struct timeit_args *a);
void timeit_args_free(struct timeit_args *a);

/* timeit-bench.c: one bench per command (or function) and value; 0 or
 * -1 with a message. */
int timeit_benches_make(const struct timeit_args *a, struct timeit_set *s);
void timeit_benches_free(struct timeit_set *s);
int timeit_bench_add(struct timeit_bench *b, double wall, double user,
		     double sys, int code);
char *timeit_substitute(const char *text, const char *key, const char *value);

/* timeit-words.c: split @cmd into words (quotes and backslashes as in
 * sh, nothing else); NULL-terminated, free with timeit_words_free. NULL
 * with a message if it is empty or a quote is open. */
char **timeit_words(const char *cmd);
void timeit_words_free(char **w);

/* timeit-command.c: 0; 2 for bad input found only when running (a command
 * not found, a failing command); 1 for other failures. */
/* With -N: every command (and --prepare, --conclude) split and its
 * program found, before anything runs; 0 or 2 with a message. */
int timeit_check_commands(const struct timeit_args *a,
			  const struct timeit_set *s);
int timeit_measure_spawn(const struct timeit_args *a, struct timeit_set *s);
int timeit_run_commands(const struct timeit_args *a, struct timeit_set *s);

/* timeit-func.c: load the library and its symbols (2 on failure), then
 * time each function on the runner. */
int timeit_run_functions(const struct timeit_args *a, struct timeit_set *s);

/* timeit-report.c */
void timeit_summarise(struct timeit_bench *b);
void timeit_print_bench(const struct timeit_set *s, size_t i);
void timeit_print_relative(const struct timeit_set *s);
void timeit_print_complexity(const struct timeit_args *a,
			     const struct timeit_set *s);
/* Ratio of @b's times to @fast's: the Hodges-Lehmann estimate on logs and
 * its 95 % interval; -1 when either has a time <= 0. */
int timeit_ratio(const struct timeit_bench *b, const struct timeit_bench *fast,
		 double *ratio, double *lo, double *hi);
/* The measured benchmark with the smallest median, or NULL. */
const struct timeit_bench *timeit_fastest(const struct timeit_set *s);

/* timeit-export.c: 0, or -1 with a message. */
int timeit_write_outfile(const struct timeit_args *a,
			 const struct timeit_set *s, int argc, char **argv);
int timeit_write_markdown(const char *path, const struct timeit_set *s);
int timeit_write_hyperfine_json(const char *path, const struct timeit_set *s,
				const char *param);

#endif /* TIMEIT_H */
