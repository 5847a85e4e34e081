/* SPDX-License-Identifier: MIT */
/* perfkit-flops and perfkit-flops-mpi: while the workers run, the
 * progress bar, and each record appended to a JSON Lines --outfile as it
 * is collected (flushed and synced), so that a killed run keeps every
 * record that finished. At the end the file is written again whole, with
 * the command line, the error columns and the records in worker order. */
#include <stdio.h>

#include "cli.h"
#include "flops-args.h"

void flops_stream_init(struct flops_stream *fs, const char *outfile, int bar)
{
	enum perfkit_format f;

	fs->path = outfile && perfkit_format_from_path(outfile, &f) == 0 &&
			   f == PERFKIT_FORMAT_JSONL ? outfile : NULL;
	fs->stream = NULL;
	fs->failed = 0;
	fs->bar = bar;
}

/* A progress bar on stderr (when it is a terminal). */
static void bar(const struct perfkit_harness_progress *p)
{
	int width = 30, fill = (int)((double)p->done * width / p->total);

	fprintf(stderr, "\r  [%.*s%*s] %u/%u workers", fill,
		"##############################", width - fill, "", p->done, p->total);
	if (p->points > 1)
		fprintf(stderr, " (point %u of %u)", p->point + 1, p->points);
	if (p->done == p->total)
		fprintf(stderr, "\r%*s\r", 72, "");
	fflush(stderr);
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
		bar(p);
}

int flops_stream_close(struct flops_stream *fs)
{
	int rc = perfkit_results_stream_close(fs->stream);

	fs->stream = NULL;
	if (rc != 0)
		cli_error("%s", perfkit_last_error());
	return rc;
}
