/* SPDX-License-Identifier: MIT */
/* perfkit-compare's parts: the options and the printed tables. */
#ifndef PK_EXAMPLES_COMPARE_H
#define PK_EXAMPLES_COMPARE_H

#include <stdio.h>

#include <perfkit/perfkit.h>

struct compare_options {
	const char *old_path, *new_path;
	enum perfkit_format format;
	struct perfkit_compare_options cmp;
	char *group;            /* "KEY=OLD,NEW" split in place */
	int markdown;
	const char *outfile;
	double fail_on;         /* relative slowdown; < 0: not asked */
};

/* The table, text or Markdown, and the summary line under it. */
void compare_print(FILE *out, const struct perfkit_comparison *cmp,
		   const struct compare_options *o);

/* Time a benchmark takes in the new set per unit of the old (> 1:
 * slower), whatever the metric's direction. */
double compare_slowdown(const struct perfkit_compare_row *r,
			enum perfkit_compare_metric metric);

#endif /* PK_EXAMPLES_COMPARE_H */
