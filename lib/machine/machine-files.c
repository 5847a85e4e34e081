/* SPDX-License-Identifier: MIT */
/* Reading the small text files of /sys and /proc: one line, a kHz value,
 * the cpu MHz line of /proc/cpuinfo. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine-private.h"

int pk_read_line(const char *path, char *buf, size_t len)
{
	FILE *f;
	size_t n;

	if (!path || !buf || len == 0)
		return pk_error(-EINVAL, "pk_read_line: bad argument");
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return pk_error(-ENOENT, "cannot open %s", path);
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		buf[0] = '\0';
		return pk_error(-EBADMSG, "%s is empty", path);
	}
	fclose(f);
	n = strlen(buf);
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	if (n == 0)
		return pk_error(-EBADMSG, "%s is empty", path);
	return 0;
}

/* A number followed by nothing but blanks. */
static int parse_number(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno)
		return -EBADMSG;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EBADMSG;
	*out = v;
	return 0;
}

int pk_read_khz_file(const char *path, double *ghz)
{
	char line[64];
	double khz;
	int rc;

	if (!ghz)
		return pk_error(-EINVAL, "pk_read_khz_file: ghz is NULL");
	rc = pk_read_line(path, line, sizeof(line));
	if (rc < 0)
		return rc;
	if (parse_number(line, &khz) < 0)
		return pk_error(-EBADMSG, "%s: not a number: '%s'", path, line);
	if (!isfinite(khz) || khz <= 0)
		return pk_error(-ERANGE, "%s: frequency %g kHz is not positive", path, khz);
	*ghz = khz / 1e6;
	return 0;
}

int pk_cpuinfo_mhz(const char *path, double *ghz)
{
	char line[512];
	FILE *f;
	double mhz;
	int lineno = 0;

	if (!path || !ghz)
		return pk_error(-EINVAL, "pk_cpuinfo_mhz: NULL argument");
	f = fopen(path, "r");
	if (!f)
		return pk_error(-ENOENT, "cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *colon;

		lineno++;
		if (strncmp(line, "cpu MHz", 7) != 0)
			continue;
		fclose(f);
		colon = strchr(line, ':');
		if (!colon || parse_number(colon + 1, &mhz) < 0)
			return pk_error(-EBADMSG, "%s:%d: malformed cpu MHz line",
					path, lineno);
		if (!isfinite(mhz) || mhz <= 0)
			return pk_error(-ERANGE, "%s:%d: cpu MHz %g is not positive",
					path, lineno, mhz);
		*ghz = mhz / 1e3;
		return 0;
	}
	fclose(f);
	return pk_error(-ENOENT, "%s has no cpu MHz line", path);
}
