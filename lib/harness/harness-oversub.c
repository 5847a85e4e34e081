/* SPDX-License-Identifier: MIT */
/*
 * Oversubscription: more threads than allowed cores. The workers are then
 * time-sliced, each one's rate includes its waits, and the sum of
 * per-worker rates stops being a rate the cores reached. Said from the
 * set's metadata, so it reads the same for a run and for a file.
 *
 * Which thread counts matter: each worker runs "harness.threads" kernel
 * threads. The built-in kernels set that count themselves (the BLAS ones
 * pass BLIS a per-call rntm_t, the others run one thread), so
 * OMP_NUM_THREADS, BLIS_NUM_THREADS and OPENBLAS_NUM_THREADS do not
 * change them. A kernel registered by the user may start as many threads
 * as those variables say (OpenMP: OMP_NUM_THREADS; BLIS: BLIS_NUM_THREADS,
 * else OMP_NUM_THREADS; OpenBLAS: OPENBLAS_NUM_THREADS, else
 * OMP_NUM_THREADS), in every worker.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness-private.h"

static double meta_num(const struct perfkit_results *res, const char *key)
{
	const char *v;
	char *end;
	double x;

	if (perfkit_results_meta_get(res, key, &v) != 0)
		return NAN;
	x = strtod(v, &end);
	return end != v && x > 0 && isfinite(x) ? x : NAN;
}

/* The largest count of "harness.workers" (a sweep lists several). */
static double most_workers(const struct perfkit_results *res)
{
	const char *v, *p;
	double most = NAN;

	if (perfkit_results_meta_get(res, "harness.workers", &v) != 0)
		return NAN;
	for (p = v; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		double w = strtod(p, NULL);

		if (w > 0 && !(w <= most))
			most = w;
	}
	return most;
}

struct text {
	char *buf;
	size_t len, used;
};

static void say(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (t->len == 0 || t->used >= t->len - 1)
		return;
	if (t->used > 0)
		t->buf[t->used++] = '\n';
	va_start(ap, fmt);
	k = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
	va_end(ap);
	if (k > 0)
		t->used += (size_t)k < t->len - t->used ? (size_t)k : t->len - t->used - 1;
}

static const char *plural(double n)
{
	return n == 1 ? "" : "s";
}

/* Workers x kernel threads against the cores. */
static double threads_check(struct text *t, double w, double threads, double cores)
{
	double total = w * threads, f = total / cores;
	/* the advice: as many workers of this many threads as fit, or one
	 * worker with a thread per core */
	double fw = threads <= cores ? floor(cores / threads) : 1;
	double ft = threads <= cores ? threads : cores;

	if (f <= 1)
		return f;
	say(t, "%g worker%s x %g kernel thread%s = %g threads on %g allowed cores: "
	    "%.4gx oversubscribed. Workers are time-sliced, so each one's rate "
	    "includes its waits and the sum of per-worker rates is not a rate "
	    "the cores reached (the concurrent rate is). To measure the cores, "
	    "keep workers x threads at most %g: %g worker%s of %g thread%s.",
	    w, plural(w), threads, plural(threads), total, cores, f, cores,
	    fw, plural(fw), ft, plural(ft));
	return f;
}

/* A threads variable a user kernel may obey in every worker. */
static double env_check(const struct perfkit_results *res, struct text *t,
			const char *var, const char *who, double w, double cores,
			int builtin)
{
	char key[64];
	double n, f;

	snprintf(key, sizeof(key), "harness.env.%s", var);
	n = meta_num(res, key);
	if (!isfinite(n))
		return 0;
	if (builtin)
		return 0; /* the kernel sets its own count: see the file's comment */
	f = w * n / cores;
	if (f <= 1)
		return f;
	say(t, "%s=%g: a kernel that uses %s starts %g threads in each worker, "
	    "%g threads on %g allowed cores: %.4gx oversubscribed. Set %s=1 "
	    "(and give the kernel threads with the harness's threads option) or "
	    "run at most %g worker%s.",
	    var, n, who, n, w * n, cores, f, var, fmax(1, floor(cores / n)),
	    plural(fmax(1, floor(cores / n))));
	return f;
}

PERFKIT_EXPORT int perfkit_harness_oversubscription(const struct perfkit_results *res,
						    double *factor, char *text,
						    size_t len)
{
	struct text t = { text, len, 0 };
	double cores, w, threads, f;
	const char *v;
	int builtin;

	if (!res || !factor || (!text && len > 0))
		return pk_error(-EINVAL, "harness oversubscription: %s is NULL",
				!res ? "res" : !factor ? "factor" : "text");
	if (len > 0)
		text[0] = '\0';
	*factor = NAN;
	cores = meta_num(res, "harness.cores");
	w = most_workers(res);
	threads = meta_num(res, "harness.threads");
	if (!isfinite(cores) || !isfinite(w))
		return pk_error(-ENOENT, "harness oversubscription: the set's metadata "
				"lacks %s", isfinite(cores) ? "harness.workers" : "harness.cores");
	if (!isfinite(threads))
		threads = 1;
	builtin = perfkit_results_meta_get(res, "harness.kernel_builtin", &v) == 0 &&
		  strcmp(v, "1") == 0;
	f = threads_check(&t, w, threads, cores);
	f = fmax(f, env_check(res, &t, "OMP_NUM_THREADS", "OpenMP (or BLIS, OpenBLAS "
			      "without their own variable)", w, cores, builtin));
	f = fmax(f, env_check(res, &t, "BLIS_NUM_THREADS", "BLIS", w, cores, builtin));
	f = fmax(f, env_check(res, &t, "OPENBLAS_NUM_THREADS", "OpenBLAS", w, cores,
			      builtin));
	*factor = f;
	return 0;
}
