/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/columns.h
 * @brief A result set as columns: one array per field, parameter and
 *        extra column, read from a file without building its records.
 */
#ifndef PERFKIT_COLUMNS_H
#define PERFKIT_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#include <perfkit/record.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup columns Result sets as columns
 * @brief One array per field, parameter and extra column of a result set.
 *
 * A record is 504 bytes (the fixed-size struct perfkit_record); a million
 * of them are half a gigabyte before a data frame is made of them. The
 * columns of the same records hold only what is used: 4 or 8 bytes per
 * number, and 4 per text value, which is a code into the column's
 * distinct values (name, host, parameter values and extra columns
 * repeat). perfkit_columns_read() streams CSV and JSON Lines files: the
 * records pass through a small batch, and the file is read a window at a
 * time. The arrays are what numpy, pandas or Arrow take without
 * conversion: the Python package builds its DataFrames from them.
 *
 * @code
 * struct perfkit_columns *cols;
 * const struct perfkit_column *flops;
 *
 * if (perfkit_columns_read("run.csv", PERFKIT_FORMAT_AUTO, &cols) == 0) {
 *	if (perfkit_columns_find(cols, PERFKIT_COLUMN_FIELD, "flops",
 *				 &flops) == 0) {
 *		const double *v = flops->data;
 *		double sum = 0;
 *
 *		for (size_t i = 0; i < perfkit_columns_rows(cols); i++)
 *			sum += v[i];
 *	}
 *	perfkit_columns_destroy(cols);
 * }
 * @endcode
 *
 * Columns never change once made; the descriptions and arrays belong to
 * them until perfkit_columns_destroy(). Threads: any number of threads
 * may read one set of columns; making or destroying it is one thread's.
 * @{
 */

/** @brief The result set's columns (opaque). */
struct perfkit_columns;

/** @brief What one row of a column holds. */
enum perfkit_column_type {
	/** int32_t (worker, rank, cpu, status). */
	PERFKIT_COLUMN_INT32 = 1,
	/** int64_t (problem_size). */
	PERFKIT_COLUMN_INT64 = 2,
	/** uint64_t (repetitions). */
	PERFKIT_COLUMN_UINT64 = 3,
	/** double (timestamps, flops, bytes, items, elapsed). */
	PERFKIT_COLUMN_DOUBLE = 4,
	/** int32_t code into the column's distinct values, -1 where a
	 *  record has no value (name, host, parameters, extra columns). */
	PERFKIT_COLUMN_TEXT = 5,
};

/** @brief Where a column comes from. */
enum perfkit_column_kind {
	/** A field of struct perfkit_record, named as in every format. */
	PERFKIT_COLUMN_FIELD = 1,
	/** A parameter (perfkit_record_set_param()), named by its key. */
	PERFKIT_COLUMN_PARAM = 2,
	/** An extra column (perfkit_results_extra_set()), named by its key. */
	PERFKIT_COLUMN_EXTRA = 3,
};

/** @brief One column, as perfkit_columns_at() describes it: owned by the
 *         columns (later versions may add members at the end), valid
 *         until perfkit_columns_destroy(). */
struct perfkit_column {
	/** Field name, parameter key or extra column name. */
	const char *name;
	/** Field, parameter or extra column. */
	enum perfkit_column_kind kind;
	/** The type of each row of @c data. */
	enum perfkit_column_type type;
	/** perfkit_columns_rows() values of @c type. */
	const void *data;
	/** #PERFKIT_COLUMN_TEXT: the number of distinct values; else 0. */
	size_t nvalues;
	/** #PERFKIT_COLUMN_TEXT: the distinct values, NUL-terminated, in the
	 *  order first met; a code @c c in @c data is @c values[c]. Else
	 *  NULL. */
	const char *const *values;
};

/**
 * @brief Read a result file into columns, without building its records.
 *
 * CSV and JSON Lines are read a window at a time, their records passing
 * through a batch of a few thousand: the memory used is the columns'.
 * JSON Lines the fast reader is not sure of (a line with extra keys, an
 * odd value) and the other formats (JSON, Google Benchmark's, hyperfine's)
 * are read whole by perfkit_results_read(), then turned into columns.
 * The same files are accepted and refused, with the same messages, as
 * perfkit_results_read() gives.
 *
 * @param path the file (a regular file)
 * @param format its format, or #PERFKIT_FORMAT_AUTO to choose by name
 * @param[out] out the columns; NULL on failure
 * @return 0 on success
 * @retval -EINVAL @p path or @p out is NULL, or @p format is unknown
 * @retval -ENOENT no such file
 * @retval -ENOTSUP unknown extension, or not a regular file
 * @retval -EBADMSG malformed content, or a value out of its field's range
 *         (file, line and column in the message)
 * @retval -ERANGE a column with more than INT32_MAX distinct values
 * @retval -EIO the file cannot be read, or is a folder
 * @retval -ENOMEM out of memory
 */
int perfkit_columns_read(const char *path, enum perfkit_format format,
			 struct perfkit_columns **out);

/**
 * @brief The columns of a result set in memory (copied).
 * @param res the set; its metadata and epoch are copied too
 * @param[out] out the columns; NULL on failure
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ERANGE a column with more than INT32_MAX distinct values
 * @retval -ENOMEM out of memory
 */
int perfkit_columns_from_results(const struct perfkit_results *res,
				 struct perfkit_columns **out);

/**
 * @brief The records again, from the columns: one per row, its
 *        parameters in the columns' order, with the extra columns and the
 *        metadata and epoch.
 * @param cols the columns
 * @param[out] out a new set; NULL on failure
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOMEM out of memory
 */
int perfkit_columns_to_results(const struct perfkit_columns *cols,
			       struct perfkit_results **out);

/**
 * @brief Free the columns (NULL is fine).
 * @param cols the columns
 */
void perfkit_columns_destroy(struct perfkit_columns *cols);

/**
 * @brief The number of rows (records).
 * @param cols the columns
 * @return the rows; 0 if @p cols is NULL
 */
size_t perfkit_columns_rows(const struct perfkit_columns *cols);

/**
 * @brief The number of columns: the record's fields, in the order of the
 *        CSV header (name, host, worker, ..., elapsed), then the
 *        parameters, then the extra columns, each in the order first met.
 * @param cols the columns
 * @return the columns; 0 if @p cols is NULL
 */
size_t perfkit_columns_count(const struct perfkit_columns *cols);

/**
 * @brief Describe column @p i.
 * @param cols the columns
 * @param i from 0 to perfkit_columns_count() - 1
 * @param[out] col its name, kind, type and data (owned by @p cols)
 * @return 0 on success
 * @retval -EINVAL an argument is NULL, or @p i is out of range
 */
int perfkit_columns_at(const struct perfkit_columns *cols, size_t i,
		       const struct perfkit_column **col);

/**
 * @brief Find a column by kind and name.
 * @param cols the columns
 * @param kind field, parameter or extra column
 * @param name its name
 * @param[out] col its description (owned by @p cols)
 * @return 0 on success
 * @retval -EINVAL an argument is NULL, or @p kind is unknown
 * @retval -ENOENT no such column
 */
int perfkit_columns_find(const struct perfkit_columns *cols,
			 enum perfkit_column_kind kind, const char *name,
			 const struct perfkit_column **col);

/**
 * @brief The set's metadata and epoch, as a result set with no records
 *        (perfkit_results_meta_get(), perfkit_results_epoch_ns()).
 * @param cols the columns
 * @return the set, owned by @p cols; NULL if @p cols is NULL
 */
const struct perfkit_results *
perfkit_columns_meta(const struct perfkit_columns *cols);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_COLUMNS_H */
