/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-collectives: the command line, checked before any message. */
#include <string.h>

#include "cli.h"
#include "collectives.h"
#include "mpi-options.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [options]\n"
		"Time MPI collectives per message size as the OSU micro-benchmarks do:\n"
		"each rank's mean time per operation, then the minimum, mean and maximum\n"
		"over ranks. Run it on 2 or more ranks:\n"
		"  mpirun -np 4 perfkit-mpi-collectives --op all\n"
		"      --op NAME            barrier, bcast, scatter, gather, reduce,\n"
		"                           allreduce, alltoall, or all (default allreduce)\n"
		"      --min-bytes B        smallest message per rank, a multiple of 4 (default 4)\n"
		"      --max-bytes B        largest message per rank (default 1048576)\n"
		"      --time SECONDS       how long each size should run (default 0.01)\n"
		"      --warmup R           untimed operations before each size (default 2)\n"
		"      --root R             root of bcast, scatter, gather, reduce (default 0)\n"
		"      --no-place           keep the CPUs the launcher gave each rank even\n"
		"                           when ranks of a node share them\n"
		"  -o, --outfile FILE       write the records: .json, .csv, .jsonl or .ndjson\n"
		"      --plot FILE          draw each operation's time against message size\n"
		"                           on log axes, .png or .svg (gnuplot)\n"
		"  -h, --help               this text\n"
		"      --version            the program's and libperfkit's version\n",
		cli_program());
}

enum { OPT_OP = 256, OPT_MIN, OPT_MAX, OPT_TIME, OPT_WARMUP, OPT_ROOT, OPT_NOPLACE,
       OPT_PLOT };

static int parse_op(const char *s, struct collectives_args *a)
{
	const char *names[PERFKIT_MPI_COLLECTIVES + 1];
	int v = 0;

	for (int i = 0; i < PERFKIT_MPI_COLLECTIVES; i++)
		names[i] = perfkit_mpi_collective_name((enum perfkit_mpi_collective)i);
	names[PERFKIT_MPI_COLLECTIVES] = "all";
	if (cli_parse_enum("--op", s, names, PERFKIT_MPI_COLLECTIVES + 1, &v) != 0)
		return -1;
	a->all = v == PERFKIT_MPI_COLLECTIVES;
	a->o.op = a->all ? PERFKIT_MPI_BARRIER : (enum perfkit_mpi_collective)v;
	return 0;
}

static int parse_one(int c, struct collectives_args *a, int *help, int *version)
{
	struct perfkit_mpi_collective_options *o = &a->o;
	int rc = 0;

	switch (c) {
	case OPT_OP: rc = parse_op(optarg, a); break;
	case OPT_MIN: rc = cli_parse_i64("--min-bytes", optarg, 4, PERFKIT_MPI_BYTES_MAX, &o->min_bytes); break;
	case OPT_MAX: rc = cli_parse_i64("--max-bytes", optarg, 4, PERFKIT_MPI_BYTES_MAX, &o->max_bytes); break;
	case OPT_TIME: rc = cli_parse_positive("--time", optarg, 60, &o->time); break;
	case OPT_WARMUP: rc = cli_parse_u64("--warmup", optarg, 0, 1000000, &o->warmup); break;
	case OPT_ROOT: rc = cli_parse_int("--root", optarg, 0, 1 << 30, &o->root); break;
	case OPT_NOPLACE: a->no_place = 1; break;
	case 'o': a->outfile = optarg; break;
	case OPT_PLOT: a->plot = optarg; break;
	case 'h': *help = 1; break;
	case CLI_OPT_VERSION: *version = 1; break;
	default: return -1;
	}
	return rc;
}

static int check(const struct collectives_args *a, const struct mpi_rank *me)
{
	if (a->o.min_bytes % 4 != 0)
		return cli_error("--min-bytes %lld: must be a multiple of 4 (reductions add floats)",
				 (long long)a->o.min_bytes);
	if (a->o.time < 1e-6)
		return cli_error("--time %g: need at least 1e-06 seconds", a->o.time);
	if (a->o.min_bytes > a->o.max_bytes)
		return cli_error("--min-bytes %lld is above --max-bytes %lld",
				 (long long)a->o.min_bytes, (long long)a->o.max_bytes);
	if (a->o.root >= me->size)
		return cli_error("--root %d: not a rank (0 to %d)", a->o.root, me->size - 1);
	return mpi_outputs_check(a->outfile, a->plot, me);
}

int collectives_command_line(int argc, char **argv, const struct mpi_rank *me, void *data)
{
	static const struct option opts[] = {
		{ "op", required_argument, NULL, OPT_OP },
		{ "min-bytes", required_argument, NULL, OPT_MIN },
		{ "max-bytes", required_argument, NULL, OPT_MAX },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "no-place", no_argument, NULL, OPT_NOPLACE },
		{ "outfile", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 }
	};
	struct collectives_args *a = data;
	int c, help = 0, version = 0;

	memset(a, 0, sizeof(*a));
	perfkit_mpi_collective_options_init(&a->o);
	optind = 1;
	while ((c = cli_getopt(argc, argv, "o:h", opts)) != -1)
		if (parse_one(c, a, &help, &version) != 0)
			return CLI_EXIT_USAGE;
	if ((c = mpi_options_parsed(argc, argv, help, version, usage)) >= 0)
		return c;
	return check(a, me) != 0 ? CLI_EXIT_USAGE : -1;
}
