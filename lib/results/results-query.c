/* SPDX-License-Identifier: MIT */
/* Values by key, and the filter built on them. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-format.h"
#include "results-private.h"

/* Longest text of a field: a name, or a double. */
#define FIELD_TEXT_MAX (PERFKIT_RECORD_NAME_MAX + PK_DOUBLE_TEXT_MAX)

/* Record @i's value for @key (@f its field, or NULL) as text: formatted
 * into @tmp for a field, else the stored text. NULL if it has none. */
static const char *key_text(const struct perfkit_results *res, size_t i,
			    const struct pk_field *f, const char *key,
			    char *tmp, size_t len)
{
	if (!f)
		return pk_results_text(res, i, key);
	if (f->type == PK_FIELD_TEXT)
		return (const char *)&res->recs[i] + f->offset;
	return pk_record_field_format(&res->recs[i], f, tmp, len) == 0 ? tmp :
									NULL;
}

PERFKIT_EXPORT int perfkit_results_value(const struct perfkit_results *res,
					 size_t i, const char *key, char *buf,
					 size_t len)
{
	char tmp[FIELD_TEXT_MAX];
	const struct pk_field *f;
	const char *text;
	size_t n;

	if (!res || !key || !buf)
		return pk_error(-EINVAL, "results_value: %s is NULL",
				!res ? "res" : !key ? "key" : "buf");
	if (i >= res->n)
		return pk_error(-EINVAL, "results_value: index %zu, the set "
				"holds %zu records", i, res->n);
	f = pk_record_field_find(key, strlen(key));
	text = key_text(res, i, f, key, tmp, sizeof(tmp));
	if (!text)
		return pk_error(-ENOENT, "record %zu has no key \"%s\"", i, key);
	n = strlen(text);
	if (n >= len)
		return pk_error(-ERANGE, "results_value: \"%s\" of record %zu "
				"needs %zu bytes, the buffer holds %zu", key, i,
				n + 1, len);
	memcpy(buf, text, n + 1);
	return 0;
}

/* Append record @i of @src, extras included, to @dst. */
static int copy_one(struct perfkit_results *dst,
		    const struct perfkit_results *src, size_t i)
{
	struct pk_extras *x;
	int rc = pk_results_reserve(dst, dst->n + 1);

	if (rc < 0)
		return rc;
	if (pk_extras_dup(src->extras ? src->extras[i] : NULL, &x) < 0)
		return pk_error(-ENOMEM, "results_filter: out of memory");
	if (x && !dst->extras) {
		dst->extras = calloc(dst->cap, sizeof(*dst->extras));
		if (!dst->extras) {
			pk_extras_free(x);
			return pk_error(-ENOMEM, "results_filter: out of memory");
		}
	}
	dst->recs[dst->n] = src->recs[i];
	if (dst->extras)
		dst->extras[dst->n] = x;
	dst->n++;
	return 0;
}

PERFKIT_EXPORT int perfkit_results_filter(const struct perfkit_results *res,
					  const char *key, const char *value,
					  struct perfkit_results **out)
{
	struct perfkit_results *dst;
	const struct pk_field *f;
	char tmp[FIELD_TEXT_MAX];
	int rc;

	if (!res || !key || !value || !out)
		return pk_error(-EINVAL, "results_filter: %s is NULL",
				!res ? "res" : !key ? "key" : !value ? "value" :
				"out");
	dst = pk_results_alloc();
	if (!dst)
		return pk_error(-ENOMEM, "results_filter: out of memory");
	dst->epoch_ns = res->epoch_ns;
	rc = pk_results_copy_meta(dst, res);
	f = pk_record_field_find(key, strlen(key));
	for (size_t i = 0; rc == 0 && i < res->n; i++) {
		const char *text = key_text(res, i, f, key, tmp, sizeof(tmp));

		if (text && strcmp(text, value) == 0)
			rc = copy_one(dst, res, i);
	}
	if (rc < 0) {
		perfkit_results_destroy(dst);
		return rc;
	}
	*out = dst;
	return 0;
}
