/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target of the CSV reader (checks: fuzz-round-trip.h). Also:
 * on a file (a memfd), in windows of 1 to 64 bytes picked by the input,
 * the reader takes just what it takes in memory, with the same message,
 * and reads the same set (jsonl-same.h compares sets of any format).
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-round-trip.h"
#include "jsonl-same.h"
#include "results-private.h"

static void fuzz_file_agrees(const uint8_t *data, size_t size)
{
	struct perfkit_results *mem = NULL, *file = NULL;
	size_t window = 1 + (size ? data[size - 1] % 64 : 0);
	char why[128], msg[512];
	int fd = memfd_create("fuzz-csv", MFD_CLOEXEC), rc, frc;

	if (fd < 0)
		return;
	rc = pk_results_parse_csv((const char *)data, size, &mem);
	snprintf(msg, sizeof(msg), "%s", perfkit_last_error());
	if (rc == -ENOMEM || write(fd, data, size) != (ssize_t)size ||
	    lseek(fd, 0, SEEK_SET)) {
		close(fd);
		perfkit_results_destroy(mem);
		return;
	}
	file = pk_results_alloc();
	frc = file ? pk_csv_read_fd_window(fd, window, file) : -ENOMEM;
	close(fd);
	if (frc != rc && frc != -ENOMEM)
		fuzz_fail("fuzz-csv", "file and memory differ", msg);
	if (frc < 0 && frc != -ENOMEM && strcmp(msg, perfkit_last_error()) != 0)
		fuzz_fail("fuzz-csv", "file and memory say different things",
			  perfkit_last_error());
	if (frc == 0 && !jsonl_same_sets(file, mem, why, sizeof(why)))
		fuzz_fail("fuzz-csv", "the file read another set", why);
	perfkit_results_destroy(file);
	perfkit_results_destroy(mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_round_trip("fuzz-csv", data, size, pk_results_parse_csv,
			pk_results_format_csv);
	fuzz_file_agrees(data, size);
	return 0;
}
