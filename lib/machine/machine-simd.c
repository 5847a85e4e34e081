/* SPDX-License-Identifier: MIT */
/* SIMD usable at run time, and the FLOPs/cycle table. */
#include <math.h>
#include <string.h>
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <cpuid.h>
#endif

#include "machine-private.h"

#if defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1 << 1)
#endif
#ifndef HWCAP_SVE
#define HWCAP_SVE (1 << 22)
#endif
#endif

unsigned pk_machine_detect_simd(void)
{
	unsigned s = 0;

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
	/* libgcc/compiler-rt check both cpuid and the OS's XSAVE state (XCR0),
	 * so a bit is set only if the instructions can really run. */
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sse2"))
		s |= PERFKIT_SIMD_SSE2;
	if (__builtin_cpu_supports("avx"))
		s |= PERFKIT_SIMD_AVX;
	if (__builtin_cpu_supports("avx2"))
		s |= PERFKIT_SIMD_AVX2;
	if (__builtin_cpu_supports("fma"))
		s |= PERFKIT_SIMD_FMA;
	if (__builtin_cpu_supports("avx512f"))
		s |= PERFKIT_SIMD_AVX512F;
#elif defined(__aarch64__)
	unsigned long hw = getauxval(AT_HWCAP);

	/* Advanced SIMD includes fused multiply-add (FMLA) by definition. */
	if (hw & HWCAP_ASIMD)
		s |= PERFKIT_SIMD_NEON | PERFKIT_SIMD_FMA;
	if (hw & HWCAP_SVE)
		s |= PERFKIT_SIMD_SVE;
#endif
	return s;
}

PERFKIT_EXPORT const char *perfkit_simd_name(enum perfkit_simd simd)
{
	switch (simd) {
	case PERFKIT_SIMD_SSE2: return "sse2";
	case PERFKIT_SIMD_AVX: return "avx";
	case PERFKIT_SIMD_AVX2: return "avx2";
	case PERFKIT_SIMD_FMA: return "fma";
	case PERFKIT_SIMD_AVX512F: return "avx512f";
	case PERFKIT_SIMD_NEON: return "neon";
	case PERFKIT_SIMD_SVE: return "sve";
	}
	return "unknown";
}

#define AVX_ (PERFKIT_SIMD_AVX)
#define FMA_ (PERFKIT_SIMD_AVX | PERFKIT_SIMD_AVX2 | PERFKIT_SIMD_FMA)
#define A512 (FMA_ | PERFKIT_SIMD_AVX512F)
#define NEON_ (PERFKIT_SIMD_NEON | PERFKIT_SIMD_FMA)
#define SVE_ (NEON_ | PERFKIT_SIMD_SVE)

#define SRC_AMD(fam) "AMD Software Optimization Guide for family " fam \
	" processors; model ranges: Linux arch/x86/kernel/cpu/amd.c"
#define SRC_INTEL "Intel 64 and IA-32 Architectures Optimization Reference " \
	"Manual; A. Fog, The microarchitecture of Intel, AMD and VIA CPUs"
#define SRC_ARM(core) "Arm Neoverse " core " Software Optimization Guide"

/* Sources, cited in docs/machine.md:
 *   [amd]  AMD Software Optimization Guides for family 17h, 19h and 1Ah
 *          (FP pipes and their widths);
 *   [linux] arch/x86/kernel/cpu/amd.c bsp_init_amd() (Zen model ranges),
 *          arch/x86/include/asm/intel-family.h (Intel model numbers);
 *   [intel] Intel 64 and IA-32 Architectures Optimization Reference Manual
 *          (FMA units per core);
 *   [agner] A. Fog, The microarchitecture of Intel, AMD and VIA CPUs;
 *   [arm]  Arm Neoverse N1/V1/N2/V2 Software Optimization Guides;
 *          Fujitsu A64FX Microarchitecture Manual.
 * Rows are tried in order; the first whose vendor, family and model match
 * and whose SIMD needs are all usable wins, so the widest SIMD comes first.
 * An FMA counts two FLOPs: DP = FMA units x (vector bits / 64) x 2. */
static const struct pk_flops_entry flops_table[] = {
	/* AMD Zen 1 (family 17h): two 128-bit FMA pipes. */
	{ "AuthenticAMD", 0x17, 0x00, 0x2f, FMA_, "Zen", 8, 16, SRC_AMD("17h") },
	{ "AuthenticAMD", 0x17, 0x50, 0x5f, FMA_, "Zen", 8, 16, SRC_AMD("17h") },
	{ "HygonGenuine", 0x18, 0x00, 0xff, FMA_, "Zen (Hygon Dhyana)", 8, 16, SRC_AMD("17h") },
	/* Zen 2: two 256-bit FMA pipes. */
	{ "AuthenticAMD", 0x17, 0x30, 0x4f, FMA_, "Zen 2", 16, 32, SRC_AMD("17h") },
	{ "AuthenticAMD", 0x17, 0x60, 0x7f, FMA_, "Zen 2", 16, 32, SRC_AMD("17h") },
	{ "AuthenticAMD", 0x17, 0x90, 0x91, FMA_, "Zen 2", 16, 32, SRC_AMD("17h") },
	{ "AuthenticAMD", 0x17, 0xa0, 0xaf, FMA_, "Zen 2", 16, 32, SRC_AMD("17h") },
	/* Zen 3: two 256-bit FMA pipes. */
	{ "AuthenticAMD", 0x19, 0x00, 0x0f, FMA_, "Zen 3", 16, 32, SRC_AMD("19h") },
	{ "AuthenticAMD", 0x19, 0x20, 0x5f, FMA_, "Zen 3", 16, 32, SRC_AMD("19h") },
	/* Zen 4: AVX-512 on 256-bit pipes (a 512-bit op takes two passes),
	 * so AVX-512 gives the same FLOPs/cycle as AVX2. */
	{ "AuthenticAMD", 0x19, 0x10, 0x1f, FMA_, "Zen 4", 16, 32, SRC_AMD("19h") },
	{ "AuthenticAMD", 0x19, 0x60, 0xaf, FMA_, "Zen 4", 16, 32, SRC_AMD("19h") },
	/* Zen 5 server (Turin, incl. dense), desktop (Granite Ridge) and Strix
	 * Halo: two 512-bit FMA pipes. Mobile Zen 5 (Strix Point 20h-2Fh,
	 * Krackan 60h-6Fh) keeps 256-bit pipes. */
	{ "AuthenticAMD", 0x1a, 0x00, 0x1f, A512, "Zen 5", 32, 64, SRC_AMD("1Ah") },
	{ "AuthenticAMD", 0x1a, 0x40, 0x4f, A512, "Zen 5", 32, 64, SRC_AMD("1Ah") },
	{ "AuthenticAMD", 0x1a, 0x70, 0x7f, A512, "Zen 5", 32, 64, SRC_AMD("1Ah") },
	{ "AuthenticAMD", 0x1a, 0x00, 0x1f, FMA_, "Zen 5", 16, 32, SRC_AMD("1Ah") },
	{ "AuthenticAMD", 0x1a, 0x40, 0x4f, FMA_, "Zen 5", 16, 32, SRC_AMD("1Ah") },
	{ "AuthenticAMD", 0x1a, 0x70, 0x7f, FMA_, "Zen 5", 16, 32, SRC_AMD("1Ah") },
	{ "AuthenticAMD", 0x1a, 0x20, 0x2f, FMA_, "Zen 5 (mobile)", 16, 32, SRC_AMD("1Ah") },
	{ "AuthenticAMD", 0x1a, 0x60, 0x6f, FMA_, "Zen 5 (mobile)", 16, 32, SRC_AMD("1Ah") },
	/* Intel Sandy Bridge, Ivy Bridge: one 256-bit add + one 256-bit mul. */
	{ "GenuineIntel", 6, 0x2a, 0x2a, AVX_, "Sandy Bridge", 8, 16, SRC_INTEL },
	{ "GenuineIntel", 6, 0x2d, 0x2d, AVX_, "Sandy Bridge", 8, 16, SRC_INTEL },
	{ "GenuineIntel", 6, 0x3a, 0x3a, AVX_, "Ivy Bridge", 8, 16, SRC_INTEL },
	{ "GenuineIntel", 6, 0x3e, 0x3e, AVX_, "Ivy Bridge", 8, 16, SRC_INTEL },
	/* Haswell to Comet Lake client: two 256-bit FMA units. */
	{ "GenuineIntel", 6, 0x3c, 0x3c, FMA_, "Haswell", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x3f, 0x3f, FMA_, "Haswell", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x45, 0x46, FMA_, "Haswell", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x3d, 0x3d, FMA_, "Broadwell", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x47, 0x47, FMA_, "Broadwell", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x4f, 0x4f, FMA_, "Broadwell", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x56, 0x56, FMA_, "Broadwell", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x4e, 0x4e, FMA_, "Skylake", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x5e, 0x5e, FMA_, "Skylake", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x8e, 0x8e, FMA_, "Kaby/Coffee Lake", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x9e, 0x9e, FMA_, "Kaby/Coffee Lake", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0xa5, 0xa6, FMA_, "Comet Lake", 16, 32, SRC_INTEL },
	/* Client cores with AVX-512 have one 512-bit FMA (ports 0+1 fused). */
	{ "GenuineIntel", 6, 0x66, 0x66, FMA_, "Cannon Lake", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x7d, 0x7e, FMA_, "Ice Lake (client)", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x8c, 0x8d, FMA_, "Tiger Lake", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0xa7, 0xa7, FMA_, "Rocket Lake", 16, 32, SRC_INTEL },
	/* Server cores from Ice Lake-SP on: two 512-bit FMA units. */
	{ "GenuineIntel", 6, 0x6a, 0x6a, A512, "Ice Lake-SP", 32, 64, SRC_INTEL },
	{ "GenuineIntel", 6, 0x6c, 0x6c, A512, "Ice Lake-SP", 32, 64, SRC_INTEL },
	{ "GenuineIntel", 6, 0x8f, 0x8f, A512, "Sapphire Rapids", 32, 64, SRC_INTEL },
	{ "GenuineIntel", 6, 0xcf, 0xcf, A512, "Emerald Rapids", 32, 64, SRC_INTEL },
	{ "GenuineIntel", 6, 0xad, 0xae, A512, "Granite Rapids", 32, 64, SRC_INTEL },
	{ "GenuineIntel", 6, 0x57, 0x57, A512, "Knights Landing", 32, 64, SRC_INTEL },
	{ "GenuineIntel", 6, 0x85, 0x85, A512, "Knights Mill", 32, 64, SRC_INTEL },
	{ "GenuineIntel", 6, 0x6a, 0x6a, FMA_, "Ice Lake-SP", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x6c, 0x6c, FMA_, "Ice Lake-SP", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0x8f, 0x8f, FMA_, "Sapphire Rapids", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0xcf, 0xcf, FMA_, "Emerald Rapids", 16, 32, SRC_INTEL },
	{ "GenuineIntel", 6, 0xad, 0xae, FMA_, "Granite Rapids", 16, 32, SRC_INTEL },
	/* Arm: FMA pipes x 128-bit (NEON) or the SVE width. */
	{ "ARM", 0x41, 0xd0c, 0xd0c, NEON_, "Neoverse N1", 8, 16, SRC_ARM("N1") },
	{ "ARM", 0x41, 0xd49, 0xd49, NEON_, "Neoverse N2", 8, 16, SRC_ARM("N2") },
	{ "ARM", 0x41, 0xd40, 0xd40, NEON_, "Neoverse V1", 16, 32, SRC_ARM("V1") },
	{ "ARM", 0x41, 0xd4f, 0xd4f, NEON_, "Neoverse V2", 16, 32, SRC_ARM("V2") },
	{ "Fujitsu", 0x46, 0x001, 0x001, SVE_, "A64FX", 32, 64, "Fujitsu A64FX Microarchitecture Manual" },
};

/* AMX-TILE marks an Intel server core (Sapphire Rapids and later), whatever
 * model number a hypervisor shows: all have two 512-bit FMA units. */
static const struct pk_flops_entry intel_amx_entry = {
	"GenuineIntel", 6, 0x00, 0xff, A512,
	"Sapphire Rapids or later, by AMX", 32, 64,
	SRC_INTEL "; AMX-TILE (CPUID.(7,0):EDX[24]) exists only on server "
	"cores with two 512-bit FMA units, so it overrides the model number"
};

unsigned pk_cpu_has_amx(void)
{
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
	unsigned a, b, c, d;

	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (d & (1u << 24)))
		return PK_CPU_AMX;
#endif
	return 0;
}

static int is_intel_amx(const char *vendor, unsigned family, unsigned simd)
{
	return (simd & PK_CPU_AMX) && strcmp(vendor, "GenuineIntel") == 0 &&
	       family == 6 && (simd & A512) == A512;
}

/* Why a known CPU has no row: say so instead of guessing. */
static const char *known_gap(const char *vendor, unsigned family, unsigned model)
{
	if (strcmp(vendor, "GenuineIntel") == 0 && family == 6) {
		if (model == 0x55)
			return "Skylake-SP/Cascade Lake has one or two AVX-512 FMA "
			       "units depending on the SKU; cpuid does not say which";
		if (model == 0x97 || model == 0x9a || model == 0xb7 ||
		    model == 0xba || model == 0xbf || model == 0xaa || model == 0xac)
			return "hybrid CPU: P-cores and E-cores differ in FLOPs/cycle";
	}
	return NULL;
}

int pk_flops_lookup(const char *vendor, unsigned family, unsigned model,
		    unsigned simd, const struct pk_flops_entry **out)
{
	const char *gap;
	int known = 0;

	if (!vendor || !out)
		return pk_error(-EINVAL, "pk_flops_lookup: NULL argument");
	if (is_intel_amx(vendor, family, simd)) {
		*out = &intel_amx_entry;
		return 0;
	}
	for (size_t i = 0; i < sizeof(flops_table) / sizeof(flops_table[0]); i++) {
		const struct pk_flops_entry *e = &flops_table[i];

		if (strcmp(e->vendor, vendor) != 0 || e->family != family ||
		    model < e->model_lo || model > e->model_hi)
			continue;
		known = 1;
		if ((simd & e->simd_required) == e->simd_required) {
			*out = e;
			return 0;
		}
	}
	gap = known_gap(vendor, family, model);
	if (gap)
		return pk_error(-ENOTSUP, "%s", gap);
	if (known)
		return pk_error(-ENOTSUP, "%s family 0x%x model 0x%x is in the table, "
				"but not with the SIMD usable here", vendor, family, model);
	return pk_error(-ENOTSUP, "%s family 0x%x model 0x%x is not in the "
			"FLOPs/cycle table", vendor, family, model);
}

int pk_peak_gflops(unsigned cores, double ghz, double flops_per_cycle,
		   double *gflops)
{
	if (!gflops)
		return pk_error(-EINVAL, "pk_peak_gflops: gflops is NULL");
	if (cores == 0 || !isfinite(ghz) || ghz <= 0 ||
	    !isfinite(flops_per_cycle) || flops_per_cycle <= 0)
		return pk_error(-EDOM, "peak needs cores > 0 and finite positive "
				"GHz and FLOPs/cycle (got %u, %g, %g)",
				cores, ghz, flops_per_cycle);
	*gflops = (double)cores * ghz * flops_per_cycle;
	return 0;
}
