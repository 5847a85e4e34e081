/* SPDX-License-Identifier: MIT */
/* perfkit-flops and perfkit-flops-mpi: while the workers run, the
 * progress bar, and each record appended to a JSON Lines --outfile as it
 * is collected (flushed and synced), so that a killed run keeps every
 * record that finished. At the end the file is written again whole, with
 * the command line, the error columns and the records in worker order.
 * On a terminal a progress line moves at least twice a second: workers
 * collected, the sweep point, time elapsed and an ETA. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "flops-args.h"

FILE *flops_progress_terminal(void)
{
	if (isatty(STDERR_FILENO))
		return stderr;
	return isatty(STDOUT_FILENO) ? stdout : NULL;
}

static double seconds_since(uint64_t t0)
{
	return (double)(perfkit_now_ns() - t0) * 1e-9;
}

/* ETA: the rest of this point at its pace so far, and the points still
 * to come at the mean pace of the finished ones. Negative: unknown. */
static double eta(const struct flops_stream *fs)
{
	double in_point = seconds_since(fs->point_t0), rest;

	if (fs->done == 0)
		return -1;
	rest = in_point * (fs->total - fs->done) / fs->done;
	if (fs->points > fs->point + 1)
		rest += (fs->point > 0 ? (double)(fs->point_t0 - fs->t0) * 1e-9 / fs->point
				      : in_point + rest) * (fs->points - fs->point - 1);
	return rest;
}

/* One progress line, redrawn in place. Called with fs->lock held. */
static void draw(struct flops_stream *fs)
{
	int width = 20, fill = fs->total ? (int)((double)fs->done * width / fs->total) : 0;
	double left = eta(fs);
	char line[160], when[32];
	int n;

	if (left >= 0)
		snprintf(when, sizeof(when), "ETA %.1f s", left);
	else
		snprintf(when, sizeof(when), "ETA --");
	if (fs->total == 0)
		n = snprintf(line, sizeof(line), "  preparing (machine, clocks, peak "
			     "reference), %.1f s elapsed", seconds_since(fs->t0));
	else
		n = snprintf(line, sizeof(line), "  [%.*s%*s] %u/%u workers, point %u of %u, "
			     "%.1f s elapsed, %s", fill, "####################",
			     width - fill, "", fs->done, fs->total, fs->point + 1,
			     fs->points, seconds_since(fs->t0), when);
	fprintf(fs->bar, "\r%s%*s", line, n < fs->shown ? fs->shown - n : 0, "");
	fs->shown = n;
	fflush(fs->bar);
}

/* Redraws the line twice a second, so that it moves while the workers
 * compute (the harness calls back only when a worker is collected). */
static void *ticker(void *arg)
{
	struct flops_stream *fs = arg;
	struct timespec wake;

	pthread_mutex_lock(&fs->lock);
	while (!fs->stop) {
		clock_gettime(CLOCK_REALTIME, &wake);
		wake.tv_nsec += 500000000;
		if (wake.tv_nsec >= 1000000000) {
			wake.tv_sec++;
			wake.tv_nsec -= 1000000000;
		}
		if (pthread_cond_timedwait(&fs->wake, &fs->lock, &wake) != 0 && !fs->stop)
			draw(fs);
	}
	pthread_mutex_unlock(&fs->lock);
	return NULL;
}

void flops_stream_init(struct flops_stream *fs, const char *outfile, FILE *bar)
{
	enum perfkit_format f;

	memset(fs, 0, sizeof(*fs));
	fs->path = outfile && perfkit_format_from_path(outfile, &f) == 0 &&
			   f == PERFKIT_FORMAT_JSONL ? outfile : NULL;
	fs->bar = bar;
	fs->points = 1;
	fs->t0 = fs->point_t0 = perfkit_now_ns();
	if (!bar)
		return;
	pthread_mutex_init(&fs->lock, NULL);
	pthread_cond_init(&fs->wake, NULL);
	if (pthread_create(&fs->thread, NULL, ticker, fs) == 0)
		fs->ticking = 1;
	pthread_mutex_lock(&fs->lock);
	draw(fs);
	pthread_mutex_unlock(&fs->lock);
}

/* After each collected worker: where the run stands, drawn at once. */
static void bar(struct flops_stream *fs, const struct perfkit_harness_progress *p)
{
	pthread_mutex_lock(&fs->lock);
	if (p->point != fs->point)
		fs->point_t0 = perfkit_now_ns();
	fs->done = p->done;
	fs->total = p->total;
	fs->point = p->point;
	fs->points = p->points;
	if (p->done == p->total) /* the next point starts from nothing */
		fs->point_t0 = perfkit_now_ns(), fs->done = 0, fs->point++;
	if (fs->point >= fs->points)
		fs->point = fs->points - 1, fs->done = fs->total;
	draw(fs);
	pthread_mutex_unlock(&fs->lock);
}

/* The file is opened at the first record, when the set's metadata and
 * epoch are known; a failure is said once, and the final write still
 * tries. */
static void stream(struct flops_stream *fs, const struct perfkit_harness_progress *p)
{
	if (!fs->path || fs->failed)
		return;
	if ((!fs->stream &&
	     perfkit_results_stream_open(fs->path, p->results, &fs->stream) != 0) ||
	    perfkit_results_stream_write(fs->stream, p->record) != 0) {
		cli_error("--outfile: records are not streamed: %s", perfkit_last_error());
		fs->failed = 1;
	}
}

void flops_progress(const struct perfkit_harness_progress *p, void *userdata)
{
	struct flops_stream *fs = userdata;

	stream(fs, p);
	if (fs->bar)
		bar(fs, p);
}

int flops_stream_close(struct flops_stream *fs)
{
	int rc = perfkit_results_stream_close(fs->stream);

	if (fs->bar) {	/* stop the ticker and clear the line */
		pthread_mutex_lock(&fs->lock);
		fs->stop = 1;
		pthread_cond_signal(&fs->wake);
		pthread_mutex_unlock(&fs->lock);
		if (fs->ticking)
			pthread_join(fs->thread, NULL);
		fprintf(fs->bar, "\r%*s\r", fs->shown, "");
		fflush(fs->bar);
		pthread_cond_destroy(&fs->wake);
		pthread_mutex_destroy(&fs->lock);
		fs->bar = NULL;
	}
	fs->stream = NULL;
	if (rc != 0)
		cli_error("%s", perfkit_last_error());
	return rc;
}
