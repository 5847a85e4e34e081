/* SPDX-License-Identifier: MIT */
/* The CSV format of result sets: exact round trips, the reader's leniency
 * where the format allows it, and an error with line and column for every
 * kind of malformed input. */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "results-csv.h"
#include "results-format.h"

/* Random-value sweeps: a tenth as many under valgrind, which adds
 * nothing to these pure computations but time. */
static int sweep(int n)
{
	return RUNNING_ON_VALGRIND ? n / 10 : n;
}

/* ---- helpers ---- */

static struct perfkit_results *new_set(void)
{
	struct perfkit_results *res = NULL;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	return res;
}

static void append(struct perfkit_results *res, const struct perfkit_record *r)
{
	ck_assert_int_eq(perfkit_results_append(res, r), 0);
}

static char *format(const struct perfkit_results *res, size_t *len)
{
	char *text = NULL;
	size_t n = 0;

	ck_assert_int_eq(pk_results_format_csv(res, &text, &n), 0);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(strlen(text), n);
	if (len)
		*len = n;
	return text;
}

static struct perfkit_results *parse_ok(const char *text, size_t len)
{
	struct perfkit_results *res = NULL;
	int rc = pk_results_parse_csv(text, len, &res);

	ck_assert_msg(rc == 0, "parse failed (%d): %s", rc,
		      perfkit_last_error());
	ck_assert_ptr_nonnull(res);
	return res;
}

static struct perfkit_results *parse_str(const char *text)
{
	return parse_ok(text, strlen(text));
}

/* Parse must fail with -EBADMSG and a message holding each of @want. */
static void parse_bad_n(const char *text, size_t len, const char *want1,
			const char *want2)
{
	struct perfkit_results *res = (void *)1;
	int rc = pk_results_parse_csv(text, len, &res);
	const char *msg = perfkit_last_error();

	ck_assert_msg(rc == -EBADMSG, "rc %d (%s) for input '%.60s'", rc, msg,
		      text);
	ck_assert_ptr_null(res);
	ck_assert_msg(strstr(msg, want1), "message '%s' lacks '%s'", msg, want1);
	if (want2)
		ck_assert_msg(strstr(msg, want2), "message '%s' lacks '%s'", msg,
			      want2);
}

static void parse_bad(const char *text, const char *want1, const char *want2)
{
	parse_bad_n(text, strlen(text), want1, want2);
}

static void same_bits(double a, double b, const char *what, size_t i)
{
	ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0,
		      "record %zu %s: %.17g read back as %.17g", i, what, a, b);
}

/* Every field bitwise, every parameter, every extra column. */
static void same_record(const struct perfkit_results *a,
			const struct perfkit_results *b, size_t i)
{
	const struct perfkit_record *x, *y;

	ck_assert_int_eq(perfkit_results_get(a, i, &x), 0);
	ck_assert_int_eq(perfkit_results_get(b, i, &y), 0);
	ck_assert_str_eq(x->name, y->name);
	ck_assert_str_eq(x->host, y->host);
	ck_assert_int_eq(x->worker, y->worker);
	ck_assert_int_eq(x->rank, y->rank);
	ck_assert_int_eq(x->cpu, y->cpu);
	ck_assert_int_eq(x->status, y->status);
	same_bits(x->t_submit, y->t_submit, "t_submit", i);
	same_bits(x->t_start, y->t_start, "t_start", i);
	same_bits(x->t_setup, y->t_setup, "t_setup", i);
	same_bits(x->t_end, y->t_end, "t_end", i);
	same_bits(x->t_collected, y->t_collected, "t_collected", i);
	ck_assert(x->repetitions == y->repetitions);
	ck_assert(x->problem_size == y->problem_size);
	same_bits(x->flops, y->flops, "flops", i);
	same_bits(x->bytes, y->bytes, "bytes", i);
	same_bits(x->items, y->items, "items", i);
	same_bits(x->elapsed, y->elapsed, "elapsed", i);
	ck_assert_uint_eq(x->nparams, y->nparams);
	for (uint32_t j = 0; j < x->nparams; j++) {
		const char *v;

		ck_assert_int_eq(perfkit_record_get_param(y, x->params[j].key, &v), 0);
		ck_assert_str_eq(v, x->params[j].value);
	}
	ck_assert_uint_eq(perfkit_results_extra_count(a, i),
			  perfkit_results_extra_count(b, i));
	for (size_t j = 0; j < perfkit_results_extra_count(a, i); j++) {
		const char *k1, *v1, *k2, *v2;

		ck_assert_int_eq(perfkit_results_extra_get(a, i, j, &k1, &v1), 0);
		ck_assert_int_eq(perfkit_results_extra_get(b, i, j, &k2, &v2), 0);
		ck_assert_str_eq(k1, k2);
		ck_assert_str_eq(v1, v2);
	}
}

static void same_set(const struct perfkit_results *a,
		     const struct perfkit_results *b)
{
	ck_assert(perfkit_results_epoch_ns(a) == perfkit_results_epoch_ns(b));
	ck_assert_uint_eq(perfkit_results_meta_count(a),
			  perfkit_results_meta_count(b));
	for (size_t i = 0; i < perfkit_results_meta_count(a); i++) {
		const char *k1, *v1, *k2, *v2;

		ck_assert_int_eq(perfkit_results_meta_at(a, i, &k1, &v1), 0);
		ck_assert_int_eq(perfkit_results_meta_at(b, i, &k2, &v2), 0);
		ck_assert_str_eq(k1, k2);
		ck_assert_str_eq(v1, v2);
	}
	ck_assert_uint_eq(perfkit_results_count(a), perfkit_results_count(b));
	for (size_t i = 0; i < perfkit_results_count(a); i++)
		same_record(a, b, i);
}

/* Format, parse, compare; then the second text must equal the first. */
static void round_trip(const struct perfkit_results *res)
{
	size_t n1, n2;
	char *t1 = format(res, &n1), *t2;
	struct perfkit_results *back = parse_ok(t1, n1);

	same_set(res, back);
	t2 = format(back, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(memcmp(t1, t2, n1) == 0);
	free(t1);
	free(t2);
	perfkit_results_destroy(back);
}

/* ---- round trips ---- */

static const char *const awkward_text[] = {
	"plain", "with,comma", "with \"quotes\"", "line\nbreak",
	"cr\r\nlf", "lone\rcr", "#hash first", "naïve – ünïcödé ✓",
	" spaces ", "\"", ",", "=%=%25", "trailing\n",
};
enum { NAWKWARD = sizeof(awkward_text) / sizeof(awkward_text[0]) };

START_TEST(test_round_trip_adversarial_values)
{
	static const double doubles[] = {
		NAN, INFINITY, -INFINITY, -0.0, 0.0, 1e-300, DBL_MIN / 2,
		DBL_MIN, DBL_MAX, -DBL_MAX, 4.9406564584124654e-324, 0.1,
		1.0 / 3.0, 1732000000.123456789, 9007199254740993.0,
		9007199254740992.0, -9007199254740992.0, 1e16, 1e17, 123456789.0,
		2.5e-9, 6.02214076e23, -1.5, 5e-324,
	};
	enum { ND = sizeof(doubles) / sizeof(doubles[0]) };
	struct perfkit_results *res = new_set();
	struct perfkit_record r;

	ck_assert_int_eq(perfkit_results_set_epoch_ns(res, INT64_MAX), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "a=b%c", "x=y%z\r\n#"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "#key", "=%0A"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "machine.cpu", "Zen 2, \"x\""), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "empty", ""), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "schema", "mine"), 0);
	for (size_t i = 0; i < ND + NAWKWARD; i++) {
		double d = doubles[i % ND];

		perfkit_record_init(&r);
		ck_assert_int_eq(perfkit_record_set_name(&r, awkward_text[i % NAWKWARD]), 0);
		ck_assert_int_eq(perfkit_record_set_host(&r, awkward_text[(i + 3) % NAWKWARD]), 0);
		r.worker = i % 3 ? INT32_MIN : INT32_MAX;
		r.rank = -1;
		r.cpu = (int32_t)i;
		r.status = i % 2 ? -EIO : 0;
		r.t_submit = d;
		r.t_start = doubles[(i + 1) % ND];
		r.t_setup = doubles[(i + 2) % ND];
		r.t_end = doubles[(i + 3) % ND];
		r.t_collected = doubles[(i + 4) % ND];
		r.repetitions = i % 2 ? UINT64_MAX : 0;
		r.problem_size = i % 2 ? INT64_MIN : INT64_MAX;
		r.flops = doubles[(i + 5) % ND];
		r.bytes = doubles[(i + 6) % ND];
		r.items = doubles[(i + 7) % ND];
		r.elapsed = fabs(doubles[(i + 8) % ND]); /* no sign */
		if (i % 4 != 3)
			ck_assert_int_eq(perfkit_record_set_param(&r, "p,1", awkward_text[i % NAWKWARD]), 0);
		if (i % 5 == 0) {
			ck_assert_int_eq(perfkit_record_set_param(&r, "threads", "8"), 0);
			ck_assert_int_eq(perfkit_record_set_param(&r, "a\"b", "\"\""), 0);
			ck_assert_int_eq(perfkit_record_set_param(&r, "nl\nkey", "v"), 0);
		}
		append(res, &r);
		if (i % 3 == 0)
			ck_assert_int_eq(perfkit_results_extra_set(res, i, "note", awkward_text[(i + 5) % NAWKWARD]), 0);
		if (i % 7 == 1)
			ck_assert_int_eq(perfkit_results_extra_set(res, i, "x,y\n", "1"), 0);
	}
	round_trip(res);
	perfkit_results_destroy(res);
}
END_TEST

/* Random bit patterns: every double, not just friendly ones. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double random_double(uint64_t *s)
{
	uint64_t bits = next_rand(s);
	double d;

	/* Keep NaNs to the one the format writes. */
	memcpy(&d, &bits, sizeof(d));
	return isnan(d) ? NAN : d;
}

START_TEST(test_round_trip_random_records)
{
	struct perfkit_results *res = new_set();
	struct perfkit_record r;
	uint64_t s = 0x9e3779b97f4a7c15u;

	for (int i = 0; i < 2000; i++) {
		perfkit_record_init(&r);
		snprintf(r.name, sizeof(r.name), "k%d", i % 17);
		r.worker = (int32_t)next_rand(&s);
		r.rank = (int32_t)next_rand(&s);
		r.cpu = i;
		r.t_submit = random_double(&s);
		r.t_start = 1732000000.0 + (double)(next_rand(&s) % 1000000) / 7.0;
		r.t_setup = random_double(&s);
		r.t_end = (double)(next_rand(&s) % 100000) * 1e-9;
		r.t_collected = random_double(&s);
		r.repetitions = next_rand(&s);
		r.problem_size = (int64_t)next_rand(&s);
		r.flops = (double)(next_rand(&s) >> 11);
		r.bytes = -(double)(next_rand(&s) >> 20);
		r.items = random_double(&s);
		r.elapsed = fabs(random_double(&s));
		append(res, &r);
	}
	round_trip(res);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_round_trip_empty_set)
{
	struct perfkit_results *res = new_set(), *back;
	char *text = format(res, NULL);

	/* Metadata and the header; no rows. */
	ck_assert_ptr_nonnull(strstr(text, "\nname,host,worker,"));
	ck_assert_ptr_nonnull(strstr(text, ",elapsed\n"));
	back = parse_str(text);
	ck_assert_uint_eq(perfkit_results_count(back), 0);
	same_set(res, back);
	free(text);
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
}
END_TEST

/* The exact text: what docs/results.md describes. */
START_TEST(test_format_exact_text)
{
	static const char want[] =
		"# schema=perfkit-results\n"
		"# schema_version=1\n"
		"# epoch_ns=1700000000123456789\n"
		"# date=2023-11-14T22:13:20Z\n"
		"# odd%3Dkey=50%25%0Aline\n"
		"name,host,worker,rank,cpu,status,t_submit,t_start,t_setup,"
		"t_end,t_collected,repetitions,problem_size,flops,bytes,items,"
		"elapsed,param.threads,\"param.a,b\",note\n"
		"\"tri,ad\",node1,0,-1,3,0,nan,0.5,-0,inf,-inf,10,4096,2000000000,"
		"1e+17,0.10000000000000001,0.25,8,,\"say \"\"hi\"\"\"\n"
		"x,,1,-1,-1,-5,nan,nan,nan,nan,nan,0,0,0,0,0,0,,\"1\n2\",\n";
	struct perfkit_results *res = parse_str(want);
	char *text = format(res, NULL);

	ck_assert_str_eq(text, want);
	free(text);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_format_built_record)
{
	struct perfkit_results *res = NULL;
	struct perfkit_record r;
	char *text;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_results_set_epoch_ns(res, 42), 0);
	perfkit_record_init(&r);
	perfkit_record_set_name(&r, "dgemm");
	r.worker = 1;
	r.elapsed = 1.5;
	r.flops = 2e9;
	append(res, &r);
	text = format(res, NULL);
	ck_assert_ptr_eq(strstr(text, "# schema=perfkit-results\n"
				      "# schema_version=1\n# epoch_ns=42\n# date="),
			 text);
	ck_assert_ptr_nonnull(strstr(text, "\n# perfkit.version="));
	ck_assert_ptr_nonnull(strstr(text, "\ndgemm,,1,-1,-1,0,nan,nan,nan,nan,"
					   "nan,0,0,2000000000,0,0,1.5\n"));
	free(text);
	perfkit_results_destroy(res);
}
END_TEST

/* ---- what the reader accepts ---- */

START_TEST(test_read_columns_any_order_and_defaults)
{
	struct perfkit_results *res = parse_str(
		"elapsed,name,param.n,flops\r\n"
		"0.5,a,64,1e9\r\n"
		"\r\n"
		",b,,\r\n");
	const struct perfkit_record *r;
	const char *v;

	ck_assert_uint_eq(perfkit_results_count(res), 2);
	ck_assert(perfkit_results_epoch_ns(res) == 0);
	ck_assert_uint_eq(perfkit_results_meta_count(res), 0);
	ck_assert_int_eq(perfkit_results_get(res, 0, &r), 0);
	ck_assert_str_eq(r->name, "a");
	ck_assert(r->elapsed == 0.5 && r->flops == 1e9);
	ck_assert_int_eq(r->worker, -1);
	ck_assert(isnan(r->t_start));
	ck_assert_int_eq(perfkit_record_get_param(r, "n", &v), 0);
	ck_assert_str_eq(v, "64");
	/* Empty cells: the defaults, no parameter. */
	ck_assert_int_eq(perfkit_results_get(res, 1, &r), 0);
	ck_assert_str_eq(r->name, "b");
	ck_assert(r->elapsed == 0 && r->flops == 0);
	ck_assert_uint_eq(r->nparams, 0);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_read_unknown_columns_kept)
{
	struct perfkit_results *res = parse_str(
		"\xef\xbb\xbf# comment without an equals sign\n"
		"#epoch_ns=5\n"
		"gpu,name,\"comment, long\"\n"
		"A100,x,\"he said \"\"no\"\"\"\n"
		",y,\n");
	const char *k, *v;
	char *text;

	ck_assert(perfkit_results_epoch_ns(res) == 5);
	ck_assert_uint_eq(perfkit_results_extra_count(res, 0), 2);
	ck_assert_int_eq(perfkit_results_extra_get(res, 0, 0, &k, &v), 0);
	ck_assert_str_eq(k, "gpu");
	ck_assert_str_eq(v, "A100");
	ck_assert_int_eq(perfkit_results_extra_get(res, 0, 1, &k, &v), 0);
	ck_assert_str_eq(k, "comment, long");
	ck_assert_str_eq(v, "he said \"no\"");
	ck_assert_uint_eq(perfkit_results_extra_count(res, 1), 0);
	/* ... and written back after the known columns. */
	text = format(res, NULL);
	ck_assert_ptr_nonnull(strstr(text, ",elapsed,gpu,\"comment, long\"\n"
					   "x,,-1,"));
	ck_assert_ptr_nonnull(strstr(text, ",A100,\"he said \"\"no\"\"\"\ny,"));
	free(text);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_read_long_lines)
{
	/* A 2 MiB extra value and a 1.5 MiB line of many columns. */
	size_t big = 2u << 20, cols = 150000, len = 0;
	char *text = malloc(big + cols * 12 + 64);
	struct perfkit_results *res;
	const char *k, *v;

	if (!text)
		ck_abort_msg("out of memory");
	len += (size_t)sprintf(text, "name,blob\nx,");
	memset(text + len, 'z', big);
	len += big;
	text[len++] = '\n';
	res = parse_ok(text, len);
	ck_assert_int_eq(perfkit_results_extra_get(res, 0, 0, &k, &v), 0);
	ck_assert_uint_eq(strlen(v), big);
	perfkit_results_destroy(res);

	len = (size_t)sprintf(text, "name");
	for (size_t i = 0; i < cols; i++)
		len += (size_t)sprintf(text + len, ",c%zu", i);
	text[len++] = '\n';
	text[len++] = 'n';
	for (size_t i = 0; i < cols; i++)
		text[len++] = ',';
	text[len++] = '\n';
	ck_assert_uint_gt(len, 1u << 20);
	res = parse_ok(text, len);
	ck_assert_uint_eq(perfkit_results_count(res), 1);
	ck_assert_uint_eq(perfkit_results_extra_count(res, 0), 0);
	perfkit_results_destroy(res);
	free(text);
}
END_TEST

/* Rows of many extra columns, each value its column's number. */
static char *many_extras(size_t cols, size_t rows, size_t *len)
{
	char *text = malloc((rows + 1) * (cols * 12 + 16));
	size_t n;

	if (!text)
		return NULL;
	n = (size_t)sprintf(text, "name");
	for (size_t i = 0; i < cols; i++)
		n += (size_t)sprintf(text + n, ",x%zu", i);
	for (size_t r = 0; r < rows; r++) {
		n += (size_t)sprintf(text + n, "\nr%zu", r);
		for (size_t i = 0; i < cols; i++)
			n += (size_t)sprintf(text + n, ",%zu", i);
	}
	text[n++] = '\n';
	*len = n;
	return text;
}

enum { MANY_COLS = 80000, MANY_ROWS = 4 };

static int read_many_extras(void *unused)
{
	struct perfkit_results *res = NULL;
	char key[32], value[32], want[32];
	size_t len;
	char *text = many_extras(MANY_COLS, MANY_ROWS, &len);
	int rc = text ? perfkit_results_parse(text, len, PERFKIT_FORMAT_CSV,
					      &res) : -ENOMEM;

	(void)unused;
	/* Every key of every record found by name. */
	for (size_t r = 0; rc == 0 && r < MANY_ROWS; r++) {
		if (perfkit_results_extra_count(res, r) != MANY_COLS)
			rc = -EPROTO;
		for (size_t i = 0; rc == 0 && i < MANY_COLS; i++) {
			snprintf(key, sizeof(key), "x%zu", i);
			snprintf(want, sizeof(want), "%zu", i);
			rc = perfkit_results_value(res, r, key, value,
						   sizeof(value));
			if (rc == 0 && strcmp(value, want) != 0)
				rc = -EPROTO;
		}
	}
	/* Setting an existing key replaces it, found by name as well. */
	for (size_t i = 0; rc == 0 && i < MANY_COLS; i++) {
		snprintf(key, sizeof(key), "x%zu", i);
		rc = perfkit_results_extra_set(res, 0, key, "v");
	}
	if (rc == 0 && perfkit_results_extra_count(res, 0) != MANY_COLS)
		rc = -EPROTO;
	perfkit_results_destroy(res);
	free(text);
	return rc;
}

/* Extra columns are found by a hash, not a linear search: 80k columns in
 * 4 rows took minutes when each lookup walked the record's list. No
 * timing is asserted but a generous bound against a hang. */
START_TEST(test_read_many_extra_columns)
{
	struct pk_outcome o = pk_run_within(60, read_many_extras, NULL);

	ck_assert_msg(o.rc == 0, "rc %d: %s", o.rc, o.msg);
}
END_TEST

START_TEST(test_read_only_header_is_empty_set)
{
	struct perfkit_results *res = parse_str("# schema=perfkit-results\n"
						"name,flops");

	ck_assert_uint_eq(perfkit_results_count(res), 0);
	perfkit_results_destroy(res);
}
END_TEST

/* ---- malformed input: -EBADMSG, line and column ---- */

START_TEST(test_bad_structure)
{
	parse_bad("", "line 1, column 1: empty input", NULL);
	parse_bad("# schema=perfkit-results\n# schema_version=1\n\n",
		  "line 4, column 1", "no header row");
	parse_bad("# a=b\n# c=d", "line 3, column 1", "no header row");
	/* Missing header: the first row is data. */
	parse_bad("triad,node1,0,1.5\ncopy,node1,1,2.5\n", "line 1, column 1",
		  "no perfkit columns");
	parse_bad("name,flops\nx,1\ny,2,3\n", "line 3, column 3",
		  "more cells than the header's 2");
	parse_bad("name,flops,bytes\nx,1,2\ny,2\n", "line 3, column 3",
		  "2 cells, the header 3");
	parse_bad("name,flops\n\"a\nb\nc\",1\nd\n", "line 5, column 2",
		  "1 cells, the header 2");
	parse_bad("name,flops\nx,1\n\"unterminated,2\nmore\n",
		  "line 3, column 1", "unterminated quoted cell");
	parse_bad("name,flops\nx,\"1\n2", "line 2, column 2", "unterminated");
	parse_bad("name,flops\n\"x\"y,1\n", "line 2, column 1",
		  "text after the closing quote");
	parse_bad("name,flops\nx\"y,1\n", "line 2, column 1",
		  "quote inside an unquoted cell");
	parse_bad("name,flops\nx\ry,1\n", "line 2, column 1",
		  "carriage return");
	parse_bad("name,,flops\n", "line 1, column 2", "empty column name");
	parse_bad("name,flops,name\n", "line 1, column 3",
		  "column 'name' appears twice (first as column 1)");
	parse_bad("name,params\n", "line 1, column 2", "reserved");
}
END_TEST

START_TEST(test_bad_metadata)
{
	parse_bad("# schema=perfkit-results\n# schema_version=2\nname\n",
		  "line 2, column 1", "schema \"perfkit-results\" version 2 is not supported");
	parse_bad("# schema_version=x\nname\n", "line 1, column 1",
		  "schema_version 'x'");
	parse_bad("# schema=other\nname\n", "line 1, column 1",
		  "schema 'other'");
	parse_bad("# epoch_ns=-5\nname\n", "line 1, column 1", "epoch_ns");
	parse_bad("# a=1\n# k=50%\nname\n", "line 2, column 1",
		  "bad percent escape");
	parse_bad("# k=%00\nname\n", "line 1, column 1", "bad percent escape");
	parse_bad("# =v\nname\n", "line 1, column 1", "empty metadata key");
}
END_TEST

START_TEST(test_bad_cells)
{
	parse_bad("name,flops\nx,1\ny,fast\n",
		  "line 3, column 2 (field 'flops'): expected a number, got "
		  "'fast'", NULL);
	parse_bad("name,worker\nx,1.5\n",
		  "line 2, column 2 (field 'worker'): expected an integer", NULL);
	parse_bad("name,worker\nx,2147483648\n",
		  "line 2, column 2 (field 'worker')", "out of the field's range");
	parse_bad("name,repetitions\nx,-1\n",
		  "line 2, column 2 (field 'repetitions')", "non-negative");
	parse_bad("flops,name\n1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "aaaaaaaaaaaaaaaaaaaaaa\n",
		  "line 2, column 2 (field 'name'): text too long (68 bytes", NULL);
	/* A long bad value is cut in the message. */
	parse_bad("name,elapsed\n\"a\nb\",0.25xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxx\n", "line 3, column 2 (field 'elapsed')",
		  "got '0.25xxxxxxxxxxxxxxxxxxxxxxxxxxxx...'");
	parse_bad("name,flops\nx, 1\n", "line 2, column 2 (field 'flops')",
		  "got ' 1'");
}
END_TEST

START_TEST(test_bad_params)
{
	parse_bad("name,param.a,param.b,param.c,param.d,param.e\n"
		  "x,1,2,3,4,\ny,1,2,3,4,5\n",
		  "line 3, column 6 (parameter 'e')", "more than 4 parameters");
	parse_bad("name,param.a\nx,0123456789012345678901234567890123456789\n",
		  "line 2, column 2 (parameter 'a')", "too long (40 bytes");
	parse_bad("name,param.abcdefghijklmnopqrstuvwxyz\n", "line 1, column 2",
		  "parameter key 'abcdefghijklmnopqrstuvwxyz' too long (26 bytes");
	parse_bad("name,param.\n", "line 1, column 2", "empty parameter key");
	parse_bad("name,param.flops\n", "line 1, column 2", "names a record field");
}
END_TEST

START_TEST(test_bad_nul_and_garbage)
{
	static const char nul_cell[] = "name,flops\nx,1\0\n";
	static const char nul_quoted[] = "name,flops\n\"a\nb\0\",1\n";
	static const char nul_meta[] = "# a=b\0\nname\n";
	unsigned char garbage[4096];
	uint64_t s = 7;

	parse_bad_n(nul_cell, sizeof(nul_cell) - 1, "line 2, column 2", "NUL");
	parse_bad_n(nul_quoted, sizeof(nul_quoted) - 1, "line 3, column 1",
		    "NUL byte");
	parse_bad_n(nul_meta, sizeof(nul_meta) - 1, "line 1, column 1", "NUL");
	parse_bad_n("name\nx\0", 7, "line 2, column 1", "NUL");
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (unsigned char)next_rand(&s);
	parse_bad_n((const char *)garbage, sizeof(garbage), "line ", "column ");
}
END_TEST

START_TEST(test_bad_ten_megabyte_lines)
{
	size_t n = 10u << 20;
	char *text = malloc(n + 16);
	struct perfkit_results *res = (void *)1;

	if (!text)
		ck_abort_msg("out of memory");
	/* One unquoted cell: no perfkit columns. */
	memset(text, 'x', n);
	parse_bad_n(text, n, "line 1, column 1", "no perfkit columns");
	/* Ten million empty column names: stopped at the column limit. */
	memset(text, ',', n);
	parse_bad_n(text, n, "line 1, column 1048577", "more than 1048576 columns");
	/* An open quote never closed. */
	text[0] = '"';
	memset(text + 1, 'q', n - 1);
	parse_bad_n(text, n, "line 1, column 1", "unterminated");
	/* A header, then a 10 MB row of cells. */
	memcpy(text, "name,flops\n", 11);
	memset(text + 11, ',', n - 11);
	parse_bad_n(text, n, "line 2, column 3", "more cells");
	/* Doubled quotes all the way. */
	memcpy(text, "name\n\"", 6);
	memset(text + 6, '"', n - 6);
	ck_assert_int_eq(pk_results_parse_csv(text, n, &res), -EBADMSG);
	ck_assert_ptr_null(res);
	free(text);
}
END_TEST

START_TEST(test_null_arguments)
{
	struct perfkit_results *res = new_set();
	char *text;
	size_t len;

	ck_assert_int_eq(pk_results_format_csv(NULL, &text, &len), -EINVAL);
	ck_assert_int_eq(pk_results_format_csv(res, NULL, &len), -EINVAL);
	ck_assert_int_eq(pk_results_parse_csv("name\n", 5, NULL), -EINVAL);
	ck_assert_int_eq(pk_results_parse_csv(NULL, 5, &res), -EINVAL);
	/* No length wanted. */
	ck_assert_int_eq(pk_results_format_csv(res, &text, NULL), 0);
	free(text);
	perfkit_results_destroy(res);
}
END_TEST

/* ---- files, through the public file layer ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_files_round_trip)
{
	char dir[] = "/tmp/test-results-csv-XXXXXX", path[256], other[256];
	struct perfkit_results *res = new_set(), *back = NULL;
	struct perfkit_record r;
	char *mem = NULL;
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	perfkit_record_init(&r);
	perfkit_record_set_name(&r, "tri\nad, \"x\"");
	r.elapsed = 0.1;
	r.t_end = -0.0;
	perfkit_record_set_param(&r, "n", "1,000");
	append(res, &r);
	ck_assert_int_eq(perfkit_results_extra_set(res, 0, "gpu", "A100"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "note", "a=b\n%"), 0);

	/* By extension, and by explicit format under another name. */
	snprintf(path, sizeof(path), "%s/run.CSV", dir);
	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO), 0);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &back), 0);
	same_set(res, back);
	perfkit_results_destroy(back);
	snprintf(other, sizeof(other), "%s/run.txt", dir);
	ck_assert_int_eq(perfkit_results_write(res, other, PERFKIT_FORMAT_CSV), 0);
	ck_assert_int_eq(perfkit_results_read(other, PERFKIT_FORMAT_CSV, &back), 0);
	same_set(res, back);
	perfkit_results_destroy(back);

	/* The file holds exactly what the in-memory serialiser gives. */
	ck_assert_int_eq(perfkit_results_format(res, PERFKIT_FORMAT_CSV, &mem, &len), 0);
	ck_assert_int_eq(perfkit_results_parse(mem, len, PERFKIT_FORMAT_CSV, &back), 0);
	same_set(res, back);
	perfkit_results_destroy(back);
	{
		FILE *f = fopen(path, "rb");
		char *disk = malloc(len + 2);

		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(disk);
		ck_assert_uint_eq(fread(disk, 1, len + 2, f), len);
		ck_assert(memcmp(disk, mem, len) == 0);
		fclose(f);
		free(disk);
	}
	free(mem);

	/* Malformed and empty files: -EBADMSG naming file, line, column. */
	write_file(path, "name,flops\nx,1\ny,lots\n");
	back = (void *)1;
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &back), -EBADMSG);
	ck_assert_ptr_null(back);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "run.CSV"));
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(),
				     "line 3, column 2 (field 'flops')"));
	write_file(path, "");
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &back), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "line 1, column 1: empty input"));

	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(unlink(other), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	perfkit_results_destroy(res);
}
END_TEST

/* ---- the fast number paths agree with strtod() bit for bit ---- */

static void check_fast(const char *text)
{
	double fast, slow = strtod(text, NULL);

	if (pk_text_to_double(text, strlen(text), &fast) == 0)
		ck_assert_msg(memcmp(&fast, &slow, sizeof(fast)) == 0,
			      "'%s': fast %a, strtod %a", text, fast, slow);
}

START_TEST(test_fast_double_matches_strtod)
{
	static const char *const forms[] = { "%.17g", "%.16g", "%.15g", "%.6e",
					     "%.3f", "%.20e", "%g" };
	uint64_t s = 12345;
	char buf[64];
	int taken = 0;

	for (int i = 0; i < sweep(400000); i++) {
		double d = random_double(&s);

		/* Half of them near the figures of a real run. */
		if (i % 2)
			d = ldexp(1.0 + (double)(next_rand(&s) >> 11) * 0x1p-53,
				  (int)(next_rand(&s) % 160) - 100);
		snprintf(buf, sizeof(buf), forms[i % 7], d);
		check_fast(buf);
		taken += pk_text_to_double(buf, strlen(buf), &d) == 0;
	}
	/* The fast path must actually be taken for most of these. */
	ck_assert_int_gt(taken, sweep(100000));
	/* Random digit strings, some halfway cases among them. */
	for (int i = 0; i < sweep(200000); i++) {
		int n = snprintf(buf, sizeof(buf), "%" PRIu64 "e%d",
				 next_rand(&s) >> (next_rand(&s) % 64),
				 (int)(next_rand(&s) % 200) - 120);
		ck_assert_int_gt(n, 0);
		check_fast(buf);
	}
	check_fast("9007199254740993");
	check_fast("9007199254740993e-5");
	check_fast("0.000000000000000000000000000000000000001");
	check_fast("1e-400");
	check_fast("1e400");
	check_fast("-0");
	check_fast("2.2250738585072011e-308");
	check_fast("2.2250738585072014e-308");
	check_fast("1.7976931348623157e308");
	check_fast("1.7976931348623159e308");
}
END_TEST

static void check_text(double d)
{
	char want[64], got[64];
	int n = pk_double_to_text(d, got, sizeof(got));

	ck_assert_int_eq(pk_double_to_text_libc(d, want, sizeof(want)), (int)strlen(want));
	ck_assert_int_eq(n, (int)strlen(want));
	got[n] = '\0';
	ck_assert_msg(strcmp(got, want) == 0, "%a: '%s', %%.17g gives '%s'", d,
		      got, want);
}

START_TEST(test_fast_text_matches_printf)
{
	static const double edges[] = {
		1e16, 1e17, 1e-5, 1e-4, 0.0001, 0.00001, 123456789012345678.0,
		99999999999999999.0, 9.9999999999999995e-5, 9.9999999999999999e16,
		0.1, 0.5, 1.5, 1e22, 1e23, 1e-48, 1e-49, 1e144, 1e145, 5e-324,
		DBL_MIN, DBL_MAX, -DBL_MAX, 1.0 / 3.0, -2.0 / 3.0, 0.30000000000000004,
		NAN, INFINITY, -INFINITY, -0.0, 0.0, 1.0, 9007199254740993.0,
	};
	uint64_t s = 99;

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		check_text(edges[i]);
	/* Powers of ten and their neighbours: the rounding edges. */
	for (int e = -60; e <= 160; e++) {
		double p = pow(10, e);

		check_text(p);
		check_text(nextafter(p, 0));
		check_text(nextafter(p, INFINITY));
	}
	for (int i = 0; i < sweep(300000); i++) {
		check_text(random_double(&s));
		check_text(ldexp(1.0 + (double)(next_rand(&s) >> 11) * 0x1p-53,
				 (int)(next_rand(&s) % 200) - 120));
	}
}
END_TEST

/*
 * A host program may run under a locale whose decimal point is ','. Build
 * de_DE with localedef into a temporary LOCPATH (Debian's `locales` data)
 * and check that the number text is still '.' and reads back exactly.
 * setlocale(), not newlocale(): glibc's newlocale() leaks its LOCPATH list.
 */
static int use_comma_locale(char *dir)
{
	char cmd[512];

	if (setlocale(LC_NUMERIC, "de_DE.UTF-8"))
		return 1;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
	if (system(cmd) != 0)
		return 0;
	setenv("LOCPATH", dir, 1);
	return setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
}

START_TEST(test_numbers_ignore_comma_locale)
{
	char dir[] = "/tmp/pk-locale-XXXXXX", buf[PK_DOUBLE_TEXT_MAX], cmd[600];
	double v = 0.0;

	ck_assert_msg(use_comma_locale(dir),
		      "no de_DE locale: install Debian's 'locales' package");
	ck_assert_str_eq(localeconv()->decimal_point, ",");
	ck_assert_int_gt(pk_double_to_text(0.1, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0.10000000000000001");
	ck_assert_int_eq(pk_text_to_double("2.5", 3, &v), 0);
	ck_assert(v == 2.5);
	ck_assert_int_eq(pk_text_to_double("2,5", 3, &v), -EBADMSG);
	setlocale(LC_NUMERIC, "C");
	if (strcmp(dir, "/tmp/pk-locale-XXXXXX") != 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

Suite *make_suite(void);

Suite *make_suite(void)
{
	Suite *s = suite_create("results-csv");
	TCase *trip = tcase_create("round-trip");
	TCase *read = tcase_create("read");
	TCase *bad = tcase_create("malformed");
	TCase *num = tcase_create("numbers");

	tcase_add_test(trip, test_round_trip_adversarial_values);
	tcase_add_test(trip, test_round_trip_random_records);
	tcase_add_test(trip, test_round_trip_empty_set);
	tcase_add_test(trip, test_format_exact_text);
	tcase_add_test(trip, test_format_built_record);
	tcase_add_test(read, test_read_columns_any_order_and_defaults);
	tcase_add_test(read, test_read_unknown_columns_kept);
	tcase_add_test(read, test_read_long_lines);
	tcase_add_test(read, test_read_many_extra_columns);
	tcase_add_test(read, test_read_only_header_is_empty_set);
	tcase_add_test(read, test_files_round_trip);
	tcase_add_test(bad, test_bad_structure);
	tcase_add_test(bad, test_bad_metadata);
	tcase_add_test(bad, test_bad_cells);
	tcase_add_test(bad, test_bad_params);
	tcase_add_test(bad, test_bad_nul_and_garbage);
	tcase_add_test(bad, test_bad_ten_megabyte_lines);
	tcase_add_test(bad, test_null_arguments);
	tcase_add_test(num, test_fast_double_matches_strtod);
	tcase_add_test(num, test_fast_text_matches_printf);
	tcase_add_test(num, test_numbers_ignore_comma_locale);
	suite_add_tcase(s, trip);
	suite_add_tcase(s, read);
	suite_add_tcase(s, bad);
	suite_add_tcase(s, num);
	return s;
}

PK_CHECK_MAIN(make_suite)
