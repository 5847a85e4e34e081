/* SPDX-License-Identifier: MIT */
/* The printing macros of the layout helpers (layout.c, layout-mpi.c). */
#ifndef PERFKIT_PYTHON_LAYOUT_H
#define PERFKIT_PYTHON_LAYOUT_H

#include <stddef.h>
#include <stdio.h>

static int first_struct = 1;
static int first_field;

#define STRUCT(s)                                                          \
	do {                                                               \
		printf("%s\"%s\": {\"size\": %zu, \"fields\": {",          \
		       first_struct ? "" : ",\n", #s, sizeof(struct s));   \
		first_struct = 0;                                          \
		first_field = 1;                                           \
	} while (0)

#define FIELD(s, f)                                                        \
	do {                                                               \
		printf("%s\"%s\": [%zu, %zu]", first_field ? "" : ", ", #f, \
		       offsetof(struct s, f), sizeof(((struct s *)0)->f)); \
		first_field = 0;                                           \
	} while (0)

#define END() printf("}}")

#endif /* PERFKIT_PYTHON_LAYOUT_H */
