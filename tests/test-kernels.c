/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <blis.h>
#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "kernels.h"
#include "peak.h"

static const char *const builtin_names[] = {
	"dgemm", "sgemm", "peak", "peak-sp", "copy", "scale",
	"add", "triad", "dot", "axpy", "compute_flops",
};
#define N_BUILTINS (sizeof(builtin_names) / sizeof(builtin_names[0]))

static const struct perfkit_kernel *find(const char *name)
{
	const struct perfkit_kernel *k = NULL;

	ck_assert_int_eq(perfkit_kernel_find(name, &k), 0);
	ck_assert_ptr_nonnull(k);
	return k;
}

/* Set up, run, verify, tear down; returns verify's result. */
static int run_and_verify(const char *name, int64_t size, uint64_t reps,
			  const struct perfkit_kernel_options *opt)
{
	struct perfkit_kernel_instance *inst = NULL;
	int rc;

	ck_assert_msg(perfkit_kernel_setup(find(name), size, opt, &inst) == 0,
		      "%s setup(%lld): %s", name, (long long)size,
		      perfkit_last_error());
	ck_assert_int_eq(perfkit_kernel_run(inst, reps), 0);
	rc = perfkit_kernel_verify(inst);
	ck_assert_msg(rc == 0, "%s(%lld) x %llu: %s", name, (long long)size,
		      (unsigned long long)reps, perfkit_last_error());
	ck_assert_ptr_eq(perfkit_kernel_instance_kernel(inst), find(name));
	perfkit_kernel_teardown(inst);
	return rc;
}

/* ---- a user kernel: sums 1..size into a counter ---- */

struct user_state {
	int64_t size;
	uint64_t reps;
	double total;
};

static unsigned user_last_threads; /* what setup() was given */

static int user_setup(int64_t size, const struct perfkit_kernel_options *o,
		      void *userdata, void **state)
{
	struct user_state *s = calloc(1, sizeof(*s));

	ck_assert_ptr_eq(userdata, (void *)&builtin_names);
	if (!s)
		return -ENOMEM;
	s->size = size;
	user_last_threads = o->threads;
	*state = s;
	return 0;
}

static int user_run(void *state, uint64_t reps)
{
	struct user_state *s = state;

	for (uint64_t r = 0; r < reps; r++)
		for (int64_t i = 1; i <= s->size; i++)
			s->total += (double)i;
	s->reps += reps;
	return 0;
}

static void user_teardown(void *state)
{
	free(state);
}

static double user_flops(int64_t size, void *userdata)
{
	(void)userdata;
	return (double)size; /* one add per element */
}

static double user_bytes(int64_t size, void *userdata)
{
	(void)userdata;
	return 4.0 * (double)size;
}

static int user_verify(void *state)
{
	const struct user_state *s = state;
	double want = (double)s->reps * (double)s->size * (double)(s->size + 1) / 2;

	return s->total == want ? 0 : -EBADMSG;
}

static int user_verify_positive(void *state)
{
	(void)state;
	return 1;
}

static int user_setup_fails(int64_t size, const struct perfkit_kernel_options *o,
			    void *userdata, void **state)
{
	(void)size, (void)o, (void)userdata, (void)state;
	return -ENOMEM;
}

/* A user callback that says why, as libperfkit does. */
static int user_setup_says_why(int64_t size, const struct perfkit_kernel_options *o,
			       void *userdata, void **state)
{
	(void)o, (void)userdata, (void)state;
	return perfkit_set_error(-ENOMEM, "%lld GiB will not fit", (long long)size);
}

static int user_verify_says_why(void *state)
{
	(void)state;
	return perfkit_set_error(-EBADMSG, "checksum 17 != 42");
}

static double nan_flops(int64_t size, void *userdata)
{
	(void)size, (void)userdata;
	return NAN;
}

static double negative_bytes(int64_t size, void *userdata)
{
	(void)size, (void)userdata;
	return -1.0;
}

static struct perfkit_kernel_ops user_ops(const char *name)
{
	struct perfkit_kernel_ops ops = {
		.size = sizeof(struct perfkit_kernel_ops),
		.name = name,
		.description = "sum of 1..N",
		.setup = user_setup,
		.run = user_run,
		.teardown = user_teardown,
		.flops = user_flops,
		.bytes = user_bytes,
		.verify = user_verify,
		.userdata = (void *)&builtin_names,
	};
	return ops;
}

/* ---- registry ---- */

START_TEST(test_builtins_listed_in_order)
{
	const struct perfkit_kernel *list[64];
	size_t count = 0;

	ck_assert_int_eq(perfkit_kernel_list(list, 64, &count), 0);
	ck_assert_uint_ge(count, N_BUILTINS);
	for (size_t i = 0; i < N_BUILTINS; i++) {
		ck_assert_str_eq(perfkit_kernel_name(list[i]), builtin_names[i]);
		ck_assert_ptr_eq(list[i], find(builtin_names[i]));
		ck_assert_str_ne(perfkit_kernel_description(list[i]), "");
	}
}
END_TEST

START_TEST(test_list_capacity)
{
	const struct perfkit_kernel *list[3] = { NULL, NULL, NULL };
	size_t count = 0, again = 0;

	ck_assert_int_eq(perfkit_kernel_list(NULL, 0, &count), 0);
	ck_assert_uint_ge(count, N_BUILTINS);
	ck_assert_int_eq(perfkit_kernel_list(list, 2, &again), 0);
	ck_assert_uint_eq(again, count);
	ck_assert_str_eq(perfkit_kernel_name(list[0]), "dgemm");
	ck_assert_str_eq(perfkit_kernel_name(list[1]), "sgemm");
	ck_assert_ptr_null(list[2]); /* not written past capacity */
	ck_assert_int_eq(perfkit_kernel_list(list, 2, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_list(NULL, 1, &count), -EINVAL);
}
END_TEST

START_TEST(test_find_bad_input)
{
	const struct perfkit_kernel *k = (const struct perfkit_kernel *)&k;

	ck_assert_int_eq(perfkit_kernel_find("no-such-kernel", &k), -ENOENT);
	ck_assert_ptr_eq(k, (const struct perfkit_kernel *)&k); /* untouched */
	ck_assert_str_ne(perfkit_last_error(), "");
	ck_assert_int_eq(perfkit_kernel_find("", &k), -ENOENT);
	ck_assert_int_eq(perfkit_kernel_find("DGEMM", &k), -ENOENT);
	ck_assert_int_eq(perfkit_kernel_find(NULL, &k), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_find("dgemm", NULL), -EINVAL);
	ck_assert_str_eq(perfkit_kernel_name(NULL), "");
	ck_assert_str_eq(perfkit_kernel_description(NULL), "");
	ck_assert_ptr_null(perfkit_kernel_instance_kernel(NULL));
}
END_TEST

START_TEST(test_user_kernel_round_trip)
{
	char name[32];
	struct perfkit_kernel_ops ops;
	const struct perfkit_kernel *k = NULL, *found = NULL;
	struct perfkit_kernel_instance *inst = NULL;
	struct perfkit_kernel_options opt = PERFKIT_KERNEL_OPTIONS_INIT;
	size_t before, after;
	double v;

	ck_assert_int_eq(perfkit_kernel_list(NULL, 0, &before), 0);
	/* Name and struct from temporary storage: the registry copies. */
	snprintf(name, sizeof(name), "user-sum");
	ops = user_ops(name);
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	memset(name, 'x', sizeof(name) - 1);
	memset(&ops, 0, sizeof(ops));
	ck_assert_int_eq(perfkit_kernel_list(NULL, 0, &after), 0);
	ck_assert_uint_eq(after, before + 1);
	ck_assert_int_eq(perfkit_kernel_find("user-sum", &found), 0);
	ck_assert_ptr_eq(found, k);
	ck_assert_str_eq(perfkit_kernel_name(k), "user-sum");
	ck_assert_str_eq(perfkit_kernel_description(k), "sum of 1..N");

	opt.threads = 3;
	ck_assert_int_eq(perfkit_kernel_setup(k, 100, &opt, &inst), 0);
	ck_assert_uint_eq(user_last_threads, 3);
	ck_assert_int_eq(perfkit_kernel_run(inst, 3), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
	ck_assert_int_eq(perfkit_kernel_run(inst, 2), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
	perfkit_kernel_teardown(inst);

	ck_assert_int_eq(perfkit_kernel_flops(k, 100, 7, &v), 0);
	ck_assert_double_eq(v, 700.0);
	ck_assert_int_eq(perfkit_kernel_bytes(k, 100, 7, &v), 0);
	ck_assert_double_eq(v, 2800.0);
	ck_assert_int_eq(perfkit_kernel_intensity(k, 100, &v), 0);
	ck_assert_double_eq(v, 0.25);
}
END_TEST

START_TEST(test_register_duplicate)
{
	struct perfkit_kernel_ops ops = user_ops("user-dup");
	const struct perfkit_kernel *k = NULL, *k2 = NULL;

	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k2), -EEXIST);
	ck_assert_ptr_null(k2);
	ck_assert_str_ne(perfkit_last_error(), "");
	ops.name = "dgemm"; /* built-ins are taken too */
	ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), -EEXIST);
	ck_assert_ptr_eq(find("dgemm"), find("dgemm"));
	ck_assert_str_ne(perfkit_kernel_description(find("dgemm")), "sum of 1..N");
}
END_TEST

START_TEST(test_register_bad_input)
{
	struct perfkit_kernel_ops ops;
	char long_name[PERFKIT_KERNEL_NAME_MAX + 2];
	size_t before, after;

	ck_assert_int_eq(perfkit_kernel_list(NULL, 0, &before), 0);
	ck_assert_int_eq(perfkit_kernel_register(NULL, NULL), -EINVAL);

	ops = user_ops("user-bad");
	ops.size = 0;
	ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), -EINVAL);
	/* the first version ends at userdata; anything shorter is refused */
	ops.size = offsetof(struct perfkit_kernel_ops, userdata) + sizeof(void *) - 1;
	ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), -EINVAL);

	const char *bad_names[] = { NULL, "", "has space", "semi;colon",
				    "slash/", "tab\t", "ümlaut" };
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		ops = user_ops(bad_names[i]);
		ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), -EINVAL);
	}
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ops = user_ops(long_name);
	ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), -EINVAL);
	long_name[PERFKIT_KERNEL_NAME_MAX] = '\0'; /* exactly the maximum */
	ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), 0);

	ops = user_ops("user-no-setup");
	ops.setup = NULL;
	ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), -EINVAL);
	ops = user_ops("user-no-run");
	ops.run = NULL;
	ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), -EINVAL);
	ops = user_ops("user-no-teardown");
	ops.teardown = NULL;
	ck_assert_int_eq(perfkit_kernel_register(&ops, NULL), -EINVAL);

	ck_assert_int_eq(perfkit_kernel_list(NULL, 0, &after), 0);
	ck_assert_uint_eq(after, before + 1); /* only the long name */
}
END_TEST

static double garbage_items(int64_t size, void *userdata)
{
	(void)size, (void)userdata;
	return -1.0;
}

/* A caller built before items() existed: its struct ends at userdata, so
 * the bytes after it are not read and the kernel counts no items. */
START_TEST(test_register_first_version)
{
	struct perfkit_kernel_ops ops = user_ops("user-v1");
	const struct perfkit_kernel *k = NULL;
	double items = -5;

	ops.size = offsetof(struct perfkit_kernel_ops, userdata) + sizeof(void *);
	ops.items = garbage_items; /* past the caller's size: ignored */
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	ck_assert_int_eq(perfkit_kernel_items(k, 10, 3, &items), 0);
	ck_assert_double_eq(items, 0);
	ops = user_ops("user-v2");
	ops.items = garbage_items;
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	ck_assert_fails(perfkit_kernel_items(k, 10, 3, &items), -ERANGE, "items");
}
END_TEST

/* A caller built against a later, larger struct: extra bytes ignored. */
START_TEST(test_register_larger_struct)
{
	struct {
		struct perfkit_kernel_ops ops;
		void *future_field;
	} big;
	struct {
		struct perfkit_kernel_options opt;
		double future_option;
	} bigopt;
	struct perfkit_kernel_instance *inst = NULL;
	const struct perfkit_kernel *k = NULL;

	memset(&big, 0, sizeof(big));
	big.ops = user_ops("user-future");
	big.ops.size = sizeof(big);
	big.future_field = &big;
	ck_assert_int_eq(perfkit_kernel_register(&big.ops, &k), 0);

	memset(&bigopt, 0, sizeof(bigopt));
	bigopt.opt.size = sizeof(bigopt);
	bigopt.opt.threads = 0; /* means 1 */
	bigopt.future_option = 1.5;
	ck_assert_int_eq(perfkit_kernel_setup(k, 4, &bigopt.opt, &inst), 0);
	ck_assert_uint_eq(user_last_threads, 1);
	ck_assert_int_eq(perfkit_kernel_run(inst, 1), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
	perfkit_kernel_teardown(inst);
}
END_TEST

struct race_arg {
	int rc;
};

static void *register_racer(void *p)
{
	struct race_arg *a = p;
	struct perfkit_kernel_ops ops = user_ops("user-race");

	a->rc = perfkit_kernel_register(&ops, NULL);
	return NULL;
}

START_TEST(test_register_concurrent_same_name)
{
	pthread_t t[4];
	struct race_arg args[4];
	int ok = 0, exists = 0;

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, register_racer, &args[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ok += args[i].rc == 0;
		exists += args[i].rc == -EEXIST;
	}
	ck_assert_int_eq(ok, 1);
	ck_assert_int_eq(exists, 3);
}
END_TEST

/* ---- the instance API with bad input and failing callbacks ---- */

START_TEST(test_setup_bad_input)
{
	const struct perfkit_kernel *k = find("triad");
	struct perfkit_kernel_instance *inst = NULL;
	struct perfkit_kernel_options opt = { 0, 1, NULL, 0 };

	ck_assert_int_eq(perfkit_kernel_setup(NULL, 10, NULL, &inst), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, NULL, NULL), -EINVAL);
	for (size_t i = 0; i < N_BUILTINS; i++) {
		const struct perfkit_kernel *b = find(builtin_names[i]);

		ck_assert_int_eq(perfkit_kernel_setup(b, 0, NULL, &inst), -EINVAL);
		ck_assert_int_eq(perfkit_kernel_setup(b, -1, NULL, &inst), -EINVAL);
		ck_assert_int_eq(perfkit_kernel_setup(b, INT64_MIN, NULL, &inst),
				 -EINVAL);
	}
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, &opt, &inst), -EINVAL);
	opt.size = sizeof(opt);
	opt.threads = PERFKIT_KERNEL_THREADS_MAX + 1;
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, &opt, &inst), -EINVAL);
	opt.threads = UINT32_MAX;
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, &opt, &inst), -EINVAL);
	ck_assert_ptr_null(inst);
	ck_assert_str_ne(perfkit_last_error(), "");
}
END_TEST

/* A successful call leaves the thread's last message alone. */
START_TEST(test_success_keeps_last_error)
{
	const struct perfkit_kernel *k = NULL;
	struct perfkit_kernel_instance *inst = NULL;
	char before[512];

	ck_assert_int_eq(perfkit_kernel_find("no-such-kernel", &k), -ENOENT);
	snprintf(before, sizeof(before), "%s", perfkit_last_error());
	ck_assert_int_eq(perfkit_kernel_setup(find("axpy"), 10, NULL, &inst), 0);
	ck_assert_int_eq(perfkit_kernel_run(inst, 2), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
	perfkit_kernel_teardown(inst);
	ck_assert_str_eq(perfkit_last_error(), before);
}
END_TEST

START_TEST(test_setup_too_large)
{
	struct perfkit_kernel_instance *inst = NULL;
	const char *matrices[] = { "dgemm", "sgemm", "compute_flops" };
	const char *vectors[] = { "copy", "scale", "add", "triad", "dot", "axpy" };

	for (size_t i = 0; i < 3; i++) {
		const struct perfkit_kernel *k = find(matrices[i]);

		/* 3 x 2^40 elements: no overflow, more than any RAM here */
		ck_assert_int_eq(perfkit_kernel_setup(k, INT64_C(1) << 20, NULL,
						      &inst), -ENOMEM);
		ck_assert_str_ne(perfkit_last_error(), "");
		/* N*N overflows 64 bits */
		ck_assert_int_eq(perfkit_kernel_setup(k, INT64_C(1) << 33, NULL,
						      &inst), -ERANGE);
		/* N*N fits, N*N*elem*3 does not */
		ck_assert_int_eq(perfkit_kernel_setup(k, INT64_C(1) << 31, NULL,
						      &inst), -ERANGE);
		ck_assert_int_eq(perfkit_kernel_setup(k, INT64_MAX, NULL, &inst),
				 -ERANGE);
	}
	for (size_t i = 0; i < 6; i++) {
		const struct perfkit_kernel *k = find(vectors[i]);

		ck_assert_int_eq(perfkit_kernel_setup(k, INT64_C(1) << 42, NULL,
						      &inst), -ENOMEM);
		ck_assert_int_eq(perfkit_kernel_setup(k, INT64_C(1) << 62, NULL,
						      &inst), -ERANGE);
		ck_assert_int_eq(perfkit_kernel_setup(k, INT64_MAX, NULL, &inst),
				 -ERANGE);
	}
	ck_assert_ptr_null(inst);
}
END_TEST

START_TEST(test_run_verify_bad_input)
{
	struct perfkit_kernel_instance *inst = NULL;

	ck_assert_int_eq(perfkit_kernel_run(NULL, 1), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_verify(NULL), -EINVAL);
	perfkit_kernel_teardown(NULL);
	ck_assert_int_eq(perfkit_kernel_setup(find("copy"), 8, NULL, &inst), 0);
	ck_assert_int_eq(perfkit_kernel_run(inst, 0), -EINVAL);
	perfkit_kernel_teardown(inst);
}
END_TEST

START_TEST(test_failing_callbacks)
{
	struct perfkit_kernel_ops ops = user_ops("user-fails");
	const struct perfkit_kernel *k = NULL;
	struct perfkit_kernel_instance *inst = NULL;
	double v = 42;

	ops.setup = user_setup_fails;
	ops.flops = nan_flops;
	ops.bytes = negative_bytes;
	ops.verify = NULL;
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, NULL, &inst), -ENOMEM);
	ck_assert_ptr_null(inst);
	ck_assert_msg(strstr(perfkit_last_error(), "user-fails") != NULL,
		      "message: %s", perfkit_last_error());
	ck_assert_int_eq(perfkit_kernel_flops(k, 10, 1, &v), -ERANGE);
	ck_assert_int_eq(perfkit_kernel_bytes(k, 10, 1, &v), -ERANGE);
	ck_assert_int_eq(perfkit_kernel_intensity(k, 10, &v), -ERANGE);
	ck_assert_double_eq(v, 42);

	ops = user_ops("user-no-verify");
	ops.verify = NULL;
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, NULL, &inst), 0);
	ck_assert_int_eq(perfkit_kernel_run(inst, 1), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), -ENOTSUP);
	perfkit_kernel_teardown(inst);

	ops = user_ops("user-verify-positive");
	ops.verify = user_verify_positive;
	ops.flops = NULL;
	ops.bytes = NULL;
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, NULL, &inst), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), -EBADMSG);
	ck_assert_str_ne(perfkit_last_error(), "");
	perfkit_kernel_teardown(inst);
	ck_assert_int_eq(perfkit_kernel_flops(k, 10, 5, &v), 0);
	ck_assert_double_eq(v, 0);
	ck_assert_int_eq(perfkit_kernel_intensity(k, 10, &v), -EDOM);
}
END_TEST

/* A message a user callback set with perfkit_set_error() is kept after
 * the kernel's name and the step; a stale message from before the call
 * is not mistaken for one. */
START_TEST(test_callback_messages)
{
	struct perfkit_kernel_ops ops = user_ops("user-says-why");
	const struct perfkit_kernel *k = NULL;
	struct perfkit_kernel_instance *inst = NULL;

	ops.setup = user_setup_says_why;
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	ck_assert_fails(perfkit_kernel_setup(k, 64, NULL, &inst), -ENOMEM,
			"kernel 'user-says-why': setup failed: 64 GiB will not fit");
	ck_assert_ptr_null(inst);

	ops = user_ops("user-verify-says-why");
	ops.verify = user_verify_says_why;
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, NULL, &inst), 0);
	ck_assert_fails(perfkit_kernel_verify(inst), -EBADMSG,
			"kernel 'user-verify-says-why': verify failed: checksum 17 != 42");
	perfkit_kernel_teardown(inst);

	/* silent callback after an unrelated message: the generic text */
	ops = user_ops("user-silent");
	ops.setup = user_setup_fails;
	ck_assert_int_eq(perfkit_kernel_register(&ops, &k), 0);
	perfkit_set_error(-EIO, "an older, unrelated failure");
	ck_assert_int_eq(perfkit_kernel_setup(k, 10, NULL, &inst), -ENOMEM);
	ck_assert_str_eq(perfkit_last_error(), "kernel 'user-silent': setup failed: out of memory");
}
END_TEST

START_TEST(test_counts_bad_input)
{
	const struct perfkit_kernel *k = find("triad");
	double v = 42;

	ck_assert_int_eq(perfkit_kernel_flops(NULL, 10, 1, &v), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_flops(k, 10, 1, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_flops(k, 0, 1, &v), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_flops(k, -5, 1, &v), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_bytes(NULL, 10, 1, &v), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_bytes(k, 10, 1, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_bytes(k, 0, 1, &v), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_intensity(NULL, 10, &v), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_intensity(k, 10, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_kernel_intensity(k, -1, &v), -EINVAL);
	ck_assert_double_eq(v, 42);
}
END_TEST

/* ---- counts of the built-ins ---- */

static double flops_of(const char *name, int64_t n, uint64_t reps)
{
	double v = -1;

	ck_assert_int_eq(perfkit_kernel_flops(find(name), n, reps, &v), 0);
	return v;
}

static double bytes_of(const char *name, int64_t n, uint64_t reps)
{
	double v = -1;

	ck_assert_int_eq(perfkit_kernel_bytes(find(name), n, reps, &v), 0);
	return v;
}

START_TEST(test_stream_counts)
{
	/* STREAM's bytes per element, and flops per element */
	static const struct { const char *name; double b, f; } t[] = {
		{ "copy", 16, 0 }, { "scale", 16, 1 }, { "add", 24, 1 },
		{ "triad", 24, 2 }, { "dot", 16, 2 }, { "axpy", 24, 2 },
	};
	double v;

	for (size_t i = 0; i < 6; i++) {
		ck_assert_double_eq(bytes_of(t[i].name, 1000, 1), t[i].b * 1000);
		ck_assert_double_eq(bytes_of(t[i].name, 1000, 3), t[i].b * 3000);
		ck_assert_double_eq(flops_of(t[i].name, 1000, 3), t[i].f * 3000);
		ck_assert_double_eq(flops_of(t[i].name, 7, 0), 0);
		ck_assert_int_eq(perfkit_kernel_intensity(find(t[i].name), 1000, &v), 0);
		ck_assert_double_eq(v, t[i].f / t[i].b);
	}
	/* 2^50 elements: counts past 2^32 stay exact */
	ck_assert_double_eq(bytes_of("triad", INT64_C(1) << 50, 4), 24.0 * 4 * 1125899906842624.0);
}
END_TEST

START_TEST(test_gemm_counts)
{
	double v;

	ck_assert_double_eq(flops_of("dgemm", 100, 1), 2e6);
	ck_assert_double_eq(flops_of("dgemm", 1000, 10), 2e10);
	ck_assert_double_eq(flops_of("sgemm", 3, 2), 108);
	ck_assert_double_eq(bytes_of("dgemm", 100, 1), 3 * 8 * 1e4);
	ck_assert_double_eq(bytes_of("sgemm", 100, 2), 2 * 3 * 4 * 1e4);
	ck_assert_int_eq(perfkit_kernel_intensity(find("dgemm"), 300, &v), 0);
	ck_assert_double_eq(v, 2.0 * 300 * 300 * 300 / (24.0 * 300 * 300));
	ck_assert_int_eq(perfkit_kernel_intensity(find("sgemm"), 300, &v), 0);
	ck_assert_double_eq(v, 50.0);
	/* the notebook: 2 N^3 per repetition, loopcount repetitions */
	ck_assert_double_eq(flops_of("compute_flops", 1024, 10), 2.0 * 1024 * 1024 * 1024 * 10);
	ck_assert_double_eq(bytes_of("compute_flops", 10, 1), 3200);
}
END_TEST

START_TEST(test_peak_counts)
{
	const struct pk_peak_isa *isa = pk_peak_isa_best();
	double per_iter = 2.0 * isa->accumulators * isa->lanes_f64, v;
	double per_iter_sp = 2.0 * isa->accumulators * isa->lanes_f32;

	ck_assert_double_eq(flops_of("peak", 1000, 1), 1000 * per_iter);
	ck_assert_double_eq(flops_of("peak", 1000, 5), 5000 * per_iter);
	ck_assert_double_eq(flops_of("peak-sp", 1000, 1), 1000 * per_iter_sp);
	ck_assert_double_eq(bytes_of("peak", 1000, 1), 0);
	ck_assert_int_eq(perfkit_kernel_intensity(find("peak"), 10, &v), -EDOM);
	ck_assert_int_eq(perfkit_kernel_intensity(find("peak-sp"), 10, &v), -EDOM);
}
END_TEST

/* Positive, finite, and near the machine's scalar clock (no timing
 * assertion beyond a factor 2: AVX-512 licences cost 5-30%). */
static void check_clock_pair(double ghz, double scalar)
{
	const struct perfkit_machine *m;
	double measured;

	ck_assert(isfinite(ghz) && ghz > 0);
	ck_assert(isfinite(scalar) && scalar > 0);
	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	ck_assert_int_eq(perfkit_machine_clock_measured(m, &measured, NULL), 0);
	ck_assert_msg(ghz > measured / 2 && ghz < measured * 2,
		      "loaded clock %g GHz, machine clock %g GHz", ghz, measured);
	ck_assert_msg(scalar > measured / 2 && scalar < measured * 2,
		      "scalar clock %g GHz, machine clock %g GHz", scalar, measured);
}

/* Under valgrind the vector work is emulated far slower than the adds, so
 * the chain need not set the loop's pace: the clock is then refused with
 * -ERANGE and the outputs left alone, or, near the limit, reported but
 * meaningless (positive and finite is all that can be checked). */
static void check_peak_clock_result(int rc, double ghz, double scalar)
{
	if (!RUNNING_ON_VALGRIND) {
		ck_assert_int_eq(rc, 0);
		check_clock_pair(ghz, scalar);
	} else if (rc == -ERANGE) {
		ck_assert_msg(strstr(perfkit_last_error(), "did not set the loop's pace"),
			      "unexpected message: %s", perfkit_last_error());
		ck_assert(isnan(ghz) && isnan(scalar));
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert(isfinite(ghz) && ghz > 0 && isfinite(scalar) && scalar > 0);
	}
}

START_TEST(test_peak_clock)
{
	double ghz = NAN, scalar = NAN, only = NAN;
	int rc = perfkit_kernel_peak_clock(&ghz, &scalar);

	check_peak_clock_result(rc, ghz, scalar);
	/* scalar_ghz is optional */
	if (perfkit_kernel_peak_clock(&only, NULL) == 0)
		ck_assert(isfinite(only) && only > 0);
	else
		ck_assert(RUNNING_ON_VALGRIND && isnan(only));
}
END_TEST

START_TEST(test_peak_clock_portable)
{
	size_t n;
	const struct pk_peak_isa *isas = pk_peak_isas(&n);
	double ghz = NAN, scalar = NAN;
	int rc;

	/* the fallback loop every machine has, last in the list */
	ck_assert_str_eq(isas[n - 1].name, "portable");
	rc = pk_peak_clock(&isas[n - 1], &ghz, &scalar);
	check_peak_clock_result(rc, ghz, scalar);
}
END_TEST

START_TEST(test_peak_clock_bad_input)
{
	double scalar = 1.5;

	ck_assert_fails(perfkit_kernel_peak_clock(NULL, &scalar), -EINVAL,
			"ghz is NULL");
	ck_assert(scalar == 1.5); /* untouched on failure */
	ck_assert_fails(perfkit_kernel_peak_clock(NULL, NULL), -EINVAL,
			"ghz is NULL");
}
END_TEST

START_TEST(test_peak_pairs)
{
	double ghz[8], fpc[8], scalar = NAN, dp;
	const struct perfkit_machine *m;
	size_t ok = 0;
	int rc = perfkit_kernel_peak_pairs(ghz, fpc, 8, &scalar);

	if (RUNNING_ON_VALGRIND && rc == -ERANGE) {
		ck_assert_msg(strstr(perfkit_last_error(), "did not set the loop's pace"),
			      "unexpected message: %s", perfkit_last_error());
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert(isfinite(scalar) && scalar > 0);
	/* a pair is measured (both finite and > 0) or left out (both NaN) */
	for (int i = 0; i < 8; i++) {
		ck_assert(isnan(ghz[i]) == isnan(fpc[i]));
		if (isnan(ghz[i]))
			continue;
		ck_assert(isfinite(ghz[i]) && ghz[i] > 0 && isfinite(fpc[i]) && fpc[i] > 0);
		ok++;
	}
	ck_assert_uint_ge(2 * ok, 8);
	/* flops per cycle is a rate, not a timing: at most what the units
	 * can do (with room for the noise between a clock and a peak run) */
	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	if (!RUNNING_ON_VALGRIND && perfkit_machine_flops_per_cycle(m, &dp, NULL) == 0)
		for (int i = 0; i < 8; i++)
			ck_assert(isnan(fpc[i]) || fpc[i] < 2 * dp);
}
END_TEST

START_TEST(test_peak_pairs_bad_input)
{
	double g[2], f[2], scalar = 1.5;

	ck_assert_fails(perfkit_kernel_peak_pairs(NULL, f, 2, &scalar), -EINVAL, "NULL");
	ck_assert_fails(perfkit_kernel_peak_pairs(g, NULL, 2, &scalar), -EINVAL, "NULL");
	ck_assert_fails(perfkit_kernel_peak_pairs(g, f, 0, &scalar), -EINVAL, "0 pairs");
	ck_assert_fails(perfkit_kernel_peak_pairs(g, f, PERFKIT_KERNEL_PEAK_PAIRS_MAX + 1,
						  &scalar), -EINVAL, "need 1 to 1000");
	ck_assert(scalar == 1.5);
}
END_TEST

START_TEST(test_peak_isa_named)
{
	const char *isa = perfkit_kernel_peak_isa();
	const char *known[] = { "avx512", "avx2", "avx", "sse2", "neon", "portable" };
	int hits = 0;

	for (size_t i = 0; i < 6; i++)
		hits += strcmp(isa, known[i]) == 0;
	ck_assert_int_eq(hits, 1);
	ck_assert_str_eq(isa, pk_peak_isa_best()->name);
	ck_assert(pk_peak_isa_usable(pk_peak_isa_best()));
#if defined(__x86_64__)
	/* the chosen path is the widest the CPU reports */
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
		ck_assert_str_eq(isa, "avx512");
	else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		ck_assert_str_eq(isa, "avx2");
	else
		ck_assert_str_ne(isa, "avx512");
#endif
}
END_TEST

/* ---- every built-in computes the right thing ---- */

START_TEST(test_stream_kernels_verify)
{
	const char *names[] = { "copy", "scale", "add", "triad", "dot", "axpy" };
	const int64_t sizes[] = { 1, 2, 7, 8, 9, 1000, 4099 };

	for (size_t i = 0; i < 6; i++)
		for (size_t j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++)
			run_and_verify(names[i], sizes[j], j + 1, NULL);
}
END_TEST

/* verify compares for real: before any run the outputs are wrong */
START_TEST(test_verify_detects_unrun)
{
	const char *names[] = { "copy", "scale", "add", "triad", "dot",
				"dgemm", "sgemm", "compute_flops" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct perfkit_kernel_instance *inst = NULL;

		ck_assert_int_eq(perfkit_kernel_setup(find(names[i]), 5, NULL, &inst), 0);
		ck_assert_msg(perfkit_kernel_verify(inst) == -EBADMSG,
			      "%s verified before running", names[i]);
		ck_assert_msg(strstr(perfkit_last_error(), names[i]) != NULL,
			      "message: %s", perfkit_last_error());
		ck_assert_int_eq(perfkit_kernel_run(inst, 1), 0);
		ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
		perfkit_kernel_teardown(inst);
	}
}
END_TEST

START_TEST(test_gemm_verify)
{
	const int64_t sizes[] = { 1, 2, 5, 17, 64, 65, 100 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		run_and_verify("dgemm", sizes[i], 1, NULL);
		run_and_verify("sgemm", sizes[i], 2, NULL);
	}
}
END_TEST

START_TEST(test_gemm_threads_option)
{
	struct perfkit_kernel_options opt = PERFKIT_KERNEL_OPTIONS_INIT;

	opt.threads = 2;
	run_and_verify("dgemm", 96, 1, &opt);
	run_and_verify("compute_flops", 40, 1, &opt);
	opt.threads = 0;
	run_and_verify("sgemm", 33, 1, &opt);
}
END_TEST

START_TEST(test_compute_flops_verify)
{
	for (int64_t n = 1; n <= 40; n += 3)
		run_and_verify("compute_flops", n, 2, NULL);
	run_and_verify("compute_flops", 128, 1, NULL);
}
END_TEST

/* The closed form against cases checked by hand:
 *   N = 2: A = [[0,1],[2,3]], A.A = [[2,3],[6,11]], sum 22
 *   N = 3: A.A = [[15,18,21],[42,54,66],[69,90,111]], sum 486 */
START_TEST(test_compute_flops_closed_form_by_hand)
{
	ck_assert_double_eq((double)pk_compute_flops_expected(1), 0.0);
	ck_assert_double_eq((double)pk_compute_flops_expected(2), 22.0);
	ck_assert_double_eq((double)pk_compute_flops_expected(3), 486.0);
}
END_TEST

START_TEST(test_peak_verify)
{
	run_and_verify("peak", 1, 1, NULL);
	run_and_verify("peak", 1000, 3, NULL);
	run_and_verify("peak-sp", 1, 1, NULL);
	run_and_verify("peak-sp", 5000, 2, NULL);
}
END_TEST

/* Every path this CPU can run gives the closed-form result. */
START_TEST(test_peak_every_usable_isa)
{
	size_t n;
	const struct pk_peak_isa *isas = pk_peak_isas(&n);
	int ran = 0;

	ck_assert_uint_ge(n, 1);
	ck_assert_str_eq(isas[n - 1].name, "portable");
	for (size_t i = 0; i < n; i++) {
		const struct pk_peak_isa *isa = &isas[i];
		size_t cnt = (size_t)isa->accumulators * isa->lanes_f64;
		size_t cnt_sp = (size_t)isa->accumulators * isa->lanes_f32;
		double *d = pk_kernel_alloc(cnt * sizeof(double));
		float *f = pk_kernel_alloc(cnt_sp * sizeof(float));
		double vals[256];

		if (!pk_peak_isa_usable(isa)) {
			free(d);
			free(f);
			continue;
		}
		ck_assert_uint_le(cnt_sp, 256);
		for (size_t e = 0; e < cnt; e++)
			d[e] = PK_PEAK_INIT(e);
		for (size_t e = 0; e < cnt_sp; e++)
			f[e] = (float)PK_PEAK_INIT(e);
		isa->f64(d, PK_PEAK_X, PK_PEAK_Y, 300);
		isa->f64(d, PK_PEAK_X, PK_PEAK_Y, 0); /* no-op */
		isa->f32(f, (float)PK_PEAK_X, (float)PK_PEAK_Y, 3000);
		ck_assert_msg(pk_peak_check(isa->name, d, cnt, 300, 2.3e-16) == 0,
			      "%s f64: %s", isa->name, perfkit_last_error());
		for (size_t e = 0; e < cnt_sp; e++)
			vals[e] = f[e];
		ck_assert_msg(pk_peak_check(isa->name, vals, cnt_sp, 3000, 1.2e-7) == 0,
			      "%s f32: %s", isa->name, perfkit_last_error());
		/* and the check can fail: a wrong step count is caught */
		ck_assert_int_eq(pk_peak_check(isa->name, d, cnt, 299, 2.3e-16),
				 -EBADMSG);
		free(d);
		free(f);
		ran++;
	}
	ck_assert_int_ge(ran, 1);
}
END_TEST

START_TEST(test_peak_check_detects_wrong_values)
{
	double v[4] = { 2.0, 3.0, 4.0, 5.0 }; /* the initial values */

	ck_assert_int_eq(pk_peak_check("t", v, 4, 0, 1e-16), 0);
	v[2] = 4.001;
	ck_assert_int_eq(pk_peak_check("t", v, 4, 0, 1e-16), -EBADMSG);
	v[2] = NAN;
	ck_assert_int_eq(pk_peak_check("t", v, 4, 0, 1e-16), -EBADMSG);
	/* after very many steps everything has converged to 1 */
	for (int i = 0; i < 4; i++)
		v[i] = 1.0;
	ck_assert_int_eq(pk_peak_check("t", v, 4, UINT64_MAX, 1e-16), 0);
}
END_TEST

/* The harness pattern: set up, run and tear down in a worker thread. */
static void *worker(void *p)
{
	int *ok = p;
	const struct perfkit_kernel *k = NULL;
	struct perfkit_kernel_instance *inst = NULL;

	*ok = perfkit_kernel_find("triad", &k) == 0 &&
	      perfkit_kernel_setup(k, 5000, NULL, &inst) == 0 &&
	      perfkit_kernel_run(inst, 3) == 0 &&
	      perfkit_kernel_verify(inst) == 0;
	perfkit_kernel_teardown(inst);
	return NULL;
}

START_TEST(test_instances_in_threads)
{
	pthread_t t[2];
	int ok[2] = { 0, 0 };

	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker, &ok[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	ck_assert(ok[0] && ok[1]);
}
END_TEST

/* The exec'd child of blas_config_in_child(): runs before main(), in a
 * process that has not called BLIS or libperfkit yet. Reports BLIS's name,
 * the chooser and whether a dgemm verified on the descriptor named by
 * PK_TEST_BLAS_FD, and exits 3 if libperfkit left BLIS_ARCH_TYPE set. */
__attribute__((constructor)) static void blas_config_child(void)
{
	const char *fd_text = getenv("PK_TEST_BLAS_FD");
	const char *n = NULL, *b = NULL;
	const struct perfkit_kernel *k;
	struct perfkit_kernel_instance *inst = NULL;
	struct perfkit_kernel_options opt = PERFKIT_KERNEL_OPTIONS_INIT;
	int ok, given = getenv("BLIS_ARCH_TYPE") != NULL;

	if (!fd_text)
		return;
	perfkit_kernel_blas_config(&n, &b);
	ok = perfkit_kernel_find("dgemm", &k) == 0 &&
	     perfkit_kernel_setup(k, 96, &opt, &inst) == 0 &&
	     perfkit_kernel_run(inst, 2) == 0 &&
	     perfkit_kernel_verify(inst) == 0;
	perfkit_kernel_teardown(inst);
	dprintf(atoi(fd_text), "%d\n%s\n%s", ok, n ? n : "", b ? b : "");
	_exit(getenv("BLIS_ARCH_TYPE") && !given ? 3 : 0);
}

/* In a fresh process (this test program exec'd again, so that nothing
 * this process did with BLIS carries over, even with CK_FORK=no): the
 * environment decides (BLIS_ARCH_TYPE and PERFKIT_BLAS_CHOICE, NULL:
 * unset). Writes BLIS's name and the chooser into @name / @by, and whether
 * a dgemm run with that choice verified into *verified. */
static void blas_config_in_child(const char *arch_type, const char *choice,
				 char *name, char *by, size_t len, int *verified)
{
	int fd[2];
	pid_t pid;
	char buf[1024] = "";
	ssize_t got;
	int status;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char fd_text[16];

		close(fd[0]);
		snprintf(fd_text, sizeof(fd_text), "%d", fd[1]);
		setenv("PK_TEST_BLAS_FD", fd_text, 1);
		if (arch_type)
			setenv("BLIS_ARCH_TYPE", arch_type, 1);
		else
			unsetenv("BLIS_ARCH_TYPE");
		if (choice)
			setenv("PERFKIT_BLAS_CHOICE", choice, 1);
		else
			unsetenv("PERFKIT_BLAS_CHOICE");
		/* valgrind answers readlink with the client's path, but
		 * exec of /proc/self/exe with its own tool. */
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n > 0) {
			self[n] = '\0';
			execl(self, "test-kernels", (char *)NULL);
		}
		_exit(4);
	}
	close(fd[1]);
	got = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child left BLIS_ARCH_TYPE set or died");
	ck_assert_int_gt(got, 0);
	buf[got] = '\0';
	char *nl1 = strchr(buf, '\n'), *nl2 = nl1 ? strchr(nl1 + 1, '\n') : NULL;
	ck_assert_ptr_nonnull(nl2);
	*nl1 = *nl2 = '\0';
	*verified = atoi(buf);
	snprintf(name, len, "%s", nl1 + 1);
	snprintf(by, len, "%s", nl2 + 1);
}

START_TEST(test_blas_config)
{
	char name[512], by[512], hid[16], own[64];
	const char *n = NULL, *b = NULL;
	int verified = 0;

	/* BLIS's own choice, untouched. */
	blas_config_in_child(NULL, "blis", own, by, sizeof(own), &verified);
	ck_assert_str_ne(own, "");
	ck_assert_str_eq(by, "BLIS (cpuid)");
	ck_assert(verified);
	/* By default libperfkit either keeps BLIS's choice or says it
	 * measured, and which sets it timed. */
	blas_config_in_child(NULL, NULL, name, by, sizeof(name), &verified);
	ck_assert_str_ne(name, "");
	ck_assert(verified);
	ck_assert(strcmp(by, "BLIS (cpuid)") == 0 ||
		  strncmp(by, "BLIS (cpuid); libperfkit could not", 34) == 0 ||
		  strncmp(by, "libperfkit: the fastest", 23) == 0);
	/* The user's BLIS_ARCH_TYPE wins, even over a forced measurement. */
	snprintf(hid, sizeof(hid), "%d", (int)BLIS_ARCH_GENERIC);
	blas_config_in_child(hid, "measure", name, by, sizeof(name), &verified);
	ck_assert_str_eq(name, "generic");
	ck_assert_ptr_nonnull(strstr(by, "BLIS_ARCH_TYPE"));
	ck_assert(verified);
	/* NULL outputs are allowed; repeated calls agree. */
	ck_assert_int_eq(perfkit_kernel_blas_config(NULL, NULL), 0);
	ck_assert_int_eq(perfkit_kernel_blas_config(&n, &b), 0);
	ck_assert_ptr_nonnull(n);
	ck_assert_ptr_nonnull(b);
}
END_TEST

/* PERFKIT_BLAS_CHOICE=measure forces the measured path: every set this
 * CPU executes is timed, the fastest runs and gives right results, and
 * the chooser names each set with a positive, finite rate. */
START_TEST(test_blas_measured)
{
	char name[512], by[512], own[64], key[600];
	int verified = 0;

	blas_config_in_child(NULL, "blis", own, by, sizeof(own), &verified);
	blas_config_in_child(NULL, "measure", name, by, sizeof(name), &verified);
	ck_assert(verified);
	ck_assert_msg(strncmp(by, "libperfkit: the fastest", 23) == 0, "%s", by);
	/* The chosen set and BLIS's own choice are among those timed. */
	snprintf(key, sizeof(key), "%s ", name);
	ck_assert_msg(strstr(by, key), "'%s' not in '%s'", name, by);
	snprintf(key, sizeof(key), "BLIS's own choice: %s", own);
	ck_assert_msg(strstr(by, key), "'%s' not in '%s'", key, by);
	/* Every rate is a positive number, and the chosen one is the top. */
	double top = 0, chosen = -1;
	const char *p = strchr(by, '(');

	ck_assert_ptr_nonnull(p);
	for (p++; *p && *p != ')';) {
		char set[32];
		double rate;
		int used;

		ck_assert_int_eq(sscanf(p, "%31s %lf%n", set, &rate, &used), 2);
		ck_assert_msg(isfinite(rate) && rate > 0, "%s", by);
		if (rate > top)
			top = rate;
		if (strcmp(set, name) == 0)
			chosen = rate;
		p += used;
		if (*p == ',')
			p += 2;
		else if (strncmp(p, " GFLOPS", 7) == 0)
			break;
	}
	ck_assert(chosen == top);
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *reg = tcase_create("registry");
	TCase *api = tcase_create("instance");
	TCase *counts = tcase_create("counts");
	TCase *builtins = tcase_create("builtins");

	tcase_add_test(reg, test_builtins_listed_in_order);
	tcase_add_test(reg, test_list_capacity);
	tcase_add_test(reg, test_find_bad_input);
	tcase_add_test(reg, test_user_kernel_round_trip);
	tcase_add_test(reg, test_register_duplicate);
	tcase_add_test(reg, test_register_bad_input);
	tcase_add_test(reg, test_register_larger_struct);
	tcase_add_test(reg, test_register_first_version);
	tcase_add_test(reg, test_register_concurrent_same_name);
	suite_add_tcase(s, reg);

	tcase_add_test(api, test_setup_bad_input);
	tcase_add_test(api, test_setup_too_large);
	tcase_add_test(api, test_run_verify_bad_input);
	tcase_add_test(api, test_success_keeps_last_error);
	tcase_add_test(api, test_failing_callbacks);
	tcase_add_test(api, test_callback_messages);
	tcase_add_test(api, test_counts_bad_input);
	tcase_add_test(api, test_instances_in_threads);
	suite_add_tcase(s, api);

	tcase_add_test(counts, test_stream_counts);
	tcase_add_test(counts, test_gemm_counts);
	tcase_add_test(counts, test_peak_counts);
	tcase_add_test(counts, test_peak_isa_named);
	tcase_add_test(counts, test_peak_clock);
	tcase_add_test(counts, test_peak_clock_portable);
	tcase_add_test(counts, test_peak_clock_bad_input);
	tcase_add_test(counts, test_peak_pairs);
	tcase_add_test(counts, test_peak_pairs_bad_input);
	tcase_add_test(counts, test_blas_config);
	tcase_add_test(counts, test_blas_measured);
	suite_add_tcase(s, counts);

	tcase_add_test(builtins, test_stream_kernels_verify);
	tcase_add_test(builtins, test_verify_detects_unrun);
	tcase_add_test(builtins, test_gemm_verify);
	tcase_add_test(builtins, test_gemm_threads_option);
	tcase_add_test(builtins, test_compute_flops_verify);
	tcase_add_test(builtins, test_compute_flops_closed_form_by_hand);
	tcase_add_test(builtins, test_peak_verify);
	tcase_add_test(builtins, test_peak_every_usable_isa);
	tcase_add_test(builtins, test_peak_check_detects_wrong_values);
	suite_add_tcase(s, builtins);
	return s;
}

PK_CHECK_MAIN(kernel_suite)
