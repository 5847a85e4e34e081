/* SPDX-License-Identifier: MIT */
/* perfkit-flops-mpi: the per-rank report. */
#ifndef FLOPS_RANKS_H
#define FLOPS_RANKS_H

#include <stdio.h>

#include <perfkit/perfkit.h>

/* Per rank: host, workers, summed and median GFLOPS, straggler ratio,
 * clock offset and status; then min/median/max of the ranks' GFLOPS and
 * the clock uncertainties. Nothing when the set has no "mpi.ranks". */
void report_ranks(FILE *out, const struct perfkit_results *res);

#endif /* FLOPS_RANKS_H */
