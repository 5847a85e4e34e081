/* SPDX-License-Identifier: MIT */
/* Test hooks of the runner. Not installed, not exported. */
#ifndef PERFKIT_RUNNER_PRIVATE_H
#define PERFKIT_RUNNER_PRIVATE_H

#include <stdint.h>

#include "perfkit/runner.h"

/*
 * Replace the monotonic clock the runner reads by now(ctx), and report
 * resolution_ns and overhead_ns instead of measuring the real clock, so that
 * tests can drive calibration and the stop rules deterministically (a fake
 * workload advances the fake clock). now == NULL restores the real clock.
 */
int pk_runner_set_clock(struct perfkit_runner *runner,
			uint64_t (*now)(void *ctx), void *ctx,
			double resolution_ns, double overhead_ns);

#endif /* PERFKIT_RUNNER_PRIVATE_H */
