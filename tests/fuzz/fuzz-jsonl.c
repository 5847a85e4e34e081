/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the JSON Lines reader: whatever parses must format
 * and parse again to the same records, and the second text must equal the
 * first (one trip reaches a fixed point).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/perfkit.h"
#include "results-format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz-jsonl: %s: %s\n%s\n", what, perfkit_last_error(),
		text ? text : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perfkit_results *a, *b;
	char *text, *again;
	size_t len, len2;

	if (pk_results_parse_jsonl((const char *)data, size, &a) != 0)
		return 0;
	if (pk_results_format_jsonl(a, &text, &len) != 0)
		fail("format", NULL);
	if (pk_results_parse_jsonl(text, len, &b) != 0)
		fail("parse of our own output", text);
	if (perfkit_results_count(a) != perfkit_results_count(b) ||
	    perfkit_results_meta_count(a) != perfkit_results_meta_count(b))
		fail("count differs", text);
	if (pk_results_format_jsonl(b, &again, &len2) != 0)
		fail("second format", text);
	if (len != len2 || memcmp(text, again, len) != 0)
		fail("second text differs", again);
	free(again);
	free(text);
	perfkit_results_destroy(b);
	perfkit_results_destroy(a);
	return 0;
}
