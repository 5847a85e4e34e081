/* SPDX-License-Identifier: MIT */
/* The kernel registry and the instance API the harness drives. */
#include <stdio.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "perfkit/kernel.h"
#include "kernels.h"

struct perfkit_kernel {
	struct perfkit_kernel_ops ops; /* name/description point below */
	char *name;
	char *description;
	bool builtin; /* its callbacks leave their own error messages */
	struct perfkit_kernel *next;
};

struct perfkit_kernel_instance {
	const struct perfkit_kernel *kernel;
	void *state;
};

/* Entries are never removed, so pointers handed out stay valid without
 * holding the lock; the lock only orders insertions and walks. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct perfkit_kernel *registry_head;
static struct perfkit_kernel **registry_tail = &registry_head;
static size_t registry_count;
static pthread_once_t builtins_once = PTHREAD_ONCE_INIT;

/* Bytes of the first version of struct perfkit_kernel_ops: a caller built
 * against it passes at least this much. */
#define OPS_V1_SIZE \
	(offsetof(struct perfkit_kernel_ops, userdata) + sizeof(void *))
#define OPTIONS_V1_SIZE \
	(offsetof(struct perfkit_kernel_options, threads) + sizeof(unsigned))

static bool valid_name(const char *name)
{
	size_t len;

	if (!name)
		return false;
	len = strlen(name);
	if (len == 0 || len > PERFKIT_KERNEL_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '.' ||
			  c == '-';
		if (!ok)
			return false;
	}
	return true;
}

static int check_ops(const struct perfkit_kernel_ops *ops)
{
	if (!ops)
		return pk_error(-EINVAL, "kernel ops is NULL");
	if (ops->size < OPS_V1_SIZE)
		return pk_error(-EINVAL,
				"kernel ops size %zu is too small (need >= %zu: "
				"set .size = sizeof(struct perfkit_kernel_ops))",
				ops->size, (size_t)OPS_V1_SIZE);
	if (!valid_name(ops->name))
		return pk_error(-EINVAL,
				"kernel name must be 1-%d characters from "
				"[A-Za-z0-9_.-]", PERFKIT_KERNEL_NAME_MAX);
	if (!ops->setup || !ops->run || !ops->teardown)
		return pk_error(-EINVAL,
				"kernel '%s' needs setup, run and teardown callbacks",
				ops->name);
	return 0;
}

/* Caller holds registry_lock. */
static struct perfkit_kernel *lookup_locked(const char *name)
{
	for (struct perfkit_kernel *k = registry_head; k; k = k->next)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static struct perfkit_kernel *entry_new(const struct perfkit_kernel_ops *ops)
{
	struct perfkit_kernel *k = calloc(1, sizeof(*k));
	size_t n = ops->size < sizeof(k->ops) ? ops->size : sizeof(k->ops);

	if (!k)
		return NULL;
	/* Copy what the caller's version of the struct has; newer fields
	 * stay zero. */
	memcpy(&k->ops, ops, n);
	k->ops.size = sizeof(k->ops);
	k->name = strdup(ops->name);
	k->description = strdup(ops->description ? ops->description : "");
	if (!k->name || !k->description) {
		free(k->name);
		free(k->description);
		free(k);
		return NULL;
	}
	k->ops.name = k->name;
	k->ops.description = k->description;
	return k;
}

static int register_ops(const struct perfkit_kernel_ops *ops, bool builtin,
			const struct perfkit_kernel **out)
{
	struct perfkit_kernel *k;
	int rc = check_ops(ops);

	if (rc)
		return rc;
	k = entry_new(ops);
	if (!k)
		return pk_error(-ENOMEM, "out of memory registering kernel '%s'",
				ops->name);
	k->builtin = builtin;

	pthread_mutex_lock(&registry_lock);
	if (lookup_locked(k->name)) {
		pthread_mutex_unlock(&registry_lock);
		rc = pk_error(-EEXIST, "a kernel named '%s' is already registered",
			      k->name);
		free(k->name);
		free(k->description);
		free(k);
		return rc;
	}
	*registry_tail = k;
	registry_tail = &k->next;
	registry_count++;
	pthread_mutex_unlock(&registry_lock);

	if (out)
		*out = k;
	return 0;
}

static void register_builtins(void)
{
	static const struct perfkit_kernel_ops *const builtins[] = {
		&pk_kernel_dgemm_ops, &pk_kernel_sgemm_ops,
		&pk_kernel_peak_ops, &pk_kernel_peak_sp_ops,
		&pk_kernel_copy_ops, &pk_kernel_scale_ops,
		&pk_kernel_add_ops, &pk_kernel_triad_ops,
		&pk_kernel_dot_ops, &pk_kernel_axpy_ops,
		&pk_kernel_compute_flops_ops,
		&pk_kernel_write_text_ops, &pk_kernel_write_binary_ops,
#ifdef PERFKIT_HAVE_HDF5
		&pk_kernel_write_hdf5_ops,
#endif
	};

	/* Only out of memory can fail here; a missing built-in then shows
	 * as -ENOENT from perfkit_kernel_find(). */
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		register_ops(builtins[i], true, NULL);
}

static void ensure_builtins(void)
{
	pthread_once(&builtins_once, register_builtins);
}

PERFKIT_EXPORT int perfkit_kernel_register(const struct perfkit_kernel_ops *ops,
					   const struct perfkit_kernel **kernel)
{
	ensure_builtins();
	return register_ops(ops, false, kernel);
}

PERFKIT_EXPORT int perfkit_kernel_find(const char *name,
				       const struct perfkit_kernel **kernel)
{
	struct perfkit_kernel *k;

	if (!name || !kernel)
		return pk_error(-EINVAL, "kernel name and output must not be NULL");
	ensure_builtins();
	pthread_mutex_lock(&registry_lock);
	k = lookup_locked(name);
	pthread_mutex_unlock(&registry_lock);
	if (!k)
		return pk_error(-ENOENT, "no kernel named '%s' is registered", name);
	*kernel = k;
	return 0;
}

PERFKIT_EXPORT int perfkit_kernel_list(const struct perfkit_kernel **kernels,
				       size_t capacity, size_t *count)
{
	size_t i = 0;

	if (!count || (!kernels && capacity > 0))
		return pk_error(-EINVAL, "kernel list: count is NULL or the "
				"array is NULL with capacity %zu", capacity);
	ensure_builtins();
	pthread_mutex_lock(&registry_lock);
	for (struct perfkit_kernel *k = registry_head; k && i < capacity;
	     k = k->next)
		kernels[i++] = k;
	*count = registry_count;
	pthread_mutex_unlock(&registry_lock);
	return 0;
}

PERFKIT_EXPORT const char *perfkit_kernel_name(const struct perfkit_kernel *kernel)
{
	return kernel ? kernel->name : "";
}

PERFKIT_EXPORT const char *
perfkit_kernel_description(const struct perfkit_kernel *kernel)
{
	return kernel ? kernel->description : "";
}

/* One repetition's count from an optional callback, validated. */
static int per_rep(const struct perfkit_kernel *kernel, int64_t size,
		   double (*fn)(int64_t, void *), const char *what, double *out)
{
	double v = 0.0;

	if (!kernel || !out)
		return pk_error(-EINVAL, "kernel %s: kernel and output must not "
				"be NULL", what);
	if (size <= 0)
		return pk_error(-EINVAL, "kernel '%s': size must be > 0, got %lld",
				kernel->name, (long long)size);
	v = fn ? fn(size, kernel->ops.userdata) : 0.0;
	if (!isfinite(v) || v < 0)
		return pk_error(-ERANGE, "kernel '%s': %s(%lld) returned %g",
				kernel->name, what, (long long)size, v);
	*out = v;
	return 0;
}

PERFKIT_EXPORT int perfkit_kernel_flops(const struct perfkit_kernel *kernel,
					int64_t size, uint64_t repetitions,
					double *flops)
{
	double v = 0.0;
	int rc = per_rep(kernel, size, kernel ? kernel->ops.flops : NULL,
			 "flops", flops ? &v : NULL);

	if (rc)
		return rc;
	*flops = v * (double)repetitions;
	return 0;
}

PERFKIT_EXPORT int perfkit_kernel_bytes(const struct perfkit_kernel *kernel,
					int64_t size, uint64_t repetitions,
					double *bytes)
{
	double v = 0.0;
	int rc = per_rep(kernel, size, kernel ? kernel->ops.bytes : NULL,
			 "bytes", bytes ? &v : NULL);

	if (rc)
		return rc;
	*bytes = v * (double)repetitions;
	return 0;
}

PERFKIT_EXPORT int perfkit_kernel_items(const struct perfkit_kernel *kernel,
					int64_t size, uint64_t repetitions,
					double *items)
{
	double v = 0.0;
	int rc = per_rep(kernel, size, kernel ? kernel->ops.items : NULL,
			 "items", items ? &v : NULL);

	if (rc)
		return rc;
	*items = v * (double)repetitions;
	return 0;
}

PERFKIT_EXPORT int perfkit_kernel_intensity(const struct perfkit_kernel *kernel,
					    int64_t size, double *flops_per_byte)
{
	double f = 0.0, b = 0.0;
	int rc;

	if (!flops_per_byte)
		return pk_error(-EINVAL, "kernel intensity: output is NULL");
	rc = per_rep(kernel, size, kernel ? kernel->ops.flops : NULL, "flops", &f);
	if (rc)
		return rc;
	rc = per_rep(kernel, size, kernel->ops.bytes, "bytes", &b);
	if (rc)
		return rc;
	if (b == 0)
		return pk_error(-EDOM, "kernel '%s' moves no bytes: its arithmetic "
				"intensity is unbounded", kernel->name);
	*flops_per_byte = f / b;
	return 0;
}

/* Read the caller's options (any version) over the defaults. */
static int read_options(const struct perfkit_kernel_options *in,
			struct perfkit_kernel_options *out)
{
	struct perfkit_kernel_options def = PERFKIT_KERNEL_OPTIONS_INIT;

	*out = def;
	if (!in)
		return 0;
	if (in->size < OPTIONS_V1_SIZE)
		return pk_error(-EINVAL, "kernel options size %zu is too small "
				"(set .size = sizeof(struct perfkit_kernel_options))",
				in->size);
	memcpy(out, in, in->size < sizeof(*out) ? in->size : sizeof(*out));
	out->size = sizeof(*out);
	if (out->threads == 0)
		out->threads = 1;
	if (out->threads > PERFKIT_KERNEL_THREADS_MAX)
		return pk_error(-EINVAL, "kernel options: %u threads per instance "
				"(at most %d)", out->threads,
				PERFKIT_KERNEL_THREADS_MAX);
	return 0;
}

/* A callback failed. Built-ins said why with pk_error(); a user callback
 * may have said why with perfkit_set_error() (the thread's message serial
 * moved past @serial, taken before the call): keep its words after the
 * kernel's name and the step; otherwise name the code. */
static int callback_error(const struct perfkit_kernel *kernel,
			  const char *what, int rc, unsigned long serial)
{
	char said[512];

	if (rc > 0)
		rc = -EBADMSG;
	if (kernel->builtin)
		return rc;
	if (pk_error_serial() != serial && perfkit_last_error()[0]) {
		snprintf(said, sizeof(said), "%s", perfkit_last_error());
		return pk_error(rc, "kernel '%s': %s failed: %s", kernel->name, what,
				said);
	}
	return pk_error(rc, "kernel '%s': %s failed: %s", kernel->name, what,
			perfkit_strerror(rc));
}

PERFKIT_EXPORT int perfkit_kernel_setup(const struct perfkit_kernel *kernel,
					int64_t size,
					const struct perfkit_kernel_options *options,
					struct perfkit_kernel_instance **instance)
{
	struct perfkit_kernel_options opt;
	struct perfkit_kernel_instance *inst;
	unsigned long serial;
	int rc;

	if (!kernel || !instance)
		return pk_error(-EINVAL, "kernel setup: kernel and instance must "
				"not be NULL");
	if (size <= 0)
		return pk_error(-EINVAL, "kernel '%s': size must be > 0, got %lld",
				kernel->name, (long long)size);
	rc = read_options(options, &opt);
	if (rc)
		return rc;
	inst = calloc(1, sizeof(*inst));
	if (!inst)
		return pk_error(-ENOMEM, "out of memory for a kernel instance");
	inst->kernel = kernel;
	serial = pk_error_serial();
	rc = kernel->ops.setup(size, &opt, kernel->ops.userdata, &inst->state);
	if (rc) {
		free(inst);
		return callback_error(kernel, "setup", rc, serial);
	}
	*instance = inst;
	return 0;
}

PERFKIT_EXPORT int perfkit_kernel_run(struct perfkit_kernel_instance *instance,
				      uint64_t repetitions)
{
	unsigned long serial;
	int rc;

	if (!instance)
		return pk_error(-EINVAL, "kernel run: instance is NULL");
	if (repetitions == 0)
		return pk_error(-EINVAL, "kernel '%s': repetitions must be >= 1",
				instance->kernel->name);
	serial = pk_error_serial();
	rc = instance->kernel->ops.run(instance->state, repetitions);
	return rc ? callback_error(instance->kernel, "run", rc, serial) : 0;
}

PERFKIT_EXPORT int perfkit_kernel_verify(struct perfkit_kernel_instance *instance)
{
	unsigned long serial;
	int rc;

	if (!instance)
		return pk_error(-EINVAL, "kernel verify: instance is NULL");
	if (!instance->kernel->ops.verify)
		return pk_error(-ENOTSUP, "kernel '%s' cannot verify its result",
				instance->kernel->name);
	serial = pk_error_serial();
	rc = instance->kernel->ops.verify(instance->state);
	return rc ? callback_error(instance->kernel, "verify", rc, serial) : 0;
}

PERFKIT_EXPORT void perfkit_kernel_teardown(struct perfkit_kernel_instance *instance)
{
	if (!instance)
		return;
	instance->kernel->ops.teardown(instance->state);
	free(instance);
}

PERFKIT_EXPORT const struct perfkit_kernel *
perfkit_kernel_instance_kernel(const struct perfkit_kernel_instance *instance)
{
	return instance ? instance->kernel : NULL;
}
