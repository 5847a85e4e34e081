/* SPDX-License-Identifier: MIT */
/*
 * Reading and writing result sets as JSON Lines and JSON, in records per
 * second, against jansson itself: the reader against json_loadb() of the
 * same text with nothing done with the values (the floor of any reader
 * built on jansson), the writer against a jansson tree per record dumped
 * with json_dumps() (the plain way to write with jansson).
 *
 *   build/benchmarks/bench-results-json [records]
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perfkit/perfkit.h"
#include "results-format.h"

enum { ROUNDS = 5 };
#define GOAL_READ 1e6 /* JSON Lines records read per second */

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Records like a FLOPS run writes: fractional timestamps, whole counts. */
static struct perfkit_results *make_set(size_t n)
{
	struct perfkit_results *res;
	struct perfkit_record r;

	if (perfkit_results_new(&res) != 0)
		return NULL;
	perfkit_record_init(&r);
	perfkit_record_set_name(&r, "dgemm");
	perfkit_record_set_host(&r, "node-01");
	perfkit_record_set_param(&r, "matn", "1024");
	for (size_t i = 0; i < n; i++) {
		double t = 0.001 * (double)i + 1e-7 * (double)(i % 997);

		r.worker = (int32_t)(i % 64);
		r.rank = 0;
		r.cpu = (int32_t)(i % 64);
		r.t_submit = t;
		r.t_start = t + 1.25e-5;
		r.t_setup = t + 3.5e-3;
		r.t_end = t + 1.2503;
		r.t_collected = t + 1.2507;
		r.repetitions = 10;
		r.problem_size = 1024;
		r.flops = 21474836480.0;
		r.bytes = 251658240.0;
		r.items = 0;
		r.elapsed = 1.2468 + 1e-6 * (double)(i % 1009);
		if (perfkit_results_append(res, &r) != 0) {
			perfkit_results_destroy(res);
			return NULL;
		}
	}
	return res;
}

/* The plain jansson writer: a tree per record, json_dumps(), appended. */
static double jansson_write(const struct perfkit_results *res)
{
	size_t n = perfkit_results_count(res), len = 0, cap = 1 << 20;
	char *out = malloc(cap);
	uint64_t t0 = now();

	for (size_t i = 0; out && i < n; i++) {
		const struct perfkit_record *r;
		json_t *o, *p;
		char *line;
		size_t l;

		perfkit_results_get(res, i, &r);
		p = json_pack("{ss}", r->params[0].key, r->params[0].value);
		o = json_pack("{ss ss si si si si sf sf sf sf sf sI sI sf sf sf sf so}",
			      "name", r->name, "host", r->host, "worker", r->worker,
			      "rank", r->rank, "cpu", r->cpu, "status", r->status,
			      "t_submit", r->t_submit, "t_start", r->t_start,
			      "t_setup", r->t_setup, "t_end", r->t_end,
			      "t_collected", r->t_collected,
			      "repetitions", (json_int_t)r->repetitions,
			      "problem_size", (json_int_t)r->problem_size,
			      "flops", r->flops, "bytes", r->bytes,
			      "items", r->items, "elapsed", r->elapsed, "params", p);
		line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
				     JSON_REAL_PRECISION(17));
		l = line ? strlen(line) : 0;
		while (len + l + 1 > cap) {
			cap *= 2;
			out = realloc(out, cap);
		}
		if (out) {
			memcpy(out + len, line, l);
			len += l;
			out[len++] = '\n';
		}
		free(line);
		json_decref(o);
	}
	t0 = now() - t0;
	free(out);
	return out ? (double)t0 / (double)n : -1;
}

/* The reader's floor: jansson parses each line, nothing else. */
static double jansson_read_lines(const char *data, size_t len, size_t n)
{
	uint64_t t0 = now();
	size_t pos = 0, ok = 0;

	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		json_t *v = json_loadb(data + pos, end - pos,
				       JSON_REJECT_DUPLICATES, NULL);

		ok += v != NULL;
		json_decref(v);
		pos = end + 1;
	}
	t0 = now() - t0;
	return ok == n + 1 ? (double)t0 / (double)n : -1;
}

static double jansson_read_doc(const char *data, size_t len, size_t n)
{
	uint64_t t0 = now();
	json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);

	if (!v)
		return -1;
	json_decref(v);
	return (double)(now() - t0) / (double)n;
}

typedef int (*format_fn)(const struct perfkit_results *, char **, size_t *);
typedef int (*parse_fn)(const char *, size_t, struct perfkit_results **);

static double time_format(format_fn f, const struct perfkit_results *res,
			  char **data, size_t *len)
{
	uint64_t t0 = now();

	if (f(res, data, len) != 0)
		return -1;
	return (double)(now() - t0) / (double)perfkit_results_count(res);
}

static double time_parse(parse_fn f, const char *data, size_t len, size_t n)
{
	struct perfkit_results *back;
	uint64_t t0 = now();

	if (f(data, len, &back) != 0) {
		fprintf(stderr, "parse: %s\n", perfkit_last_error());
		return -1;
	}
	t0 = now() - t0;
	if (perfkit_results_count(back) != n)
		t0 = 0;
	perfkit_results_destroy(back);
	return (double)t0 / (double)n;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), cmp);
	return v[ROUNDS / 2];
}

enum { W_JSONL, W_JSON, W_JANSSON, R_JSONL, R_JSONL_REF, R_JSON, R_JSON_REF,
       NCASES };

static const char *const names[NCASES] = {
	"write JSON Lines", "write JSON", "  jansson tree + json_dumps",
	"read JSON Lines", "  jansson json_loadb per line", "read JSON",
	"  jansson json_loadb of the document",
};

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	struct perfkit_results *res = n ? make_set(n) : NULL;
	double t[NCASES][ROUNDS], m[NCASES];
	size_t jl_len = 0, js_len = 0;

	if (!res) {
		fprintf(stderr, "cannot build %zu records\n", n);
		return 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		char *jl, *js;

		t[W_JSONL][r] = time_format(pk_results_format_jsonl, res, &jl, &jl_len);
		t[W_JANSSON][r] = jansson_write(res);
		t[W_JSON][r] = time_format(pk_results_format_json, res, &js, &js_len);
		t[R_JSONL_REF][r] = jansson_read_lines(jl, jl_len, n);
		t[R_JSONL][r] = time_parse(pk_results_parse_jsonl, jl, jl_len, n);
		t[R_JSON][r] = time_parse(pk_results_parse_json, js, js_len, n);
		t[R_JSON_REF][r] = jansson_read_doc(js, js_len, n);
		free(jl);
		free(js);
	}
	printf("%zu records; JSON Lines %.0f bytes/record, JSON %.0f; "
	       "median of %d rounds\n\n", n, (double)jl_len / (double)n,
	       (double)js_len / (double)n, ROUNDS);
	printf("%-38s %10s %14s\n", "", "ns/record", "records/s");
	for (int c = 0; c < NCASES; c++) {
		m[c] = median(t[c]);
		if (m[c] <= 0) {
			fprintf(stderr, "%s failed\n", names[c]);
			return 1;
		}
		printf("%-38s %10.0f %14.0f\n", names[c], m[c], 1e9 / m[c]);
	}
	printf("\nwrite JSON Lines / jansson tree+dumps: %.2f (lower is "
	       "faster)\n", m[W_JSONL] / m[W_JANSSON]);
	printf("read JSON Lines / jansson json_loadb alone: %.2f (the "
	       "decoding and copying on top of jansson's parse)\n",
	       m[R_JSONL] / m[R_JSONL_REF]);
	printf("read JSON / jansson json_loadb alone: %.2f\n",
	       m[R_JSON] / m[R_JSON_REF]);
	printf("goal: read JSON Lines >= %.0f records/s: %s (%.0f)\n",
	       GOAL_READ, 1e9 / m[R_JSONL] >= GOAL_READ ? "met" : "NOT met",
	       1e9 / m[R_JSONL]);
	perfkit_results_destroy(res);
	return 0;
}
