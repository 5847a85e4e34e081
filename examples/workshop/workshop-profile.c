/* SPDX-License-Identifier: MIT */
/* The workshop's `python -m cProfile -s tottime write.py`: each I/O
 * variant runs inside named regions (write_files > setup, write, verify,
 * teardown) and its profile is printed as cProfile's table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/perfkit.h>

#include "workshop.h"

void profile_print(FILE *out, const char *title)
{
	struct perfkit_region_snapshot *snap = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (perfkit_region_snapshot_new(PERFKIT_REGION_CALLING_THREAD, &snap) != 0)
		return;
	f = open_memstream(&text, &len);
	if (f) {
		perfkit_region_snapshot_print_profile(snap, PERFKIT_REGION_SORT_TOTTIME, f);
		fclose(f);
	}
	fprintf(out, "  %s:\n", title);
	/* the table only: it ends where the callers and callees begin */
	for (char *line = text ? strtok(text, "\n") : NULL; line;
	     line = strtok(NULL, "\n")) {
		if (!strncmp(line, "# callers", 9))
			break;
		if (strcmp(line, "#") != 0)
			fprintf(out, "  %s\n", line);
	}
	free(text);
	perfkit_region_snapshot_destroy(snap);
	perfkit_region_reset();
}
