/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit's files: every run as a libperfkit record (--outfile),
 * the summary as a Markdown table (--export-markdown), and hyperfine's
 * JSON shape (--export-json), so that tools reading hyperfine's files
 * read ours. The mapping is in docs/timeit.md.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "timeit.h"

static int extra_num(struct perfkit_results *res, size_t r, const char *key,
		     double v)
{
	char buf[32];

	if (isnan(v))
		return 0;
	snprintf(buf, sizeof(buf), "%.9g", v);
	return perfkit_results_extra_set(res, r, key, buf);
}

static int append_runs(struct perfkit_results *res, const struct timeit_args *a,
		       const struct timeit_bench *b, const char *host)
{
	struct perfkit_record rec;
	int rc = 0;

	perfkit_record_init(&rec);
	perfkit_record_set_name(&rec, b->name); /* truncated; full: "command" */
	perfkit_record_set_host(&rec, host);
	if (a->param)
		perfkit_record_set_param(&rec, a->param, b->value);
	rec.repetitions = b->loops;
	for (size_t k = 0; rc == 0 && k < b->n; k++) {
		size_t r = perfkit_results_count(res);

		rec.worker = (int32_t)k; /* the run's index */
		rec.elapsed = b->wall[k] * (double)b->loops;
		rec.status = b->codes[k] ? -EIO : 0;
		rc = perfkit_results_append(res, &rec);
		if (rc == 0 && strlen(b->name) > PERFKIT_RECORD_NAME_MAX)
			rc = perfkit_results_extra_set(res, r, "command", b->name);
		if (rc == 0)
			rc = extra_num(res, r, "user_s", b->user[k]);
		if (rc == 0)
			rc = extra_num(res, r, "system_s", b->sys[k]);
		if (rc == 0 && b->codes[k])
			rc = extra_num(res, r, "exit_code", b->codes[k]);
	}
	return rc;
}

static int set_meta(struct perfkit_results *res, const struct timeit_args *a,
		    const struct timeit_set *s)
{
	char buf[32];
	int rc = perfkit_results_meta_set(res, "tool", "perfkit-timeit");

	if (rc == 0)
		rc = perfkit_results_meta_set(res, "timeit.mode", s->functions ?
					      "functions" : "commands");
	if (rc == 0 && s->functions)
		rc = perfkit_results_meta_set(res, "timeit.lib", a->lib);
	if (rc == 0 && !s->functions)
		rc = perfkit_results_meta_set(res, "timeit.shell",
					      a->shell ? a->shell : "none");
	snprintf(buf, sizeof(buf), "%.9g", s->spawn_wall);
	if (rc == 0 && a->shell && !s->functions)
		rc = perfkit_results_meta_set(res, "timeit.spawn_wall_s", buf);
	return rc;
}

int timeit_write_outfile(const struct timeit_args *a,
			 const struct timeit_set *s, int argc, char **argv)
{
	struct perfkit_results *res;
	char host[PERFKIT_RECORD_HOST_MAX + 1] = "";
	int rc = perfkit_results_new(&res);

	gethostname(host, sizeof(host) - 1);
	if (rc == 0)
		rc = perfkit_results_set_command(res, argc, (const char *const *)argv);
	if (rc == 0)
		rc = set_meta(res, a, s);
	for (size_t i = 0; rc == 0 && i < s->n; i++)
		rc = append_runs(res, a, &s->b[i], host);
	if (rc == 0)
		rc = perfkit_results_write(res, a->outfile, PERFKIT_FORMAT_AUTO);
	if (rc != 0)
		cli_error("--outfile %s: %s", a->outfile, perfkit_last_error());
	perfkit_results_destroy(res);
	return rc ? -1 : 0;
}

/* Write through a temporary file and a rename: never half a file. */
static FILE *open_tmp(const char *path, char *tmp, size_t cap)
{
	FILE *f;

	snprintf(tmp, cap, "%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		cli_error("%s: %s", path, strerror(errno));
	return f;
}

static int close_tmp(FILE *f, const char *tmp, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		cli_error("%s: %s", path, strerror(errno ? errno : EIO));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void md_row(FILE *f, const struct timeit_set *s,
		   const struct timeit_bench *b, const struct timeit_bench *fast,
		   double k)
{
	double r, lo, hi;

	fprintf(f, "| `%s` | %.4g | %.4g … %.4g | %.4g ± %.4g | ", b->name,
		b->st.median * k, b->st.ci_low * k, b->st.ci_high * k,
		b->st.mean * k, isnan(b->st.stddev) ? 0 : b->st.stddev * k);
	if (!s->functions)
		fprintf(f, "%.4g | %.4g | ", b->user_median * k, b->sys_median * k);
	if (b == fast)
		fprintf(f, "1.00 |\n");
	else if (timeit_ratio(b, fast, &r, &lo, &hi) == 0)
		fprintf(f, "%.2f (%.2f … %.2f) |\n", r, lo, hi);
	else
		fprintf(f, "? |\n");
}

int timeit_write_markdown(const char *path, const struct timeit_set *s)
{
	const struct timeit_bench *fast = timeit_fastest(s);
	double k = fast && fast->st.median < 1e-3 ? 1e6 : 1e3;
	const char *u = k == 1e6 ? "µs" : "ms";
	char tmp[4096];
	FILE *f = open_tmp(path, tmp, sizeof(tmp));

	if (!f)
		return -1;
	fprintf(f, "| %s | Median [%s] | 95%% CI [%s] | Mean ± σ [%s] | ",
		s->functions ? "Function" : "Command", u, u, u);
	if (!s->functions)
		fprintf(f, "User [%s] | System [%s] | ", u, u);
	fprintf(f, "Relative |\n|:---|---:|---:|---:|%s---:|\n",
		s->functions ? "" : "---:|---:|");
	for (size_t i = 0; i < s->n; i++)
		if (s->b[i].n)
			md_row(f, s, &s->b[i], fast, k);
	return close_tmp(f, tmp, path);
}

static json_t *array_of(const double *x, size_t n, double scale)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_real(x[i] * scale));
	return a;
}

static double mean(const double *x, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += x[i];
	return sum / (double)n;
}

static json_t *hyperfine_result(const struct timeit_set *s,
				const struct timeit_bench *b, const char *param)
{
	json_t *o = json_object(), *codes = json_array(), *params = json_object();

	json_object_set_new(o, "command", json_string(b->name));
	json_object_set_new(o, "mean", json_real(b->st.mean));
	json_object_set_new(o, "stddev", isnan(b->st.stddev) ? json_null() :
			    json_real(b->st.stddev));
	json_object_set_new(o, "median", json_real(b->st.median));
	json_object_set_new(o, "user", s->functions ? json_null() :
			    json_real(mean(b->user, b->n)));
	json_object_set_new(o, "system", s->functions ? json_null() :
			    json_real(mean(b->sys, b->n)));
	json_object_set_new(o, "min", json_real(b->st.min));
	json_object_set_new(o, "max", json_real(b->st.max));
	json_object_set_new(o, "times", array_of(b->wall, b->n, 1));
	for (size_t k = 0; k < b->n; k++)
		json_array_append_new(codes, b->codes[k] < 0 ? json_null() :
				      json_integer(b->codes[k]));
	json_object_set_new(o, "exit_codes", codes);
	if (param)
		json_object_set_new(params, param, json_string(b->value));
	json_object_set_new(o, "parameters", params);
	/* ours, beside hyperfine's keys: the median's interval, calls per
	 * time (functions: "times" are per call) */
	json_object_set_new(o, "median_ci_low", json_real(b->st.ci_low));
	json_object_set_new(o, "median_ci_high", json_real(b->st.ci_high));
	json_object_set_new(o, "loops", json_integer((json_int_t)b->loops));
	return o;
}

int timeit_write_hyperfine_json(const char *path, const struct timeit_set *s,
				const char *param)
{
	json_t *root = json_object(), *results = json_array();
	char tmp[4096];
	FILE *f;
	int rc = -1;

	for (size_t i = 0; root && results && i < s->n; i++)
		if (s->b[i].n)
			json_array_append_new(results,
					      hyperfine_result(s, &s->b[i], param));
	json_object_set_new(root, "results", results);
	f = open_tmp(path, tmp, sizeof(tmp));
	if (f && json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17))) {
		fclose(f);
		unlink(tmp);
		cli_error("%s: cannot write the JSON", path);
	} else if (f) {
		fputc('\n', f);
		rc = close_tmp(f, tmp, path);
	}
	json_decref(root);
	return rc;
}
