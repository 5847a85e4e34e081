/* SPDX-License-Identifier: MIT */
/* --report DIR: report.md, a short Markdown report a person reads, with
 * the speedup plot (speedup.png) and the I/O rates (io.png) beside it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "plot.h"
#include "workshop.h"

static int plot_io(const char *path, const struct study_data *d)
{
	struct plot p;

	if (plot_begin(&p, path, "--outfile", 900, 500) != 0)
		return -1;
	fprintf(p.g, "$io << EOD\n");
	for (size_t i = 0; i < d->nio; i++)
		fprintf(p.g, "\"%s N=%lld F=%llu\" %.9g\n", d->io[i].format,
			(long long)d->io[i].n, (unsigned long long)d->io[i].files,
			d->io[i].files_per_s);
	fprintf(p.g, "EOD\nset title 'Files written per second'\nset style fill solid 0.6\n"
		"set boxwidth 0.7\nset grid ytics\nset ylabel 'files/s'\nset yrange [0:*]\n"
		"set xtics rotate by -30\nplot $io using 0:2:xtic(1) with boxes notitle\n");
	return plot_end(&p);
}

static void md_io(FILE *f, const struct study_data *d)
{
	fprintf(f, "## I/O: text, binary, HDF5\n\n");
	if (d->nio == 0) {
		fprintf(f, "Not run.\n\n");
		return;
	}
	fprintf(f, "| format | N | files | seconds | files/s | MB/s | x text |\n"
		"|---|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < d->nio; i++) {
		const struct io_row *r = &d->io[i];

		fprintf(f, "| %s | %lld | %llu | %.4f | %.0f | %.1f | %.2f |\n",
			r->format, (long long)r->n, (unsigned long long)r->files,
			r->seconds, r->files_per_s, r->mb_per_s, r->x_text);
	}
	fprintf(f, "\n![files per second](io.png)\n\n");
}

static void md_series(FILE *f, const struct series *s, double price)
{
	fprintf(f, "| %s: workers | files/s | speedup | seconds | cost per 1,000 files |\n"
		"|---:|---:|---:|---:|---:|\n", s->name);
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "| %g | %.0f | %.2f | %.4f | %.3g |\n", s->workers[i],
			s->rate[i], s->rate[i] / s->rate[0], s->seconds[i],
			s->cost_per_kfile[i]);
	fprintf(f, "\n- Amdahl: ");
	if (isfinite(s->amdahl_f))
		fprintf(f, "serial fraction %.3f\n", s->amdahl_f);
	else
		fprintf(f, "no fit (%s)\n", s->note[0] ? s->note : "see the output");
	fprintf(f, "- USL: ");
	if (isfinite(s->usl_alpha))
		fprintf(f, "alpha %.3g, beta %.3g, peak at %.1f workers\n",
			s->usl_alpha, s->usl_beta, s->usl_peak_n);
	else
		fprintf(f, "no fit (needs 4 worker counts that fit the law)\n");
	if (s->optimal > 0)
		fprintf(f, "- Optimal: %lld workers (largest count at >= 50 %% efficiency)\n",
			(long long)s->optimal);
	fprintf(f, "- Price: %.3f per worker-hour\n\n", price);
}

static void md_parallel(FILE *f, const struct study_data *d)
{
	fprintf(f, "## Queue and pool: %llu tasks of %s N = %lld\n\n",
		(unsigned long long)d->tasks, d->kernel, (long long)d->size);
	if (d->nseries == 0) {
		fprintf(f, "Not run.\n\n");
		return;
	}
	fprintf(f, "The queue lets each worker pull the next task; the pool splits "
		"the tasks evenly before they start.\n\n");
	for (size_t i = 0; i < d->nseries; i++)
		md_series(f, &d->series[i], d->price);
	fprintf(f, "![speedup](speedup.png)\n\n");
}

static void md_blas(FILE *f, const struct study_data *d)
{
	fprintf(f, "## BLAS threads: OMP_NUM_THREADS=1 against oversubscription\n\n");
	if (d->nblas == 0) {
		fprintf(f, "Not run.\n\n");
		return;
	}
	fprintf(f, "| workers | BLAS threads | threads on %ld cores | seconds | GFLOPS | |\n"
		"|---:|---:|---:|---:|---:|---|\n", d->cores);
	for (size_t i = 0; i < d->nblas; i++) {
		const struct blas_row *r = &d->blas[i];

		fprintf(f, "| %u | %u | %u | %.4f | %.3g | %s |\n", r->workers,
			r->threads, r->workers * r->threads, r->seconds, r->gflops,
			r->oversubscribed ? "**oversubscribed**" : "");
	}
	if (d->nblas == 2 && d->blas[0].seconds > 0)
		fprintf(f, "\nThe oversubscribed run took %.2fx the time of "
			"OMP_NUM_THREADS=1.\n", d->blas[1].seconds / d->blas[0].seconds);
	fprintf(f, "\n");
}

int report_write(const char *dir, const struct study_data *d)
{
	char path[4096];
	FILE *f;

	if (d->nio && (snprintf(path, sizeof(path), "%s/io.png", dir),
		       plot_io(path, d) != 0))
		return -1;
	snprintf(path, sizeof(path), "%s/speedup.png", dir);
	if (plot_speedup(path, d) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/report.md", dir);
	if (!(f = fopen(path, "w")))
		return cli_error("--report %s: %s", path, strerror(errno));
	fprintf(f, "# perfkit-workshop report\n\n%ld cores online; load average "
		"%.2f %.2f %.2f when the run ended (other work on the machine "
		"makes the rates noisy). libperfkit %s.\n\n", d->cores, d->load[0],
		d->load[1], d->load[2], perfkit_version_string());
	md_io(f, d);
	md_parallel(f, d);
	md_blas(f, d);
	if (fclose(f) != 0)
		return cli_error("--report %s: %s", path, strerror(errno));
	return 0;
}
