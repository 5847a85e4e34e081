/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: the process-wide lists of thread profiles and
 * their lock. On their own, below recording (region.c), the reports
 * (region-snapshot.c) and the trace (region-trace.c), so that none of
 * those has to reach another for them.
 */
#include "region-private.h"

pthread_mutex_t pk_region_lock = PTHREAD_MUTEX_INITIALIZER;
struct profile *pk_region_live;
struct profile *pk_region_exited;
struct aggtab pk_region_retired;
struct aggtab pk_region_retired_edges;
size_t pk_region_retired_threads;
uint64_t pk_region_retired_dropped;
