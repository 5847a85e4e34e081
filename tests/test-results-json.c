/* SPDX-License-Identifier: MIT */
/* JSON and JSON Lines result files, and the streaming JSON Lines writer. */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "results-format.h"

enum fmt { JSON, JSONL };

static int format(const struct perfkit_results *res, enum fmt f, char **data,
		  size_t *len)
{
	return f == JSON ? pk_results_format_json(res, data, len) :
			   pk_results_format_jsonl(res, data, len);
}

static int parse(const char *data, size_t len, enum fmt f,
		 struct perfkit_results **out)
{
	return f == JSON ? pk_results_parse_json(data, len, out) :
			   pk_results_parse_jsonl(data, len, out);
}

/* ---- building and comparing sets ---- */

static void add(struct perfkit_results *res, const char *name,
		void (*fill)(struct perfkit_record *rec))
{
	struct perfkit_record rec;

	perfkit_record_init(&rec);
	ck_assert_int_eq(perfkit_record_set_name(&rec, name), 0);
	if (fill)
		fill(&rec);
	ck_assert_int_eq(perfkit_results_append(res, &rec), 0);
}

static double subnormal(void)
{
	return DBL_MIN / 4096.0;
}

static void fill_extremes(struct perfkit_record *r)
{
	r->worker = INT32_MIN;
	r->rank = INT32_MAX;
	r->cpu = 0;
	r->status = -EIO;
	r->t_submit = -0.0;
	r->t_start = 1e-300;
	r->t_setup = subnormal();
	r->t_end = DBL_MAX;
	r->t_collected = -DBL_MAX;
	r->repetitions = UINT64_MAX;
	r->problem_size = INT64_MIN;
	r->flops = INFINITY;
	r->bytes = -INFINITY;
	r->items = NAN;
	r->elapsed = 0.1;
	ck_assert_int_eq(perfkit_record_set_host(r, "node-01.example"), 0);
	ck_assert_int_eq(perfkit_record_set_param(r, "n", "4096"), 0);
	ck_assert_int_eq(perfkit_record_set_param(r, "a,b \"q\"", "x\ny\\z"), 0);
	ck_assert_int_eq(perfkit_record_set_param(r, "é", ""), 0);
	ck_assert_int_eq(perfkit_record_set_param(r, "tab\tkey", "\x01\x1f\x7f"), 0);
}

static void fill_plain(struct perfkit_record *r)
{
	r->worker = 3;
	r->rank = 0;
	r->repetitions = (uint64_t)INT64_MAX + 1;
	r->problem_size = INT64_MAX;
	r->t_start = 1.0;
	r->t_end = 2.5;
	r->flops = 2.4e9;
	r->bytes = 1e17;
	r->items = 123456789012345678.0;
	r->elapsed = 5e-324;
}

static void fill_small(struct perfkit_record *r)
{
	r->repetitions = (uint64_t)INT64_MAX;
	r->problem_size = -1;
	r->flops = -1.0;
	r->bytes = 0.30000000000000004;
	r->items = 1.0 / 3.0;
	r->elapsed = -0.0; /* no sign, but -0 is not below 0 */
}

/* Every awkward value we know of, with a real machine description. */
static struct perfkit_results *adversarial_set(void)
{
	const struct perfkit_machine *m;
	struct perfkit_results *res;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	ck_assert_int_eq(perfkit_results_set_machine(res, m), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "note",
						  "quotes \" and \\ and\n\ttabs"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "ctl", "\x01\x02\x1b[0m"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "utf8 ключ", "値 ✓ 😀"), 0);
	add(res, "dgemm", fill_extremes);
	add(res, "a,b;c \"quoted\" 'single'", fill_plain);
	add(res, "line\nbreak\r\n\ttab\\back/slash", fill_small);
	add(res, "\x01\x02\x03\x1f\x7f control", NULL);
	add(res, "Grüße, 世界 😀", NULL);
	add(res, "", NULL);
	ck_assert_int_eq(perfkit_results_extra_set(res, 1, "comment", "a, \"b\"\n"), 0);
	ck_assert_int_eq(perfkit_results_extra_set(res, 1, "z", ""), 0);
	ck_assert_int_eq(perfkit_results_extra_set(res, 4, "ünï", "🙂"), 0);
	return res;
}

static void same_double(double a, double b, const char *what, size_t i)
{
	if (isnan(a) || isnan(b)) {
		/* Written as "NaN": the payload is not kept. */
		ck_assert_msg(isnan(a) && isnan(b), "record %zu %s: %.17g vs %.17g",
			      i, what, a, b);
		return;
	}
	ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0,
		      "record %zu %s: %.17g (sign %d) vs %.17g (sign %d)", i,
		      what, a, signbit(a) != 0, b, signbit(b) != 0);
}

static void same_record(const struct perfkit_record *a,
			const struct perfkit_record *b, size_t i)
{
	ck_assert_uint_eq(a->version, b->version);
	ck_assert_uint_eq(a->size, b->size);
	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->host, b->host);
	ck_assert_int_eq(a->worker, b->worker);
	ck_assert_int_eq(a->rank, b->rank);
	ck_assert_int_eq(a->cpu, b->cpu);
	ck_assert_int_eq(a->status, b->status);
	same_double(a->t_submit, b->t_submit, "t_submit", i);
	same_double(a->t_start, b->t_start, "t_start", i);
	same_double(a->t_setup, b->t_setup, "t_setup", i);
	same_double(a->t_end, b->t_end, "t_end", i);
	same_double(a->t_collected, b->t_collected, "t_collected", i);
	ck_assert(a->repetitions == b->repetitions);
	ck_assert(a->problem_size == b->problem_size);
	same_double(a->flops, b->flops, "flops", i);
	same_double(a->bytes, b->bytes, "bytes", i);
	same_double(a->items, b->items, "items", i);
	same_double(a->elapsed, b->elapsed, "elapsed", i);
	ck_assert_uint_eq(a->nparams, b->nparams);
	for (uint32_t k = 0; k < a->nparams; k++) {
		ck_assert_str_eq(a->params[k].key, b->params[k].key);
		ck_assert_str_eq(a->params[k].value, b->params[k].value);
	}
}

/* Records, extras and epoch equal; metadata equal as a map, and in the same
 * order when @ordered. */
static void same_set(const struct perfkit_results *a,
		     const struct perfkit_results *b, int ordered)
{
	size_t n = perfkit_results_count(a), nm = perfkit_results_meta_count(a);

	ck_assert(perfkit_results_epoch_ns(a) == perfkit_results_epoch_ns(b));
	ck_assert_uint_eq(n, perfkit_results_count(b));
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *ra, *rb;
		size_t ne = perfkit_results_extra_count(a, i);

		ck_assert_int_eq(perfkit_results_get(a, i, &ra), 0);
		ck_assert_int_eq(perfkit_results_get(b, i, &rb), 0);
		same_record(ra, rb, i);
		ck_assert_uint_eq(ne, perfkit_results_extra_count(b, i));
		for (size_t j = 0; j < ne; j++) {
			const char *ka, *va, *kb, *vb;

			ck_assert_int_eq(perfkit_results_extra_get(a, i, j, &ka, &va), 0);
			ck_assert_int_eq(perfkit_results_extra_get(b, i, j, &kb, &vb), 0);
			ck_assert_str_eq(ka, kb);
			ck_assert_str_eq(va, vb);
		}
	}
	ck_assert_uint_eq(nm, perfkit_results_meta_count(b));
	for (size_t i = 0; i < nm; i++) {
		const char *ka, *va, *kb, *vb;

		ck_assert_int_eq(perfkit_results_meta_at(a, i, &ka, &va), 0);
		ck_assert_int_eq(perfkit_results_meta_get(b, ka, &vb), 0);
		ck_assert_str_eq(va, vb);
		if (ordered) {
			ck_assert_int_eq(perfkit_results_meta_at(b, i, &kb, NULL), 0);
			ck_assert_str_eq(ka, kb);
		}
	}
}

/* jansson itself must accept all we write: the document, or each line. */
static void jansson_accepts(const char *data, size_t len, enum fmt f)
{
	json_error_t err;
	json_t *v;

	if (f == JSON) {
		v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
		ck_assert_msg(v, "jansson: line %d: %s", err.line, err.text);
		json_decref(v);
		return;
	}
	ck_assert(len > 0 && data[len - 1] == '\n');
	for (const char *p = data, *nl; p < data + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(data + len - p));
		ck_assert_ptr_nonnull(nl);
		v = json_loadb(p, (size_t)(nl - p), JSON_REJECT_DUPLICATES, &err);
		ck_assert_msg(v, "jansson: %s in %.*s", err.text, (int)(nl - p), p);
		json_decref(v);
	}
}

static struct perfkit_results *round_trip(const struct perfkit_results *res,
					  enum fmt f)
{
	struct perfkit_results *back = NULL;
	size_t len = 0;
	char *data;

	ck_assert_int_eq(format(res, f, &data, &len), 0);
	ck_assert_uint_eq(strlen(data), len);
	jansson_accepts(data, len, f);
	ck_assert_msg(parse(data, len, f, &back) == 0, "%s", perfkit_last_error());
	free(data);
	return back;
}

/* ---- round trips ---- */

START_TEST(test_json_round_trip)
{
	struct perfkit_results *res = adversarial_set();
	struct perfkit_results *back = round_trip(res, JSON);

	/* JSON moves machine.* after the other keys: same map. */
	same_set(res, back, 0);
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_jsonl_round_trip)
{
	struct perfkit_results *res = adversarial_set();
	struct perfkit_results *back = round_trip(res, JSONL);

	same_set(res, back, 1);
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_json_and_jsonl_agree)
{
	struct perfkit_results *res = adversarial_set();
	struct perfkit_results *a = round_trip(res, JSON);
	struct perfkit_results *b = round_trip(a, JSONL);
	struct perfkit_results *c = round_trip(b, JSON);
	char *x, *y;

	/* Once in JSON's order, every further trip is exact, byte for byte. */
	same_set(a, b, 1);
	same_set(a, c, 1);
	ck_assert_int_eq(pk_results_format_json(a, &x, NULL), 0);
	ck_assert_int_eq(pk_results_format_json(c, &y, NULL), 0);
	ck_assert_str_eq(x, y);
	free(x);
	free(y);
	perfkit_results_destroy(a);
	perfkit_results_destroy(b);
	perfkit_results_destroy(c);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_empty_set)
{
	struct perfkit_results *res, *back;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	for (int f = JSON; f <= JSONL; f++) {
		back = round_trip(res, (enum fmt)f);
		same_set(res, back, 1);
		perfkit_results_destroy(back);
	}
	perfkit_results_destroy(res);
}
END_TEST

/* Random bit patterns, every exponent: each double reads back exactly. */
START_TEST(test_random_doubles_round_trip)
{
	struct perfkit_results *res, *back;
	struct perfkit_record rec;
	uint64_t x = 88172645463325252u;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	perfkit_record_init(&rec);
	for (int i = 0; i < 2000; i++) {
		double *d[] = { &rec.t_submit, &rec.t_start, &rec.t_setup,
				&rec.t_end, &rec.t_collected, &rec.flops,
				&rec.bytes, &rec.items, &rec.elapsed };

		for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Every other one a short decimal, as timings are. */
			if (k % 2)
				*d[k] = (double)(x % 100000000) * 1e-6;
			else
				memcpy(d[k], &x, sizeof(x));
		}
		rec.elapsed = fabs(rec.elapsed); /* no sign */
		ck_assert_int_eq(perfkit_results_append(res, &rec), 0);
	}
	for (int f = JSON; f <= JSONL; f++) {
		back = round_trip(res, (enum fmt)f);
		same_set(res, back, f == JSONL);
		perfkit_results_destroy(back);
	}
	perfkit_results_destroy(res);
}
END_TEST

static const char *record_json(const struct perfkit_results *res, char **buf)
{
	ck_assert_int_eq(pk_results_format_jsonl(res, buf, NULL), 0);
	return strchr(*buf, '\n') + 1;
}

START_TEST(test_number_forms)
{
	struct perfkit_results *res;
	struct perfkit_record rec;
	const char *line;
	char *buf;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	perfkit_record_init(&rec);
	rec.t_submit = -0.0;
	rec.t_start = 1.0;
	rec.flops = INFINITY;
	rec.bytes = -INFINITY;
	rec.repetitions = UINT64_MAX;
	rec.problem_size = INT64_MIN;
	ck_assert_int_eq(perfkit_results_append(res, &rec), 0);
	line = record_json(res, &buf);
	ck_assert_ptr_nonnull(strstr(line, "\"t_submit\":-0.0,"));
	ck_assert_ptr_nonnull(strstr(line, "\"t_start\":1,"));
	ck_assert_ptr_nonnull(strstr(line, "\"t_setup\":\"NaN\","));
	ck_assert_ptr_nonnull(strstr(line, "\"flops\":\"Infinity\","));
	ck_assert_ptr_nonnull(strstr(line, "\"bytes\":\"-Infinity\","));
	/* Above INT64_MAX: jansson's integers would overflow, so text. */
	ck_assert_ptr_nonnull(strstr(line, "\"repetitions\":\"18446744073709551615\","));
	ck_assert_ptr_nonnull(strstr(line, "\"problem_size\":-9223372036854775808,"));
	ck_assert_ptr_null(strstr(line, "params"));
	free(buf);
	perfkit_results_destroy(res);
}
END_TEST

static struct perfkit_results *parse_ok(const char *text, enum fmt f)
{
	struct perfkit_results *res = NULL;

	ck_assert_msg(parse(text, strlen(text), f, &res) == 0, "%s: %s", text,
		      perfkit_last_error());
	return res;
}

#define HEAD "{\"schema\":\"perfkit-results\",\"schema_version\":1,\"epoch_ns\":7"

START_TEST(test_any_member_order)
{
	struct perfkit_results *res = parse_ok(
		" {\n \"records\" : [ {\"name\":\"a\"} ,\n{\"name\":\"b\"} ] ,"
		"\"meta\":{\"k\":\"v\"}, \"epoch_ns\" : 5,\"machine\":{\"x\":\"1\"},"
		"\"schema_version\":1,\"schema\":\"perfkit-results\"}\r\n", JSON);
	const struct perfkit_record *r;
	const char *v;

	ck_assert_uint_eq(perfkit_results_count(res), 2);
	ck_assert_int_eq(perfkit_results_get(res, 1, &r), 0);
	ck_assert_str_eq(r->name, "b");
	ck_assert(perfkit_results_epoch_ns(res) == 5);
	ck_assert_int_eq(perfkit_results_meta_get(res, "machine.x", &v), 0);
	ck_assert_str_eq(v, "1");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_hand_written_numbers)
{
	struct perfkit_results *res = parse_ok(
		HEAD ",\"records\":[{\"flops\":1,\"bytes\":2.5e3,\"items\":-0,"
		"\"elapsed\":1E-2,\"repetitions\":\"42\",\"t_end\":\"-Infinity\"}]}",
		JSON);
	const struct perfkit_record *r;

	ck_assert_int_eq(perfkit_results_get(res, 0, &r), 0);
	ck_assert(r->flops == 1.0);
	ck_assert(r->bytes == 2500.0);
	ck_assert(r->items == 0.0);
	ck_assert(r->elapsed == 0.01);
	ck_assert(r->repetitions == 42);
	ck_assert(isinf(r->t_end) && r->t_end < 0);
	/* Missing fields keep perfkit_record_init()'s defaults. */
	ck_assert_str_eq(r->name, "");
	ck_assert_int_eq(r->worker, -1);
	ck_assert(isnan(r->t_start));
	ck_assert(perfkit_results_epoch_ns(res) == 7);
	ck_assert_uint_eq(perfkit_results_meta_count(res), 0);
	perfkit_results_destroy(res);
}
END_TEST

/* ---- machine nesting ---- */

static json_t *load_json(const struct perfkit_results *res)
{
	json_error_t err;
	json_t *root;
	char *data;

	ck_assert_int_eq(pk_results_format_json(res, &data, NULL), 0);
	root = json_loads(data, 0, &err);
	ck_assert_ptr_nonnull(root);
	free(data);
	return root;
}

START_TEST(test_machine_nesting)
{
	const struct perfkit_machine *m;
	struct perfkit_results *res, *back;
	const char *key, *value;
	json_t *root, *machine;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	ck_assert_int_eq(perfkit_results_set_machine(res, m), 0);
	root = load_json(res);
	machine = json_object_get(root, "machine");
	ck_assert(json_is_object(machine));
	/* Every machine key is a path of objects to a string; none is left
	 * in "meta". */
	for (size_t i = 0; i < perfkit_results_meta_count(res); i++) {
		char path[256], *save = NULL, *seg;
		json_t *v = machine;

		ck_assert_int_eq(perfkit_results_meta_at(res, i, &key, &value), 0);
		if (strncmp(key, "machine.", 8) != 0)
			continue;
		ck_assert_ptr_null(json_object_get(json_object_get(root, "meta"), key));
		snprintf(path, sizeof(path), "%s", key + 8);
		for (seg = strtok_r(path, ".", &save); seg;
		     seg = strtok_r(NULL, ".", &save))
			v = json_object_get(v, seg);
		ck_assert_msg(json_is_string(v), "%s", key);
		ck_assert_str_eq(json_string_value(v), value);
	}
	json_decref(root);
	/* The order of the keys comes back too. */
	back = round_trip(res, JSON);
	same_set(res, back, 1);
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_machine_awkward_keys)
{
	static const char *const keys[] = {
		"machine.a.b", "machine.a.b.c", "machine.a.b.d.e", "machine.x",
		"machine.", "machine..y", "machine.y.", "machine.p..q",
		"machine.1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18",
		"machine.\"q\".\\", "machine.k",
	};
	struct perfkit_results *res, *back;
	json_t *root, *a, *meta;
	char value[16];

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(value, sizeof(value), "v%zu", i);
		ck_assert_int_eq(perfkit_results_meta_set(res, keys[i], value), 0);
	}
	root = load_json(res);
	meta = json_object_get(root, "meta");
	/* "a.b" is both a value and a prefix: the value stays flat in "meta",
	 * the longer keys nest. */
	ck_assert_str_eq(json_string_value(json_object_get(meta, "machine.a.b")), "v0");
	a = json_object_get(json_object_get(root, "machine"), "a");
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(a, "b"), "c")), "v1");
	ck_assert_ptr_nonnull(json_object_get(meta, "machine."));
	ck_assert_ptr_nonnull(json_object_get(meta, "machine..y"));
	ck_assert_ptr_nonnull(json_object_get(meta, "machine.y."));
	ck_assert_ptr_nonnull(json_object_get(meta, "machine.p..q"));
	ck_assert_ptr_nonnull(json_object_get(meta, keys[8]));
	ck_assert_ptr_null(json_object_get(meta, "machine.x"));
	json_decref(root);
	back = round_trip(res, JSON);
	same_set(res, back, 0);
	perfkit_results_destroy(back);
	back = round_trip(res, JSONL);
	same_set(res, back, 1);
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_machine_hand_written)
{
	struct perfkit_results *res = parse_ok(
		HEAD ",\"machine\":{\"cpu\":{\"cores\":8,\"model\":\"X\","
		"\"flags\":[\"avx\"],\"empty\":{}},\"ok\":true,\"n\":null},"
		"\"meta\":{\"run\":3,\"who\":\"me\"},\"records\":[]}", JSON);
	const char *v;

	/* The meta object first, then the machine, depth first. */
	ck_assert_uint_eq(perfkit_results_meta_count(res), 8);
	ck_assert_int_eq(perfkit_results_meta_at(res, 0, &v, NULL), 0);
	ck_assert_str_eq(v, "run");
	ck_assert_int_eq(perfkit_results_meta_at(res, 2, &v, NULL), 0);
	ck_assert_str_eq(v, "machine.cpu.cores");
	ck_assert_int_eq(perfkit_results_meta_get(res, "run", &v), 0);
	ck_assert_str_eq(v, "3");
	ck_assert_int_eq(perfkit_results_meta_get(res, "machine.cpu.cores", &v), 0);
	ck_assert_str_eq(v, "8");
	ck_assert_int_eq(perfkit_results_meta_get(res, "machine.cpu.flags", &v), 0);
	ck_assert_str_eq(v, "[\"avx\"]");
	ck_assert_int_eq(perfkit_results_meta_get(res, "machine.cpu.empty", &v), 0);
	ck_assert_str_eq(v, "{}");
	ck_assert_int_eq(perfkit_results_meta_get(res, "machine.ok", &v), 0);
	ck_assert_str_eq(v, "true");
	ck_assert_int_eq(perfkit_results_meta_get(res, "machine.n", &v), 0);
	ck_assert_str_eq(v, "null");
	perfkit_results_destroy(res);
}
END_TEST

/* ---- unknown keys are kept ---- */

START_TEST(test_unknown_keys_kept)
{
	static const char *const docs[] = {
		HEAD ",\"tool\":{\"name\":\"x\",\"v\":[1,2.5]},\"flag\":\"yes\","
		"\"records\":[{\"name\":\"a\",\"note\":\"hi\",\"n\":5,"
		"\"obj\":{\"k\":[true,null]},\"r\":0.1}]}",
		HEAD ",\"tool\":{\"name\":\"x\",\"v\":[1,2.5]},\"flag\":\"yes\"}\n"
		"{\"name\":\"a\",\"note\":\"hi\",\"n\":5,"
		"\"obj\":{\"k\":[true,null]},\"r\":0.1}\n",
	};

	for (int f = JSON; f <= JSONL; f++) {
		struct perfkit_results *res = parse_ok(docs[f], (enum fmt)f);
		struct perfkit_results *back;
		const char *k, *v;

		ck_assert_int_eq(perfkit_results_meta_get(res, "json.tool", &v), 0);
		ck_assert_str_eq(v, "{\"name\":\"x\",\"v\":[1,2.5]}");
		ck_assert_int_eq(perfkit_results_meta_get(res, "json.flag", &v), 0);
		ck_assert_str_eq(v, "yes");
		ck_assert_uint_eq(perfkit_results_extra_count(res, 0), 4);
		ck_assert_int_eq(perfkit_results_extra_get(res, 0, 0, &k, &v), 0);
		ck_assert_str_eq(k, "note");
		ck_assert_str_eq(v, "hi");
		ck_assert_int_eq(perfkit_results_extra_get(res, 0, 1, &k, &v), 0);
		ck_assert_str_eq(v, "5");
		ck_assert_int_eq(perfkit_results_extra_get(res, 0, 2, &k, &v), 0);
		ck_assert_str_eq(v, "{\"k\":[true,null]}");
		ck_assert_int_eq(perfkit_results_extra_get(res, 0, 3, &k, &v), 0);
		ck_assert_str_eq(v, "0.10000000000000001");
		/* ... and written back (as text) in both formats. */
		back = round_trip(res, (enum fmt)f);
		same_set(res, back, 1);
		perfkit_results_destroy(back);
		back = round_trip(res, (enum fmt)(JSONL - f));
		same_set(res, back, 0);
		perfkit_results_destroy(back);
		perfkit_results_destroy(res);
	}
}
END_TEST

/* ---- what we write is JSON, whatever the bytes ---- */

START_TEST(test_invalid_utf8_written_as_json)
{
	static const char *const names[] = {
		"\xff\xfe", "a\xc0\x80z", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"end\xe2\x82", "\x80lead", "ok \xe2\x82\xac",
	};
	static const char *const want[] = {
		"??", "a??z", "???", "????", "end??", "?lead",
		"ok \xe2\x82\xac",
	};
	struct perfkit_results *res, *back;
	const struct perfkit_record *r;
	size_t n = sizeof(names) / sizeof(names[0]);

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	for (size_t i = 0; i < n; i++)
		add(res, names[i], NULL);
	ck_assert_int_eq(perfkit_results_meta_set(res, "bad\xff", "\xc3"), 0);
	ck_assert_int_eq(perfkit_results_extra_set(res, 0, "\xfe", "\xc3("), 0);
	for (int f = JSON; f <= JSONL; f++) {
		const char *v;

		back = round_trip(res, (enum fmt)f);
		for (size_t i = 0; i < n; i++) {
			ck_assert_int_eq(perfkit_results_get(back, i, &r), 0);
			ck_assert_str_eq(r->name, want[i]);
		}
		ck_assert_int_eq(perfkit_results_meta_get(back, "bad?", &v), 0);
		ck_assert_str_eq(v, "?");
		perfkit_results_destroy(back);
	}
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_every_byte_in_names)
{
	struct perfkit_results *res, *back;
	char name[PERFKIT_RECORD_NAME_MAX + 1];

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	/* Bytes 1..255 in runs of 63: controls, quotes, UTF-8 lead bytes. */
	for (int start = 1; start < 256; start += PERFKIT_RECORD_NAME_MAX) {
		int k = 0;

		for (int c = start; c < 256 && k < PERFKIT_RECORD_NAME_MAX; c++)
			name[k++] = (char)c;
		name[k] = '\0';
		add(res, name, NULL);
	}
	for (int f = JSON; f <= JSONL; f++) {
		back = round_trip(res, (enum fmt)f);
		for (size_t i = 0; i < perfkit_results_count(res); i++) {
			const struct perfkit_record *a, *b;

			perfkit_results_get(res, i, &a);
			perfkit_results_get(back, i, &b);
			ck_assert_uint_eq(strlen(a->name), strlen(b->name));
			/* ASCII comes back as it was. */
			for (size_t j = 0; a->name[j]; j++)
				if ((unsigned char)a->name[j] < 0x80)
					ck_assert_int_eq(a->name[j], b->name[j]);
		}
		perfkit_results_destroy(back);
	}
	perfkit_results_destroy(res);
}
END_TEST

/* ---- malformed input ---- */

/* @text must fail with -EBADMSG and a message holding each of the NULL-
 * terminated strings that follow. */
static void bad_n(const char *text, size_t len, enum fmt f, ...)
{
	struct perfkit_results *res = (struct perfkit_results *)&res;
	const char *want, *msg;
	va_list ap;
	int rc;

	perfkit_clear_error();
	rc = parse(text, len, f, &res);
	msg = perfkit_last_error();
	ck_assert_msg(rc == -EBADMSG, "%.80s: got %d (%s)", text, rc, msg);
	ck_assert_ptr_eq(res, (struct perfkit_results *)&res);
	ck_assert_ptr_nonnull(strstr(msg, "line "));
	va_start(ap, f);
	while ((want = va_arg(ap, const char *)) != NULL)
		ck_assert_msg(strstr(msg, want), "%.80s: \"%s\" lacks \"%s\"",
			      text, msg, want);
	va_end(ap);
}

#define bad(text, f, ...) bad_n(text, strlen(text), f, __VA_ARGS__, NULL)

#define REC(x) HEAD ",\"records\":[{\"name\":\"ok\"},\n {" x "}]}"

START_TEST(test_json_wrong_types)
{
	char name[200];

	bad(REC("\"worker\":\"3\""), JSON, "line 2, column ", "record 1",
	    "\"worker\"", "integer");
	bad(REC("\"name\":5"), JSON, "line 2, column 10", "record 1", "\"name\"",
	    "string");
	bad(REC("\"flops\":\"fast\""), JSON, "line 2", "\"flops\"", "NaN");
	bad(REC("\"flops\":\"nan(1)\""), JSON, "line 2", "\"flops\"");
	bad(REC("\"flops\":true"), JSON, "line 2", "\"flops\"", "true");
	bad(REC("\"flops\":[1]"), JSON, "line 2", "\"flops\"", "array");
	bad(REC("\"worker\":1.0"), JSON, "line 2", "\"worker\"", "real");
	bad(REC("\"worker\":2147483648"), JSON, "line 2", "\"worker\"", "range");
	bad(REC("\"repetitions\":-1"), JSON, "line 2", "\"repetitions\"",
	    "negative");
	bad(REC("\"repetitions\":\"18446744073709551616\""), JSON,
	    "\"repetitions\"", "range");
	bad(REC("\"repetitions\":\"12x\""), JSON, "\"repetitions\"");
	bad(REC("\"problem_size\":null"), JSON, "\"problem_size\"", "null");
	bad(REC("\"params\":[]"), JSON, "line 2", "\"params\"", "object");
	bad(REC("\"params\":{\"k\":1}"), JSON, "\"params\"", "string");
	bad(REC("\"params\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\","
		"\"e\":\"5\"}"), JSON, "\"params\"", "more than 4");
	bad(REC("\"params\":{\"a_key_longer_than_23_bytes\":\"1\"}"), JSON,
	    "\"params\"", "longer");
	bad(REC("\"params\":{\"flops\":\"1\"}"), JSON, "\"params\"", "field");
	bad(REC("\"params\":{\"\":\"1\"}"), JSON, "\"params\"", "empty");
	bad(REC("\"param.x\":\"1\""), JSON, "\"param.x\"", "param.*");
	bad(REC("\"params\":{\"x\":\"1\"},\"x\":\"2\""), JSON, "record 1");
	snprintf(name, sizeof(name), REC("\"host\":\"%064d\""), 0);
	bad(name, JSON, "line 2", "\"host\"", "at most 63");
	bad(HEAD ",\"records\":[{},5]}", JSON, "record 1", "object");
	bad(HEAD ",\"records\":{}}", JSON, "line 1", "\"records\"", "array");
	bad(HEAD ",\n\"meta\":[]}", JSON, "line 2, column 8", "\"meta\"");
	bad(HEAD ",\"machine\":\"x\",\"records\":[]}", JSON, "\"machine\"");
	bad(HEAD ",\"meta\":{\"\":\"x\"},\"records\":[]}", JSON, "empty");
}
END_TEST

START_TEST(test_json_bad_documents)
{
	static const char valid[] = HEAD ",\n\"records\":[\n{\"name\":\"a\"}\n]}";
	char *big;

	/* Cut anywhere, a document fails on the line where it stops. */
	for (size_t cut = 1; cut + 1 < sizeof(valid) - 1; cut++)
		bad_n(valid, cut, JSON, "line ", NULL);
	bad_n(valid, sizeof(valid) - 3, JSON, "line 4", "column", NULL);
	bad(HEAD "}", JSON, "line 1", "\"records\"", "nothing");
	bad("{\"schema\":\"perfkit-results\",\"schema_version\":2,\"epoch_ns\":1,"
	    "\"records\":[]}", JSON, "line 1, column 46", "\"perfkit-results\"",
	    "version 2", "reads version 1");
	bad("{\"schema\":\"perfkit-results\",\"schema_version\":\"1\","
	    "\"epoch_ns\":1,\"records\":[]}", JSON, "\"perfkit-results\"", "version");
	bad("{\"schema\":\"other\",\"schema_version\":1,\"records\":[]}", JSON,
	    "line 1, column 11", "\"other\"", "\"perfkit-results\"");
	bad("{\"records\":[]}", JSON, "line 1, column 1", "schema");
	bad("{\"schema\":\"perfkit-results\",\"schema_version\":1,\"records\":[]}",
	    JSON, "epoch_ns");
	bad(HEAD ",\"epoch_ns\":-1,\"records\":[]}", JSON, "line 1");
	/* Between the values the reader steps itself: each slip is named. */
	bad(HEAD ",\"records\":[{} {}]}", JSON, "line 1, column 75",
	    "',' or ']' expected");
	bad(HEAD ",\"records\":[{},]}", JSON, "line 1, column 75");
	bad(HEAD ",\"records\":[]", JSON, "line 1", "',' or '}' expected",
	    "end of file");
	bad(HEAD " \"records\":[]}", JSON, "line 1, column 61", "',' or '}'");
	bad(HEAD ",\"records\" []}", JSON, "line 1, column 71", "':'");
	bad(HEAD ",7:[]}", JSON, "line 1, column 61", "key");
	bad(HEAD ",\"records\":[],\"records\":[]}", JSON, "line 1, column 74",
	    "duplicate", "\"records\"");
	bad(HEAD ",\"meta\":{},\"meta\":{},\"records\":[]}", JSON,
	    "line 1, column 71", "duplicate", "\"meta\"");
	bad("{\"records\":[],\"schema\":\"perfkit-results\",\"schema_version\":1,"
	    "\"epoch_ns\":1,\"schema\":\"x\"}", JSON, "duplicate");
	/* A header after the records is checked after them. */
	bad("{\"records\":[{}],\"schema\":\"perfkit-results\","
	    "\"schema_version\":2,\"epoch_ns\":1}", JSON, "line 1, column 61",
	    "version 2");
	bad("[1,2]", JSON, "line 1", "object");
	bad("\"just a string\"", JSON, "line 1");
	bad("", JSON, "line 1", "empty input");
	bad(" \n\t\r\n", JSON, "empty input");
	bad_n("{\"schema\":\0}", 12, JSON, "line 1, column 11", "NUL", NULL);
	bad(HEAD ",\"records\":[{\"name\":\"a\\u0000b\"}]}", JSON, "line 1",
	    "column", "NUL");
	bad(HEAD ",\"records\":[{\"name\":\"a\",\"name\":\"b\"}]}", JSON,
	    "duplicate");
	bad(HEAD ",\"records\":[{\"name\":\"\xff\"}]}", JSON, "line 1", "column", "0xff");
	bad(HEAD ",\"records\":[]} trailing", JSON, "line 1", "column");
	bad("\x7f" "ELF\x02\x01\x01\x00", JSON, "line 1");
	/* 10 MB of garbage on one line. */
	big = malloc(10u << 20);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', 10u << 20);
	big[0] = '{';
	bad_n(big, 10u << 20, JSON, "line 1", "column", NULL);
	bad_n(big + 1, (10u << 20) - 1, JSON, "line 1", NULL);
	free(big);
}
END_TEST

START_TEST(test_binary_garbage)
{
	char buf[4096];
	unsigned x = 12345;

	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (char)(x >> 16);
		}
		if (round % 2)
			buf[0] = '{';
		for (int f = JSON; f <= JSONL; f++)
			bad_n(buf, sizeof(buf), (enum fmt)f, "line ", NULL);
	}
}
END_TEST

#define JL_HEAD HEAD ",\"meta\":{\"k\":\"v\"}}\n"

START_TEST(test_jsonl_bad_lines)
{
	char *big;
	size_t n;

	bad(JL_HEAD "{\"name\":\"a\"}\n\n{\"worker\":\"x\"}\n", JSONL,
	    "line 4, column 11", "record 1", "\"worker\"");
	bad(JL_HEAD "{\"name\":\"a\"}\n{\"name\":\n", JSONL, "line 3", "column");
	bad(JL_HEAD "[1]\n", JSONL, "line 2", "record 0", "object");
	bad(JL_HEAD "{\"params\":5}\n", JSONL, "line 2", "\"params\"");
	bad("{\"name\":\"a\"}\n", JSONL, "line 1", "schema");
	bad("{\"schema\":\"perfkit-results\",\"schema_version\":9,\"epoch_ns\":1}\n",
	    JSONL, "line 1", "\"perfkit-results\"", "version 9");
	bad("\n\n" HEAD ",\"meta\":7}\n", JSONL, "line 3", "\"meta\"");
	bad("[]\n", JSONL, "line 1", "header");
	bad("", JSONL, "empty input");
	bad("\n \n\r\n", JSONL, "empty input");
	bad_n(JL_HEAD "{\"name\":\"a\0\"}\n", sizeof(JL_HEAD) + 13, JSONL,
	      "line 2, column 11", "NUL", NULL);
	/* A 10 MB line of garbage after a good header. */
	n = sizeof(JL_HEAD) - 1 + (10u << 20) + 1;
	big = malloc(n);
	ck_assert_ptr_nonnull(big);
	memcpy(big, JL_HEAD, sizeof(JL_HEAD) - 1);
	memset(big + sizeof(JL_HEAD) - 1, '#', 10u << 20);
	big[n - 1] = '\n';
	bad_n(big, n, JSONL, "line 2, column 1", NULL);
	free(big);
}
END_TEST

START_TEST(test_jsonl_blank_lines_and_crlf)
{
	struct perfkit_results *res = parse_ok(
		"\r\n" HEAD "}\r\n\n  \n{\"name\":\"a\"}\r\n\t\n{\"name\":\"b\"}",
		JSONL);
	const struct perfkit_record *r;

	ck_assert_uint_eq(perfkit_results_count(res), 2);
	ck_assert_int_eq(perfkit_results_get(res, 1, &r), 0);
	ck_assert_str_eq(r->name, "b");
	perfkit_results_destroy(res);
}
END_TEST

/* A crash mid-line leaves a file whose last line is cut: the reader names
 * that line, and everything before it reads back whole. */
START_TEST(test_jsonl_truncated_last_line)
{
	struct perfkit_results *res, *back;
	size_t len, cut;
	char *data, *last;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	add(res, "a", fill_plain);
	add(res, "b", fill_small);
	add(res, "c", fill_extremes);
	add(res, "d", fill_plain);
	ck_assert_int_eq(pk_results_format_jsonl(res, &data, &len), 0);
	data[len - 1] = '\0';
	last = strrchr(data, '\n') + 1;
	for (cut = (size_t)(last - data) + 1; cut < len - 1; cut += 7)
		bad_n(data, cut, JSONL, "line 5, column", "last line is incomplete",
		      "3 records before it are valid", NULL);
	/* A whole last line that is wrong is not called cut short. */
	bad(JL_HEAD "{\"worker\":\"x\"}", JSONL, "line 2", "\"worker\"");
	ck_assert_ptr_null(strstr(perfkit_last_error(), "incomplete"));
	/* Up to the last newline, the file is fine. */
	ck_assert_int_eq(pk_results_parse_jsonl(data, (size_t)(last - data), &back), 0);
	ck_assert_uint_eq(perfkit_results_count(back), 3);
	perfkit_results_destroy(back);
	free(data);
	perfkit_results_destroy(res);
}
END_TEST

/* ---- streams ---- */

/* A fresh path under /tmp (the tests remove what they make). */
static char *temp_path(const char *name)
{
	static int seq;
	char *path;

	ck_assert_int_ge(asprintf(&path, "/tmp/pk-json-%ld-%d-%s",
				  (long)getpid(), seq++, name), 0);
	unlink(path);
	return path;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return data;
}

static void append_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "ab");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_stream_write_and_read_back)
{
	struct perfkit_results *res, *back;
	struct perfkit_results_stream *s;
	struct perfkit_record rec[3];
	char *path = temp_path("run.jsonl"), *data;
	const char *v;
	size_t len;
	struct stat st;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "run", "7"), 0);
	ck_assert_int_eq(perfkit_results_stream_open(path, res, &s), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	{
		mode_t mask = umask(0);

		umask(mask);
		ck_assert_uint_eq(st.st_mode & 0777, 0644 & ~mask);
	}
	for (int i = 0; i < 3; i++) {
		perfkit_record_init(&rec[i]);
		rec[i].worker = i;
		rec[i].elapsed = 0.1 * (i + 1);
		ck_assert_int_eq(perfkit_record_set_name(&rec[i], "w\"\n"), 0);
		ck_assert_int_eq(perfkit_results_stream_write(s, &rec[i]), 0);
	}
	/* Read while the stream is still open: all three are there. */
	data = slurp(path, &len);
	ck_assert_int_eq(pk_results_parse_jsonl(data, len, &back), 0);
	ck_assert_uint_eq(perfkit_results_count(back), 3);
	ck_assert(perfkit_results_epoch_ns(back) == perfkit_results_epoch_ns(res));
	ck_assert_int_eq(perfkit_results_meta_get(back, "run", &v), 0);
	ck_assert_str_eq(v, "7");
	for (size_t i = 0; i < 3; i++) {
		const struct perfkit_record *r;

		ck_assert_int_eq(perfkit_results_get(back, i, &r), 0);
		same_record(&rec[i], r, i);
	}
	perfkit_results_destroy(back);
	free(data);
	/* A crash mid-line: half a record at the end. */
	append_text(path, "{\"name\":\"half\",\"worker\":");
	data = slurp(path, &len);
	bad_n(data, len, JSONL, "line 5", "incomplete", "3 records", NULL);
	free(data);
	ck_assert_int_eq(perfkit_results_stream_close(s), 0);
	unlink(path);
	free(path);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_stream_writes_existing_records)
{
	struct perfkit_results *res = adversarial_set(), *back;
	struct perfkit_results_stream *s;
	char *path = temp_path("set.jsonl"), *data, *ref;
	size_t len;

	/* Over an existing file: truncated. */
	append_text(path, "old junk that must go\n");
	ck_assert_int_eq(perfkit_results_stream_open(path, res, &s), 0);
	ck_assert_int_eq(perfkit_results_stream_close(s), 0);
	data = slurp(path, &len);
	ck_assert_int_eq(pk_results_format_jsonl(res, &ref, NULL), 0);
	ck_assert_str_eq(data, ref);
	ck_assert_int_eq(pk_results_parse_jsonl(data, len, &back), 0);
	same_set(res, back, 1);
	perfkit_results_destroy(back);
	free(ref);
	free(data);
	/* No set: an empty header with a current epoch. */
	ck_assert_int_eq(perfkit_results_stream_open(path, NULL, &s), 0);
	ck_assert_int_eq(perfkit_results_stream_close(s), 0);
	data = slurp(path, &len);
	ck_assert_int_eq(pk_results_parse_jsonl(data, len, &back), 0);
	ck_assert_uint_eq(perfkit_results_count(back), 0);
	ck_assert_uint_eq(perfkit_results_meta_count(back), 0);
	ck_assert(perfkit_results_epoch_ns(back) >= perfkit_results_epoch_ns(res));
	perfkit_results_destroy(back);
	free(data);
	unlink(path);
	free(path);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_stream_unwritable)
{
	struct perfkit_results_stream *s = (struct perfkit_results_stream *)&s;
	static const char *const paths[] = {
		"/nonexistent-pk-dir/run.jsonl", "/proc/version", "/tmp",
		"/dev/full",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ck_assert_int_eq(perfkit_results_stream_open(paths[i], NULL, &s),
				 -EIO);
		ck_assert_msg(strstr(perfkit_last_error(), paths[i]), "%s",
			      perfkit_last_error());
		ck_assert_ptr_eq(s, (struct perfkit_results_stream *)&s);
	}
	/* /dev/full took the header's failure and is still there. */
	ck_assert_int_eq(access("/dev/full", F_OK), 0);
}
END_TEST

/* A write that fails half-way is cut back to the last whole line. */
START_TEST(test_stream_write_failure_keeps_file_whole)
{
	struct perfkit_results_stream *s;
	struct perfkit_results *back;
	struct perfkit_record rec;
	struct rlimit old, lim;
	char *path = temp_path("full.jsonl"), *data;
	size_t len;
	struct stat st;
	int rc;

	perfkit_record_init(&rec);
	ck_assert_int_eq(perfkit_results_stream_open(path, NULL, &s), 0);
	ck_assert_int_eq(perfkit_results_stream_write(s, &rec), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	/* Room for a little more than half a record. */
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)st.st_size + 100;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = perfkit_results_stream_write(s, &rec);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_int_eq(rc, -EIO);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), path));
	/* Usable after the failure, and the file holds whole lines only. */
	ck_assert_int_eq(perfkit_results_stream_write(s, &rec), 0);
	ck_assert_int_eq(perfkit_results_stream_close(s), 0);
	data = slurp(path, &len);
	ck_assert_int_eq(pk_results_parse_jsonl(data, len, &back), 0);
	ck_assert_uint_eq(perfkit_results_count(back), 2);
	perfkit_results_destroy(back);
	free(data);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_stream_bad_records)
{
	struct perfkit_results_stream *s;
	struct perfkit_record rec;
	char *path = temp_path("bad.jsonl"), *data;
	struct perfkit_results *back;
	size_t len;

	ck_assert_int_eq(perfkit_results_stream_open(path, NULL, &s), 0);
	perfkit_record_init(&rec);
	rec.version = 0;
	ck_assert_int_eq(perfkit_results_stream_write(s, &rec), -EINVAL);
	ck_assert_str_ne(perfkit_last_error(), "");
	perfkit_record_init(&rec);
	rec.nparams = PERFKIT_RECORD_PARAMS_MAX + 1;
	ck_assert_int_eq(perfkit_results_stream_write(s, &rec), -EINVAL);
	perfkit_record_init(&rec);
	memset(rec.name, 'x', sizeof(rec.name));
	ck_assert_int_eq(perfkit_results_stream_write(s, &rec), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "name"));
	perfkit_record_init(&rec);
	rec.nparams = 1;
	strcpy(rec.params[0].key, "flops");
	ck_assert_int_eq(perfkit_results_stream_write(s, &rec), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "flops"));
	/* An older, shorter record: the rest keeps the defaults. */
	perfkit_record_init(&rec);
	rec.worker = 5;
	rec.size = (uint32_t)offsetof(struct perfkit_record, t_submit);
	rec.flops = 99;
	ck_assert_int_eq(perfkit_results_stream_write(s, &rec), 0);
	ck_assert_int_eq(perfkit_results_stream_close(s), 0);
	data = slurp(path, &len);
	ck_assert_int_eq(pk_results_parse_jsonl(data, len, &back), 0);
	ck_assert_uint_eq(perfkit_results_count(back), 1);
	{
		const struct perfkit_record *r;

		ck_assert_int_eq(perfkit_results_get(back, 0, &r), 0);
		ck_assert_int_eq(r->worker, 5);
		ck_assert(r->flops == 0);
	}
	perfkit_results_destroy(back);
	free(data);
	unlink(path);
	free(path);
}
END_TEST

/* ---- NULL arguments ---- */

START_TEST(test_null_arguments)
{
	struct perfkit_results *res, *out = NULL;
	struct perfkit_results_stream *s;
	struct perfkit_record rec;
	char *data;
	size_t len;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	perfkit_record_init(&rec);
	for (int f = JSON; f <= JSONL; f++) {
		ck_assert_int_eq(format(NULL, (enum fmt)f, &data, &len), -EINVAL);
		ck_assert_str_ne(perfkit_last_error(), "");
		ck_assert_int_eq(format(res, (enum fmt)f, NULL, &len), -EINVAL);
		ck_assert_int_eq(format(res, (enum fmt)f, &data, NULL), 0);
		ck_assert_int_eq(parse(NULL, 3, (enum fmt)f, &out), -EINVAL);
		ck_assert_int_eq(parse(data, strlen(data), (enum fmt)f, NULL), -EINVAL);
		free(data);
	}
	ck_assert_int_eq(perfkit_results_stream_open(NULL, res, &s), -EINVAL);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "path"));
	ck_assert_int_eq(perfkit_results_stream_open("/tmp/x.jsonl", res, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_results_stream_write(NULL, &rec), -EINVAL);
	ck_assert_int_eq(perfkit_results_stream_close(NULL), 0);
	{
		char *path = temp_path("null.jsonl");

		ck_assert_int_eq(perfkit_results_stream_open(path, NULL, &s), 0);
		ck_assert_int_eq(perfkit_results_stream_write(s, NULL), -EINVAL);
		ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "record"));
		ck_assert_int_eq(perfkit_results_stream_close(s), 0);
		unlink(path);
		free(path);
	}
	perfkit_results_destroy(res);
}
END_TEST

static Suite *results_json_suite(void)
{
	Suite *s = suite_create("results-json");
	TCase *trip = tcase_create("round-trip");
	TCase *badc = tcase_create("malformed");
	TCase *stream = tcase_create("stream");

	tcase_add_test(trip, test_json_round_trip);
	tcase_add_test(trip, test_jsonl_round_trip);
	tcase_add_test(trip, test_json_and_jsonl_agree);
	tcase_add_test(trip, test_empty_set);
	tcase_add_test(trip, test_random_doubles_round_trip);
	tcase_add_test(trip, test_number_forms);
	tcase_add_test(trip, test_any_member_order);
	tcase_add_test(trip, test_hand_written_numbers);
	tcase_add_test(trip, test_machine_nesting);
	tcase_add_test(trip, test_machine_awkward_keys);
	tcase_add_test(trip, test_machine_hand_written);
	tcase_add_test(trip, test_unknown_keys_kept);
	tcase_add_test(trip, test_invalid_utf8_written_as_json);
	tcase_add_test(trip, test_every_byte_in_names);
	suite_add_tcase(s, trip);
	tcase_add_test(badc, test_json_wrong_types);
	tcase_add_test(badc, test_json_bad_documents);
	tcase_add_test(badc, test_binary_garbage);
	tcase_add_test(badc, test_jsonl_bad_lines);
	tcase_add_test(badc, test_jsonl_blank_lines_and_crlf);
	tcase_add_test(badc, test_jsonl_truncated_last_line);
	tcase_add_test(badc, test_null_arguments);
	suite_add_tcase(s, badc);
	tcase_add_test(stream, test_stream_write_and_read_back);
	tcase_add_test(stream, test_stream_writes_existing_records);
	tcase_add_test(stream, test_stream_unwritable);
	tcase_add_test(stream, test_stream_write_failure_keeps_file_whole);
	tcase_add_test(stream, test_stream_bad_records);
	suite_add_tcase(s, stream);
	return s;
}

PK_CHECK_MAIN(results_json_suite)
