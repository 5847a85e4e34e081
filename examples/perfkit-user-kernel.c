/* SPDX-License-Identifier: MIT */
/*
 * perfkit-user-kernel: write, register and run a kernel of your own.
 *
 * The kernel "sumsq" computes s = sum x[i]^2 over N doubles: 2 flops and
 * 8 bytes per element. It is registered beside the built-ins, listed, set
 * up, run, verified and timed through the same calls the harness uses.
 *
 * Usage: perfkit-user-kernel [N] [REPETITIONS]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <perfkit/perfkit.h>

#include "cli.h"

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

static const struct perfkit_kernel_ops sumsq_ops = {
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

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: perfkit-user-kernel [N] [REPETITIONS]\n"
		"Register the kernel sumsq (s = sum x[i]^2 over N doubles) beside the\n"
		"built-in ones, list them all, then set it up, run it REPETITIONS times,\n"
		"verify and time it.\n"
		"  N            elements, 1 to %lld (default 1000000)\n"
		"  REPETITIONS  runs of the kernel, at least 1 (default 100)\n"
		"  -h, --help   this text\n"
		"      --version  the program's and libperfkit's version\n",
		(long long)(INT64_MAX / (int64_t)sizeof(double)));
}

/* -1: go on; else the exit status (help, version, bad usage). */
static int parse(int argc, char **argv, int64_t *n, uint64_t *reps)
{
	static const struct option opts[] = {
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = cli_getopt(argc, argv, "+h", opts)) != -1) {
		if (c == 'h')
			usage(stdout);
		else if (c == CLI_OPT_VERSION)
			cli_print_version(stdout);
		return c == '?' ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	/* N doubles must be addressable */
	if (optind < argc && cli_parse_i64("N", argv[optind++], 1,
					   INT64_MAX / (int64_t)sizeof(double), n) != 0)
		return CLI_EXIT_USAGE;
	if (optind < argc && cli_parse_u64("REPETITIONS", argv[optind++], 1,
					   UINT64_MAX, reps) != 0)
		return CLI_EXIT_USAGE;
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

static void list_kernels(void)
{
	const struct perfkit_kernel *all[64];
	size_t count;

	perfkit_kernel_list(all, 64, &count);
	printf("%zu kernels registered:\n", count);
	for (size_t i = 0; i < count && i < 64; i++)
		printf("  %-14s %s\n", perfkit_kernel_name(all[i]),
		       perfkit_kernel_description(all[i]));
}

int main(int argc, char **argv)
{
	const struct perfkit_kernel *k;
	struct perfkit_kernel_instance *inst;
	int64_t n = 1000000;
	uint64_t reps = 100, t0, t1;
	double flops, intensity;
	int rc;

	cli_set_program("perfkit-user-kernel");
	if ((rc = parse(argc, argv, &n, &reps)) >= 0)
		return rc;

	/* register beside the built-ins, as any kernel of yours would be */
	if ((rc = perfkit_kernel_register(&sumsq_ops, &k)) != 0) {
		cli_error("register: %s", perfkit_last_error());
		return CLI_EXIT_FAILED;
	}
	list_kernels();

	/* set up, run, verify: the calls the harness makes on each worker */
	if ((rc = perfkit_kernel_setup(k, n, NULL, &inst)) != 0) {
		cli_error("setup: %s (%s)", perfkit_strerror(rc), perfkit_last_error());
		return CLI_EXIT_FAILED;
	}
	t0 = perfkit_now_ns();
	perfkit_kernel_run(inst, reps);
	t1 = perfkit_now_ns();
	rc = perfkit_kernel_verify(inst);
	perfkit_kernel_teardown(inst);
	if (rc != 0) {
		cli_error("verify: %s", perfkit_strerror(rc));
		return CLI_EXIT_FAILED;
	}

	/* the kernel's own flop count makes the rate */
	perfkit_kernel_flops(k, n, reps, &flops);
	perfkit_kernel_intensity(k, n, &intensity);
	printf("sumsq N=%lld x %llu: %.2f GFLOPS, %.3f flops/byte, verified\n",
	       (long long)n, (unsigned long long)reps,
	       flops / (double)(t1 - t0), intensity);
	return CLI_EXIT_OK;
}
