/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/command.h
 * @brief Run a program once and measure its wall, user and system time,
 *        as `time` and hyperfine do.
 */
#ifndef PERFKIT_COMMAND_H
#define PERFKIT_COMMAND_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup command Timing a command
 * @brief One run of a program: wall-clock time from spawn to reaping, and
 *        the user and system CPU time the kernel charged to it and to the
 *        descendants it waited for.
 * @code
 * const char *argv[] = { "sh", "-c", "sleep 0.1", NULL };
 * struct perfkit_command_time t;
 * if (perfkit_command_time(argv, 0, &t) == 0)
 *	printf("%.3f s wall, %.3f s user, %.3f s sys, exit %d\n",
 *	       t.wall, t.user, t.system, t.exit_code);
 * else
 *	fprintf(stderr, "%s\n", perfkit_last_error());
 * @endcode
 * The program is looked up in @c PATH in the calling process (as execvp()
 * would) and started with posix_spawn(); its
 * standard input is /dev/null, and its output goes to /dev/null unless
 * #PERFKIT_COMMAND_SHOW_OUTPUT is given. The wall time covers spawning,
 * the program's run and reaping it: what starting a program costs is part
 * of it (measure it with a program that does nothing and subtract it if
 * you need the program alone; perfkit-timeit does so for its shell).
 * @{
 */

/** @brief Flag of perfkit_command_time(): the program's standard output
 *         and error go to the caller's instead of /dev/null. */
#define PERFKIT_COMMAND_SHOW_OUTPUT 1u

/** @brief What one run of a program measured. */
struct perfkit_command_time {
	/** Seconds of wall-clock time (monotonic clock), from just before
	 *  the spawn to just after the program was reaped. */
	double wall;
	/** Seconds of user-mode CPU time of the program and of the
	 *  descendants it waited for. */
	double user;
	/** Seconds of kernel-mode CPU time, the same way. */
	double system;
	/** The program's exit status (0 to 255), or -1 when a signal ended
	 *  it. */
	int exit_code;
	/** The signal that ended the program, or 0. */
	int signal;
};

/**
 * @brief Run a program once, wait for it, and measure it.
 * @param argv the program and its arguments, NULL-terminated; argv[0] is
 *        searched in @c PATH unless it contains a slash
 * @param flags 0 or #PERFKIT_COMMAND_SHOW_OUTPUT
 * @param[out] out the measurement; untouched on failure
 * @return 0 when the program ran, whatever its exit status (see
 *         perfkit_command_time::exit_code)
 * @retval -EINVAL @p argv or @p out is NULL, argv[0] is NULL or empty,
 *         or @p flags has an unknown bit
 * @retval -ENOENT the program was not found
 * @retval -EACCES the program may not be executed
 * @retval -ENOEXEC the file is not an executable the system can start
 * @retval -EAGAIN, -ENOMEM the system could not start a process
 * @retval -ECHILD the process could not be waited for
 *
 * A signal that interrupts the wait does not end it: the call returns
 * once the program has ended. The message of perfkit_last_error() names
 * the program. Thread-safe (each call waits for its own child only).
 */
int perfkit_command_time(const char *const *argv, unsigned flags,
			 struct perfkit_command_time *out);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_COMMAND_H */
