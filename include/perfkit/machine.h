/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/machine.h
 * @brief What machine a measurement ran on: topology, caches, SIMD, clock,
 *        FLOPs per cycle, theoretical peak, environment warnings, binding.
 */
#ifndef PERFKIT_MACHINE_H
#define PERFKIT_MACHINE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup machine Machine description
 * @brief Probe the machine once, read it through getters, export it as
 *        key/value metadata or JSON, and pin threads to its cores.
 *
 * The description is probed on first use (hwloc topology, cpuid, sysfs,
 * a ~15 ms clock measurement) and cached for the life of the process; the
 * handle is owned by the library and never freed by the caller. Anything
 * that cannot be determined is reported as unknown (a getter returns
 * -ENOTSUP, a key's value is "unknown" or "not available"); nothing is
 * guessed. See the guide page @ref machine_guide "docs/machine.md".
 *
 * @code
 * const struct perfkit_machine *m;
 * double dp, ghz;
 * const char *src;
 *
 * if (perfkit_machine_probe(&m) == 0) {
 *	printf("%u cores\n", perfkit_machine_cores(m));
 *	if (perfkit_machine_clock_measured(m, &ghz, &src) == 0)
 *		printf("clock %.2f GHz (%s)\n", ghz, src);
 *	if (perfkit_machine_peak_gflops(m, &dp, NULL) == 0)
 *		printf("peak %.1f DP GFLOPS\n", dp);
 *	perfkit_machine_bind_self(m, PERFKIT_BIND_CORE, 0);
 * }
 * @endcode
 * @{
 */

/** @brief The cached description of this machine (opaque, read-only). */
struct perfkit_machine;

/**
 * @brief Probe the machine (first call) or return the cached description.
 * @param[out] out the description, owned by the library; valid until exit
 * @return 0 on success
 * @retval -EINVAL @p out is NULL
 * @retval -ENOMEM out of memory during the probe
 * @retval -EIO hwloc could not load the topology
 *
 * The first call takes some 20 ms (it times the clock); later calls return
 * the same pointer at once. A failed probe is cached too: every call then
 * returns the same error. The probe measures the environment at that
 * moment (load average, governor, affinity): call it before starting
 * workers. Thread-safe, including concurrent first use.
 */
int perfkit_machine_probe(const struct perfkit_machine **out);

/** @name Topology
 * Counts from the hwloc topology, including PUs this process may not use.
 * Each getter returns 0 for a NULL @p m. Thread-safe.
 * @{ */

/**
 * @brief Number of processor packages (sockets).
 * @param m the machine
 * @return the count
 */
unsigned perfkit_machine_packages(const struct perfkit_machine *m);

/**
 * @brief Number of NUMA nodes.
 * @param m the machine
 * @return the count
 */
unsigned perfkit_machine_numa_nodes(const struct perfkit_machine *m);

/**
 * @brief Number of physical cores.
 * @param m the machine
 * @return the count
 */
unsigned perfkit_machine_cores(const struct perfkit_machine *m);

/**
 * @brief Number of processing units (hardware threads, "logical CPUs").
 * @param m the machine
 * @return the count; PU logical indexes run from 0 to this count - 1
 */
unsigned perfkit_machine_pus(const struct perfkit_machine *m);

/**
 * @brief Number of PUs this process may run on.
 * @param m the machine
 * @return the count of PUs in both the cgroup cpuset and the affinity mask
 *         of the process's main thread, as they were when probed
 */
unsigned perfkit_machine_allowed_pus(const struct perfkit_machine *m);

/**
 * @brief Number of cores with at least one allowed PU.
 * @param m the machine
 * @return the count; this is the core count used for the peak
 */
unsigned perfkit_machine_allowed_cores(const struct perfkit_machine *m);

/**
 * @brief Describe one PU by its logical index.
 * @param m the machine
 * @param pu logical PU index, 0 to perfkit_machine_pus() - 1
 * @param[out] os_index the operating system's CPU number (may be NULL)
 * @param[out] core logical index of the core holding it (may be NULL)
 * @param[out] allowed 1 if this process may run on it, else 0 (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p m is NULL or @p pu is out of range
 *
 * Thread-safe.
 */
int perfkit_machine_pu(const struct perfkit_machine *m, unsigned pu,
		       unsigned *os_index, unsigned *core, int *allowed);

/** @} */

/** @brief Which kind of cache perfkit_machine_cache() describes. */
enum perfkit_cache_kind {
	/** A data or unified cache (L1d, L2, L3, ...). */
	PERFKIT_CACHE_DATA = 0,
	/** An instruction cache (L1i). */
	PERFKIT_CACHE_INSTRUCTION = 1,
};

/**
 * @brief Size and line size of one cache level.
 * @param m the machine
 * @param level cache level, 1 to 5
 * @param kind data/unified or instruction
 * @param[out] size_bytes size of one instance, bytes (may be NULL)
 * @param[out] line_bytes line size, bytes; 0 if hwloc does not know it
 *             (may be NULL)
 * @param[out] count number of instances in the machine (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p m is NULL or @p kind is not a perfkit_cache_kind
 * @retval -ENOENT the machine has no such cache
 *
 * Thread-safe.
 */
int perfkit_machine_cache(const struct perfkit_machine *m, unsigned level,
			  enum perfkit_cache_kind kind, uint64_t *size_bytes,
			  unsigned *line_bytes, unsigned *count);

/** @name CPU identity
 * @{ */

/**
 * @brief CPU vendor, e.g. "AuthenticAMD", "GenuineIntel", "ARM".
 * @param m the machine
 * @return a string owned by @p m; "unknown" if not found or @p m is NULL
 */
const char *perfkit_machine_cpu_vendor(const struct perfkit_machine *m);

/**
 * @brief CPU model name (the brand string), e.g. "AMD EPYC 9654".
 * @param m the machine
 * @return a string owned by @p m; "unknown" if not found or @p m is NULL
 */
const char *perfkit_machine_cpu_model(const struct perfkit_machine *m);

/**
 * @brief Microarchitecture from the FLOPs table, e.g. "Zen 5", "Haswell".
 * @param m the machine
 * @return a string owned by @p m; "unknown" if the table has no entry
 */
const char *perfkit_machine_cpu_uarch(const struct perfkit_machine *m);

/**
 * @brief Numeric CPU identity.
 * @param m the machine
 * @param[out] family x86 display family (e.g. 0x1a), or the aarch64
 *             implementer code (may be NULL)
 * @param[out] model x86 display model, or the aarch64 part number
 *             (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p m is NULL
 * @retval -ENOTSUP the identity could not be read on this machine
 *
 * Thread-safe.
 */
int perfkit_machine_cpu_id(const struct perfkit_machine *m, unsigned *family,
			   unsigned *model);

/** @} */

/** @brief SIMD instruction sets, as bits of perfkit_machine_simd(). */
enum perfkit_simd {
	PERFKIT_SIMD_SSE2 = 1u << 0,    /**< x86 SSE2 (128-bit) */
	PERFKIT_SIMD_AVX = 1u << 1,     /**< x86 AVX (256-bit floating point) */
	PERFKIT_SIMD_AVX2 = 1u << 2,    /**< x86 AVX2 (256-bit integer) */
	PERFKIT_SIMD_FMA = 1u << 3,     /**< fused multiply-add (x86 FMA3; always set with NEON) */
	PERFKIT_SIMD_AVX512F = 1u << 4, /**< x86 AVX-512 Foundation (512-bit) */
	PERFKIT_SIMD_NEON = 1u << 5,    /**< aarch64 Advanced SIMD (128-bit) */
	PERFKIT_SIMD_SVE = 1u << 6,     /**< aarch64 Scalable Vector Extension */
};

/**
 * @brief SIMD instruction sets usable at run time (CPU and OS both).
 * @param m the machine
 * @return a bitwise OR of perfkit_simd values; 0 for a NULL @p m
 */
unsigned perfkit_machine_simd(const struct perfkit_machine *m);

/**
 * @brief Name of one SIMD bit, e.g. "avx512f".
 * @param simd one perfkit_simd value
 * @return a static string; "unknown" for anything else
 */
const char *perfkit_simd_name(enum perfkit_simd simd);

/**
 * @brief Floating-point operations per cycle per core at the widest usable
 *        SIMD width (an FMA counts as two).
 * @param m the machine
 * @param[out] dp double precision FLOPs/cycle/core (may be NULL)
 * @param[out] sp single precision FLOPs/cycle/core (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p m is NULL
 * @retval -ENOTSUP the CPU is not in the documented table (see
 *         perfkit_last_error() for why); no value is guessed
 *
 * Thread-safe.
 */
int perfkit_machine_flops_per_cycle(const struct perfkit_machine *m,
				    double *dp, double *sp);

/**
 * @brief The nominal clock frequency the system states.
 * @param m the machine
 * @param[out] ghz nominal frequency, GHz (may be NULL)
 * @param[out] source where it came from, e.g. "sysfs cpufreq
 *             base_frequency" (may be NULL); owned by @p m
 * @return 0 on success
 * @retval -EINVAL @p m is NULL
 * @retval -ENOTSUP no source states one (@p source still says so)
 *
 * In a virtual machine "/proc/cpuinfo cpu MHz" is the TSC rate, not the
 * core clock: prefer perfkit_machine_clock_measured(). Thread-safe.
 */
int perfkit_machine_clock_nominal(const struct perfkit_machine *m, double *ghz,
				  const char **source);

/**
 * @brief The core clock measured at probe time.
 * @param m the machine
 * @param[out] ghz median of several timings of a chain of dependent
 *             one-cycle integer adds, GHz (may be NULL)
 * @param[out] source how it was measured (may be NULL); owned by @p m
 * @return 0 on success
 * @retval -EINVAL @p m is NULL
 * @retval -ENOTSUP no add-chain kernel for this architecture
 *
 * The figure is the clock of the core the probing thread ran on, under the
 * load of that moment. Thread-safe.
 */
int perfkit_machine_clock_measured(const struct perfkit_machine *m, double *ghz,
				   const char **source);

/**
 * @brief Theoretical peak: allowed cores × measured GHz × FLOPs/cycle.
 * @param m the machine
 * @param[out] dp double precision peak, GFLOPS (may be NULL)
 * @param[out] sp single precision peak, GFLOPS (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p m is NULL
 * @retval -ENOTSUP FLOPs/cycle or the measured clock is unknown
 *
 * The inputs are recorded under the keys "peak.cores", "peak.ghz",
 * "peak.dp_flops_per_cycle" and "peak.sp_flops_per_cycle". Thread-safe.
 */
int perfkit_machine_peak_gflops(const struct perfkit_machine *m, double *dp,
				double *sp);

/** @brief Conditions that make measurements on this machine less reliable. */
enum perfkit_machine_warning {
	/** The cpufreq governor of an allowed CPU is not "performance". */
	PERFKIT_MACHINE_WARN_GOVERNOR = 1,
	/** Turbo/boost is enabled: the clock depends on load and heat. */
	PERFKIT_MACHINE_WARN_TURBO = 2,
	/** Running under a hypervisor: vCPUs share physical cores. */
	PERFKIT_MACHINE_WARN_HYPERVISOR = 3,
	/** 1-minute load average above 0.5 per allowed core. */
	PERFKIT_MACHINE_WARN_LOAD = 4,
	/** OMP_NUM_THREADS or BLIS_NUM_THREADS is set in the environment. */
	PERFKIT_MACHINE_WARN_THREADS_ENV = 5,
	/** Two or more allowed PUs are SMT siblings on one core. */
	PERFKIT_MACHINE_WARN_SMT = 6,
	/** No cpufreq in sysfs: governor and turbo state are unknown. */
	PERFKIT_MACHINE_WARN_NO_CPUFREQ = 7,
	/** The clock measurements spread by more than 10% around their
	 *  median: the core is shared or changing frequency. */
	PERFKIT_MACHINE_WARN_CLOCK_UNSTABLE = 8,
};

/**
 * @brief Short stable name of a warning code, e.g. "hypervisor".
 * @param code a perfkit_machine_warning
 * @return a static string (also the key suffix "warning.<name>");
 *         "unknown" for anything else
 */
const char *perfkit_machine_warning_name(enum perfkit_machine_warning code);

/**
 * @brief Number of warnings found when probing.
 * @param m the machine
 * @return the count; 0 for a NULL @p m
 */
size_t perfkit_machine_warning_count(const struct perfkit_machine *m);

/**
 * @brief One warning.
 * @param m the machine
 * @param i index, 0 to perfkit_machine_warning_count() - 1
 * @param[out] code the warning code (may be NULL)
 * @param[out] message a human explanation owned by @p m (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p m is NULL or @p i is out of range
 *
 * Thread-safe.
 */
int perfkit_machine_warning_get(const struct perfkit_machine *m, size_t i,
				enum perfkit_machine_warning *code,
				const char **message);

/** @name Export
 * The description as ordered (key, value) string pairs with stable dotted
 * keys ("cpu.vendor", "topology.cores", "cache.L1d.size",
 * "clock.measured_ghz", "peak.dp_gflops", "warning.hypervisor", ...), and as
 * JSON with one nested object per key component. Unknown values read
 * "unknown" or "not available". The key list is in docs/machine.md.
 * @{ */

/**
 * @brief Number of (key, value) pairs.
 * @param m the machine
 * @return the count; 0 for a NULL @p m
 */
size_t perfkit_machine_kv_count(const struct perfkit_machine *m);

/**
 * @brief One (key, value) pair, in a stable order.
 * @param m the machine
 * @param i index, 0 to perfkit_machine_kv_count() - 1
 * @param[out] key the dotted key, owned by @p m (may be NULL)
 * @param[out] value the value as text, owned by @p m (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p m is NULL or @p i is out of range
 *
 * Thread-safe.
 */
int perfkit_machine_kv_get(const struct perfkit_machine *m, size_t i,
			   const char **key, const char **value);

/**
 * @brief Look a value up by key.
 * @param m the machine
 * @param key a dotted key, e.g. "cpu.model"
 * @param[out] value the value as text, owned by @p m
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOENT no such key
 *
 * Thread-safe.
 */
int perfkit_machine_kv_find(const struct perfkit_machine *m, const char *key,
			    const char **value);

/**
 * @brief The description as a JSON object.
 * @param m the machine
 * @param[out] out a NUL-terminated JSON text; free it with free()
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOMEM out of memory
 *
 * Keys split at each '.' into nested objects; numeric values are JSON
 * numbers equal to the key/value text read with strtod(), the rest strings.
 * Thread-safe.
 */
int perfkit_machine_to_json(const struct perfkit_machine *m, char **out);

/** @} */

/** @brief What a logical index passed to the binding functions counts. */
enum perfkit_bind_target {
	/** A processing unit (hardware thread). */
	PERFKIT_BIND_PU = 0,
	/** A core: the thread may run on any of its allowed PUs. */
	PERFKIT_BIND_CORE = 1,
};

/**
 * @brief Bind the calling thread to one PU or core.
 * @param m the machine
 * @param what PU or core
 * @param index logical index of the PU or core (hwloc order)
 * @return 0 on success
 * @retval -EINVAL @p m is NULL, @p what is not a perfkit_bind_target, or
 *         @p index is out of range or not allowed to this process
 * @retval -EIO the operating system refused the binding
 *
 * Thread-safe (it changes only the calling thread's affinity).
 */
int perfkit_machine_bind_self(const struct perfkit_machine *m,
			      enum perfkit_bind_target what, unsigned index);

/**
 * @brief Bind another thread of this process to one PU or core.
 * @param m the machine
 * @param thread the thread
 * @param what PU or core
 * @param index logical index of the PU or core
 * @return 0 on success
 * @retval -EINVAL as for perfkit_machine_bind_self()
 * @retval -EIO the operating system refused the binding
 *
 * The thread moves the next time it is scheduled. Thread-safe.
 */
int perfkit_machine_bind_thread(const struct perfkit_machine *m, pthread_t thread,
				enum perfkit_bind_target what, unsigned index);

/**
 * @brief Where a thread may run: its PU set as logical indexes.
 * @param m the machine
 * @param thread the thread (pthread_self() for the caller)
 * @param[out] buf the set as a list, e.g. "0-3,8" (logical PU indexes)
 * @param len size of @p buf, bytes
 * @return 0 on success
 * @retval -EINVAL @p m or @p buf is NULL or @p len is 0
 * @retval -ERANGE @p buf is too small (it holds a truncated list)
 * @retval -EIO the operating system did not report the binding
 *
 * Thread-safe.
 */
int perfkit_machine_binding(const struct perfkit_machine *m, pthread_t thread,
			    char *buf, size_t len);

/**
 * @brief The PU the calling thread last ran on.
 * @param m the machine
 * @param[out] pu its logical index
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -EIO the operating system did not say
 *
 * The thread may have moved by the time this returns unless it is bound
 * to a single PU. Thread-safe.
 */
int perfkit_machine_last_pu(const struct perfkit_machine *m, unsigned *pu);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_MACHINE_H */
