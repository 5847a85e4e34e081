/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

START_TEST(test_runtime_matches_headers)
{
	ck_assert_int_eq(perfkit_version(), PERFKIT_VERSION);
	ck_assert_str_eq(perfkit_version_string(), PERFKIT_VERSION_STRING);
}
END_TEST

START_TEST(test_string_matches_numbers)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d.%d.%d", PERFKIT_VERSION_MAJOR,
		 PERFKIT_VERSION_MINOR, PERFKIT_VERSION_PATCH);
	ck_assert_str_eq(buf, perfkit_version_string());
	ck_assert_int_eq(perfkit_version(),
			 PERFKIT_VERSION_MAJOR * 10000 +
				 PERFKIT_VERSION_MINOR * 100 +
				 PERFKIT_VERSION_PATCH);
}
END_TEST

START_TEST(test_check_version_macro)
{
	ck_assert(PERFKIT_CHECK_VERSION(PERFKIT_VERSION_MAJOR,
					PERFKIT_VERSION_MINOR,
					PERFKIT_VERSION_PATCH));
	ck_assert(PERFKIT_CHECK_VERSION(0, 0, 0));
	ck_assert(PERFKIT_CHECK_VERSION(PERFKIT_VERSION_MAJOR, 0, 0));
	ck_assert(!PERFKIT_CHECK_VERSION(PERFKIT_VERSION_MAJOR + 1, 0, 0));
	ck_assert(!PERFKIT_CHECK_VERSION(PERFKIT_VERSION_MAJOR,
					 PERFKIT_VERSION_MINOR + 1, 0));
	ck_assert(!PERFKIT_CHECK_VERSION(PERFKIT_VERSION_MAJOR,
					 PERFKIT_VERSION_MINOR,
					 PERFKIT_VERSION_PATCH + 1));
}
END_TEST

static Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_runtime_matches_headers);
	tcase_add_test(tc, test_string_matches_numbers);
	tcase_add_test(tc, test_check_version_macro);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(version_suite)
