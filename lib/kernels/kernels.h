/* SPDX-License-Identifier: MIT */
/* Built-in kernels and the helpers they share. Not installed. */
#ifndef PERFKIT_KERNELS_H
#define PERFKIT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "perfkit/kernel.h"

/* Every built-in, in the order perfkit_kernel_list() shows them. */
extern const struct perfkit_kernel_ops pk_kernel_dgemm_ops;
extern const struct perfkit_kernel_ops pk_kernel_sgemm_ops;
extern const struct perfkit_kernel_ops pk_kernel_peak_ops;
extern const struct perfkit_kernel_ops pk_kernel_peak_sp_ops;
extern const struct perfkit_kernel_ops pk_kernel_copy_ops;
extern const struct perfkit_kernel_ops pk_kernel_scale_ops;
extern const struct perfkit_kernel_ops pk_kernel_add_ops;
extern const struct perfkit_kernel_ops pk_kernel_triad_ops;
extern const struct perfkit_kernel_ops pk_kernel_dot_ops;
extern const struct perfkit_kernel_ops pk_kernel_axpy_ops;
extern const struct perfkit_kernel_ops pk_kernel_compute_flops_ops;
extern const struct perfkit_kernel_ops pk_kernel_write_text_ops;
extern const struct perfkit_kernel_ops pk_kernel_write_binary_ops;
#ifdef PERFKIT_HAVE_HDF5
extern const struct perfkit_kernel_ops pk_kernel_write_hdf5_ops;
#endif

/*
 * Total bytes of @count arrays of @n elements of @elem bytes, checked:
 * -ERANGE when the product overflows size_t, -ENOMEM when it exceeds the
 * machine's physical memory (refused before malloc, so that a huge request
 * fails cleanly even where the allocator would overcommit or a sanitizer
 * would abort). Sets *total on success.
 */
int pk_kernel_check_bytes(const char *kernel, uint64_t n, size_t elem,
			  unsigned count, size_t *total);

/* 64-byte aligned allocation of @bytes (> 0), 2 MiB aligned and advised as
 * transparent huge pages from 2 MiB on; NULL when out of memory. Free with
 * free(). */
void *pk_kernel_alloc(size_t bytes);

/* Before BLIS's first call: pick its kernel set (lib/kernels/blis-arch.c).
 * Thread-safe, idempotent. */
void pk_blis_choose_arch(void);

/* compute_flops: the exact sum of arange(N*N).reshape(N,N) squared. */
long double pk_compute_flops_expected(uint64_t n);

#endif /* PERFKIT_KERNELS_H */
