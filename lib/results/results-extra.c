/* SPDX-License-Identifier: MIT */
/* Extra columns: keys a file held that are neither fields nor parameters,
 * kept per record so that reading and rewriting a file loses nothing. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-format.h"
#include "results-private.h"

static const struct pk_extras *extras_of(const struct perfkit_results *res,
					 size_t i)
{
	return res && res->extras && i < res->n ? res->extras[i] : NULL;
}

PERFKIT_EXPORT size_t perfkit_results_extra_count(
	const struct perfkit_results *res, size_t i)
{
	const struct pk_extras *x = extras_of(res, i);

	return x ? x->n : 0;
}

PERFKIT_EXPORT int perfkit_results_extra_get(const struct perfkit_results *res,
					     size_t i, size_t j,
					     const char **key,
					     const char **value)
{
	const struct pk_extras *x = extras_of(res, i);

	if (!res)
		return pk_error(-EINVAL, "results_extra_get: res is NULL");
	if (!x || j >= x->n)
		return pk_error(-EINVAL, "results_extra_get: record %zu has no "
				"extra column %zu", i, j);
	if (key)
		*key = x->kv[j].key;
	if (value)
		*value = x->kv[j].value;
	return 0;
}

void pk_extras_index(struct pk_extras *x)
{
	if (!x || x->index || x->n < PK_EXTRAS_INDEXED)
		return;
	x->index = calloc(1, sizeof(*x->index));
	for (size_t j = 0; x->index && j < x->n; j++) {
		if (pk_keyset_add(x->index, x->kv[j].key,
				  strlen(x->kv[j].key), NULL) < 0) {
			pk_keyset_free(x->index);
			free(x->index);
			x->index = NULL;
		}
	}
}

/* The position of @key in @x, or x->n. */
static size_t extras_find(const struct pk_extras *x, const char *key)
{
	size_t j = 0;

	if (x->index) {
		j = pk_keyset_find(x->index, key, strlen(key));
		return j == SIZE_MAX ? x->n : j;
	}
	while (j < x->n && strcmp(x->kv[j].key, key) != 0)
		j++;
	return j;
}

/* Index the key just added at the end of @x, or drop the index. */
static void extras_indexed(struct pk_extras *x)
{
	const char *k = x->kv[x->n - 1].key;

	if (!x->index) {
		pk_extras_index(x);
	} else if (pk_keyset_add(x->index, k, strlen(k), NULL) < 0) {
		pk_keyset_free(x->index);
		free(x->index);
		x->index = NULL;
	}
}

const char *pk_results_text(const struct perfkit_results *res, size_t i,
			    const char *key)
{
	const struct perfkit_record *r = &res->recs[i];
	const struct pk_extras *x = extras_of(res, i);
	const char *v;
	size_t j;

	if (perfkit_record_get_param(r, key, &v) == 0)
		return v;
	if (!x)
		return NULL;
	j = extras_find(x, key);
	return j < x->n ? x->kv[j].value : NULL;
}

/* "params" and "param.*" name the parameters in JSON and CSV files: an
 * extra column by such a name would read back as something else. */
static int check_key(const struct perfkit_results *res, size_t i,
		     const char *key)
{
	const char *v;

	if (key[0] == '\0')
		return pk_error(-EINVAL, "results_extra_set: empty key");
	if (pk_record_field_find(key, strlen(key)))
		return pk_error(-EINVAL, "results_extra_set: \"%s\" is a "
				"record field", key);
	if (perfkit_record_get_param(&res->recs[i], key, &v) == 0)
		return pk_error(-EINVAL, "results_extra_set: \"%s\" is a "
				"parameter of record %zu", key, i);
	if (strcmp(key, "params") == 0 || strncmp(key, "param.", 6) == 0)
		return pk_error(-EINVAL, "results_extra_set: \"%s\" is "
				"reserved for parameters", key);
	return 0;
}

/* Room for one more pair in record @i's extras. */
static int grow(struct perfkit_results *res, size_t i)
{
	struct pk_extras *x;
	size_t cap;

	if (!res->extras) {
		res->extras = calloc(res->cap, sizeof(*res->extras));
		if (!res->extras)
			return -ENOMEM;
	}
	x = res->extras[i];
	if (x && x->n < x->cap)
		return 0;
	cap = x && x->cap ? 2 * x->cap : 2;
	x = realloc(x, sizeof(*x) + cap * sizeof(x->kv[0]));
	if (!x)
		return -ENOMEM;
	if (!res->extras[i]) {
		x->n = 0;
		x->index = NULL;
	}
	x->cap = cap;
	res->extras[i] = x;
	return 0;
}

PERFKIT_EXPORT int perfkit_results_extra_set(struct perfkit_results *res,
					     size_t i, const char *key,
					     const char *value)
{
	struct pk_extras *x;
	char *k = NULL, *v;
	size_t j = 0;
	int rc, add;

	if (!res || !key || !value)
		return pk_error(-EINVAL, "results_extra_set: %s is NULL",
				!res ? "res" : !key ? "key" : "value");
	if (i >= res->n)
		return pk_error(-EINVAL, "results_extra_set: index %zu, the set "
				"holds %zu records", i, res->n);
	rc = check_key(res, i, key);
	if (rc < 0)
		return rc;
	x = res->extras ? res->extras[i] : NULL;
	if (x)
		j = extras_find(x, key);
	add = !x || j == x->n;
	v = strdup(value);
	if (v && add)
		k = strdup(key);
	if (!v || (add && (!k || grow(res, i) < 0))) {
		free(k);
		free(v);
		return pk_error(-ENOMEM, "results_extra_set: out of memory");
	}
	x = res->extras[i];
	if (add) {
		x->kv[j].key = k;
		x->n++;
		extras_indexed(x);
	} else {
		free(x->kv[j].value);
	}
	x->kv[j].value = v;
	return 0;
}

int pk_extras_dup(const struct pk_extras *src, struct pk_extras **out)
{
	struct pk_extras *x;

	*out = NULL;
	if (!src)
		return 0;
	x = malloc(sizeof(*x) + src->n * sizeof(x->kv[0]));
	if (!x)
		return -ENOMEM;
	x->cap = src->n;
	x->index = NULL;
	for (x->n = 0; x->n < src->n; x->n++) {
		struct pk_pair *p = &x->kv[x->n];

		p->key = strdup(src->kv[x->n].key);
		p->value = strdup(src->kv[x->n].value);
		if (!p->key || !p->value) {
			free(p->key);
			free(p->value);
			pk_extras_free(x);
			return -ENOMEM;
		}
	}
	pk_extras_index(x);
	*out = x;
	return 0;
}
