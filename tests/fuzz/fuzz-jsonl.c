/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target of the JSON Lines reader (checks: fuzz-round-trip.h).
 * Also: the simdjson fast path, where built, accepts only what the jansson
 * reader accepts, and reads it to the same set bit for bit (jsonl-same.h).
 */
#include "fuzz-round-trip.h"
#include "jsonl-same.h"
#include "results-jsonl-fast.h"

static void fuzz_fast_agrees(const uint8_t *data, size_t size)
{
	struct perfkit_results *fast = NULL, *ref = NULL;
	const char *text = (const char *)data;
	char why[128];
	int rc = pk_results_parse_jsonl_fast(text, size, &fast);

	if (rc == -ENOTSUP || rc == -EAGAIN || rc == -ENOMEM)
		return;
	if (rc != 0)
		fuzz_fail("fuzz-jsonl", "fast path: bad failure", NULL);
	if (pk_results_parse_jsonl_jansson(text, size, &ref) != 0)
		fuzz_fail("fuzz-jsonl", "fast path took what jansson refuses",
			  NULL);
	if (!jsonl_same_sets(fast, ref, why, sizeof(why)))
		fuzz_fail("fuzz-jsonl", "fast path read another set", why);
	perfkit_results_destroy(ref);
	perfkit_results_destroy(fast);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_round_trip("fuzz-jsonl", data, size, pk_results_parse_jsonl,
			pk_results_format_jsonl);
	fuzz_fast_agrees(data, size);
	return 0;
}
