/* SPDX-License-Identifier: MIT */
/*
 * read-results FILE [KEY VALUE]: load a result set with the library's
 * readers and print what tests/test-perfkit-flops.py compares with its own
 * parse: the record count, each record's worker, status and flops, a few
 * metadata keys, and the harness aggregates (of the point KEY = VALUE).
 * Exits 1 with the library's message when the file does not load.
 */
#include <stdio.h>
#include <stdlib.h>

#include <perfkit/perfkit.h>

int main(int argc, char **argv)
{
	static const char *const keys[] = {
		"harness.kernel", "harness.size", "harness.loopcount", "harness.workers",
		"harness.mode", "command", "machine.topology.cores",
	};
	struct perfkit_results *res = NULL;
	struct perfkit_harness_summary s;
	const char *v;
	int rc;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: read-results FILE [KEY VALUE]\n");
		return 2;
	}
	if (perfkit_results_read(argv[1], PERFKIT_FORMAT_AUTO, &res) != 0) {
		fprintf(stderr, "read-results: %s\n", perfkit_last_error());
		return 1;
	}
	printf("records %zu\n", perfkit_results_count(res));
	for (size_t i = 0; i < perfkit_results_count(res); i++) {
		const struct perfkit_record *r;
		const char *w = "";

		perfkit_results_get(res, i, &r);
		perfkit_record_get_param(r, "workers", &w);
		printf("record %d %d %.17g %s %s\n", r->worker, r->status, r->flops, r->name, w);
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (perfkit_results_meta_get(res, keys[i], &v) == 0)
			printf("meta %s=%s\n", keys[i], v);
	rc = argc == 4 ? perfkit_harness_summarize_point(res, argv[2], argv[3], &s)
		       : perfkit_harness_summarize(res, &s);
	printf("summary %d workers %zu failed %zu flops %.17g peak %.17g effective %.17g\n",
	       rc, s.workers, s.failed, s.flops, s.peak_gflops, s.effective_gflops);
	perfkit_results_destroy(res);
	return 0;
}
