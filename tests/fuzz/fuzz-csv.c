/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target of the CSV reader: any input must parse or fail cleanly
 * (-EBADMSG and no set), and whatever parses must write and read back to
 * the same text (the writer's output is a fixed point). Sanitizers catch
 * memory errors, leaks and undefined behaviour; abort() marks a broken
 * round trip.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/perfkit.h"
#include "results-format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perfkit_results *a = (void *)1, *b = NULL, *c = NULL;
	char *t1 = NULL, *t2 = NULL;
	size_t n1 = 0, n2 = 0;
	int rc = pk_results_parse_csv((const char *)data, size, &a);

	if (rc != 0) {
		/* Only malformed input fails, and it leaves nothing. */
		if (a != NULL || (rc != -EBADMSG && rc != -ENOMEM))
			abort();
		return 0;
	}
	if (pk_results_format_csv(a, &t1, &n1) != 0 ||
	    pk_results_parse_csv(t1, n1, &b) != 0 ||
	    perfkit_results_count(a) != perfkit_results_count(b) ||
	    perfkit_results_meta_count(a) != perfkit_results_meta_count(b) ||
	    perfkit_results_epoch_ns(a) != perfkit_results_epoch_ns(b) ||
	    pk_results_format_csv(b, &t2, &n2) != 0 || n1 != n2 ||
	    memcmp(t1, t2, n1) != 0)
		abort();
	/* The written text holds no NUL and parses again. */
	if (memchr(t1, '\0', n1) || pk_results_parse_csv(t2, n2, &c) != 0)
		abort();
	perfkit_results_destroy(a);
	perfkit_results_destroy(b);
	perfkit_results_destroy(c);
	free(t1);
	free(t2);
	return 0;
}
