/* SPDX-License-Identifier: MIT */
/*
 * perfkit_mpi_harness_run(): every rank runs the harness; the ranks meet
 * in a barrier just before their first workers are submitted (the
 * harness's before_submit hook), clocks are compared with rank 0 before
 * and after, and the records are gathered on rank 0.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mpi-private.h"

struct run {
	MPI_Comm comm;
	struct perfkit_harness_options user; /* the caller's, full size */
	double delay; /* staggered start: wait this long after the barrier */
	int met;      /* the barrier was taken in the hook */
};

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void before_submit(void *userdata)
{
	struct run *run = userdata;

	run->met = 1;
	pk_mpi_quiet_barrier(run->comm); /* the long wait, sleeping */
	MPI_Barrier(run->comm);          /* then leave together */
	if (run->delay > 0)
		sleep_s(run->delay);
	if (run->user.before_submit)
		run->user.before_submit(run->user.userdata);
}

static void progress(const struct perfkit_harness_progress *p, void *userdata)
{
	struct run *run = userdata;

	run->user.progress(p, run->user.userdata);
}

/* The caller's options over the defaults, as far as its struct reaches
 * (already checked, so the size is sane). */
static void copy_options(const struct perfkit_harness_options *opt,
			 struct perfkit_harness_options *full)
{
	perfkit_harness_options_init(full);
	memcpy(full, opt, opt->size < sizeof(*full) ? opt->size : sizeof(*full));
	full->size = sizeof(*full);
}

/* Workers this rank will run, as perfkit_harness_run() counts them. */
static unsigned local_workers(const struct perfkit_harness_options *o)
{
	const struct perfkit_machine *m;
	unsigned n = 0;

	if (o->workers)
		return o->workers;
	if (perfkit_machine_probe(&m) == 0)
		n = perfkit_machine_allowed_cores(m);
	return n ? n : 1;
}

/* Collective: check the arguments everywhere, agree, and plan. */
static int prepare(struct run *run, const struct perfkit_harness_options *opt,
		   struct perfkit_results **out, int64_t *workers)
{
	int64_t before = 0;
	int rc;

	if (!opt || !out)
		rc = pk_mpi_error(-EINVAL, "mpi_harness_run: %s is NULL", !opt ? "opt" : "out");
	else
		rc = perfkit_harness_options_check(opt);
	if ((rc = pk_mpi_agree(run->comm, rc)))
		return rc;
	copy_options(opt, &run->user);
	*workers = local_workers(&run->user);
	MPI_Exscan(workers, &before, 1, MPI_INT64_T, MPI_SUM, run->comm);
	if (run->user.start == PERFKIT_HARNESS_START_STAGGERED) {
		int rank;

		MPI_Comm_rank(run->comm, &rank);
		run->delay = rank ? (double)before * run->user.stagger : 0; /* Exscan leaves rank 0's undefined */
	}
	return 0;
}

static int run_local(struct run *run, struct perfkit_results **local)
{
	struct perfkit_harness_options o = run->user;
	int rc;

	o.before_submit = before_submit;
	o.progress = run->user.progress ? progress : NULL;
	o.userdata = run;
	rc = perfkit_harness_run(&o, local);
	if (!run->met) { /* failed before submitting: the others still wait */
		pk_mpi_quiet_barrier(run->comm);
		MPI_Barrier(run->comm);
	}
	/* ranks done first sleep rather than poll while others compute */
	pk_mpi_quiet_barrier(run->comm);
	return rc;
}

PERFKIT_EXPORT int perfkit_mpi_harness_run(MPI_Comm comm,
					   const struct perfkit_harness_options *opt,
					   struct perfkit_results **out)
{
	struct run run = { 0 };
	struct pk_mpi_contribution mine = { 0 };
	struct perfkit_results *local = NULL, *all = NULL;
	double off0, unc0, off1, unc1;
	char msg[512];
	int rc, grc;

	if ((rc = pk_mpi_comm_usable(comm, "mpi_harness_run")))
		return rc;
	if (out)
		*out = NULL;
	MPI_Comm_dup(comm, &run.comm);
	if ((rc = prepare(&run, opt, out, &mine.workers)))
		goto done;
	pk_mpi_clock_sync(run.comm, 0, &off0, &unc0);
	rc = run_local(&run, &local);
	pk_mpi_clock_sync(run.comm, 0, &off1, &unc1);
	mine.local = local;
	mine.status = rc;
	mine.offset = (off0 + off1) / 2;
	mine.drift = off1 - off0;
	mine.uncertainty = fmax(unc0, unc1) + fabs(mine.drift) / 2;
	/* every rank learns the first failed run; a failed gather (no
	 * records at all) is what is returned then */
	if ((rc = pk_mpi_agree(run.comm, rc)))
		snprintf(msg, sizeof(msg), "%s", perfkit_last_error());
	grc = pk_mpi_gather(run.comm, &mine, 0, 1, &all);
	if (grc)
		rc = grc;
	else if (rc)
		perfkit_set_error(rc, "%s", msg);
	*out = all;
done:
	perfkit_results_destroy(local);
	MPI_Comm_free(&run.comm);
	return rc;
}
