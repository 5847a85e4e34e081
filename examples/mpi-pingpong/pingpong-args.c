/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pingpong: the command line, checked before any message. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pingpong.h"
#include "mpi-options.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [options]\n"
		"Latency and bandwidth between MPI ranks 0 and 1 for message sizes from\n"
		"0 B to 4 MiB, powers of two and NetPIPE's +-3 byte perturbations, as\n"
		"NetPIPE's NPmpi measures them. Run it on 2 ranks:\n"
		"  mpirun -np 2 perfkit-mpi-pingpong\n"
		"      --min-bytes B        smallest message (default 0)\n"
		"      --max-bytes B        largest message (default 4194304, at most 1 GiB)\n"
		"      --perturbation P     bytes around each power of two (default 3; 0: none)\n"
		"      --trials T           timed trials per size, the best one counts (default 5)\n"
		"      --trial-time SECONDS how long a trial should last (default 0.005)\n"
		"      --warmup R           untimed round trips before each size (default 2)\n"
		"      --stream             streaming bandwidth: a window of non-blocking\n"
		"                           sends, acknowledged per window (osu_bw)\n"
		"      --window W           messages in flight with --stream (default 64)\n"
		"      --no-place           keep the CPUs the launcher gave each rank even\n"
		"                           when ranks of a node share them\n"
		"  -o, --outfile FILE       write the records: .json, .csv, .jsonl or .ndjson\n"
		"      --plot FILE          draw latency and bandwidth against size, .png or .svg\n"
		"  -h, --help               this text\n"
		"      --version            the program's and libperfkit's version\n",
		cli_program());
}

enum { OPT_MIN = 256, OPT_MAX, OPT_PERT, OPT_TRIALS, OPT_TIME, OPT_WARMUP,
       OPT_STREAM, OPT_WINDOW, OPT_PLOT, OPT_NOPLACE };

static int parse_one(int c, struct pingpong_args *a, int *help, int *version)
{
	struct perfkit_mpi_p2p_options *o = &a->o;
	uint64_t u = 0;
	int rc = 0;

	switch (c) {
	case OPT_MIN: rc = cli_parse_i64("--min-bytes", optarg, 0, PERFKIT_MPI_BYTES_MAX, &o->min_bytes); break;
	case OPT_MAX: rc = cli_parse_i64("--max-bytes", optarg, 0, PERFKIT_MPI_BYTES_MAX, &o->max_bytes); break;
	case OPT_PERT: rc = cli_parse_int("--perturbation", optarg, 0, 1024, &o->perturbation); break;
	case OPT_TRIALS:
		rc = cli_parse_u64("--trials", optarg, 1, 1000, &u);
		o->trials = (unsigned)u;
		break;
	case OPT_TIME: rc = cli_parse_positive("--trial-time", optarg, 60, &o->trial_time); break;
	case OPT_WARMUP: rc = cli_parse_u64("--warmup", optarg, 0, 1000000, &o->warmup); break;
	case OPT_STREAM: o->pattern = PERFKIT_MPI_STREAM; break;
	case OPT_WINDOW:
		rc = cli_parse_u64("--window", optarg, 1, 1024, &u);
		o->window = (unsigned)u;
		break;
	case OPT_NOPLACE: a->no_place = 1; break;
	case 'o': a->outfile = optarg; break;
	case OPT_PLOT: a->plot = optarg; break;
	case 'h': *help = 1; break;
	case CLI_OPT_VERSION: *version = 1; break;
	default: return -1;
	}
	return rc;
}

static int check(const struct pingpong_args *a, const struct mpi_rank *me)
{
	if (a->o.trial_time < 1e-6)
		return cli_error("--trial-time %g: need at least 1e-06 seconds", a->o.trial_time);
	if (a->o.min_bytes > a->o.max_bytes)
		return cli_error("--min-bytes %lld is above --max-bytes %lld",
				 (long long)a->o.min_bytes, (long long)a->o.max_bytes);
	return mpi_outputs_check(a->outfile, a->plot, me);
}

int pingpong_command_line(int argc, char **argv, const struct mpi_rank *me, void *data)
{
	static const struct option opts[] = {
		{ "min-bytes", required_argument, NULL, OPT_MIN },
		{ "max-bytes", required_argument, NULL, OPT_MAX },
		{ "perturbation", required_argument, NULL, OPT_PERT },
		{ "trials", required_argument, NULL, OPT_TRIALS },
		{ "trial-time", required_argument, NULL, OPT_TIME },
		{ "warmup", required_argument, NULL, OPT_WARMUP },
		{ "stream", no_argument, NULL, OPT_STREAM },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "no-place", no_argument, NULL, OPT_NOPLACE },
		{ "outfile", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		CLI_OPTIONS_STANDARD,
		{ NULL, 0, NULL, 0 }
	};
	struct pingpong_args *a = data;
	int c, help = 0, version = 0;

	memset(a, 0, sizeof(*a));
	perfkit_mpi_p2p_options_init(&a->o);
	optind = 1;
	while ((c = cli_getopt(argc, argv, "o:h", opts)) != -1)
		if (parse_one(c, a, &help, &version) != 0)
			return CLI_EXIT_USAGE;
	if ((c = mpi_options_parsed(argc, argv, help, version, usage)) >= 0)
		return c;
	return check(a, me) != 0 ? CLI_EXIT_USAGE : -1;
}
