/* SPDX-License-Identifier: MIT */
/*
 * Google Benchmark's JSON (--benchmark_out=FILE, format json) read into a
 * result set: one record per run of type "iteration" (one per repetition
 * with --benchmark_repetitions); aggregates (mean, median, stddev, cv,
 * BigO) are skipped, since they summarise the runs the set already holds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"

static int unit_scale(const struct pk_foreign *f, json_t *b, size_t i,
		      double *scale)
{
	static const struct {
		const char *name;
		double scale;
	} units[] = { { "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 } };
	json_t *u = json_object_get(b, "time_unit");

	*scale = 1e-9; /* Google Benchmark's default */
	if (!u)
		return 0;
	if (!json_is_string(u))
		return pk_foreign_fail(f, i, "time_unit", "expected a string, "
				       "got %s", pk_json_type_name(u));
	for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++)
		if (strcmp(json_string_value(u), units[k].name) == 0) {
			*scale = units[k].scale;
			return 0;
		}
	return pk_foreign_fail(f, i, "time_unit", "unknown unit \"%.20s\" (want "
			       "ns, us, ms or s)", json_string_value(u));
}

static int text_member(const struct pk_foreign *f, json_t *b, size_t i,
		       const char *key, const char **out)
{
	json_t *v = json_object_get(b, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return pk_foreign_fail(f, i, key, "expected a string, got %s",
				       pk_json_type_name(v));
	*out = json_string_value(v);
	return 1;
}

/* Counters per second back to totals: Google Benchmark divides them by
 * the CPU time of all iterations unless the benchmark uses real time. */
static int rate_total(const struct pk_foreign *f, json_t *b, size_t i,
		      const char *key, double seconds, double *total)
{
	double rate;
	int rc = pk_foreign_number(f, b, i, key, 0, &rate);

	if (rc == 1)
		*total = rate * seconds;
	return rc < 0 ? rc : 0;
}

static int put_extra_double(struct perfkit_results *res, size_t r,
			    const char *key, double v)
{
	char buf[PK_DOUBLE_TEXT_MAX];

	pk_double_to_text(v, buf, sizeof(buf));
	return perfkit_results_extra_set(res, r, key, buf);
}

static int read_run(const struct pk_foreign *f, json_t *b, size_t i,
		    const char *host, struct perfkit_results *res)
{
	struct perfkit_record rec;
	const char *name = NULL, *type = "iteration", *msg = NULL;
	double iters, real, cpu, scale, threads = 1, repi = -1;
	json_t *err = json_object_get(b, "error_occurred");
	size_t r = perfkit_results_count(res);
	int rc;

	if (!json_is_object(b))
		return pk_foreign_fail(f, i, NULL, "expected an object, got %s",
				       pk_json_type_name(b));
	if ((rc = text_member(f, b, i, "run_type", &type)) < 0)
		return rc;
	if (strcmp(type, "iteration") != 0)
		return 0;
	if ((rc = text_member(f, b, i, "run_name", &name)) < 0 ||
	    (!name && (rc = text_member(f, b, i, "name", &name)) < 0))
		return rc;
	if (!name)
		return pk_foreign_fail(f, i, NULL, "\"name\" is missing");
	if ((rc = pk_foreign_number(f, b, i, "iterations", 1, &iters)) < 0 ||
	    (rc = pk_foreign_number(f, b, i, "real_time", 1, &real)) < 0 ||
	    (rc = pk_foreign_number(f, b, i, "cpu_time", 1, &cpu)) < 0 ||
	    (rc = pk_foreign_number(f, b, i, "threads", 0, &threads)) < 0 ||
	    (rc = pk_foreign_number(f, b, i, "repetition_index", 0, &repi)) < 0 ||
	    (rc = unit_scale(f, b, i, &scale)) < 0)
		return rc;
	if (!(iters >= 1 && iters <= 1.8e19 && iters == floor(iters)))
		return pk_foreign_fail(f, i, "iterations", "%g is not a whole "
				       "number >= 1", iters);
	perfkit_record_init(&rec);
	pk_foreign_name(&rec, name);
	if (host)
		perfkit_record_set_host(&rec, strlen(host) <= PERFKIT_RECORD_HOST_MAX ?
					host : "");
	rec.repetitions = (uint64_t)iters;
	rec.elapsed = real * scale * iters;
	if (json_is_true(err)) {
		rec.status = -EIO;
		text_member(f, b, i, "error_message", &msg);
	}
	if ((rc = rate_total(f, b, i, "items_per_second", cpu * scale * iters,
			     &rec.items)) < 0 ||
	    (rc = rate_total(f, b, i, "bytes_per_second", cpu * scale * iters,
			     &rec.bytes)) < 0)
		return rc;
	if (json_object_get(b, "threads")) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.0f", threads);
		perfkit_record_set_param(&rec, "threads", buf);
	}
	rc = perfkit_results_append(res, &rec);
	if (rc == 0)
		rc = put_extra_double(res, r, "cpu_time", cpu * scale * iters);
	if (rc == 0 && repi >= 0)
		rc = put_extra_double(res, r, "repetition_index", repi);
	if (rc == 0 && strlen(name) > PERFKIT_RECORD_NAME_MAX)
		rc = perfkit_results_extra_set(res, r, "full_name", name);
	if (rc == 0 && msg)
		rc = perfkit_results_extra_set(res, r, "error_message", msg);
	return rc;
}

/* The context's scalars as metadata "gbench.<key>"; the date as "date". */
static int read_context(json_t *ctx, struct perfkit_results *res,
			const char **host)
{
	const char *key;
	json_t *v;
	int rc = 0;

	if (!json_is_object(ctx))
		return 0;
	json_object_foreach(ctx, key, v) {
		char meta[96], *text;

		if (json_is_object(v) || json_is_array(v))
			continue;
		text = pk_json_text(v);
		if (!text)
			return pk_error(-ENOMEM, "Google Benchmark JSON: out of "
					"memory");
		snprintf(meta, sizeof(meta), "gbench.%.80s", key);
		rc = perfkit_results_meta_set(res, strcmp(key, "date") ? meta :
					      "date", text);
		free(text);
		if (rc < 0)
			return rc;
	}
	if (json_is_string(json_object_get(ctx, "host_name")))
		*host = json_string_value(json_object_get(ctx, "host_name"));
	return 0;
}

int pk_results_parse_gbench(const char *data, size_t len,
			    struct perfkit_results **out)
{
	struct pk_foreign f = { "Google Benchmark", data, len, "benchmarks" };
	struct perfkit_results *res = NULL;
	const char *host = NULL;
	json_t *root, *runs, *b;
	size_t i;
	int rc = pk_foreign_load(f.tool, data, len, &root);

	if (rc < 0)
		return rc;
	runs = json_object_get(root, "benchmarks");
	if (!json_is_array(runs))
		rc = runs ? pk_foreign_fail(&f, (size_t)-1, NULL, "expected an "
					    "array, got %s",
					    pk_json_type_name(runs)) :
			    pk_error(-EBADMSG, "Google Benchmark JSON: line 1, "
				     "column 1: \"benchmarks\" is missing");
	if (rc == 0)
		rc = pk_json_new_set(&res);
	if (rc == 0)
		rc = perfkit_results_meta_set(res, "source.format",
					      "google-benchmark");
	if (rc == 0)
		rc = read_context(json_object_get(root, "context"), res, &host);
	json_array_foreach(runs, i, b) {
		if (rc < 0)
			break;
		rc = read_run(&f, b, i, host, res);
	}
	json_decref(root);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc;
	}
	*out = res;
	return 0;
}
