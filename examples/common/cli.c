/* SPDX-License-Identifier: MIT */
/* Strict option parsing for the example programs (see cli.h). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <perfkit/perfkit.h>

#include "cli.h"

/* Set once by main before anything else runs: no locking needed. */
static const char *program = "perfkit";

void cli_set_program(const char *name)
{
	program = name;
}

const char *cli_program(void)
{
	return program;
}

void cli_print_version(FILE *out)
{
	fprintf(out, "%s (libperfkit) %s\n", program, perfkit_version_string());
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int cli_bad_value(const char *opt, const char *arg, const char *want)
{
	return cli_error("%s '%s': %s", opt, arg, want);
}

/* The value is named first, what is wanted next, and why it is not that
 * last: tests and users grep for "<opt> '<value>': need ...". */
static int bad(const char *opt, const char *arg, const char *want,
	       const char *problem)
{
	if (!problem)
		return cli_bad_value(opt, arg, want);
	return cli_error("%s '%s': %s (%s)", opt, arg, want, problem);
}

int cli_getopt(int argc, char *const *argv, const char *shortopts,
	       const struct option *longopts)
{
	char spec[128];
	const char *last;
	int c;

	/* a leading ':' (after the ordering flag '+' or '-', if any) makes
	 * getopt return ':' for a missing value */
	if (*shortopts == '+' || *shortopts == '-')
		snprintf(spec, sizeof(spec), "%c:%s", *shortopts, shortopts + 1);
	else
		snprintf(spec, sizeof(spec), ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c != '?' && c != ':')
		return c;
	/* getopt has moved past a long option; a short one is in optopt */
	last = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (c == ':')
		cli_error("option '%s' needs a value", last);
	else if (optopt > 0 && optopt < 256 && strncmp(last, "--", 2) != 0)
		cli_error("unrecognized option '-%c'", optopt);
	else
		cli_error("unrecognized option '%s'", last);
	return '?';
}

/* ---- whole numbers ---- */

/* Why @s cannot be a whole number, or NULL. strtoll and strtoull skip
 * blanks and take a sign (strtoull even negates "-1" into 2^64 - 1), so
 * the characters are checked first. */
static const char *integer_problem(const char *s, int signed_ok)
{
	const char *d = s;

	if (!*s)
		return "empty";
	if (*d == '-') {
		if (!signed_ok && isdigit((unsigned char)d[1]))
			return "negative";
		d++;
	}
	if (!*d)
		return "not a whole number";
	for (; *d; d++)
		if (!isdigit((unsigned char)*d))
			return "not a whole number";
	return NULL;
}

static void want_integer(char *buf, size_t size, const char *lo, const char *hi)
{
	if (hi)
		snprintf(buf, size, "need a whole number from %s to %s", lo, hi);
	else
		snprintf(buf, size, "need a whole number >= %s", lo);
}

int cli_parse_i64(const char *opt, const char *s, int64_t lo, int64_t hi,
		  int64_t *v)
{
	char want[96], los[24], his[24];
	const char *problem = integer_problem(s, lo < 0);
	long long x = 0;

	snprintf(los, sizeof(los), "%" PRId64, lo);
	snprintf(his, sizeof(his), "%" PRId64, hi);
	want_integer(want, sizeof(want), los, hi == INT64_MAX ? NULL : his);
	if (!problem) {
		errno = 0;
		x = strtoll(s, NULL, 10);
		if (errno == ERANGE)
			problem = x < 0 ? "too small" : "too large";
	}
	if (problem || x < lo || x > hi)
		return bad(opt, s, want, problem);
	*v = x;
	return 0;
}

int cli_parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
		  uint64_t *v)
{
	char want[96], los[24], his[24];
	const char *problem = integer_problem(s, 0);
	unsigned long long x = 0;

	snprintf(los, sizeof(los), "%" PRIu64, lo);
	snprintf(his, sizeof(his), "%" PRIu64, hi);
	want_integer(want, sizeof(want), los, hi == UINT64_MAX ? NULL : his);
	if (!problem) {
		errno = 0;
		x = strtoull(s, NULL, 10);
		if (errno == ERANGE)
			problem = "too large";
	}
	if (problem || x < lo || x > hi)
		return bad(opt, s, want, problem);
	*v = x;
	return 0;
}

int cli_parse_int(const char *opt, const char *s, int lo, int hi, int *v)
{
	int64_t x;

	if (cli_parse_i64(opt, s, lo, hi, &x) != 0)
		return -1;
	*v = (int)x;
	return 0;
}

/* ---- real numbers ---- */

/* Why @s cannot be a finite number, or NULL with *v set. */
static const char *real_problem(const char *s, double *v)
{
	char *end;

	if (!*s)
		return "empty";
	if (isspace((unsigned char)*s))
		return "not a number"; /* strtod would skip the blanks */
	errno = 0;
	*v = strtod(s, &end);
	if (end == s || *end)
		return "not a number";
	if (errno == ERANGE)
		return fabs(*v) > 1 ? "too large" : "too small";
	if (!isfinite(*v))
		return "not finite";
	return NULL;
}

static int parse_real(const char *opt, const char *s, double lo, double hi,
		      int lo_open, const char *want, double *v)
{
	double x = 0;
	const char *problem = real_problem(s, &x);

	if (problem || x < lo || (lo_open && x == lo) || x > hi)
		return bad(opt, s, want, problem);
	*v = x;
	return 0;
}

int cli_parse_double(const char *opt, const char *s, double lo, double hi,
		     double *v)
{
	char want[96];

	if (isinf(hi))
		snprintf(want, sizeof(want), "need a number >= %g", lo);
	else
		snprintf(want, sizeof(want), "need a number from %g to %g", lo, hi);
	return parse_real(opt, s, lo, hi, 0, want, v);
}

int cli_parse_positive(const char *opt, const char *s, double hi, double *v)
{
	char want[96];

	if (isinf(hi))
		snprintf(want, sizeof(want), "need a number > 0");
	else
		snprintf(want, sizeof(want), "need a number > 0 and <= %g", hi);
	return parse_real(opt, s, 0, hi, 1, want, v);
}

int cli_parse_seconds(const char *opt, const char *s, double *v)
{
	return parse_real(opt, s, 0, INFINITY, 0, "need seconds >= 0", v);
}

/* ---- lists and words ---- */

int cli_parse_list_i64(const char *opt, const char *s, int64_t lo, int64_t hi,
		       int64_t *v, size_t cap, size_t *n)
{
	char want[96], item[32];
	const char *p = s;

	snprintf(want, sizeof(want), "need up to %zu numbers separated by commas", cap);
	*n = 0;
	if (!*s)
		return bad(opt, s, want, "empty");
	for (;;) {
		size_t len = strcspn(p, ",");

		if (len == 0)
			return bad(opt, s, want, "an empty item");
		if (*n >= cap)
			return bad(opt, s, want, "too many");
		if (len >= sizeof(item))
			return bad(opt, s, want, "an item too long");
		memcpy(item, p, len);
		item[len] = '\0';
		if (cli_parse_i64(opt, item, lo, hi, &v[*n]) != 0)
			return -1;
		(*n)++;
		if (p[len] == '\0')
			return 0;
		p += len + 1; /* a trailing comma leaves an empty item */
	}
}

int cli_parse_enum(const char *opt, const char *s, const char *const *names,
		   int count, int *v)
{
	char want[160] = "use";

	for (int i = 0; i < count; i++) {
		size_t used = strlen(want);

		if (strcmp(s, names[i]) == 0) {
			*v = i;
			return 0;
		}
		snprintf(want + used, sizeof(want) - used, "%s %s",
			 i ? (i == count - 1 ? " or" : ",") : "", names[i]);
	}
	return cli_bad_value(opt, s, want);
}

int cli_check_output_path(const char *opt, const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (path[0] == '\0')
		return cli_error("%s: the file name is empty", opt);
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (slash && slash[1] == '\0')
		return cli_error("%s %s: names a folder, not a file", opt, path);
	if (stat(dir, &st) != 0)
		return cli_error("%s %s: folder '%s': %s", opt, path, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cli_error("%s %s: '%s' is not a folder", opt, path, dir);
	if (access(dir, W_OK | X_OK) != 0)
		return cli_error("%s %s: cannot write in folder '%s': %s", opt, path, dir,
				 strerror(errno));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return cli_error("%s %s: is a folder", opt, path);
	if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
		return cli_error("%s %s: cannot overwrite: %s", opt, path, strerror(errno));
	return 0;
}
