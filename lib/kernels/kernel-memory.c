/* SPDX-License-Identifier: MIT */
/* Memory for the built-in kernels: sizes checked against the machine's
 * memory, and aligned arrays (large ones on transparent huge pages). */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include "kernels.h"

static uint64_t physical_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	long page = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || page <= 0)
		return UINT64_MAX; /* unknown: let malloc decide */
	return (uint64_t)pages * (uint64_t)page;
}

int pk_kernel_check_bytes(const char *kernel, uint64_t n, size_t elem,
			  unsigned count, size_t *total)
{
	uint64_t per_array;

	if (n > SIZE_MAX / elem || n * elem > SIZE_MAX / count)
		return pk_error(-ERANGE, "kernel '%s': %u arrays of %llu elements "
				"of %zu bytes overflow size_t", kernel, count,
				(unsigned long long)n, elem);
	per_array = n * elem;
	if (per_array * count > physical_memory())
		return pk_error(-ENOMEM, "kernel '%s': %llu bytes requested exceed "
				"the physical memory (%llu bytes)", kernel,
				(unsigned long long)(per_array * count),
				(unsigned long long)physical_memory());
	*total = (size_t)(per_array * count);
	return 0;
}

#define HUGE_PAGE ((size_t)2 << 20)

void *pk_kernel_alloc(size_t bytes)
{
	void *p = NULL;

	/* Round up to a multiple of the alignment, as aligned_alloc wants. */
	bytes = (bytes + 63) & ~(size_t)63;
	/* Large arrays on transparent huge pages where the kernel allows it
	 * (THP "madvise" mode is Debian's default): fewer TLB misses, which
	 * the bandwidth kernels otherwise pay for (about 10 % on triad). The
	 * advice is only a hint: without THP the memory is ordinary. */
	if (bytes >= HUGE_PAGE) {
		bytes = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
		if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
			return NULL;
		(void)madvise(p, bytes, MADV_HUGEPAGE);
		return p;
	}
	if (posix_memalign(&p, 64, bytes) != 0)
		return NULL;
	return p;
}
