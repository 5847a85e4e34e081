/* SPDX-License-Identifier: MIT */
/* perfkit_harness_run(): plan, make the set, run the workers once, and
 * say what failed. */
#include <stdlib.h>

#include "harness-private.h"

static int meta_total(struct perfkit_results *res, void *plan)
{
	return pk_harness_meta_total(res, plan);
}

PERFKIT_EXPORT int perfkit_harness_run(const struct perfkit_harness_options *opt,
				       struct perfkit_results **out)
{
	struct pk_harness_plan plan;
	struct perfkit_results *res = NULL;
	int rc, failed = 0;

	if (!out)
		return pk_error(-EINVAL, "harness: out is NULL");
	*out = NULL;
	if ((rc = pk_harness_plan_init(&plan, opt)))
		goto out;
	if ((rc = pk_harness_new_set(&plan, meta_total, &plan, &res)))
		goto out;
	rc = pk_harness_run_into(&plan, res, &failed);
	if (failed) {
		perfkit_results_destroy(res);
		res = NULL;
	}
	*out = res;
out:
	pk_harness_plan_fini(&plan);
	return rc;
}
