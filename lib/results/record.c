/* SPDX-License-Identifier: MIT */
/* One result record: defaults, bounded text setters, derived metrics. */
#include <math.h>
#include <string.h>

#include "common.h"
#include "results-format.h"

PERFKIT_EXPORT int perfkit_record_init(struct perfkit_record *rec)
{
	if (!rec)
		return pk_error(-EINVAL, "record_init: rec is NULL");
	memset(rec, 0, sizeof(*rec));
	rec->version = PERFKIT_RECORD_VERSION;
	rec->size = sizeof(*rec);
	rec->worker = rec->rank = rec->cpu = -1;
	rec->t_submit = rec->t_start = rec->t_setup = NAN;
	rec->t_end = rec->t_collected = NAN;
	return 0;
}

/* Copy @src into a char[max + 1] only if it fits, so a refused call leaves
 * the record as it was. */
static int set_text(char *dst, size_t max, const char *src, const char *what)
{
	size_t n = strlen(src);

	if (n > max)
		return pk_error(-ERANGE, "record %s is %zu bytes, at most %zu",
				what, n, max);
	memcpy(dst, src, n + 1);
	return 0;
}

PERFKIT_EXPORT int perfkit_record_set_name(struct perfkit_record *rec,
					   const char *name)
{
	if (!rec || !name)
		return pk_error(-EINVAL, "record_set_name: %s is NULL",
				!rec ? "rec" : "name");
	return set_text(rec->name, PERFKIT_RECORD_NAME_MAX, name, "name");
}

PERFKIT_EXPORT int perfkit_record_set_host(struct perfkit_record *rec,
					   const char *host)
{
	if (!rec || !host)
		return pk_error(-EINVAL, "record_set_host: %s is NULL",
				!rec ? "rec" : "host");
	return set_text(rec->host, PERFKIT_RECORD_HOST_MAX, host, "host");
}

/* Entries in use; a hand-filled record may claim more than exist. */
static size_t nparams(const struct perfkit_record *rec)
{
	return rec->nparams < PERFKIT_RECORD_PARAMS_MAX ?
		       rec->nparams : PERFKIT_RECORD_PARAMS_MAX;
}

static struct perfkit_record_param *find_param(const struct perfkit_record *rec,
					       const char *key)
{
	for (size_t i = 0; i < nparams(rec); i++)
		if (strcmp(rec->params[i].key, key) == 0)
			return (struct perfkit_record_param *)&rec->params[i];
	return NULL;
}

PERFKIT_EXPORT int perfkit_record_set_param(struct perfkit_record *rec,
					    const char *key, const char *value)
{
	struct perfkit_record_param *p;
	size_t klen, vlen;

	if (!rec || !key || !value)
		return pk_error(-EINVAL, "record_set_param: %s is NULL",
				!rec ? "rec" : !key ? "key" : "value");
	klen = strlen(key);
	vlen = strlen(value);
	if (klen == 0)
		return pk_error(-EINVAL, "record_set_param: empty key");
	if (pk_record_field_find(key, klen))
		return pk_error(-EINVAL,
				"record_set_param: \"%s\" is a record field",
				key);
	if (klen > PERFKIT_RECORD_PARAM_KEY_MAX)
		return pk_error(-ERANGE,
				"record parameter key is %zu bytes, at most %d",
				klen, PERFKIT_RECORD_PARAM_KEY_MAX);
	if (vlen > PERFKIT_RECORD_PARAM_VALUE_MAX)
		return pk_error(-ERANGE,
				"value of parameter \"%s\" is %zu bytes, at most %d",
				key, vlen, PERFKIT_RECORD_PARAM_VALUE_MAX);
	p = find_param(rec, key);
	if (!p) {
		if (rec->nparams >= PERFKIT_RECORD_PARAMS_MAX)
			return pk_error(-ENOSPC,
					"record already holds %d parameters; "
					"cannot add \"%s\"",
					PERFKIT_RECORD_PARAMS_MAX, key);
		p = &rec->params[rec->nparams++];
		memcpy(p->key, key, klen + 1);
	}
	memcpy(p->value, value, vlen + 1);
	return 0;
}

PERFKIT_EXPORT int perfkit_record_get_param(const struct perfkit_record *rec,
					    const char *key, const char **value)
{
	const struct perfkit_record_param *p;

	if (!rec || !key || !value)
		return pk_error(-EINVAL, "record_get_param: %s is NULL",
				!rec ? "rec" : !key ? "key" : "value");
	p = find_param(rec, key);
	if (!p)
		return pk_error(-ENOENT, "record has no parameter \"%s\"", key);
	*value = p->value;
	return 0;
}

static const struct {
	const char *name;
	size_t num;	/* offsetof the numerator */
	size_t den;	/* offsetof the divisor */
	double scale;
} metrics[] = {
	[PERFKIT_METRIC_GFLOPS] = { "GFLOPS", offsetof(struct perfkit_record, flops),
				    offsetof(struct perfkit_record, elapsed), 1e-9 },
	[PERFKIT_METRIC_GBPS] = { "GB/s", offsetof(struct perfkit_record, bytes),
				  offsetof(struct perfkit_record, elapsed), 1e-9 },
	[PERFKIT_METRIC_ITEMS_PER_S] = { "items/s",
					 offsetof(struct perfkit_record, items),
					 offsetof(struct perfkit_record, elapsed), 1.0 },
	[PERFKIT_METRIC_INTENSITY] = { "intensity",
				       offsetof(struct perfkit_record, flops),
				       offsetof(struct perfkit_record, bytes), 1.0 },
};

static const char *member_name(size_t offset)
{
	for (size_t i = 0; i < pk_record_field_count; i++)
		if (pk_record_fields[i].offset == offset)
			return pk_record_fields[i].name;
	return "?";
}

PERFKIT_EXPORT int perfkit_record_derive(const struct perfkit_record *rec,
					 enum perfkit_record_metric metric,
					 double *value)
{
	double num, den;

	if (!rec || !value)
		return pk_error(-EINVAL, "record_derive: %s is NULL",
				!rec ? "rec" : "value");
	if ((unsigned)metric >= sizeof(metrics) / sizeof(metrics[0]))
		return pk_error(-EINVAL, "record_derive: unknown metric %d",
				(int)metric);
	if (rec->status != 0)
		return pk_error(-EDOM, "%s: the record failed (status %d)",
				metrics[metric].name, (int)rec->status);
	memcpy(&num, (const char *)rec + metrics[metric].num, sizeof(num));
	memcpy(&den, (const char *)rec + metrics[metric].den, sizeof(den));
	if (!(den > 0) || isinf(den))
		return pk_error(-EDOM, "%s: %s is %g, not a positive finite "
				"number", metrics[metric].name,
				member_name(metrics[metric].den), den);
	if (!isfinite(num))
		return pk_error(-EDOM, "%s: %s is %g", metrics[metric].name,
				member_name(metrics[metric].num), num);
	*value = num / den * metrics[metric].scale;
	return 0;
}
