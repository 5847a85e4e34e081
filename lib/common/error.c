/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static _Thread_local char last_error[512];
/* Counts messages set in this thread, so a caller can tell whether a
 * callback it ran set one (pk_error_serial()). */
static _Thread_local unsigned long error_serial;

struct code_name {
	int code;
	const char *text;
};

static const struct code_name code_names[] = {
	{ 0, "success" },
	{ EINVAL, "invalid argument" },
	{ ENOMEM, "out of memory" },
	{ EIO, "input/output error" },
	{ ENOENT, "no such file, kernel or region" },
	{ EEXIST, "name already registered" },
	{ ENOTSUP, "not supported here (machine, platform or file type)" },
	{ EBADMSG, "malformed input" },
	{ ERANGE, "value out of range or fit did not converge" },
	{ EDOM, "data cannot support the requested model" },
	{ ECANCELED, "cancelled by the caller" },
	{ ETIMEDOUT, "time budget exhausted" },
	{ ECHILD, "worker process failed" },
	{ EAGAIN, "resource temporarily unavailable" },
	{ ENOSPC, "no room left (table full or disk full)" },
};

PERFKIT_EXPORT const char *perfkit_strerror(int code)
{
	/* Compare against both signs: negating INT_MIN would overflow. */
	for (size_t i = 0; i < sizeof(code_names) / sizeof(code_names[0]); i++)
		if (code_names[i].code == code || -code_names[i].code == code)
			return code_names[i].text;
	return "unknown error";
}

PERFKIT_EXPORT const char *perfkit_last_error(void)
{
	return last_error;
}

PERFKIT_EXPORT void perfkit_clear_error(void)
{
	last_error[0] = '\0';
}

PERFKIT_EXPORT int perfkit_set_error(int code, const char *fmt, ...)
{
	va_list ap;

	if (!fmt) {
		last_error[0] = '\0';
		return code;
	}
	va_start(ap, fmt);
	pk_verror(code, fmt, ap);
	va_end(ap);
	return code;
}

unsigned long pk_error_serial(void)
{
	return error_serial;
}

int pk_verror(int code, const char *fmt, va_list ap)
{
	error_serial++;
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	return code;
}

int pk_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pk_verror(code, fmt, ap);
	va_end(ap);
	return code;
}
