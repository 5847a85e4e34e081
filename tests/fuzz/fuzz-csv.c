/* SPDX-License-Identifier: MIT */
/* libFuzzer target of the CSV reader (checks: fuzz-round-trip.h). */
#include "fuzz-round-trip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_round_trip("fuzz-csv", data, size, pk_results_parse_csv,
			pk_results_format_csv);
	return 0;
}
