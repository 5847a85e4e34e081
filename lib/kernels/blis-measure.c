/* SPDX-License-Identifier: MIT */
/*
 * Timing BLIS's kernel sets on this CPU. BLIS reads BLIS_ARCH_TYPE once,
 * at its first call, and keeps that choice for the life of the process:
 * each kernel set is therefore tried in a child process forked before the
 * parent calls BLIS, which sets the variable, times a small single-threaded
 * dgemm for a few milliseconds and sends back the fastest rate it saw.
 * Only sets whose instructions this CPU executes are tried.
 */
#include <blis.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "blis-measure.h"
#include "common.h"

/* dgemm of order TRIAL_N: 2 * 128^3 = 4.2 MFLOP, 0.1 ms at 40 GFLOPS. */
#define TRIAL_N 128
/* A child that has not answered by then is given up (and killed). A
 * healthy child answers in milliseconds, or about a second under valgrind
 * on a loaded machine; only a hung one waits this long. */
#define TRIAL_TIMEOUT_MS 15000

struct trial_msg {
	int id;        /* the kernel set BLIS ran */
	double gflops; /* the fastest call, 0 if none ran */
};

#if defined(__x86_64__) || defined(__i386__)
/* Can this CPU execute kernel set @id? Its instructions, not its vendor:
 * a rule tied to a name fails on the next CPU. */
static int executable(arch_t id)
{
	__builtin_cpu_init();
	switch (id) {
	case BLIS_ARCH_SKX:
		return __builtin_cpu_supports("avx512f") &&
		       __builtin_cpu_supports("avx512dq") &&
		       __builtin_cpu_supports("avx512bw") &&
		       __builtin_cpu_supports("avx512vl");
	case BLIS_ARCH_HASWELL:
	case BLIS_ARCH_ZEN:
	case BLIS_ARCH_ZEN2:
	case BLIS_ARCH_ZEN3:
		return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
	case BLIS_ARCH_SANDYBRIDGE:
		return __builtin_cpu_supports("avx");
	case BLIS_ARCH_PENRYN:
		return __builtin_cpu_supports("ssse3");
	case BLIS_ARCH_EXCAVATOR:
	case BLIS_ARCH_STEAMROLLER:
	case BLIS_ARCH_PILEDRIVER:
	case BLIS_ARCH_BULLDOZER:
		return __builtin_cpu_supports("fma4") && __builtin_cpu_supports("avx");
	case BLIS_ARCH_GENERIC:
		return 1;
	default: /* knl (AVX-512ER), knc, and other families */
		return 0;
	}
}

/* How wide the vectors of a kernel set are: 3 AVX-512, 2 AVX2+FMA, 1 AVX
 * or FMA4, 0 older or generic. */
static int width(arch_t id)
{
	switch (id) {
	case BLIS_ARCH_SKX:
	case BLIS_ARCH_KNL:
		return 3;
	case BLIS_ARCH_HASWELL:
	case BLIS_ARCH_ZEN:
	case BLIS_ARCH_ZEN2:
	case BLIS_ARCH_ZEN3:
		return 2;
	case BLIS_ARCH_SANDYBRIDGE:
	case BLIS_ARCH_EXCAVATOR:
	case BLIS_ARCH_STEAMROLLER:
	case BLIS_ARCH_PILEDRIVER:
	case BLIS_ARCH_BULLDOZER:
		return 1;
	default:
		return 0;
	}
}
#else
/* Elsewhere BLIS's own choice stands: no table of instruction sets yet. */
static int executable(arch_t id)
{
	return id == BLIS_ARCH_GENERIC;
}

static int width(arch_t id)
{
	(void)id;
	return 0;
}
#endif

static int widest(void)
{
	int w = 0;

	for (int id = 0; id < (int)BLIS_NUM_ARCHS; id++)
		if (executable((arch_t)id) && width((arch_t)id) > w)
			w = width((arch_t)id);
	return w;
}

size_t pk_blis_candidates(arch_t own, arch_t *ids, size_t max)
{
	int w = widest();
	size_t n = 0;

	/* Narrower sets than the two widest classes never win (SSE against
	 * AVX2 with FMA): leave them out to keep the trials short. */
	for (int id = 0; id < (int)BLIS_NUM_ARCHS && n < max; id++)
		if (executable((arch_t)id) &&
		    (width((arch_t)id) >= w - 1 || (arch_t)id == own))
			ids[n++] = (arch_t)id;
	return n;
}

int pk_blis_below_cpu(arch_t own)
{
	return own == BLIS_ARCH_GENERIC || width(own) < widest();
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double call_dgemm(const rntm_t *rntm0, double *a)
{
	const dim_t n = TRIAL_N;
	double one = 1.0, zero = 0.0, t0 = now_s();
	rntm_t rntm = *rntm0; /* BLIS may write to the rntm_t it is given */

	bli_dgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, n, n, n, &one,
		     a, n, 1, a + n * n, n, 1, &zero, a + 2 * n * n, n, 1,
		     NULL, &rntm);
	return now_s() - t0;
}

/* In the child: the fastest of the dgemm calls made in @seconds, after
 * one call that sets up BLIS's packing buffers. */
static double time_dgemm(double seconds)
{
	double *a = malloc(sizeof(double) * TRIAL_N * TRIAL_N * 3);
	double best = INFINITY, end;
	rntm_t rntm = BLIS_RNTM_INITIALIZER;

	if (!a)
		return 0.0;
	for (size_t i = 0; i < (size_t)TRIAL_N * TRIAL_N * 3; i++)
		a[i] = (double)(i % 17) / 16.0;
	bli_rntm_set_num_threads(1, &rntm);
	(void)call_dgemm(&rntm, a);
	end = now_s() + seconds;
	for (int calls = 0; calls < 3 || now_s() < end; calls++) {
		double dt = call_dgemm(&rntm, a);

		if (dt > 0 && dt < best)
			best = dt;
	}
	free(a);
	return isfinite(best) ? 2.0 * TRIAL_N * TRIAL_N * TRIAL_N / best / 1e9 : 0.0;
}

static void child(int fd, int id, double seconds)
{
	struct trial_msg msg;
	char buf[16];
	int null = open("/dev/null", O_WRONLY);

	memset(&msg, 0, sizeof(msg)); /* the padding is written too */

	/* BLIS reports an unregistered set on stderr before it aborts. */
	if (null >= 0)
		dup2(null, STDERR_FILENO);
	if (id >= 0) {
		snprintf(buf, sizeof(buf), "%d", id);
		setenv("BLIS_ARCH_TYPE", buf, 1);
	} else {
		unsetenv("BLIS_ARCH_TYPE");
	}
	bli_init();
	msg.id = (int)bli_arch_query_id();
	if (seconds > 0)
		msg.gflops = time_dgemm(seconds);
	if (write(fd, &msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		_exit(1);
	_exit(0);
}

/* The parent's side: one message, or a failure if the child died, asked
 * for a set BLIS does not have, or did not answer in time. */
static int collect(int fd, pid_t pid, struct trial_msg *msg)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t got = -1;
	int status;

	if (poll(&p, 1, TRIAL_TIMEOUT_MS) == 1)
		got = read(fd, msg, sizeof(*msg));
	if (got != (ssize_t)sizeof(*msg))
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return got == (ssize_t)sizeof(*msg) ? 0 : -EIO;
}

int pk_blis_trial(int id, double seconds, arch_t *ran, double *gflops)
{
	struct trial_msg msg;
	int fd[2], rc;
	pid_t pid;

	if (pipe(fd) != 0)
		return pk_error(-errno, "BLIS trial: pipe: %s", strerror(errno));
	fflush(NULL); /* nothing buffered may be written twice */
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(fd[0]);
		close(fd[1]);
		return pk_error(rc, "BLIS trial: fork: %s", strerror(-rc));
	}
	if (pid == 0) {
		close(fd[0]);
		child(fd[1], id, seconds);
	}
	close(fd[1]);
	rc = collect(fd[0], pid, &msg);
	close(fd[0]);
	if (rc)
		return rc;
	if (id >= 0 && msg.id != id)
		return -ENOTSUP; /* BLIS has no such set registered */
	*ran = (arch_t)msg.id;
	*gflops = msg.gflops;
	return 0;
}
