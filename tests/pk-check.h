/* SPDX-License-Identifier: MIT */
/* Shared scaffolding for the Check unit tests. */
#ifndef PK_CHECK_H
#define PK_CHECK_H

#include <check.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perfkit/error.h"

/* RUNNING_ON_VALGRIND: tests that sweep or build large inputs do less
 * under valgrind, which adds nothing to them but time. */
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

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

/* What a call run by pk_run_within() returned, and its last error. */
struct pk_outcome {
	int rc;
	char msg[512];
};

/*
 * Run @fn(@arg) in a child process and give back its return value and
 * perfkit_last_error(); fail the test if it takes more than @seconds (the
 * child is killed) or dies. A watchdog of our own, so that a hang fails
 * even where Check does not fork (CK_FORK=no under valgrind).
 */
static inline struct pk_outcome pk_run_within(unsigned seconds,
					      int (*fn)(void *), void *arg)
{
	struct pk_outcome out = { 0, "" };
	struct pollfd pfd = { .events = POLLIN };
	int fds[2], ready, status;
	size_t got = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		out.rc = fn(arg);
		snprintf(out.msg, sizeof(out.msg), "%s", perfkit_last_error());
		_exit(write(fds[1], &out, sizeof(out)) == sizeof(out) ? 0 : 1);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	do
		ready = poll(&pfd, 1, (int)seconds * 1000);
	while (ready < 0 && errno == EINTR);
	if (ready == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(fds[0]);
		ck_abort_msg("did not finish within %u s", seconds);
	}
	while (got < sizeof(out)) {
		ssize_t n = read(fds[0], (char *)&out + got, sizeof(out) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(got == sizeof(out) && WIFEXITED(status) &&
			      WEXITSTATUS(status) == 0,
		      "the child died (status %#x)", (unsigned)status);
	return out;
}

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
