/* SPDX-License-Identifier: MIT */
/* One run of a program, timed: wall from the monotonic clock, user and
 * system time from the kernel's accounting of the reaped child (wait4). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "perfkit/command.h"
#include "perfkit/timer.h"

extern char **environ;

static double timeval_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* stdin from /dev/null; stdout and stderr too unless they are shown. */
static int quiet_actions(posix_spawn_file_actions_t *fa, unsigned flags)
{
	int rc = posix_spawn_file_actions_addopen(fa, STDIN_FILENO, "/dev/null",
						  O_RDONLY, 0);

	if (rc == 0 && !(flags & PERFKIT_COMMAND_SHOW_OUTPUT))
		rc = posix_spawn_file_actions_addopen(fa, STDOUT_FILENO,
						      "/dev/null", O_WRONLY, 0);
	if (rc == 0 && !(flags & PERFKIT_COMMAND_SHOW_OUTPUT))
		rc = posix_spawn_file_actions_adddup2(fa, STDOUT_FILENO,
						      STDERR_FILENO);
	return rc;
}

static int spawn_failed(int err, const char *prog)
{
	switch (err) {
	case ENOENT:
		return pk_error(-ENOENT, "command not found: '%s'", prog);
	case EACCES:
		return pk_error(-EACCES, "'%s' may not be executed (permission "
				"denied, or a folder)", prog);
	case ENOEXEC:
		return pk_error(-ENOEXEC, "'%s' is not an executable this system "
				"can start", prog);
	case ENOMEM:
	case EAGAIN:
		return pk_error(-err, "cannot start '%s': %s", prog,
				strerror(err));
	default:
		return pk_error(-err, "cannot start '%s': %s", prog,
				strerror(err));
	}
}

/* 0 if @path is a regular file we may execute; else -ENOENT or -EACCES. */
static int executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return errno == EACCES ? -EACCES : -ENOENT;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
		return -EACCES;
	return 0;
}

/* The file to execute for @prog, searched in PATH as execvp() does, in
 * the parent: an exec that fails in the child is then reported the same
 * way under every libc and under valgrind (which turns the vfork-like
 * spawn into a fork: the child's failure becomes exit status 127). */
static int search(const char *prog, const char *path, char *buf, size_t cap,
		  const char **file)
{
	const char *p, *end;
	int rc = -ENOENT;

	*file = prog;
	if (strchr(prog, '/'))
		return executable(prog);
	for (p = path && *path ? path : "/bin:/usr/bin";; p = end + 1) {
		end = strchrnul(p, ':');
		if (snprintf(buf, cap, "%.*s/%s", end == p ? 1 : (int)(end - p),
			     end == p ? "." : p, prog) < (int)cap) {
			int r = executable(buf);

			if (r == 0) {
				*file = buf;
				return 0;
			}
			if (r == -EACCES)
				rc = -EACCES;
		}
		if (!*end)
			return rc;
	}
}

/*
 * The last program found in PATH: timing the same command hundreds of
 * times would otherwise search PATH before each run (a stat per folder,
 * about ten syscalls here), outside the timed window but in the tool's
 * overhead per run. Kept only for an absolute file, only while PATH is
 * the same text, and checked again before each use (two syscalls), so a
 * file that is gone is still reported in the parent (a program put into
 * an earlier PATH folder meanwhile is not seen). One cache for the
 * process, under a lock: thread-local storage of this size would not fit
 * the static TLS that a dlopen()ed libperfkit (Python's ctypes) gets.
 */
static struct {
	pthread_mutex_t lock;
	char prog[NAME_MAX + 1];
	char path[1024];
	char file[PATH_MAX];
} found = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int cached(const char *prog, const char *path, char *buf, size_t cap)
{
	int hit;

	pthread_mutex_lock(&found.lock);
	hit = found.file[0] && strcmp(found.prog, prog) == 0 &&
	      strcmp(found.path, path) == 0 && strlen(found.file) < cap;
	if (hit)
		strcpy(buf, found.file);
	pthread_mutex_unlock(&found.lock);
	return hit && executable(buf) == 0;
}

static void remember(const char *prog, const char *path, const char *file)
{
	if (file[0] != '/' || strlen(prog) >= sizeof(found.prog) ||
	    strlen(path) >= sizeof(found.path) || strlen(file) >= sizeof(found.file))
		return;
	pthread_mutex_lock(&found.lock);
	strcpy(found.prog, prog);
	strcpy(found.path, path);
	strcpy(found.file, file);
	pthread_mutex_unlock(&found.lock);
}

static int resolve(const char *prog, char *buf, size_t cap, const char **file)
{
	const char *path = getenv("PATH");
	int rc;

	if (!path)
		path = "";
	if (!strchr(prog, '/') && cached(prog, path, buf, cap)) {
		*file = buf;
		return 0;
	}
	rc = search(prog, path, buf, cap, file);
	if (rc == 0 && *file == buf)
		remember(prog, path, buf);
	return rc;
}

/* Wait for @pid, restarting after signals; its rusage into @ru. */
static int reap(pid_t pid, const char *prog, int *status, struct rusage *ru)
{
	pid_t r;

	do
		r = wait4(pid, status, 0, ru);
	while (r < 0 && errno == EINTR);
	if (r != pid)
		return pk_error(-ECHILD, "cannot wait for '%s': %s", prog,
				strerror(errno));
	return 0;
}

PERFKIT_EXPORT int perfkit_command_time(const char *const *argv,
					unsigned flags,
					struct perfkit_command_time *out)
{
	posix_spawn_file_actions_t fa;
	char buf[PATH_MAX];
	const char *file;
	struct rusage ru;
	uint64_t t0, t1;
	pid_t pid;
	int rc, status;

	if (!argv || !out)
		return pk_error(-EINVAL, "perfkit_command_time: argv and out "
				"must not be NULL");
	if (!argv[0] || !argv[0][0])
		return pk_error(-EINVAL, "perfkit_command_time: the command is "
				"empty");
	if (flags & ~PERFKIT_COMMAND_SHOW_OUTPUT)
		return pk_error(-EINVAL, "perfkit_command_time: unknown flags "
				"0x%x", flags & ~PERFKIT_COMMAND_SHOW_OUTPUT);
	rc = resolve(argv[0], buf, sizeof(buf), &file);
	if (rc < 0)
		return spawn_failed(-rc, argv[0]);
	rc = posix_spawn_file_actions_init(&fa);
	if (rc != 0)
		return spawn_failed(rc, argv[0]);
	rc = quiet_actions(&fa, flags);
	t0 = perfkit_now_ns();
	if (rc == 0)
		rc = posix_spawn(&pid, file, &fa, NULL, (char *const *)argv,
				 environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return spawn_failed(rc, argv[0]);
	rc = reap(pid, argv[0], &status, &ru);
	t1 = perfkit_now_ns();
	if (rc < 0)
		return rc;
	/* glibc reports a failed exec as the spawn's error; a shell-less
	 * libc exits 127 instead, which callers see as the exit code. */
	out->wall = (double)(t1 - t0) * 1e-9;
	out->user = timeval_s(ru.ru_utime);
	out->system = timeval_s(ru.ru_stime);
	out->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	out->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return 0;
}
