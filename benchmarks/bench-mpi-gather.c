/* SPDX-License-Identifier: MIT */
/*
 * bench-mpi-gather: gathering result sets on rank 0, in records per
 * second. Run under mpirun with R ranks:
 *
 *   mpirun -np 3 build/benchmarks/bench-mpi-gather [RECORDS [ROUNDS [api]]]
 *
 * Every rank holds RECORDS realistic records (default 100000). Each round
 * runs, in alternating order, (A) perfkit_mpi_results_gather() and (B)
 * the text path libperfkit-mpi used before its binary form, rebuilt here
 * over the public API for comparison only: each rank formats its set as
 * JSON Lines, rank 0 receives the texts, parses them and appends every
 * record with the same changes (rank, global worker, local_worker,
 * host, timestamps on its epoch). B omits the mpi.* metadata (some twenty
 * keys per rank), which A writes. "api" runs A alone, e.g. to compare
 * two builds of the library (LD_LIBRARY_PATH) one after the other.
 * It prints the median time and records/s of each and the ratio B / A.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/perfkit.h>
#include <perfkit/mpi.h>

static int rank, nranks;

static struct perfkit_results *make_set(long n)
{
	static const char *const kernels[] = { "dgemm", "triad", "peak", "copy" };
	struct perfkit_results *set = NULL;
	struct perfkit_record rec;
	char host[32], buf[32];

	if (perfkit_results_new(&set) != 0)
		return NULL;
	snprintf(host, sizeof(host), "node%03d.cluster.example", rank);
	perfkit_results_meta_set(set, "harness.kernel", "dgemm");
	for (long i = 0; i < n; i++) {
		double t = 1.0 + (double)i * 1.2345678901234567e-3;

		perfkit_record_init(&rec);
		perfkit_record_set_name(&rec, kernels[i % 4]);
		perfkit_record_set_host(&rec, host);
		rec.worker = (int32_t)(i % 64);
		rec.cpu = (int32_t)(i % 64);
		rec.t_submit = t;
		rec.t_start = t + 1.234567890123e-5;
		rec.t_setup = t + 2.345678901234e-3;
		rec.t_end = t + 0.123456789012345;
		rec.t_collected = t + 0.1236789012345678;
		rec.repetitions = 10;
		rec.problem_size = 2048;
		rec.flops = 1.7179869184e11;
		rec.bytes = 1.00663296e9 + (double)i;
		rec.elapsed = 0.1211111111111111 + (double)i * 1e-9;
		snprintf(buf, sizeof(buf), "%ld", i % 7);
		perfkit_record_set_param(&rec, "block", buf);
		perfkit_record_set_param(&rec, "layout", "row-major");
		if (perfkit_results_append(set, &rec) != 0 ||
		    perfkit_results_extra_set(set, (size_t)i, "note", i % 2 ? "warm" : "cold"))
			break;
	}
	return set;
}

/* ---- (B) the text path, as libperfkit-mpi had it ---- */

struct text_part {
	char *text;
	int64_t len, workers;
	double offset;
	struct perfkit_results *set;
};

static int64_t workers_in(const struct perfkit_results *set)
{
	int64_t n = 0;

	for (size_t i = 0; i < perfkit_results_count(set); i++) {
		const struct perfkit_record *r;

		if (perfkit_results_get(set, i, &r) == 0 && r->worker >= n)
			n = (int64_t)r->worker + 1;
	}
	return n;
}

static int append_text_part(struct perfkit_results *res, const struct text_part *p,
			    int r, int64_t base)
{
	double by = (double)(perfkit_results_epoch_ns(p->set) - perfkit_results_epoch_ns(res)) *
		    1e-9 + p->offset;
	char local[24];

	for (size_t i = 0; i < perfkit_results_count(p->set); i++) {
		const struct perfkit_record *in;
		struct perfkit_record c;
		size_t at = perfkit_results_count(res);

		perfkit_results_get(p->set, i, &in);
		c = *in;
		c.rank = r;
		if (c.worker >= 0)
			c.worker = (int32_t)(base + c.worker);
		c.t_submit += by, c.t_start += by, c.t_setup += by;
		c.t_end += by, c.t_collected += by;
		if (perfkit_results_append(res, &c) != 0)
			return -1;
		for (size_t j = 0; j < perfkit_results_extra_count(p->set, i); j++) {
			const char *k, *v;

			if (perfkit_results_extra_get(p->set, i, j, &k, &v) == 0 &&
			    perfkit_results_extra_set(res, at, k, v) != 0)
				return -1;
		}
		snprintf(local, sizeof(local), "%d", (int)in->worker);
		if (in->worker >= 0 && perfkit_results_extra_set(res, at, "local_worker", local))
			return -1;
	}
	return 0;
}

/* On rank 0: parse every text, one set on rank 0's epoch. */
static struct perfkit_results *merge_text(struct text_part *parts)
{
	struct perfkit_results *res = NULL;
	int64_t base = 0;

	for (int r = 0; r < nranks; r++)
		if (perfkit_results_parse(parts[r].text, (size_t)parts[r].len,
					  PERFKIT_FORMAT_JSONL, &parts[r].set) != 0)
			return NULL;
	if (perfkit_results_new(&res) != 0)
		return NULL;
	perfkit_results_set_epoch_ns(res, perfkit_results_epoch_ns(parts[0].set));
	for (size_t i = 0; i < perfkit_results_meta_count(parts[0].set); i++) {
		const char *k, *v;

		perfkit_results_meta_at(parts[0].set, i, &k, &v);
		perfkit_results_meta_set(res, k, v);
	}
	for (int r = 0; r < nranks; r++) {
		if (append_text_part(res, &parts[r], r, base) != 0) {
			perfkit_results_destroy(res);
			return NULL;
		}
		base += workers_in(parts[r].set);
	}
	return res;
}

static struct perfkit_results *gather_text(const struct perfkit_results *local)
{
	struct text_part *parts = rank == 0 ? calloc((size_t)nranks, sizeof(*parts)) : NULL;
	struct perfkit_results *res = NULL;
	double off, unc, *offs = rank == 0 ? calloc((size_t)nranks, sizeof(double)) : NULL;
	int64_t len, *lens = rank == 0 ? calloc((size_t)nranks, sizeof(int64_t)) : NULL;
	char *text = NULL;
	size_t n = 0;

	perfkit_mpi_clock_offset(MPI_COMM_WORLD, 0, &off, &unc);
	perfkit_results_format(local, PERFKIT_FORMAT_JSONL, &text, &n);
	len = (int64_t)n;
	MPI_Gather(&len, 1, MPI_INT64_T, lens, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
	MPI_Gather(&off, 1, MPI_DOUBLE, offs, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
	if (rank != 0) {
		MPI_Send(text, (int)len, MPI_CHAR, 0, 7, MPI_COMM_WORLD);
		free(text);
		return NULL;
	}
	parts[0].text = text;
	for (int r = 0; r < nranks; r++) {
		parts[r].len = lens[r];
		parts[r].offset = offs[r];
		if (r > 0) {
			parts[r].text = malloc((size_t)lens[r] + 1);
			MPI_Recv(parts[r].text, (int)lens[r], MPI_CHAR, r, 7, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
		}
	}
	res = merge_text(parts);
	for (int r = 0; r < nranks; r++) {
		free(parts[r].text);
		perfkit_results_destroy(parts[r].set);
	}
	free(parts);
	free(offs);
	free(lens);
	return res;
}

/* ---- rounds ---- */

/* Seconds of one gather on rank 0 (all ranks leave a barrier together);
 * checks the count. */
static double one(const struct perfkit_results *local, int text, size_t want)
{
	struct perfkit_results *res = NULL;
	int64_t t0;
	double s;

	MPI_Barrier(MPI_COMM_WORLD);
	t0 = perfkit_now_ns();
	if (text)
		res = gather_text(local);
	else if (perfkit_mpi_results_gather(MPI_COMM_WORLD, local, 0, &res) != 0)
		fprintf(stderr, "rank %d: %s\n", rank, perfkit_last_error());
	s = (double)(perfkit_now_ns() - t0) * 1e-9;
	if (rank == 0 && perfkit_results_count(res) != want) {
		fprintf(stderr, "bench-mpi-gather: %s gathered %zu records, not %zu\n",
			text ? "text" : "binary", perfkit_results_count(res), want);
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	perfkit_results_destroy(res);
	return s;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5, api = argc > 3 && !strcmp(argv[3], "api");
	double *a, *b, total;
	struct perfkit_results *local;
	int provided;

	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	if (n < 1 || rounds < 1 || !(local = make_set(n)) ||
	    !(a = calloc((size_t)rounds, sizeof(double))) ||
	    !(b = calloc((size_t)rounds, sizeof(double)))) {
		fprintf(stderr, "usage: bench-mpi-gather [RECORDS [ROUNDS [api]]]\n");
		MPI_Abort(MPI_COMM_WORLD, 2);
		return 2;
	}
	total = (double)n * nranks;
	for (int k = 0; k < rounds; k++) {
		if (k % 2 == 0 || api)
			a[k] = one(local, 0, (size_t)total);
		if (!api)
			b[k] = one(local, 1, (size_t)total);
		if (k % 2 == 1 && !api)
			a[k] = one(local, 0, (size_t)total);
	}
	if (rank == 0) {
		double ma = median(a, rounds), mb = api ? 0 : median(b, rounds);

		printf("%d ranks x %ld records, %d rounds (medians)\n", nranks, n, rounds);
		printf("binary (perfkit_mpi_results_gather): %8.3f s  %10.0f records/s\n",
		       ma, total / ma);
		if (!api) {
			printf("text (JSON Lines round trip):        %8.3f s  %10.0f records/s\n",
			       mb, total / mb);
			printf("ratio text / binary time: %.2f\n", mb / ma);
		}
	}
	perfkit_results_destroy(local);
	free(a);
	free(b);
	MPI_Finalize();
	return 0;
}
