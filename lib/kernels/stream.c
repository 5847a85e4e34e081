/* SPDX-License-Identifier: MIT */
/*
 * STREAM-like bandwidth kernels (copy, scale, add, triad) and dot, axpy.
 * Bytes are counted as STREAM counts them: each array element read or
 * written once per repetition, no write-allocate traffic.
 */
#include <stdlib.h>

#include "common.h"
#include "kernels.h"

enum stream_kind { COPY, SCALE, ADD, TRIAD, DOT, AXPY };

/* Which arrays a kind touches. */
#define USES_A 1u
#define USES_B 2u
#define USES_C 4u

struct stream_desc {
	enum stream_kind kind;
	const char *name;
	unsigned bytes_per_elem;
	unsigned flops_per_elem;
	unsigned arrays;
};

struct stream_state {
	const struct stream_desc *desc;
	uint64_t n;
	double *a, *b, *c;
	double scalar;
	uint64_t reps_done;
	double result; /* dot */
};

static const struct stream_desc descs[] = {
	[COPY] = { COPY, "copy", 16, 0, USES_A | USES_C },
	[SCALE] = { SCALE, "scale", 16, 1, USES_B | USES_C },
	[ADD] = { ADD, "add", 24, 1, USES_A | USES_B | USES_C },
	[TRIAD] = { TRIAD, "triad", 24, 2, USES_A | USES_B | USES_C },
	[DOT] = { DOT, "dot", 16, 2, USES_A | USES_B },
	[AXPY] = { AXPY, "axpy", 24, 2, USES_A | USES_B },
};

/* Initial values: small integers and halves, so every sum and product the
 * kernels form is exact in double and verify can compare with ==. */
static inline double pat(uint64_t i) { return (double)(i & 1023u); }
static inline double init_a(uint64_t i) { return pat(i); }
static inline double init_b(uint64_t i) { return 2.0 + 0.5 * pat(i); }
static inline double init_c(uint64_t i) { return 1.0 + pat(i); }

static unsigned count_arrays(unsigned mask)
{
	return (unsigned)__builtin_popcount(mask);
}

static void stream_teardown(void *state)
{
	struct stream_state *s = state;

	if (!s)
		return;
	free(s->a);
	free(s->b);
	free(s->c);
	free(s);
}

static int stream_setup(int64_t size, const struct perfkit_kernel_options *options,
			void *userdata, void **state)
{
	const struct stream_desc *d = userdata;
	uint64_t n = (uint64_t)size;
	struct stream_state *s;
	size_t total, one;
	int rc;

	(void)options;
	rc = pk_kernel_check_bytes(d->name, n, sizeof(double),
				   count_arrays(d->arrays), &total);
	if (rc)
		return rc;
	one = total / count_arrays(d->arrays);
	s = calloc(1, sizeof(*s));
	if (!s)
		return pk_error(-ENOMEM, "kernel '%s': out of memory", d->name);
	s->desc = d;
	s->n = n;
	s->scalar = 3.0;
	if (((d->arrays & USES_A) && !(s->a = pk_kernel_alloc(one))) ||
	    ((d->arrays & USES_B) && !(s->b = pk_kernel_alloc(one))) ||
	    ((d->arrays & USES_C) && !(s->c = pk_kernel_alloc(one)))) {
		stream_teardown(s);
		return pk_error(-ENOMEM, "kernel '%s': cannot allocate %zu bytes",
				d->name, total);
	}
	/* First touch in the calling (worker) thread places the pages. */
	for (uint64_t i = 0; s->a && i < n; i++)
		s->a[i] = init_a(i);
	for (uint64_t i = 0; s->b && i < n; i++)
		s->b[i] = init_b(i);
	for (uint64_t i = 0; s->c && i < n; i++)
		s->c[i] = init_c(i);
	*state = s;
	return 0;
}

/* Keeps the compiler from merging or dropping repetitions. */
#define BARRIER() __asm__ __volatile__("" ::: "memory")

static double dot_once(const double *restrict a, const double *restrict b,
		       uint64_t n)
{
	/* Independent partial sums so the loop is not one latency-bound
	 * chain (the compiler may not reassociate a single sum). */
	double p[8] = { 0 };
	uint64_t i = 0;

	for (; i + 8 <= n; i += 8)
		for (unsigned j = 0; j < 8; j++)
			p[j] += a[i + j] * b[i + j];
	for (; i < n; i++)
		p[0] += a[i] * b[i];
	return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

/* Unrolled by four so that GCC's -O2 (very cheap) vectoriser packs the
 * body (SLP); a plain loop would stay scalar. */
#define FOR4(n, BODY)                                                  \
	do {                                                           \
		uint64_t i_ = 0;                                       \
		for (; i_ + 4 <= (n); i_ += 4) {                       \
			BODY(i_) BODY(i_ + 1) BODY(i_ + 2) BODY(i_ + 3) \
		}                                                      \
		for (; i_ < (n); i_++) {                               \
			BODY(i_)                                       \
		}                                                      \
	} while (0)

/* One function per kernel: restrict on parameters is what lets the
 * compiler assume the arrays do not overlap. */
#define COPY_AT(i) c[i] = a[i];
static void copy_k(double *restrict c, const double *restrict a, uint64_t n)
{
	FOR4(n, COPY_AT);
}

#define SCALE_AT(i) b[i] = q * c[i];
static void scale_k(double *restrict b, const double *restrict c, double q,
		    uint64_t n)
{
	FOR4(n, SCALE_AT);
}

#define ADD_AT(i) c[i] = a[i] + b[i];
static void add_k(double *restrict c, const double *restrict a,
		  const double *restrict b, uint64_t n)
{
	FOR4(n, ADD_AT);
}

#define TRIAD_AT(i) a[i] = b[i] + q * c[i];
static void triad_k(double *restrict a, const double *restrict b,
		    const double *restrict c, double q, uint64_t n)
{
	FOR4(n, TRIAD_AT);
}

#define AXPY_AT(i) y[i] = q * x[i] + y[i];
static void axpy_k(double *restrict y, const double *restrict x, double q,
		   uint64_t n)
{
	FOR4(n, AXPY_AT);
}

static int stream_run(void *state, uint64_t reps)
{
	struct stream_state *s = state;
	const double q = s->scalar;
	const uint64_t n = s->n;

	for (uint64_t r = 0; r < reps; r++) {
		switch (s->desc->kind) {
		case COPY:
			copy_k(s->c, s->a, n);
			break;
		case SCALE:
			scale_k(s->b, s->c, q, n);
			break;
		case ADD:
			add_k(s->c, s->a, s->b, n);
			break;
		case TRIAD:
			triad_k(s->a, s->b, s->c, q, n);
			break;
		case DOT:
			s->result = dot_once(s->a, s->b, n);
			break;
		case AXPY: /* y = q x + y with x = a, y = b */
			axpy_k(s->b, s->a, q, n);
			break;
		}
		BARRIER();
	}
	s->reps_done += reps;
	return 0;
}

/* The value element i of the written array must hold now. */
static double expected(const struct stream_state *s, uint64_t i)
{
	const double q = s->scalar;

	switch (s->desc->kind) {
	case COPY:
		return init_a(i);
	case SCALE:
		return q * init_c(i);
	case ADD:
		return init_a(i) + init_b(i);
	case TRIAD:
		return init_b(i) + q * init_c(i);
	case AXPY:
		return init_b(i) + (double)s->reps_done * q * init_a(i);
	case DOT:
		break;
	}
	return 0;
}

static const double *written(const struct stream_state *s)
{
	switch (s->desc->kind) {
	case COPY:
	case ADD:
		return s->c;
	case SCALE:
	case AXPY:
		return s->b;
	case TRIAD:
		return s->a;
	case DOT:
		break;
	}
	return NULL;
}

static int verify_dot(const struct stream_state *s)
{
	double want = 0;

	for (uint64_t i = 0; i < s->n; i++)
		want += init_a(i) * init_b(i);
	if (s->result != want)
		return pk_error(-EBADMSG, "kernel 'dot': sum is %.17g, expected %.17g",
				s->result, want);
	return 0;
}

static int stream_verify(void *state)
{
	const struct stream_state *s = state;
	const double *out = written(s);

	if (s->desc->kind == DOT)
		return verify_dot(s);
	/* Exact: every value is a small integer or half, see init_*(). */
	for (uint64_t i = 0; i < s->n; i++)
		if (out[i] != expected(s, i))
			return pk_error(-EBADMSG, "kernel '%s': element %llu is "
					"%.17g, expected %.17g", s->desc->name,
					(unsigned long long)i, out[i],
					expected(s, i));
	return 0;
}

static double stream_flops(int64_t size, void *userdata)
{
	const struct stream_desc *d = userdata;

	return (double)d->flops_per_elem * (double)size;
}

static double stream_bytes(int64_t size, void *userdata)
{
	const struct stream_desc *d = userdata;

	return (double)d->bytes_per_elem * (double)size;
}

#define STREAM_OPS(var, kind, nm, text)                                 \
	const struct perfkit_kernel_ops var = {                       \
		.size = sizeof(struct perfkit_kernel_ops),            \
		.name = nm,                                           \
		.description = text,                                  \
		.setup = stream_setup,                                \
		.run = stream_run,                                    \
		.teardown = stream_teardown,                          \
		.flops = stream_flops,                                \
		.bytes = stream_bytes,                                \
		.verify = stream_verify,                              \
		.userdata = (void *)&descs[kind],                     \
	}

STREAM_OPS(pk_kernel_copy_ops, COPY, "copy",
	   "STREAM-like copy c[i] = a[i]: 16 B, 0 flops per element");
STREAM_OPS(pk_kernel_scale_ops, SCALE, "scale",
	   "STREAM-like scale b[i] = q*c[i]: 16 B, 1 flop per element");
STREAM_OPS(pk_kernel_add_ops, ADD, "add",
	   "STREAM-like add c[i] = a[i] + b[i]: 24 B, 1 flop per element");
STREAM_OPS(pk_kernel_triad_ops, TRIAD, "triad",
	   "STREAM-like triad a[i] = b[i] + q*c[i]: 24 B, 2 flops per element");
STREAM_OPS(pk_kernel_dot_ops, DOT, "dot",
	   "dot product s += a[i]*b[i]: 16 B, 2 flops per element");
STREAM_OPS(pk_kernel_axpy_ops, AXPY, "axpy",
	   "axpy y[i] = q*x[i] + y[i]: 24 B, 2 flops per element");
