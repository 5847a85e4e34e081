/* SPDX-License-Identifier: MIT */
/*
 * The three readers accept and refuse the same things (docs/results.md,
 * "What the readers accept"): each case is one record written in CSV, in
 * a JSON document and in JSON Lines (read by the simdjson path, where it
 * is built, and by jansson alone), and every reader must give the same
 * answer and value.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "results-jsonl-fast.h"

#define JHEAD "{\"schema\":\"perfkit-results\",\"schema_version\":1," \
	      "\"epoch_ns\":7"

enum { CSV, JSON, JSONL, JSONL_JANSSON, NFORMATS };
static const char *const format_names[] = { "CSV", "JSON", "JSONL",
					    "JSONL (jansson)" };

static int parse(int f, const char *text, size_t len,
		 struct perfkit_results **out)
{
	switch (f) {
	case CSV:
		return perfkit_results_parse(text, len, PERFKIT_FORMAT_CSV, out);
	case JSON:
		return perfkit_results_parse(text, len, PERFKIT_FORMAT_JSON, out);
	case JSONL:
		return perfkit_results_parse(text, len, PERFKIT_FORMAT_JSONL,
					     out);
	default:
		return pk_results_parse_jsonl_jansson(text, len, out);
	}
}

/* One field's value in each format: @csv as a cell, @json as a JSON
 * value. @want: NAN to be refused (-EBADMSG), else the value read (use
 * REFUSE for refusal since NaN may be a value). */
#define REFUSE 12345.0

static void check_field(const char *field, const char *csv, const char *json,
			int ok, double want)
{
	char text[NFORMATS][512];
	struct perfkit_results *res;
	const struct perfkit_record *r;
	char buf[64];

	snprintf(text[CSV], sizeof(text[CSV]), "name,%s\nx,%s\n", field, csv);
	snprintf(text[JSON], sizeof(text[JSON]),
		 JHEAD ",\"records\":[\n{\"name\":\"x\",\"%s\":%s}]}", field,
		 json);
	snprintf(text[JSONL], sizeof(text[JSONL]),
		 JHEAD "}\n{\"name\":\"x\",\"%s\":%s}\n", field, json);
	strcpy(text[JSONL_JANSSON], text[JSONL]);
	for (int f = 0; f < NFORMATS; f++) {
		res = NULL;
		perfkit_clear_error();
		int rc = parse(f, text[f], strlen(text[f]), &res);

		if (!ok) {
			ck_assert_msg(rc == -EBADMSG, "%s: %s = %s accepted "
				      "(%d)", format_names[f], field,
				      f == CSV ? csv : json, rc);
			ck_assert_msg(strstr(perfkit_last_error(), "line 2"),
				      "%s: %s", format_names[f],
				      perfkit_last_error());
			continue;
		}
		ck_assert_msg(rc == 0, "%s: %s = %s refused: %s",
			      format_names[f], field, f == CSV ? csv : json,
			      perfkit_last_error());
		ck_assert_int_eq(perfkit_results_get(res, 0, &r), 0);
		ck_assert_int_eq(perfkit_results_value(res, 0, field, buf,
						       sizeof(buf)), 0);
		double got = strtod(buf, NULL);

		ck_assert_msg(isnan(want) ? isnan(got) :
			      (got == want && signbit(got) == signbit(want)),
			      "%s: %s = %s read as %s", format_names[f], field,
			      f == CSV ? csv : json, buf);
		perfkit_results_destroy(res);
	}
}

START_TEST(test_numbers)
{
	/* Decimal text beyond a double's range is an error, never inf. */
	check_field("flops", "1e400", "1e400", 0, 0);
	check_field("flops", "-1e400", "-1e400", 0, 0);
	check_field("t_end", "1e309", "1e309", 0, 0);
	/* Tiny values are 0 or subnormal, as strtod() and JSON have it. */
	check_field("flops", "1e-400", "1e-400", 1, 0.0);
	check_field("flops", "4.9e-324", "4.9e-324", 1, 4.9e-324);
	/* The non-finite spellings, in a CSV cell or a JSON string, any
	 * case; bare NaN, Infinity, -Infinity in JSON (Python writes them). */
	check_field("flops", "nan", "\"nan\"", 1, NAN);
	check_field("flops", "NaN", "\"NaN\"", 1, NAN);
	check_field("flops", "NaN", "NaN", 1, NAN);
	check_field("flops", "inf", "\"inf\"", 1, INFINITY);
	check_field("flops", "Infinity", "Infinity", 1, INFINITY);
	check_field("flops", "-Infinity", "-Infinity", 1, -INFINITY);
	check_field("flops", "-inf", "\"-inf\"", 1, -INFINITY);
	check_field("flops", "-INF", "\"-INFINITY\"", 1, -INFINITY);
	/* What only strtod() took is refused. */
	check_field("flops", "0x1p3", "\"0x1p3\"", 0, 0);
	check_field("flops", "nan(1)", "\"nan(1)\"", 0, 0);
	check_field("flops", "infinit", "\"infinit\"", 0, 0);
	check_field("flops", "1.5x", "\"1.5\"", 0, 0);
}
END_TEST

START_TEST(test_signs)
{
	/* elapsed is a duration: never negative, -0 and NaN are fine. */
	check_field("elapsed", "-1", "-1", 0, 0);
	check_field("elapsed", "-5e-324", "-5e-324", 0, 0);
	check_field("elapsed", "-inf", "-Infinity", 0, 0);
	check_field("elapsed", "-inf", "\"-Infinity\"", 0, 0);
	/* (jansson reads the JSON integer -0 as 0: -0.0 keeps the sign) */
	check_field("elapsed", "-0", "-0.0", 1, -0.0);
	check_field("elapsed", "-0.0", "-0.0", 1, -0.0);
	check_field("elapsed", "nan", "NaN", 1, NAN);
	check_field("elapsed", "inf", "\"Infinity\"", 1, INFINITY);
	/* The t_* are points on the time axis: before the epoch is fine. */
	check_field("t_submit", "-1.5", "-1.5", 1, -1.5);
	check_field("t_collected", "-inf", "-Infinity", 1, -INFINITY);
	/* repetitions is unsigned. */
	check_field("repetitions", "-1", "-1", 0, 0);
	check_field("repetitions", "18446744073709551615",
		    "\"18446744073709551615\"", 1, 18446744073709551615.0);
}
END_TEST

/* The whole input in each format: accepted or refused alike. */
static void check_inputs(const char *const text[3], int ok,
			 const char *needle)
{
	for (int f = 0; f < NFORMATS; f++) {
		const char *t = text[f == JSONL_JANSSON ? JSONL : f];
		struct perfkit_results *res = NULL;

		perfkit_clear_error();
		int rc = parse(f, t, strlen(t), &res);

		if (ok) {
			ck_assert_msg(rc == 0, "%s: refused: %s",
				      format_names[f], perfkit_last_error());
			ck_assert_uint_eq(perfkit_results_count(res), 1);
			ck_assert_int_eq(perfkit_results_epoch_ns(res), 7);
		} else {
			ck_assert_msg(rc == -EBADMSG, "%s: accepted (%d)",
				      format_names[f], rc);
			ck_assert_msg(strstr(perfkit_last_error(), needle),
				      "%s: \"%s\" lacks \"%s\"", format_names[f],
				      perfkit_last_error(), needle);
		}
		perfkit_results_destroy(res);
	}
}

START_TEST(test_utf8)
{
	const char *const bad[] = {
		"name\n\xff\n",
		JHEAD ",\"records\":[\n{\"name\":\"\xff\"}]}",
		JHEAD "}\n{\"name\":\"\xff\"}\n",
	};
	const char *const overlong[] = {
		"name,gpu\nx,\xc0\xaf\n",
		JHEAD ",\"records\":[\n{\"name\":\"x\",\"gpu\":\"\xc0\xaf\"}]}",
		JHEAD "}\n{\"name\":\"x\",\"gpu\":\"\xc0\xaf\"}\n",
	};
	const char *const surrogate[] = {
		"# k=\xed\xa0\x80\nname\nx\n",
		JHEAD ",\"meta\":{\"k\":\"\xed\xa0\x80\"},\"records\":[{}]}",
		JHEAD ",\"meta\":{\"k\":\"\xed\xa0\x80\"}}\n{}\n",
	};
	const char *const good[] = {
		"# epoch_ns=7\nname,param.\xc3\xa9\n\xf0\x9f\x98\x80,\xe2\x82\xac\n",
		JHEAD ",\"records\":[{\"name\":\"\xf0\x9f\x98\x80\",\"params\":"
		"{\"\xc3\xa9\":\"\xe2\x82\xac\"}}]}",
		JHEAD "}\n{\"name\":\"\xf0\x9f\x98\x80\",\"params\":"
		"{\"\xc3\xa9\":\"\xe2\x82\xac\"}}\n",
	};

	check_inputs(bad, 0, "line 2");
	check_inputs(overlong, 0, "line 2");
	check_inputs(surrogate, 0, "line 1");
	check_inputs(good, 1, "");
	/* A percent escape may spell any byte: the decoded text is checked
	 * too, or the writer would put out what the reader refuses (found
	 * by fuzz-csv). */
	static const char escaped[] = "# k=%DA\nname\nx\n";
	struct perfkit_results *res = NULL;

	ck_assert_fails(perfkit_results_parse(escaped, strlen(escaped),
					      PERFKIT_FORMAT_CSV, &res),
			-EBADMSG, "line 1, column 1: invalid UTF-8 in metadata");
}
END_TEST

START_TEST(test_bom)
{
	const char *const text[] = {
		"\xef\xbb\xbf# schema=perfkit-results\n# epoch_ns=7\nname\nx\n",
		"\xef\xbb\xbf" JHEAD ",\"records\":[{\"name\":\"x\"}]}",
		"\xef\xbb\xbf" JHEAD "}\n{\"name\":\"x\"}\n",
	};
	/* Only at the start: elsewhere it is a character like any other
	 * (in CSV, text; in JSON, one that no value may start with). */
	static const char late_json[] = JHEAD ",\"records\":[\xef\xbb\xbf{}]}";
	static const char late_jsonl[] = JHEAD "}\n\xef\xbb\xbf{}\n";
	struct perfkit_results *res = NULL;

	check_inputs(text, 1, "");
	ck_assert_fails(perfkit_results_parse(late_json, strlen(late_json),
					      PERFKIT_FORMAT_JSON, &res),
			-EBADMSG, "line 1");
	ck_assert_fails(perfkit_results_parse(late_jsonl, strlen(late_jsonl),
					      PERFKIT_FORMAT_JSONL, &res),
			-EBADMSG, "line 2");
}
END_TEST

START_TEST(test_headers)
{
	const char *const v19[] = {
		"# schema=perfkit-results\n# schema_version=1.9\nname\nx\n",
		"{\"schema\":\"perfkit-results\",\"schema_version\":1.9,"
		"\"epoch_ns\":7,\"records\":[{}]}",
		"{\"schema\":\"perfkit-results\",\"schema_version\":1.9,"
		"\"epoch_ns\":7}\n{}\n",
	};
	const char *const v2[] = {
		"# schema=perfkit-results\n# schema_version=2\nname\nx\n",
		"{\"schema\":\"perfkit-results\",\"schema_version\":2,"
		"\"epoch_ns\":7,\"records\":[{}]}",
		"{\"schema\":\"perfkit-results\",\"schema_version\":2,"
		"\"epoch_ns\":7}\n{}\n",
	};
	/* Two headers: two files pasted together. */
	const char *const twice[] = {
		"# schema=perfkit-results\n# epoch_ns=7\n"
		"# schema=perfkit-results\nname\nx\n",
		JHEAD ",\"schema\":\"perfkit-results\",\"records\":[{}]}",
		JHEAD "}\n{\"name\":\"x\"}\n" JHEAD "}\n{\"name\":\"y\"}\n",
	};

	check_inputs(v19, 0, "schema \"perfkit-results\" version 1.9 is not "
		     "supported (this library reads version 1)");
	check_inputs(v2, 0, "version 2 is not supported");
	check_inputs(twice, 0, "line ");
	/* The message says what happened. */
	struct perfkit_results *res = NULL;

	ck_assert_fails(perfkit_results_parse(twice[0], strlen(twice[0]),
					      PERFKIT_FORMAT_CSV, &res),
			-EBADMSG, "a second 'schema' line (the first is line 1)");
	ck_assert_fails(perfkit_results_parse(twice[2], strlen(twice[2]),
					      PERFKIT_FORMAT_JSONL, &res),
			-EBADMSG, "line 3, column 1: a second header (the first "
			"is line 1)");
	ck_assert_fails(perfkit_results_parse(twice[1], strlen(twice[1]),
					      PERFKIT_FORMAT_JSON, &res),
			-EBADMSG, "duplicate");
}
END_TEST

/* A set's own metadata key "schema" still round-trips through CSV. */
START_TEST(test_reserved_meta_keys_round_trip)
{
	static const char *const keys[] = { "schema", "schema_version",
					    "epoch_ns" };
	struct perfkit_results *res, *back;
	const char *v;
	char *text;
	size_t len;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(perfkit_results_meta_set(res, keys[i], "mine"),
				 0);
	ck_assert_int_eq(perfkit_results_format(res, PERFKIT_FORMAT_CSV, &text,
						&len), 0);
	ck_assert_ptr_nonnull(strstr(text, "# %73chema=mine\n"));
	ck_assert_int_eq(perfkit_results_parse(text, len, PERFKIT_FORMAT_CSV,
					       &back), 0);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(perfkit_results_meta_get(back, keys[i], &v), 0);
		ck_assert_str_eq(v, "mine");
	}
	ck_assert_int_eq(perfkit_results_epoch_ns(back),
			 perfkit_results_epoch_ns(res));
	free(text);
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
}
END_TEST

/* Python's json.dump(): bare NaN and Infinity; an error after one is
 * placed where it is in the text as given (the same column as with a
 * number of the same length in its place). */
START_TEST(test_python_json)
{
	static const char doc[] =
		"{\"schema\": \"perfkit-results\", \"schema_version\": 1, "
		"\"epoch_ns\": 7, \"meta\": {\"note\": NaN}, \"records\": [{\"name\": "
		"\"x\", \"elapsed\": NaN, \"flops\": Infinity, \"t_submit\": "
		"-Infinity, \"gpu\": [NaN, \"NaN\", \"a\\\"NaN\"]}]}";
	struct perfkit_results *res;
	const struct perfkit_record *r;
	const char *v;
	char msg[2][512];

	ck_assert_int_eq(perfkit_results_parse(doc, strlen(doc),
					       PERFKIT_FORMAT_JSON, &res), 0);
	ck_assert_int_eq(perfkit_results_get(res, 0, &r), 0);
	ck_assert(isnan(r->elapsed) && r->flops == INFINITY &&
		  r->t_submit == -INFINITY);
	ck_assert_int_eq(perfkit_results_extra_get(res, 0, 0, NULL, &v), 0);
	ck_assert_str_eq(v, "[\"NaN\",\"NaN\",\"a\\\"NaN\"]");
	ck_assert_int_eq(perfkit_results_meta_get(res, "note", &v), 0);
	ck_assert_str_eq(v, "NaN");
	perfkit_results_destroy(res);

	/* Errors: the same place with NaN as with 1.0. */
	static const char *const json[2] = {
		JHEAD ",\"records\":[{\"name\":\"x\",\"elapsed\":NaN,\"flops\":NaN,"
		"\"bytes\":tru}]}",
		JHEAD ",\"records\":[{\"name\":\"x\",\"elapsed\":1.0,\"flops\":1.0,"
		"\"bytes\":tru}]}",
	};
	static const char *const jsonl[2] = {
		JHEAD "}\n{\"name\":\"x\",\"elapsed\":NaN,\"flops\":-Infinity,"
		"\"bytes\":\"z\"}\n",
		JHEAD "}\n{\"name\":\"x\",\"elapsed\":1.0,\"flops\":-1.000000,"
		"\"bytes\":\"z\"}\n",
	};
	static const char *const jsonl_syntax[2] = {
		JHEAD "}\n{\"elapsed\":NaN,\"flops\":Infinity,\"bytes\":tru}\n",
		JHEAD "}\n{\"elapsed\":1.0,\"flops\":1.000000,\"bytes\":tru}\n",
	};
	const char *const *sets[] = { json, jsonl, jsonl_syntax };

	for (size_t s = 0; s < 3; s++) {
		for (int k = 0; k < 2; k++) {
			res = NULL;
			ck_assert_int_eq(perfkit_results_parse(
				sets[s][k], strlen(sets[s][k]),
				s ? PERFKIT_FORMAT_JSONL : PERFKIT_FORMAT_JSON,
				&res), -EBADMSG);
			snprintf(msg[k], sizeof(msg[k]), "%s",
				 perfkit_last_error());
		}
		ck_assert_str_eq(msg[0], msg[1]);
	}
}
END_TEST

/* What a reader refuses, a set does not take: every file written reads
 * back. */
START_TEST(test_append_refuses_negative_elapsed)
{
	struct perfkit_results *res;
	struct perfkit_record r;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	perfkit_record_init(&r);
	r.elapsed = -0.5;
	ck_assert_fails(perfkit_results_append(res, &r), -EINVAL,
			"elapsed = -0.5 is negative");
	r.elapsed = -INFINITY;
	ck_assert_fails(perfkit_results_append(res, &r), -EINVAL, "elapsed");
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	r.elapsed = -0.0;
	r.t_submit = -3;
	ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	perfkit_results_destroy(res);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("results-agree");
	TCase *tc = tcase_create("agree");

	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_signs);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_headers);
	tcase_add_test(tc, test_reserved_meta_keys_round_trip);
	tcase_add_test(tc, test_python_json);
	tcase_add_test(tc, test_append_refuses_negative_elapsed);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(make_suite)
