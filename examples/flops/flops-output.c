/* SPDX-License-Identifier: MIT */
/* perfkit-flops and perfkit-flops-mpi: the headline, and the records
 * written to --outfile and drawn to --plot. */
#include <stdio.h>

#include "cli.h"
#include "flops-args.h"

void flops_headline(const struct flops_args *a, const struct perfkit_results *res)
{
	const char *workers = "?", *size = "?";

	perfkit_results_meta_get(res, "harness.workers", &workers);
	perfkit_results_meta_get(res, "harness.size", &size);
	printf("%s: %s, N = %s, ", cli_program(), a->o.kernel, size);
	if (a->o.total_loopcount)
		printf("%llu repetitions in all, split over the workers",
		       (unsigned long long)a->o.total_loopcount);
	else if (a->o.loopcount)
		printf("loopcount %llu", (unsigned long long)a->o.loopcount);
	else
		printf("at least %g s", a->o.min_time);
	printf(", %s workers (%s, %s placement, %s start), %u kernel thread(s) each\n",
	       workers, perfkit_harness_mode_name(a->o.mode),
	       perfkit_harness_placement_name(a->o.placement),
	       perfkit_harness_start_name(a->o.start), a->o.threads ? a->o.threads : 1);
}

int flops_outputs(const struct flops_args *a, struct perfkit_results *res,
		  const struct perfkit_results *shown)
{
	int rc = 0;
	char title[160];

	if (a->outfile) {
		if (perfkit_results_write(res, a->outfile, PERFKIT_FORMAT_AUTO) != 0) {
			rc = cli_error("%s", perfkit_last_error());
		} else {
			printf("\nWrote %zu records to %s\n", perfkit_results_count(res), a->outfile);
		}
	}
	if (a->plot && shown) {
		const struct perfkit_record *r = NULL;

		perfkit_results_get(shown, 0, &r);
		snprintf(title, sizeof(title), "%s, N = %lld, %zu workers", a->o.kernel,
			 r ? (long long)r->problem_size : 0LL, perfkit_results_count(shown));
		if (plot_run(a->plot, shown, title) != 0)
			rc = -1;
		else
			printf("Plotted histogram and timeline to %s\n", a->plot);
	}
	return rc;
}
