/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/perfkit.h
 * @brief Umbrella header: includes every public libperfkit header.
 *
 * Compile and link with `pkg-config --cflags --libs perfkit`.
 */
#ifndef PERFKIT_PERFKIT_H
#define PERFKIT_PERFKIT_H

#include <perfkit/version.h>
#include <perfkit/error.h>
#include <perfkit/timer.h>
#include <perfkit/scaling.h>
#include <perfkit/stopwatch.h>
#include <perfkit/region.h>
#include <perfkit/machine.h>
#include <perfkit/kernel.h>
#include <perfkit/stats.h>
#include <perfkit/runner.h>
#include <perfkit/command.h>
#include <perfkit/record.h>
#include <perfkit/columns.h>
#include <perfkit/pickle.h>
#include <perfkit/compare.h>
#include <perfkit/harness.h>
#include <perfkit/queue.h>

#endif /* PERFKIT_PERFKIT_H */
