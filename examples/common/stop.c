/* SPDX-License-Identifier: MIT */
/* SIGINT and SIGTERM as a stop request (see stop.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "stop.h"

#define NSIGS 2

volatile sig_atomic_t stop_signal;

static const int sigs[NSIGS] = { SIGINT, SIGTERM };
static struct sigaction dfl; /* prepared before the handler can run */

/* Only async-signal-safe calls: record the signal, and give both signals
 * their default action back, so that a second one ends the program. */
static void on_stop(int sig)
{
	stop_signal = sig;
	for (int i = 0; i < NSIGS; i++)
		sigaction(sigs[i], &dfl, NULL);
}

int stop_catch(void)
{
	struct sigaction sa;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART; /* the library's waits go on */
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NSIGS; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (int i = 0; i < NSIGS; i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return cli_error("cannot catch %s: %s", stop_name(sigs[i]),
					 strerror(errno));
	return 0;
}

const char *stop_name(int sig)
{
	static char buf[24];

	if (sig == SIGINT)
		return "SIGINT";
	if (sig == SIGTERM)
		return "SIGTERM";
	snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}

int stop_status(int status)
{
	return stop_signal ? 128 + stop_signal : status;
}
