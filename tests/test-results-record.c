/* SPDX-License-Identifier: MIT */
/* Records and the in-memory result set (files: tests/test-results-io.c). */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pk-results-check.h"
#include "perfkit/perfkit.h"
#include "results-format.h"

static struct perfkit_results *new_set(void)
{
	struct perfkit_results *res = NULL;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_ptr_nonnull(res);
	return res;
}

static struct perfkit_record make(const char *name, int worker)
{
	struct perfkit_record r;

	ck_assert_int_eq(perfkit_record_init(&r), 0);
	ck_assert_int_eq(perfkit_record_set_name(&r, name), 0);
	r.worker = worker;
	return r;
}

static void add(struct perfkit_results *res, const char *name, int worker)
{
	struct perfkit_record r = make(name, worker);

	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
}

static const char *value(const struct perfkit_results *res, size_t i,
			 const char *key)
{
	static char buf[256];

	ck_assert_int_eq(perfkit_results_value(res, i, key, buf, sizeof(buf)),
			 0);
	return buf;
}

static char *repeat(char c, size_t n)
{
	static char buf[256];

	ck_assert_uint_lt(n, sizeof(buf));
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* ------------------------------------------------------------ records */

static int abi_is_x86_64_lp64(void)
{
#if defined(__x86_64__) && defined(__LP64__)
	return 1;
#else
	return 0;
#endif
}

#define PIN(member, off)                                                    \
	ck_assert_uint_eq(offsetof(struct perfkit_record, member), (off))

START_TEST(test_layout_pinned)
{
	if (!abi_is_x86_64_lp64()) {
		printf("test_layout_pinned: skipped, the pinned offsets are "
		       "for x86-64 LP64\n");
		return;
	}
	/* The ABI: a change here breaks every program built before it. */
	PIN(version, 0);
	PIN(size, 4);
	PIN(name, 8);
	PIN(host, 72);
	PIN(worker, 136);
	PIN(rank, 140);
	PIN(cpu, 144);
	PIN(status, 148);
	PIN(t_submit, 152);
	PIN(t_start, 160);
	PIN(t_setup, 168);
	PIN(t_end, 176);
	PIN(t_collected, 184);
	PIN(repetitions, 192);
	PIN(problem_size, 200);
	PIN(flops, 208);
	PIN(bytes, 216);
	PIN(items, 224);
	PIN(elapsed, 232);
	PIN(nparams, 240);
	PIN(params, 244);
	ck_assert_uint_eq(sizeof(struct perfkit_record), 504);
	ck_assert_uint_eq(sizeof(struct perfkit_record_param), 64);
	ck_assert_uint_eq(offsetof(struct perfkit_record_param, value), 24);
	ck_assert_int_eq(PERFKIT_RECORD_VERSION, 1);
}
END_TEST

START_TEST(test_init_defaults)
{
	struct perfkit_record r;

	memset(&r, 0xa5, sizeof(r));
	ck_assert_int_eq(perfkit_record_init(&r), 0);
	ck_assert_uint_eq(r.version, PERFKIT_RECORD_VERSION);
	ck_assert_uint_eq(r.size, sizeof(r));
	ck_assert_str_eq(r.name, "");
	ck_assert_str_eq(r.host, "");
	ck_assert_int_eq(r.worker, -1);
	ck_assert_int_eq(r.rank, -1);
	ck_assert_int_eq(r.cpu, -1);
	ck_assert_int_eq(r.status, 0);
	ck_assert(isnan(r.t_submit) && isnan(r.t_start) && isnan(r.t_setup));
	ck_assert(isnan(r.t_end) && isnan(r.t_collected));
	ck_assert_uint_eq(r.repetitions, 0);
	ck_assert_int_eq(r.problem_size, 0);
	ck_assert(r.flops == 0 && r.bytes == 0 && r.items == 0);
	ck_assert(r.elapsed == 0);
	ck_assert_uint_eq(r.nparams, 0);
	ck_assert_str_eq(r.params[0].key, "");
	ck_assert_fails(perfkit_record_init(NULL), -EINVAL, "NULL");
}
END_TEST

/* name and host share the rules: exact maximum fits, one more does not
 * and leaves the record as it was. */
static void check_text_setter(int (*set)(struct perfkit_record *,
					 const char *),
			      size_t off, size_t max, const char *what)
{
	struct perfkit_record r, before;
	const char *member = (const char *)&r + off;

	ck_assert_int_eq(perfkit_record_init(&r), 0);
	ck_assert_int_eq(set(&r, "a,b \"c\"\nd"), 0);
	ck_assert_str_eq(member, "a,b \"c\"\nd");
	ck_assert_int_eq(set(&r, repeat('x', max)), 0);
	ck_assert_uint_eq(strlen(member), max);
	before = r;
	ck_assert_fails(set(&r, repeat('y', max + 1)), -ERANGE, what);
	ck_assert_msg(strstr(perfkit_last_error(), "at most") != NULL, "%s",
		      perfkit_last_error());
	ck_assert_int_eq(memcmp(&r, &before, sizeof(r)), 0);
	ck_assert_int_eq(set(&r, ""), 0);
	ck_assert_str_eq(member, "");
	ck_assert_fails(set(NULL, "x"), -EINVAL, "NULL");
	ck_assert_fails(set(&r, NULL), -EINVAL, "NULL");
}

START_TEST(test_name_host_limits)
{
	check_text_setter(perfkit_record_set_name,
			  offsetof(struct perfkit_record, name),
			  PERFKIT_RECORD_NAME_MAX, "name");
	check_text_setter(perfkit_record_set_host,
			  offsetof(struct perfkit_record, host),
			  PERFKIT_RECORD_HOST_MAX, "host");
}
END_TEST

START_TEST(test_params)
{
	struct perfkit_record r, before;
	const char *v = NULL;
	char key[32];

	perfkit_record_init(&r);
	ck_assert_int_eq(perfkit_record_set_param(&r, "matn", "1024"), 0);
	ck_assert_int_eq(perfkit_record_get_param(&r, "matn", &v), 0);
	ck_assert_str_eq(v, "1024");
	/* Replacing keeps the slot. */
	ck_assert_int_eq(perfkit_record_set_param(&r, "matn", "4096"), 0);
	ck_assert_uint_eq(r.nparams, 1);
	ck_assert_int_eq(perfkit_record_get_param(&r, "matn", &v), 0);
	ck_assert_str_eq(v, "4096");
	/* Exact limits fit; an empty value is a value. */
	ck_assert_int_eq(perfkit_record_set_param(
				 &r, repeat('k', PERFKIT_RECORD_PARAM_KEY_MAX),
				 ""),
			 0);
	memcpy(key, repeat('k', PERFKIT_RECORD_PARAM_KEY_MAX),
	       PERFKIT_RECORD_PARAM_KEY_MAX + 1);
	ck_assert_int_eq(perfkit_record_set_param(
				 &r, "v",
				 repeat('v', PERFKIT_RECORD_PARAM_VALUE_MAX)),
			 0);
	ck_assert_uint_eq(r.nparams, 3);
	ck_assert_int_eq(perfkit_record_get_param(&r, key, &v), 0);
	ck_assert_str_eq(v, "");
	before = r;
	ck_assert_fails(perfkit_record_set_param(
				&r, repeat('k', PERFKIT_RECORD_PARAM_KEY_MAX + 1),
				"x"),
			-ERANGE, "key");
	ck_assert_fails(perfkit_record_set_param(
				&r, "w",
				repeat('v', PERFKIT_RECORD_PARAM_VALUE_MAX + 1)),
			-ERANGE, "\"w\"");
	ck_assert_fails(perfkit_record_set_param(&r, "v", repeat('v', 40)),
			-ERANGE, "at most");
	ck_assert_fails(perfkit_record_set_param(&r, "flops", "1"), -EINVAL,
			"record field");
	ck_assert_fails(perfkit_record_set_param(&r, "name", "1"), -EINVAL,
			"\"name\"");
	ck_assert_fails(perfkit_record_set_param(&r, "", "1"), -EINVAL,
			"empty");
	ck_assert_fails(perfkit_record_set_param(NULL, "a", "1"), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_record_set_param(&r, NULL, "1"), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_record_set_param(&r, "a", NULL), -EINVAL,
			"NULL");
	ck_assert_int_eq(memcmp(&r, &before, sizeof(r)), 0);
	/* Full: a new key is refused, an existing one still replaced. */
	ck_assert_int_eq(perfkit_record_set_param(&r, "d", "4"), 0);
	before = r;
	ck_assert_fails(perfkit_record_set_param(&r, "e", "5"), -ENOSPC,
			"\"e\"");
	ck_assert_int_eq(memcmp(&r, &before, sizeof(r)), 0);
	ck_assert_int_eq(perfkit_record_set_param(&r, "d", "40"), 0);
	ck_assert_int_eq(perfkit_record_get_param(&r, "d", &v), 0);
	ck_assert_str_eq(v, "40");
	ck_assert_str_eq(r.params[0].key, "matn"); /* order kept */
	ck_assert_str_eq(r.params[3].key, "d");

	v = "unchanged";
	ck_assert_fails(perfkit_record_get_param(&r, "nope", &v), -ENOENT,
			"\"nope\"");
	ck_assert_str_eq(v, "unchanged");
	ck_assert_fails(perfkit_record_get_param(NULL, "d", &v), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_record_get_param(&r, NULL, &v), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_record_get_param(&r, "d", NULL), -EINVAL,
			"NULL");
}
END_TEST

static void derive_fails(const struct perfkit_record *r,
			 enum perfkit_record_metric m, int code,
			 const char *text)
{
	double v = 42;

	ck_assert_fails(perfkit_record_derive(r, m, &v), code, text);
	ck_assert(v == 42);
}

START_TEST(test_derive)
{
	struct perfkit_record r;
	double v;

	perfkit_record_init(&r);
	r.flops = 2e9;
	r.bytes = 4e9;
	r.items = 1e6;
	r.elapsed = 0.5;
	ck_assert_int_eq(perfkit_record_derive(&r, PERFKIT_METRIC_GFLOPS, &v), 0);
	ck_assert_close(v, 4.0, 1e-15);
	ck_assert_int_eq(perfkit_record_derive(&r, PERFKIT_METRIC_GBPS, &v), 0);
	ck_assert_close(v, 8.0, 1e-15);
	ck_assert_int_eq(
		perfkit_record_derive(&r, PERFKIT_METRIC_ITEMS_PER_S, &v), 0);
	ck_assert_close(v, 2e6, 1e-15);
	ck_assert_int_eq(
		perfkit_record_derive(&r, PERFKIT_METRIC_INTENSITY, &v), 0);
	ck_assert_close(v, 0.5, 1e-15);

	/* Zero work is a rate of zero, not an error. */
	r.flops = 0;
	ck_assert_int_eq(perfkit_record_derive(&r, PERFKIT_METRIC_GFLOPS, &v), 0);
	ck_assert(v == 0);

	const double bad[] = { 0.0, -0.0, -1.0, NAN, INFINITY, -INFINITY };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.elapsed = bad[i];
		derive_fails(&r, PERFKIT_METRIC_GFLOPS, -EDOM, "elapsed");
		derive_fails(&r, PERFKIT_METRIC_GBPS, -EDOM, "elapsed");
		derive_fails(&r, PERFKIT_METRIC_ITEMS_PER_S, -EDOM, "elapsed");
		r.elapsed = 1;
		r.bytes = bad[i];
		derive_fails(&r, PERFKIT_METRIC_INTENSITY, -EDOM, "bytes");
		r.bytes = 4e9;
	}
	r.flops = NAN; /* not measured: no rate */
	derive_fails(&r, PERFKIT_METRIC_GFLOPS, -EDOM, "flops");
	r.flops = 1;
	r.status = -EIO;
	derive_fails(&r, PERFKIT_METRIC_GFLOPS, -EDOM, "status");
	derive_fails(&r, PERFKIT_METRIC_INTENSITY, -EDOM, "status");
	r.status = 0;
	derive_fails(&r, (enum perfkit_record_metric)99, -EINVAL, "metric");
	derive_fails(&r, (enum perfkit_record_metric)-1, -EINVAL, "metric");
	derive_fails(NULL, PERFKIT_METRIC_GFLOPS, -EINVAL, "NULL");
	ck_assert_fails(perfkit_record_derive(&r, PERFKIT_METRIC_GFLOPS, NULL),
			-EINVAL, "NULL");
}
END_TEST

/* ------------------------------------------------------------ the set */

START_TEST(test_new_destroy)
{
	struct perfkit_results *res;
	struct timespec t0, t1;
	const char *v;
	char want[32];
	struct tm tm;
	time_t secs;

	clock_gettime(CLOCK_REALTIME, &t0);
	res = new_set();
	clock_gettime(CLOCK_REALTIME, &t1);
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	ck_assert_int_ge(perfkit_results_epoch_ns(res),
			 (int64_t)t0.tv_sec * 1000000000 + t0.tv_nsec);
	ck_assert_int_le(perfkit_results_epoch_ns(res),
			 (int64_t)t1.tv_sec * 1000000000 + t1.tv_nsec);
	/* "date" is the epoch in UTC. */
	secs = (time_t)(perfkit_results_epoch_ns(res) / 1000000000);
	gmtime_r(&secs, &tm);
	strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ck_assert_int_eq(perfkit_results_meta_get(res, "date", &v), 0);
	ck_assert_str_eq(v, want);
	ck_assert_int_eq(perfkit_results_meta_get(res, "perfkit.version", &v),
			 0);
	ck_assert_str_eq(v, perfkit_version_string());
	ck_assert_uint_eq(perfkit_results_meta_count(res), 2);
	perfkit_results_destroy(res);
	perfkit_results_destroy(NULL);
	ck_assert_fails(perfkit_results_new(NULL), -EINVAL, "NULL");
}
END_TEST

START_TEST(test_epoch)
{
	struct perfkit_results *res = new_set();

	ck_assert_int_eq(perfkit_results_set_epoch_ns(res, 1234567890123456789),
			 0);
	ck_assert_int_eq(perfkit_results_epoch_ns(res), 1234567890123456789);
	ck_assert_int_eq(perfkit_results_set_epoch_ns(res, 0), 0);
	ck_assert_int_eq(perfkit_results_epoch_ns(res), 0);
	ck_assert_fails(perfkit_results_set_epoch_ns(res, -1), -EINVAL,
			"before 1970");
	ck_assert_int_eq(perfkit_results_epoch_ns(res), 0);
	ck_assert_fails(perfkit_results_set_epoch_ns(NULL, 1), -EINVAL, "NULL");
	ck_assert_int_eq(perfkit_results_epoch_ns(NULL), 0);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_append_copies)
{
	struct perfkit_results *res = new_set();
	struct perfkit_record r = make("dgemm", 3);
	const struct perfkit_record *got;

	perfkit_record_set_param(&r, "matn", "1024");
	r.flops = 1e12;
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	r.flops = 7;
	perfkit_record_set_name(&r, "changed");
	got = at(res, 0);
	ck_assert_ptr_ne(got, &r);
	ck_assert_str_eq(got->name, "dgemm");
	ck_assert(got->flops == 1e12);
	ck_assert_int_eq(got->worker, 3);
	ck_assert_str_eq(got->params[0].value, "1024");
	ck_assert_uint_eq(perfkit_results_count(res), 1);
	ck_assert_uint_eq(perfkit_results_count(NULL), 0);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_append_invalid)
{
	struct perfkit_results *res = new_set();
	struct perfkit_record r = make("ok", 0), bad;

	ck_assert_fails(perfkit_results_append(NULL, &r), -EINVAL, "NULL");
	ck_assert_fails(perfkit_results_append(res, NULL), -EINVAL, "NULL");
	bad = r;
	bad.version = 0;
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL,
			"perfkit_record_init");
	bad = r;
	bad.size = 0;
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL, "size 0");
	memset(&bad, 0, sizeof(bad));
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL, "version 0");
	bad = r;
	bad.nparams = PERFKIT_RECORD_PARAMS_MAX + 1;
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL, "nparams");
	bad = r;
	memset(bad.name, 'n', sizeof(bad.name));
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL, "name");
	bad = r;
	memset(bad.host, 'h', sizeof(bad.host));
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL, "host");
	/* Parameters filled by hand must still be writable. */
	bad = r;
	bad.nparams = 1;
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL, "empty");
	strcpy(bad.params[0].key, "elapsed");
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL, "field");
	bad.nparams = 2;
	strcpy(bad.params[0].key, "n");
	strcpy(bad.params[1].key, "n");
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL, "twice");
	strcpy(bad.params[1].key, "m");
	memset(bad.params[1].value, 'v', sizeof(bad.params[1].value));
	ck_assert_fails(perfkit_results_append(res, &bad), -EINVAL,
			"parameter value");
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 1);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_append_older_caller)
{
	/* An older caller's record ends before nparams: exactly that many
	 * bytes are read (ASan checks), the rest gets the defaults. */
	const uint32_t old_size = offsetof(struct perfkit_record, nparams);
	struct perfkit_results *res = new_set();
	struct perfkit_record full = make("old", 5);
	const struct perfkit_record *got;
	unsigned char *buf = malloc(old_size);

	ck_assert_ptr_nonnull(buf);
	full.flops = 3;
	full.t_end = 2.5;
	full.size = old_size;
	memcpy(buf, &full, old_size);
	ck_assert_int_eq(
		perfkit_results_append(res, (const struct perfkit_record *)buf),
		0);
	got = at(res, 0);
	ck_assert_uint_eq(got->version, PERFKIT_RECORD_VERSION);
	ck_assert_uint_eq(got->size, sizeof(struct perfkit_record));
	ck_assert_str_eq(got->name, "old");
	ck_assert_int_eq(got->worker, 5);
	ck_assert(got->flops == 3 && got->t_end == 2.5);
	ck_assert(isnan(got->t_submit));
	ck_assert_uint_eq(got->nparams, 0);
	free(buf);

	/* A size below the version/size header is no record. */
	full.size = 4;
	ck_assert_fails(perfkit_results_append(res, &full), -EINVAL, "size 4");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_append_newer_caller)
{
	/* A newer caller's record is larger: its unknown tail is dropped. */
	struct perfkit_results *res = new_set();
	size_t big = sizeof(struct perfkit_record) + 64;
	struct perfkit_record *r = calloc(1, big);
	const struct perfkit_record *got;

	ck_assert_ptr_nonnull(r);
	perfkit_record_init(r);
	perfkit_record_set_name(r, "new");
	r->version = PERFKIT_RECORD_VERSION + 1;
	r->size = (uint32_t)big;
	memset((char *)r + sizeof(*r), 0x5a, 64);
	ck_assert_int_eq(perfkit_results_append(res, r), 0);
	got = at(res, 0);
	ck_assert_uint_eq(got->version, PERFKIT_RECORD_VERSION);
	ck_assert_uint_eq(got->size, sizeof(struct perfkit_record));
	ck_assert_str_eq(got->name, "new");
	free(r);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_append_many)
{
	struct perfkit_results *res = new_set();
	struct perfkit_record r = make("many", 0);
	const size_t n = 100000;

	for (size_t i = 0; i < n; i++) {
		r.worker = (int32_t)i;
		ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	}
	ck_assert_uint_eq(perfkit_results_count(res), n);
	for (size_t i = 0; i < n; i += 997)
		ck_assert_int_eq(at(res, i)->worker, (int32_t)i);
	ck_assert_int_eq(at(res, n - 1)->worker, (int32_t)(n - 1));
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_get)
{
	struct perfkit_results *res = new_set();
	const struct perfkit_record *r = NULL;

	ck_assert_fails(perfkit_results_get(res, 0, &r), -EINVAL, "index 0");
	add(res, "a", 0);
	ck_assert_int_eq(perfkit_results_get(res, 0, &r), 0);
	ck_assert_str_eq(r->name, "a");
	ck_assert_fails(perfkit_results_get(res, 1, &r), -EINVAL, "holds 1");
	ck_assert_fails(perfkit_results_get(res, SIZE_MAX, &r), -EINVAL,
			"index");
	ck_assert_fails(perfkit_results_get(NULL, 0, &r), -EINVAL, "NULL");
	ck_assert_fails(perfkit_results_get(res, 0, NULL), -EINVAL, "NULL");
	perfkit_results_destroy(res);
}
END_TEST

struct visit {
	int calls;
	int stop_at;
	int sum;
};

static int visit(const struct perfkit_record *r, void *data)
{
	struct visit *v = data;

	v->calls++;
	v->sum += r->worker;
	return v->calls == v->stop_at ? 77 : 0;
}

START_TEST(test_foreach)
{
	struct perfkit_results *res = new_set();
	struct visit v = { 0, 0, 0 };

	ck_assert_int_eq(perfkit_results_foreach(res, visit, &v), 0);
	ck_assert_int_eq(v.calls, 0);
	for (int i = 0; i < 5; i++)
		add(res, "x", i);
	ck_assert_int_eq(perfkit_results_foreach(res, visit, &v), 0);
	ck_assert_int_eq(v.calls, 5);
	ck_assert_int_eq(v.sum, 10);
	v = (struct visit){ 0, 2, 0 };
	ck_assert_int_eq(perfkit_results_foreach(res, visit, &v), 77);
	ck_assert_int_eq(v.calls, 2);
	ck_assert_fails(perfkit_results_foreach(NULL, visit, &v), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_foreach(res, NULL, &v), -EINVAL,
			"NULL");
	perfkit_results_destroy(res);
}
END_TEST

/* Every double field's text reads back to the same bits. */
static void check_double_roundtrip(double x)
{
	struct perfkit_results *res = new_set();
	struct perfkit_record r = make("d", 0);

	/* elapsed, which has no sign, gets -x in place of a negative x */
	for (size_t k = 0; k < pk_record_field_count; k++) {
		const struct pk_field *f = &pk_record_fields[k];
		double y = pk_field_double_ok(f, x) == 0 ? x : -x;

		if (f->type == PK_FIELD_DOUBLE)
			memcpy((char *)&r + f->offset, &y, sizeof(y));
	}
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	for (size_t k = 0; k < pk_record_field_count; k++) {
		const struct pk_field *f = &pk_record_fields[k];
		double y = pk_field_double_ok(f, x) == 0 ? x : -x;
		const char *text;
		double back;

		if (f->type != PK_FIELD_DOUBLE)
			continue;
		text = value(res, 0, f->name);
		ck_assert_int_eq(pk_text_to_double(text, strlen(text), &back),
				 0);
		ck_assert_msg(isnan(y) ? isnan(back) :
					 memcmp(&back, &y, sizeof(y)) == 0,
			      "%s: %.17g wrote \"%s\"", f->name, x, text);
	}
	perfkit_results_destroy(res);
}

START_TEST(test_value_fields)
{
	struct perfkit_results *res = new_set();
	struct perfkit_record r = make("dgemm, \"big\"", 7);
	const double doubles[] = { 0.0, -0.0, 0.1, 1.0 / 3.0, -2.5e-300,
				   DBL_MAX, DBL_MIN, 5e-324, 1e22,
				   NAN, INFINITY, -INFINITY };

	perfkit_record_set_host(&r, "node-01");
	r.rank = INT32_MIN;
	r.cpu = INT32_MAX;
	r.status = -EIO;
	r.repetitions = UINT64_MAX;
	r.problem_size = INT64_MIN;
	r.t_submit = 0;
	r.t_start = 0.5;
	r.flops = 2e9;
	r.elapsed = 0.25;
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	ck_assert_str_eq(value(res, 0, "name"), "dgemm, \"big\"");
	ck_assert_str_eq(value(res, 0, "host"), "node-01");
	ck_assert_str_eq(value(res, 0, "worker"), "7");
	ck_assert_str_eq(value(res, 0, "rank"), "-2147483648");
	ck_assert_str_eq(value(res, 0, "cpu"), "2147483647");
	ck_assert_str_eq(value(res, 0, "status"), "-5");
	ck_assert_str_eq(value(res, 0, "t_submit"), "0");
	ck_assert_str_eq(value(res, 0, "t_start"), "0.5");
	ck_assert_str_eq(value(res, 0, "t_setup"), "nan");
	ck_assert_str_eq(value(res, 0, "t_end"), "nan");
	ck_assert_str_eq(value(res, 0, "t_collected"), "nan");
	ck_assert_str_eq(value(res, 0, "repetitions"), "18446744073709551615");
	ck_assert_str_eq(value(res, 0, "problem_size"), "-9223372036854775808");
	ck_assert_str_eq(value(res, 0, "flops"), "2000000000");
	ck_assert_str_eq(value(res, 0, "bytes"), "0");
	ck_assert_str_eq(value(res, 0, "items"), "0");
	ck_assert_str_eq(value(res, 0, "elapsed"), "0.25");
	/* Every field of the table has a value. */
	for (size_t k = 0; k < pk_record_field_count; k++)
		(void)value(res, 0, pk_record_fields[k].name);
	perfkit_results_destroy(res);
	for (size_t i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++)
		check_double_roundtrip(doubles[i]);
}
END_TEST

START_TEST(test_value_param_extra)
{
	struct perfkit_results *res = new_set();
	struct perfkit_record r = make("x", 0);
	char buf[8];

	perfkit_record_set_param(&r, "matn", "1024");
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	ck_assert_int_eq(perfkit_results_extra_set(res, 0, "note", "hot"), 0);
	ck_assert_str_eq(value(res, 0, "matn"), "1024");
	ck_assert_str_eq(value(res, 0, "note"), "hot");
	ck_assert_fails(perfkit_results_value(res, 0, "nope", buf, sizeof(buf)),
			-ENOENT, "\"nope\"");
	ck_assert_fails(perfkit_results_value(res, 0, "", buf, sizeof(buf)),
			-ENOENT, "no key");
	/* The buffer must hold the text and its NUL. */
	ck_assert_int_eq(perfkit_results_value(res, 0, "matn", buf, 5), 0);
	ck_assert_str_eq(buf, "1024");
	ck_assert_fails(perfkit_results_value(res, 0, "matn", buf, 4), -ERANGE,
			"needs 5 bytes");
	ck_assert_fails(perfkit_results_value(res, 0, "worker", buf, 1),
			-ERANGE, "\"worker\"");
	ck_assert_fails(perfkit_results_value(res, 0, "t_end", buf, 0),
			-ERANGE, "\"t_end\"");
	ck_assert_fails(perfkit_results_value(res, 0, "name", buf, 1), -ERANGE,
			"\"name\"");
	ck_assert_fails(perfkit_results_value(res, 1, "name", buf, sizeof(buf)),
			-EINVAL, "index 1");
	ck_assert_fails(perfkit_results_value(NULL, 0, "name", buf, 8), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_value(res, 0, NULL, buf, 8), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_value(res, 0, "name", NULL, 8), -EINVAL,
			"NULL");
	perfkit_results_destroy(res);
}
END_TEST

/* A set of six records with a field, a parameter and an extra to test
 * filter and sort on. */
static struct perfkit_results *sample(void)
{
	static const struct {
		const char *name;
		double elapsed;
		const char *n; /* parameter, NULL: unset */
		const char *note; /* extra, NULL: none */
	} rows[] = {
		{ "triad", 3.0, "10", "slow" },
		{ "dgemm", NAN, "9", NULL },
		{ "triad", 1.0, NULL, "fast" },
		{ "Peak", 2.0, "10", NULL },
		{ "dgemm", 1.0, "100", "fast" },
		{ "triad", 0.0, NULL, NULL },
	};
	struct perfkit_results *res = new_set();

	perfkit_results_set_epoch_ns(res, 1000);
	perfkit_results_meta_set(res, "run", "seed000");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct perfkit_record r = make(rows[i].name, (int)i);

		r.elapsed = rows[i].elapsed;
		if (rows[i].n)
			perfkit_record_set_param(&r, "n", rows[i].n);
		ck_assert_int_eq(perfkit_results_append(res, &r), 0);
		if (rows[i].note)
			ck_assert_int_eq(perfkit_results_extra_set(
						 res, i, "note", rows[i].note),
					 0);
	}
	return res;
}

/* The workers of the set in order, as text: "0,1,2". */
static const char *workers(const struct perfkit_results *res)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < perfkit_results_count(res); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%d",
				      i ? "," : "", (int)at(res, i)->worker);
	return buf;
}

static const char *filter(const struct perfkit_results *res, const char *key,
			  const char *val)
{
	struct perfkit_results *out = NULL;
	const char *v, *w;

	ck_assert_int_eq(perfkit_results_filter(res, key, val, &out), 0);
	ck_assert_int_eq(perfkit_results_epoch_ns(out),
			 perfkit_results_epoch_ns(res));
	ck_assert_uint_eq(perfkit_results_meta_count(out),
			  perfkit_results_meta_count(res));
	ck_assert_int_eq(perfkit_results_meta_get(out, "run", &v), 0);
	ck_assert_str_eq(v, "seed000");
	/* Extras travel with the kept records. */
	for (size_t i = 0; i < perfkit_results_count(out); i++) {
		size_t src = (size_t)at(out, i)->worker;

		ck_assert_uint_eq(perfkit_results_extra_count(out, i),
				  perfkit_results_extra_count(res, src));
	}
	w = workers(out);
	perfkit_results_destroy(out);
	return w;
}

START_TEST(test_filter)
{
	struct perfkit_results *res = sample(), *out;

	ck_assert_str_eq(filter(res, "name", "triad"), "0,2,5");
	ck_assert_str_eq(filter(res, "worker", "3"), "3");
	ck_assert_str_eq(filter(res, "elapsed", "1"), "2,4");
	ck_assert_str_eq(filter(res, "elapsed", "nan"), "1");
	ck_assert_str_eq(filter(res, "elapsed", "0"), "5");
	ck_assert_str_eq(filter(res, "n", "10"), "0,3");
	ck_assert_str_eq(filter(res, "note", "fast"), "2,4");
	ck_assert_str_eq(filter(res, "name", "TRIAD"), "");
	ck_assert_str_eq(filter(res, "nobody", ""), "");
	ck_assert_str_eq(filter(res, "host", ""), "0,1,2,3,4,5");

	/* The copy owns its extras. */
	ck_assert_int_eq(perfkit_results_filter(res, "note", "slow", &out), 0);
	perfkit_results_destroy(res);
	ck_assert_str_eq(value(out, 0, "note"), "slow");
	/* Appending a record of the set itself, while the array grows. */
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(perfkit_results_append(out, at(out, 0)), 0);
	ck_assert_str_eq(at(out, 40)->name, "triad");
	ck_assert_uint_eq(perfkit_results_extra_count(out, 40), 0);

	ck_assert_fails(perfkit_results_filter(NULL, "a", "b", &out), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_filter(out, NULL, "b", &out), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_filter(out, "a", NULL, &out), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_filter(out, "a", "b", NULL), -EINVAL,
			"NULL");
	perfkit_results_destroy(out);
}
END_TEST

static const char *sorted(struct perfkit_results *res, const char *key,
			  int descending)
{
	ck_assert_int_eq(perfkit_results_sort(res, key, descending), 0);
	/* Extras moved with their records. */
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		int w = at(res, i)->worker;
		size_t want = w == 0 || w == 2 || w == 4;

		ck_assert_uint_eq(perfkit_results_extra_count(res, i), want);
	}
	return workers(res);
}

START_TEST(test_sort)
{
	struct perfkit_results *res = sample();

	/* Numbers as numbers; NaN last either way; ties keep their order. */
	ck_assert_str_eq(sorted(res, "elapsed", 0), "5,2,4,3,0,1");
	ck_assert_str_eq(sorted(res, "elapsed", 1), "0,3,2,4,5,1");
	ck_assert_str_eq(value(res, 0, "note"), "slow");
	ck_assert_str_eq(sorted(res, "worker", 0), "0,1,2,3,4,5");
	ck_assert_str_eq(sorted(res, "worker", 1), "5,4,3,2,1,0");
	/* Text byte-wise ("P" < "d"), stable within a name. */
	ck_assert_str_eq(sorted(res, "worker", 0), "0,1,2,3,4,5");
	ck_assert_str_eq(sorted(res, "name", 0), "3,1,4,0,2,5");
	ck_assert_str_eq(sorted(res, "name", 1), "0,2,5,1,4,3");
	/* Parameters as text ("10" < "100" < "9"), unset ones last. */
	ck_assert_str_eq(sorted(res, "worker", 0), "0,1,2,3,4,5");
	ck_assert_str_eq(sorted(res, "n", 0), "0,3,4,1,2,5");
	ck_assert_str_eq(sorted(res, "n", 1), "1,4,0,3,2,5");
	ck_assert_str_eq(sorted(res, "note", 0), "4,2,0,1,3,5");
	/* A key no record has keeps the order. */
	ck_assert_str_eq(sorted(res, "nobody", 1), "4,2,0,1,3,5");
	ck_assert_fails(perfkit_results_sort(NULL, "name", 0), -EINVAL, "NULL");
	ck_assert_fails(perfkit_results_sort(res, NULL, 0), -EINVAL, "NULL");
	perfkit_results_destroy(res);

	res = new_set();
	ck_assert_int_eq(perfkit_results_sort(res, "name", 0), 0);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_sort_integers)
{
	struct perfkit_results *res = new_set();
	const uint64_t reps[] = { UINT64_MAX, 1, (uint64_t)1 << 63, 0 };
	const int64_t sizes[] = { -1, INT64_MAX, INT64_MIN, 0 };

	for (int i = 0; i < 4; i++) {
		struct perfkit_record r = make("i", i);

		r.repetitions = reps[i];
		r.problem_size = sizes[i];
		ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	}
	/* Unsigned stays unsigned, 64-bit stays exact. */
	ck_assert_int_eq(perfkit_results_sort(res, "repetitions", 0), 0);
	ck_assert_str_eq(workers(res), "3,1,2,0");
	ck_assert_int_eq(perfkit_results_sort(res, "problem_size", 0), 0);
	ck_assert_str_eq(workers(res), "2,0,3,1");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_sort_large_stable)
{
	struct perfkit_results *res = new_set();
	const size_t n = 20011;
	uint32_t x = 12345;

	for (size_t i = 0; i < n; i++) {
		struct perfkit_record r = make("s", (int)i);

		x = x * 1103515245u + 12345u;
		r.flops = (double)((x >> 16) % 97);
		if (i % 101 == 0)
			r.flops = NAN;
		ck_assert_int_eq(perfkit_results_append(res, &r), 0);
		if (i % 13 == 0) {
			char v[16];
			snprintf(v, sizeof(v), "%zu", i);
			ck_assert_int_eq(perfkit_results_extra_set(res, i, "src",
								   v), 0);
		}
	}
	ck_assert_int_eq(perfkit_results_sort(res, "flops", 0), 0);
	for (size_t i = 1; i < n; i++) {
		const struct perfkit_record *a = at(res, i - 1), *b = at(res, i);

		if (isnan(b->flops))
			ck_assert(isnan(a->flops) ? a->worker < b->worker : 1);
		else
			ck_assert(!isnan(a->flops) &&
				  (a->flops < b->flops ||
				   (a->flops == b->flops &&
				    a->worker < b->worker)));
	}
	for (size_t i = 0; i < n; i++) {
		int w = at(res, i)->worker;

		if (w % 13 == 0) {
			char v[16];
			snprintf(v, sizeof(v), "%d", w);
			ck_assert_str_eq(value(res, i, "src"), v);
		} else {
			ck_assert_uint_eq(perfkit_results_extra_count(res, i), 0);
		}
	}
	perfkit_results_destroy(res);
}
END_TEST

/* ------------------------------------------------------------ metadata */

START_TEST(test_meta)
{
	struct perfkit_results *res = new_set();
	const char *k = NULL, *v = NULL;

	ck_assert_int_eq(perfkit_results_meta_set(res, "b", "1"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "a", "2"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "b", "3"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "odd key=\n", ""), 0);
	ck_assert_uint_eq(perfkit_results_meta_count(res), 5);
	/* First-set order: date, perfkit.version, b, a, odd key. */
	ck_assert_int_eq(perfkit_results_meta_at(res, 0, &k, &v), 0);
	ck_assert_str_eq(k, "date");
	ck_assert_int_eq(perfkit_results_meta_at(res, 2, &k, &v), 0);
	ck_assert_str_eq(k, "b");
	ck_assert_str_eq(v, "3");
	ck_assert_int_eq(perfkit_results_meta_at(res, 3, &k, NULL), 0);
	ck_assert_str_eq(k, "a");
	ck_assert_int_eq(perfkit_results_meta_at(res, 4, NULL, &v), 0);
	ck_assert_str_eq(v, "");
	ck_assert_int_eq(perfkit_results_meta_get(res, "odd key=\n", &v), 0);
	ck_assert_str_eq(v, "");
	ck_assert_int_eq(perfkit_results_meta_get(res, "a", &v), 0);
	ck_assert_str_eq(v, "2");
	for (int i = 0; i < 100; i++) { /* growth */
		char key[16];
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_int_eq(perfkit_results_meta_set(res, key, key), 0);
	}
	ck_assert_uint_eq(perfkit_results_meta_count(res), 105);
	ck_assert_int_eq(perfkit_results_meta_get(res, "k99", &v), 0);
	ck_assert_str_eq(v, "k99");

	ck_assert_fails(perfkit_results_meta_get(res, "none", &v), -ENOENT,
			"\"none\"");
	ck_assert_fails(perfkit_results_meta_set(res, "", "x"), -EINVAL,
			"empty");
	ck_assert_fails(perfkit_results_meta_set(NULL, "a", "x"), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_meta_set(res, NULL, "x"), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_meta_set(res, "a", NULL), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_meta_get(NULL, "a", &v), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_meta_get(res, NULL, &v), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_meta_get(res, "a", NULL), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_meta_at(res, 105, &k, &v), -EINVAL,
			"index 105");
	ck_assert_fails(perfkit_results_meta_at(NULL, 0, &k, &v), -EINVAL,
			"NULL");
	ck_assert_uint_eq(perfkit_results_meta_count(NULL), 0);
	perfkit_results_destroy(res);
}
END_TEST

static size_t count_prefix(const struct perfkit_results *res,
			   const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < perfkit_results_meta_count(res); i++) {
		const char *k;

		perfkit_results_meta_at(res, i, &k, NULL);
		n += strncmp(k, prefix, strlen(prefix)) == 0;
	}
	return n;
}

START_TEST(test_set_machine)
{
	struct perfkit_results *res = new_set();
	const struct perfkit_machine *m;
	const char *v, *want;

	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "machine.stale", "x"), 0);
	ck_assert_int_eq(perfkit_results_set_machine(res, m), 0);
	ck_assert_int_eq(perfkit_results_meta_get(res, "machine.cpu.model", &v),
			 0);
	ck_assert_int_eq(perfkit_machine_kv_find(m, "cpu.model", &want), 0);
	ck_assert_str_eq(v, want);
	ck_assert_int_eq(
		perfkit_results_meta_get(res, "machine.topology.cores", &v), 0);
	ck_assert_fails(perfkit_results_meta_get(res, "machine.stale", &v),
			-ENOENT, "machine.stale");
	ck_assert_uint_eq(count_prefix(res, "machine."),
			  perfkit_machine_kv_count(m));
	/* Again: replaced, not doubled; other keys kept. */
	ck_assert_int_eq(perfkit_results_set_machine(res, m), 0);
	ck_assert_uint_eq(count_prefix(res, "machine."),
			  perfkit_machine_kv_count(m));
	ck_assert_int_eq(perfkit_results_meta_get(res, "date", &v), 0);
	ck_assert_fails(perfkit_results_set_machine(NULL, m), -EINVAL, "NULL");
	ck_assert_fails(perfkit_results_set_machine(res, NULL), -EINVAL, "NULL");
	perfkit_results_destroy(res);
}
END_TEST

static const char *command(struct perfkit_results *res, int argc,
			   const char *const *argv)
{
	const char *v;

	ck_assert_int_eq(perfkit_results_set_command(res, argc, argv), 0);
	ck_assert_int_eq(perfkit_results_meta_get(res, "command", &v), 0);
	return v;
}

START_TEST(test_set_command)
{
	struct perfkit_results *res = new_set();
	const char *plain[] = { "./flops", "--workers=10", "-n", "1024",
				"a,b:c@d%e+f.g/h_i-j" };
	const char *odd[] = { "prog", "a b", "it's", "", "$HOME", "*", "a;b",
			      "tab\there", "new\nline", "\"q\"", "'" };
	const char *nulls[] = { "prog", NULL };

	ck_assert_str_eq(command(res, 5, plain),
			 "./flops --workers=10 -n 1024 a,b:c@d%e+f.g/h_i-j");
	ck_assert_str_eq(command(res, 11, odd),
			 "prog 'a b' 'it'\\''s' '' '$HOME' '*' 'a;b' "
			 "'tab\there' 'new\nline' '\"q\"' ''\\'''");
	ck_assert_str_eq(command(res, 1, odd + 3), "''");
	ck_assert_str_eq(command(res, 0, plain), "");
	ck_assert_fails(perfkit_results_set_command(res, -1, plain), -EINVAL,
			"argc");
	ck_assert_fails(perfkit_results_set_command(res, 2, nulls), -EINVAL,
			"argv[1]");
	ck_assert_fails(perfkit_results_set_command(res, 1, NULL), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_set_command(NULL, 1, plain), -EINVAL,
			"NULL");
	ck_assert_str_eq(command(res, 1, plain), "./flops");
	perfkit_results_destroy(res);
}
END_TEST

/* ------------------------------------------------------------ extras */

START_TEST(test_extras)
{
	struct perfkit_results *res = new_set();
	struct perfkit_record r = make("x", 0);
	const char *k = NULL, *v = NULL;

	perfkit_record_set_param(&r, "matn", "8");
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	ck_assert_uint_eq(perfkit_results_extra_count(res, 0), 0);
	ck_assert_int_eq(perfkit_results_extra_set(res, 1, "gpu", "H200"), 0);
	ck_assert_int_eq(perfkit_results_extra_set(res, 1, "note", ""), 0);
	ck_assert_int_eq(perfkit_results_extra_set(res, 1, "gpu", "A100"), 0);
	ck_assert_uint_eq(perfkit_results_extra_count(res, 0), 0);
	ck_assert_uint_eq(perfkit_results_extra_count(res, 1), 2);
	ck_assert_int_eq(perfkit_results_extra_get(res, 1, 0, &k, &v), 0);
	ck_assert_str_eq(k, "gpu");
	ck_assert_str_eq(v, "A100");
	ck_assert_int_eq(perfkit_results_extra_get(res, 1, 1, &k, NULL), 0);
	ck_assert_str_eq(k, "note");
	ck_assert_int_eq(perfkit_results_extra_get(res, 1, 1, NULL, &v), 0);
	ck_assert_str_eq(v, "");
	for (int i = 0; i < 40; i++) { /* growth */
		char key[16];
		snprintf(key, sizeof(key), "x%d", i);
		ck_assert_int_eq(perfkit_results_extra_set(res, 0, key, key), 0);
	}
	ck_assert_uint_eq(perfkit_results_extra_count(res, 0), 40);
	ck_assert_str_eq(value(res, 0, "x39"), "x39");
	/* Appending after extras exist: the new record has none. */
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	ck_assert_uint_eq(perfkit_results_extra_count(res, 41), 0);
	ck_assert_int_eq(perfkit_results_extra_set(res, 41, "gpu", "B"), 0);
	ck_assert_uint_eq(perfkit_results_extra_count(res, 41), 1);

	ck_assert_fails(perfkit_results_extra_set(res, 0, "flops", "1"),
			-EINVAL, "record field");
	ck_assert_fails(perfkit_results_extra_set(res, 0, "matn", "1"),
			-EINVAL, "parameter");
	ck_assert_fails(perfkit_results_extra_set(res, 0, "params", "1"),
			-EINVAL, "reserved");
	ck_assert_fails(perfkit_results_extra_set(res, 0, "param.x", "1"),
			-EINVAL, "reserved");
	ck_assert_fails(perfkit_results_extra_set(res, 0, "", "1"), -EINVAL,
			"empty");
	ck_assert_fails(perfkit_results_extra_set(res, 42, "a", "1"), -EINVAL,
			"index 42");
	ck_assert_fails(perfkit_results_extra_set(NULL, 0, "a", "1"), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_extra_set(res, 0, NULL, "1"), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_extra_set(res, 0, "a", NULL), -EINVAL,
			"NULL");
	ck_assert_fails(perfkit_results_extra_get(res, 1, 2, &k, &v), -EINVAL,
			"extra column 2");
	ck_assert_fails(perfkit_results_extra_get(res, 99, 0, &k, &v), -EINVAL,
			"record 99");
	ck_assert_fails(perfkit_results_extra_get(NULL, 0, 0, &k, &v), -EINVAL,
			"NULL");
	ck_assert_uint_eq(perfkit_results_extra_count(res, 99), 0);
	ck_assert_uint_eq(perfkit_results_extra_count(NULL, 0), 0);
	perfkit_results_destroy(res);
}
END_TEST

static Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	TCase *set = tcase_create("results");

	tcase_add_test(tc, test_layout_pinned);
	tcase_add_test(tc, test_init_defaults);
	tcase_add_test(tc, test_name_host_limits);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_derive);
	suite_add_tcase(s, tc);

	tcase_add_test(set, test_new_destroy);
	tcase_add_test(set, test_epoch);
	tcase_add_test(set, test_append_copies);
	tcase_add_test(set, test_append_invalid);
	tcase_add_test(set, test_append_older_caller);
	tcase_add_test(set, test_append_newer_caller);
	tcase_add_test(set, test_append_many);
	tcase_add_test(set, test_get);
	tcase_add_test(set, test_foreach);
	tcase_add_test(set, test_value_fields);
	tcase_add_test(set, test_value_param_extra);
	tcase_add_test(set, test_filter);
	tcase_add_test(set, test_sort);
	tcase_add_test(set, test_sort_integers);
	tcase_add_test(set, test_sort_large_stable);
	tcase_add_test(set, test_meta);
	tcase_add_test(set, test_set_machine);
	tcase_add_test(set, test_set_command);
	tcase_add_test(set, test_extras);
	suite_add_tcase(s, set);
	return s;
}

PK_CHECK_MAIN(record_suite)
