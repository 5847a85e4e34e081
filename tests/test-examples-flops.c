/* SPDX-License-Identifier: MIT */
/* perfkit-flops's share of a theoretical peak (examples/flops/flops-share.c):
 * with its uncertainty, and never above 100 % as a fact. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk-check.h"
#include "flops-report.h"

/* Does @s end just before @q in @t? */
static int preceded_by(const char *t, const char *q, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(q - t) >= n && memcmp(q - n, s, n) == 0;
}

/* The first number of the text followed by '%', as a share in percent,
 * where it is printed as the share itself (not "measured ..."). */
static void no_share_above_100(const char *t)
{
	const char *p = t;

	/* "measured X% ± u%" says what was measured beside the answer;
	 * everything else printed must be at most 100 % */
	while ((p = strchr(p, '%')) != NULL) {
		const char *q = p;

		while (q > t && (q[-1] == '.' || (q[-1] >= '0' && q[-1] <= '9')))
			q--;
		if (q < p && !preceded_by(t, q, "measured ") && !preceded_by(t, q, "± ") &&
		    !preceded_by(t, q, "±"))
			ck_assert_msg(atof(q) <= 100, "'%s' prints %g%% as a fact", t, atof(q));
		p++;
	}
	ck_assert_ptr_null(strstr(t, "> 100"));
}

START_TEST(test_share_text)
{
	char b[256];

	ck_assert_str_eq(report_share_text(0.97, NAN, b, sizeof(b)), "97%");
	ck_assert_str_eq(report_share_text(0.97, 0, b, sizeof(b)), "97%");
	ck_assert_str_eq(report_share_text(0.99, 0.03, b, sizeof(b)), "99% ± 3%");
	ck_assert_str_eq(report_share_text(0.5, 0.031, b, sizeof(b)), "50% ± 3%");
	/* over 100 % within twice the uncertainty: a range capped at 100 % */
	report_share_text(1.03, 0.03, b, sizeof(b));
	ck_assert_msg(strncmp(b, "97-100% (measured 103% ± 3%", 27) == 0, "%s", b);
	no_share_above_100(b);
	report_share_text(1.001, 0.002, b, sizeof(b));
	ck_assert_msg(strncmp(b, "100% (measured 100.1% ± 0.2%", 29) == 0, "%s", b);
	no_share_above_100(b);
	/* without an uncertainty, over 100 % is not a result */
	report_share_text(1.03, NAN, b, sizeof(b));
	ck_assert_msg(strncmp(b, "not known", 9) == 0, "%s", b);
	no_share_above_100(b);
	/* far above: the table or the clock is wrong, said so */
	report_share_text(1.20, 0.02, b, sizeof(b));
	ck_assert_msg(strstr(b, "not known") && strstr(b, "table or the clock is wrong"), "%s", b);
	no_share_above_100(b);
	ck_assert_str_eq(report_share_text(NAN, 0.01, b, sizeof(b)), "unknown");
	/* every share from 0 to 150 % and a few uncertainties */
	for (int i = 0; i <= 150; i++)
		for (int u = 0; u <= 6; u += 2) {
			report_share_text(i / 100.0, u / 100.0, b, sizeof(b));
			no_share_above_100(b);
		}
}
END_TEST

/* report_machine() on a hand-made set: @clock_error set or not. */
static char *machine_text(const char *clock_error)
{
	struct perfkit_results *res = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.core_peak_gflops", "108.4"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.cores", "2"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "harness.workers", "2"), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "machine.peak.ghz", "3.39"), 0);
	if (clock_error)
		ck_assert_int_eq(perfkit_results_meta_set(res, "harness.peak_clock_error",
							  clock_error), 0);
	ck_assert_ptr_nonnull(f = open_memstream(&text, &len));
	report_machine(f, res);
	ck_assert_int_eq(fclose(f), 0);
	perfkit_results_destroy(res);
	return text;
}

/* A clock under load that could not be measured is said so, with why. */
START_TEST(test_clock_absent_reason)
{
	char *t = machine_text("not measured in 2 tries: busy host");

	ck_assert_msg(strstr(t, "theoretical 216.8 GFLOPS") &&
		      strstr(t, "clock under the `peak` kernel's load: not measured "
				"in 2 tries: busy host\n"), "%s", t);
	free(t);
	t = machine_text(NULL);
	ck_assert_msg(!strstr(t, "clock under the `peak` kernel's load"), "%s", t);
	free(t);
}
END_TEST

static Suite *flops_suite(void)
{
	Suite *s = suite_create("examples-flops");
	TCase *tc = tcase_create("share");

	tcase_add_test(tc, test_share_text);
	tcase_add_test(tc, test_clock_absent_reason);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(flops_suite)
