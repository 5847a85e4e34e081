/* SPDX-License-Identifier: MIT */
/* Private helpers of the CSV writer and reader (lib/results/csv/). */
#ifndef PK_RESULTS_CSV_H
#define PK_RESULTS_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "results-format.h"
#include "results-keyset.h"

#endif /* PK_RESULTS_CSV_H */
