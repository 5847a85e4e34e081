/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "pk-check.h"
#include "common.h"

static const int library_codes[] = {
	EINVAL, ENOMEM, EIO, ENOENT, EEXIST, ENOTSUP, EBADMSG,
	ERANGE, EDOM, ECANCELED, ETIMEDOUT, ECHILD, EAGAIN, ENOSPC,
};

START_TEST(test_strerror_names_every_code)
{
	for (size_t i = 0; i < sizeof(library_codes) / sizeof(int); i++) {
		const char *s = perfkit_strerror(-library_codes[i]);

		ck_assert_ptr_nonnull(s);
		ck_assert_str_ne(s, "unknown error");
		/* positive codes are accepted too */
		ck_assert_str_eq(s, perfkit_strerror(library_codes[i]));
	}
	ck_assert_str_eq(perfkit_strerror(0), "success");
	ck_assert_str_eq(perfkit_strerror(-EINVAL), "invalid argument");
}
END_TEST

START_TEST(test_strerror_unknown_codes)
{
	ck_assert_str_eq(perfkit_strerror(-99999), "unknown error");
	ck_assert_str_eq(perfkit_strerror(-EPIPE), "unknown error");
	ck_assert_str_eq(perfkit_strerror(-2147483647), "unknown error");
	/* INT_MIN cannot be negated; it must still give an answer */
	ck_assert_ptr_nonnull(perfkit_strerror(-2147483647 - 1));
}
END_TEST

START_TEST(test_last_error_set_and_cleared)
{
	perfkit_clear_error();
	ck_assert_str_eq(perfkit_last_error(), "");
	ck_assert_int_eq(pk_error(-EINVAL, "n must be > 0, got %d", -3), -EINVAL);
	ck_assert_str_eq(perfkit_last_error(), "n must be > 0, got -3");
	perfkit_clear_error();
	ck_assert_str_eq(perfkit_last_error(), "");
}
END_TEST

START_TEST(test_last_error_truncates_long_messages)
{
	char big[4096];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(pk_error(-EBADMSG, "%s", big), -EBADMSG);
	ck_assert_uint_gt(strlen(perfkit_last_error()), 100);
	ck_assert_uint_lt(strlen(perfkit_last_error()), sizeof(big) - 1);
}
END_TEST

static void *set_other_thread(void *arg)
{
	(void)arg;
	pk_error(-EIO, "from the other thread");
	return strcmp(perfkit_last_error(), "from the other thread") == 0 ?
		       (void *)1 : NULL;
}

START_TEST(test_last_error_is_per_thread)
{
	pthread_t t;
	void *ok = NULL;

	pk_error(-EINVAL, "main thread");
	ck_assert_int_eq(pthread_create(&t, NULL, set_other_thread, NULL), 0);
	ck_assert_int_eq(pthread_join(t, &ok), 0);
	ck_assert_ptr_nonnull(ok);
	ck_assert_str_eq(perfkit_last_error(), "main thread");
}
END_TEST

START_TEST(test_set_error)
{
	char big[1024];

	perfkit_clear_error();
	ck_assert_int_eq(perfkit_set_error(-EIO, "rank %d: %s", 2, "disk full"), -EIO);
	ck_assert_str_eq(perfkit_last_error(), "rank 2: disk full");
	ck_assert_int_eq(perfkit_set_error(0, "%s", ""), 0);
	ck_assert_str_eq(perfkit_last_error(), "");
	/* NULL format: the message is cleared, the code still returned */
	perfkit_set_error(-EINVAL, "something");
	ck_assert_int_eq(perfkit_set_error(-ENOMEM, NULL), -ENOMEM);
	ck_assert_str_eq(perfkit_last_error(), "");
	/* cut at 511 bytes */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(perfkit_set_error(-ERANGE, "%s", big), -ERANGE);
	ck_assert_uint_eq(strlen(perfkit_last_error()), 511);
}
END_TEST

static Suite *error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_strerror_names_every_code);
	tcase_add_test(tc, test_strerror_unknown_codes);
	tcase_add_test(tc, test_last_error_set_and_cleared);
	tcase_add_test(tc, test_last_error_truncates_long_messages);
	tcase_add_test(tc, test_last_error_is_per_thread);
	tcase_add_test(tc, test_set_error);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(error_suite)
