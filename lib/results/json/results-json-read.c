/* SPDX-License-Identifier: MIT */
/* Records from jansson values (JSON and JSON Lines alike). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"

int pk_json_fail(struct pk_json_fault *fault, const char *key,
		 const char *fmt, ...)
{
	va_list ap;

	fault->key = key;
	va_start(ap, fmt);
	vsnprintf(fault->why, sizeof(fault->why), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

const char *pk_json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "a value";
}

char *pk_json_text(json_t *v)
{
	if (json_is_string(v))
		return strndup(json_string_value(v), json_string_length(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
			      JSON_REAL_PRECISION(17));
}

/* The field named by a key; records mostly list them in table order, so
 * the one after the last match is tried first. */
static const struct pk_field *field_lookup(const char *key, size_t klen,
					   size_t *next)
{
	const struct pk_field *f;

	if (*next < pk_record_field_count) {
		f = &pk_record_fields[*next];
		if (strncmp(f->name, key, klen) == 0 && f->name[klen] == '\0') {
			(*next)++;
			return f;
		}
	}
	f = pk_record_field_find(key, klen);
	if (f)
		*next = (size_t)(f - pk_record_fields) + 1;
	return f;
}

static int decode_text(char *dst, const struct pk_field *f, json_t *v,
		       struct pk_json_fault *fault)
{
	size_t n;

	if (!json_is_string(v))
		return pk_json_fail(fault, f->name, "expected a string, got %s",
			    pk_json_type_name(v));
	n = json_string_length(v);
	if (n >= f->size)
		return pk_json_fail(fault, f->name, "%zu bytes, at most %zu allowed",
			    n, f->size - 1);
	memcpy(dst, json_string_value(v), n);
	dst[n] = '\0';
	return 0;
}

static int decode_double(char *dst, const struct pk_field *f, json_t *v,
			 struct pk_json_fault *fault)
{
	double d;

	if (json_is_real(v)) {
		d = json_real_value(v);
	} else if (json_is_integer(v)) {
		d = (double)json_integer_value(v);
	} else if (!json_is_string(v) ||
		   pk_text_to_nonfinite(json_string_value(v),
					json_string_length(v), &d) < 0) {
		return pk_json_fail(fault, f->name, "expected a number (or \"NaN\", "
			    "\"Infinity\", \"-Infinity\"), got %s",
			    pk_json_type_name(v));
	}
	if (pk_field_double_ok(f, d) < 0)
		return pk_json_fail(fault, f->name, "%g is negative (it must be "
			    ">= 0, or NaN)", d);
	memcpy(dst, &d, sizeof(d));
	return 0;
}

static int decode_int(struct perfkit_record *rec, const struct pk_field *f,
		      json_t *v, struct pk_json_fault *fault)
{
	char *dst = (char *)rec + f->offset;
	json_int_t x;
	uint64_t u;
	int32_t i32;
	int64_t i64;

	/* uint64 values above INT64_MAX are written as decimal strings. */
	if (f->type == PK_FIELD_U64 && json_is_string(v)) {
		int rc = pk_record_field_parse(rec, f, json_string_value(v),
					       json_string_length(v));
		if (rc == -ERANGE)
			return pk_json_fail(fault, f->name, "out of range");
		if (rc < 0)
			return pk_json_fail(fault, f->name,
				    "expected an integer, got a string");
		return 0;
	}
	if (!json_is_integer(v))
		return pk_json_fail(fault, f->name, "expected an integer, got %s",
			    pk_json_type_name(v));
	x = json_integer_value(v);
	switch (f->type) {
	case PK_FIELD_I32:
		if (x < INT32_MIN || x > INT32_MAX)
			return pk_json_fail(fault, f->name, "%lld is out of range",
				    (long long)x);
		i32 = (int32_t)x;
		memcpy(dst, &i32, sizeof(i32));
		return 0;
	case PK_FIELD_U64:
		if (x < 0)
			return pk_json_fail(fault, f->name, "%lld is negative",
				    (long long)x);
		u = (uint64_t)x;
		memcpy(dst, &u, sizeof(u));
		return 0;
	default:
		i64 = (int64_t)x;
		memcpy(dst, &i64, sizeof(i64));
		return 0;
	}
}

static int decode_field(struct perfkit_record *rec, const struct pk_field *f,
			json_t *v, struct pk_json_fault *fault)
{
	char *dst = (char *)rec + f->offset;

	switch (f->type) {
	case PK_FIELD_TEXT:
		return decode_text(dst, f, v, fault);
	case PK_FIELD_DOUBLE:
		return decode_double(dst, f, v, fault);
	default:
		return decode_int(rec, f, v, fault);
	}
}

static int decode_params(struct perfkit_record *rec, json_t *params,
			 struct pk_json_fault *fault)
{
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(params))
		return pk_json_fail(fault, "params", "expected an object, got %s",
			    pk_json_type_name(params));
	json_object_foreach(params, key, v) {
		if (!json_is_string(v))
			return pk_json_fail(fault, "params",
				    "parameter \"%.40s\": expected a string, "
				    "got %s", key, pk_json_type_name(v));
		rc = perfkit_record_set_param(rec, key, json_string_value(v));
		if (rc == -ENOSPC)
			return pk_json_fail(fault, "params", "more than %d parameters",
				    PERFKIT_RECORD_PARAMS_MAX);
		if (rc == -ERANGE)
			return pk_json_fail(fault, "params", "parameter \"%.40s\": key "
				    "longer than %d or value longer than %d "
				    "bytes", key, PERFKIT_RECORD_PARAM_KEY_MAX,
				    PERFKIT_RECORD_PARAM_VALUE_MAX);
		if (rc < 0)
			return pk_json_fail(fault, "params", "parameter key \"%.40s\" "
				    "is empty or names a record field", key);
	}
	return 0;
}

static int is_params(const char *key, size_t klen)
{
	return klen == 6 && memcmp(key, "params", 6) == 0;
}

int pk_json_record_decode(json_t *obj, struct perfkit_record *rec,
			  size_t *extras, struct pk_json_fault *fault)
{
	const char *key;
	size_t klen, next = 0;
	json_t *v;
	int rc;

	*extras = 0;
	if (!json_is_object(obj))
		return pk_json_fail(fault, NULL, "a record must be an object, got %s",
			    pk_json_type_name(obj));
	json_object_keylen_foreach(obj, key, klen, v) {
		const struct pk_field *f = field_lookup(key, klen, &next);

		if (f)
			rc = decode_field(rec, f, v, fault);
		else if (is_params(key, klen))
			rc = decode_params(rec, v, fault);
		else
			rc = ((*extras)++, 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int pk_json_record_extras(json_t *obj, struct perfkit_results *res, size_t i,
			  struct pk_json_fault *fault)
{
	const char *key;
	size_t klen;
	json_t *v;
	int rc;

	json_object_keylen_foreach(obj, key, klen, v) {
		char *text;

		if (pk_record_field_find(key, klen) || is_params(key, klen))
			continue;
		text = pk_json_text(v);
		if (!text)
			return -ENOMEM;
		rc = perfkit_results_extra_set(res, i, key, text);
		free(text);
		if (rc == -EINVAL)
			return pk_json_fail(fault, key, "an extra key must not be empty, a "
				    "parameter's key, \"params\" or "
				    "\"param.*\"");
		if (rc < 0)
			return rc;
	}
	return 0;
}
