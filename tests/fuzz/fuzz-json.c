/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target of the JSON document reader (checks: fuzz-round-trip.h).
 * The reader steps between the top-level values itself, so also: whatever
 * it accepts, jansson accepts whole (but for jansson's depth limit, which
 * the reader applies per record), once a leading byte order mark is
 * skipped and bare NaN and Infinity are quoted, as the reader does.
 */
#include <jansson.h>

#include "fuzz-round-trip.h"
#include "results-json-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct pk_json_bare bare;
	json_error_t err;
	json_t *whole;
	size_t bom;

	if (!fuzz_round_trip("fuzz-json", data, size, pk_results_parse_json,
			     pk_results_format_json))
		return 0;
	bom = pk_json_bom(text, size);
	text += bom;
	size -= bom;
	if (pk_json_bare_quote(text, size, &bare) < 0)
		return 0;
	if (bare.text) {
		text = bare.text;
		size = bare.len;
	}
	whole = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);
	pk_json_bare_free(&bare);
	if (!whole && !strstr(err.text, "depth"))
		fuzz_fail("fuzz-json", "accepted what jansson refuses", err.text);
	json_decref(whole);
	return 0;
}
