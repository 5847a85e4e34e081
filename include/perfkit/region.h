/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/region.h
 * @brief Named profiling regions: calls, inclusive and exclusive time.
 */
#ifndef PERFKIT_REGION_H
#define PERFKIT_REGION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <perfkit/timer.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup region Profiling regions
 * @brief cProfile's tottime/cumtime for C: mark regions by name, get a table.
 *
 * @code
 * for (int i = 0; i < n; i++) {
 *	perfkit_region_begin("step");
 *	perfkit_region_begin("generate");
 *	generate(i);
 *	perfkit_region_end("generate");
 *	perfkit_region_begin("write");
 *	write_file(i);
 *	perfkit_region_end("write");
 *	perfkit_region_end("step");
 * }
 * perfkit_region_report(stderr);   // sorted by exclusive time
 * @endcode
 *
 * For each name the profile counts calls, inclusive time (from begin to end,
 * cProfile's cumtime) and exclusive time (inclusive minus the time spent in
 * regions opened inside it, cProfile's tottime). Regions nest: the end name
 * must match the innermost open region. Entries are kept per name, not per
 * call path; a name open inside itself (recursion) adds its inclusive time
 * only for the outermost occurrence, so exclusive <= inclusive always holds
 * and the exclusive times of all names add up to the time spent in
 * top-level regions.
 *
 * Threads: each thread records into its own profile without locks; a
 * snapshot (perfkit_region_snapshot_new()) merges, under a lock, the
 * profiles of all live threads and of every thread that has exited since
 * the last perfkit_region_reset() (a thread's profile is folded into a
 * process-wide table when it exits). Regions still open are not counted
 * until they end; regions left open when a thread exits are discarded.
 * See the guide page @ref profiling for the overhead and how it was
 * measured.
 * @{
 */

/** @brief Deepest nesting recorded per thread; deeper begins give -ERANGE. */
#define PERFKIT_REGION_MAX_DEPTH 128
/** @brief Longest region name, in bytes, without the terminating NUL. */
#define PERFKIT_REGION_NAME_MAX 255
/** @brief Most distinct names one thread can record (region names and
 *  argument keys together); more give -ERANGE. */
#define PERFKIT_REGION_MAX_NAMES 65536
/** @brief Most arguments (perfkit_region_arg()) one open region holds. */
#define PERFKIT_REGION_MAX_ARGS 4
/** @brief Largest trace budget perfkit_region_trace_start() accepts, in
 *  events (an event takes 24 bytes, and each of its arguments as much). */
#define PERFKIT_REGION_TRACE_MAX_EVENTS (1 << 26)
/** @brief The trace budget `PERFKIT_TRACE` uses unless
 *  `PERFKIT_TRACE_EVENTS` says otherwise (24 MiB). */
#define PERFKIT_REGION_TRACE_DEFAULT_EVENTS (1 << 20)

/**
 * @brief Open a region in the calling thread.
 * @param name the region's name: 1 to PERFKIT_REGION_NAME_MAX bytes, no
 *        control characters. Only read during the call: the library keeps
 *        its own copy, and remembers the pointer to make the next call with
 *        the same pointer cheap (the text is still compared, so a buffer
 *        whose content changes is handled correctly).
 * @return 0 on success
 * @retval -EINVAL @p name is NULL, empty, too long or has a control
 *         character; nothing is opened, so do not end it either
 * @retval -ERANGE the region is nested deeper than PERFKIT_REGION_MAX_DEPTH,
 *         inside such a region, or the thread already has
 *         PERFKIT_REGION_MAX_NAMES names: it is not recorded, but its end is
 *         still expected (and returns -ERANGE), so that nesting stays in step
 * @retval -ENOMEM out of memory (first use of a name or of a thread): like
 *         -ERANGE, the region is not recorded but its end is expected,
 *         except when the thread's profile itself could not be allocated
 *
 * Thread-safe; lock-free. The first call in a thread allocates its profile
 * and the first call with a name allocates its entry; later calls do not
 * allocate.
 */
int perfkit_region_begin(const char *name);

/**
 * @brief Close the innermost open region of the calling thread.
 * @param name must equal (by content) the name passed to the matching
 *        perfkit_region_begin()
 * @return 0 on success
 * @retval -EINVAL @p name is NULL or not a valid name, no region is open,
 *         or @p name is not the innermost open region; nothing is changed
 * @retval -ERANGE this ends a region whose begin was refused with -ERANGE
 *         or -ENOMEM: the nesting level is closed, nothing is recorded
 *
 * Thread-safe; lock-free.
 */
int perfkit_region_end(const char *name);

/**
 * @brief Number of regions open in the calling thread.
 * @return the open regions, counting those that were refused but still
 *         expect their end (0 when none).
 *
 * Thread-safe.
 */
int perfkit_region_depth(void);

/**
 * @brief Clear the counts of all threads.
 *
 * Threads keep their names and open regions; a region open during the reset
 * is counted in full when it ends. Profiles of exited threads are dropped.
 * Thread-safe (takes the profiles' lock; threads recording regions are not
 * stopped).
 */
void perfkit_region_reset(void);

/**
 * @brief The clock regions are timed with.
 * @return PERFKIT_CLOCK_TICKS where the tick counter is invariant (x86-64
 *         with the invariant-TSC flag, aarch64), else
 *         PERFKIT_CLOCK_MONOTONIC. Times are always reported in ns.
 *
 * The choice is made once per process. Setting the environment variable
 * `PERFKIT_REGION_CLOCK=monotonic` before the first region call forces the
 * monotonic clock (for machines whose tick counter is not trustworthy
 * despite the flag, such as VMs migrated between hosts).
 *
 * Thread-safe.
 */
enum perfkit_clock perfkit_region_clock(void);

/**
 * @brief Measure the cost of one begin/end pair in the calling thread.
 * @param[out] pair_ns median cost of a perfkit_region_begin() +
 *             perfkit_region_end() pair on a name already in use, ns
 * @return 0 on success
 * @retval -EINVAL @p pair_ns is NULL
 * @retval -ENOMEM out of memory
 *
 * Runs 31 batches of 1000 pairs on a private profile that no snapshot
 * sees, taking about 2 ms; the time does count in regions open in the
 * calling thread. Thread-safe.
 */
int perfkit_region_overhead(double *pair_ns);

/**
 * @brief Attach a number to the innermost open region, for the trace.
 * @param key 1 to #PERFKIT_REGION_NAME_MAX bytes without control
 *        characters; copied (it counts against #PERFKIT_REGION_MAX_NAMES)
 * @param value any number; NaN and infinities are written as null
 * @return 0 on success (setting a key again replaces its value)
 * @retval -EINVAL @p key is invalid, or no region is open
 * @retval -ERANGE the innermost region was refused (not recorded)
 * @retval -ENOSPC the region already has #PERFKIT_REGION_MAX_ARGS keys
 * @retval -ENOMEM out of memory (first use of a key in the thread)
 *
 * The arguments appear in the region's "B" event of the trace (its
 * "args" object), as viztracer shows a function's arguments; the profile
 * tables do not use them. Thread-safe; lock-free.
 */
int perfkit_region_arg(const char *key, double value);

/**
 * @brief Record every region that ends from now on into a trace.
 * @param max_events the budget: most events (plus argument slots) kept in
 *        memory, all threads together, 1 to
 *        #PERFKIT_REGION_TRACE_MAX_EVENTS. Memory is reserved in chunks of
 *        1024 slots (24 KiB) per thread as needed, so a thread may get
 *        less than the remainder of the budget.
 * @param min_duration_ns regions shorter than this are not traced, only
 *        counted as filtered (viztracer's `--min_duration`); 0 keeps all
 * @return 0 on success
 * @retval -EINVAL @p max_events is 0 or too large, or @p min_duration_ns
 *         is more than an hour
 *
 * The first call maps the budget's memory and writes it once, so that no
 * region waits for a page (tens of ms for the default budget in a VM), and
 * calibrates the tick rate. When the budget is spent, events are dropped
 * and counted: the file's
 * `otherData.dropped` says how many, and recording goes on (regions are
 * still profiled). Calling it again changes the budget and the minimum;
 * events already recorded are kept. Timestamps count from the first
 * call. Events are recorded when a region ends; regions still open when
 * the trace is written are written too, ending at that moment, marked
 * `"args":{"open":true}` in their "E" event. Thread-safe.
 *
 * Processes forked after the first call trace on their own: when a child
 * exits (exit(), or perfkit_region_trace_flush() before _exit()), it
 * leaves its events, from the fork on, in a spool folder
 * (`$TMPDIR/perfkit-trace.PID.N`), and perfkit_region_trace_write() in
 * this process merges them into its file, each with its own `pid`.
 *
 * The environment variable `PERFKIT_TRACE=out.json` starts tracing when
 * the program starts (a constructor; a program linked with libperfkit.a
 * gets it with perfkit_region_begin(), which reads the variable too) and
 * writes the file when the process exits (atexit),
 * with the events of the forked children that exited before it: budget
 * `PERFKIT_TRACE_EVENTS` (default #PERFKIT_REGION_TRACE_DEFAULT_EVENTS),
 * minimum `PERFKIT_TRACE_MIN_NS` (default 0). If the variables are
 * invalid or a file cannot be written, one line on stderr says so: the
 * only output the library makes on its own.
 */
int perfkit_region_trace_start(size_t max_events, uint64_t min_duration_ns);

/**
 * @brief Stop recording trace events; those recorded are kept.
 *
 * Thread-safe. Threads in the middle of an end may still add one event.
 */
void perfkit_region_trace_stop(void);

/**
 * @brief Counts of the trace so far.
 * @param[out] events events held in memory (may be NULL)
 * @param[out] dropped events lost because the budget was spent or memory
 *             was short (may be NULL)
 * @param[out] filtered regions shorter than the minimum (may be NULL)
 * @return 0 on success
 * @retval -EINVAL all three are NULL
 *
 * Thread-safe.
 */
int perfkit_region_trace_counts(uint64_t *events, uint64_t *dropped,
				uint64_t *filtered);

/**
 * @brief Write the trace as a Chrome Trace Event JSON file.
 * @param path the file; written to a temporary file beside it and renamed
 *        over it, so a reader never sees half a file
 * @return 0 on success
 * @retval -EINVAL @p path is NULL or empty
 * @retval -ENOMEM out of memory
 * @retval "-errno" the file could not be created, written or renamed
 *         (e.g. -ENOENT, -EACCES, -EISDIR for a folder); the message
 *         names the path
 *
 * The file loads in ui.perfetto.dev, chrome://tracing (older Chrome) and
 * viztracer's vizviewer: `{"traceEvents": [...], "displayTimeUnit": "ns",
 * "otherData": {...}}`, with a "process_name" and a "thread_name"
 * metadata event, then each thread's regions as "B"/"E" pairs (`ts` in
 * µs from perfkit_region_trace_start(), `tid` the kernel's thread id,
 * `cat` "region", arguments in the B event's `args`), properly nested:
 * every B has its E. Regions still open end at the time of writing (for
 * a thread that exited, at its exit), with `"args":{"open":true}` in
 * their E event. In the process that started tracing, the events of its
 * forked children that have exited follow, with their pids. `otherData`
 * holds the producer, the clock, the counts of
 * perfkit_region_trace_counts() (with the children's), the budget (0
 * before any start), the minimum, `open` (regions written open) and
 * `processes`. Threads that exited are included. Works whether tracing is
 * on or off; nothing is cleared. Thread-safe: it holds the profiles' lock
 * while it writes, so snapshots and exiting threads wait. Open regions of
 * other threads that are running are read as they are at that moment; a
 * region that begins or ends while the file is written may be left out.
 */
int perfkit_region_trace_write(const char *path);

/**
 * @brief Write this process's share of the trace now, as its exit would.
 * @return 0 on success, or when there is nothing to write
 * @retval -ENAMETOOLONG `TMPDIR` is too long for the spool folder
 * @retval -EPERM the spool folder exists but is not this user's folder
 * @retval "-errno" the file could not be written (as
 *         perfkit_region_trace_write())
 *
 * In a process forked from the one that started tracing: writes its
 * events (those recorded since the fork, and its regions still open) to
 * the spool, where perfkit_region_trace_write() in the tracing process
 * finds them. exit() does this by itself; call it before _exit(), which
 * runs no exit handlers (the harness's worker processes do). A child
 * with no event and no open region writes nothing. In the process
 * started with `PERFKIT_TRACE`: writes that file now (exit writes it
 * again). Otherwise does nothing. Not async-signal-safe.
 */
int perfkit_region_trace_flush(void);

/** @brief Which profiles a snapshot merges. */
enum perfkit_region_scope {
	/** Every live thread, and every thread exited since the last reset. */
	PERFKIT_REGION_ALL_THREADS = 0,
	/** Only the calling thread. */
	PERFKIT_REGION_CALLING_THREAD = 1,
};

/**
 * @brief One name's figures in a snapshot.
 *
 * Owned by the snapshot. Later versions may add fields at the end: read
 * entries through perfkit_region_snapshot_entry(), never by indexing an
 * array of them.
 */
struct perfkit_region_entry {
	/** The region's name. */
	const char *name;
	/** Completed begin/end pairs. */
	uint64_t calls;
	/** Time from begin to end, summed over calls (outermost only when the
	 *  name nests inside itself), ns. */
	uint64_t inclusive_ns;
	/** Inclusive time minus the time in regions nested inside, ns. */
	uint64_t exclusive_ns;
	/** Number of threads whose profiles have this name. */
	uint32_t threads;
};

/**
 * @brief Calls of one name opened directly inside another (cProfile's
 *        callers and callees).
 *
 * Owned by the snapshot; read through perfkit_region_snapshot_edge().
 * The calls and times of a name's edges add up to its entry's.
 */
struct perfkit_region_edge {
	/** The enclosing region's name; NULL for calls at the top level. */
	const char *caller;
	/** The region's name. */
	const char *callee;
	/** Completed calls of @c callee inside @c caller. */
	uint64_t calls;
	/** Inclusive time of those calls, ns (same recursion rule as the
	 *  entry's). */
	uint64_t inclusive_ns;
	/** Exclusive time of those calls, ns. */
	uint64_t exclusive_ns;
	/** Number of threads whose profiles have this pair. */
	uint32_t threads;
};

/** @brief Orders of the profile report (cProfile's `-s`). */
enum perfkit_region_sort {
	/** Exclusive time, largest first. */
	PERFKIT_REGION_SORT_TOTTIME = 0,
	/** Inclusive time, largest first. */
	PERFKIT_REGION_SORT_CUMTIME = 1,
	/** Calls, most first. */
	PERFKIT_REGION_SORT_CALLS = 2,
	/** Name, in byte order. */
	PERFKIT_REGION_SORT_NAME = 3,
};

/**
 * @brief The word of a sort order.
 * @param sort the order
 * @return "tottime", "cumtime", "calls" or "name"; NULL for an unknown
 *         value
 */
const char *perfkit_region_sort_name(enum perfkit_region_sort sort);

/**
 * @brief Parse a sort order's word.
 * @param word "tottime", "cumtime", "calls" or "name"
 * @param[out] sort the order
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or @p word is not one of those
 */
int perfkit_region_sort_parse(const char *word, enum perfkit_region_sort *sort);

/**
 * @brief Merged profile figures; opaque, from perfkit_region_snapshot_new().
 *
 * A snapshot does not change once taken: its accessors may be called from
 * several threads at once. Destroy it once, from one thread.
 */
struct perfkit_region_snapshot;

/**
 * @brief Take a snapshot of the profiles, merged by name.
 * @param scope which threads' profiles to merge
 * @param[out] out the snapshot; set to NULL on failure
 * @return 0 on success
 * @retval -EINVAL @p out is NULL or @p scope is not a perfkit_region_scope
 * @retval -ENOMEM out of memory
 *
 * Entries are sorted by exclusive time, largest first (ties by name).
 * Names with no completed call since the last reset are left out.
 * Thread-safe: other threads may keep recording while the snapshot is
 * taken; each of their counts is read atomically, but the fields of one
 * entry may come from moments a few instructions apart.
 */
int perfkit_region_snapshot_new(enum perfkit_region_scope scope,
				struct perfkit_region_snapshot **out);

/**
 * @brief Free a snapshot and its entries.
 * @param snap the snapshot; NULL is allowed and does nothing
 */
void perfkit_region_snapshot_destroy(struct perfkit_region_snapshot *snap);

/**
 * @brief Number of entries (names) in a snapshot.
 * @param snap the snapshot
 * @param[out] count the number of entries
 * @return 0 on success
 * @retval -EINVAL @p snap or @p count is NULL
 */
int perfkit_region_snapshot_count(const struct perfkit_region_snapshot *snap,
				  size_t *count);

/**
 * @brief One entry of a snapshot.
 * @param snap the snapshot
 * @param index 0 for the entry with the most exclusive time
 * @param[out] entry points to the entry, valid until the snapshot is
 *             destroyed
 * @return 0 on success
 * @retval -EINVAL @p snap or @p entry is NULL, or @p index is not below the
 *         entry count
 */
int perfkit_region_snapshot_entry(const struct perfkit_region_snapshot *snap,
				  size_t index,
				  const struct perfkit_region_entry **entry);

/**
 * @brief Total time in regions: the sum of the entries' exclusive times.
 * @param snap the snapshot
 * @param[out] total_ns the sum, ns; the base of the report's percentages
 * @return 0 on success
 * @retval -EINVAL @p snap or @p total_ns is NULL
 */
int perfkit_region_snapshot_total(const struct perfkit_region_snapshot *snap,
				  uint64_t *total_ns);

/**
 * @brief Number of thread profiles that contributed to a snapshot.
 * @param snap the snapshot
 * @param[out] threads threads with at least one completed call
 * @return 0 on success
 * @retval -EINVAL @p snap or @p threads is NULL
 */
int perfkit_region_snapshot_threads(const struct perfkit_region_snapshot *snap,
				    size_t *threads);

/**
 * @brief Number of regions refused (-ERANGE, -ENOMEM) since the last reset.
 * @param snap the snapshot
 * @param[out] dropped begin calls that were not recorded
 * @return 0 on success
 * @retval -EINVAL @p snap or @p dropped is NULL
 */
int perfkit_region_snapshot_dropped(const struct perfkit_region_snapshot *snap,
				    uint64_t *dropped);

/**
 * @brief Write a snapshot as a table sorted by exclusive time.
 * @param snap the snapshot
 * @param f an open stream
 * @return 0 on success
 * @retval -EINVAL @p snap or @p f is NULL
 * @retval -EIO writing failed
 *
 * Lines starting with '#' are comments: a summary, then the column names.
 * Each other line is one entry: calls, exclusive ms, % of the total,
 * inclusive ms, exclusive and inclusive µs per call, and the name (last, so
 * it may hold spaces):
 * @verbatim
# perfkit regions (all threads): 2 names, 1 thread, 200 calls, total 3.250000 ms, clock ticks, dropped 0
#    calls      excl_ms  excl_%      incl_ms  excl/call_us  incl/call_us  name
       100     2.500000   76.92     3.250000        25.000        32.500  step
       100     0.750000   23.08     0.750000         7.500         7.500  write
@endverbatim
 */
int perfkit_region_snapshot_print(const struct perfkit_region_snapshot *snap,
				  FILE *f);

/**
 * @brief Number of caller-callee pairs in a snapshot.
 * @param snap the snapshot
 * @param[out] count the number of edges
 * @return 0 on success
 * @retval -EINVAL @p snap or @p count is NULL
 */
int perfkit_region_snapshot_edge_count(const struct perfkit_region_snapshot *snap,
				       size_t *count);

/**
 * @brief One caller-callee pair of a snapshot.
 * @param snap the snapshot
 * @param index 0 to the edge count - 1; edges are sorted by callee, then
 *        caller (the top level first)
 * @param[out] edge points to the edge, valid until the snapshot is
 *             destroyed
 * @return 0 on success
 * @retval -EINVAL @p snap or @p edge is NULL, or @p index is out of range
 */
int perfkit_region_snapshot_edge(const struct perfkit_region_snapshot *snap,
				 size_t index,
				 const struct perfkit_region_edge **edge);

/**
 * @brief The entries' indices in another order.
 * @param snap the snapshot
 * @param sort the order; ties go by name
 * @param[out] index @p n indices for perfkit_region_snapshot_entry()
 * @param n the snapshot's entry count
 * @return 0 on success
 * @retval -EINVAL @p snap or @p index is NULL, @p sort is unknown, or
 *         @p n is not the entry count
 * @retval -ENOMEM out of memory
 */
int perfkit_region_snapshot_order(const struct perfkit_region_snapshot *snap,
				  enum perfkit_region_sort sort,
				  size_t *index, size_t n);

/**
 * @brief Write cProfile's report: the table in the chosen order, then
 *        each name's callers and callees.
 * @param snap the snapshot
 * @param sort the order of the table and of the callers section
 * @param f an open stream
 * @return 0 on success
 * @retval -EINVAL @p snap or @p f is NULL, or @p sort is unknown
 * @retval -ENOMEM out of memory
 * @retval -EIO writing failed
 *
 * Times in seconds, per-call times in µs. In the second part, each name
 * is followed by one "<-" line per caller and one "->" line per callee:
 * calls, exclusive and inclusive seconds of the callee under that
 * caller, and the other name ("(top level)" for none):
 * @verbatim
# perfkit profile (all threads): 3 names, 1 thread, 300 calls, total 0.783587 s, sorted by tottime, clock ticks, dropped 0
#    ncalls   tottime_s  percall_us   cumtime_s  percall_us  name
        100    0.737319    7373.188    0.737319    7373.188  savetxt
        100    0.046203     462.032    0.046203     462.032  generate_data
        100    0.000065       0.651    0.783587    7835.871  write_data
#
# callers (<-) and callees (->) of each name: ncalls, tottime_s and cumtime_s of the callee under that caller
  savetxt
  <-        100    0.737319    0.737319  write_data
  ...
@endverbatim
 */
int perfkit_region_snapshot_print_profile(const struct perfkit_region_snapshot *snap,
					  enum perfkit_region_sort sort,
					  FILE *f);

/**
 * @brief Snapshot all threads and print the table in one call.
 * @param f an open stream
 * @return 0 on success
 * @retval -EINVAL @p f is NULL
 * @retval -ENOMEM out of memory
 * @retval -EIO writing failed
 *
 * Thread-safe.
 */
int perfkit_region_report(FILE *f);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_REGION_H */
