/* SPDX-License-Identifier: MIT */
/*
 * What every reader's fuzz target checks: any input parses or fails
 * cleanly (-EBADMSG or -ENOMEM, and no set); whatever parses formats and
 * parses again to the same counts and epoch, and the second text equals the
 * first (one trip reaches a fixed point) and holds no NUL. abort() marks a
 * broken trip; the sanitizers catch memory errors, leaks and UB.
 */
#ifndef PK_FUZZ_ROUND_TRIP_H
#define PK_FUZZ_ROUND_TRIP_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/perfkit.h"
#include "results-format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*fuzz_parse_fn)(const char *data, size_t len,
			     struct perfkit_results **out);
typedef int (*fuzz_format_fn)(const struct perfkit_results *res, char **data,
			      size_t *len);

static void fuzz_fail(const char *target, const char *what, const char *text)
{
	fprintf(stderr, "%s: %s: %s\n%s\n", target, what, perfkit_last_error(),
		text ? text : "");
	abort();
}

/* 1 if @data parsed (and made the trip), 0 if it was rejected cleanly. */
static int fuzz_round_trip(const char *target, const uint8_t *data,
			   size_t size, fuzz_parse_fn parse,
			   fuzz_format_fn format)
{
	struct perfkit_results *a = NULL, *b = NULL;
	char *text = NULL, *again = NULL;
	size_t len = 0, len2 = 0;
	int rc = parse((const char *)data, size, &a);

	if (rc != 0) {
		if (a != NULL || (rc != -EBADMSG && rc != -ENOMEM))
			fuzz_fail(target, "bad failure", NULL);
		return 0;
	}
	if (format(a, &text, &len) != 0)
		fuzz_fail(target, "format", NULL);
	if (memchr(text, '\0', len) || parse(text, len, &b) != 0)
		fuzz_fail(target, "parse of our own output", text);
	if (perfkit_results_count(a) != perfkit_results_count(b) ||
	    perfkit_results_meta_count(a) != perfkit_results_meta_count(b) ||
	    perfkit_results_epoch_ns(a) != perfkit_results_epoch_ns(b))
		fuzz_fail(target, "count or epoch differs", text);
	if (format(b, &again, &len2) != 0)
		fuzz_fail(target, "second format", text);
	if (len != len2 || memcmp(text, again, len) != 0)
		fuzz_fail(target, "second text differs", again);
	free(again);
	free(text);
	perfkit_results_destroy(b);
	perfkit_results_destroy(a);
	return 1;
}

#endif /* PK_FUZZ_ROUND_TRIP_H */
