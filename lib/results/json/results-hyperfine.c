/* SPDX-License-Identifier: MIT */
/*
 * hyperfine's JSON (--export-json FILE) read into a result set: one record
 * per run of each command, from its "times" array (seconds of wall time),
 * with the command's parameters (--parameter-scan, --parameter-list) as
 * record parameters and a run whose exit code was not 0 (or that a signal
 * ended: null) marked with status -EIO.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"

static int read_params(const struct pk_foreign *f, json_t *cmd, size_t i,
		       struct perfkit_record *rec)
{
	json_t *params = json_object_get(cmd, "parameters"), *v;
	const char *key;
	int rc;

	if (!params || json_is_null(params))
		return 0;
	if (!json_is_object(params))
		return pk_foreign_fail(f, i, "parameters", "expected an object, "
				       "got %s", pk_json_type_name(params));
	json_object_foreach(params, key, v) {
		char *text;

		if (!json_is_string(v) && !json_is_number(v))
			return pk_foreign_fail(f, i, "parameters", "parameter "
					       "\"%.40s\": expected a string, got %s",
					       key, pk_json_type_name(v));
		text = pk_json_text(v);
		if (!text)
			return pk_error(-ENOMEM, "hyperfine JSON: out of memory");
		rc = perfkit_record_set_param(rec, key, text);
		free(text);
		if (rc == -ENOSPC)
			return pk_foreign_fail(f, i, "parameters", "more than %d "
					       "parameters", PERFKIT_RECORD_PARAMS_MAX);
		if (rc < 0)
			return pk_foreign_fail(f, i, "parameters", "parameter "
					       "\"%.40s\": the key is empty, a record "
					       "field, or longer than %d bytes, or the "
					       "value longer than %d", key,
					       PERFKIT_RECORD_PARAM_KEY_MAX,
					       PERFKIT_RECORD_PARAM_VALUE_MAX);
	}
	return 0;
}

/* Exit code of run @k: 0 if the file has none; -1 for null (a signal). */
static int exit_code(const struct pk_foreign *f, json_t *codes, size_t i,
		     size_t k, long long *code)
{
	json_t *c = json_array_get(codes, k);

	*code = 0;
	if (!codes)
		return 0;
	if (!c)
		return pk_foreign_fail(f, i, "exit_codes", "%zu codes for more "
				       "times", json_array_size(codes));
	if (json_is_null(c)) {
		*code = -1;
		return 0;
	}
	if (!json_is_integer(c))
		return pk_foreign_fail(f, i, "exit_codes", "[%zu]: expected an "
				       "integer, got %s", k, pk_json_type_name(c));
	*code = json_integer_value(c);
	return 0;
}

static int read_command(const struct pk_foreign *f, json_t *cmd, size_t i,
			struct perfkit_results *res)
{
	struct perfkit_record rec;
	json_t *name, *times, *codes, *t;
	size_t k;
	int rc;

	if (!json_is_object(cmd))
		return pk_foreign_fail(f, i, NULL, "expected an object, got %s",
				       pk_json_type_name(cmd));
	name = json_object_get(cmd, "command");
	times = json_object_get(cmd, "times");
	codes = json_object_get(cmd, "exit_codes");
	if (!json_is_string(name))
		return name ? pk_foreign_fail(f, i, "command", "expected a "
					      "string, got %s",
					      pk_json_type_name(name)) :
			      pk_foreign_fail(f, i, NULL, "\"command\" is missing");
	if (!json_is_array(times))
		return times ? pk_foreign_fail(f, i, "times", "expected an array "
					       "of seconds, got %s",
					       pk_json_type_name(times)) :
			       pk_foreign_fail(f, i, NULL, "\"times\" is missing");
	if (codes && !json_is_array(codes))
		return pk_foreign_fail(f, i, "exit_codes", "expected an array, "
				       "got %s", pk_json_type_name(codes));
	perfkit_record_init(&rec);
	pk_foreign_name(&rec, json_string_value(name));
	rec.repetitions = 1;
	rc = read_params(f, cmd, i, &rec);
	json_array_foreach(times, k, t) {
		size_t r = perfkit_results_count(res);
		long long code;
		char buf[32];

		if (rc < 0)
			break;
		if (!json_is_number(t))
			return pk_foreign_fail(f, i, "times", "[%zu]: expected a "
					       "number, got %s", k,
					       pk_json_type_name(t));
		rc = exit_code(f, codes, i, k, &code);
		if (rc < 0)
			return rc;
		rec.elapsed = json_number_value(t);
		rec.status = code ? -EIO : 0;
		rc = perfkit_results_append(res, &rec);
		if (rc == 0 && code) {
			snprintf(buf, sizeof(buf), "%lld", code);
			rc = perfkit_results_extra_set(res, r, "exit_code",
						       code == -1 ? "signal" : buf);
		}
		if (rc == 0 && json_string_length(name) > PERFKIT_RECORD_NAME_MAX)
			rc = perfkit_results_extra_set(res, r, "command",
						       json_string_value(name));
	}
	return rc;
}

int pk_results_parse_hyperfine(const char *data, size_t len,
			       struct perfkit_results **out)
{
	struct pk_foreign f = { "hyperfine", data, len, "results" };
	struct perfkit_results *res = NULL;
	json_t *root, *cmds, *c;
	size_t i;
	int rc = pk_foreign_load(f.tool, data, len, &root);

	if (rc < 0)
		return rc;
	cmds = json_object_get(root, "results");
	if (!json_is_array(cmds))
		rc = cmds ? pk_foreign_fail(&f, (size_t)-1, NULL, "expected an "
					    "array, got %s",
					    pk_json_type_name(cmds)) :
			    pk_error(-EBADMSG, "hyperfine JSON: line 1, column 1: "
				     "\"results\" is missing");
	if (rc == 0)
		rc = pk_json_new_set(&res);
	if (rc == 0)
		rc = perfkit_results_meta_set(res, "source.format", "hyperfine");
	json_array_foreach(cmds, i, c) {
		if (rc < 0)
			break;
		rc = read_command(&f, c, i, res);
	}
	json_decref(root);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc;
	}
	*out = res;
	return 0;
}
