/* SPDX-License-Identifier: MIT */
/*
 * SIGINT and SIGTERM ask a measuring program to stop cleanly: the handler
 * only records the signal, the harness reads it as its cancel flag and
 * starts no further point, and the program reports and writes what
 * finished, then exits 128 + the signal (130, 143). A second signal of
 * either kind ends the program at once (the default action).
 */
#ifndef PK_EXAMPLES_STOP_H
#define PK_EXAMPLES_STOP_H

#include <signal.h>

/* The first stop signal received, 0 before: the harness's cancel flag. */
extern volatile sig_atomic_t stop_signal;

/* Catch SIGINT and SIGTERM once each (interrupted system calls restart).
 * Returns 0, or -1 after saying why. */
int stop_catch(void);

/* "SIGINT", "SIGTERM" (or "signal N") for @sig. */
const char *stop_name(int sig);

/* 128 + the stop signal received, or @status when there was none. */
int stop_status(int status);

#endif /* PK_EXAMPLES_STOP_H */
