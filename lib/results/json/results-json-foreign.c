/* SPDX-License-Identifier: MIT */
/* What the readers of other tools' JSON (Google Benchmark, hyperfine)
 * share: loading a document, errors naming the JSON path and its line and
 * column, numbers, names that may be too long for a record. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"

int pk_foreign_load(const char *tool, const char *data, size_t len,
		    json_t **root)
{
	json_error_t err;
	char msg[400];
	int rc = pk_json_check_input(data, len);

	if (rc == 0) {
		*root = json_loadb(data, len, PK_JSON_LOAD_FLAGS, &err);
		if (!*root)
			rc = pk_json_load_error(data, len, &err, 1, NULL);
	}
	if (rc == 0 && !json_is_object(*root)) {
		rc = pk_error(-EBADMSG, "line 1, column 1: expected an object "
			      "at the top, got %s", pk_json_type_name(*root));
		json_decref(*root);
	}
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "%s", perfkit_last_error());
		pk_error(rc, "%s JSON: %s", tool, msg);
	}
	return rc;
}

int pk_foreign_fail(const struct pk_foreign *f, size_t index, const char *key,
		    const char *fmt, ...)
{
	char why[256], path[128];
	size_t at = pk_json_locate(f->data, f->len, f->array,
				   index == (size_t)-1 ? 0 : index, key);
	int line, column;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (index == (size_t)-1)
		snprintf(path, sizeof(path), "%s", f->array);
	else if (key)
		snprintf(path, sizeof(path), "%s[%zu].%s", f->array, index, key);
	else
		snprintf(path, sizeof(path), "%s[%zu]", f->array, index);
	pk_json_line_col(f->data, f->len, at, &line, &column);
	return pk_error(-EBADMSG, "%s JSON: line %d, column %d: %s: %s",
			f->tool, line, column, path, why);
}

int pk_foreign_number(const struct pk_foreign *f, json_t *obj, size_t index,
		      const char *key, int required, double *v)
{
	json_t *x = json_object_get(obj, key);

	if (!x && !required)
		return 0;
	if (!x)
		return pk_foreign_fail(f, index, NULL, "\"%s\" is missing", key);
	if (!json_is_number(x))
		return pk_foreign_fail(f, index, key, "expected a number, got %s",
				       pk_json_type_name(x));
	*v = json_number_value(x);
	return 1;
}

int pk_foreign_name(struct perfkit_record *rec, const char *name)
{
	char cut[PERFKIT_RECORD_NAME_MAX + 1];
	size_t n = strlen(name);

	if (n <= PERFKIT_RECORD_NAME_MAX)
		return perfkit_record_set_name(rec, name);
	/* Cut at a character boundary; the whole name is kept beside. */
	n = PERFKIT_RECORD_NAME_MAX;
	while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
		n--;
	memcpy(cut, name, n);
	cut[n] = '\0';
	return perfkit_record_set_name(rec, cut);
}
