/* SPDX-License-Identifier: MIT */
/* Shared scaffolding for the Check unit tests. */
#ifndef PK_CHECK_H
#define PK_CHECK_H

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/error.h"

/* Assert two doubles agree to a relative tolerance (absolute near zero). */
#define ck_assert_close(a, b, rel)                                          \
	do {                                                                \
		double pk_a_ = (a), pk_b_ = (b);                            \
		double pk_s_ = fabs(pk_b_) > 1.0 ? fabs(pk_b_) : 1.0;       \
		ck_assert_msg(fabs(pk_a_ - pk_b_) <= (rel) * pk_s_,         \
			      "%s = %.17g, expected %.17g (rel %g)", #a,    \
			      pk_a_, pk_b_, (double)(rel));                 \
	} while (0)

/* Assert a call fails with @code and a message containing @text. */
#define ck_assert_fails(call, code, text)                                   \
	do {                                                                \
		perfkit_clear_error();                                      \
		int pk_rc_ = (call);                                        \
		ck_assert_int_eq(pk_rc_, (code));                           \
		ck_assert_msg(strstr(perfkit_last_error(), (text)) != NULL, \
			      "%s: message \"%s\" lacks \"%s\"", #call,     \
			      perfkit_last_error(), (text));                \
	} while (0)

/* Define main() running the suite returned by make_suite(). */
#define PK_CHECK_MAIN(make_suite)                                           \
	int main(void)                                                      \
	{                                                                   \
		SRunner *sr = srunner_create(make_suite());                 \
		srunner_run_all(sr, CK_NORMAL);                             \
		int failed = srunner_ntests_failed(sr);                     \
		srunner_free(sr);                                           \
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;           \
	}

#endif /* PK_CHECK_H */
