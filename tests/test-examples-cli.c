/* SPDX-License-Identifier: MIT */
/* The example programs' option parsers (examples/common/cli.c): what
 * they accept, what they refuse, and the one line they print. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <perfkit/perfkit.h>

#include "pk-check.h"
#include "cli.h"

static FILE *saved_stderr;
static char msg[512];

/* The parsers print to stderr: catch it in a temporary file. */
static void catch_stderr(void)
{
	saved_stderr = stderr;
	stderr = tmpfile();
	ck_assert_ptr_nonnull(stderr);
	cli_set_program("prog");
}

static void release_stderr(void)
{
	fclose(stderr);
	stderr = saved_stderr;
}

/* What the last parse printed (and forget it). */
static const char *printed(void)
{
	size_t n;

	fflush(stderr);
	rewind(stderr);
	n = fread(msg, 1, sizeof(msg) - 1, stderr);
	msg[n] = '\0';
	rewind(stderr);
	ck_assert_int_eq(ftruncate(fileno(stderr), 0), 0);
	return msg;
}

#define ck_assert_printed(text) \
	ck_assert_msg(strstr(printed(), (text)) != NULL, \
		      "printed \"%s\", wanted \"%s\"", msg, (text))

START_TEST(test_i64_accepts)
{
	int64_t v = 0;

	ck_assert_int_eq(cli_parse_i64("-n", "42", 1, 100, &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(cli_parse_i64("-n", "-5", -10, 10, &v), 0);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(cli_parse_i64("-n", "9223372036854775807", 0, INT64_MAX, &v), 0);
	ck_assert_int_eq(v, INT64_MAX);
	ck_assert_str_eq(printed(), "");
}
END_TEST

START_TEST(test_i64_refuses)
{
	int64_t v = 7;

	ck_assert_int_eq(cli_parse_i64("-n", "", 1, 100, &v), -1);
	ck_assert_printed("prog: -n '': need a whole number from 1 to 100 (empty)\n");
	ck_assert_int_eq(cli_parse_i64("-n", "-1", 1, 100, &v), -1);
	ck_assert_printed("(negative)");
	ck_assert_int_eq(cli_parse_i64("-n", "12x", 1, 100, &v), -1);
	ck_assert_printed("-n '12x': need a whole number from 1 to 100 (not a whole number)");
	ck_assert_int_eq(cli_parse_i64("-n", " 12", 1, 100, &v), -1);
	ck_assert_printed("(not a whole number)");
	ck_assert_int_eq(cli_parse_i64("-n", "+12", 1, 100, &v), -1);
	ck_assert_int_eq(cli_parse_i64("-n", "-", -1, 100, &v), -1);
	ck_assert_int_eq(cli_parse_i64("-n", "9223372036854775808", 1, INT64_MAX, &v), -1);
	ck_assert_printed("need a whole number >= 1 (too large)");
	ck_assert_int_eq(cli_parse_i64("-n", "-9223372036854775809", INT64_MIN, 0, &v), -1);
	ck_assert_printed("(too small)");
	ck_assert_int_eq(cli_parse_i64("-n", "101", 1, 100, &v), -1);
	ck_assert_printed("-n '101': need a whole number from 1 to 100\n");
	ck_assert_int_eq(v, 7); /* untouched on failure */
}
END_TEST

START_TEST(test_u64_never_wraps)
{
	uint64_t v = 3;

	/* strtoull("-1") would give 2^64 - 1 */
	ck_assert_int_eq(cli_parse_u64("R", "-1", 1, UINT64_MAX, &v), -1);
	ck_assert_printed("R '-1': need a whole number >= 1 (negative)");
	ck_assert_int_eq(cli_parse_u64("R", "18446744073709551616", 1, UINT64_MAX, &v), -1);
	ck_assert_printed("(too large)");
	ck_assert_int_eq(v, 3);
	ck_assert_int_eq(cli_parse_u64("R", "18446744073709551615", 1, UINT64_MAX, &v), 0);
	ck_assert(v == UINT64_MAX);
}
END_TEST

START_TEST(test_int_range)
{
	int v = 0;

	ck_assert_int_eq(cli_parse_int("-s", "4096", 1, 4096, &v), 0);
	ck_assert_int_eq(v, 4096);
	ck_assert_int_eq(cli_parse_int("-s", "4294967297", 1, 4096, &v), -1);
	ck_assert_int_eq(v, 4096);
}
END_TEST

START_TEST(test_reals)
{
	double v = 5;

	ck_assert_int_eq(cli_parse_double("--w", "0", 0, INFINITY, &v), 0);
	ck_assert_double_eq(v, 0);
	v = 5;
	ck_assert_int_eq(cli_parse_double("--w", "-0.5", 0, INFINITY, &v), -1);
	ck_assert_printed("--w '-0.5': need a number >= 0\n");
	ck_assert_int_eq(cli_parse_double("--w", "2", 0, 1, &v), -1);
	ck_assert_printed("need a number from 0 to 1");
	ck_assert_int_eq(cli_parse_positive("--t", "0", INFINITY, &v), -1);
	ck_assert_printed("--t '0': need a number > 0\n");
	ck_assert_int_eq(cli_parse_positive("--t", "1e999", INFINITY, &v), -1);
	ck_assert_printed("(too large)");
	ck_assert_int_eq(cli_parse_positive("--t", "1e-999", INFINITY, &v), -1);
	ck_assert_printed("(too small)");
	ck_assert_int_eq(cli_parse_positive("--t", "inf", INFINITY, &v), -1);
	ck_assert_printed("(not finite)");
	ck_assert_int_eq(cli_parse_positive("--t", "2s", INFINITY, &v), -1);
	ck_assert_printed("(not a number)");
	ck_assert_int_eq(cli_parse_positive("--t", " 2", INFINITY, &v), -1);
	ck_assert_int_eq(cli_parse_positive("--t", "3", 2, &v), -1);
	ck_assert_printed("need a number > 0 and <= 2");
	ck_assert_int_eq(cli_parse_seconds("--s", "nan", &v), -1);
	ck_assert_printed("--s 'nan': need seconds >= 0 (not finite)");
	ck_assert_double_eq(v, 5);
	ck_assert_int_eq(cli_parse_positive("--t", "0.25", 1, &v), 0);
	ck_assert_double_eq(v, 0.25);
}
END_TEST

START_TEST(test_lists)
{
	int64_t v[4];
	size_t n = 0;

	ck_assert_int_eq(cli_parse_list_i64("-l", "1,2,4", 1, 10, v, 4, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(v[2], 4);
	ck_assert_int_eq(cli_parse_list_i64("-l", "1,,2", 1, 10, v, 4, &n), -1);
	ck_assert_printed("-l '1,,2': need up to 4 numbers separated by commas (an empty item)");
	ck_assert_int_eq(cli_parse_list_i64("-l", "1,2,", 1, 10, v, 4, &n), -1);
	ck_assert_printed("(an empty item)");
	ck_assert_int_eq(cli_parse_list_i64("-l", "", 1, 10, v, 4, &n), -1);
	ck_assert_printed("(empty)");
	ck_assert_int_eq(cli_parse_list_i64("-l", "1,2,3,4,5", 1, 10, v, 4, &n), -1);
	ck_assert_printed("(too many)");
	/* a bad item is named on its own */
	ck_assert_int_eq(cli_parse_list_i64("-l", "1,11", 1, 10, v, 4, &n), -1);
	ck_assert_printed("-l '11': need a whole number from 1 to 10\n");
}
END_TEST

START_TEST(test_enum)
{
	static const char *const names[] = { "a", "b", "c" };
	int v = -1;

	ck_assert_int_eq(cli_parse_enum("--e", "b", names, 3, &v), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(cli_parse_enum("--e", "d", names, 3, &v), -1);
	ck_assert_printed("prog: --e 'd': use a, b or c\n");
}
END_TEST

START_TEST(test_version)
{
	char line[128];

	cli_print_version(stderr);
	snprintf(line, sizeof(line), "prog (libperfkit) %s\n", perfkit_version_string());
	ck_assert_str_eq(printed(), line);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("examples-cli");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, catch_stderr, release_stderr);
	tcase_add_test(tc, test_i64_accepts);
	tcase_add_test(tc, test_i64_refuses);
	tcase_add_test(tc, test_u64_never_wraps);
	tcase_add_test(tc, test_int_range);
	tcase_add_test(tc, test_reals);
	tcase_add_test(tc, test_lists);
	tcase_add_test(tc, test_enum);
	tcase_add_test(tc, test_version);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(cli_suite)
