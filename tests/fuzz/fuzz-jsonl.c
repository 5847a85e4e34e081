/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target of the JSON Lines reader (checks: fuzz-round-trip.h).
 * Also: the simdjson fast path, where built, accepts only what the jansson
 * reader accepts, and reads it to the same set bit for bit (jsonl-same.h);
 * on a file (a memfd), in windows of 1 to 64 bytes picked by the input, it
 * takes just what it takes in memory and reads the same set.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-round-trip.h"
#include "jsonl-same.h"
#include "results-jsonl-fast.h"

/* The fast path on a file holding @data against @rc and @fast, its result
 * in memory. */
static void fuzz_file_agrees(const uint8_t *data, size_t size, int rc,
			     const struct perfkit_results *fast)
{
	struct perfkit_results *res = NULL;
	size_t window = 1 + (size ? data[size - 1] % 64 : 0);
	char why[128];
	int fd = memfd_create("fuzz-jsonl", MFD_CLOEXEC);
	int frc;

	if (fd < 0)
		return;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return;
	}
	frc = pk_results_read_jsonl_fast(fd, window, &res);
	close(fd);
	if (frc != rc)
		fuzz_fail("fuzz-jsonl", "fast path: file and memory differ",
			  NULL);
	if (frc == 0 && !jsonl_same_sets(res, fast, why, sizeof(why)))
		fuzz_fail("fuzz-jsonl", "fast path: file read another set", why);
	perfkit_results_destroy(res);
}

static void fuzz_fast_agrees(const uint8_t *data, size_t size)
{
	struct perfkit_results *fast = NULL, *ref = NULL;
	const char *text = (const char *)data;
	char why[128];
	int rc = pk_results_parse_jsonl_fast(text, size, &fast);

	if (rc != -ENOMEM)
		fuzz_file_agrees(data, size, rc, fast);
	if (rc == -ENOTSUP || rc == -EAGAIN || rc == -ENOMEM)
		return;
	if (rc != 0)
		fuzz_fail("fuzz-jsonl", "fast path: bad failure", NULL);
	if (pk_results_parse_jsonl_jansson(text, size, &ref) != 0)
		fuzz_fail("fuzz-jsonl", "fast path took what jansson refuses",
			  NULL);
	if (!jsonl_same_sets(fast, ref, why, sizeof(why)))
		fuzz_fail("fuzz-jsonl", "fast path read another set", why);
	perfkit_results_destroy(ref);
	perfkit_results_destroy(fast);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_round_trip("fuzz-jsonl", data, size, pk_results_parse_jsonl,
			pk_results_format_jsonl);
	fuzz_fast_agrees(data, size);
	return 0;
}
