/* SPDX-License-Identifier: MIT */
/* Strong scaling: a fixed total of repetitions split over the workers as
 * evenly as it goes. */
#include <inttypes.h>
#include <stdio.h>

#include "harness-private.h"

/* The first T mod W workers run one more than the others: every
 * repetition runs once, and no two shares differ by more than one. */
uint64_t pk_harness_reps(const struct pk_harness_plan *plan, unsigned index)
{
	uint64_t total = plan->opt.total_loopcount, w = plan->workers;

	if (total == 0)
		return plan->opt.loopcount;
	return total / w + (index < total % w ? 1 : 0);
}

int pk_harness_check_total(const struct pk_harness_plan *plan, unsigned workers)
{
	uint64_t total = plan->opt.total_loopcount;

	if (total > 0 && workers > total)
		return pk_error(-EINVAL,
				"harness options: %u workers for a total of %" PRIu64
				" repetitions (total_loopcount): a worker would have "
				"none; use at most %" PRIu64 " workers or a larger total",
				workers, total, total);
	return 0;
}

int pk_harness_meta_total(struct perfkit_results *res,
			  const struct pk_harness_plan *plan)
{
	char buf[32];

	if (plan->opt.total_loopcount == 0)
		return 0;
	snprintf(buf, sizeof(buf), "%" PRIu64, plan->opt.total_loopcount);
	return perfkit_results_meta_set(res, "harness.total_loopcount", buf);
}
