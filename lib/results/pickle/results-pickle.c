/* SPDX-License-Identifier: MIT */
/* perfkit_pickle_to_json(): parse, then write (lib/results/pickle/). */
#include <errno.h>
#include <stdlib.h>

#include "common.h"
#include "perfkit/pickle.h"
#include "results-pickle.h"

PERFKIT_EXPORT int perfkit_pickle_to_json(const void *data, size_t len,
					  char **json)
{
	struct pk_pickle *p;
	int rc;

	if (!json)
		return pk_error(-EINVAL, "perfkit_pickle_to_json: json is NULL");
	*json = NULL;
	if (!data && len > 0)
		return pk_error(-EINVAL, "perfkit_pickle_to_json: data is NULL");
	rc = pk_pickle_parse(data, len, &p);
	if (rc < 0)
		return rc;
	rc = pk_pickle_write_json(pk_pickle_root(p), json);
	pk_pickle_free(p);
	return rc;
}
