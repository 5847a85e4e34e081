/* SPDX-License-Identifier: MIT */
/* The result set: records in a growing array, extras kept beside them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perfkit/version.h"
#include "common.h"
#include "results-format.h"
#include "results-private.h"

struct perfkit_results *pk_results_alloc(void)
{
	return calloc(1, sizeof(struct perfkit_results));
}

static int now_ns(int64_t *ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -EIO;
	*ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return 0;
}

/* "date" is the epoch as UTC ISO 8601, to the second. */
static int set_date(struct perfkit_results *res)
{
	time_t secs = (time_t)(res->epoch_ns / 1000000000);
	struct tm tm;
	char buf[32];

	if (!gmtime_r(&secs, &tm) ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return pk_error(-EIO, "results_new: cannot format the date");
	return perfkit_results_meta_set(res, "date", buf);
}

PERFKIT_EXPORT int perfkit_results_new(struct perfkit_results **out)
{
	struct perfkit_results *res;
	int rc;

	if (!out)
		return pk_error(-EINVAL, "results_new: out is NULL");
	res = pk_results_alloc();
	if (!res)
		return pk_error(-ENOMEM, "results_new: out of memory");
	rc = now_ns(&res->epoch_ns);
	if (rc < 0)
		rc = pk_error(rc, "results_new: CLOCK_REALTIME unreadable");
	if (rc == 0)
		rc = set_date(res);
	if (rc == 0)
		rc = perfkit_results_meta_set(res, "perfkit.version",
					      perfkit_version_string());
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc;
	}
	*out = res;
	return 0;
}

void pk_extras_free(struct pk_extras *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++) {
		free(x->kv[i].key);
		free(x->kv[i].value);
	}
	if (x->index)
		pk_keyset_free(x->index);
	free(x->index);
	free(x);
}

PERFKIT_EXPORT void perfkit_results_destroy(struct perfkit_results *res)
{
	if (!res)
		return;
	if (res->extras)
		for (size_t i = 0; i < res->n; i++)
			pk_extras_free(res->extras[i]);
	free(res->extras);
	free(res->recs);
	for (size_t i = 0; i < res->nmeta; i++) {
		free(res->meta[i].key);
		free(res->meta[i].value);
	}
	free(res->meta);
	free(res);
}

PERFKIT_EXPORT int64_t perfkit_results_epoch_ns(const struct perfkit_results *res)
{
	return res ? res->epoch_ns : 0;
}

PERFKIT_EXPORT int perfkit_results_set_epoch_ns(struct perfkit_results *res,
						int64_t unix_ns)
{
	if (!res)
		return pk_error(-EINVAL, "results_set_epoch_ns: res is NULL");
	if (unix_ns < 0)
		return pk_error(-EINVAL,
				"results_set_epoch_ns: %lld ns is before 1970",
				(long long)unix_ns);
	res->epoch_ns = unix_ns;
	return 0;
}

int pk_results_reserve(struct perfkit_results *res, size_t n)
{
	size_t cap = res->cap ? res->cap : 16;
	void *p;

	if (n <= res->cap)
		return 0;
	while (cap < n) {
		if (cap > SIZE_MAX / 2 / sizeof(*res->recs))
			return pk_error(-ENOMEM, "results: too many records");
		cap *= 2;
	}
	p = realloc(res->recs, cap * sizeof(*res->recs));
	if (!p)
		return pk_error(-ENOMEM, "results: out of memory for %zu records",
				n);
	res->recs = p;
	if (res->extras) {
		p = realloc(res->extras, cap * sizeof(*res->extras));
		if (!p)
			return pk_error(-ENOMEM, "results: out of memory for "
					"%zu records", n);
		res->extras = p;
		memset(res->extras + res->cap, 0,
		       (cap - res->cap) * sizeof(*res->extras));
	}
	res->cap = cap;
	return 0;
}

int pk_results_sink_flush(struct perfkit_results *res)
{
	int rc = res->sink && res->n ? res->sink->drain(res->sink, res) : 0;

	if (rc < 0)
		return rc;
	for (size_t i = 0; res->extras && i < res->n; i++) {
		pk_extras_free(res->extras[i]);
		res->extras[i] = NULL;
	}
	res->n = 0;
	return 0;
}

/* Room for one more record, after a streaming read's batch is drained. */
static int room_for_one(struct perfkit_results *res)
{
	int rc = 0;

	if (res->sink && res->n >= res->sink->batch)
		rc = pk_results_sink_flush(res);
	return rc < 0 ? rc : pk_results_reserve(res, res->n + 1);
}

struct perfkit_record *pk_results_slot(struct perfkit_results *res)
{
	return room_for_one(res) == 0 ? &res->recs[res->n] : NULL;
}

void pk_results_commit(struct perfkit_results *res)
{
	if (res->extras)
		res->extras[res->n] = NULL;
	res->n++;
}

static int check_text(const char *s, size_t size, const char *what)
{
	return memchr(s, '\0', size) ? 0 :
	       pk_error(-EINVAL, "results_append: %s is not NUL-terminated",
			what);
}

/* A hand-filled record must still be one the writers can write. */
static int check_params(const struct perfkit_record *r)
{
	if (r->nparams > PERFKIT_RECORD_PARAMS_MAX)
		return pk_error(-EINVAL, "results_append: nparams is %u, at "
				"most %d", (unsigned)r->nparams,
				PERFKIT_RECORD_PARAMS_MAX);
	for (uint32_t i = 0; i < r->nparams; i++) {
		const struct perfkit_record_param *p = &r->params[i];
		int rc = check_text(p->key, sizeof(p->key), "a parameter key");

		if (rc == 0)
			rc = check_text(p->value, sizeof(p->value),
					"a parameter value");
		if (rc < 0)
			return rc;
		if (p->key[0] == '\0' ||
		    pk_record_field_find(p->key, strlen(p->key)))
			return pk_error(-EINVAL, "results_append: parameter "
					"key \"%s\" is empty or a field",
					p->key);
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(r->params[j].key, p->key) == 0)
				return pk_error(-EINVAL, "results_append: "
						"parameter \"%s\" twice",
						p->key);
	}
	return 0;
}

/* Copy @src into @dst in the current layout: an older (smaller) record
 * keeps the defaults past its size, a newer one loses its extra fields. */
/* Doubles that have no sign (elapsed): what a reader would refuse, a set
 * does not take either, so every file written reads back. */
static int check_signs(const struct perfkit_record *rec)
{
	for (size_t i = 0; i < pk_record_field_count; i++) {
		const struct pk_field *f = &pk_record_fields[i];
		double v;

		if (f->type != PK_FIELD_DOUBLE || !f->nonneg)
			continue;
		memcpy(&v, (const char *)rec + f->offset, sizeof(v));
		if (pk_field_double_ok(f, v) < 0)
			return pk_error(-EINVAL, "results_append: %s = %g is "
					"negative (it must be >= 0, or NaN)",
					f->name, v);
	}
	return 0;
}

static int copy_record(struct perfkit_record *dst,
		       const struct perfkit_record *src)
{
	size_t head = 2 * sizeof(uint32_t);
	int rc;

	if (src->version == 0 || src->size < head)
		return pk_error(-EINVAL, "results_append: record version %u, "
				"size %u: not initialised (perfkit_record_init)",
				(unsigned)src->version, (unsigned)src->size);
	if (src->size < sizeof(*dst)) {
		perfkit_record_init(dst);
		memcpy(dst, src, src->size);
	} else {
		memcpy(dst, src, sizeof(*dst));
	}
	dst->version = PERFKIT_RECORD_VERSION;
	dst->size = sizeof(*dst);
	rc = check_text(dst->name, sizeof(dst->name), "name");
	if (rc == 0)
		rc = check_text(dst->host, sizeof(dst->host), "host");
	if (rc == 0)
		rc = check_params(dst);
	if (rc == 0)
		rc = check_signs(dst);
	return rc;
}

static int inside(const struct perfkit_results *res,
		  const struct perfkit_record *rec)
{
	uintptr_t p = (uintptr_t)rec, lo = (uintptr_t)res->recs;

	return res->recs && p >= lo && p < lo + res->n * sizeof(*rec);
}

PERFKIT_EXPORT int perfkit_results_append(struct perfkit_results *res,
					  const struct perfkit_record *rec)
{
	int rc;

	if (!res || !rec)
		return pk_error(-EINVAL, "results_append: %s is NULL",
				!res ? "res" : "rec");
	/* A record of this very set would move when the array grows. */
	if (inside(res, rec)) {
		struct perfkit_record copy = *rec;

		return perfkit_results_append(res, &copy);
	}
	rc = room_for_one(res);
	if (rc == 0)
		rc = copy_record(&res->recs[res->n], rec);
	if (rc < 0)
		return rc;
	if (res->extras)
		res->extras[res->n] = NULL;
	res->n++;
	return 0;
}

PERFKIT_EXPORT size_t perfkit_results_count(const struct perfkit_results *res)
{
	return res ? res->n : 0;
}

PERFKIT_EXPORT int perfkit_results_get(const struct perfkit_results *res,
				       size_t i,
				       const struct perfkit_record **rec)
{
	if (!res || !rec)
		return pk_error(-EINVAL, "results_get: %s is NULL",
				!res ? "res" : "rec");
	if (i >= res->n)
		return pk_error(-EINVAL, "results_get: index %zu, the set "
				"holds %zu records", i, res->n);
	*rec = &res->recs[i];
	return 0;
}

PERFKIT_EXPORT int perfkit_results_foreach(
	const struct perfkit_results *res,
	int (*fn)(const struct perfkit_record *rec, void *userdata),
	void *userdata)
{
	if (!res || !fn)
		return pk_error(-EINVAL, "results_foreach: %s is NULL",
				!res ? "res" : "fn");
	for (size_t i = 0; i < res->n; i++) {
		int rc = fn(&res->recs[i], userdata);

		if (rc != 0)
			return rc;
	}
	return 0;
}
