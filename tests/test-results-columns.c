/* SPDX-License-Identifier: MIT */
/*
 * Result sets as columns (perfkit_columns_*), and the CSV reader a window
 * at a time that feeds them: files of many windows and batches read the
 * same as the same bytes parsed from memory, rows longer than a window,
 * quoted line feeds across windows, and every bad input.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "results-format.h"
#include "results-jsonl-fast.h"
#include "results-private.h"

/* More records than a sink's batch (4096), more bytes than a window
 * (fewer under valgrind, still more than both). */
#define MANY (RUNNING_ON_VALGRIND ? 5000 : 20000)

static char dir[] = "/tmp/pk-columns-XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/pk-columns-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *in_dir(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * @n records: names with a quote, a comma and a line feed among plain
 * ones, NaN timestamps, parameters that some records lack, and an extra
 * column every third record (unless @flags has NO_EXTRAS). ODD adds a
 * 600 KB extra value (a row longer than a window) and 300 KB of metadata
 * (more than the first window).
 */
enum { ODD = 1, NO_EXTRAS = 2 };

static struct perfkit_results *sample(size_t n, int flags)
{
	static const char *names[] = { "dgemm", "q\"uo,te\nd", "triad" };
	struct perfkit_results *res;
	struct perfkit_record r;
	char v[32];

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	for (size_t i = 0; i < n; i++) {
		perfkit_record_init(&r);
		ck_assert_int_eq(perfkit_record_set_name(&r, names[i % 3]), 0);
		ck_assert_int_eq(perfkit_record_set_host(&r, i % 2 ? "n1" : "n2"), 0);
		r.worker = (int32_t)i;
		r.cpu = (int32_t)(i % 4);
		r.t_submit = 0.001 * (double)i;
		r.t_end = i % 11 ? 1.0 + 0.37 * (double)i : NAN;
		r.repetitions = i;
		r.problem_size = -(int64_t)i;
		r.flops = 1e9 / (double)(i + 1);
		r.elapsed = 0.5;
		snprintf(v, sizeof(v), "%zu", i % 7);
		ck_assert_int_eq(perfkit_record_set_param(&r, "workers", v), 0);
		if (i % 2 == 0)
			ck_assert_int_eq(perfkit_record_set_param(&r, "mode", "threads"), 0);
		if (i % 5 == 0)
			ck_assert_int_eq(perfkit_record_set_param(&r, "tag", "x"), 0);
		ck_assert_int_eq(perfkit_results_append(res, &r), 0);
		snprintf(v, sizeof(v), "note %zu", i);
		if (i % 3 == 0 && !(flags & NO_EXTRAS))
			ck_assert_int_eq(perfkit_results_extra_set(res, i, "note", v), 0);
	}
	if (flags & ODD) {
		char *big = malloc(600001);

		ck_assert_ptr_nonnull(big);
		memset(big, 'b', 600000);
		big[600000] = '\0';
		ck_assert_int_eq(perfkit_results_extra_set(res, n / 2, "note", big), 0);
		big[300000] = '\0';
		ck_assert_int_eq(perfkit_results_meta_set(res, "long", big), 0);
		free(big);
	}
	return res;
}

/* Two sets are the same if their JSON Lines are (bit-exact numbers). */
static void ck_same(const struct perfkit_results *a,
		    const struct perfkit_results *b)
{
	char *ta, *tb;
	size_t na, nb;

	ck_assert_int_eq(perfkit_results_format(a, PERFKIT_FORMAT_JSONL, &ta, &na), 0);
	ck_assert_int_eq(perfkit_results_format(b, PERFKIT_FORMAT_JSONL, &tb, &nb), 0);
	ck_assert_uint_eq(na, nb);
	ck_assert(memcmp(ta, tb, na) == 0);
	free(ta);
	free(tb);
}

static const char *text_at(const struct perfkit_column *c, size_t row)
{
	int32_t code = ((const int32_t *)c->data)[row];

	ck_assert_int_lt(code, (int32_t)c->nvalues);
	return code < 0 ? NULL : c->values[code];
}

/* Same columns: names, kinds, types, numbers bit for bit, text by value. */
static void ck_same_columns(const struct perfkit_columns *a,
			    const struct perfkit_columns *b)
{
	size_t rows = perfkit_columns_rows(a);
	const struct perfkit_column *ca, *cb;

	ck_assert_uint_eq(rows, perfkit_columns_rows(b));
	ck_assert_uint_eq(perfkit_columns_count(a), perfkit_columns_count(b));
	for (size_t k = 0; k < perfkit_columns_count(a); k++) {
		ck_assert_int_eq(perfkit_columns_at(a, k, &ca), 0);
		ck_assert_int_eq(perfkit_columns_at(b, k, &cb), 0);
		ck_assert_str_eq(ca->name, cb->name);
		ck_assert_int_eq(ca->kind, cb->kind);
		ck_assert_int_eq(ca->type, cb->type);
		if (ca->type != PERFKIT_COLUMN_TEXT) {
			size_t w = ca->type == PERFKIT_COLUMN_INT32 ? 4 : 8;

			ck_assert(memcmp(ca->data, cb->data, rows * w) == 0);
			continue;
		}
		for (size_t i = 0; i < rows; i++) {
			const char *x = text_at(ca, i), *y = text_at(cb, i);

			ck_assert((x == NULL) == (y == NULL));
			if (x)
				ck_assert_str_eq(x, y);
		}
	}
}

static struct perfkit_columns *read_columns(const char *path)
{
	struct perfkit_columns *cs = NULL;
	int rc = perfkit_columns_read(path, PERFKIT_FORMAT_AUTO, &cs);

	ck_assert_msg(rc == 0, "%s: %s", path, perfkit_last_error());
	return cs;
}

START_TEST(test_csv_windows_read_as_memory)
{
	struct perfkit_results *res = sample(MANY, _i), *mem, *file;
	const char *path = in_dir("many.csv");
	char *text;
	size_t len;

	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_CSV), 0);
	ck_assert_int_eq(perfkit_results_format(res, PERFKIT_FORMAT_CSV, &text, &len), 0);
	ck_assert_uint_gt(len, (size_t)2 << 18); /* more than two windows */
	ck_assert_int_eq(perfkit_results_parse(text, len, PERFKIT_FORMAT_CSV, &mem), 0);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &file), 0);
	ck_same(mem, file);
	ck_same(res, file);
	perfkit_results_destroy(file);
	perfkit_results_destroy(mem);
	perfkit_results_destroy(res);
	free(text);
}
END_TEST

/* CRLF line ends and a byte order mark, as spreadsheets write. */
START_TEST(test_csv_windows_crlf_and_bom)
{
	const char *path = in_dir("crlf.csv");
	size_t cap = 64 + (size_t)MANY * 40, n = 0;
	char *text = malloc(cap);
	struct perfkit_results *mem, *file;

	ck_assert_ptr_nonnull(text);
	n += (size_t)sprintf(text, "\xef\xbb\xbf# note=crlf\r\n\r\nname,worker,flops,param.k\r\n");
	for (int i = 0; i < MANY; i++)
		n += (size_t)sprintf(text + n, "\"k,%d\",%d,%d.5,%d\r\n", i % 3, i,
				     i, i % 2);
	write_file(path, text, n);
	ck_assert_int_eq(perfkit_results_parse(text, n, PERFKIT_FORMAT_CSV, &mem), 0);
	ck_assert_int_eq(perfkit_results_read(path, PERFKIT_FORMAT_AUTO, &file), 0);
	ck_assert_uint_eq(perfkit_results_count(file), MANY);
	ck_same(mem, file);
	perfkit_results_destroy(mem);
	perfkit_results_destroy(file);
	free(text);
}
END_TEST

START_TEST(test_columns_read_every_format)
{
	static const char *names[] = { "c.csv", "c.jsonl", "c.json" };
	struct perfkit_results *res = sample(MANY, 0);
	struct perfkit_columns *want, *got;
	const char *date, *want_date;

	ck_assert_int_eq(perfkit_columns_from_results(res, &want), 0);
	ck_assert_uint_eq(perfkit_columns_rows(want), MANY);
	/* 17 fields, then workers, mode, tag, then the extra note */
	ck_assert_uint_eq(perfkit_columns_count(want), 21);
	for (size_t f = 0; f < 3; f++) {
		const char *path = in_dir(names[f]);

		ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO), 0);
		got = read_columns(path);
		ck_same_columns(want, got);
		ck_assert_int_eq(perfkit_results_meta_get(perfkit_columns_meta(got),
							  "date", &date), 0);
		ck_assert_int_eq(perfkit_results_meta_get(res, "date", &want_date), 0);
		ck_assert_str_eq(date, want_date);
		ck_assert(perfkit_results_epoch_ns(perfkit_columns_meta(got)) ==
			  perfkit_results_epoch_ns(res));
		perfkit_columns_destroy(got);
	}
	perfkit_columns_destroy(want);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_columns_values_and_codes)
{
	struct perfkit_results *res = sample(10, 0);
	struct perfkit_columns *cs;
	const struct perfkit_column *c;

	ck_assert_int_eq(perfkit_columns_from_results(res, &cs), 0);
	ck_assert_int_eq(perfkit_columns_find(cs, PERFKIT_COLUMN_FIELD, "name", &c), 0);
	ck_assert_int_eq(c->type, PERFKIT_COLUMN_TEXT);
	ck_assert_uint_eq(c->nvalues, 3);
	ck_assert_str_eq(c->values[1], "q\"uo,te\nd");
	ck_assert_str_eq(text_at(c, 4), "q\"uo,te\nd");
	ck_assert_int_eq(perfkit_columns_find(cs, PERFKIT_COLUMN_FIELD, "problem_size", &c), 0);
	ck_assert_int_eq(c->type, PERFKIT_COLUMN_INT64);
	ck_assert_int_eq(((const int64_t *)c->data)[9], -9);
	ck_assert_int_eq(perfkit_columns_find(cs, PERFKIT_COLUMN_FIELD, "t_end", &c), 0);
	ck_assert(isnan(((const double *)c->data)[0]));
	ck_assert_int_eq(perfkit_columns_find(cs, PERFKIT_COLUMN_PARAM, "tag", &c), 0);
	ck_assert_uint_eq(c->nvalues, 1);
	ck_assert_str_eq(text_at(c, 5), "x");
	ck_assert_ptr_null(text_at(c, 4));
	ck_assert_int_eq(perfkit_columns_find(cs, PERFKIT_COLUMN_EXTRA, "note", &c), 0);
	ck_assert_uint_eq(c->nvalues, 4); /* records 0, 3, 6, 9 */
	ck_assert_str_eq(text_at(c, 9), "note 9");
	ck_assert_ptr_null(text_at(c, 8));
	ck_assert_int_eq(perfkit_columns_at(cs, 0, &c), 0);
	ck_assert_str_eq(c->name, "name");
	ck_assert_int_eq(perfkit_columns_at(cs, 11, &c), 0);
	ck_assert_str_eq(c->name, "repetitions");
	ck_assert_int_eq(c->type, PERFKIT_COLUMN_UINT64);
	ck_assert_ptr_null(c->values);
	perfkit_columns_destroy(cs);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_columns_back_to_records)
{
	struct perfkit_results *res = sample(MANY, _i), *back;
	struct perfkit_columns *cs;
	const char *path = in_dir("back.csv");

	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_CSV), 0);
	cs = read_columns(path);
	ck_assert_int_eq(perfkit_columns_to_results(cs, &back), 0);
	ck_same(res, back);
	perfkit_results_destroy(back);
	perfkit_columns_destroy(cs);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_columns_of_nothing)
{
	struct perfkit_results *res, *back;
	struct perfkit_columns *cs;
	const char *path = in_dir("none.jsonl");

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO), 0);
	cs = read_columns(path);
	ck_assert_uint_eq(perfkit_columns_rows(cs), 0);
	ck_assert_uint_eq(perfkit_columns_count(cs), 17);
	ck_assert_int_eq(perfkit_columns_to_results(cs, &back), 0);
	ck_same(res, back);
	perfkit_results_destroy(back);
	perfkit_columns_destroy(cs);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_columns_bad_arguments)
{
	struct perfkit_columns *cs = (void *)1;
	struct perfkit_results *res;
	const struct perfkit_column *c;

	ck_assert_fails(perfkit_columns_read(NULL, 0, &cs), -EINVAL, "path");
	ck_assert_fails(perfkit_columns_read("x.csv", 0, NULL), -EINVAL, "out");
	ck_assert_fails(perfkit_columns_from_results(NULL, &cs), -EINVAL, "res");
	ck_assert_fails(perfkit_columns_to_results(NULL, &res), -EINVAL, "cols");
	ck_assert_fails(perfkit_columns_at(NULL, 0, &c), -EINVAL, "cols");
	ck_assert_uint_eq(perfkit_columns_rows(NULL), 0);
	ck_assert_uint_eq(perfkit_columns_count(NULL), 0);
	ck_assert_ptr_null(perfkit_columns_meta(NULL));
	perfkit_columns_destroy(NULL);

	res = sample(3, 0);
	ck_assert_int_eq(perfkit_columns_from_results(res, &cs), 0);
	ck_assert_fails(perfkit_columns_at(cs, 21, &c), -EINVAL, "column 21");
	ck_assert_fails(perfkit_columns_at(cs, SIZE_MAX, &c), -EINVAL, "column");
	ck_assert_fails(perfkit_columns_at(cs, 0, NULL), -EINVAL, "col");
	ck_assert_fails(perfkit_columns_find(cs, PERFKIT_COLUMN_PARAM, "nope", &c),
			-ENOENT, "no parameter column 'nope'");
	ck_assert_fails(perfkit_columns_find(cs, PERFKIT_COLUMN_FIELD, "workers", &c),
			-ENOENT, "no field column");
	ck_assert_fails(perfkit_columns_find(cs, 0, "name", &c), -EINVAL, "kind");
	ck_assert_fails(perfkit_columns_find(cs, 99, "name", &c), -EINVAL, "kind");
	ck_assert_fails(perfkit_columns_find(cs, PERFKIT_COLUMN_FIELD, NULL, &c), -EINVAL,
			"name");
	perfkit_columns_destroy(cs);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_columns_bad_files)
{
	struct perfkit_columns *cs = (void *)1;
	const char *path;
	char *text, want[96];
	size_t n = 0;

	ck_assert_fails(perfkit_columns_read(in_dir("missing.csv"), 0, &cs), -ENOENT,
			"missing.csv");
	ck_assert_ptr_null(cs);
	ck_assert_fails(perfkit_columns_read(in_dir("x.txt"), 0, &cs), -ENOTSUP,
			"unknown extension");
	path = in_dir("fifo.csv");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_fails(perfkit_columns_read(path, 0, &cs), -ENOTSUP, "FIFO");
	path = in_dir("folder.jsonl");
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_fails(perfkit_columns_read(path, 0, &cs), -EIO, "folder");
	path = in_dir("empty.csv");
	write_file(path, "", 0);
	ck_assert_fails(perfkit_columns_read(path, 0, &cs), -EBADMSG, "empty input");
	ck_assert_fails(perfkit_columns_read("/dev/null", PERFKIT_FORMAT_CSV, &cs),
			-ENOTSUP, "a device");

	/* A bad number far into the file: the window's line is the file's. */
	text = malloc((size_t)MANY * 16 + 64);
	ck_assert_ptr_nonnull(text);
	n += (size_t)sprintf(text, "name,flops\n");
	for (int i = 0; i < MANY; i++)
		n += (size_t)sprintf(text + n, "k,%d\n", i);
	n += (size_t)sprintf(text + n, "k,lots\n");
	path = in_dir("late.csv");
	write_file(path, text, n);
	snprintf(want, sizeof(want), "late.csv: line %d, column 2 (field 'flops')",
		 MANY + 2);
	ck_assert_fails(perfkit_columns_read(path, 0, &cs), -EBADMSG, want);
	ck_assert_ptr_null(cs);
	/* An unterminated quote at the end: the window does not hide it. */
	n -= strlen("k,lots\n");
	n += (size_t)sprintf(text + n, "\"k,1\n");
	write_file(path, text, n);
	snprintf(want, sizeof(want), "line %d, column 1: unterminated quoted cell",
		 MANY + 2);
	ck_assert_fails(perfkit_columns_read(path, 0, &cs), -EBADMSG, want);
	/* A NUL byte in a later window. */
	n -= strlen("\"k,1\n");
	n += (size_t)sprintf(text + n, "k,1\n");
	text[n - 2] = '\0';
	write_file(path, text, n);
	ck_assert_fails(perfkit_columns_read(path, 0, &cs), -EBADMSG, "NUL byte");
	free(text);
}
END_TEST

/* Texts that cross every window boundary in every way, good and bad. */
static const char *const tiny_texts[] = {
	"name,worker\na,1\nb,2\n",
	"\xef\xbb\xbf# k=v\n# other=x\n\nname,worker\r\na,1\r\n\r\nb,2",
	"name,param.p,note\n\"q\"\"x\nline\",1,\"a,b\"\n\"\",,\"\n\"\n",
	"# only=meta\n",
	"# q=\"odd\nname\n\"x\"\n",
	"name,worker\na,1\nb,lots\n",
	"name,worker\na,1\n\"b,2\n",
	"name,worker\na,1\nb\"c,2\n",
	"name,worker\na,1\nb,2,3\n",
	"name,worker\na,\xff\n",
	"name,worker\na\rb,1\n",
	"name\n\"\"\"\"\n\"x\"\"\n\"\n",
	"\n\n",
	"name,worker\n\"a\"x,1\n",
	"name,worker\n\"a\"b\",1\nc,2\n",
	"name,worker\na,\"x\"\"\n\"\"\n\"\nb,2\n",
	"name,note\na,\"\"\"\"\nb,\"\"\n",
	"name,worker\nk\"x,1\nb,2\nc,3\n",
};

START_TEST(test_csv_tiny_windows)
{
	const char *text = tiny_texts[_i];
	size_t len = strlen(text);
	const char *path = in_dir("tiny.csv");
	struct perfkit_results *mem = NULL, *file;
	char msg[512];
	int rc, fd;

	rc = pk_results_parse_csv(text, len, &mem);
	snprintf(msg, sizeof(msg), "%s", perfkit_last_error());
	write_file(path, text, len);
	for (size_t w = 1; w <= len + 2; w++) {
		fd = open(path, O_RDONLY);
		ck_assert_int_ge(fd, 0);
		file = pk_results_alloc();
		ck_assert_ptr_nonnull(file);
		ck_assert_int_eq(pk_csv_read_fd_window(fd, w, file), rc);
		close(fd);
		if (rc < 0)
			ck_assert_str_eq(perfkit_last_error(), msg);
		else
			ck_same(mem, file);
		perfkit_results_destroy(file);
	}
	perfkit_results_destroy(mem);
}
END_TEST

/* A stray quote early in a large file: the error comes from the first
 * window, not after the rest of the file was read to find a row end. */
START_TEST(test_csv_stray_quote_read_no_further)
{
	const char *path = in_dir("stray.csv");
	size_t n = 0;
	char *text = malloc((size_t)MANY * 16 + 64);
	struct perfkit_results *res;
	off_t offset;
	int fd;

	ck_assert_ptr_nonnull(text);
	n += (size_t)sprintf(text, "name,flops\nk,1\nk\"x,2\n");
	for (int i = 0; i < MANY; i++)
		n += (size_t)sprintf(text + n, "k,%d\n", i);
	write_file(path, text, n);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	res = pk_results_alloc();
	ck_assert_ptr_nonnull(res);
	ck_assert_fails(pk_csv_read_fd_window(fd, 4096, res), -EBADMSG,
			"line 3, column 1: quote inside an unquoted cell");
	offset = lseek(fd, 0, SEEK_CUR);
	ck_assert_msg(offset <= 8192, "read %lld bytes of %zu", (long long)offset, n);
	close(fd);
	perfkit_results_destroy(res);
	free(text);
}
END_TEST

/* JSON Lines without extra keys: the fast reader, streamed. */
START_TEST(test_columns_jsonl_streamed)
{
	const char *path = in_dir("plain.jsonl");
	struct perfkit_results *res = sample(MANY, NO_EXTRAS), *back = NULL;
	struct perfkit_columns *want, *got;
	int fd, fast;

	ck_assert_int_eq(perfkit_results_write(res, path, PERFKIT_FORMAT_AUTO), 0);
	/* the stream itself took it (where the fast reader is built) */
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	fast = pk_results_read_jsonl_fast(fd, 4096, &back);
	perfkit_results_destroy(back);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	back = pk_results_alloc();
	ck_assert_int_eq(pk_results_stream_file(fd, path, PERFKIT_FORMAT_JSONL, back),
			 fast == -ENOTSUP ? -EAGAIN : 0);
	close(fd);
	perfkit_results_destroy(back);
	ck_assert_int_eq(perfkit_columns_from_results(res, &want), 0);
	got = read_columns(path);
	ck_assert_uint_eq(perfkit_columns_count(got), 20);
	ck_same_columns(want, got);
	perfkit_columns_destroy(got);
	perfkit_columns_destroy(want);
	perfkit_results_destroy(res);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("results-columns");
	TCase *tc = tcase_create("columns");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_csv_windows_read_as_memory, 0, 2);
	tcase_add_test(tc, test_csv_windows_crlf_and_bom);
	tcase_add_loop_test(tc, test_csv_tiny_windows, 0,
			    sizeof(tiny_texts) / sizeof(tiny_texts[0]));
	tcase_add_test(tc, test_columns_read_every_format);
	tcase_add_test(tc, test_columns_values_and_codes);
	tcase_add_loop_test(tc, test_columns_back_to_records, 0, 2);
	tcase_add_test(tc, test_columns_of_nothing);
	tcase_add_test(tc, test_columns_bad_arguments);
	tcase_add_test(tc, test_columns_bad_files);
	tcase_add_test(tc, test_columns_jsonl_streamed);
	tcase_add_test(tc, test_csv_stray_quote_read_no_further);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
