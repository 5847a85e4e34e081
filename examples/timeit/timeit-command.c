/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit: shell commands (or, with -N, programs) run one at a
 * time with perfkit_command_time(), as hyperfine runs them: warm-up runs,
 * then measured runs until a stop rule fires. --prepare and --conclude
 * run around every run (warm-up too) and are not timed. With a shell,
 * what starting the shell costs is measured first and subtracted.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "stop.h"
#include "timeit.h"

#define SPAWN_RUNS 50   /* runs of the empty command, as hyperfine does */
#define SPAWN_WARMUP 5
#define EXIT_NOT_FOUND 127

/* The words to run @cmd: through the shell, or split (-N). */
static char **command_argv(const struct timeit_args *a, const char *cmd)
{
	char **w;

	if (!a->shell)
		return timeit_words(cmd);
	w = calloc(4, sizeof(*w));
	if (w && (w[0] = strdup(a->shell)) && (w[1] = strdup("-c")) &&
	    (w[2] = strdup(cmd)))
		return w;
	timeit_words_free(w);
	cli_error("out of memory");
	return NULL;
}

static unsigned run_flags(const struct timeit_args *a)
{
	return a->show_output ? PERFKIT_COMMAND_SHOW_OUTPUT : 0;
}

/* One run of @argv; 0, or the exit status after a message. @what names
 * the command in messages ("command", "--prepare"). */
static int run(const struct timeit_args *a, char **argv, const char *cmd,
	       const char *what, struct perfkit_command_time *t)
{
	int rc = perfkit_command_time((const char *const *)argv, run_flags(a), t);

	if (rc < 0) {
		cli_error("%s '%s': %s", what, cmd, perfkit_last_error());
		return rc == -ENOENT || rc == -EACCES || rc == -ENOEXEC ?
			CLI_EXIT_USAGE : CLI_EXIT_FAILED;
	}
	if (stop_signal || t->exit_code == 0)
		return 0;
	if (a->shell && t->exit_code == EXIT_NOT_FOUND) {
		cli_error("%s '%s': command not found (%s exited %d)", what,
			  cmd, a->shell, EXIT_NOT_FOUND);
		return CLI_EXIT_USAGE;
	}
	if (a->ignore_failure && strcmp(what, "command") == 0)
		return 0;
	if (t->signal)
		cli_error("%s '%s' was ended by signal %d%s", what, cmd,
			  t->signal, strcmp(what, "command") == 0 ?
			  " (--ignore-failure to go on)" : "");
	else
		cli_error("%s '%s' exited with status %d%s", what, cmd,
			  t->exit_code, strcmp(what, "command") == 0 ?
			  " (--ignore-failure to go on)" : "");
	return CLI_EXIT_FAILED;
}

static int median_of(double *x, size_t n, double *m)
{
	struct perfkit_stats st;

	if (perfkit_stats_compute(x, n, &st) != 0)
		return -1;
	*m = st.median;
	return 0;
}

/* Can @prog be started: a path that is executable, or a name found in
 * PATH (as perfkit_command_time() searches it; an empty PATH entry is ".")? */
static int startable(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[PATH_MAX];

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	for (p = path ? path : "/usr/bin:/bin"; ; p = end + 1) {
		end = strchrnul(p, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", end == p ? 1 : (int)(end - p),
			 end == p ? "." : p, prog);
		if (access(buf, X_OK) == 0)
			return 1;
		if (!*end)
			return 0;
	}
}

/* @cmd split into words (-N), its program found; else the exit status. */
static int check_one(const char *what, const char *cmd)
{
	char **w = timeit_words(cmd);
	int ok;

	if (!w)
		return CLI_EXIT_USAGE;
	ok = startable(w[0]);
	if (!ok)
		cli_error("%s '%s': command not found: '%s'", what, cmd, w[0]);
	timeit_words_free(w);
	return ok ? 0 : CLI_EXIT_USAGE;
}

int timeit_check_commands(const struct timeit_args *a,
			  const struct timeit_set *s)
{
	int rc = 0;

	if (a->shell)
		return 0; /* the shell decides: exit 127 is caught per run */
	for (size_t i = 0; rc == 0 && i < s->n; i++) {
		const struct timeit_bench *b = &s->b[i];

		rc = check_one("command", b->name);
		if (rc == 0 && b->prepare)
			rc = check_one("--prepare", b->prepare);
		if (rc == 0 && b->conclude)
			rc = check_one("--conclude", b->conclude);
	}
	return rc;
}

int timeit_measure_spawn(const struct timeit_args *a, struct timeit_set *s)
{
	double wall[SPAWN_RUNS], user[SPAWN_RUNS], sys[SPAWN_RUNS];
	char **argv;
	int rc = 0;

	if (!a->shell)
		return 0;
	argv = command_argv(a, "");
	if (!argv)
		return CLI_EXIT_FAILED;
	for (int i = 0; rc == 0 && i < SPAWN_WARMUP + SPAWN_RUNS && !stop_signal; i++) {
		struct perfkit_command_time t;
		int k = i - SPAWN_WARMUP;

		rc = run(a, argv, "", "the shell", &t);
		if (rc == 0 && k >= 0) {
			wall[k] = t.wall;
			user[k] = t.user;
			sys[k] = t.system;
			s->spawn_runs = (size_t)k + 1;
		}
	}
	timeit_words_free(argv);
	if (rc != 0 || s->spawn_runs < SPAWN_RUNS)
		return rc ? rc : CLI_EXIT_FAILED;
	if (median_of(wall, SPAWN_RUNS, &s->spawn_wall) ||
	    median_of(user, SPAWN_RUNS, &s->spawn_user) ||
	    median_of(sys, SPAWN_RUNS, &s->spawn_sys))
		return CLI_EXIT_FAILED;
	return 0;
}

/* The argv of one bench's command, prepare and conclude. */
struct argvs {
	char **cmd, **prepare, **conclude;
};

static void argvs_free(struct argvs *v)
{
	timeit_words_free(v->cmd);
	timeit_words_free(v->prepare);
	timeit_words_free(v->conclude);
}

static int argvs_make(const struct timeit_args *a, const struct timeit_bench *b,
		      struct argvs *v)
{
	*v = (struct argvs){ command_argv(a, b->name), NULL, NULL };
	if (!v->cmd)
		return CLI_EXIT_USAGE;
	if (b->prepare && !(v->prepare = command_argv(a, b->prepare)))
		return CLI_EXIT_USAGE;
	if (b->conclude && !(v->conclude = command_argv(a, b->conclude)))
		return CLI_EXIT_USAGE;
	return 0;
}

/* prepare, the command (timed), conclude. */
static int one_round(const struct timeit_args *a, const struct timeit_bench *b,
		     const struct argvs *v, struct perfkit_command_time *t)
{
	struct perfkit_command_time u;
	int rc = 0;

	if (v->prepare)
		rc = run(a, v->prepare, b->prepare, "--prepare", &u);
	if (rc == 0 && !stop_signal)
		rc = run(a, v->cmd, b->name, "command", t);
	if (rc == 0 && !stop_signal && v->conclude)
		rc = run(a, v->conclude, b->conclude, "--conclude", &u);
	return rc;
}

/* Does a stop rule fire after @b's latest run? */
static const char *stop_rule(const struct timeit_args *a, struct timeit_bench *b,
			     double spent)
{
	if (b->n >= a->max_runs)
		return a->runs ? "runs" : "max-runs";
	if (b->n < a->min_runs)
		return NULL;
	if (a->rel_ci <= 0)
		return spent >= a->min_time ? "min-time" : NULL;
	if (spent >= a->max_time)
		return "max-time";
	/* the precision rule, every n/64-th run once n > 64 */
	if (b->n >= PERFKIT_RUNNER_PRECISION_MIN_SAMPLES &&
	    (b->n <= 64 || b->n % (b->n / 64) == 0)) {
		timeit_summarise(b);
		if (b->st.ci_coverage >= PERFKIT_STATS_CI_LEVEL &&
		    (b->st.ci_high - b->st.ci_low) / 2 <= a->rel_ci * fabs(b->st.median))
			return "precision";
	}
	return NULL;
}

static int record_run(const struct timeit_set *s, struct timeit_bench *b,
		      const struct perfkit_command_time *t)
{
	if (t->exit_code != 0)
		b->failed = 1;
	return timeit_bench_add(b, fmax(0, t->wall - s->spawn_wall),
				fmax(0, t->user - s->spawn_user),
				fmax(0, t->system - s->spawn_sys),
				t->exit_code);
}

static int run_bench(const struct timeit_args *a, const struct timeit_set *s,
		     struct timeit_bench *b)
{
	struct perfkit_command_time t;
	struct argvs v;
	uint64_t t0;
	int rc = argvs_make(a, b, &v);

	for (uint64_t w = 0; rc == 0 && w < a->warmup && !stop_signal; w++)
		rc = one_round(a, b, &v, &t);
	t0 = perfkit_now_ns();
	while (rc == 0 && !b->stop) {
		if (stop_signal) {
			b->stop = "signal";
			break;
		}
		rc = one_round(a, b, &v, &t);
		if (rc != 0 || stop_signal)
			continue; /* a run a stop signal cut short is not kept */
		rc = record_run(s, b, &t) ? CLI_EXIT_FAILED : 0;
		if (rc == 0)
			b->stop = stop_rule(a, b, (double)(perfkit_now_ns() - t0) * 1e-9);
	}
	argvs_free(&v);
	if (b->n)
		timeit_summarise(b);
	return rc;
}

int timeit_run_commands(const struct timeit_args *a, struct timeit_set *s)
{
	for (size_t i = 0; i < s->n && !stop_signal; i++) {
		int rc = run_bench(a, s, &s->b[i]);

		if (s->b[i].n)
			timeit_print_bench(s, i);
		if (rc != 0)
			return rc;
	}
	return 0;
}
