/* SPDX-License-Identifier: MIT */
/*
 * The simdjson fast path of the JSON Lines reader (lib/results-jsonl-fast.cc,
 * built only where simdjson is found). It reads the common shape of record
 * lines exactly as the jansson reader would, and says -EAGAIN ("not sure")
 * for anything else, so that the jansson reader, the reference, decides.
 */
#ifndef PK_RESULTS_JSONL_FAST_H
#define PK_RESULTS_JSONL_FAST_H

#include <stddef.h>

#include "perfkit/perfkit.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Append the records of the JSON Lines in @data (the lines after the
 * header) to @res. 0, or -EAGAIN for anything it does not read exactly like
 * the jansson reader (the set is then half filled: the caller discards it).
 * Sets no error message.
 */
int pk_jsonl_fast_records(const char *data, size_t len,
			  struct perfkit_results *res);

/*
 * The whole reader: the header through jansson, the records through
 * pk_jsonl_fast_records(). 0, -EAGAIN (not sure: use the jansson reader),
 * -ENOMEM, or -ENOTSUP where the fast path is not built.
 */
int pk_results_parse_jsonl_fast(const char *data, size_t len,
				struct perfkit_results **out);

/* The jansson reader alone (the reference the fast path is tested against). */
int pk_results_parse_jsonl_jansson(const char *data, size_t len,
				   struct perfkit_results **out);

#ifdef __cplusplus
}
#endif

#endif /* PK_RESULTS_JSONL_FAST_H */
