/* SPDX-License-Identifier: MIT */
/*
 * perfkit-user-kernel: write, register and run a kernel of your own.
 *
 * The kernel "sumsq" computes s = sum x[i]^2 over N doubles: 2 flops and
 * 8 bytes per element. It is registered beside the built-ins, listed, set
 * up, run, verified and timed through the same calls the harness uses.
 *
 * Usage: perfkit-user-kernel [N] [repetitions]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <perfkit/perfkit.h>

struct sumsq {
	int64_t n;
	double *x;
	double result;
};

/* Allocate and first-touch in the thread that will run the kernel. */
static int sumsq_setup(int64_t size, const struct perfkit_kernel_options *options,
		       void *userdata, void **state)
{
	struct sumsq *s = calloc(1, sizeof(*s));

	(void)options; /* single-threaded kernel: threads is ignored */
	(void)userdata;
	if (!s || !(s->x = malloc((size_t)size * sizeof(double)))) {
		free(s);
		return -ENOMEM;
	}
	s->n = size;
	for (int64_t i = 0; i < size; i++)
		s->x[i] = (double)(i % 16); /* small integers: exact sums */
	*state = s;
	return 0;
}

static int sumsq_run(void *state, uint64_t repetitions)
{
	struct sumsq *s = state;

	for (uint64_t r = 0; r < repetitions; r++) {
		double acc = 0;

		for (int64_t i = 0; i < s->n; i++)
			acc += s->x[i] * s->x[i];
		s->result = acc; /* consumed, so the loop cannot be dropped */
	}
	return 0;
}

static int sumsq_verify(void *state)
{
	const struct sumsq *s = state;
	double want = 0;

	for (int64_t i = 0; i < s->n; i++)
		want += (double)((i % 16) * (i % 16));
	return s->result == want ? 0 : -EBADMSG;
}

static void sumsq_teardown(void *state)
{
	struct sumsq *s = state;

	if (s)
		free(s->x);
	free(s);
}

static double sumsq_flops(int64_t size, void *userdata)
{
	(void)userdata;
	return 2.0 * (double)size; /* a multiply and an add per element */
}

static double sumsq_bytes(int64_t size, void *userdata)
{
	(void)userdata;
	return 8.0 * (double)size; /* x read once */
}

int main(int argc, char **argv)
{
	const struct perfkit_kernel_ops ops = {
		.size = sizeof(struct perfkit_kernel_ops),
		.name = "sumsq",
		.description = "s = sum x[i]^2: 2 flops, 8 bytes per element",
		.setup = sumsq_setup,
		.run = sumsq_run,
		.teardown = sumsq_teardown,
		.flops = sumsq_flops,
		.bytes = sumsq_bytes,
		.verify = sumsq_verify,
	};
	const struct perfkit_kernel *k, *all[64];
	struct perfkit_kernel_instance *inst;
	int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
	uint64_t reps = argc > 2 ? strtoull(argv[2], NULL, 10) : 100;
	double flops, intensity;
	size_t count;
	int rc;

	if ((rc = perfkit_kernel_register(&ops, &k)) != 0) {
		fprintf(stderr, "register: %s\n", perfkit_last_error());
		return 1;
	}
	perfkit_kernel_list(all, 64, &count);
	printf("%zu kernels registered:\n", count);
	for (size_t i = 0; i < count && i < 64; i++)
		printf("  %-14s %s\n", perfkit_kernel_name(all[i]),
		       perfkit_kernel_description(all[i]));

	if ((rc = perfkit_kernel_setup(k, n, NULL, &inst)) != 0) {
		fprintf(stderr, "setup: %s (%s)\n", perfkit_strerror(rc),
			perfkit_last_error());
		return 1;
	}
	uint64_t t0 = perfkit_now_ns();
	perfkit_kernel_run(inst, reps);
	uint64_t t1 = perfkit_now_ns();
	rc = perfkit_kernel_verify(inst);
	perfkit_kernel_teardown(inst);
	if (rc != 0) {
		fprintf(stderr, "verify: %s\n", perfkit_strerror(rc));
		return 1;
	}
	perfkit_kernel_flops(k, n, reps, &flops);
	perfkit_kernel_intensity(k, n, &intensity);
	printf("sumsq N=%lld x %llu: %.2f GFLOPS, %.3f flops/byte, verified\n",
	       (long long)n, (unsigned long long)reps,
	       flops / (double)(t1 - t0), intensity);
	return 0;
}
