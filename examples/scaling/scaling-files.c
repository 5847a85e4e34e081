/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: the table written as CSV (--csv) and as JSON with the
 * USL fit (--json), each to a temporary name renamed when complete. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "scaling-report.h"

/* Open a temporary file beside path; *tmp receives its name. */
static FILE *open_temp(const char *path, char *tmp, size_t size)
{
	int fd;

	snprintf(tmp, size, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot create: %s\n", path, strerror(errno));
		return NULL;
	}
	return fdopen(fd, "w");
}

static int finish_temp(FILE *f, const char *tmp, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		fprintf(stderr, "%s: write failed: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int write_csv(const char *path, const struct series *a, const struct series *b)
{
	char tmp[4200];
	FILE *f = open_temp(path, tmp, sizeof(tmp));

	if (!f)
		return -1;
	fprintf(f, "%s", a->w.count);
	for (int c = 0; c < SERIES_COLS; c++)
		fprintf(f, ",%s", a->w.cols[c]);
	for (int c = 0; b && c < SERIES_COLS; c++)
		fprintf(f, ",%s_%s", b->w.cols[c], b->label);
	fputc('\n', f);
	for (size_t i = 0; i < a->n; i++) {
		size_t m = series_match(b, a->ranks[i]);

		if (b && m == SIZE_MAX)
			continue;
		fprintf(f, "%.17g", a->ranks[i]);
		for (int c = 0; c < SERIES_COLS; c++)
			fprintf(f, ",%.17g", series_cell(a, i, c));
		for (int c = 0; b && c < SERIES_COLS; c++)
			fprintf(f, ",%.17g", series_cell(b, m, c));
		fputc('\n', f);
	}
	return finish_temp(f, tmp, path);
}

/* JSON has no NaN or infinity: undefined figures become null. */
static json_t *number(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *ci_json(const struct perfkit_fit_param *p)
{
	return json_pack("[o,o]", number(p->ci[0]), number(p->ci[1]));
}

/* The USL fit with its profile-likelihood intervals (infinite ends are
 * null) and, per parameter, whether the estimate sits at its bound. */
static json_t *usl_json(const struct series *s)
{
	struct perfkit_usl_profile_fit pf;
	const struct perfkit_usl_fit *u = &pf.fit;

	if (perfkit_usl_fit_profile(s->ranks, s->throughput, s->n, &pf) < 0)
		return json_null();
	return json_pack("{s:f,s:f,s:f,s:o,s:o,s:o,s:b,s:b,s:f,s:f,s:o,s:o}",
			 "alpha", u->alpha, "beta", u->beta, "gamma", u->gamma,
			 "alpha_ci", ci_json(&pf.alpha),
			 "beta_ci", ci_json(&pf.beta),
			 "gamma_ci", ci_json(&pf.gamma),
			 "alpha_at_bound", (pf.alpha.flags & PERFKIT_FIT_AT_LOWER) != 0,
			 "beta_at_bound", (pf.beta.flags & PERFKIT_FIT_AT_LOWER) != 0,
			 "rse", u->rse, "r2", u->r2,
			 "peak_n", number(u->peak_n),
			 "asymptote", number(u->asymptote));
}

static void row_cells(json_t *r, const struct series *s, size_t i,
		      const char *suffix)
{
	for (int c = 0; c < SERIES_COLS; c++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s%s", s->w.cols[c],
			 suffix ? "_" : "", suffix ? suffix : "");
		json_object_set_new(r, name, number(series_cell(s, i, c)));
	}
}

static json_t *rows_json(const struct series *a, const struct series *b)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < a->n; i++) {
		size_t m = series_match(b, a->ranks[i]);
		json_t *r = json_object();

		if (b && m == SIZE_MAX) {
			json_decref(r);
			continue;
		}
		json_object_set_new(r, a->w.count, json_real(a->ranks[i]));
		row_cells(r, a, i, NULL);
		if (b)
			row_cells(r, b, m, b->label);
		json_array_append_new(rows, r);
	}
	return rows;
}

int write_json(const char *path, const struct series *a, const struct series *b,
	       const struct report_options *o)
{
	json_t *root = json_object();
	char tmp[4200];
	FILE *f;
	int rc = -1;

	(void)o;
	json_object_set_new(root, "kind",
			    json_string(a->kind == SERIES_WEAK ? "weak" : "strong"));
	for (size_t k = 0; k < SERIES_INFO && a->info[k][0]; k++)
		json_object_set_new(root, a->info[k][0], json_string(a->info[k][1]));
	if (!isnan(a->warmup))
		json_object_set_new(root, "warmup_epochs", json_real(a->warmup));
	json_object_set_new(root, "rows", rows_json(a, b));
	json_object_set_new(root, "usl", usl_json(a));
	if (b)
		json_object_set_new(root, "usl_compare", usl_json(b));
	f = open_temp(path, tmp, sizeof(tmp));
	if (f) {
		if (json_dumpf(root, f, JSON_INDENT(2)) != 0)
			fprintf(stderr, "%s: JSON encoding failed\n", path);
		fputc('\n', f);
		rc = finish_temp(f, tmp, path);
	}
	json_decref(root);
	return rc;
}
