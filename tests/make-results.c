/* SPDX-License-Identifier: MIT */
/*
 * Write a result file from a plain description, for the perfkit-scaling
 * script test and the sample in examples/data/:
 *
 *   make-results OUT.json|OUT.csv|OUT.jsonl < spec
 *
 * Each line of spec is "key=value key=value ...": one record, where a key
 * that names a record field (name, worker, t_submit, flops, status, ...)
 * sets it and any other key is a user parameter. "meta key=value ..."
 * lines set metadata, "epoch NS" the epoch; blank lines and "#" lines are
 * skipped. Values hold no blanks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/perfkit.h"
#include "results-format.h"

static int set_pair(struct perfkit_results *res, struct perfkit_record *rec,
		    char *pair, long line)
{
	char *eq = strchr(pair, '=');
	const struct pk_field *f;

	if (!eq) {
		fprintf(stderr, "spec:%ld: '%s' is not key=value\n", line, pair);
		return -1;
	}
	*eq = '\0';
	if (!rec)
		return perfkit_results_meta_set(res, pair, eq + 1);
	f = pk_record_field_find(pair, strlen(pair));
	if (f && f->type == PK_FIELD_TEXT)
		return strcmp(pair, "name") == 0 ?
		       perfkit_record_set_name(rec, eq + 1) :
		       perfkit_record_set_host(rec, eq + 1);
	if (f)
		return pk_record_field_parse(rec, f, eq + 1, strlen(eq + 1));
	return perfkit_record_set_param(rec, pair, eq + 1);
}

static int parse_line(struct perfkit_results *res, char *line, long ln)
{
	struct perfkit_record rec;
	int meta = strncmp(line, "meta ", 5) == 0;
	char *save = NULL;

	if (strncmp(line, "epoch ", 6) == 0)
		return perfkit_results_set_epoch_ns(res, strtoll(line + 6, NULL, 10));
	perfkit_record_init(&rec);
	for (char *t = strtok_r(meta ? line + 5 : line, " \t\n", &save); t;
	     t = strtok_r(NULL, " \t\n", &save))
		if (set_pair(res, meta ? NULL : &rec, t, ln) < 0) {
			fprintf(stderr, "spec:%ld: %s: %s\n", ln, t,
				perfkit_last_error());
			return -1;
		}
	return meta ? 0 : perfkit_results_append(res, &rec);
}

int main(int argc, char **argv)
{
	struct perfkit_results *res;
	char line[4096];
	long ln = 0;
	int rc = EXIT_FAILURE;

	if (argc != 2) {
		fprintf(stderr, "usage: make-results OUT.json|OUT.csv|OUT.jsonl < spec\n");
		return EXIT_FAILURE;
	}
	if (perfkit_results_new(&res) < 0)
		return EXIT_FAILURE;
	while (fgets(line, sizeof(line), stdin)) {
		ln++;
		if (line[strspn(line, " \t\n")] == '\0' || line[0] == '#')
			continue;
		if (parse_line(res, line, ln) < 0)
			goto out;
	}
	if (perfkit_results_write(res, argv[1], PERFKIT_FORMAT_AUTO) < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], perfkit_last_error());
		goto out;
	}
	rc = EXIT_SUCCESS;
out:
	perfkit_results_destroy(res);
	return rc;
}
