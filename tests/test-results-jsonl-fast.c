/* SPDX-License-Identifier: MIT */
/*
 * The simdjson JSON Lines reader (lib/results/json/results-jsonl-fast.cc) against the
 * jansson reader, its reference: whatever the fast path accepts must read
 * to the same set bit for bit, and whatever it refuses must reach the
 * jansson reader's result or error through pk_results_parse_jsonl().
 * Skips (passes, saying so) where the library was built without simdjson.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "results-format.h"
#include "results-jsonl-fast.h"
#include "results-private.h"
#include "fuzz/jsonl-same.h"

#define HEAD "{\"schema\":\"perfkit-results\",\"schema_version\":1," \
	     "\"epoch_ns\":7,\"meta\":{\"k\":\"v\"}}\n"

static int fast_built(void)
{
	struct perfkit_results *res = NULL;
	int rc = pk_results_parse_jsonl_fast(HEAD, strlen(HEAD), &res);

	perfkit_results_destroy(res);
	if (rc == -ENOTSUP)
		fprintf(stderr, "test-results-jsonl-fast: built without "
			"simdjson: the fast path is not there to test\n");
	return rc != -ENOTSUP;
}

enum want { REFUSED, ACCEPTED, EITHER };

/* @len bytes of @text in a new temporary file; its path in @path. */
static void to_file(const char *text, size_t len, char path[64])
{
	int fd;

	snprintf(path, 64, "/tmp/test-jsonl-fast-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert(write(fd, text, len) == (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
}

/* The fast path on the file, its lines in windows of @window bytes. */
static int read_file_fast(const char *path, size_t window,
			  struct perfkit_results **out)
{
	int fd = open(path, O_RDONLY);
	int rc;

	ck_assert_int_ge(fd, 0);
	*out = NULL;
	rc = pk_results_read_jsonl_fast(fd, window, out);
	close(fd);
	return rc;
}

/*
 * The readers of files against those of memory: the fast path on the file,
 * with windows of a byte up to the default, takes what it takes in memory
 * (@fr, @f) and reads the same set; perfkit_results_read() gives the
 * jansson reader's set (@jr, @j) or its message (@jmsg) after the path.
 */
static void agree_file(const char *text, size_t len, int fr,
		       const struct perfkit_results *f, int jr,
		       const struct perfkit_results *j, const char *jmsg)
{
	static const size_t windows[] = { 1, 2, 3, 7, 64, 1000,
					  PK_JSONL_WINDOW };
	struct perfkit_results *r;
	char path[64], why[128], msg[400], want[512];
	int rc;

	to_file(text, len, path);
	for (size_t k = 0; k < sizeof(windows) / sizeof(windows[0]); k++) {
		rc = read_file_fast(path, windows[k], &r);
		ck_assert_msg(rc == fr || (rc == -ENOTSUP && fr == -ENOTSUP),
			      "%.80s: window %zu: %d, in memory %d", text,
			      windows[k], rc, fr);
		if (rc == 0)
			ck_assert_msg(jsonl_same_sets(r, f, why, sizeof(why)),
				      "%.80s: window %zu: %s", text,
				      windows[k], why);
		perfkit_results_destroy(r);
	}
	perfkit_clear_error();
	rc = perfkit_results_read(path, PERFKIT_FORMAT_JSONL, &r);
	ck_assert_msg(rc == jr, "%.80s: read %d, jansson %d", text, rc, jr);
	if (jr == 0) {
		ck_assert_msg(jsonl_same_sets(r, j, why, sizeof(why)),
			      "%.80s: read: %s", text, why);
		perfkit_results_destroy(r);
	} else {
		/* perfkit_results_read() keeps 399 bytes of the message. */
		size_t n = strlen(jmsg) < sizeof(msg) ? strlen(jmsg) :
							sizeof(msg) - 1;

		memcpy(msg, jmsg, n);
		msg[n] = '\0';
		snprintf(want, sizeof(want), "%s: %s", path, msg);
		ck_assert_str_eq(perfkit_last_error(), want);
	}
	unlink(path);
}

/* Fast, jansson and the dispatcher on one input; returns the fast rc. */
static int agree_n(const char *text, size_t len, enum want want)
{
	struct perfkit_results *f = NULL, *j = NULL, *d = NULL;
	char jmsg[512], why[128];
	int fr = pk_results_parse_jsonl_fast(text, len, &f);
	int jr = pk_results_parse_jsonl_jansson(text, len, &j);
	int dr;

	snprintf(jmsg, sizeof(jmsg), "%s", perfkit_last_error());
	perfkit_clear_error();
	dr = pk_results_parse_jsonl(text, len, &d);
	ck_assert_msg(fr == 0 || fr == -EAGAIN, "%.80s: fast %d", text, fr);
	ck_assert_msg(want == EITHER || (want == ACCEPTED) == (fr == 0),
		      "%.80s: fast %d", text, fr);
	ck_assert_msg(dr == jr, "%.80s: %d vs jansson %d", text, dr, jr);
	if (fr == 0) {
		ck_assert_msg(jr == 0, "%.80s: fast took what jansson "
			      "refuses: %s", text, jmsg);
		ck_assert_msg(jsonl_same_sets(f, j, why, sizeof(why)),
			      "%.80s: %s", text, why);
	}
	if (jr == 0)
		ck_assert_msg(jsonl_same_sets(d, j, why, sizeof(why)),
			      "%.80s: %s", text, why);
	else
		ck_assert_str_eq(perfkit_last_error(), jmsg);
	agree_file(text, len, fr, f, jr, j, jmsg);
	perfkit_results_destroy(f);
	perfkit_results_destroy(j);
	perfkit_results_destroy(d);
	return fr;
}

static int agree(const char *text, enum want want)
{
	return agree_n(text, strlen(text), want);
}

START_TEST(test_common_shape_is_fast)
{
	if (!fast_built())
		return;
	agree(HEAD, ACCEPTED);
	agree(HEAD "{\"name\":\"a\",\"worker\":3,\"flops\":2.5}\n", ACCEPTED);
	agree("\r\n" HEAD "\r\n\n  \n{\"name\":\"a\"}\r\n\t\n{\"name\":\"b\"}",
	      ACCEPTED);
	agree(HEAD "{\"flops\":\"NaN\",\"bytes\":\"Infinity\","
	      "\"items\":\"-Infinity\",\"elapsed\":-0.0,\"t_end\":-0,"
	      "\"t_start\":12,\"t_setup\":1e-400,\"t_submit\":5e-324,"
	      "\"t_collected\":1.7976931348623157e308}\n", ACCEPTED);
	agree(HEAD "{\"repetitions\":\"18446744073709551615\","
	      "\"problem_size\":-9223372036854775808,\"rank\":-2147483648,"
	      "\"cpu\":2147483647,\"status\":-5}\n", ACCEPTED);
	agree(HEAD "{\"name\":\"\\u00e9\\n\\\"q\\\" \\ud83d\\ude00 \\\\ ok\","
	      "\"params\":{\"n\":\"4096\",\"k\\tx\":\"\"},\"host\":\"h\"}\n",
	      ACCEPTED);
	agree(HEAD "{ \"name\" : \"a\" , \"params\" : { } }   \n", ACCEPTED);
}
END_TEST

START_TEST(test_unusual_falls_back)
{
	static const char *const lines[] = {
		"{\"name\":\"a\",\"comment\":\"kept as an extra\"}",
		"{\"name\":\"a\",\"x\":[1,{\"y\":null}]}",
		"{\"name\":\"a\",\"name\":\"b\"}",
		"{\"name\":\"a\",\"n\\u0061me\":\"b\"}",
		"{\"params\":{\"k\":\"1\",\"k\":\"2\"}}",
		"{\"params\":{},\"params\":{}}",
		"{\"name\":\"a\\u0000b\"}",
		"{\"params\":{\"k\\u0000\":\"1\"}}",
		"{\"worker\":2147483648}",
		"{\"worker\":1.0}",
		"{\"worker\":\"1\"}",
		"{\"repetitions\":-1}",
		"{\"repetitions\":9223372036854775808}",
		"{\"repetitions\":\"-1\"}",
		"{\"repetitions\":\"x\"}",
		"{\"flops\":1e400}",
		"{\"flops\":18446744073709551616}",
		"{\"flops\":\"nan(1)\"}",
		"{\"elapsed\":-1}",
		"{\"elapsed\":\"-inf\"}",
		"{\"name\":\"a\",\"elapsed\":NaN}",
		"{\"schema\":\"perfkit-results\",\"schema_version\":1,"
		"\"epoch_ns\":7}",
		"{\"flops\":true}",
		"{\"flops\":null}",
		"{\"params\":5}",
		"{\"params\":{\"k\":5}}",
		"{\"params\":{\"\":\"v\"}}",
		"{\"params\":{\"name\":\"v\"}}",
		"[1]",
		"\"name\"",
		"{\"name\":\"a\"} {}",
		"{\"name\":\"a\"}x",
		"{\"name\":\"a\",}",
		"{\"name\":\"\xff\"}",
		"{\"name\":\"\xc3\"}",
		"{\"name\":",
		"{\"name\":\"a\"",
		"{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
	};
	char text[1024];

	if (!fast_built())
		return;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(text, sizeof(text), HEAD "{\"name\":\"ok\"}\n%s\n",
			 lines[i]);
		agree(text, REFUSED);
		/* The last line, unterminated: the "cut short" message. */
		snprintf(text, sizeof(text), HEAD "%s", lines[i]);
		agree(text, REFUSED);
	}
	agree("", REFUSED);
	agree("\n \n", REFUSED);
	agree("{\"name\":\"a\"}\n", REFUSED);
	agree("[]\n", REFUSED);
	agree(HEAD "\x01\n", REFUSED);
	agree_n(HEAD "{\"name\":\"a\0\"}\n", sizeof(HEAD) + 13, REFUSED);
	/* A NUL between the header's tokens (found by fuzz-jsonl). */
	static const char nul_head[] =
		"{\"schema\":\"perfkit-results\",\"schema_version\":1,"
		"\"epoch_ns\":7\0,\"meta\":{}}\n{\"name\":\"a\"}\n";
	agree_n(nul_head, sizeof(nul_head) - 1, REFUSED);
	ck_assert_int_eq(pk_results_parse_jsonl_fast(NULL, 0, NULL), -EAGAIN);
	ck_assert_fails(pk_results_parse_jsonl(NULL, 1, NULL), -EINVAL, "NULL");
}
END_TEST

/* Awkward values of every field, through the writer. */
static void fill_awkward(struct perfkit_record *r, unsigned k)
{
	static const double d[] = { -0.0, 0.0, 5e-324, -5e-324, DBL_MAX,
				    -DBL_MAX, DBL_MIN / 4096, 0.1, 1.0 / 3,
				    123456789012345678.0, 1e17, 9.5e18 };

	r->worker = k % 2 ? INT32_MIN : INT32_MAX;
	r->status = -(int32_t)(k % 7);
	r->repetitions = k % 3 ? UINT64_MAX : (uint64_t)INT64_MAX + k;
	r->problem_size = k % 2 ? INT64_MIN : INT64_MAX;
	r->t_submit = d[k % 12];
	r->t_start = d[(k + 5) % 12];
	r->flops = k % 4 == 0 ? NAN : k % 4 == 1 ? INFINITY : -INFINITY;
	r->bytes = d[(k + 1) % 12];
	r->items = d[(k + 2) % 12];
	r->elapsed = fabs(d[(k + 3) % 12]); /* no sign */
}

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double random_double(uint64_t *s)
{
	uint64_t bits = next_random(s);
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/* Random bits in every number; names of printable ASCII or of any byte. */
static void fill_random(struct perfkit_record *r, uint64_t *s, int any_byte)
{
	char name[24], key[8], value[12];
	size_t n = next_random(s) % sizeof(name);

	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned)(next_random(s) % 256);

		name[i] = (char)(any_byte ? (c ? c : 'x') : 32 + c % 95);
	}
	name[n] = '\0';
	perfkit_record_set_name(r, name);
	r->worker = (int32_t)next_random(s);
	r->cpu = (int32_t)(next_random(s) % 64);
	r->repetitions = next_random(s);
	r->problem_size = (int64_t)next_random(s);
	r->t_submit = random_double(s);
	r->t_start = (double)(int64_t)next_random(s);
	r->t_end = random_double(s);
	r->flops = random_double(s);
	r->elapsed = (double)(next_random(s) % 1000) / 7;
	for (unsigned i = 0; i < next_random(s) % 4; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		snprintf(value, sizeof(value), "%u",
			 (unsigned)next_random(s));
		perfkit_record_set_param(r, key, value);
	}
}

static void agree_set(struct perfkit_results *res, enum want want)
{
	char *text;
	size_t len;

	ck_assert_int_eq(pk_results_format_jsonl(res, &text, &len), 0);
	agree_n(text, len, want);
	free(text);
	perfkit_results_destroy(res);
}

START_TEST(test_awkward_values_agree)
{
	struct perfkit_results *res;
	struct perfkit_record r;

	if (!fast_built())
		return;
	ck_assert_int_eq(perfkit_results_new(&res), 0);
	ck_assert_int_eq(perfkit_results_meta_set(res, "utf8 ключ", "値 😀"), 0);
	for (unsigned k = 0; k < 48; k++) {
		perfkit_record_init(&r);
		fill_awkward(&r, k);
		ck_assert_int_eq(perfkit_record_set_param(&r, "a,b \"q\"",
							  "x\ny\\z"), 0);
		ck_assert_int_eq(perfkit_record_set_name(&r, "Grüße\t\x01"), 0);
		ck_assert_int_eq(perfkit_results_append(res, &r), 0);
	}
	agree_set(res, ACCEPTED);
}
END_TEST

START_TEST(test_random_records_agree)
{
	uint64_t seed = 0x9e3779b97f4a7c15u;

	if (!fast_built())
		return;
	for (int round = 0; round < 40; round++) {
		struct perfkit_results *res;
		struct perfkit_record r;
		int any_byte = round % 2;

		ck_assert_int_eq(perfkit_results_new(&res), 0);
		for (int i = 0; i < 50; i++) {
			perfkit_record_init(&r);
			fill_random(&r, &seed, any_byte);
			ck_assert_int_eq(perfkit_results_append(res, &r), 0);
		}
		/* An extra column sends a set to jansson. */
		if (round % 10 == 9)
			ck_assert_int_eq(perfkit_results_extra_set(res, 3, "x",
								   "1"), 0);
		agree_set(res, round % 10 == 9 ? REFUSED :
			       any_byte ? EITHER : ACCEPTED);
	}
}
END_TEST

/* Records of about 120 bytes from @first on, one a line, after @head. */
static char *many_lines(const char *head, int first, int count,
			const char *last, size_t *len)
{
	size_t cap = strlen(head) + (size_t)count * 256 + strlen(last) + 1;
	char *text = malloc(cap);
	size_t n;

	ck_assert_ptr_nonnull(text);
	n = (size_t)snprintf(text, cap, "%s", head);
	for (int i = first; i < first + count; i++)
		n += (size_t)snprintf(text + n, cap - n,
				      "{\"name\":\"triad\",\"host\":\"node%03d\","
				      "\"worker\":%d,\"t_start\":%d.125,"
				      "\"flops\":2.5e9,\"elapsed\":0.%06d,"
				      "\"params\":{\"threads\":\"%d\"}}\n",
				      i % 512, i % 64, i, i, i % 4);
	n += (size_t)snprintf(text + n, cap - n, "%s", last);
	*len = n;
	return text;
}

START_TEST(test_file_windows)
{
	/* A file of three windows and more; what is unusual comes last, after
	 * the fast path has read (and the set grown past) the first ones. */
	static const char *const lasts[] = {
		"",
		"{\"name\":\"x\",\"comment\":\"an extra: jansson keeps it\"}\n",
		"{\"name\":\"x\",\"worker\":1.5}\n",
		"{\"name\":\"cut short",
		"\n\n   \n",
	};
	size_t len;

	if (!fast_built())
		return;
	for (size_t k = 0; k < sizeof(lasts) / sizeof(lasts[0]); k++) {
		char *text = many_lines(HEAD, 0, 8000, lasts[k], &len);

		ck_assert_uint_gt(len, 3 * PK_JSONL_WINDOW);
		agree_n(text, len, k == 0 || k == 4 ? ACCEPTED : REFUSED);
		free(text);
	}
	/* Blank lines only, or a header alone, in windows of any size. */
	agree("\n\n \t\r\n", REFUSED);
	agree("\n\n" HEAD "\n\n", ACCEPTED);
	agree("  \n" HEAD "{\"name\":\"a\"}", ACCEPTED);
}
END_TEST

START_TEST(test_file_not_regular)
{
	struct perfkit_results *res = NULL;
	int fd[2], dir;

	if (!fast_built())
		return;
	ck_assert_int_eq(pipe(fd), 0);
	ck_assert(write(fd[1], HEAD, strlen(HEAD)) == (ssize_t)strlen(HEAD));
	ck_assert_int_eq(pk_results_read_jsonl_fast(fd[0], 4096, &res),
			 -EAGAIN);
	/* Nothing was read: the whole pipe is there for the next reader. */
	char buf[sizeof(HEAD)];
	ck_assert(read(fd[0], buf, sizeof(buf)) == (ssize_t)strlen(HEAD));
	close(fd[0]);
	close(fd[1]);
	dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dir, 0);
	ck_assert_int_eq(pk_results_read_jsonl_fast(dir, 4096, &res), -EAGAIN);
	close(dir);
	ck_assert_int_eq(pk_results_read_jsonl_fast(-1, 4096, &res), -EAGAIN);
	ck_assert_ptr_null(res);
}
END_TEST

START_TEST(test_file_bad_arguments)
{
	struct perfkit_results *res = NULL;
	char path[64];
	int fd;

	if (!fast_built())
		return;
	to_file(HEAD, strlen(HEAD), path);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pk_results_read_jsonl_fast(fd, 0, &res), -EAGAIN);
	ck_assert_int_eq(pk_results_read_jsonl_fast(fd, SIZE_MAX, &res),
			 -EAGAIN);
	ck_assert_int_eq(pk_results_read_jsonl_fast(fd, 4096, NULL), -EAGAIN);
	ck_assert_ptr_null(res);
	/* From the offset it is at: past the header, no header is left. */
	ck_assert_int_eq(lseek(fd, 1, SEEK_SET), 1);
	ck_assert_int_eq(pk_results_read_jsonl_fast(fd, 4096, &res), -EAGAIN);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(pk_results_read_jsonl_fast(fd, 4096, &res), 0);
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	perfkit_results_destroy(res);
	close(fd);
	unlink(path);
}
END_TEST

static void fill_named(struct perfkit_record *rec, const char *name)
{
	perfkit_record_init(rec);
	ck_assert_int_eq(perfkit_record_set_name(rec, name), 0);
}

START_TEST(test_slot_commit)
{
	struct perfkit_results *res;
	const struct perfkit_record *got;
	struct perfkit_record *slot, want;
	char name[16];

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	/* A slot not committed is not in the set, and is handed out again. */
	slot = pk_results_slot(res);
	ck_assert_ptr_nonnull(slot);
	fill_named(slot, "dropped");
	ck_assert_uint_eq(perfkit_results_count(res), 0);
	ck_assert_ptr_eq(pk_results_slot(res), slot);
	/* Through the growth of the array (16, 32, ...): earlier records
	 * stay as they were. */
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		slot = pk_results_slot(res);
		ck_assert_ptr_nonnull(slot);
		fill_named(slot, name);
		pk_results_commit(res);
		ck_assert_uint_eq(perfkit_results_count(res), (size_t)i + 1);
	}
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		fill_named(&want, name);
		ck_assert_int_eq(perfkit_results_get(res, (size_t)i, &got), 0);
		ck_assert_int_eq(memcmp(got, &want, sizeof(want)), 0);
	}
	/* Where records have extras, a committed one starts with none. */
	ck_assert_int_eq(perfkit_results_extra_set(res, 99, "note", "x"), 0);
	for (int i = 0; i < 40; i++) {
		slot = pk_results_slot(res);
		ck_assert_ptr_nonnull(slot);
		fill_named(slot, "late");
		pk_results_commit(res);
		ck_assert_uint_eq(perfkit_results_extra_count(res, 100 + i), 0);
	}
	ck_assert_uint_eq(perfkit_results_extra_count(res, 99), 1);
	perfkit_results_destroy(res);
}
END_TEST

START_TEST(test_slot_no_room)
{
	struct perfkit_results *res;
	const struct perfkit_record *got;
	struct perfkit_record *slot;
	size_t n, cap;

	ck_assert_int_eq(perfkit_results_new(&res), 0);
	slot = pk_results_slot(res);
	ck_assert_ptr_nonnull(slot);
	fill_named(slot, "kept");
	pk_results_commit(res);
	/* A set as full as memory can count: no slot, and the set unchanged
	 * (the count and the records already in it). */
	n = res->n;
	cap = res->cap;
	res->n = res->cap = SIZE_MAX / sizeof(struct perfkit_record);
	perfkit_clear_error();
	ck_assert_ptr_null(pk_results_slot(res));
	ck_assert_ptr_nonnull(strstr(perfkit_last_error(), "too many records"));
	ck_assert_uint_eq(res->n, SIZE_MAX / sizeof(struct perfkit_record));
	res->n = n;
	res->cap = cap;
	ck_assert_int_eq(perfkit_results_get(res, 0, &got), 0);
	ck_assert_str_eq(got->name, "kept");
	perfkit_results_destroy(res);
}
END_TEST

static Suite *results_jsonl_fast_suite(void)
{
	Suite *s = suite_create("results-jsonl-fast");
	TCase *tc = tcase_create("agree");

	tcase_add_test(tc, test_common_shape_is_fast);
	tcase_add_test(tc, test_unusual_falls_back);
	tcase_add_test(tc, test_awkward_values_agree);
	tcase_add_test(tc, test_random_records_agree);
	tcase_add_test(tc, test_file_windows);
	tcase_add_test(tc, test_file_not_regular);
	tcase_add_test(tc, test_file_bad_arguments);
	suite_add_tcase(s, tc);
	tc = tcase_create("slot");
	tcase_add_test(tc, test_slot_commit);
	tcase_add_test(tc, test_slot_no_room);
	suite_add_tcase(s, tc);
	return s;
}

PK_CHECK_MAIN(results_jsonl_fast_suite)
