/* SPDX-License-Identifier: MIT */
/* libFuzzer target of the JSON Lines reader (checks: fuzz-round-trip.h). */
#include "fuzz-round-trip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_round_trip("fuzz-jsonl", data, size, pk_results_parse_jsonl,
			pk_results_format_jsonl);
	return 0;
}
