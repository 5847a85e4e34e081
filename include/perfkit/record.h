/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/record.h
 * @brief Result records and result sets: what each worker measured, with the
 *        run's metadata, written to and read back from CSV, JSON and JSON
 *        Lines.
 */
#ifndef PERFKIT_RECORD_H
#define PERFKIT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup record Result records
 * @brief One struct perfkit_record per measurement (a worker, a rank, a
 *        repetition), collected with the run's metadata in an opaque
 *        struct perfkit_results.
 *
 * Every time is in seconds, every timestamp in seconds from the result
 * set's epoch (perfkit_results_epoch_ns(), a Unix time), so that records of
 * one run share one time axis. Work counts are totals over all repetitions.
 * See @ref results "the results guide" for each file format.
 *
 * @code
 * struct perfkit_results *res;
 * struct perfkit_record rec;
 *
 * if (perfkit_results_new(&res) == 0) {
 *	perfkit_record_init(&rec);
 *	perfkit_record_set_name(&rec, "triad");
 *	rec.worker = 0;
 *	rec.repetitions = 10;
 *	rec.elapsed = 0.25;
 *	rec.bytes = 2.4e9;
 *	perfkit_results_append(res, &rec);
 *	if (perfkit_results_write(res, "triad.json", PERFKIT_FORMAT_AUTO) != 0)
 *		fprintf(stderr, "%s\n", perfkit_last_error());
 *	perfkit_results_destroy(res);
 * }
 * @endcode
 *
 * Threads: a record is plain data. A result set is not thread-safe: one
 * thread at a time may change it; concurrent readers are fine while nobody
 * changes it. A stream (struct perfkit_results_stream) belongs to one
 * thread at a time.
 * @{
 */

/** @brief Layout version of struct perfkit_record this header describes. */
#define PERFKIT_RECORD_VERSION 1

/** @brief Longest record name, in bytes, without the NUL. */
#define PERFKIT_RECORD_NAME_MAX 63
/** @brief Longest host name, in bytes, without the NUL. */
#define PERFKIT_RECORD_HOST_MAX 63
/** @brief Most user parameters one record holds. */
#define PERFKIT_RECORD_PARAMS_MAX 4
/** @brief Longest parameter key, in bytes, without the NUL. */
#define PERFKIT_RECORD_PARAM_KEY_MAX 23
/** @brief Longest parameter value, in bytes, without the NUL. */
#define PERFKIT_RECORD_PARAM_VALUE_MAX 39

/** @brief A user parameter of a record: a key and its value, as text. */
struct perfkit_record_param {
	/** Key: 1 to #PERFKIT_RECORD_PARAM_KEY_MAX bytes, NUL-terminated. */
	char key[PERFKIT_RECORD_PARAM_KEY_MAX + 1];
	/** Value: up to #PERFKIT_RECORD_PARAM_VALUE_MAX bytes,
	 *  NUL-terminated. */
	char value[PERFKIT_RECORD_PARAM_VALUE_MAX + 1];
};

/**
 * @brief One measurement: who ran what, where, when, and how much work.
 *
 * Public and versioned: fields are only ever added at the end, and
 * @c version / @c size say which layout a record has. Start every record
 * with perfkit_record_init(). Timestamps a measurement did not take are NaN.
 * Names are UTF-8 and may hold any byte but NUL (commas, quotes, newlines):
 * the writers quote them.
 */
struct perfkit_record {
	/** #PERFKIT_RECORD_VERSION of the code that filled the record. */
	uint32_t version;
	/** sizeof(struct perfkit_record) as that code knew it. */
	uint32_t size;
	/** Name or kernel label, NUL-terminated (e.g. "dgemm"). */
	char name[PERFKIT_RECORD_NAME_MAX + 1];
	/** Host the measurement ran on, NUL-terminated; "" if unknown. */
	char host[PERFKIT_RECORD_HOST_MAX + 1];
	/** Worker index within its run, from 0; -1 if not a worker. */
	int32_t worker;
	/** MPI rank; -1 outside MPI. */
	int32_t rank;
	/** Logical PU (hwloc index) the worker ran on at the end; -1 if
	 *  unknown. */
	int32_t cpu;
	/** 0, or the negative errno the measurement failed with. */
	int32_t status;
	/** Seconds from the epoch: the work was handed to the worker. */
	double t_submit;
	/** Seconds from the epoch: the worker started. */
	double t_start;
	/** Seconds from the epoch: the worker's setup (allocation,
	 *  first touch) was done and the timed work began. */
	double t_setup;
	/** Seconds from the epoch: the timed work ended. */
	double t_end;
	/** Seconds from the epoch: the caller collected the result. */
	double t_collected;
	/** Times the work was repeated (the pywren notebook's `loopcount`). */
	uint64_t repetitions;
	/** Problem size in the kernel's own unit (matrix order, elements);
	 *  0 if none. */
	int64_t problem_size;
	/** Floating-point operations, all repetitions together. */
	double flops;
	/** Bytes moved to or from memory, all repetitions together. */
	double bytes;
	/** Items processed (samples, messages, ...), all repetitions
	 *  together. */
	double items;
	/** Seconds of the timed work (normally t_end − t_setup, measured
	 *  with the monotonic clock). */
	double elapsed;
	/** Number of entries of @c params in use, 0 to
	 *  #PERFKIT_RECORD_PARAMS_MAX. */
	uint32_t nparams;
	/** User parameters, in the order they were set. */
	struct perfkit_record_param params[PERFKIT_RECORD_PARAMS_MAX];
};

/**
 * @brief Reset a record: version and size set, numbers 0, indices -1,
 *        timestamps NaN, names and parameters empty.
 * @param rec the record
 * @return 0 on success
 * @retval -EINVAL @p rec is NULL
 */
int perfkit_record_init(struct perfkit_record *rec);

/**
 * @brief Set the name (copied).
 * @param rec the record
 * @param name any UTF-8 text, at most #PERFKIT_RECORD_NAME_MAX bytes
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ERANGE @p name is too long (the record is unchanged)
 */
int perfkit_record_set_name(struct perfkit_record *rec, const char *name);

/**
 * @brief Set the host name (copied).
 * @param rec the record
 * @param host the host name, at most #PERFKIT_RECORD_HOST_MAX bytes
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ERANGE @p host is too long (the record is unchanged)
 */
int perfkit_record_set_host(struct perfkit_record *rec, const char *host);

/**
 * @brief Set a user parameter, replacing the value of an existing key.
 * @param rec the record
 * @param key 1 to #PERFKIT_RECORD_PARAM_KEY_MAX bytes; not the name of a
 *        record field (e.g. "name", "flops")
 * @param value at most #PERFKIT_RECORD_PARAM_VALUE_MAX bytes
 * @return 0 on success
 * @retval -EINVAL an argument is NULL, @p key is empty or names a field
 * @retval -ERANGE @p key or @p value is too long
 * @retval -ENOSPC the record already holds #PERFKIT_RECORD_PARAMS_MAX keys
 */
int perfkit_record_set_param(struct perfkit_record *rec, const char *key,
			     const char *value);

/**
 * @brief Look a user parameter up.
 * @param rec the record
 * @param key the key
 * @param[out] value points into @p rec
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOENT no such key
 */
int perfkit_record_get_param(const struct perfkit_record *rec, const char *key,
			     const char **value);

/** @brief Derived columns of a record (perfkit_record_derive()). */
enum perfkit_record_metric {
	/** flops / elapsed / 1e9. */
	PERFKIT_METRIC_GFLOPS = 0,
	/** bytes / elapsed / 1e9. */
	PERFKIT_METRIC_GBPS = 1,
	/** items / elapsed. */
	PERFKIT_METRIC_ITEMS_PER_S = 2,
	/** flops / bytes (arithmetic intensity, flops per byte). */
	PERFKIT_METRIC_INTENSITY = 3,
};

/**
 * @brief Compute a derived column.
 * @param rec the record
 * @param metric which one
 * @param[out] value the figure
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or @p metric is unknown
 * @retval -EDOM the divisor is zero, negative or not finite, the
 *         dividend is not finite (NaN: not measured), or the record's
 *         status is an error
 */
int perfkit_record_derive(const struct perfkit_record *rec,
			  enum perfkit_record_metric metric, double *value);

/** @brief An ordered set of records with the run's metadata (opaque). */
struct perfkit_results;

/**
 * @brief Create an empty result set.
 * @param[out] out the set; free it with perfkit_results_destroy()
 * @return 0 on success
 * @retval -EINVAL @p out is NULL
 * @retval -ENOMEM out of memory
 *
 * The set's epoch is now (perfkit_results_epoch_ns()); its metadata holds
 * "date" (UTC, ISO 8601) and "perfkit.version".
 */
int perfkit_results_new(struct perfkit_results **out);

/**
 * @brief Free a result set. NULL-safe.
 * @param res the set
 */
void perfkit_results_destroy(struct perfkit_results *res);

/**
 * @brief The epoch of the set's timestamps.
 * @param res the set
 * @return nanoseconds since the Unix epoch (CLOCK_REALTIME at
 *         perfkit_results_new(), or as read from a file); 0 if @p res is
 *         NULL
 */
int64_t perfkit_results_epoch_ns(const struct perfkit_results *res);

/**
 * @brief Set the epoch of the set's timestamps.
 * @param res the set
 * @param unix_ns nanoseconds since the Unix epoch
 * @return 0 on success
 * @retval -EINVAL @p res is NULL or @p unix_ns is negative
 */
int perfkit_results_set_epoch_ns(struct perfkit_results *res, int64_t unix_ns);

/**
 * @brief Append a copy of a record.
 * @param res the set
 * @param rec the record (any version; unknown newer fields are dropped)
 * @return 0 on success
 * @retval -EINVAL an argument is NULL, or the record's @c version or
 *         @c size is 0, or @c nparams is too large, or a text member
 *         lacks its NUL, or a parameter key is empty, a field name or
 *         repeated, or @c elapsed is negative (a duration; NaN is
 *         allowed): what the readers refuse, a set does not take
 *
 * A record whose @c size is smaller than this header's (built against an
 * older one) is copied up to its size; the later fields keep the
 * perfkit_record_init() defaults. The stored copy has the current
 * @c version and @c size.
 * @retval -ENOMEM out of memory (the set is unchanged)
 */
int perfkit_results_append(struct perfkit_results *res,
			   const struct perfkit_record *rec);

/**
 * @brief Number of records.
 * @param res the set
 * @return the count; 0 if @p res is NULL
 */
size_t perfkit_results_count(const struct perfkit_results *res);

/**
 * @brief A record by position.
 * @param res the set
 * @param i 0 to perfkit_results_count() - 1
 * @param[out] rec points into the set; valid until the set next changes
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or @p i is out of range
 */
int perfkit_results_get(const struct perfkit_results *res, size_t i,
			const struct perfkit_record **rec);

/**
 * @brief Call @p fn for each record in order; stop at its first non-zero
 *        return.
 * @param res the set
 * @param fn called with each record and @p userdata
 * @param userdata passed through
 * @return 0 when every call returned 0, else what @p fn returned
 * @retval -EINVAL @p res or @p fn is NULL
 */
int perfkit_results_foreach(const struct perfkit_results *res,
			    int (*fn)(const struct perfkit_record *rec,
				      void *userdata),
			    void *userdata);

/**
 * @brief A record's value for a key, as text: a field name ("name",
 *        "host", "worker", "rank", "cpu", "status", "t_submit", "t_start",
 *        "t_setup", "t_end", "t_collected", "repetitions", "problem_size",
 *        "flops", "bytes", "items", "elapsed"), else a user parameter,
 *        else an extra column kept from a file.
 * @param res the set
 * @param i record index
 * @param key the key
 * @param[out] buf the value as written to files (numbers with enough
 *        digits to round-trip)
 * @param len size of @p buf
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or @p i is out of range
 * @retval -ENOENT the record has no such key
 * @retval -ERANGE @p buf is too small
 */
int perfkit_results_value(const struct perfkit_results *res, size_t i,
			  const char *key, char *buf, size_t len);

/**
 * @brief A new set holding the records whose value for @p key
 *        (perfkit_results_value()) equals @p value, with the same metadata.
 * @param res the set
 * @param key the key
 * @param value the text to match exactly
 * @param[out] out the new set (possibly empty)
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOMEM out of memory
 */
int perfkit_results_filter(const struct perfkit_results *res, const char *key,
			   const char *value, struct perfkit_results **out);

/**
 * @brief Sort the records in place (stable) by a key: numerically for
 *        numeric fields, else as text; records without the key go last.
 * @param res the set
 * @param key as for perfkit_results_value()
 * @param descending non-zero for largest first
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOMEM out of memory (the order is unchanged)
 */
int perfkit_results_sort(struct perfkit_results *res, const char *key,
			 int descending);

/**
 * @brief Set a metadata key (copied), replacing an existing value.
 * @param res the set
 * @param key non-empty text; keys starting "machine." are the machine
 *        description (perfkit_results_set_machine())
 * @param value any text
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or @p key is empty
 * @retval -ENOMEM out of memory
 */
int perfkit_results_meta_set(struct perfkit_results *res, const char *key,
			     const char *value);

/**
 * @brief Look a metadata key up.
 * @param res the set
 * @param key the key
 * @param[out] value owned by the set; valid until the key is set again or
 *        the set is destroyed
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOENT no such key
 */
int perfkit_results_meta_get(const struct perfkit_results *res,
			     const char *key, const char **value);

/**
 * @brief Number of metadata keys.
 * @param res the set
 * @return the count; 0 if @p res is NULL
 */
size_t perfkit_results_meta_count(const struct perfkit_results *res);

/**
 * @brief A metadata pair by position (the order keys were first set).
 * @param res the set
 * @param i 0 to perfkit_results_meta_count() - 1
 * @param[out] key owned by the set (may be NULL)
 * @param[out] value owned by the set (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p res is NULL or @p i is out of range
 */
int perfkit_results_meta_at(const struct perfkit_results *res, size_t i,
			    const char **key, const char **value);

struct perfkit_machine;

/**
 * @brief Copy a machine description into the metadata, each key prefixed
 *        "machine." (see perfkit_machine_kv_get()).
 * @param res the set
 * @param m from perfkit_machine_probe()
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOMEM out of memory
 */
int perfkit_results_set_machine(struct perfkit_results *res,
				const struct perfkit_machine *m);

/**
 * @brief Record the command line in the metadata key "command", each
 *        argument shell-quoted where needed.
 * @param res the set
 * @param argc number of arguments
 * @param argv the arguments
 * @return 0 on success
 * @retval -EINVAL @p res or @p argv is NULL, an argument is NULL, or
 *         @p argc < 0
 * @retval -ENOMEM out of memory
 *
 * An argument holding anything outside <tt>[A-Za-z0-9_\@\%+=:,./-]</tt>
 * is put in single quotes (an embedded quote becomes <tt>'\\''</tt>), an
 * empty one is written <tt>''</tt>, so the text can be pasted back into a
 * POSIX shell.
 * @p argc 0 records an empty command.
 */
int perfkit_results_set_command(struct perfkit_results *res, int argc,
				const char *const *argv);

/**
 * @brief Number of extra columns record @p i carries: keys a file held
 *        that are neither fields nor parameters, kept so a rewrite loses
 *        nothing.
 * @param res the set
 * @param i record index
 * @return the count; 0 if an argument is invalid
 */
size_t perfkit_results_extra_count(const struct perfkit_results *res,
				   size_t i);

/**
 * @brief An extra column of record @p i.
 * @param res the set
 * @param i record index
 * @param j 0 to perfkit_results_extra_count() - 1
 * @param[out] key owned by the set (may be NULL)
 * @param[out] value owned by the set, as text (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p res is NULL or an index is out of range
 */
int perfkit_results_extra_get(const struct perfkit_results *res, size_t i,
			      size_t j, const char **key, const char **value);

/**
 * @brief Add an extra column to record @p i (replacing one with that key).
 * @param res the set
 * @param i record index
 * @param key not a field or parameter key of the record, nor "params"
 *        or a key starting "param." (the files use those for parameters)
 * @param value any text
 * @return 0 on success
 * @retval -EINVAL an argument is NULL, @p i is out of range, or @p key
 *         is empty, a field or parameter key, or reserved
 * @retval -ENOMEM out of memory
 */
int perfkit_results_extra_set(struct perfkit_results *res, size_t i,
			      const char *key, const char *value);

/** @brief File formats of result sets. */
enum perfkit_format {
	/** Choose by the file name: ".csv", ".json", ".jsonl" or
	 *  ".ndjson". */
	PERFKIT_FORMAT_AUTO = 0,
	/** CSV: `# key=value` metadata lines, a header row, one row per
	 *  record. */
	PERFKIT_FORMAT_CSV = 1,
	/** One JSON document: schema, version, meta, machine, records. */
	PERFKIT_FORMAT_JSON = 2,
	/** JSON Lines: a header object, then one object per record. */
	PERFKIT_FORMAT_JSONL = 3,
	/** Google Benchmark's JSON (`--benchmark_out=FILE`): one record per
	 *  repetition, aggregates skipped. Read only. With
	 *  #PERFKIT_FORMAT_AUTO a ".json" file is read as this when its top
	 *  object has "benchmarks" and no "schema". */
	PERFKIT_FORMAT_GBENCH = 4,
	/** hyperfine's `--export-json FILE`: one record per run. Read only.
	 *  With #PERFKIT_FORMAT_AUTO a ".json" file is read as this when its
	 *  top object has "results" and no "schema". */
	PERFKIT_FORMAT_HYPERFINE = 5,
};

/** @brief Schema name written to JSON and JSON Lines files. */
#define PERFKIT_RESULTS_SCHEMA "perfkit-results"
/** @brief Schema version written; readers refuse a newer major one. */
#define PERFKIT_RESULTS_SCHEMA_VERSION 1

/**
 * @brief The format a file name implies.
 * @param path the file name
 * @param[out] format the format
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOTSUP the extension is none of the known ones
 */
int perfkit_format_from_path(const char *path, enum perfkit_format *format);

/**
 * @brief Write a result set to a file atomically: a temporary file in the
 *        same folder, fsync, rename. On failure the old file, if any, is
 *        untouched and no temporary file is left.
 * @param res the set
 * @param path the destination
 * @param format the format, or #PERFKIT_FORMAT_AUTO
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or the format is unknown
 * @retval -ENOTSUP #PERFKIT_FORMAT_AUTO and an unknown extension, or a
 *         format that is only read (#PERFKIT_FORMAT_GBENCH,
 *         #PERFKIT_FORMAT_HYPERFINE)
 * @retval -EIO the file could not be written (message names it)
 * @retval -ENOMEM out of memory
 */
int perfkit_results_write(const struct perfkit_results *res, const char *path,
			  enum perfkit_format format);

/**
 * @brief Read a result set from a file.
 * @param path the file
 * @param format the format, or #PERFKIT_FORMAT_AUTO
 * @param[out] out the set; free it with perfkit_results_destroy()
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or the format is unknown
 * @retval -ENOTSUP #PERFKIT_FORMAT_AUTO and an unknown extension, or the
 *         path is a FIFO, a device or a socket: only regular files are
 *         read (a FIFO could block for ever, a device never end); read
 *         such input into memory and call perfkit_results_parse()
 * @retval -ENOENT, -EIO the file could not be read (-EIO: a folder)
 * @retval -EBADMSG malformed input; perfkit_last_error() names the line
 *         and column (and, for Google Benchmark and hyperfine files, the
 *         JSON path of the wrong value, e.g. `results[0].times[3]`)
 * @retval -ENOMEM out of memory
 *
 * With #PERFKIT_FORMAT_AUTO a ".json" file is a perfkit JSON document, a
 * Google Benchmark file or a hyperfine file, told apart by its top-level
 * keys (see #PERFKIT_FORMAT_GBENCH).
 */
int perfkit_results_read(const char *path, enum perfkit_format format,
			 struct perfkit_results **out);

/**
 * @brief Serialise a result set to memory.
 * @param res the set
 * @param format #PERFKIT_FORMAT_CSV, _JSON or _JSONL
 * @param[out] data NUL-terminated text; free it with free()
 * @param[out] len its length without the NUL (may be NULL)
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or the format is not concrete
 * @retval -ENOTSUP a format that is only read
 * @retval -ENOMEM out of memory
 */
int perfkit_results_format(const struct perfkit_results *res,
			   enum perfkit_format format, char **data,
			   size_t *len);

/**
 * @brief Parse a result set from memory.
 * @param data the bytes (need not be NUL-terminated; may hold NULs, which
 *        are malformed)
 * @param len their number
 * @param format #PERFKIT_FORMAT_CSV, _JSON, _JSONL, _GBENCH or
 *        _HYPERFINE
 * @param[out] out the set
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or the format is not concrete
 * @retval -EBADMSG malformed input; perfkit_last_error() names the line
 *         and column
 * @retval -ENOMEM out of memory
 */
int perfkit_results_parse(const char *data, size_t len,
			  enum perfkit_format format,
			  struct perfkit_results **out);

/** @brief A JSON Lines file written as records arrive (opaque). */
struct perfkit_results_stream;

/**
 * @brief Open a JSON Lines file for writing as a run goes: the header line
 *        (schema, epoch, the metadata of @p res) is written and fsynced at
 *        once, and every record after it, so a crash loses nothing already
 *        written.
 * @param path the file; created or truncated
 * @param res whose metadata and epoch go in the header (its records are
 *        written too); may be NULL for an empty header with the current
 *        time as epoch
 * @param[out] out the stream
 * @return 0 on success
 * @retval -EINVAL @p path or @p out is NULL
 * @retval -EIO the file could not be created or written
 * @retval -ENOMEM out of memory
 */
int perfkit_results_stream_open(const char *path,
				const struct perfkit_results *res,
				struct perfkit_results_stream **out);

/**
 * @brief Write one record as a line, then flush and fsync.
 * @param stream the stream
 * @param rec the record
 * @return 0 on success
 * @retval -EINVAL an argument is NULL or the record is invalid
 * @retval -EIO writing failed (the stream stays usable for close)
 */
int perfkit_results_stream_write(struct perfkit_results_stream *stream,
				 const struct perfkit_record *rec);

/**
 * @brief Close the stream. NULL-safe.
 * @param stream the stream
 * @return 0 on success
 * @retval -EIO the final close failed
 */
int perfkit_results_stream_close(struct perfkit_results_stream *stream);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_RECORD_H */
