/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target of the pickle reader: any input gives JSON or fails
 * cleanly with a documented code, a message and no text; whatever JSON it
 * gives, jansson reads whole (NUL escapes allowed but in keys, which
 * jansson cannot hold; duplicate keys not) and
 * the same input gives the same text again. The sanitizers catch memory
 * errors, leaks, UB and deep recursion.
 *
 * Shared containers in the memo may repeat exponentially up to the
 * reader's 64 MB cap: a 636-byte pickle gave ~9 million empty lists,
 * which jansson holds in over 2 GB under ASan (libFuzzer's limit). So the
 * oracle reads texts up to ORACLE_MAX bytes; longer ones are checked for
 * being the same on a second reading only.
 */
#define ORACLE_MAX (1u << 20)
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/perfkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz-pickle: %s: %s\n%.2000s\n", what,
		perfkit_last_error(), text ? text : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *json = (char *)1, *again = NULL;
	json_error_t err;
	json_t *root;
	int rc;

	perfkit_clear_error();
	rc = perfkit_pickle_to_json(data, size, &json);
	if (rc < 0) {
		if (json)
			fail("text left after a failure", NULL);
		if (rc != -EBADMSG && rc != -ENOTSUP && rc != -ERANGE &&
		    rc != -ENOMEM)
			fail("undocumented code", perfkit_strerror(rc));
		if (strncmp(perfkit_last_error(), "pickle", 6) != 0)
			fail("message does not start with 'pickle'", NULL);
		return 0;
	}
	if (strlen(json) <= ORACLE_MAX) {
		root = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL |
					JSON_REJECT_DUPLICATES, &err);
		/* jansson holds "\u0000" in values, not in keys: valid JSON still */
		if (!root && !strstr(err.text, "NUL byte in object key"))
			fail(err.text, json);
		json_decref(root);
	}
	if (perfkit_pickle_to_json(data, size, &again) != 0 ||
	    strcmp(json, again) != 0)
		fail("a second reading differs", json);
	free(again);
	free(json);
	return 0;
}
