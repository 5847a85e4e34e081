/* SPDX-License-Identifier: MIT */
/*
 * bench-usl: time 1,000 Universal Scalability Law fits of 64 points each
 * (goal: under a second in all). The reference measured in the same run is
 * one evaluation of the model and its Jacobian over the 64 points, so the
 * ratio says how many such passes a fit costs, a figure that travels
 * between machines better than seconds do.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "perfkit/perfkit.h"

enum { POINTS = 64, FITS = 1000, ROUNDS = 5 };

/* Deterministic noise, so that every round fits the same data sets. */
static double noise(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return ((*state >> 8) & 0xffff) / 65536.0 - 0.5;
}

static void make_data(unsigned k, double *n, double *x)
{
	unsigned s = 12345u + k;
	double a = 0.01 + 0.04 * (k % 7) / 7.0, b = 1e-4 * (k % 5);

	for (int i = 0; i < POINTS; i++) {
		n[i] = i + 1;
		perfkit_usl_eval(a, b, 3.0, n[i], &x[i]);
		x[i] *= 1 + 0.04 * noise(&s);
	}
}

/* The reference: model and gradient over the points, as one LM pass needs. */
static double jacobian_pass(const double *n, double a, double b, double g)
{
	double acc = 0;

	for (int i = 0; i < POINTS; i++) {
		double d = 1 + a * (n[i] - 1) + b * n[i] * (n[i] - 1);
		double q = -g * n[i] * (n[i] - 1) / (d * d);

		acc += g * n[i] / d + q + q * n[i] + n[i] / d;
	}
	return acc;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	static double n[FITS][POINTS], x[FITS][POINTS];
	double fit_s[ROUNDS], ref_s[ROUNDS], sink = 0;
	unsigned iters = 0;

	for (unsigned k = 0; k < FITS; k++)
		make_data(k, n[k], x[k]);
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = perfkit_now_ns(), t1, t2;

		for (unsigned k = 0; k < FITS; k++) {
			struct perfkit_usl_fit f;

			if (perfkit_usl_fit(n[k], x[k], POINTS, &f) < 0) {
				fprintf(stderr, "fit %u: %s\n", k, perfkit_last_error());
				return EXIT_FAILURE;
			}
			sink += f.alpha;
			iters += f.iterations;
		}
		t1 = perfkit_now_ns();
		for (unsigned k = 0; k < FITS; k++)
			sink += jacobian_pass(n[k], 0.02, 1e-4, 3.0 + sink * 1e-300);
		t2 = perfkit_now_ns();
		fit_s[r] = (t1 - t0) / 1e9;
		ref_s[r] = (t2 - t1) / 1e9;
	}
	qsort(fit_s, ROUNDS, sizeof(double), cmp);
	qsort(ref_s, ROUNDS, sizeof(double), cmp);
	printf("bench-usl: %d fits of %d points, %d rounds (median, [min, max])\n",
	       FITS, POINTS, ROUNDS);
	printf("  1,000 fits:            %.4f s  [%.4f, %.4f]  goal < 1 s: %s\n",
	       fit_s[ROUNDS / 2], fit_s[0], fit_s[ROUNDS - 1],
	       fit_s[ROUNDS / 2] < 1.0 ? "met" : "NOT met");
	printf("  one fit:               %.1f us\n", fit_s[ROUNDS / 2] / FITS * 1e6);
	printf("  reference pass:        %.3f us (model + Jacobian, %d points)\n",
	       ref_s[ROUNDS / 2] / FITS * 1e6, POINTS);
	printf("  ratio fit / pass:      %.0f\n", fit_s[ROUNDS / 2] / ref_s[ROUNDS / 2]);
	printf("  mean LM iterations of the winning start: %.1f\n",
	       (double)iters / (ROUNDS * FITS));
	return sink == 42.4242 ? EXIT_FAILURE : EXIT_SUCCESS;
}
