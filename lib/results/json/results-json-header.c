/* SPDX-License-Identifier: MIT */
/* The header of JSON and JSON Lines files: schema, epoch, metadata (flat in
 * "meta", nested in "machine"), and top-level keys kept as "json.<key>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"
#include "results-private.h"

/* Set a metadata key to a value's text. */
static int meta_put(struct perfkit_results *res, const char *key, json_t *v,
		    const char *where, struct pk_json_fault *fault)
{
	char *text = pk_json_text(v);
	int rc;

	if (!text)
		return -ENOMEM;
	rc = perfkit_results_meta_set(res, key, text);
	free(text);
	if (rc == -EINVAL)
		return pk_json_fail(fault, where, "empty metadata key");
	return rc;
}

int pk_json_meta_read(json_t *meta, struct perfkit_results *res,
		      struct pk_json_fault *fault)
{
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(meta))
		return pk_json_fail(fault, "meta", "expected an object, got %s",
			    pk_json_type_name(meta));
	json_object_foreach(meta, key, v) {
		rc = meta_put(res, key, v, "meta", fault);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Depth-first: each leaf becomes "<path>.<key>"; an empty object is a leaf
 * ("{}") so that nothing read is lost. */
static int flatten(json_t *obj, struct pk_buf *path,
		   struct perfkit_results *res, struct pk_json_fault *fault)
{
	size_t base = path->len, klen;
	const char *key;
	json_t *v;
	int rc;

	json_object_keylen_foreach(obj, key, klen, v) {
		path->len = base;
		pk_buf_put(path, ".", 1);
		pk_buf_put(path, key, klen);
		pk_buf_put(path, "", 1);
		if (path->failed)
			return -ENOMEM;
		path->len--; /* the NUL ends the key but not the prefix */
		if (json_is_object(v) && json_object_size(v) > 0)
			rc = flatten(v, path, res, fault);
		else
			rc = meta_put(res, path->data, v, "machine", fault);
		if (rc < 0)
			return rc;
		path->len = base;
	}
	return 0;
}

int pk_json_machine_read(json_t *machine, struct perfkit_results *res,
			 struct pk_json_fault *fault)
{
	struct pk_buf path = { 0 };
	int rc;

	if (!json_is_object(machine))
		return pk_json_fail(fault, "machine", "expected an object, got %s",
			    pk_json_type_name(machine));
	pk_buf_put(&path, "machine", 7);
	rc = path.failed ? -ENOMEM : flatten(machine, &path, res, fault);
	free(path.data);
	return rc;
}

int pk_json_schema_check(json_t *root, struct pk_json_fault *fault)
{
	json_t *schema = json_object_get(root, "schema");
	json_t *version = json_object_get(root, "schema_version");
	const char *name;

	if (!json_is_string(schema))
		return pk_json_fail(fault, schema ? "schema" : NULL,
			    "\"schema\" must be the string \"%s\", got %s",
			    PERFKIT_RESULTS_SCHEMA,
			    schema ? pk_json_type_name(schema) : "nothing");
	name = json_string_value(schema);
	if (strcmp(name, PERFKIT_RESULTS_SCHEMA) != 0)
		return pk_json_fail(fault, "schema", "schema \"%.60s\" is not \"%s\"",
			    name, PERFKIT_RESULTS_SCHEMA);
	if (!version)
		return pk_json_fail(fault, "schema", "schema \"%s\": no "
			    "\"schema_version\" (this library reads version %d)",
			    name, PERFKIT_RESULTS_SCHEMA_VERSION);
	if (json_is_number(version) &&
	    !(json_is_integer(version) &&
	      json_integer_value(version) == PERFKIT_RESULTS_SCHEMA_VERSION)) {
		/* 1.9, not 1.8999999999999999 */
		return pk_json_fail(fault, "schema_version", "schema \"%s\" "
			    "version %.15g is not supported (this library "
			    "reads version %d)", name, json_number_value(version),
			    PERFKIT_RESULTS_SCHEMA_VERSION);
	}
	if (!json_is_integer(version))
		return pk_json_fail(fault, "schema_version", "schema \"%s\": "
			    "\"schema_version\" must be an integer, got %s",
			    name, pk_json_type_name(version));
	return 0;
}

static int known_key(const char *key, const char *const *known)
{
	static const char *const header[] = { "schema", "schema_version",
					      "epoch_ns", NULL };

	for (const char *const *k = header; *k; k++)
		if (!strcmp(key, *k))
			return 1;
	for (const char *const *k = known; *k; k++)
		if (!strcmp(key, *k))
			return 1;
	return 0;
}

int pk_json_header_read(json_t *root, struct perfkit_results *res,
			const char *const *known, struct pk_json_fault *fault)
{
	json_t *epoch, *v;
	const char *key;
	int rc = pk_json_schema_check(root, fault);

	if (rc < 0)
		return rc;
	epoch = json_object_get(root, "epoch_ns");
	if (!json_is_integer(epoch) || json_integer_value(epoch) < 0)
		return pk_json_fail(fault, epoch ? "epoch_ns" : "schema",
			    "\"epoch_ns\" must be an integer >= 0, got %s",
			    epoch ? pk_json_type_name(epoch) : "nothing");
	rc = perfkit_results_set_epoch_ns(res, json_integer_value(epoch));
	if (rc < 0)
		return rc;
	json_object_foreach(root, key, v) {
		struct pk_buf name = { 0 };

		if (known_key(key, known))
			continue;
		pk_buf_puts(&name, "json.");
		pk_buf_puts(&name, key);
		pk_buf_put(&name, "", 1);
		rc = name.failed ? -ENOMEM : meta_put(res, name.data, v, key,
						      fault);
		free(name.data);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int pk_json_new_set(struct perfkit_results **out)
{
	/* Not perfkit_results_new(): that adds a date and version of its
	 * own, which a file read back must not gain. */
	*out = pk_results_alloc();
	return *out ? 0 : pk_error(-ENOMEM, "out of memory for a result set");
}
