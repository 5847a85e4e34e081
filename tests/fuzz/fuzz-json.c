/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target of the JSON document reader (checks: fuzz-round-trip.h).
 * The reader steps between the top-level values itself, so also: whatever
 * it accepts, jansson accepts whole (but for jansson's depth limit, which
 * the reader applies per record).
 */
#include <jansson.h>

#include "fuzz-round-trip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *whole;

	if (!fuzz_round_trip("fuzz-json", data, size, pk_results_parse_json,
			     pk_results_format_json))
		return 0;
	whole = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
			   &err);
	if (!whole && !strstr(err.text, "depth"))
		fuzz_fail("fuzz-json", "accepted what jansson refuses", err.text);
	json_decref(whole);
	return 0;
}
