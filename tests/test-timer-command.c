/* SPDX-License-Identifier: MIT */
/* perfkit_command_time(): real programs, real exit codes and signals. */
#include <sys/stat.h>
#include <sys/time.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

/* Run "sh -c @script"; assert the call succeeds. */
static struct perfkit_command_time sh(const char *script, unsigned flags)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct perfkit_command_time t;

	memset(&t, 0xff, sizeof(t));
	ck_assert_int_eq(perfkit_command_time(argv, flags, &t), 0);
	return t;
}

START_TEST(test_true_succeeds)
{
	const char *argv[] = { "true", NULL };
	struct perfkit_command_time t;

	ck_assert_int_eq(perfkit_command_time(argv, 0, &t), 0);
	ck_assert_int_eq(t.exit_code, 0);
	ck_assert_int_eq(t.signal, 0);
	ck_assert(isfinite(t.wall) && t.wall > 0 && t.wall < 60);
	ck_assert(t.user >= 0 && t.system >= 0);
}
END_TEST

START_TEST(test_exit_code_and_signal)
{
	struct perfkit_command_time t = sh("exit 3", 0);

	ck_assert_int_eq(t.exit_code, 3);
	ck_assert_int_eq(t.signal, 0);
	t = sh("kill -TERM $$", 0);
	ck_assert_int_eq(t.exit_code, -1);
	ck_assert_int_eq(t.signal, SIGTERM);
}
END_TEST

/* CPU time is charged, also for a grandchild the shell waited for, and
 * is physically possible: one thread cannot use more CPU than wall time
 * (plus the kernel's accounting granularity). */
START_TEST(test_cpu_time_counted)
{
	const char *burn = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done";
	char nested[200];
	struct perfkit_command_time t = sh(burn, 0);

	ck_assert_msg(t.user + t.system > 0.01, "user %g sys %g", t.user,
		      t.system);
	ck_assert_msg(t.user + t.system <= t.wall + 0.02, "cpu %g > wall %g",
		      t.user + t.system, t.wall);
	snprintf(nested, sizeof(nested), "sh -c '%s'", burn);
	t = sh(nested, 0);
	ck_assert_msg(t.user + t.system > 0.01, "grandchild not counted: "
		      "user %g sys %g", t.user, t.system);
}
END_TEST

START_TEST(test_wall_covers_the_run)
{
	struct perfkit_command_time t = sh("sleep 0.2", 0);

	ck_assert_msg(t.wall >= 0.2 && t.wall < 30, "wall %g", t.wall);
	ck_assert(t.user + t.system < t.wall);
}
END_TEST

/* Standard input is /dev/null; output too unless shown. */
START_TEST(test_standard_streams)
{
	ck_assert_int_eq(sh("[ \"$(readlink /proc/$$/fd/0)\" = /dev/null ]",
			    0).exit_code, 0);
	ck_assert_int_eq(sh("[ \"$(readlink /proc/$$/fd/1)\" = /dev/null ] && "
			    "[ \"$(readlink /proc/$$/fd/2)\" = /dev/null ]",
			    0).exit_code, 0);
	ck_assert_int_eq(sh("[ \"$(readlink /proc/$$/fd/0)\" = /dev/null ]",
			    PERFKIT_COMMAND_SHOW_OUTPUT).exit_code, 0);
	ck_assert_int_eq(sh("[ \"$(readlink /proc/$$/fd/1)\" = "
			    "\"$(readlink /proc/$PPID/fd/1)\" ]",
			    PERFKIT_COMMAND_SHOW_OUTPUT).exit_code, 0);
}
END_TEST

START_TEST(test_bad_arguments)
{
	const char *argv[] = { "true", NULL };
	const char *none[] = { NULL };
	const char *empty[] = { "", NULL };
	struct perfkit_command_time t;

	ck_assert_fails(perfkit_command_time(NULL, 0, &t), -EINVAL, "NULL");
	ck_assert_fails(perfkit_command_time(argv, 0, NULL), -EINVAL, "NULL");
	ck_assert_fails(perfkit_command_time(none, 0, &t), -EINVAL, "empty");
	ck_assert_fails(perfkit_command_time(empty, 0, &t), -EINVAL, "empty");
	ck_assert_fails(perfkit_command_time(argv, 0x80, &t), -EINVAL,
			"unknown flags");
}
END_TEST

START_TEST(test_not_found_and_not_executable)
{
	const char *missing[] = { "perfkit-no-such-program", NULL };
	const char *dir[] = { "/", NULL };
	char path[] = "/tmp/perfkit-cmd-XXXXXX";
	const char *plain[] = { path, NULL };
	struct perfkit_command_time t;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	chmod(path, 0644);
	ck_assert_fails(perfkit_command_time(missing, 0, &t), -ENOENT,
			"command not found: 'perfkit-no-such-program'");
	ck_assert_fails(perfkit_command_time(dir, 0, &t), -EACCES, "'/'");
	/* no x bit for anyone: even root may not execute it */
	ck_assert_fails(perfkit_command_time(plain, 0, &t), -EACCES, path);
	unlink(path);
}
END_TEST

/* Write an executable script @dir/pk-probe that exits with @code. */
static void write_probe(const char *dir, int code)
{
	char file[256];
	FILE *f;

	snprintf(file, sizeof(file), "%s/pk-probe", dir);
	f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\nexit %d\n", code);
	fclose(f);
	ck_assert_int_eq(chmod(file, 0755), 0);
}

static int probe_exit(const char *path)
{
	const char *argv[] = { "pk-probe", NULL };
	struct perfkit_command_time t;

	ck_assert_int_eq(setenv("PATH", path, 1), 0);
	ck_assert_int_eq(perfkit_command_time(argv, 0, &t), 0);
	return t.exit_code;
}

/* The program found in PATH is remembered between runs, but never when
 * PATH changes or the file is gone. */
START_TEST(test_path_search_follows_path_and_files)
{
	char d1[] = "/tmp/perfkit-path1-XXXXXX", d2[] = "/tmp/perfkit-path2-XXXXXX";
	const char *argv[] = { "pk-probe", NULL };
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	char file[256];
	struct perfkit_command_time t;

	ck_assert_ptr_nonnull(mkdtemp(d1));
	ck_assert_ptr_nonnull(mkdtemp(d2));
	write_probe(d1, 3);
	write_probe(d2, 4);
	ck_assert_int_eq(probe_exit(d1), 3);
	ck_assert_int_eq(probe_exit(d1), 3);
	ck_assert_int_eq(probe_exit(d2), 4);
	ck_assert_int_eq(probe_exit(d1), 3);
	snprintf(file, sizeof(file), "%s/pk-probe", d1);
	ck_assert_int_eq(unlink(file), 0);
	ck_assert_fails(perfkit_command_time(argv, 0, &t), -ENOENT,
			"command not found: 'pk-probe'");
	ck_assert_fails(perfkit_command_time(argv, 0, &t), -ENOENT,
			"command not found: 'pk-probe'");
	write_probe(d1, 5);
	ck_assert_int_eq(probe_exit(d1), 5);
	unlink(file);
	snprintf(file, sizeof(file), "%s/pk-probe", d2);
	unlink(file);
	rmdir(d1);
	rmdir(d2);
	if (old)
		setenv("PATH", old, 1);
	free(old);
}
END_TEST

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal that interrupts the wait (no SA_RESTART) does not end it. */
START_TEST(test_wait_survives_signals)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval it = { .it_value = { 0, 50000 },
				.it_interval = { 0, 50000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	struct perfkit_command_time t;

	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, &old), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	t = sh("sleep 0.3", 0);
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	ck_assert_int_eq(t.exit_code, 0);
	ck_assert_msg(t.wall >= 0.3, "wall %g", t.wall);
}
END_TEST

static Suite *command_suite(void)
{
	Suite *s = suite_create("timer-command");
	TCase *tc = tcase_create("command");

	tcase_add_test(tc, test_true_succeeds);
	tcase_add_test(tc, test_exit_code_and_signal);
	tcase_add_test(tc, test_cpu_time_counted);
	tcase_add_test(tc, test_wall_covers_the_run);
	tcase_add_test(tc, test_standard_streams);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_not_found_and_not_executable);
	tcase_add_test(tc, test_path_search_follows_path_and_files);
	tcase_add_test(tc, test_wait_survives_signals);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(command_suite)
