/* SPDX-License-Identifier: MIT */
/*
 * bench-records: write a million realistic result records to CSV, JSON and
 * JSON Lines files with perfkit_results_write(), read each back with
 * perfkit_results_read(), check the count and a sample of records, and
 * print records per second, the file size and the memory a read costs.
 *
 * Goals: CSV and JSON Lines read at >= 1,000,000 records/s; a read's peak
 * RSS growth <= 2 x the records' in-memory size (count x
 * sizeof(struct perfkit_record)). Each read runs in a child process
 * started once the records written are freed, so that ru_maxrss, a peak,
 * says what that read alone needed.
 *
 *   bench-records [COUNT [ROUNDS]]      default 1000000 records, 3 rounds
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "perfkit/perfkit.h"

#define READ_GOAL 1e6	/* records per second, CSV and JSON Lines */
#define MEM_GOAL 2.0	/* read RSS growth / in-memory size */
enum { MAX_ROUNDS = 15, SAMPLES = 1000 };

struct format {
	const char *name, *ext;
	int read_goal; /* the 1M records/s goal applies */
};

static const struct format formats[] = {
	{ "csv", "csv", 1 },
	{ "json", "json", 0 },
	{ "jsonl", "jsonl", 1 },
};
enum { NFORMATS = sizeof(formats) / sizeof(formats[0]) };

/* What a read child reports back through a pipe. */
struct read_result {
	double seconds;
	long rss_before_kb, rss_after_kb;
	int ok;
};

static double now_s(void)
{
	return (double)perfkit_now_ns() * 1e-9;
}

static long max_rss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/*
 * Record @i of a run of workers on many nodes: deterministic, so a reader
 * can check any record without keeping the originals. Timestamps are
 * seconds from the epoch with all 17 digits in use, as measured ones are.
 */
static void make_record(size_t i, struct perfkit_record *r)
{
	static const char *const kernels[] = { "dgemm", "triad", "copy",
					       "peak-fma" };
	double t0 = (double)i * 3.7e-5 + (double)(i % 97) * 1.3e-7;
	double n = 512.0 * (double)(1 + i % 8);

	perfkit_record_init(r);
	perfkit_record_set_name(r, kernels[i % 4]);
	snprintf(r->host, sizeof(r->host), "node%03zu", i / 64 % 512);
	r->worker = (int32_t)(i % 64);
	r->rank = (int32_t)(i / 64);
	r->cpu = (int32_t)((i * 7) % 128);
	r->status = i % 1000 == 999 ? -ETIMEDOUT : 0;
	r->t_submit = t0;
	r->t_start = t0 + 1.25e-4 + (double)(i % 13) * 1e-6;
	r->t_setup = r->t_start + 0.0123 + (double)(i % 7) * 1.1e-5;
	r->t_end = r->t_setup + 0.25 + (double)(i % 31) * 3.3e-4;
	r->t_collected = r->t_end + 2.1e-5;
	r->repetitions = 10;
	r->problem_size = (int64_t)n;
	r->flops = 2.0 * n * n * n * 10;
	r->bytes = 3.0 * 8.0 * n * n * 10;
	r->items = (double)(i % 3);
	r->elapsed = r->t_end - r->t_setup;
	perfkit_record_set_param(r, "threads", "1");
	perfkit_record_set_param(r, "layout", i % 2 ? "row-major" : "col-major");
}

static int same_record(const struct perfkit_record *a,
		       const struct perfkit_record *b)
{
	const double *da = &a->t_submit, *db = &b->t_submit;

	if (strcmp(a->name, b->name) || strcmp(a->host, b->host) ||
	    a->worker != b->worker || a->rank != b->rank || a->cpu != b->cpu ||
	    a->status != b->status || a->repetitions != b->repetitions ||
	    a->problem_size != b->problem_size || a->nparams != b->nparams)
		return 0;
	for (int k = 0; k < 5; k++)
		if (memcmp(&da[k], &db[k], sizeof(double)))
			return 0;
	if (memcmp(&a->flops, &b->flops, sizeof(double)) ||
	    memcmp(&a->bytes, &b->bytes, sizeof(double)) ||
	    memcmp(&a->items, &b->items, sizeof(double)) ||
	    memcmp(&a->elapsed, &b->elapsed, sizeof(double)))
		return 0;
	for (uint32_t k = 0; k < a->nparams; k++)
		if (strcmp(a->params[k].key, b->params[k].key) ||
		    strcmp(a->params[k].value, b->params[k].value))
			return 0;
	return 1;
}

/* The count and every (count / SAMPLES)-th record, and the last. */
static int verify(const struct perfkit_results *res, size_t count)
{
	size_t step = count / SAMPLES ? count / SAMPLES : 1;
	struct perfkit_record want;
	const struct perfkit_record *got;

	if (perfkit_results_count(res) != count) {
		fprintf(stderr, "read %zu records, wrote %zu\n",
			perfkit_results_count(res), count);
		return 0;
	}
	for (size_t i = 0; i < count; i += step) {
		size_t k = i + step >= count ? count - 1 : i;

		make_record(k, &want);
		if (perfkit_results_get(res, k, &got) != 0 ||
		    !same_record(&want, got)) {
			fprintf(stderr, "record %zu differs after the round "
				"trip\n", k);
			return 0;
		}
	}
	return 1;
}

/* Read @path in a child process; its figures come back through a pipe. */
static int read_in_child(const char *path, size_t count,
			 struct read_result *out)
{
	int fd[2], status;
	pid_t pid;

	if (pipe(fd) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct read_result r = { 0 };
		struct perfkit_results *res = NULL;
		double t;

		close(fd[0]);
		r.rss_before_kb = max_rss_kb();
		t = now_s();
		if (perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &res) != 0)
			fprintf(stderr, "read %s: %s\n", path,
				perfkit_last_error());
		r.seconds = now_s() - t;
		r.rss_after_kb = max_rss_kb();
		r.ok = res && verify(res, count);
		perfkit_results_destroy(res);
		if (write(fd[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	status = read(fd[0], out, sizeof(*out)) == (ssize_t)sizeof(*out);
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return status ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static const char *verdict(int met)
{
	return met ? "met" : "NOT met";
}

static int build_set(size_t count, int argc, char **argv,
		     struct perfkit_results **out)
{
	struct perfkit_results *res;
	struct perfkit_record r;

	if (perfkit_results_new(&res) != 0)
		return -1;
	perfkit_results_set_command(res, argc, (const char *const *)argv);
	perfkit_results_meta_set(res, "machine.cpu.model", "AMD EPYC 7B12");
	perfkit_results_meta_set(res, "machine.cores", "2");
	perfkit_results_meta_set(res, "benchmark", "bench-records");
	for (size_t i = 0; i < count; i++) {
		make_record(i, &r);
		if (perfkit_results_append(res, &r) != 0) {
			fprintf(stderr, "append: %s\n", perfkit_last_error());
			perfkit_results_destroy(res);
			return -1;
		}
	}
	*out = res;
	return 0;
}

/* Write every format @rounds times (median time), keep the last files. */
static int write_all(const struct perfkit_results *res, const char *dir,
		     int rounds, double write_s[NFORMATS], off_t size[NFORMATS])
{
	for (int f = 0; f < NFORMATS; f++) {
		char path[512];
		double t[MAX_ROUNDS];
		struct stat st;

		snprintf(path, sizeof(path), "%s/records.%s", dir,
			 formats[f].ext);
		for (int k = 0; k < rounds; k++) {
			double t0 = now_s();

			if (perfkit_results_write(res, path,
						  PERFKIT_FORMAT_AUTO) != 0) {
				fprintf(stderr, "write %s: %s\n", path,
					perfkit_last_error());
				return -1;
			}
			t[k] = now_s() - t0;
		}
		write_s[f] = median(t, rounds);
		size[f] = stat(path, &st) == 0 ? st.st_size : -1;
	}
	return 0;
}

static int report_reads(const char *dir, size_t count, int rounds,
			const double write_s[NFORMATS],
			const off_t size[NFORMATS])
{
	double mem_mb = (double)count * sizeof(struct perfkit_record) / 1e6;
	int failed = 0;

	printf("%-6s %12s %12s %10s %9s %12s %14s %7s  %s\n", "format",
	       "write rec/s", "read rec/s", "file MB", "B/record",
	       "read RSS MB", "RSS/in-memory", "verify", "goals");
	for (int f = 0; f < NFORMATS; f++) {
		char path[512];
		double t[MAX_ROUNDS], growth = 0, rate, ratio;
		int ok = 1;

		snprintf(path, sizeof(path), "%s/records.%s", dir,
			 formats[f].ext);
		for (int k = 0; k < rounds; k++) {
			struct read_result r;

			if (read_in_child(path, count, &r) != 0 || !r.ok) {
				ok = 0;
				t[k] = NAN;
				continue;
			}
			t[k] = r.seconds;
			if (r.rss_after_kb - r.rss_before_kb > growth)
				growth = (double)(r.rss_after_kb -
						  r.rss_before_kb);
		}
		rate = count / median(t, rounds);
		ratio = growth * 1024.0 / 1e6 / mem_mb;
		printf("%-6s %12.0f %12.0f %10.1f %9.1f %12.1f %14.2f %7s  ",
		       formats[f].name, count / write_s[f], rate,
		       (double)size[f] / 1e6, (double)size[f] / (double)count,
		       growth * 1024.0 / 1e6, ratio, ok ? "ok" : "FAILED");
		if (formats[f].read_goal)
			printf("read >= 1M rec/s: %s; ", verdict(rate >= READ_GOAL));
		printf("memory <= %.0fx: %s\n", MEM_GOAL,
		       verdict(ratio <= MEM_GOAL));
		failed |= !ok;
	}
	printf("\nin-memory size: %zu records x %zu bytes = %.1f MB\n", count,
	       sizeof(struct perfkit_record), mem_mb);
	return failed;
}

int main(int argc, char **argv)
{
	size_t count = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 3, failed;
	char dir[] = "/tmp/bench-records-XXXXXX";
	double write_s[NFORMATS];
	off_t size[NFORMATS];
	struct perfkit_results *res;

	if (count == 0 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: %s [COUNT [ROUNDS (1-%d)]]\n", argv[0],
			MAX_ROUNDS);
		return 2;
	}
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	printf("bench-records: %zu records, %d rounds (median), files in %s\n\n",
	       count, rounds, dir);
	if (build_set(count, argc, argv, &res) != 0)
		return 1;
	failed = write_all(res, dir, rounds, write_s, size);
	/* Free the originals: each read child starts small. */
	perfkit_results_destroy(res);
	if (!failed)
		failed = report_reads(dir, count, rounds, write_s, size);
	for (int f = 0; f < NFORMATS; f++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/records.%s", dir,
			 formats[f].ext);
		unlink(path);
	}
	rmdir(dir);
	return failed ? 1 : 0;
}
