/* SPDX-License-Identifier: MIT */
/* perfkit-timeit, case (b): writing doubles to a file as text (fprintf)
 * against binary (fwrite). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "timeit.h"

#define WRITE_N 20000  /* doubles written per call */

struct write_job {
	FILE *f;
	const double *x;
	size_t n;
	int failed;
	long bytes;
};

static void write_text(void *user, uint64_t iterations)
{
	struct write_job *job = user;

	for (uint64_t it = 0; it < iterations; it++) {
		rewind(job->f);
		for (size_t i = 0; i < job->n; i++)
			if (fprintf(job->f, "%.17g\n", job->x[i]) < 0)
				job->failed = 1;
		if (fflush(job->f) != 0)
			job->failed = 1;
	}
	job->bytes = ftell(job->f);
}

static void write_binary(void *user, uint64_t iterations)
{
	struct write_job *job = user;

	for (uint64_t it = 0; it < iterations; it++) {
		rewind(job->f);
		if (fwrite(job->x, sizeof(*job->x), job->n, job->f) != job->n)
			job->failed = 1;
		if (fflush(job->f) != 0)
			job->failed = 1;
	}
	job->bytes = ftell(job->f);
}

int timeit_case_text_binary(const struct timeit_options *o)
{
	double *x = malloc(WRITE_N * sizeof(*x));
	struct write_job text = { .n = WRITE_N }, bin = { .n = WRITE_N };
	struct timeit_side a = { 0 }, b = { 0 };
	const char *stop = "";
	int rc = -1;

	if (!x)
		return -1;
	timeit_fill_random(x, WRITE_N, 5);
	text.x = bin.x = x;
	text.f = tmpfile();
	bin.f = tmpfile();
	if (!text.f || !bin.f) {
		cli_error("cannot create a temporary file: %s", strerror(errno));
		goto out;
	}
	rc = timeit_side_init(&a, "text: fprintf(\"%.17g\")", write_text, &text);
	if (rc == 0)
		rc = timeit_side_init(&b, "binary: fwrite", write_binary, &bin);
	printf("\n(b) write %d doubles to a temporary file, rewound and flushed "
	       "each call\n", WRITE_N);
	if (rc == 0)
		rc = timeit_compare(&a, &b, o, &stop);
	if (rc == 0 && (text.failed || bin.failed)) {
		cli_error("writing the temporary file failed");
		rc = -1;
	}
	if (rc == 0) {
		timeit_print_header();
		timeit_print_row(&a, stop, WRITE_N, (double)text.bytes);
		timeit_print_row(&b, stop, WRITE_N, (double)bin.bytes);
		timeit_print_ratio(&a, &b, "binary is");
		printf("     file sizes: text %ld bytes (%.1f per value, exact "
		       "with %%.17g), binary %ld bytes (8 per value)\n",
		       text.bytes, (double)text.bytes / WRITE_N, bin.bytes);
	}
out:
	timeit_side_fini(&a);
	timeit_side_fini(&b);
	if (text.f)
		fclose(text.f);
	if (bin.f)
		fclose(bin.f);
	free(x);
	return rc;
}
