/* SPDX-License-Identifier: MIT */
/* A program outside the tree: built with `pkg-config --cflags --libs perfkit`
 * only, against the installed headers and library. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <perfkit/perfkit.h>

int main(void)
{
	if (perfkit_version() != PERFKIT_VERSION) {
		fprintf(stderr, "header %s but library %s\n",
			PERFKIT_VERSION_STRING, perfkit_version_string());
		return 1;
	}
	if (strcmp(perfkit_strerror(-EINVAL), "invalid argument") != 0) {
		fprintf(stderr, "perfkit_strerror(-EINVAL) = %s\n",
			perfkit_strerror(-EINVAL));
		return 1;
	}
	printf("consumer: libperfkit %s OK\n", perfkit_version_string());
	return 0;
}
