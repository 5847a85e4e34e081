/* SPDX-License-Identifier: MIT */
/*
 * perfkit_pickle_to_json(): pickles written by Python at protocols 2 to 5
 * (tests/make-pickles.py, at build time, into PK_PICKLE_DATA) must give
 * exactly the JSON text Python's json.dumps gives; refused and malformed
 * ones fail with the code and words the script names. Then pickles made
 * by hand: every refused opcode, truncation, the memo, huge lengths, deep
 * nesting, sharing, cycles and the limits.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

#define P2 "\x80\x02"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = 2 * (n + 4096 + 1);
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int errno_of(const char *name)
{
	static const struct {
		const char *name;
		int code;
	} codes[] = { { "EBADMSG", -EBADMSG }, { "ENOTSUP", -ENOTSUP },
		      { "ERANGE", -ERANGE },   { "EINVAL", -EINVAL } };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i].name, name) == 0)
			return codes[i].code;
	ck_abort_msg("unknown errno name %s", name);
	return 0;
}

/* NAME.err: the errno name, then words the message must hold. */
static void check_refused(const char *pkl, const char *data, size_t len,
			  const char *err_path)
{
	size_t elen;
	char *spec = read_all(err_path, &elen), *save = NULL, *word;
	char *json = (char *)1;
	int rc;

	perfkit_clear_error();
	rc = perfkit_pickle_to_json(data, len, &json);
	word = strtok_r(spec, "\n", &save);
	ck_assert_msg(rc == errno_of(word), "%s: %d (%s), wanted %s", pkl, rc,
		      perfkit_last_error(), word);
	ck_assert_msg(json == NULL, "%s: json not NULL after failure", pkl);
	while ((word = strtok_r(NULL, "\n", &save)))
		ck_assert_msg(strstr(perfkit_last_error(), word), "%s: \"%s\" lacks \"%s\"",
			      pkl, perfkit_last_error(), word);
	free(spec);
}

START_TEST(test_python_pickles)
{
	const char *dir = getenv("PK_PICKLE_DATA");
	struct dirent *e;
	size_t good = 0, refused = 0;
	DIR *d;

	ck_assert_msg(dir != NULL, "PK_PICKLE_DATA is not set");
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), len, wlen;
		char path[1024], other[1024], *data, *want, *json = NULL;

		if (n < 5 || strcmp(e->d_name + n - 4, ".pkl") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		data = read_all(path, &len);
		snprintf(other, sizeof(other), "%s/%.*s.json", dir, (int)(n - 4),
			 e->d_name);
		if (access(other, R_OK) == 0) {
			int rc = perfkit_pickle_to_json(data, len, &json);

			ck_assert_msg(rc == 0, "%s: %d: %s", path, rc,
				      perfkit_last_error());
			want = read_all(other, &wlen);
			ck_assert_msg(strcmp(json, want) == 0,
				      "%s:\n got %.300s\nwant %.300s", path, json, want);
			free(want);
			free(json);
			good++;
		} else {
			snprintf(other, sizeof(other), "%s/%.*s.err", dir,
				 (int)(n - 4), e->d_name);
			check_refused(path, data, len, other);
			refused++;
		}
		free(data);
	}
	closedir(d);
	/* 12 values at 4 protocols, and the refused ones */
	ck_assert_uint_ge(good, 48);
	ck_assert_uint_ge(refused, 30);
}
END_TEST

static void expect_json(const char *data, size_t len, const char *want)
{
	char *json = NULL;
	int rc = perfkit_pickle_to_json(data, len, &json);

	ck_assert_msg(rc == 0, "%d: %s", rc, perfkit_last_error());
	ck_assert_str_eq(json, want);
	free(json);
}

static void expect_fail(const char *data, size_t len, int code,
			const char *text)
{
	char *json = (char *)1;

	ck_assert_fails(perfkit_pickle_to_json(data, len, &json), code, text);
	ck_assert_ptr_null(json);
}

#define JSON(lit, want) expect_json(lit, sizeof(lit) - 1, want)
#define FAIL(lit, code, text) expect_fail(lit, sizeof(lit) - 1, code, text)

START_TEST(test_arguments)
{
	char *json = (char *)1;

	ck_assert_fails(perfkit_pickle_to_json(NULL, 3, &json), -EINVAL, "data");
	ck_assert_ptr_null(json);
	ck_assert_fails(perfkit_pickle_to_json(P2 "N.", 4, NULL), -EINVAL,
			"json");
	expect_fail(NULL, 0, -EBADMSG, "empty input");
	expect_fail("", 0, -EBADMSG, "empty input");
}
END_TEST

START_TEST(test_refused_opcodes)
{
	static const struct {
		char code;
		const char *name;
	} refused[] = {
		{ 'c', "GLOBAL" },	      { '\x93', "STACK_GLOBAL" },
		{ 'R', "REDUCE" },	      { 'b', "BUILD" },
		{ 'i', "INST" },	      { 'o', "OBJ" },
		{ '\x81', "NEWOBJ" },	      { '\x92', "NEWOBJ_EX" },
		{ 'P', "PERSID" },	      { 'Q', "BINPERSID" },
		{ '\x82', "EXT1" },	      { '\x83', "EXT2" },
		{ '\x84', "EXT4" },	      { 'B', "BINBYTES" },
		{ 'C', "SHORT_BINBYTES" },    { '\x8e', "BINBYTES8" },
		{ '\x96', "BYTEARRAY8" },     { '\x97', "NEXT_BUFFER" },
		{ '\x98', "READONLY_BUFFER" }, { '\x8f', "EMPTY_SET" },
		{ '\x90', "ADDITEMS" },	      { '\x91', "FROZENSET" },
		{ 'S', "STRING" },	      { 'V', "UNICODE" },
	};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		/* after a few good opcodes, so the offset is not 0 */
		char data[] = P2 "(N" "?" "N.";
		char want[64];

		data[4] = refused[i].code;
		snprintf(want, sizeof(want), "pickle byte 4: %s: refused",
			 refused[i].name);
		expect_fail(data, sizeof(data) - 1, -ENOTSUP, want);
	}
	/* os.system("echo pwned"): refused at GLOBAL, before REDUCE */
	FAIL(P2 "cos\nsystem\nX\x0a\x00\x00\x00" "echo pwned\x85R.", -ENOTSUP,
	     "pickle byte 2: GLOBAL: refused (opcode 0x63): it names Python code");
	FAIL(P2 "\xff.", -EBADMSG, "pickle byte 2: 0xff is not a pickle opcode");
	FAIL(P2 "\x00.", -EBADMSG, "0x00 is not a pickle opcode");
}
END_TEST

START_TEST(test_protocols)
{
	JSON("\x80\x05N.", "null");
	FAIL("\x80\x01N.", -ENOTSUP, "protocol 1: only protocols 2 to 5");
	FAIL("\x80\x06N.", -ENOTSUP, "protocol 6");
	FAIL("}.", -ENOTSUP, "pickle byte 0: 0x7d, not PROTO");
	FAIL(P2 "\x80\x02N.", -EBADMSG, "pickle byte 2: PROTO: PROTO only comes first");
	FAIL("\x80", -EBADMSG, "PROTO: needs 1 more bytes");
	/* a frame must fit; its contents are read as usual */
	JSON("\x80\x04\x95\x02\x00\x00\x00\x00\x00\x00\x00N.", "null");
	FAIL("\x80\x04\x95\x03\x00\x00\x00\x00\x00\x00\x00N.", -EBADMSG,
	     "FRAME: a frame of 3 bytes, but only 2 bytes are left");
	FAIL("\x80\x04\x95\xff\xff\xff\xff\xff\xff\xff\xffN.", -EBADMSG,
	     "a frame of 18446744073709551615 bytes");
}
END_TEST

START_TEST(test_truncated)
{
	/* {'a': [1, 2.5, 'x'], 'b': (None, True)} at protocol 4 */
	static const char whole[] =
		"\x80\x04\x95\x24\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x28\x8c"
		"\x01\x61\x94\x5d\x94\x28\x4b\x01\x47\x40\x04\x00\x00\x00\x00"
		"\x00\x00\x8c\x01\x78\x94\x65\x8c\x01\x62\x94\x4e\x88\x86\x94"
		"\x75\x2e";
	size_t len = sizeof(whole) - 1;

	expect_json(whole, len, "{\"a\":[1,2.5,\"x\"],\"b\":[null,true]}");
	for (size_t cut = 1; cut < len; cut++) {
		char *json = (char *)1;
		int rc = perfkit_pickle_to_json(whole, cut, &json);

		ck_assert_msg(rc == -EBADMSG, "cut at %zu: %d %s", cut, rc,
			      perfkit_last_error());
		ck_assert_ptr_null(json);
	}
	FAIL(P2 "N", -EBADMSG, "pickle byte 3: the input ends without STOP");
	FAIL(P2 "X\x05\x00\x00\x00" "ab", -EBADMSG,
	     "BINUNICODE: a string of 5 bytes, but only 2 bytes are left (truncated?)");
	FAIL(P2 "J\x01\x00", -EBADMSG, "BININT: needs 4 more bytes, only 2");
	FAIL(P2 "I12", -EBADMSG, "INT: no newline");
}
END_TEST

START_TEST(test_huge_lengths)
{
	FAIL("\x80\x04\x8d\xff\xff\xff\xff\xff\xff\xff\x7f" "abc.", -EBADMSG,
	     "BINUNICODE8: a string of 9223372036854775807 bytes, but only 4");
	FAIL(P2 "X\xff\xff\xff\xff" "abc.", -EBADMSG,
	     "a string of 4294967295 bytes");
	FAIL(P2 "T\xff\xff\xff\xff" "abc.", -EBADMSG, "BINSTRING: negative length -1");
	FAIL(P2 "\x8b\xff\xff\xff\x7f" "abc.", -EBADMSG,
	     "LONG4: needs 2147483647 more bytes");
	FAIL(P2 "\x8b\xff\xff\xff\xff" "abc.", -EBADMSG, "LONG4: negative length");
	/* a memo index far out: no array that large is made */
	JSON(P2 "Nr\xff\xff\xff\xffj\xff\xff\xff\xff\x86.", "[null,null]");
	JSON(P2 "Nr\xfe\xff\xff\xff" "0j\xfe\xff\xff\xff.", "null");
}
END_TEST

START_TEST(test_integers)
{
	JSON(P2 "(K\x00K\xffM\xff\xffJ\xff\xff\xff\xffJ\x00\x00\x00\x80l.",
	     "[0,255,65535,-1,-2147483648]");
	/* LONG1 at the int64 edges, empty, non-minimal but in range */
	JSON(P2 "(\x8a\x08\xff\xff\xff\xff\xff\xff\xff\x7f"
	     "\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80"
	     "\x8a\x00"
	     "\x8a\x0a\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	     "\x8a\x09\xfe\xff\xff\xff\xff\xff\xff\xff\xff"
	     "\x8b\x01\x00\x00\x00\x80l.",
	     "[9223372036854775807,-9223372036854775808,0,1,-2,-128]");
	FAIL(P2 "\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.", -ERANGE,
	     "LONG1: an integer of 9 bytes does not fit in 64 bits");
	FAIL(P2 "\x8a\x09\xff\xff\xff\xff\xff\xff\xff\x7f\xff.", -ERANGE,
	     "does not fit in 64 bits");
	FAIL(P2 "\x8a\x08\xff\xff\xff\xff\xff\xff\xff\xff\x00" "a.", -EBADMSG,
	     "0x00 is not a pickle opcode");
	/* the text forms of protocol 0 */
	JSON(P2 "(I00\nI01\nI-42\nI+7\nL123L\nL-5\nI9223372036854775807\n"
	     "I-9223372036854775808\nl.",
	     "[false,true,-42,7,123,-5,9223372036854775807,-9223372036854775808]");
	FAIL(P2 "I9223372036854775808\n.", -ERANGE, "INT: integer '9223372036854775808' does not fit");
	FAIL(P2 "I12a\n.", -EBADMSG, "INT: '12a' is not an integer");
	FAIL(P2 "I\n.", -EBADMSG, "is not an integer");
	FAIL(P2 "L-\n.", -EBADMSG, "is not an integer");
}
END_TEST

START_TEST(test_floats_strings)
{
	JSON(P2 "(G?\xf0\x00\x00\x00\x00\x00\x00G\x7f\xf8\x00\x00\x00\x00\x00\x00"
	     "G\xff\xf0\x00\x00\x00\x00\x00\x00" "F2.5\nF1e16\nl.",
	     "[1.0,\"NaN\",\"-Infinity\",2.5,1e+16]");
	FAIL(P2 "F2.5x\n.", -EBADMSG, "FLOAT: '2.5x' is not a number");
	JSON(P2 "(U\x03" "abcT\x01\x00\x00\x00" "d\x8c\x00X\x02\x00\x00\x00\xc3\xa9l.",
	     "[\"abc\",\"d\",\"\",\"\xc3\xa9\"]");
	FAIL(P2 "U\x01\xe9.", -EBADMSG,
	     "SHORT_BINSTRING: byte 0 of the string is not ASCII");
	FAIL(P2 "X\x02\x00\x00\x00\xc3\x28.", -EBADMSG,
	     "BINUNICODE: byte 0 of the string is not UTF-8");
	FAIL(P2 "X\x04\x00\x00\x00" "a\xed\xa0\x80.", -EBADMSG,
	     "byte 1 of the string is not UTF-8"); /* a lone surrogate */
	FAIL(P2 "X\x02\x00\x00\x00\xc0\x80.", -EBADMSG, "not UTF-8"); /* overlong */
	FAIL(P2 "X\x04\x00\x00\x00\xf4\x90\x80\x80.", -EBADMSG, "not UTF-8");
	JSON(P2 "X\x04\x00\x00\x00\xf0\x9f\x8e\x89.", "\"\xf0\x9f\x8e\x89\"");
	JSON(P2 "X\x05\x00\x00\x00\x00\"\\\x1f\x7f.", "\"\\u0000\\\"\\\\\\u001f\x7f\"");
}
END_TEST

START_TEST(test_stack_and_marks)
{
	JSON(P2 "(NN1N.", "null");	     /* POP_MARK */
	JSON(P2 "(0N.", "null");	     /* POP takes a bare MARK */
	JSON(P2 "]2\x86.", "[[],[]]");	     /* DUP */
	JSON(P2 "NN0.", "null");
	/* a MARK closed with nothing after it (fuzz-pickle's first find) */
	JSON(P2 "(l.", "[]");
	JSON(P2 "(d.", "{}");
	JSON(P2 "(t.", "[]");
	JSON(P2 "](e.", "[]");
	JSON(P2 "}(u.", "{}");
	FAIL(P2 "NN.", -EBADMSG, "STOP: 2 values on the stack, not 1");
	FAIL(P2 ".", -EBADMSG, "0 values on the stack");
	FAIL(P2 "(N.", -EBADMSG, "STOP: a MARK is still open");
	FAIL(P2 "N.N", -EBADMSG, "pickle byte 3: STOP: 1 byte(s) after STOP");
	FAIL(P2 "0.", -EBADMSG, "POP: too few values on the stack");
	FAIL(P2 "N(\x85.", -EBADMSG, "TUPLE1: too few values after the last MARK");
	FAIL(P2 "Nl.", -EBADMSG, "LIST: no MARK before it");
	FAIL(P2 "1.", -EBADMSG, "POP_MARK: no MARK");
	FAIL(P2 "2.", -EBADMSG, "DUP: too few values");
	FAIL(P2 "}Na.", -EBADMSG, "APPEND: adds to a dict (made at byte 2), not a list");
	FAIL(P2 "](NNu.", -EBADMSG, "SETITEMS: adds to a list");
	FAIL(P2 ")(Ne.", -EBADMSG, "APPENDS: adds to a tuple");
	FAIL(P2 "(Ne.", -EBADMSG, "APPENDS: no list below its MARK");
	FAIL(P2 "](Nd(N.", -EBADMSG, "DICT: 1 values after the MARK");
	FAIL(P2 "}K\x01(u.", -EBADMSG, "SETITEMS: adds to an int");
	JSON(P2 "](K\x01K\x02" "e](K\x03" "ea.", "[1,2,[3]]");
	JSON(P2 "}(X\x01\x00\x00\x00" "aK\x01X\x01\x00\x00\x00" "bK\x02u"
	     "X\x01\x00\x00\x00" "c)s.", "{\"a\":1,\"b\":2,\"c\":[]}");
	JSON(P2 "(K\x01K\x02t.", "[1,2]");
	JSON(P2 "(X\x01\x00\x00\x00kK\x05\x8a\x01\x07K\x06" "d.", "{\"k\":5,\"7\":6}");
}
END_TEST

START_TEST(test_memo)
{
	JSON(P2 "]q\x00h\x00\x86.", "[[],[]]");
	JSON(P2 "]r\x05\x00\x00\x00j\x05\x00\x00\x00\x86.", "[[],[]]");
	JSON(P2 "]p0\ng0\n\x86.", "[[],[]]");
	JSON("\x80\x04]\x94h\x00K\x01" "a\x86.", "[[1],[1]]"); /* shared: both see APPEND */
	FAIL(P2 "h\x05.", -EBADMSG, "pickle byte 2: BINGET: memo index 5 was never set");
	FAIL(P2 "Nq\x00j\x01\x00\x00\x00.", -EBADMSG, "LONG_BINGET: memo index 1");
	FAIL(P2 "g7\n.", -EBADMSG, "GET: memo index 7 was never set");
	FAIL(P2 "Np-1\n.", -EBADMSG, "PUT: negative memo index -1");
	FAIL(P2 "Np99999999999\n.", -ERANGE, "beyond 32 bits");
	FAIL("\x80\x04\x94.", -EBADMSG, "MEMOIZE: too few values");
	FAIL(P2 "q\x00.", -EBADMSG, "BINPUT: too few values");
	/* a dict and a list that contain themselves */
	FAIL(P2 "}q\x00X\x01\x00\x00\x00kh\x00s.", -ENOTSUP,
	     "pickle byte 2: the dict made here contains itself");
	FAIL(P2 "]q\x00(h\x00" "e.", -ENOTSUP, "the list made here contains itself");
	FAIL(P2 "]q\x00h\x00\x85" "a.", -ENOTSUP, "contains itself");
	FAIL(P2 "}(X\x01\x00\x00\x00" "aNX\x01\x00\x00\x00" "aNu.", -EBADMSG,
	     "the dict made here has the key \"a\" twice");
}
END_TEST

/* A pickle of @depth lists, each the only item of the one around it. */
static char *nested(size_t depth, size_t *len)
{
	char *p = malloc(2 * depth + 4);

	ck_assert_ptr_nonnull(p);
	memcpy(p, P2, 2);
	memset(p + 2, '(', depth);
	memset(p + 2 + depth, 'l', depth);
	p[2 + 2 * depth] = '.';
	*len = 2 * depth + 3;
	return p;
}

START_TEST(test_limits)
{
	size_t len;
	char *p = nested(PERFKIT_PICKLE_MAX_DEPTH, &len), *json;

	ck_assert_int_eq(perfkit_pickle_to_json(p, len, &json), 0);
	ck_assert_uint_eq(strlen(json), 2 * PERFKIT_PICKLE_MAX_DEPTH);
	free(json);
	free(p);
	p = nested(PERFKIT_PICKLE_MAX_DEPTH + 1, &len);
	expect_fail(p, len, -ERANGE, "nested deeper than 512 levels");
	free(p);
	/* deep enough to overflow a recursive parser's stack */
	p = nested(500000, &len);
	expect_fail(p, len, -ERANGE, "nested deeper than 512 levels");
	free(p);

	/* a billion laughs: each tuple holds the one before twice */
	char laughs[2 + 4 + 50 * 8 + 3], *q = laughs;

	memcpy(q, P2 "]q\x00" "0", 6);
	q += 6;
	for (int i = 0; i < 50; i++, q += 8)
		memcpy(q, "h\x00h\x00\x86q\x00" "0", 8);
	memcpy(q, "h\x00.", 3);
	q += 3;
	expect_fail(laughs, (size_t)(q - laughs), -ERANGE,
		    "the JSON text would be longer than 67108864 bytes");

	/* values: 2^20 pushes of None and POP, then one more */
	len = 2 + 2 * (size_t)PERFKIT_PICKLE_MAX_VALUES + 2;
	p = malloc(len);
	ck_assert_ptr_nonnull(p);
	memcpy(p, P2, 2);
	for (size_t i = 0; i < PERFKIT_PICKLE_MAX_VALUES; i++)
		memcpy(p + 2 + 2 * i, "N0", 2);
	memcpy(p + len - 2, "N.", 2);
	expect_fail(p, len, -ERANGE, "more than 1048576 values");
	free(p);

	/* input: refused before it is read */
	len = (size_t)PERFKIT_PICKLE_MAX_INPUT + 1;
	p = calloc(1, len);
	ck_assert_ptr_nonnull(p);
	expect_fail(p, len, -ERANGE, "16777217 bytes, more than the 16777216 read");
	free(p);
}
END_TEST

static Suite *pickle_suite(void)
{
	Suite *s = suite_create("results-pickle");
	TCase *tc = tcase_create("pickle");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_python_pickles);
	tcase_add_test(tc, test_arguments);
	tcase_add_test(tc, test_refused_opcodes);
	tcase_add_test(tc, test_protocols);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_huge_lengths);
	tcase_add_test(tc, test_integers);
	tcase_add_test(tc, test_floats_strings);
	tcase_add_test(tc, test_stack_and_marks);
	tcase_add_test(tc, test_memo);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(pickle_suite)
