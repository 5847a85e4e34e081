/* SPDX-License-Identifier: MIT */
/*
 * The command-line convention every example program follows:
 *
 *   --help       usage on stdout, exit 0
 *   --version    "<program> (libperfkit) <version>" on stdout, exit 0
 *   bad usage    one line on stderr naming the option and the value, exit 2
 *   a failed measurement or output                                   exit 1
 *
 * Numbers are parsed strictly: no sign where none is allowed, no overflow,
 * no empty strings, no trailing garbage, no leading blanks. Each parser
 * prints "<program>: <option> '<value>': <what is wrong>" and returns -1,
 * or stores the value and returns 0.
 */
#ifndef PK_EXAMPLES_CLI_H
#define PK_EXAMPLES_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILED = 1,  /* the measurement or an output failed */
	CLI_EXIT_USAGE = 2,   /* the command line was wrong */
};

/* getopt_long value of --version (no short form). */
#define CLI_OPT_VERSION 0x1000

/* The two options every program has, for its struct option table. */
#define CLI_OPTIONS_STANDARD                                    \
	{ "help", no_argument, NULL, 'h' },                     \
	{ "version", no_argument, NULL, CLI_OPT_VERSION }

/* The program's name in messages; set once at the start of main. */
void cli_set_program(const char *name);
const char *cli_program(void);

/* "<program> (libperfkit) <runtime version>". */
void cli_print_version(FILE *out);

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* "<program>: <message>" on stderr, one line. Returns -1. */
int cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* "<program>: <opt> '<arg>': <want>" on stderr. Returns -1. */
int cli_bad_value(const char *opt, const char *arg, const char *want);

/*
 * getopt_long with our messages instead of getopt's: an unknown option or
 * a missing value is reported in one line and returned as '?'. Takes
 * @shortopts without the ':' flag; a leading '+' stops at the first
 * argument that is not an option (so that "1000 -1" is two numbers).
 */
int cli_getopt(int argc, char *const *argv, const char *shortopts,
	       const struct option *longopts);

/* A whole number from lo to hi ("-" allowed only when lo < 0). */
int cli_parse_i64(const char *opt, const char *s, int64_t lo, int64_t hi,
		  int64_t *v);
/* A whole number from lo to hi; a minus sign is refused, never wrapped. */
int cli_parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
		  uint64_t *v);
int cli_parse_int(const char *opt, const char *s, int lo, int hi, int *v);

/* A finite number from lo to hi (hi may be INFINITY). */
int cli_parse_double(const char *opt, const char *s, double lo, double hi,
		     double *v);
/* A finite number > 0 and at most hi (hi may be INFINITY). */
int cli_parse_positive(const char *opt, const char *s, double hi, double *v);
/* A finite number of seconds >= 0. */
int cli_parse_seconds(const char *opt, const char *s, double *v);

/*
 * "1,2,4": up to @cap whole numbers from lo to hi, separated by commas,
 * none empty. A bad element is named on its own.
 */
int cli_parse_list_i64(const char *opt, const char *s, int64_t lo, int64_t hi,
		       int64_t *v, size_t cap, size_t *n);

/* One of @count words; *v is its index. */
int cli_parse_enum(const char *opt, const char *s, const char *const *names,
		   int count, int *v);

/*
 * Check an output path before any work starts, so that a run never ends
 * with nowhere to put its results: the folder exists and takes new files
 * (a temporary one and the rename), and @path is not a folder or a file
 * we may not write. "<program>: <opt> <path>: <why>", then -1; or 0.
 */
int cli_check_output_path(const char *opt, const char *path);

#endif /* PK_EXAMPLES_CLI_H */
