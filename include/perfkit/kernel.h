/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/kernel.h
 * @brief Compute kernels: a registry of built-in and user kernels, and
 *        instances the harness sets up, runs, verifies and tears down.
 */
#ifndef PERFKIT_KERNEL_H
#define PERFKIT_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup kernel Kernels
 * @brief Named pieces of work whose floating-point operations and memory
 *        traffic are counted exactly.
 *
 * A kernel is a set of callbacks (struct perfkit_kernel_ops) registered
 * under a unique name. Built-in kernels are registered before the first
 * registry call returns: `dgemm`, `sgemm` (BLIS), `peak`, `peak-sp`
 * (register-resident FMA chains), the STREAM-like `copy`, `scale`, `add`,
 * `triad`, plus `dot`, `axpy`, `compute_flops` (the sum(A·B)
 * benchmark of the pywren GFLOPS notebook), and the I/O kernels of the
 * HPC Python workshop: `write-text` (savetxt-like text), `write-binary`
 * (raw doubles, like numpy's tofile) and, when built with HDF5,
 * `write-hdf5` (one dataset per repetition in one HDF5 file). Each
 * repetition of an I/O kernel writes one N × N grid as one file (or
 * dataset) into perfkit_kernel_options::output_dir. See
 * @ref kernels "the kernel guide" for what each computes and counts.
 *
 * Run one built-in kernel:
 * @code
 * const struct perfkit_kernel *k;
 * struct perfkit_kernel_instance *inst;
 * double flops;
 *
 * if (perfkit_kernel_find("dgemm", &k) == 0 &&
 *     perfkit_kernel_setup(k, 512, NULL, &inst) == 0) {
 *	uint64_t t0 = perfkit_now_ns();
 *	perfkit_kernel_run(inst, 10);
 *	uint64_t t1 = perfkit_now_ns();
 *	perfkit_kernel_flops(k, 512, 10, &flops);
 *	printf("%.1f GFLOPS\n", flops / (double)(t1 - t0));
 *	if (perfkit_kernel_verify(inst) != 0)
 *		printf("wrong result: %s\n", perfkit_last_error());
 *	perfkit_kernel_teardown(inst);
 * }
 * @endcode
 *
 * Threads: the registry functions are thread-safe (one mutex; registration
 * is rare). An instance belongs to the thread that set it up: call
 * perfkit_kernel_setup() in the worker thread that will run it, so that its
 * memory is first touched (and placed) there. Different instances may run
 * concurrently in different threads; one instance must not be used by two
 * threads at once.
 * @{
 */

/** @brief A registered kernel (opaque; lives until the process exits). */
struct perfkit_kernel;

/** @brief A kernel set up for one size in one worker (opaque). */
struct perfkit_kernel_instance;

/** @brief Longest kernel name accepted, in bytes, without the NUL. */
#define PERFKIT_KERNEL_NAME_MAX 63

/** @brief Most threads one instance may be given (a guard against typos). */
#define PERFKIT_KERNEL_THREADS_MAX 4096

/**
 * @brief Options for perfkit_kernel_setup().
 *
 * Set @c size to @c sizeof(struct perfkit_kernel_options) (or start from
 * #PERFKIT_KERNEL_OPTIONS_INIT): fields are only ever added at the end, and
 * the library reads no further than @c size bytes.
 */
struct perfkit_kernel_options {
	/** sizeof(struct perfkit_kernel_options) as the caller knows it. */
	size_t size;
	/**
	 * Threads one instance may use internally (BLIS threads per worker
	 * for `dgemm`, `sgemm` and `compute_flops`); 0 means 1, at most
	 * #PERFKIT_KERNEL_THREADS_MAX. Kernels that are single-threaded by
	 * nature ignore it.
	 */
	unsigned threads;
	/**
	 * Folder the I/O kernels (`write-text`, `write-binary`, `write-hdf5`)
	 * write their files into; it must exist and be writable. NULL (the
	 * default): each instance makes a fresh folder `perfkit-io-XXXXXX`
	 * under `$TMPDIR` (or /tmp). Other kernels ignore it.
	 */
	const char *output_dir;
	/**
	 * Non-zero: the I/O kernels leave their files (and a fresh folder)
	 * in place at teardown. 0 (the default): teardown removes the files
	 * the instance wrote, and the folder if the instance made it.
	 */
	int keep_output;
};

/** @brief Initialiser for struct perfkit_kernel_options with the defaults. */
#define PERFKIT_KERNEL_OPTIONS_INIT \
	{ sizeof(struct perfkit_kernel_options), 1, NULL, 0 }

/**
 * @brief The callbacks and names that make a kernel; filled in by whoever
 *        registers one.
 *
 * Set @c size to @c sizeof(struct perfkit_kernel_ops): fields are only ever
 * added at the end. The library copies the struct and the two strings at
 * registration, so the caller's storage may be temporary.
 *
 * A failing callback may say why with perfkit_set_error(): its message
 * follows "kernel 'NAME': setup failed: " (or run, verify) in
 * perfkit_last_error(); without one the code's name does.
 *
 * @c size in the callbacks is the problem size the user passes to
 * perfkit_kernel_setup(): its meaning is the kernel's own (matrix order for
 * `dgemm`, elements per array for `triad`, ...). It is always > 0 when a
 * callback sees it.
 */
struct perfkit_kernel_ops {
	/** sizeof(struct perfkit_kernel_ops) as the caller knows it. */
	size_t size;
	/** Unique name: 1 to #PERFKIT_KERNEL_NAME_MAX characters from
	 *  [A-Za-z0-9_.-]. Required. */
	const char *name;
	/** One line saying what the kernel computes; may be NULL. */
	const char *description;
	/**
	 * Allocate and first-touch the data for one instance. Required.
	 * @param size problem size, > 0
	 * @param options never NULL; @c threads is already >= 1
	 * @param userdata the @c userdata field of this struct
	 * @param[out] state anything the other callbacks need (may be NULL)
	 * @return 0 or a negative errno (-ENOMEM, -EINVAL, ...)
	 */
	int (*setup)(int64_t size, const struct perfkit_kernel_options *options,
		     void *userdata, void **state);
	/**
	 * Do the work @p repetitions times. Required.
	 * @param state what setup() returned
	 * @param repetitions >= 1
	 * @return 0 or a negative errno
	 */
	int (*run)(void *state, uint64_t repetitions);
	/**
	 * Free what setup() allocated. Required.
	 * @param state what setup() returned
	 */
	void (*teardown)(void *state);
	/**
	 * Floating-point operations of one repetition; NULL means none.
	 * @param size problem size, > 0
	 * @param userdata the @c userdata field of this struct
	 * @return the count (an integer-valued double, >= 0)
	 */
	double (*flops)(int64_t size, void *userdata);
	/**
	 * Bytes moved to or from memory in one repetition, as the kernel
	 * chooses to count them (documented per kernel); NULL means none.
	 * @param size problem size, > 0
	 * @param userdata the @c userdata field of this struct
	 * @return the count (an integer-valued double, >= 0)
	 */
	double (*bytes)(int64_t size, void *userdata);
	/**
	 * Check the result of the repetitions run so far; NULL if the kernel
	 * cannot check itself.
	 * @param state what setup() returned
	 * @return 0 if correct, -EBADMSG if wrong
	 */
	int (*verify)(void *state);
	/** Passed to setup(), flops(), bytes() and items(); the library
	 *  ignores it. */
	void *userdata;
	/**
	 * Items one repetition produces (files for the I/O kernels); NULL
	 * means none. Added after the first version: a caller whose struct
	 * ends at @c userdata registers a kernel without items.
	 * @param size problem size, > 0
	 * @param userdata the @c userdata field of this struct
	 * @return the count (an integer-valued double, >= 0)
	 */
	double (*items)(int64_t size, void *userdata);
};

/**
 * @brief Register a kernel under its name.
 * @param ops callbacks and names; copied
 * @param[out] kernel the registered kernel (may be NULL if not wanted)
 * @return 0 on success
 * @retval -EINVAL @p ops is NULL, its @c size is too small, a required
 *         callback is missing, or the name is empty, too long or contains
 *         other characters than [A-Za-z0-9_.-]
 * @retval -EEXIST a kernel with this name is already registered
 * @retval -ENOMEM out of memory
 *
 * Registrations last until the process exits. Thread-safe.
 */
int perfkit_kernel_register(const struct perfkit_kernel_ops *ops,
			    const struct perfkit_kernel **kernel);

/**
 * @brief Look a kernel up by name.
 * @param name the kernel's name
 * @param[out] kernel the kernel
 * @return 0 on success
 * @retval -EINVAL @p name or @p kernel is NULL
 * @retval -ENOENT no kernel has this name
 *
 * Thread-safe.
 */
int perfkit_kernel_find(const char *name, const struct perfkit_kernel **kernel);

/**
 * @brief List the registered kernels, built-ins first, then in order of
 *        registration.
 * @param[out] kernels array receiving up to @p capacity kernels; may be
 *             NULL when @p capacity is 0
 * @param capacity length of @p kernels
 * @param[out] count the number of registered kernels (may exceed
 *             @p capacity: call again with a larger array)
 * @return 0 on success
 * @retval -EINVAL @p count is NULL, or @p kernels is NULL and
 *         @p capacity > 0
 *
 * Thread-safe.
 */
int perfkit_kernel_list(const struct perfkit_kernel **kernels, size_t capacity,
			size_t *count);

/**
 * @brief Name of a kernel.
 * @param kernel a registered kernel
 * @return its name, or "" if @p kernel is NULL. Valid for the life of the
 *         process. Thread-safe.
 */
const char *perfkit_kernel_name(const struct perfkit_kernel *kernel);

/**
 * @brief One-line description of a kernel.
 * @param kernel a registered kernel
 * @return its description, or "" if it has none or @p kernel is NULL.
 *         Valid for the life of the process. Thread-safe.
 */
const char *perfkit_kernel_description(const struct perfkit_kernel *kernel);

/**
 * @brief Floating-point operations of @p repetitions repetitions.
 * @param kernel a registered kernel
 * @param size problem size, > 0
 * @param repetitions number of repetitions
 * @param[out] flops the count
 * @return 0 on success
 * @retval -EINVAL @p kernel or @p flops is NULL, or @p size <= 0
 * @retval -ERANGE the kernel returned a negative or non-finite count
 *
 * Thread-safe.
 */
int perfkit_kernel_flops(const struct perfkit_kernel *kernel, int64_t size,
			 uint64_t repetitions, double *flops);

/**
 * @brief Bytes moved by @p repetitions repetitions, as the kernel counts
 *        them.
 * @param kernel a registered kernel
 * @param size problem size, > 0
 * @param repetitions number of repetitions
 * @param[out] bytes the count
 * @return 0 on success
 * @retval -EINVAL @p kernel or @p bytes is NULL, or @p size <= 0
 * @retval -ERANGE the kernel returned a negative or non-finite count
 *
 * Thread-safe.
 */
int perfkit_kernel_bytes(const struct perfkit_kernel *kernel, int64_t size,
			 uint64_t repetitions, double *bytes);

/**
 * @brief Items (files for the I/O kernels) produced by @p repetitions
 *        repetitions, as the kernel counts them.
 * @param kernel a registered kernel
 * @param size problem size, > 0
 * @param repetitions number of repetitions
 * @param[out] items the count (0 for kernels without an items() callback)
 * @return 0 on success
 * @retval -EINVAL @p kernel or @p items is NULL, or @p size <= 0
 * @retval -ERANGE the kernel returned a negative or non-finite count
 *
 * Thread-safe.
 */
int perfkit_kernel_items(const struct perfkit_kernel *kernel, int64_t size,
			 uint64_t repetitions, double *items);

/**
 * @brief Arithmetic intensity: flops per byte of one repetition, the
 *        x coordinate of a roofline point.
 * @param kernel a registered kernel
 * @param size problem size, > 0
 * @param[out] flops_per_byte the ratio
 * @return 0 on success
 * @retval -EINVAL @p kernel or @p flops_per_byte is NULL, or @p size <= 0
 * @retval -ERANGE the kernel returned a negative or non-finite count
 * @retval -EDOM the kernel moves no bytes (e.g. `peak`): the intensity is
 *         unbounded
 *
 * Thread-safe.
 */
int perfkit_kernel_intensity(const struct perfkit_kernel *kernel, int64_t size,
			     double *flops_per_byte);

/**
 * @brief Set up an instance of a kernel: allocate and first-touch its data.
 * @param kernel a registered kernel
 * @param size problem size, > 0 (meaning per kernel)
 * @param options NULL for the defaults, or options whose @c size is set
 * @param[out] instance the new instance; free it with
 *             perfkit_kernel_teardown()
 * @return 0 on success
 * @retval -EINVAL @p kernel or @p instance is NULL, @p size <= 0, or
 *         @p options has a @c size too small or more than
 *         #PERFKIT_KERNEL_THREADS_MAX threads
 * @retval -ERANGE the data for @p size would not fit in a size_t
 * @retval -ENOMEM the data does not fit in memory (built-ins refuse sizes
 *         larger than the machine's physical memory before allocating)
 *
 * Call it in the thread that will run the instance. Other codes come from
 * the kernel's own setup(). Thread-safe for distinct instances.
 */
int perfkit_kernel_setup(const struct perfkit_kernel *kernel, int64_t size,
			 const struct perfkit_kernel_options *options,
			 struct perfkit_kernel_instance **instance);

/**
 * @brief Run an instance @p repetitions times.
 * @param instance from perfkit_kernel_setup()
 * @param repetitions >= 1
 * @return 0 on success
 * @retval -EINVAL @p instance is NULL or @p repetitions is 0
 *
 * Other codes come from the kernel's run(). Not thread-safe for the same
 * instance.
 */
int perfkit_kernel_run(struct perfkit_kernel_instance *instance,
		       uint64_t repetitions);

/**
 * @brief Check the result of the repetitions run so far.
 * @param instance from perfkit_kernel_setup()
 * @return 0 if the result is right
 * @retval -EINVAL @p instance is NULL
 * @retval -EBADMSG the result is wrong (perfkit_last_error() says where)
 * @retval -ENOTSUP the kernel has no verify() callback
 *
 * Built-ins verify against values computed independently (closed forms, or
 * a reference loop on sampled entries), with a relative tolerance derived
 * from the precision and problem size. Not thread-safe for the same
 * instance.
 */
int perfkit_kernel_verify(struct perfkit_kernel_instance *instance);

/**
 * @brief Free an instance and its data.
 * @param instance from perfkit_kernel_setup(), or NULL (nothing happens)
 */
void perfkit_kernel_teardown(struct perfkit_kernel_instance *instance);

/**
 * @brief The kernel an instance was set up from.
 * @param instance from perfkit_kernel_setup()
 * @return its kernel, or NULL if @p instance is NULL
 */
const struct perfkit_kernel *
perfkit_kernel_instance_kernel(const struct perfkit_kernel_instance *instance);

/**
 * @brief The instruction set the `peak` and `peak-sp` kernels use here.
 * @return a static string: "avx512", "avx2" (AVX2 + FMA), "avx", "sse2",
 *         "neon" or "portable".
 *
 * Chosen once at run time from what the CPU and OS support
 * (__builtin_cpu_supports on x86). Thread-safe.
 */
const char *perfkit_kernel_peak_isa(void);

/**
 * @brief Measure the core clock while the `peak` kernel's instruction set
 *        is hot, and the idle (scalar) clock beside it.
 * @param ghz receives the clock in GHz under the `peak` kernel's load
 * @param scalar_ghz receives the clock in GHz of scalar code, measured
 *        just before; may be NULL
 * @return 0 on success
 * @retval -EINVAL @p ghz is NULL
 * @retval -ENOTSUP no add chain for this architecture (not x86 or aarch64)
 * @retval -ENOMEM out of memory
 * @retval -ERANGE a measured clock is not positive, or the loaded clock
 *         is below half the scalar one: the add chain did not set the
 *         loop's pace (an emulator such as valgrind, or fewer vector
 *         units than the FLOPs table says), so there is no clock to report
 *
 * Many cores run wide FMAs at a lower clock than scalar code (Intel's
 * AVX-512 and AVX2 frequency licences). The theoretical peak at the clock
 * perfkit_machine_clock_measured() reports (a dependent add chain on an
 * otherwise idle core) can then be several percent above what any FMA
 * code can reach. This function first measures that scalar clock the same
 * way (median of 11 chains of ~1 ms). Then it runs the inner loop of the
 * `peak` kernel (the instruction set perfkit_kernel_peak_isa() names) with
 * a chain of dependent integer adds in each iteration, 7/6 as long as the
 * loop's vector work takes at the FLOPs per cycle of
 * perfkit_machine_flops_per_cycle() (rounded up to 7, 14 or 28 adds; 28
 * when the table has no entry). The chain sets the pace while the vector
 * units stay busy about 6 cycles in 7, so the adds per ns are the clock
 * *during* that load: after 2 ms to bring the licence on, @p ghz is the
 * adds per ns of the thread's CPU time over one ~15 ms run, the clock the
 * loop got on average while it ran, as a kernel's rate is an average over
 * its run.
 *
 * It takes about 35 ms, runs on the calling thread's CPU (bind the thread
 * first to measure a given core) and keeps no state: thread-safe. Both
 * values are untouched on failure.
 */
int perfkit_kernel_peak_clock(double *ghz, double *scalar_ghz);

/**
 * @brief The BLIS sub-configuration (kernel set) that `dgemm`, `sgemm`
 *        and `compute_flops` run with, and who chose it.
 * @param[out] name BLIS's name for it, e.g. "skx", "haswell", "zen3"
 *        (static; may be NULL)
 * @param[out] chosen_by "BLIS (cpuid)", "the BLIS_ARCH_TYPE environment
 *        variable", or "libperfkit: the fastest on a one-core dgemm of
 *        order 128 (skx 77.5, zen3 52.3, ..., generic 14.3 GFLOPS); BLIS's
 *        own choice: generic"; or, when the trials were wanted but no
 *        trial process answered, "BLIS (cpuid); libperfkit could not time
 *        the kernel sets: ..." (static; may be NULL)
 * @return 0
 *
 * BLIS picks its kernels once, at its first call, from a cpuid table of
 * vendors and models, which a newer CPU or a hypervisor defeats (BLIS 0.9
 * runs `generic` on a Zen 5). Before that first call libperfkit asks BLIS,
 * in a child process, what it would choose. Where that is `generic` or a
 * set with narrower vectors than this CPU executes, it times a one-core
 * dgemm of order 128 with each set the CPU executes (each in a forked
 * child, since BLIS keeps its first choice for the life of a process;
 * about 15 ms of timing, some 50 ms in all) and asks BLIS for the
 * fastest; @p chosen_by then names every set timed with its GFLOPS.
 * BLIS_ARCH_TYPE set by the user always wins. The environment variable
 * PERFKIT_BLAS_CHOICE=blis keeps BLIS's own choice, and
 * PERFKIT_BLAS_CHOICE=measure times the sets even where BLIS's choice
 * looks right. This happens at the first BLAS kernel setup or the first
 * call of this function, whichever comes first; a program that called
 * BLIS before keeps BLIS's own choice. Thread-safe.
 */
int perfkit_kernel_blas_config(const char **name, const char **chosen_by);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_KERNEL_H */
