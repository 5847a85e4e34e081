/* SPDX-License-Identifier: MIT */
/* Portable C peak loop for machines without a path of their own: 12
 * scalar chains; the compiler may vectorise or fuse them, the flop count
 * (2 per chain step) stays exact either way. */
#include "peak.h"

#define ACC 12

void pk_peak_portable_f64(double *acc, double x, double y, uint64_t iters)
{
	double a[ACC];

	for (unsigned k = 0; k < ACC; k++)
		a[k] = acc[k];
	for (uint64_t i = 0; i < iters; i++)
		for (unsigned k = 0; k < ACC; k++)
			a[k] = a[k] * x + y;
	for (unsigned k = 0; k < ACC; k++)
		acc[k] = a[k];
}

void pk_peak_portable_f32(float *acc, float x, float y, uint64_t iters)
{
	float a[ACC];

	for (unsigned k = 0; k < ACC; k++)
		a[k] = acc[k];
	for (uint64_t i = 0; i < iters; i++)
		for (unsigned k = 0; k < ACC; k++)
			a[k] = a[k] * x + y;
	for (unsigned k = 0; k < ACC; k++)
		acc[k] = a[k];
}
