/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/error.h
 * @brief Error codes and messages.
 */
#ifndef PERFKIT_ERROR_H
#define PERFKIT_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup error Errors
 * @brief How libperfkit reports failure.
 *
 * Every call that can fail returns an @c int: 0 on success or a negative
 * errno value on failure. The codes the library returns are:
 *
 * | code        | meaning                                                   |
 * |-------------|-----------------------------------------------------------|
 * | -EINVAL     | an argument is NULL, NaN, out of range or inconsistent    |
 * | -ENOMEM     | an allocation failed                                      |
 * | -EIO        | reading or writing a file failed                          |
 * | -ENOENT     | a named file, kernel or region does not exist             |
 * | -EEXIST     | a name is already registered                              |
 * | -ENOTSUP    | not possible on this machine, or an unknown file type     |
 * | -EBADMSG    | malformed input (a CSV or JSON file, a config)            |
 * | -ERANGE     | a value does not fit, or a fit did not converge           |
 * | -EDOM       | the data cannot support the requested model               |
 * | -ECANCELED  | the caller asked to stop (a callback or a cancel flag)    |
 * | -ETIMEDOUT  | a time budget ran out before a goal was met               |
 * | -ECHILD     | a worker process died or could not be collected           |
 * | -EAGAIN     | a resource (thread, process) could not be created now     |
 * | -ENOSPC     | a fixed-size table (a record's parameters) is full        |
 *
 * Beside the code, a failing call leaves a human-readable message for the
 * calling thread, read with perfkit_last_error(): it says which argument was
 * wrong, or names file, line and column of malformed input.
 * @{
 */

/**
 * @brief Name an error code returned by libperfkit.
 * @param code 0 or a negative errno value (a positive value is accepted too)
 * @return a static, non-NULL English description. Unknown codes give
 *         "unknown error".
 *
 * Thread-safe.
 */
const char *perfkit_strerror(int code);

/**
 * @brief Detail of the last failure in the calling thread.
 * @return a thread-local string describing the most recent error a
 *         libperfkit call returned in this thread, or "" if none has.
 *         Valid until the next libperfkit call in the same thread.
 *
 * Thread-safe: each thread has its own message. Successful calls do not
 * clear it; call perfkit_clear_error() first if that matters.
 */
const char *perfkit_last_error(void);

/**
 * @brief Forget the calling thread's last error message.
 *
 * Thread-safe.
 */
void perfkit_clear_error(void);

/**
 * @brief Set the calling thread's last error message and return @p code:
 *        for code layered on libperfkit (libperfkit-mpi, a program's own
 *        helpers) that reports failures the way the library does.
 * @param code returned unchanged (0 or a negative errno value)
 * @param fmt printf-style format of the message; NULL clears the message
 * @param ... the format's arguments
 * @return @p code
 *
 * The message is cut at 511 bytes. Thread-safe: it sets only the
 * calling thread's message.
 */
int perfkit_set_error(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_ERROR_H */
