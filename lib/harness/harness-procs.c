/* SPDX-License-Identifier: MIT */
/*
 * Process mode: one forked child per worker, each with its own pipe.
 *
 * The child binds, sets up and runs the kernel, and writes its result as
 * one fixed-size message (at most PIPE_BUF bytes, so the write is atomic).
 * With a barrier start it first writes a READY message and blocks reading
 * a shared "go" pipe whose only write end the parent holds: closing it
 * releases every child at once.
 *
 * The parent never waits on a timer and never hangs on a dead child: a
 * child that dies closes its pipe, the parent reads end of file without a
 * result, and records the worker as failed (-ECHILD, with how it died).
 * Every child is reaped with waitpid(). The pipes are watched with one
 * epoll set, so each message costs O(1) however many children there are
 * (poll() over every pipe per message made 2,800 workers O(W^2)).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perfkit/region.h"
#include "perfkit/timer.h"
#include "harness-private.h"

enum { MSG_READY = 1, MSG_DONE = 2 };

struct msg {
	uint32_t kind;
	uint32_t index;
	struct pk_worker_out out;
};

_Static_assert(sizeof(struct msg) <= PIPE_BUF,
	       "a worker's message must be written atomically");

struct child {
	pid_t pid;   /* 0 if never started */
	int fd;      /* read end of its pipe; -1 once closed */
	int ready;   /* reported READY (or finished) */
	int reaped;
};

struct prun {
	const struct pk_harness_plan *plan;
	struct pk_worker_slot *slots;
	struct child *kids;
	pk_collect_fn collect;
	void *ctx;
	int go[2];
	int epfd;		/* every open pipe, keyed by worker index */
	unsigned open;		/* pipes still open */
	unsigned unready;	/* children that have not reported READY */
};

/* ---- child side ---- */

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

struct child_sync {
	int fd, go;
	unsigned index;
	int sent;
};

static void child_ready(void *ctx, int setup_rc)
{
	struct child_sync *s = ctx;
	struct msg m;
	char c;

	if (setup_rc)
		return; /* the DONE message follows at once */
	memset(&m, 0, sizeof(m));
	m.kind = MSG_READY;
	m.index = s->index;
	if (write_all(s->fd, &m, sizeof(m)) != 0)
		return;
	/* Blocks until the parent closes its end of the go pipe. */
	while (read(s->go, &c, 1) < 0 && errno == EINTR)
		;
}

/* The result is final: send it (teardown and exit follow). */
static void child_done(void *ctx, const struct pk_worker_out *out)
{
	struct child_sync *s = ctx;
	struct msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MSG_DONE;
	m.index = s->index;
	m.out = *out;
	s->sent = write_all(s->fd, &m, sizeof(m)) == 0;
}

static void child_main(const struct pk_harness_plan *plan, unsigned index,
		       int fd, int go_r, int go_w)
{
	struct child_sync s = { fd, go_r, index, 0 };
	struct pk_worker_sync sync = { go_r >= 0 ? child_ready : NULL, child_done, &s };
	struct pk_worker_out out;

	if (go_w >= 0)
		close(go_w);
	pk_harness_worker(plan, index, &sync, &out);
	perfkit_region_trace_flush(); /* _exit() runs no exit handlers */
	_exit(s.sent ? 0 : 1);
}

/* ---- parent side ---- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Stop watching and close worker i's pipe. The explicit delete matters:
 * children forked later hold copies of the read end, which would keep
 * the closed pipe in the epoll set. */
static void close_pipe(struct prun *r, unsigned i)
{
	struct child *k = &r->kids[i];

	if (k->fd < 0)
		return;
	(void)epoll_ctl(r->epfd, EPOLL_CTL_DEL, k->fd, NULL);
	close_fd(&k->fd);
	r->open--;
}

static void mark_ready(struct prun *r, unsigned i)
{
	if (!r->kids[i].ready) {
		r->kids[i].ready = 1;
		r->unready--;
	}
}

static void reap(struct prun *r, unsigned i, int *wstatus)
{
	struct child *k = &r->kids[i];

	*wstatus = 0;
	if (k->pid <= 0 || k->reaped)
		return;
	while (waitpid(k->pid, wstatus, 0) < 0 && errno == EINTR)
		;
	k->reaped = 1;
}

/* Worker i is finished (result, failure or death): collect it. */
static void finished(struct prun *r, unsigned i)
{
	close_pipe(r, i);
	mark_ready(r, i);
	r->slots[i].t_collected = perfkit_now_ns();
	r->collect(r->ctx, i);
}

static void set_failed(struct pk_worker_out *o, int status, const char *fmt,
		       const char *what)
{
	memset(o, 0, sizeof(*o));
	o->status = status;
	o->cpu = -1;
	snprintf(o->error, sizeof(o->error), fmt, what);
}

/* End of file without a result: the child died. Say how. */
static void died(struct prun *r, unsigned i)
{
	struct pk_worker_out *o = &r->slots[i].out;
	char how[96];
	int ws;

	close_pipe(r, i);
	reap(r, i, &ws);
	if (WIFSIGNALED(ws))
		snprintf(how, sizeof(how), "killed by signal %d (%s)",
			 WTERMSIG(ws), strsignal(WTERMSIG(ws)));
	else if (WIFEXITED(ws))
		snprintf(how, sizeof(how), "exited with status %d",
			 WEXITSTATUS(ws));
	else
		snprintf(how, sizeof(how), "vanished");
	set_failed(o, -ECHILD, "worker process %s before sending its result", how);
	finished(r, i);
}

static int read_msg(int fd, struct msg *m)
{
	size_t got = 0;

	while (got < sizeof(*m)) {
		ssize_t k = read(fd, (char *)m + got, sizeof(*m) - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

/* One readable pipe: a READY, a DONE, or the end. */
static void handle(struct prun *r, unsigned i)
{
	struct msg m;

	if (read_msg(r->kids[i].fd, &m) != 0 ||
	    (m.kind != MSG_READY && m.kind != MSG_DONE) || m.index != i) {
		died(r, i);
		return;
	}
	if (m.kind == MSG_READY) {
		mark_ready(r, i);
		return;
	}
	r->slots[i].out = m.out;
	r->slots[i].out.error[sizeof(m.out.error) - 1] = '\0';
	finished(r, i);
}

/* Handle messages until every child has reported READY (@until_ready)
 * or every pipe is closed. */
static int pump(struct prun *r, int until_ready)
{
	struct epoll_event ev[64];

	while (until_ready ? r->unready > 0 : r->open > 0) {
		int k = epoll_wait(r->epfd, ev, 64, -1);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return pk_error(-EIO, "harness: epoll_wait: %s", strerror(errno));
		for (int j = 0; j < k; j++) {
			unsigned i = ev[j].data.u32;

			if (r->kids[i].fd >= 0)	/* not closed by an earlier event */
				handle(r, i);
		}
	}
	return 0;
}

/* Watch worker i's pipe; on failure the worker fails, said why. */
static int watch(struct prun *r, unsigned i, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		return -errno;
	r->kids[i].fd = fd;
	r->open++;
	return 0;
}

static void start_one(struct prun *r, unsigned i)
{
	int p[2], err;
	pid_t pid;

	r->kids[i].fd = -1;
	r->unready++;
	if (pipe2(p, O_CLOEXEC) != 0) {
		set_failed(&r->slots[i].out, -errno, "submit: pipe: %s", strerror(errno));
		r->slots[i].t_submit = perfkit_now_ns();
		finished(r, i);
		return;
	}
	r->slots[i].t_submit = perfkit_now_ns();
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		child_main(r->plan, i, p[1], r->go[0], r->go[1]);
	}
	close(p[1]);
	if (pid < 0) {
		set_failed(&r->slots[i].out, -errno, "submit: fork: %s", strerror(errno));
		close(p[0]);
		finished(r, i);
		return;
	}
	r->kids[i].pid = pid;
	if ((err = watch(r, i, p[0])) != 0) {
		/* the child runs on and is reaped at the end; its result is lost */
		set_failed(&r->slots[i].out, err, "submit: epoll_ctl: %s", strerror(-err));
		close(p[0]);
		finished(r, i);
	}
}

static int run(struct prun *r)
{
	int barrier = r->plan->opt.start == PERFKIT_HARNESS_START_BARRIER;
	int rc = 0;

	if ((r->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return pk_error(-EIO, "harness: epoll_create1: %s", strerror(errno));
	if (barrier && pipe2(r->go, O_CLOEXEC) != 0)
		return pk_error(-EIO, "harness: pipe: %s", strerror(errno));
	for (unsigned i = 0; i < r->plan->workers; i++) {
		if (i > 0 && r->plan->opt.stagger > 0)
			pk_harness_sleep(r->plan->opt.stagger);
		start_one(r, i);
	}
	if (barrier) {
		rc = pump(r, 1);
		close_fd(&r->go[1]); /* go: every waiting child reads EOF */
		close_fd(&r->go[0]);
	}
	if (rc == 0)
		rc = pump(r, 0);
	return rc;
}

/* Descriptors open now (16 if /proc cannot say). */
static unsigned open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	if (!d)
		return 16;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/*
 * The parent holds one pipe per live worker: 2,800 workers need more
 * than the usual soft limit of 1,024 open files. Raise the soft limit to
 * what the run needs (at most the hard limit) for the run's length, or
 * refuse before any worker starts, saying what to change.
 */
static int files_for(unsigned workers, struct rlimit *old, int *raised)
{
	rlim_t need = (rlim_t)workers + open_fds() + 16;
	struct rlimit rl;

	*raised = 0;
	if (getrlimit(RLIMIT_NOFILE, old) != 0 || old->rlim_cur == RLIM_INFINITY ||
	    old->rlim_cur >= need)
		return 0;
	rl = *old;
	rl.rlim_cur = need;
	if ((old->rlim_max != RLIM_INFINITY && old->rlim_max < need) ||
	    setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return pk_error(-EMFILE, "harness: %u workers in processes mode hold "
				"a pipe each, %llu open files in all; the limit is %llu "
				"(hard %llu): raise it (ulimit -n) or use threads mode",
				workers, (unsigned long long)need,
				(unsigned long long)old->rlim_cur,
				(unsigned long long)old->rlim_max);
	*raised = 1;
	return 0;
}

int pk_harness_run_processes(const struct pk_harness_plan *plan,
			     struct pk_worker_slot *slots,
			     pk_collect_fn collect, void *ctx)
{
	struct prun r = { .plan = plan, .slots = slots, .collect = collect,
			  .ctx = ctx, .go = { -1, -1 }, .epfd = -1 };
	struct rlimit files;
	int rc, ws, raised;

	if ((rc = files_for(plan->workers, &files, &raised)))
		return rc;
	r.kids = calloc(plan->workers, sizeof(*r.kids));
	if (!r.kids) {
		rc = pk_error(-ENOMEM, "harness: out of memory for %u workers",
			      plan->workers);
		goto out;
	}
	for (unsigned i = 0; i < plan->workers; i++)
		r.kids[i].fd = -1;
	rc = run(&r);
	/* Only on a poll failure can pipes still be open: close them so the
	 * children finish (or die of SIGPIPE) and can be reaped. */
	close_fd(&r.go[1]);
	close_fd(&r.go[0]);
	for (unsigned i = 0; i < plan->workers; i++) {
		close_pipe(&r, i);
		reap(&r, i, &ws);
	}
	close_fd(&r.epfd);
	free(r.kids);
out:
	if (raised)
		(void)setrlimit(RLIMIT_NOFILE, &files);
	return rc;
}
