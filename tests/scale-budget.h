/* SPDX-License-Identifier: MIT */
/*
 * Can this machine hold W live workers? test-harness-scale asks before it
 * starts the notebook's 2,800, and skips (exit 77) with the reason when
 * the answer is no: free memory (/proc/meminfo MemAvailable, and the
 * memory cgroup's limit, v1 or v2), the task limits (pid_max,
 * threads-max, the pids cgroup, RLIMIT_NPROC), strict overcommit (each
 * thread's stack is committed) and open files (the parent holds one pipe
 * per worker; the soft limit is raised to the hard one if that is enough).
 * A lock in /tmp keeps two instances from running at once on one machine.
 */
#ifndef PK_SCALE_BUDGET_H
#define PK_SCALE_BUDGET_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* What one live worker costs, measured on the 2-vCPU Debian 12 VM
 * (docs/harness.md): a forked worker ~0.3 MB (its task, page tables and
 * the pages it writes after fork; RSS says ~3.5 MB because it counts the
 * pages shared with the parent), a thread ~0.05 MB. Under ASan a forked
 * worker writes shadow and allocator pages: ~PK_SCALE_ASAN_MB. The
 * budget is 4 x the measurement, and the run may take at most half of
 * what is available. */
#define PK_SCALE_WORKER_KB 1024
/* With glibc's MALLOC_PERTURB_ every malloc'd byte is written: each
 * worker's BLIS packing blocks (~18 MB with the skx kernels, untouched by
 * a small dgemm otherwise) become resident. 2,800 threads then need some
 * 50 GB (measured: 400 workers, 3.9 GB). */
#define PK_SCALE_PERTURB_KB (24 * 1024)
#define PK_SCALE_ASAN_KB (12 * 1024)
#define PK_SCALE_BASE_KB (256 * 1024)
#define PK_SCALE_SPARE_TASKS 256
#define PK_SCALE_LOCK "/tmp/perfkit-test-harness-scale.lock"

static inline int pk_scale_asan(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 1;
#endif
#endif
	return 0;
}

static inline int pk_scale_why(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return 0;
}

/* First number after @key in @path ("Key: 123 kB", "123"); -1 if none. */
static inline long long pk_scale_read(const char *path, const char *key)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (v < 0 && fgets(line, sizeof(line), f)) {
		const char *p = line;

		if (key && strncmp(line, key, strlen(key)) != 0)
			continue;
		if (key)
			p += strlen(key);
		while (*p == ' ' || *p == ':' || *p == '\t')
			p++;
		if (strncmp(p, "max", 3) == 0)
			v = LLONG_MAX;
		else if (*p >= '0' && *p <= '9')
			v = strtoll(p, NULL, 10);
	}
	fclose(f);
	return v;
}

/* The cgroup directory of @ctrl ("memory", "pids"; "" for v2) under
 * /sys/fs/cgroup, in @dir; 0 if found. */
static inline int pk_scale_cgroup(const char *ctrl, char *dir, size_t n)
{
	char line[512];
	int found = 0;
	FILE *f = fopen("/proc/self/cgroup", "r");

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;

		if (!b)
			continue;
		*b = '\0';
		b[strcspn(b + 1, "\n") + 1] = '\0';
		if (*ctrl ? strcmp(a + 1, ctrl) == 0 : strcmp(line, "0") == 0 && a[1] == '\0') {
			snprintf(dir, n, "/sys/fs/cgroup%s%s%s", *ctrl ? "/" : "", ctrl, b + 1);
			found = 1;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

/* Room left under a cgroup's limit (@max - @cur files), in the files'
 * unit; LLONG_MAX if there is no such cgroup or no limit. */
static inline long long pk_scale_cgroup_room(const char *ctrl, const char *max,
					     const char *cur)
{
	char dir[400], path[480];
	long long m, c;

	if (pk_scale_cgroup(ctrl, dir, sizeof(dir)) != 0)
		return LLONG_MAX;
	snprintf(path, sizeof(path), "%s/%s", dir, max);
	m = pk_scale_read(path, NULL);
	snprintf(path, sizeof(path), "%s/%s", dir, cur);
	c = pk_scale_read(path, NULL);
	if (m < 0 || c < 0 || m >= (LLONG_MAX >> 2))
		return LLONG_MAX;
	return m > c ? m - c : 0;
}

/* Memory available to this process, kB: MemAvailable, and the memory
 * cgroup's room (v2, else v1). */
static inline long long pk_scale_mem_kb(void)
{
	long long kb = pk_scale_read("/proc/meminfo", "MemAvailable"), cg;

	cg = pk_scale_cgroup_room("", "memory.max", "memory.current");
	if (cg == LLONG_MAX)
		cg = pk_scale_cgroup_room("memory", "memory.limit_in_bytes",
					  "memory.usage_in_bytes");
	if (cg != LLONG_MAX && (kb < 0 || cg / 1024 < kb))
		kb = cg / 1024;
	return kb;
}

/* Tasks (processes and threads) that may still start here. */
static inline long long pk_scale_task_room(long long *now)
{
	long long pid_max = pk_scale_read("/proc/sys/kernel/pid_max", NULL);
	long long thr_max = pk_scale_read("/proc/sys/kernel/threads-max", NULL);
	long long room = LLONG_MAX, cg;
	unsigned running = 0, total = 0;
	struct rlimit rl;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%*s %*s %*s %u/%u", &running, &total) != 2)
			total = 0;
		fclose(f);
	}
	*now = total;
	if (pid_max > 0 && pid_max - total < room)
		room = pid_max - total;
	if (thr_max > 0 && thr_max - total < room)
		room = thr_max - total;
	cg = pk_scale_cgroup_room("", "pids.max", "pids.current");
	if (cg == LLONG_MAX)
		cg = pk_scale_cgroup_room("pids", "pids.max", "pids.current");
	if (cg < room)
		room = cg;
	/* every task on the machine counted as ours: an upper bound */
	if (geteuid() != 0 && getrlimit(RLIMIT_NPROC, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && (long long)rl.rlim_cur - total < room)
		room = (long long)rl.rlim_cur - total;
	return room;
}

/* Open files for @need pipes: raise the soft limit to the hard one if
 * that is enough; 0 or -1 (with the reason). */
static inline int pk_scale_files(unsigned need, char *why, size_t n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		pk_scale_why(why, n, "%u open files needed (one pipe per worker), "
			     "the hard limit is %llu (ulimit -Hn)", need,
			     (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		pk_scale_why(why, n, "cannot raise the open files limit to %u: %s",
			     need, strerror(errno));
		return -1;
	}
	return 0;
}

/* Strict overcommit commits each thread's whole stack. */
static inline int pk_scale_commit(unsigned workers, char *why, size_t n)
{
	long long lim, used;
	struct rlimit rl;
	unsigned long long stack_kb;

	if (pk_scale_read("/proc/sys/vm/overcommit_memory", NULL) != 2)
		return 0;
	lim = pk_scale_read("/proc/meminfo", "CommitLimit");
	used = pk_scale_read("/proc/meminfo", "Committed_AS");
	stack_kb = getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
			   ? rl.rlim_cur / 1024 : 8192;
	if (lim < 0 || used < 0 || (unsigned long long)(lim - used) / 2 >= workers * stack_kb)
		return 0;
	pk_scale_why(why, n, "strict overcommit: %u thread stacks of %llu kB need "
		     "%llu MB, %lld MB may still be committed", workers, stack_kb,
		     workers * stack_kb / 1024, (lim - used) / 1024);
	return -1;
}

/* Do @workers live workers fit? 1, or 0 with the reason in @why. */
static inline int pk_scale_fits(unsigned workers, char *why, size_t n)
{
	const char *perturb = getenv("MALLOC_PERTURB_");
	long long per = pk_scale_asan() ? PK_SCALE_ASAN_KB : PK_SCALE_WORKER_KB;

	if (perturb && atoi(perturb) != 0)
		per += PK_SCALE_PERTURB_KB;
	long long need = PK_SCALE_BASE_KB + per * workers;
	long long avail = pk_scale_mem_kb(), now, room = pk_scale_task_room(&now);

	if (avail < 0)
		return pk_scale_why(why, n, "cannot read MemAvailable in /proc/meminfo");
	if (need > avail / 2)
		return pk_scale_why(why, n, "%u workers need ~%lld MB, more than half "
				    "of the %lld MB available", workers, need / 1024,
				    avail / 1024);
	if (room < (long long)workers + PK_SCALE_SPARE_TASKS)
		return pk_scale_why(why, n, "%u workers: room for %lld more tasks "
				    "(%lld running; pid_max, threads-max, pids cgroup, "
				    "ulimit -u)", workers, room, now);
	if (pk_scale_files(workers + 64, why, n) != 0 ||
	    pk_scale_commit(workers, why, n) != 0)
		return 0;
	return 1;
}

/* One instance per machine: wait up to @seconds for the lock; the fd
 * (held until exit) or -1. */
static inline int pk_scale_lock(unsigned seconds)
{
	int fd = open(PK_SCALE_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0) /* made by another user: a shared lock's file is enough */
		fd = open(PK_SCALE_LOCK, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (unsigned i = 0; i < seconds * 10; i++) {
		struct timespec ts = { 0, 100000000 };

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		nanosleep(&ts, NULL);
	}
	close(fd);
	return -1;
}

#endif /* PK_SCALE_BUDGET_H */
