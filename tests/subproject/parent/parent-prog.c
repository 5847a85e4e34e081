/* SPDX-License-Identifier: MIT */
/* Built by a parent project with dependency('perfkit') from the subproject. */
#include <stdio.h>

#include <perfkit/perfkit.h>

int main(void)
{
	uint64_t t1 = perfkit_now_ns();
	uint64_t t2 = perfkit_now_ns();

	if (perfkit_version() != PERFKIT_VERSION || t2 < t1) {
		fprintf(stderr, "parent-prog: libperfkit %s, header %s\n",
			perfkit_version_string(), PERFKIT_VERSION_STRING);
		return 1;
	}
	printf("parent-prog: libperfkit %s\n", perfkit_version_string());
	return 0;
}
