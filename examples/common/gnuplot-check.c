/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gnuplot-check.h"

static int in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t len = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, name);
		if (len > 0 && access(buf, X_OK) == 0)
			return 1;
		path += len + (path[len] == ':');
	}
	return 0;
}

int gnuplot_available(const char *prefix, const char *data_option)
{
	if (in_path("gnuplot"))
		return 1;
	fprintf(stderr, "%s--plot: gnuplot is not installed (not found in PATH).\n"
		"  Debian/Ubuntu: apt-get install gnuplot-nox; Fedora: dnf install gnuplot;\n"
		"  macOS: brew install gnuplot. Or plot the %s data yourself.\n",
		prefix, data_option);
	return 0;
}
