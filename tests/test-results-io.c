/* SPDX-License-Identifier: MIT */
/* The file layer of result sets: format by name, atomic writes, reads.
 * Format details are tested with their serialisers; here any format does. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"

static char dir[64];

/* A fresh, empty folder for each test. */
static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/pk-results-io-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[512];

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			remove_tree(sub);
		}
	closedir(d);
	rmdir(path);
}

static void teardown(void)
{
	remove_tree(dir);
}

static const char *in_dir(const char *name)
{
	static char path[16][256];
	static int k;

	k = (k + 1) % 16;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

/* Entries of the test folder, so a left-over temporary file shows. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static struct perfkit_results *sample(size_t n)
{
	struct perfkit_results *res;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_results_set_epoch_ns(res, 1740830400123456789),
			 0);
	for (size_t i = 0; i < n; i++) {
		struct perfkit_record r;
		char name[32];

		perfkit_record_init(&r);
		snprintf(name, sizeof(name), "kernel%zu", i);
		perfkit_record_set_name(&r, name);
		r.worker = (int32_t)i;
		ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	}
	return res;
}

static void check_same(const struct perfkit_results *a,
		       const struct perfkit_results *b)
{
	ck_assert_uint_eq(perfkit_results_count(a), perfkit_results_count(b));
	ck_assert_int_eq(perfkit_results_epoch_ns(a),
			 perfkit_results_epoch_ns(b));
	for (size_t i = 0; i < perfkit_results_count(a); i++) {
		const struct perfkit_record *x, *y;

		ck_assert_int_eq(perfkit_results_get(a, i, &x), 0);
		ck_assert_int_eq(perfkit_results_get(b, i, &y), 0);
		ck_assert_str_eq(x->name, y->name);
		ck_assert_int_eq(x->worker, y->worker);
	}
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *read_text(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(test_format_from_path)
{
	enum perfkit_format f = PERFKIT_FORMAT_AUTO;

	ck_assert_int_eq(perfkit_format_from_path("run.csv", &f), 0);
	ck_assert_int_eq(f, PERFKIT_FORMAT_CSV);
	ck_assert_int_eq(perfkit_format_from_path("RUN.CSV", &f), 0);
	ck_assert_int_eq(f, PERFKIT_FORMAT_CSV);
	ck_assert_int_eq(perfkit_format_from_path("/a.b/run.Json", &f), 0);
	ck_assert_int_eq(f, PERFKIT_FORMAT_JSON);
	ck_assert_int_eq(perfkit_format_from_path("run.jsonl", &f), 0);
	ck_assert_int_eq(f, PERFKIT_FORMAT_JSONL);
	ck_assert_int_eq(perfkit_format_from_path("x.y.NDJSON", &f), 0);
	ck_assert_int_eq(f, PERFKIT_FORMAT_JSONL);
	f = PERFKIT_FORMAT_AUTO;
	ck_assert_fails(perfkit_format_from_path("run.txt", &f), -ENOTSUP,
			"run.txt");
	ck_assert_int_eq(f, PERFKIT_FORMAT_AUTO);
	ck_assert_fails(perfkit_format_from_path("csv", &f), -ENOTSUP, ".csv");
	ck_assert_fails(perfkit_format_from_path("run.csv.gz", &f), -ENOTSUP,
			"run.csv.gz");
	ck_assert_fails(perfkit_format_from_path("out.csv/run", &f), -ENOTSUP,
			"out.csv/run");
	ck_assert_fails(perfkit_format_from_path("run.", &f), -ENOTSUP,
			"extension");
	ck_assert_fails(perfkit_format_from_path("", &f), -ENOTSUP,
			"extension");
	ck_assert_fails(perfkit_format_from_path(NULL, &f), -EINVAL, "NULL");
	ck_assert_fails(perfkit_format_from_path("a.csv", NULL), -EINVAL,
			"NULL");
}
END_TEST

START_TEST(test_memory_arguments)
{
	struct perfkit_results *res = sample(1), *out = NULL;
	char *data = NULL;

	ck_assert_fails(perfkit_results_format(res, PERFKIT_FORMAT_AUTO, &data,
					       NULL),
			-EINVAL, "format");
	ck_assert_fails(perfkit_results_format(res, (enum perfkit_format)9,
					       &data, NULL),
			-EINVAL, "format 9");
	ck_assert_fails(perfkit_results_format(NULL, PERFKIT_FORMAT_CSV, &data,
					       NULL),
			-EINVAL, "NULL");
	ck_assert_fails(perfkit_results_format(res, PERFKIT_FORMAT_CSV, NULL,
					       NULL),
			-EINVAL, "NULL");
	ck_assert_fails(perfkit_results_parse("x", 1, PERFKIT_FORMAT_AUTO, &out),
			-EINVAL, "format");
	ck_assert_fails(perfkit_results_parse("x", 1, (enum perfkit_format)-1,
					      &out),
			-EINVAL, "format -1");
	ck_assert_fails(perfkit_results_parse(NULL, 0, PERFKIT_FORMAT_CSV, &out),
			-EINVAL, "NULL");
	ck_assert_fails(perfkit_results_parse("x", 1, PERFKIT_FORMAT_CSV, NULL),
			-EINVAL, "NULL");
	ck_assert_ptr_null(data);
	ck_assert_ptr_null(out);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_memory_roundtrip)
{
	const enum perfkit_format fs[] = { PERFKIT_FORMAT_CSV,
					   PERFKIT_FORMAT_JSON,
					   PERFKIT_FORMAT_JSONL };
	struct perfkit_results *res = sample(3);

	for (size_t k = 0; k < 3; k++) {
		struct perfkit_results *back = NULL;
		char *data = NULL;
		size_t len = 0;

		ck_assert_int_eq(perfkit_results_format(res, fs[k], &data, &len),
				 0);
		ck_assert_uint_eq(strlen(data), len);
		ck_assert_int_eq(perfkit_results_parse(data, len, fs[k], &back),
				 0);
		check_same(res, back);
		perfkit_results_destroy(back);
		free(data);
		/* len is optional */
		ck_assert_int_eq(perfkit_results_format(res, fs[k], &data, NULL),
				 0);
		free(data);
	}
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_write_read_each_format)
{
	const char *names[] = { "a.csv", "a.json", "a.jsonl", "a.ndjson",
				"A.CSV" };
	struct perfkit_results *res = sample(3);

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		struct perfkit_results *back = NULL;

		ck_assert_int_eq(perfkit_results_write(res, in_dir(names[k]),
						       PERFKIT_FORMAT_AUTO),
				 0);
		ck_assert_int_eq(perfkit_results_read(in_dir(names[k]),
						      PERFKIT_FORMAT_AUTO,
						      &back),
				 0);
		check_same(res, back);
		perfkit_results_destroy(back);
	}
	/* A format given explicitly overrides the name. */
	ck_assert_int_eq(perfkit_results_write(res, in_dir("data.txt"),
					       PERFKIT_FORMAT_JSON),
			 0);
	{
		struct perfkit_results *back = NULL;

		ck_assert_int_eq(perfkit_results_read(in_dir("data.txt"),
						      PERFKIT_FORMAT_JSON,
						      &back),
				 0);
		check_same(res, back);
		perfkit_results_destroy(back);
	}
	/* Only the files themselves: no temporary file left behind. */
	ck_assert_int_eq(entries(), 6);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_write_replaces_keeping_mode)
{
	struct perfkit_results *res = sample(2), *back = NULL;
	const char *path = in_dir("run.json");
	struct stat st;

	write_text(path, "old");
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO),
			 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &back),
			 0);
	check_same(res, back);
	ck_assert_int_eq(entries(), 1);
	perfkit_results_destroy(back);

	/* A new file gets 0666 less the umask, as open() would give it. */
	mode_t old = umask(027);
	ck_assert_int_eq(perfkit_results_write(res, in_dir("new.csv"),
					       PERFKIT_FORMAT_AUTO),
			 0);
	umask(old);
	ck_assert_int_eq(stat(in_dir("new.csv"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_write_failures)
{
	struct perfkit_results *res = sample(1);
	const char *missing = in_dir("no/such/folder/run.csv");
	const char *folder = in_dir("taken.csv");

	ck_assert_fails(perfkit_results_write(res, missing, PERFKIT_FORMAT_AUTO),
			-EIO, missing);
	ck_assert_fails(perfkit_results_write(res, missing, PERFKIT_FORMAT_AUTO),
			-EIO, strerror(ENOENT));
	/* A folder by that name (not empty) cannot be replaced by a file. */
	ck_assert_int_eq(mkdir(folder, 0755), 0);
	write_text(in_dir("taken.csv/keep"), "x");
	ck_assert_fails(perfkit_results_write(res, folder, PERFKIT_FORMAT_AUTO),
			-EIO, folder);
	ck_assert_str_eq(read_text(in_dir("taken.csv/keep")), "x");
	ck_assert_int_eq(entries(), 1); /* the folder, no temporary file */

	ck_assert_fails(perfkit_results_write(res, in_dir("run.txt"),
					      PERFKIT_FORMAT_AUTO),
			-ENOTSUP, "run.txt");
	ck_assert_fails(perfkit_results_write(res, in_dir("run.csv"),
					      (enum perfkit_format)7),
			-EINVAL, "format 7");
	ck_assert_int_eq(entries(), 1);
	ck_assert_fails(perfkit_results_write(NULL, in_dir("a.csv"),
					      PERFKIT_FORMAT_AUTO),
			-EINVAL, "NULL");
	ck_assert_fails(perfkit_results_write(res, NULL, PERFKIT_FORMAT_AUTO),
			-EINVAL, "NULL");
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_write_full_disk_keeps_old)
{
	/* A file size limit makes write() fail part-way (EFBIG), as a full
	 * disk would: the old file must survive and no temporary remain. */
	struct perfkit_results *res = sample(200);
	const char *path = in_dir("run.csv");
	struct rlimit old, small = { 64, 64 };
	void (*old_handler)(int);

	write_text(path, "the old results\n");
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small.rlim_max = old.rlim_max;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	perfkit_clear_error();
	int rc = perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);
	ck_assert_int_eq(rc, -EIO);
	ck_assert_msg(strstr(perfkit_last_error(), strerror(EFBIG)),
		      "message: %s", perfkit_last_error());
	ck_assert_msg(strstr(perfkit_last_error(), path), "message: %s",
		      perfkit_last_error());
	ck_assert_str_eq(read_text(path), "the old results\n");
	ck_assert_int_eq(entries(), 1);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_read_failures)
{
	struct perfkit_results *out = NULL;
	const char *missing = in_dir("missing.csv");
	const char *empty = in_dir("empty.csv");
	const char *junk = in_dir("junk.json");

	ck_assert_fails(perfkit_results_read(missing, PERFKIT_FORMAT_AUTO, &out),
			-ENOENT, missing);
	ck_assert_int_eq(mkdir(in_dir("folder.csv"), 0755), 0);
	ck_assert_fails(perfkit_results_read(in_dir("folder.csv"),
					     PERFKIT_FORMAT_AUTO, &out),
			-EIO, "is a folder");
	/* JSON Lines are read from the file first (lib/results/results-io.c). */
	ck_assert_int_eq(mkdir(in_dir("folder.jsonl"), 0755), 0);
	ck_assert_fails(perfkit_results_read(in_dir("folder.jsonl"),
					     PERFKIT_FORMAT_AUTO, &out),
			-EIO, "is a folder");
	/* The parsers judge the bytes; the message gains the file. */
	write_text(empty, "");
	ck_assert_fails(perfkit_results_read(empty, PERFKIT_FORMAT_AUTO, &out),
			-EBADMSG, empty);
	ck_assert_msg(strstr(perfkit_last_error(), "empty"), "message: %s",
		      perfkit_last_error());
	write_text(junk, "\x01\x02 not results\n");
	ck_assert_fails(perfkit_results_read(junk, PERFKIT_FORMAT_AUTO, &out),
			-EBADMSG, junk);
	ck_assert_msg(strstr(perfkit_last_error(), "line"), "message: %s",
		      perfkit_last_error());
	ck_assert_fails(perfkit_results_read(in_dir("a.txt"),
					     PERFKIT_FORMAT_AUTO, &out),
			-ENOTSUP, "a.txt");
	ck_assert_fails(perfkit_results_read(missing, (enum perfkit_format)99,
					     &out),
			-EINVAL, "format 99");
	ck_assert_fails(perfkit_results_read(NULL, PERFKIT_FORMAT_CSV, &out),
			-EINVAL, "NULL");
	ck_assert_fails(perfkit_results_read(missing, PERFKIT_FORMAT_CSV, NULL),
			-EINVAL, "NULL");
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(test_read_large)
{
	/* Bigger than any first guess of a buffer; read in several calls. */
	struct perfkit_results *res = sample(20000), *back = NULL;
	const char *path = in_dir("big.jsonl");

	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO),
			 0);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &back),
			 0);
	check_same(res, back);
	perfkit_results_destroy(back);
	perfkit_results_destroy(res);
}
END_TEST

static int read_csv(void *path)
{
	struct perfkit_results *res = NULL;
	int rc = perfkit_results_read(path, PERFKIT_FORMAT_CSV, &res);

	perfkit_results_destroy(res);
	return rc;
}

static int read_jsonl(void *path)
{
	struct perfkit_results *res = NULL;
	int rc = perfkit_results_read(path, PERFKIT_FORMAT_JSONL, &res);

	perfkit_results_destroy(res);
	return rc;
}

/* A FIFO without a writer would block the open and the read for ever;
 * /dev/zero would fill memory: both are refused at once. */
START_TEST(test_read_special_files)
{
	const char *fifo = in_dir("fifo.csv");
	int (*readers[])(void *) = { read_csv, read_jsonl };
	const char *paths[] = { fifo, "/dev/zero", "/dev/null" };
	struct pk_outcome o;

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < 3; j++) {
			o = pk_run_within(30, readers[i], (void *)paths[j]);
			ck_assert_int_eq(o.rc, -ENOTSUP);
			ck_assert_msg(strstr(o.msg, paths[j]) &&
					      strstr(o.msg, "not a regular file"),
				      "message: %s", o.msg);
		}
	}
	o = pk_run_within(30, read_csv, (void *)fifo);
	ck_assert_msg(strstr(o.msg, "a FIFO"), "message: %s", o.msg);
	o = pk_run_within(30, read_csv, (void *)"/dev/zero");
	ck_assert_msg(strstr(o.msg, "a device"), "message: %s", o.msg);
}
END_TEST

static Suite *results_io_suite(void)
{
	Suite *s = suite_create("results-io");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_format_from_path);
	tcase_add_test(tc, test_memory_arguments);
	tcase_add_test(tc, test_memory_roundtrip);
	tcase_add_test(tc, test_write_read_each_format);
	tcase_add_test(tc, test_write_replaces_keeping_mode);
	tcase_add_test(tc, test_write_failures);
	tcase_add_test(tc, test_write_full_disk_keeps_old);
	tcase_add_test(tc, test_read_failures);
	tcase_add_test(tc, test_read_large);
	tcase_add_test(tc, test_read_special_files);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(results_io_suite)
