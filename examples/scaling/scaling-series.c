/* SPDX-License-Identifier: MIT */
/* perfkit-scaling: the weak or strong table of a series and what the
 * report derives from it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scaling-series.h"

int series_alloc(struct series *s, size_t n)
{
	s->n = n;
	s->ranks = calloc(n, sizeof(double));
	s->samples = calloc(n, sizeof(double));
	s->times = calloc(n, sizeof(double));
	s->epochs = calloc(n, sizeof(size_t));
	s->cells = calloc(n * SERIES_COLS, sizeof(double));
	s->throughput = calloc(n, sizeof(double));
	s->speedup = calloc(n, sizeof(double));
	s->ideal = calloc(n, sizeof(double));
	s->eff = calloc(n, sizeof(double));
	if (!s->ranks || !s->samples || !s->times || !s->epochs || !s->cells ||
	    !s->throughput || !s->speedup || !s->ideal || !s->eff) {
		fprintf(stderr, "perfkit-scaling: out of memory\n");
		return -1;
	}
	return 0;
}

void series_free(struct series *s)
{
	free(s->ranks);
	free(s->samples);
	free(s->times);
	free(s->epochs);
	free(s->cells);
	free(s->throughput);
	free(s->speedup);
	free(s->ideal);
	free(s->eff);
	memset(s, 0, sizeof(*s));
}

size_t series_match(const struct series *b, double ranks)
{
	for (size_t j = 0; b && j < b->n; j++)
		if (b->ranks[j] == ranks)
			return j;
	return SIZE_MAX;
}

double series_cell(const struct series *s, size_t i, int c)
{
	return s->cells[i * SERIES_COLS + (size_t)c];
}

static void set_row(struct series *s, size_t i, const double v[SERIES_COLS])
{
	memcpy(&s->cells[i * SERIES_COLS], v, SERIES_COLS * sizeof(double));
}

/* Loaders give one point per count; say so if one did not. */
static int repeated(const struct series *s)
{
	fprintf(stderr, "perfkit-scaling: a %s count appears twice\n",
		s->w.count_one);
	return -2;
}

/* The CosmoFlow notebook's table: samples, times, throughputs, ideal, eff. */
static int compute_weak(struct series *s, struct perfkit_scaling_weak_row *r)
{
	size_t nrows;

	if (perfkit_scaling_weak(s->ranks, s->samples, s->times, s->n, r,
				 &nrows) < 0)
		return -1;
	if (nrows != s->n)
		return repeated(s);
	for (size_t i = 0; i < s->n; i++) {
		double v[SERIES_COLS] = { r[i].samples, r[i].time,
					  r[i].throughput, r[i].ideal,
					  r[i].efficiency };

		set_row(s, i, v);
		s->throughput[i] = r[i].throughput;
		s->speedup[i] = r[i].throughput / r[0].throughput;
		s->ideal[i] = r[i].ideal;
		s->eff[i] = r[i].efficiency;
	}
	return 0;
}

/* Fixed work: time, throughput, speedup, efficiency, Karp-Flatt. The
 * throughput is work / time when every run counted its work, else runs
 * per second (1 / time): the same curve up to a constant. */
static int compute_strong(struct series *s, struct perfkit_scaling_strong_row *r)
{
	size_t nrows;
	int work = 1;

	if (perfkit_scaling_strong(s->ranks, s->times, s->n, r, &nrows) < 0)
		return -1;
	if (nrows != s->n)
		return repeated(s);
	for (size_t i = 0; i < s->n; i++)
		work = work && s->samples[i] > 0;
	for (size_t i = 0; i < s->n; i++) {
		double x = (work ? s->samples[i] : 1) / r[i].time;
		double v[SERIES_COLS] = { r[i].time, x, r[i].speedup,
					  r[i].efficiency, r[i].karp_flatt };

		set_row(s, i, v);
		s->throughput[i] = x;
		s->speedup[i] = r[i].speedup;
		s->ideal[i] = r[i].workers / r[0].workers;
		s->eff[i] = r[i].efficiency;
	}
	return 0;
}

int series_compute(struct series *s)
{
	size_t size = s->kind == SERIES_WEAK ?
		      sizeof(struct perfkit_scaling_weak_row) :
		      sizeof(struct perfkit_scaling_strong_row);
	void *rows = calloc(s->n, size);
	int rc;

	if (!rows) {
		fprintf(stderr, "perfkit-scaling: out of memory\n");
		return -1;
	}
	rc = s->kind == SERIES_WEAK ? compute_weak(s, rows) :
				      compute_strong(s, rows);
	if (rc == -1)
		fprintf(stderr, "perfkit-scaling: %s\n", perfkit_last_error());
	free(rows);
	return rc < 0 ? -1 : 0;
}
