/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "machine-private.h"

static const struct perfkit_machine *probe_or_fail(void)
{
	const struct perfkit_machine *m = NULL;

	ck_assert_int_eq(perfkit_machine_probe(&m), 0);
	ck_assert_ptr_nonnull(m);
	return m;
}

/* ---- probe and cache ---- */

enum { RACERS = 8 };
static pthread_barrier_t race_start;

static void *race_probe(void *arg)
{
	const struct perfkit_machine **out = arg;

	pthread_barrier_wait(&race_start);
	if (perfkit_machine_probe(out) != 0)
		*out = NULL;
	return NULL;
}

START_TEST(test_probe_concurrent_first_use)
{
	const struct perfkit_machine *got[RACERS];
	pthread_t th[RACERS];

	/* Each test runs in a fresh process (CK_FORK), so this is the first
	 * use: all racers must get one and the same description. */
	pthread_barrier_init(&race_start, NULL, RACERS);
	for (int i = 0; i < RACERS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, race_probe, &got[i]), 0);
	for (int i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&race_start);
	for (int i = 0; i < RACERS; i++) {
		ck_assert_ptr_nonnull(got[i]);
		ck_assert_ptr_eq(got[i], got[0]);
	}
}
END_TEST

START_TEST(test_probe_is_cached)
{
	const struct perfkit_machine *a = probe_or_fail(), *b = probe_or_fail();
	double ga, gb;

	ck_assert_ptr_eq(a, b);
	ck_assert_int_eq(perfkit_machine_clock_measured(a, &ga, NULL), 0);
	ck_assert_int_eq(perfkit_machine_clock_measured(b, &gb, NULL), 0);
	ck_assert(ga == gb);
	ck_assert_int_eq(perfkit_machine_probe(NULL), -EINVAL);
	ck_assert_str_ne(perfkit_last_error(), "");
}
END_TEST

/* ---- topology against the OS ---- */

START_TEST(test_topology_matches_os)
{
	const struct perfkit_machine *m = probe_or_fail();
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t cs;
	unsigned allowed = 0;

	ck_assert_int_eq(perfkit_machine_pus(m), (unsigned)online);
	ck_assert_uint_ge(perfkit_machine_packages(m), 1);
	ck_assert_uint_ge(perfkit_machine_numa_nodes(m), 1);
	ck_assert_uint_ge(perfkit_machine_cores(m), perfkit_machine_packages(m));
	ck_assert_uint_le(perfkit_machine_cores(m), perfkit_machine_pus(m));

	CPU_ZERO(&cs);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(cs), &cs), 0);
	ck_assert_uint_eq(perfkit_machine_allowed_pus(m), (unsigned)CPU_COUNT(&cs));
	ck_assert_uint_ge(perfkit_machine_allowed_cores(m), 1);
	ck_assert_uint_le(perfkit_machine_allowed_cores(m), perfkit_machine_allowed_pus(m));

	/* Each PU's OS number is allowed exactly when the affinity says. */
	for (unsigned pu = 0; pu < perfkit_machine_pus(m); pu++) {
		unsigned os = 9999, core = 9999;
		int ok = -1;

		ck_assert_int_eq(perfkit_machine_pu(m, pu, &os, &core, &ok), 0);
		ck_assert_uint_lt(core, perfkit_machine_cores(m));
		ck_assert_int_eq(ok, CPU_ISSET(os, &cs) ? 1 : 0);
		allowed += (unsigned)ok;
	}
	ck_assert_uint_eq(allowed, perfkit_machine_allowed_pus(m));
}
END_TEST

START_TEST(test_null_handle_getters)
{
	ck_assert_uint_eq(perfkit_machine_pus(NULL), 0);
	ck_assert_uint_eq(perfkit_machine_cores(NULL), 0);
	ck_assert_uint_eq(perfkit_machine_packages(NULL), 0);
	ck_assert_uint_eq(perfkit_machine_numa_nodes(NULL), 0);
	ck_assert_uint_eq(perfkit_machine_allowed_pus(NULL), 0);
	ck_assert_uint_eq(perfkit_machine_allowed_cores(NULL), 0);
	ck_assert_uint_eq(perfkit_machine_simd(NULL), 0);
	ck_assert_uint_eq(perfkit_machine_kv_count(NULL), 0);
	ck_assert_uint_eq(perfkit_machine_warning_count(NULL), 0);
	ck_assert_str_eq(perfkit_machine_cpu_vendor(NULL), "unknown");
	ck_assert_str_eq(perfkit_machine_cpu_model(NULL), "unknown");
	ck_assert_str_eq(perfkit_machine_cpu_uarch(NULL), "unknown");
	ck_assert_int_eq(perfkit_machine_pu(NULL, 0, NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_cpu_id(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_cache(NULL, 1, PERFKIT_CACHE_DATA,
					       NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_flops_per_cycle(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_clock_nominal(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_clock_measured(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_peak_gflops(NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_warning_get(NULL, 0, NULL, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_kv_get(NULL, 0, NULL, NULL), -EINVAL);
}
END_TEST

START_TEST(test_pu_out_of_range)
{
	const struct perfkit_machine *m = probe_or_fail();
	unsigned os = 42;

	ck_assert_int_eq(perfkit_machine_pu(m, perfkit_machine_pus(m), &os, NULL, NULL),
			 -EINVAL);
	ck_assert_int_eq(perfkit_machine_pu(m, 0xffffffffu, &os, NULL, NULL), -EINVAL);
	ck_assert_uint_eq(os, 42);
	/* NULL outputs are allowed. */
	ck_assert_int_eq(perfkit_machine_pu(m, 0, NULL, NULL, NULL), 0);
}
END_TEST

/* ---- caches ---- */

START_TEST(test_caches)
{
	const struct perfkit_machine *m = probe_or_fail();
	uint64_t size = 0, prev = 0;
	unsigned line = 0, count = 0, found = 0;
	const char *v;

	for (unsigned level = 1; level <= 5; level++) {
		if (perfkit_machine_cache(m, level, PERFKIT_CACHE_DATA, &size, &line,
					  &count) != 0)
			continue;
		found++;
		ck_assert_uint_gt(size, 0);
		ck_assert_uint_ge(count, 1);
		ck_assert_uint_le(count, perfkit_machine_pus(m));
		/* A line is 0 (unknown) or a power of two. */
		ck_assert((line & (line - 1)) == 0);
		ck_assert_uint_ge(size, prev); /* outer levels are not smaller */
		prev = size;
	}
	/* No cache at all is possible (hwloc finds them through sysfs or
	 * cpuid; a VM under valgrind may offer neither): then the keys
	 * must be absent too. */
	if (!found)
		ck_assert_int_eq(perfkit_machine_kv_find(m, "cache.L1d.size", &v),
				 -ENOENT);
	ck_assert_int_eq(perfkit_machine_cache(m, 0, PERFKIT_CACHE_DATA, &size, NULL, NULL),
			 -ENOENT);
	ck_assert_int_eq(perfkit_machine_cache(m, 9, PERFKIT_CACHE_DATA, &size, NULL, NULL),
			 -ENOENT);
	ck_assert_int_eq(perfkit_machine_cache(m, 1, (enum perfkit_cache_kind)7,
					       &size, NULL, NULL), -EINVAL);
}
END_TEST

/* The cache keys agree with the getter. */
START_TEST(test_cache_keys)
{
	const struct perfkit_machine *m = probe_or_fail();
	uint64_t size;
	const char *v;
	unsigned line, count;

	if (perfkit_machine_cache(m, 1, PERFKIT_CACHE_DATA, &size, &line, &count) != 0)
		return;
	if (perfkit_machine_kv_find(m, "cache.L1d.size", &v) != 0)
		ck_assert_int_eq(perfkit_machine_kv_find(m, "cache.L1.size", &v), 0);
	ck_assert_uint_eq(strtoull(v, NULL, 10), size);
}
END_TEST

/* ---- identity, SIMD, clock, peak ---- */

START_TEST(test_identity_and_simd)
{
	const struct perfkit_machine *m = probe_or_fail();
	unsigned fam, mod, simd = perfkit_machine_simd(m);

	ck_assert_ptr_nonnull(perfkit_machine_cpu_vendor(m));
	ck_assert_ptr_nonnull(perfkit_machine_cpu_model(m));
#if defined(__x86_64__)
	ck_assert_int_eq(perfkit_machine_cpu_id(m, &fam, &mod), 0);
	ck_assert(simd & PERFKIT_SIMD_SSE2); /* part of x86-64 */
	if (simd & PERFKIT_SIMD_AVX2)
		ck_assert(simd & PERFKIT_SIMD_AVX);
	ck_assert_uint_eq(simd & (PERFKIT_SIMD_NEON | PERFKIT_SIMD_SVE), 0);
#else
	(void)fam, (void)mod;
#endif
	ck_assert_str_eq(perfkit_simd_name(PERFKIT_SIMD_AVX512F), "avx512f");
	ck_assert_str_eq(perfkit_simd_name(PERFKIT_SIMD_SSE2), "sse2");
	ck_assert_str_eq(perfkit_simd_name(PERFKIT_SIMD_NEON), "neon");
	ck_assert_str_eq(perfkit_simd_name((enum perfkit_simd)3), "unknown");
}
END_TEST

START_TEST(test_clock)
{
	const struct perfkit_machine *m = probe_or_fail();
	double ghz = -1, nominal = -1;
	const char *src = NULL;
	int rc;

#if defined(__x86_64__) || defined(__aarch64__)
	ck_assert_int_eq(perfkit_machine_clock_measured(m, &ghz, &src), 0);
	ck_assert(isfinite(ghz) && ghz > 0);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(strstr(src, "add chain"));
#endif
	rc = perfkit_machine_clock_nominal(m, &nominal, &src);
	ck_assert_ptr_nonnull(src);
	if (rc == 0)
		ck_assert(isfinite(nominal) && nominal > 0);
	else
		ck_assert_int_eq(rc, -ENOTSUP);
}
END_TEST

START_TEST(test_measure_ghz_direct)
{
	double med = 0, lo = 0, hi = 0;

#if defined(__x86_64__) || defined(__aarch64__)
	ck_assert_int_ge(pk_measure_ghz(3, &med, &lo, &hi), 3);
	ck_assert(isfinite(med) && med > 0);
	ck_assert(lo <= med && med <= hi);
#endif
	ck_assert_int_eq(pk_measure_ghz(0, &med, NULL, NULL), -EINVAL);
	ck_assert_int_eq(pk_measure_ghz(16, &med, NULL, NULL), -EINVAL);
	ck_assert_int_eq(pk_measure_ghz(3, NULL, NULL, NULL), -EINVAL);
}
END_TEST

/* Peak = allowed cores x measured GHz x FLOPs/cycle when all are known. */
START_TEST(test_peak_consistent)
{
	const struct perfkit_machine *m = probe_or_fail();
	double dp, sp, fdp, fsp, ghz;
	int rc = perfkit_machine_peak_gflops(m, &dp, &sp);

	if (perfkit_machine_flops_per_cycle(m, &fdp, &fsp) != 0) {
		ck_assert_int_eq(rc, -ENOTSUP);
		return;
	}
	ck_assert_int_eq(perfkit_machine_clock_measured(m, &ghz, NULL), 0);
	ck_assert_int_eq(rc, 0);
	ck_assert_close(dp, perfkit_machine_allowed_cores(m) * ghz * fdp, 1e-12);
	ck_assert_close(sp, perfkit_machine_allowed_cores(m) * ghz * fsp, 1e-12);
	ck_assert_close(sp, 2 * dp, 1e-12);
}
END_TEST

START_TEST(test_peak_formula)
{
	double g = -1;

	ck_assert_int_eq(pk_peak_gflops(2, 3.5, 32, &g), 0);
	ck_assert_close(g, 224.0, 1e-15);
	ck_assert_int_eq(pk_peak_gflops(64, 2.25, 16, &g), 0);
	ck_assert_close(g, 2304.0, 1e-15);
	g = -1;
	ck_assert_int_eq(pk_peak_gflops(0, 3.5, 32, &g), -EDOM);
	ck_assert_int_eq(pk_peak_gflops(2, NAN, 32, &g), -EDOM);
	ck_assert_int_eq(pk_peak_gflops(2, INFINITY, 32, &g), -EDOM);
	ck_assert_int_eq(pk_peak_gflops(2, -1, 32, &g), -EDOM);
	ck_assert_int_eq(pk_peak_gflops(2, 3.5, 0, &g), -EDOM);
	ck_assert_int_eq(pk_peak_gflops(2, 3.5, NAN, &g), -EDOM);
	ck_assert(g == -1);
	ck_assert_int_eq(pk_peak_gflops(2, 3.5, 32, NULL), -EINVAL);
}
END_TEST

/* ---- the FLOPs/cycle table ---- */

#define SSE (PERFKIT_SIMD_SSE2)
#define AVX (SSE | PERFKIT_SIMD_AVX)
#define AVX2FMA (AVX | PERFKIT_SIMD_AVX2 | PERFKIT_SIMD_FMA)
#define AVX512 (AVX2FMA | PERFKIT_SIMD_AVX512F)
#define NEON (PERFKIT_SIMD_NEON | PERFKIT_SIMD_FMA)

struct flops_case {
	const char *vendor;
	unsigned family, model, simd;
	double dp, sp;
	const char *uarch;
};

START_TEST(test_flops_table_documented_values)
{
	static const struct flops_case cases[] = {
		{ "AuthenticAMD", 0x17, 0x01, AVX2FMA, 8, 16, "Zen" },
		{ "AuthenticAMD", 0x17, 0x31, AVX2FMA, 16, 32, "Zen 2" },  /* Rome */
		{ "AuthenticAMD", 0x17, 0x71, AVX2FMA, 16, 32, "Zen 2" },  /* Matisse */
		{ "AuthenticAMD", 0x19, 0x01, AVX2FMA, 16, 32, "Zen 3" },  /* Milan */
		{ "AuthenticAMD", 0x19, 0x11, AVX512, 16, 32, "Zen 4" },   /* Genoa */
		{ "AuthenticAMD", 0x19, 0x61, AVX512, 16, 32, "Zen 4" },   /* Raphael */
		{ "AuthenticAMD", 0x1a, 0x02, AVX512, 32, 64, "Zen 5" },   /* Turin */
		{ "AuthenticAMD", 0x1a, 0x02, AVX2FMA, 16, 32, "Zen 5" },  /* no AVX-512 */
		{ "AuthenticAMD", 0x1a, 0x44, AVX512, 32, 64, "Zen 5" },   /* Granite Ridge */
		{ "AuthenticAMD", 0x1a, 0x24, AVX512, 16, 32, "Zen 5 (mobile)" },
		{ "GenuineIntel", 6, 0x2a, AVX, 8, 16, "Sandy Bridge" },
		{ "GenuineIntel", 6, 0x3c, AVX2FMA, 16, 32, "Haswell" },
		{ "GenuineIntel", 6, 0x4f, AVX2FMA, 16, 32, "Broadwell" },
		{ "GenuineIntel", 6, 0x9e, AVX2FMA, 16, 32, "Kaby/Coffee Lake" },
		{ "GenuineIntel", 6, 0x7e, AVX512, 16, 32, "Ice Lake (client)" },
		{ "GenuineIntel", 6, 0x6a, AVX512, 32, 64, "Ice Lake-SP" },
		{ "GenuineIntel", 6, 0x8f, AVX512, 32, 64, "Sapphire Rapids" },
		{ "GenuineIntel", 6, 0x8f, AVX2FMA, 16, 32, "Sapphire Rapids" },
		{ "ARM", 0x41, 0xd0c, NEON, 8, 16, "Neoverse N1" },
		{ "ARM", 0x41, 0xd40, NEON | PERFKIT_SIMD_SVE, 16, 32, "Neoverse V1" },
		{ "Fujitsu", 0x46, 0x001, NEON | PERFKIT_SIMD_SVE, 32, 64, "A64FX" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct flops_case *c = &cases[i];
		const struct pk_flops_entry *e = NULL;

		ck_assert_msg(pk_flops_lookup(c->vendor, c->family, c->model,
					      c->simd, &e) == 0,
			      "case %zu: %s", i, perfkit_last_error());
		ck_assert_msg(e->dp == c->dp && e->sp == c->sp,
			      "case %zu (%s 0x%x 0x%x): got %g/%g, want %g/%g", i,
			      c->vendor, c->family, c->model, e->dp, e->sp, c->dp, c->sp);
		ck_assert_str_eq(e->uarch, c->uarch);
		ck_assert_ptr_nonnull(e->source);
	}
}
END_TEST

START_TEST(test_flops_table_amx_overrides_model)
{
	const struct pk_flops_entry *e = NULL;

	/* A Xeon with AMX shown by KVM as Rocket Lake (0xA7): two FMA units. */
	ck_assert_int_eq(pk_flops_lookup("GenuineIntel", 6, 0xa7,
					 AVX512 | PK_CPU_AMX, &e), 0);
	ck_assert(e->dp == 32 && e->sp == 64);
	ck_assert_ptr_nonnull(strstr(e->uarch, "AMX"));
	/* ... and even under a model number the table does not know. */
	ck_assert_int_eq(pk_flops_lookup("GenuineIntel", 6, 0x01,
					 AVX512 | PK_CPU_AMX, &e), 0);
	ck_assert(e->dp == 32);
	/* Without AMX the model decides: one 512-bit FMA on Rocket Lake. */
	ck_assert_int_eq(pk_flops_lookup("GenuineIntel", 6, 0xa7, AVX512, &e), 0);
	ck_assert(e->dp == 16);
	/* AMX without usable AVX-512, or on another vendor, changes nothing. */
	ck_assert_int_eq(pk_flops_lookup("GenuineIntel", 6, 0xa7,
					 AVX2FMA | PK_CPU_AMX, &e), 0);
	ck_assert(e->dp == 16);
	ck_assert_int_eq(pk_flops_lookup("AuthenticAMD", 0x15, 0x02,
					 AVX512 | PK_CPU_AMX, &e), -ENOTSUP);
	ck_assert(pk_cpu_has_amx() == 0 || pk_cpu_has_amx() == PK_CPU_AMX);
}
END_TEST

START_TEST(test_flops_table_unknown_is_not_guessed)
{
	static const struct flops_case cases[] = {
		{ "AuthenticAMD", 0x1a, 0x50, AVX512, 0, 0, NULL },  /* Zen 6: not yet */
		{ "AuthenticAMD", 0x15, 0x02, AVX, 0, 0, NULL },     /* Bulldozer family */
		{ "AuthenticAMD", 0x17, 0x31, SSE, 0, 0, NULL },     /* Zen 2 without FMA */
		{ "GenuineIntel", 6, 0x55, AVX512, 0, 0, NULL },     /* SKX: 1 or 2 units */
		{ "GenuineIntel", 6, 0x97, AVX2FMA, 0, 0, NULL },    /* Alder Lake hybrid */
		{ "GenuineIntel", 6, 0x8f, SSE, 0, 0, NULL },
		{ "CentaurHauls", 6, 0x0f, AVX2FMA, 0, 0, NULL },
		{ "", 0, 0, 0, 0, 0, NULL },
		{ "ARM", 0x41, 0xfff, NEON, 0, 0, NULL },
	};
	const struct pk_flops_entry *e = NULL;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct flops_case *c = &cases[i];

		ck_assert_msg(pk_flops_lookup(c->vendor, c->family, c->model,
					      c->simd, &e) == -ENOTSUP, "case %zu", i);
		ck_assert_str_ne(perfkit_last_error(), "");
	}
	ck_assert_int_eq(pk_flops_lookup(NULL, 6, 0x3c, AVX2FMA, &e), -EINVAL);
	ck_assert_int_eq(pk_flops_lookup("GenuineIntel", 6, 0x3c, AVX2FMA, NULL), -EINVAL);
}
END_TEST

/* ---- file readers ---- */

static char tmpdir[64];

static const char *write_tmp(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/pk-machine-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(test_read_khz_file)
{
	double g = -1;

	ck_assert_int_eq(pk_read_khz_file(write_tmp("ok", "2250000\n"), &g), 0);
	ck_assert_close(g, 2.25, 1e-15);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("sp", "  3700000  \n"), &g), 0);
	ck_assert_close(g, 3.7, 1e-15);
	g = -1;
	ck_assert_int_eq(pk_read_khz_file(write_tmp("empty", ""), &g), -EBADMSG);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("blank", "\n"), &g), -EBADMSG);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("junk", "fast\n"), &g), -EBADMSG);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("trail", "2200000 kHz\n"), &g), -EBADMSG);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("zero", "0\n"), &g), -ERANGE);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("neg", "-5\n"), &g), -ERANGE);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("nan", "nan\n"), &g), -ERANGE);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("inf", "inf\n"), &g), -ERANGE);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("huge", "1e999\n"), &g), -EBADMSG);
	ck_assert_int_eq(pk_read_khz_file("/nonexistent/perfkit", &g), -ENOENT);
	ck_assert_int_eq(pk_read_khz_file(NULL, &g), -EINVAL);
	ck_assert_int_eq(pk_read_khz_file(write_tmp("ok2", "1\n"), NULL), -EINVAL);
	ck_assert(g == -1);
}
END_TEST

START_TEST(test_cpuinfo_mhz)
{
	double g = -1;

	ck_assert_int_eq(pk_cpuinfo_mhz(write_tmp("ci", "processor\t: 0\n"
						  "vendor_id\t: AuthenticAMD\n"
						  "cpu MHz\t\t: 2096.026\n"
						  "cpu MHz\t\t: 3000.000\n"), &g), 0);
	ck_assert_close(g, 2.096026, 1e-12); /* the first line counts */
	g = -1;
	ck_assert_int_eq(pk_cpuinfo_mhz(write_tmp("ci0", ""), &g), -ENOENT);
	ck_assert_int_eq(pk_cpuinfo_mhz(write_tmp("ci1", "processor : 0\n"), &g), -ENOENT);
	ck_assert_int_eq(pk_cpuinfo_mhz(write_tmp("ci2", "cpu MHz 2000\n"), &g), -EBADMSG);
	ck_assert_int_eq(pk_cpuinfo_mhz(write_tmp("ci3", "cpu MHz : \n"), &g), -EBADMSG);
	ck_assert_int_eq(pk_cpuinfo_mhz(write_tmp("ci4", "cpu MHz : 2.1GHz\n"), &g), -EBADMSG);
	ck_assert_int_eq(pk_cpuinfo_mhz(write_tmp("ci5", "cpu MHz : 0\n"), &g), -ERANGE);
	ck_assert_int_eq(pk_cpuinfo_mhz(write_tmp("ci6", "cpu MHz : -inf\n"), &g), -ERANGE);
	ck_assert_int_eq(pk_cpuinfo_mhz("/nonexistent/cpuinfo", &g), -ENOENT);
	ck_assert_int_eq(pk_cpuinfo_mhz(NULL, &g), -EINVAL);
	ck_assert(g == -1);
}
END_TEST

START_TEST(test_read_line)
{
	char buf[8];

	ck_assert_int_eq(pk_read_line(write_tmp("l1", "performance\n"), buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "perform"); /* truncated to the buffer */
	ck_assert_int_eq(pk_read_line(write_tmp("l2", "on \n"), buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "on");
	ck_assert_int_eq(pk_read_line(write_tmp("l3", ""), buf, sizeof(buf)), -EBADMSG);
	ck_assert_int_eq(pk_read_line("/nonexistent/x", buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(pk_read_line(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(pk_read_line("/dev/null", NULL, 8), -EINVAL);
	ck_assert_int_eq(pk_read_line("/dev/null", buf, 0), -EINVAL);
}
END_TEST

/* ---- warnings ---- */

START_TEST(test_warnings)
{
	const struct perfkit_machine *m = probe_or_fail();
	size_t n = perfkit_machine_warning_count(m);
	enum perfkit_machine_warning code;
	const char *msg, *v;
	char key[64];

	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(perfkit_machine_warning_get(m, i, &code, &msg), 0);
		ck_assert_str_ne(perfkit_machine_warning_name(code), "unknown");
		ck_assert_uint_gt(strlen(msg), 0);
		/* Each warning is also a key. */
		snprintf(key, sizeof(key), "warning.%s", perfkit_machine_warning_name(code));
		ck_assert_int_eq(perfkit_machine_kv_find(m, key, &v), 0);
		ck_assert_str_eq(v, msg);
	}
	ck_assert_int_eq(perfkit_machine_warning_get(m, n, &code, &msg), -EINVAL);
	ck_assert_str_eq(perfkit_machine_warning_name(PERFKIT_MACHINE_WARN_HYPERVISOR),
			 "hypervisor");
	ck_assert_str_eq(perfkit_machine_warning_name((enum perfkit_machine_warning)0),
			 "unknown");
	ck_assert_str_eq(perfkit_machine_warning_name((enum perfkit_machine_warning)99),
			 "unknown");
}
END_TEST

/* OMP_NUM_THREADS set before the first probe gives the warning. */
START_TEST(test_warning_threads_env)
{
	const struct perfkit_machine *m;
	const char *v;

	setenv("OMP_NUM_THREADS", "3", 1);
	m = probe_or_fail();
	ck_assert_int_eq(perfkit_machine_kv_find(m, "env.OMP_NUM_THREADS", &v), 0);
	ck_assert_str_eq(v, "3");
	ck_assert_int_eq(perfkit_machine_kv_find(m, "warning.threads_env", &v), 0);
	ck_assert_ptr_nonnull(strstr(v, "OMP_NUM_THREADS=3"));
}
END_TEST

/* ---- key/value and JSON ---- */

START_TEST(test_kv_keys)
{
	const struct perfkit_machine *m = probe_or_fail();
	size_t n = perfkit_machine_kv_count(m);
	static const char *const required[] = {
		"cpu.vendor", "cpu.model", "topology.cores", "topology.pus",
		"clock.measured_ghz", "clock.nominal_source", "peak.dp_gflops",
		"simd.usable", "host.name", "os.kernel", "build.compiler",
		"blis.version", "hwloc.api_compiled", "hwloc.api_runtime",
	};
	const char *k, *v, *found;
	char buf[32];

	ck_assert_uint_gt(n, 20);
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		ck_assert_msg(perfkit_machine_kv_find(m, required[i], &v) == 0,
			      "missing %s", required[i]);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(perfkit_machine_kv_get(m, i, &k, &v), 0);
		ck_assert_uint_gt(strlen(k), 0);
		/* keys are unique and found again */
		ck_assert_int_eq(perfkit_machine_kv_find(m, k, &found), 0);
		ck_assert_ptr_eq(found, v);
	}
	ck_assert_int_eq(perfkit_machine_kv_get(m, n, &k, &v), -EINVAL);
	ck_assert_int_eq(perfkit_machine_kv_find(m, "no.such.key", &v), -ENOENT);
	ck_assert_int_eq(perfkit_machine_kv_find(m, NULL, &v), -EINVAL);
	ck_assert_int_eq(perfkit_machine_kv_find(m, "cpu.vendor", NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_kv_find(NULL, "cpu.vendor", &v), -EINVAL);

	/* Values agree with the getters. */
	ck_assert_int_eq(perfkit_machine_kv_find(m, "topology.pus", &v), 0);
	snprintf(buf, sizeof(buf), "%u", perfkit_machine_pus(m));
	ck_assert_str_eq(v, buf);
	ck_assert_int_eq(perfkit_machine_kv_find(m, "cpu.vendor", &v), 0);
	ck_assert_str_eq(v, perfkit_machine_cpu_vendor(m));
}
END_TEST

/* Walk a dotted key through nested JSON objects. */
static json_t *json_at(json_t *root, const char *key)
{
	char path[128], *save = NULL;
	json_t *j = root;

	snprintf(path, sizeof(path), "%s", key);
	for (char *p = strtok_r(path, ".", &save); p && j; p = strtok_r(NULL, ".", &save))
		j = json_object_get(j, p);
	return j;
}

START_TEST(test_json_agrees_with_kv)
{
	const struct perfkit_machine *m = probe_or_fail();
	size_t n = perfkit_machine_kv_count(m), leaves = 0;
	char *text = NULL;
	json_error_t err;
	json_t *root;
	const char *k, *v;

	ck_assert_int_eq(perfkit_machine_to_json(m, &text), 0);
	ck_assert_ptr_nonnull(text);
	root = json_loads(text, 0, &err);
	ck_assert_msg(root != NULL, "JSON does not parse: %s (line %d)", err.text, err.line);
	free(text);

	for (size_t i = 0; i < n; i++) {
		json_t *j;

		ck_assert_int_eq(perfkit_machine_kv_get(m, i, &k, &v), 0);
		j = json_at(root, k);
		ck_assert_msg(j != NULL, "key %s missing from JSON", k);
		if (json_is_string(j))
			ck_assert_str_eq(json_string_value(j), v);
		else if (json_is_integer(j))
			ck_assert_int_eq(json_integer_value(j), strtoll(v, NULL, 10));
		else if (json_is_real(j))
			ck_assert_msg(json_real_value(j) == strtod(v, NULL),
				      "%s: %.17g vs %s", k, json_real_value(j), v);
		else
			ck_abort_msg("key %s has an unexpected JSON type", k);
		leaves++;
	}
	ck_assert_uint_eq(leaves, n);
	json_decref(root);

	ck_assert_int_eq(perfkit_machine_to_json(m, NULL), -EINVAL);
	ck_assert_int_eq(perfkit_machine_to_json(NULL, &text), -EINVAL);
}
END_TEST

/* ---- binding ---- */

struct bind_job {
	const struct perfkit_machine *m;
	enum perfkit_bind_target what;
	unsigned index;
	int rc;
	char where[64];
	unsigned last;
	int last_rc;
};

static void *bind_self_job(void *arg)
{
	struct bind_job *j = arg;

	j->rc = perfkit_machine_bind_self(j->m, j->what, j->index);
	if (j->rc == 0) {
		perfkit_machine_binding(j->m, pthread_self(), j->where, sizeof(j->where));
		sched_yield();
		j->last_rc = perfkit_machine_last_pu(j->m, &j->last);
	}
	return NULL;
}

static void run_in_thread(struct bind_job *j)
{
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, bind_self_job, j), 0);
	pthread_join(t, NULL);
}

START_TEST(test_bind_each_allowed_pu)
{
	const struct perfkit_machine *m = probe_or_fail();
	unsigned bound = 0;

	for (unsigned pu = 0; pu < perfkit_machine_pus(m); pu++) {
		struct bind_job j = { .m = m, .what = PERFKIT_BIND_PU, .index = pu };
		char want[16];
		int allowed;

		ck_assert_int_eq(perfkit_machine_pu(m, pu, NULL, NULL, &allowed), 0);
		run_in_thread(&j);
		if (!allowed) {
			ck_assert_int_eq(j.rc, -EINVAL);
			continue;
		}
		ck_assert_msg(j.rc == 0, "bind to PU %u: %d", pu, j.rc);
		snprintf(want, sizeof(want), "%u", pu);
		ck_assert_str_eq(j.where, want);
		ck_assert_int_eq(j.last_rc, 0);
		ck_assert_uint_eq(j.last, pu);
		bound++;
	}
	ck_assert_uint_eq(bound, perfkit_machine_allowed_pus(m));
}
END_TEST

START_TEST(test_bind_core)
{
	const struct perfkit_machine *m = probe_or_fail();
	struct bind_job j = { .m = m, .what = PERFKIT_BIND_CORE };
	unsigned pu_core, first_pu = 0;
	int allowed = 0;

	/* The core of the first allowed PU. */
	for (first_pu = 0; first_pu < perfkit_machine_pus(m); first_pu++) {
		perfkit_machine_pu(m, first_pu, NULL, &pu_core, &allowed);
		if (allowed)
			break;
	}
	ck_assert(allowed);
	j.index = pu_core;
	run_in_thread(&j);
	ck_assert_int_eq(j.rc, 0);
	ck_assert_int_eq(j.last_rc, 0);
	/* It ran on a PU of that core. */
	ck_assert_int_eq(perfkit_machine_pu(m, j.last, NULL, &pu_core, NULL), 0);
	ck_assert_uint_eq(pu_core, j.index);
}
END_TEST

static pthread_barrier_t parked;

static void *park(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&parked); /* bound by the main thread meanwhile */
	pthread_barrier_wait(&parked);
	return NULL;
}

START_TEST(test_bind_other_thread)
{
	const struct perfkit_machine *m = probe_or_fail();
	unsigned last_allowed = 0;
	char where[64], want[16];
	pthread_t t;
	int allowed;

	for (unsigned pu = 0; pu < perfkit_machine_pus(m); pu++)
		if (perfkit_machine_pu(m, pu, NULL, NULL, &allowed) == 0 && allowed)
			last_allowed = pu;
	pthread_barrier_init(&parked, NULL, 2);
	ck_assert_int_eq(pthread_create(&t, NULL, park, NULL), 0);
	pthread_barrier_wait(&parked);
	ck_assert_int_eq(perfkit_machine_bind_thread(m, t, PERFKIT_BIND_PU, last_allowed), 0);
	ck_assert_int_eq(perfkit_machine_binding(m, t, where, sizeof(where)), 0);
	snprintf(want, sizeof(want), "%u", last_allowed);
	ck_assert_str_eq(where, want);
	ck_assert_int_eq(perfkit_machine_bind_thread(m, t, PERFKIT_BIND_PU,
						     perfkit_machine_pus(m)), -EINVAL);
	pthread_barrier_wait(&parked);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&parked);
}
END_TEST

START_TEST(test_bind_bad_input)
{
	const struct perfkit_machine *m = probe_or_fail();
	char where[64], tiny[1];
	unsigned pu;

	ck_assert_int_eq(perfkit_machine_bind_self(NULL, PERFKIT_BIND_PU, 0), -EINVAL);
	ck_assert_int_eq(perfkit_machine_bind_self(m, PERFKIT_BIND_PU,
						   perfkit_machine_pus(m)), -EINVAL);
	ck_assert_int_eq(perfkit_machine_bind_self(m, PERFKIT_BIND_CORE,
						   perfkit_machine_cores(m)), -EINVAL);
	ck_assert_int_eq(perfkit_machine_bind_self(m, PERFKIT_BIND_PU, 0xffffffffu), -EINVAL);
	ck_assert_int_eq(perfkit_machine_bind_self(m, (enum perfkit_bind_target)5, 0),
			 -EINVAL);
	ck_assert_int_eq(perfkit_machine_bind_thread(NULL, pthread_self(),
						     PERFKIT_BIND_PU, 0), -EINVAL);
	ck_assert_int_eq(perfkit_machine_binding(NULL, pthread_self(), where,
						 sizeof(where)), -EINVAL);
	ck_assert_int_eq(perfkit_machine_binding(m, pthread_self(), NULL, 8), -EINVAL);
	ck_assert_int_eq(perfkit_machine_binding(m, pthread_self(), where, 0), -EINVAL);
	/* One byte holds only the terminator. */
	ck_assert_int_eq(perfkit_machine_binding(m, pthread_self(), tiny, sizeof(tiny)),
			 -ERANGE);
	ck_assert_int_eq(perfkit_machine_last_pu(NULL, &pu), -EINVAL);
	ck_assert_int_eq(perfkit_machine_last_pu(m, NULL), -EINVAL);
}
END_TEST

/* A PU outside the process's allowed set is refused with -EINVAL. */
static void *bind_disallowed_job(void *arg)
{
	struct bind_job *j = arg;

	j->rc = 1; /* stays 1 if every PU is allowed */
	for (unsigned pu = 0; pu < perfkit_machine_pus(j->m); pu++) {
		int allowed;

		perfkit_machine_pu(j->m, pu, NULL, NULL, &allowed);
		if (!allowed) {
			j->rc = perfkit_machine_bind_self(j->m, PERFKIT_BIND_PU, pu);
			snprintf(j->where, sizeof(j->where), "%s", perfkit_last_error());
			break;
		}
	}
	return NULL;
}

START_TEST(test_bind_disallowed)
{
	const struct perfkit_machine *m;
	struct bind_job j = { 0 };
	cpu_set_t cs;
	pthread_t t;

	/* Restrict the process to its first allowed CPU before the first
	 * probe, so the others are known but not allowed. */
	CPU_ZERO(&cs);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(cs), &cs), 0);
	if (CPU_COUNT(&cs) < 2)
		return; /* a one-CPU machine has no disallowed PU to try */
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &cs)) {
			CPU_ZERO(&cs);
			CPU_SET(c, &cs);
			break;
		}
	ck_assert_int_eq(sched_setaffinity(0, sizeof(cs), &cs), 0);
	m = probe_or_fail();
	ck_assert_uint_eq(perfkit_machine_allowed_pus(m), 1);
	j.m = m;
	ck_assert_int_eq(pthread_create(&t, NULL, bind_disallowed_job, &j), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(j.rc, -EINVAL);
	ck_assert_ptr_nonnull(strstr(j.where, "not allowed"));
}
END_TEST

/* Probe once in the runner, before Check forks a process per test, so the
 * tests share one probe (each takes ~20 ms, longer on a busy machine). */
static void probe_in_parent(void)
{
	const struct perfkit_machine *m;

	perfkit_machine_probe(&m);
}

static Suite *machine_suite(void)
{
	Suite *s = suite_create("machine");
	TCase *first = tcase_create("first");
	TCase *probe = tcase_create("probe");
	TCase *table = tcase_create("table");
	TCase *files = tcase_create("files");
	TCase *export = tcase_create("export");
	TCase *bind = tcase_create("bind");

	/* These need a first probe of their own, so they come before the
	 * tcases whose fixture probes in the runner process. */
	tcase_add_test(first, test_probe_concurrent_first_use);
	if (!getenv("CK_FORK") || strcmp(getenv("CK_FORK"), "no") != 0) {
		/* Each changes the process before probing: forked mode only. */
		tcase_add_test(first, test_warning_threads_env);
		tcase_add_test(first, test_bind_disallowed);
	}
	suite_add_tcase(s, first);

	tcase_add_unchecked_fixture(probe, probe_in_parent, NULL);
	tcase_add_unchecked_fixture(export, probe_in_parent, NULL);
	tcase_add_unchecked_fixture(bind, probe_in_parent, NULL);
	tcase_add_test(probe, test_probe_is_cached);
	tcase_add_test(probe, test_topology_matches_os);
	tcase_add_test(probe, test_null_handle_getters);
	tcase_add_test(probe, test_pu_out_of_range);
	tcase_add_test(probe, test_caches);
	tcase_add_test(probe, test_cache_keys);
	tcase_add_test(probe, test_identity_and_simd);
	tcase_add_test(probe, test_clock);
	tcase_add_test(probe, test_measure_ghz_direct);
	tcase_add_test(probe, test_peak_consistent);
	tcase_add_test(probe, test_warnings);
	suite_add_tcase(s, probe);

	tcase_add_test(table, test_peak_formula);
	tcase_add_test(table, test_flops_table_documented_values);
	tcase_add_test(table, test_flops_table_unknown_is_not_guessed);
	tcase_add_test(table, test_flops_table_amx_overrides_model);
	suite_add_tcase(s, table);

	tcase_add_test(files, test_read_khz_file);
	tcase_add_test(files, test_cpuinfo_mhz);
	tcase_add_test(files, test_read_line);
	suite_add_tcase(s, files);

	tcase_add_test(export, test_kv_keys);
	tcase_add_test(export, test_json_agrees_with_kv);
	suite_add_tcase(s, export);

	tcase_add_test(bind, test_bind_each_allowed_pu);
	tcase_add_test(bind, test_bind_core);
	tcase_add_test(bind, test_bind_other_thread);
	tcase_add_test(bind, test_bind_bad_input);
	suite_add_tcase(s, bind);

	return s;
}

PK_CHECK_MAIN(machine_suite)
