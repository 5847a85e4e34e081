/* SPDX-License-Identifier: MIT */
/*
 * Fast, exact parsing of the numbers the writers produce. glibc's strtod()
 * costs about 75 ns for the 17 digits of "%.17g", which alone would keep
 * the CSV reader under a million records a second. Plain decimal forms are
 * converted here with Clinger's fast path or the Eisel-Lemire algorithm
 * (as in Go's strconv and fast_float); whatever they cannot decide exactly
 * falls back to pk_record_field_parse(), so results never differ.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "common.h"
#include "results-csv.h"

#define POW10_MIN (-128)
#define POW10_MAX 64

/*
 * 128-bit mantissas of 10^e, normalised (top bit set) and rounded down:
 * { low 64 bits, high 64 bits }. Generated with exact integers:
 *   e >= 0: 10^e shifted to 128 bits; e < 0: floor(2^(127+b) / 10^-e),
 *   b = bit length of 10^-e.
 */
static const uint64_t pow10_128[][2] = {
	{ 0xac7cb3f6d05ddbdeu, 0xddd0467c64bce4a0u }, /* 1e-128 */
	{ 0x6bcdf07a423aa96bu, 0x8aa22c0dbef60ee4u }, /* 1e-127 */
	{ 0x86c16c98d2c953c6u, 0xad4ab7112eb3929du }, /* 1e-126 */
	{ 0xe871c7bf077ba8b7u, 0xd89d64d57a607744u }, /* 1e-125 */
	{ 0x11471cd764ad4972u, 0x87625f056c7c4a8bu }, /* 1e-124 */
	{ 0xd598e40d3dd89bcfu, 0xa93af6c6c79b5d2du }, /* 1e-123 */
	{ 0x4aff1d108d4ec2c3u, 0xd389b47879823479u }, /* 1e-122 */
	{ 0xcedf722a585139bau, 0x843610cb4bf160cbu }, /* 1e-121 */
	{ 0xc2974eb4ee658828u, 0xa54394fe1eedb8feu }, /* 1e-120 */
	{ 0x733d226229feea32u, 0xce947a3da6a9273eu }, /* 1e-119 */
	{ 0x0806357d5a3f525fu, 0x811ccc668829b887u }, /* 1e-118 */
	{ 0xca07c2dcb0cf26f7u, 0xa163ff802a3426a8u }, /* 1e-117 */
	{ 0xfc89b393dd02f0b5u, 0xc9bcff6034c13052u }, /* 1e-116 */
	{ 0xbbac2078d443ace2u, 0xfc2c3f3841f17c67u }, /* 1e-115 */
	{ 0xd54b944b84aa4c0du, 0x9d9ba7832936edc0u }, /* 1e-114 */
	{ 0x0a9e795e65d4df11u, 0xc5029163f384a931u }, /* 1e-113 */
	{ 0x4d4617b5ff4a16d5u, 0xf64335bcf065d37du }, /* 1e-112 */
	{ 0x504bced1bf8e4e45u, 0x99ea0196163fa42eu }, /* 1e-111 */
	{ 0xe45ec2862f71e1d6u, 0xc06481fb9bcf8d39u }, /* 1e-110 */
	{ 0x5d767327bb4e5a4cu, 0xf07da27a82c37088u }, /* 1e-109 */
	{ 0x3a6a07f8d510f86fu, 0x964e858c91ba2655u }, /* 1e-108 */
	{ 0x890489f70a55368bu, 0xbbe226efb628afeau }, /* 1e-107 */
	{ 0x2b45ac74ccea842eu, 0xeadab0aba3b2dbe5u }, /* 1e-106 */
	{ 0x3b0b8bc90012929du, 0x92c8ae6b464fc96fu }, /* 1e-105 */
	{ 0x09ce6ebb40173744u, 0xb77ada0617e3bbcbu }, /* 1e-104 */
	{ 0xcc420a6a101d0515u, 0xe55990879ddcaabdu }, /* 1e-103 */
	{ 0x9fa946824a12232du, 0x8f57fa54c2a9eab6u }, /* 1e-102 */
	{ 0x47939822dc96abf9u, 0xb32df8e9f3546564u }, /* 1e-101 */
	{ 0x59787e2b93bc56f7u, 0xdff9772470297ebdu }, /* 1e-100 */
	{ 0x57eb4edb3c55b65au, 0x8bfbea76c619ef36u }, /* 1e-99 */
	{ 0xede622920b6b23f1u, 0xaefae51477a06b03u }, /* 1e-98 */
	{ 0xe95fab368e45ecedu, 0xdab99e59958885c4u }, /* 1e-97 */
	{ 0x11dbcb0218ebb414u, 0x88b402f7fd75539bu }, /* 1e-96 */
	{ 0xd652bdc29f26a119u, 0xaae103b5fcd2a881u }, /* 1e-95 */
	{ 0x4be76d3346f0495fu, 0xd59944a37c0752a2u }, /* 1e-94 */
	{ 0x6f70a4400c562ddbu, 0x857fcae62d8493a5u }, /* 1e-93 */
	{ 0xcb4ccd500f6bb952u, 0xa6dfbd9fb8e5b88eu }, /* 1e-92 */
	{ 0x7e2000a41346a7a7u, 0xd097ad07a71f26b2u }, /* 1e-91 */
	{ 0x8ed400668c0c28c8u, 0x825ecc24c873782fu }, /* 1e-90 */
	{ 0x728900802f0f32fau, 0xa2f67f2dfa90563bu }, /* 1e-89 */
	{ 0x4f2b40a03ad2ffb9u, 0xcbb41ef979346bcau }, /* 1e-88 */
	{ 0xe2f610c84987bfa8u, 0xfea126b7d78186bcu }, /* 1e-87 */
	{ 0x0dd9ca7d2df4d7c9u, 0x9f24b832e6b0f436u }, /* 1e-86 */
	{ 0x91503d1c79720dbbu, 0xc6ede63fa05d3143u }, /* 1e-85 */
	{ 0x75a44c6397ce912au, 0xf8a95fcf88747d94u }, /* 1e-84 */
	{ 0xc986afbe3ee11abau, 0x9b69dbe1b548ce7cu }, /* 1e-83 */
	{ 0xfbe85badce996168u, 0xc24452da229b021bu }, /* 1e-82 */
	{ 0xfae27299423fb9c3u, 0xf2d56790ab41c2a2u }, /* 1e-81 */
	{ 0xdccd879fc967d41au, 0x97c560ba6b0919a5u }, /* 1e-80 */
	{ 0x5400e987bbc1c920u, 0xbdb6b8e905cb600fu }, /* 1e-79 */
	{ 0x290123e9aab23b68u, 0xed246723473e3813u }, /* 1e-78 */
	{ 0xf9a0b6720aaf6521u, 0x9436c0760c86e30bu }, /* 1e-77 */
	{ 0xf808e40e8d5b3e69u, 0xb94470938fa89bceu }, /* 1e-76 */
	{ 0xb60b1d1230b20e04u, 0xe7958cb87392c2c2u }, /* 1e-75 */
	{ 0xb1c6f22b5e6f48c2u, 0x90bd77f3483bb9b9u }, /* 1e-74 */
	{ 0x1e38aeb6360b1af3u, 0xb4ecd5f01a4aa828u }, /* 1e-73 */
	{ 0x25c6da63c38de1b0u, 0xe2280b6c20dd5232u }, /* 1e-72 */
	{ 0x579c487e5a38ad0eu, 0x8d590723948a535fu }, /* 1e-71 */
	{ 0x2d835a9df0c6d851u, 0xb0af48ec79ace837u }, /* 1e-70 */
	{ 0xf8e431456cf88e65u, 0xdcdb1b2798182244u }, /* 1e-69 */
	{ 0x1b8e9ecb641b58ffu, 0x8a08f0f8bf0f156bu }, /* 1e-68 */
	{ 0xe272467e3d222f3fu, 0xac8b2d36eed2dac5u }, /* 1e-67 */
	{ 0x5b0ed81dcc6abb0fu, 0xd7adf884aa879177u }, /* 1e-66 */
	{ 0x98e947129fc2b4e9u, 0x86ccbb52ea94baeau }, /* 1e-65 */
	{ 0x3f2398d747b36224u, 0xa87fea27a539e9a5u }, /* 1e-64 */
	{ 0x8eec7f0d19a03aadu, 0xd29fe4b18e88640eu }, /* 1e-63 */
	{ 0x1953cf68300424acu, 0x83a3eeeef9153e89u }, /* 1e-62 */
	{ 0x5fa8c3423c052dd7u, 0xa48ceaaab75a8e2bu }, /* 1e-61 */
	{ 0x3792f412cb06794du, 0xcdb02555653131b6u }, /* 1e-60 */
	{ 0xe2bbd88bbee40bd0u, 0x808e17555f3ebf11u }, /* 1e-59 */
	{ 0x5b6aceaeae9d0ec4u, 0xa0b19d2ab70e6ed6u }, /* 1e-58 */
	{ 0xf245825a5a445275u, 0xc8de047564d20a8bu }, /* 1e-57 */
	{ 0xeed6e2f0f0d56712u, 0xfb158592be068d2eu }, /* 1e-56 */
	{ 0x55464dd69685606bu, 0x9ced737bb6c4183du }, /* 1e-55 */
	{ 0xaa97e14c3c26b886u, 0xc428d05aa4751e4cu }, /* 1e-54 */
	{ 0xd53dd99f4b3066a8u, 0xf53304714d9265dfu }, /* 1e-53 */
	{ 0xe546a8038efe4029u, 0x993fe2c6d07b7fabu }, /* 1e-52 */
	{ 0xde98520472bdd033u, 0xbf8fdb78849a5f96u }, /* 1e-51 */
	{ 0x963e66858f6d4440u, 0xef73d256a5c0f77cu }, /* 1e-50 */
	{ 0xdde7001379a44aa8u, 0x95a8637627989aadu }, /* 1e-49 */
	{ 0x5560c018580d5d52u, 0xbb127c53b17ec159u }, /* 1e-48 */
	{ 0xaab8f01e6e10b4a6u, 0xe9d71b689dde71afu }, /* 1e-47 */
	{ 0xcab3961304ca70e8u, 0x9226712162ab070du }, /* 1e-46 */
	{ 0x3d607b97c5fd0d22u, 0xb6b00d69bb55c8d1u }, /* 1e-45 */
	{ 0x8cb89a7db77c506au, 0xe45c10c42a2b3b05u }, /* 1e-44 */
	{ 0x77f3608e92adb242u, 0x8eb98a7a9a5b04e3u }, /* 1e-43 */
	{ 0x55f038b237591ed3u, 0xb267ed1940f1c61cu }, /* 1e-42 */
	{ 0x6b6c46dec52f6688u, 0xdf01e85f912e37a3u }, /* 1e-41 */
	{ 0x2323ac4b3b3da015u, 0x8b61313bbabce2c6u }, /* 1e-40 */
	{ 0xabec975e0a0d081au, 0xae397d8aa96c1b77u }, /* 1e-39 */
	{ 0x96e7bd358c904a21u, 0xd9c7dced53c72255u }, /* 1e-38 */
	{ 0x7e50d64177da2e54u, 0x881cea14545c7575u }, /* 1e-37 */
	{ 0xdde50bd1d5d0b9e9u, 0xaa242499697392d2u }, /* 1e-36 */
	{ 0x955e4ec64b44e864u, 0xd4ad2dbfc3d07787u }, /* 1e-35 */
	{ 0xbd5af13bef0b113eu, 0x84ec3c97da624ab4u }, /* 1e-34 */
	{ 0xecb1ad8aeacdd58eu, 0xa6274bbdd0fadd61u }, /* 1e-33 */
	{ 0x67de18eda5814af2u, 0xcfb11ead453994bau }, /* 1e-32 */
	{ 0x80eacf948770ced7u, 0x81ceb32c4b43fcf4u }, /* 1e-31 */
	{ 0xa1258379a94d028du, 0xa2425ff75e14fc31u }, /* 1e-30 */
	{ 0x096ee45813a04330u, 0xcad2f7f5359a3b3eu }, /* 1e-29 */
	{ 0x8bca9d6e188853fcu, 0xfd87b5f28300ca0du }, /* 1e-28 */
	{ 0x775ea264cf55347du, 0x9e74d1b791e07e48u }, /* 1e-27 */
	{ 0x95364afe032a819du, 0xc612062576589ddau }, /* 1e-26 */
	{ 0x3a83ddbd83f52204u, 0xf79687aed3eec551u }, /* 1e-25 */
	{ 0xc4926a9672793542u, 0x9abe14cd44753b52u }, /* 1e-24 */
	{ 0x75b7053c0f178293u, 0xc16d9a0095928a27u }, /* 1e-23 */
	{ 0x5324c68b12dd6338u, 0xf1c90080baf72cb1u }, /* 1e-22 */
	{ 0xd3f6fc16ebca5e03u, 0x971da05074da7beeu }, /* 1e-21 */
	{ 0x88f4bb1ca6bcf584u, 0xbce5086492111aeau }, /* 1e-20 */
	{ 0x2b31e9e3d06c32e5u, 0xec1e4a7db69561a5u }, /* 1e-19 */
	{ 0x3aff322e62439fcfu, 0x9392ee8e921d5d07u }, /* 1e-18 */
	{ 0x09befeb9fad487c2u, 0xb877aa3236a4b449u }, /* 1e-17 */
	{ 0x4c2ebe687989a9b3u, 0xe69594bec44de15bu }, /* 1e-16 */
	{ 0x0f9d37014bf60a10u, 0x901d7cf73ab0acd9u }, /* 1e-15 */
	{ 0x538484c19ef38c94u, 0xb424dc35095cd80fu }, /* 1e-14 */
	{ 0x2865a5f206b06fb9u, 0xe12e13424bb40e13u }, /* 1e-13 */
	{ 0xf93f87b7442e45d3u, 0x8cbccc096f5088cbu }, /* 1e-12 */
	{ 0xf78f69a51539d748u, 0xafebff0bcb24aafeu }, /* 1e-11 */
	{ 0xb573440e5a884d1bu, 0xdbe6fecebdedd5beu }, /* 1e-10 */
	{ 0x31680a88f8953030u, 0x89705f4136b4a597u }, /* 1e-9 */
	{ 0xfdc20d2b36ba7c3du, 0xabcc77118461cefcu }, /* 1e-8 */
	{ 0x3d32907604691b4cu, 0xd6bf94d5e57a42bcu }, /* 1e-7 */
	{ 0xa63f9a49c2c1b10fu, 0x8637bd05af6c69b5u }, /* 1e-6 */
	{ 0x0fcf80dc33721d53u, 0xa7c5ac471b478423u }, /* 1e-5 */
	{ 0xd3c36113404ea4a8u, 0xd1b71758e219652bu }, /* 1e-4 */
	{ 0x645a1cac083126e9u, 0x83126e978d4fdf3bu }, /* 1e-3 */
	{ 0x3d70a3d70a3d70a3u, 0xa3d70a3d70a3d70au }, /* 1e-2 */
	{ 0xccccccccccccccccu, 0xccccccccccccccccu }, /* 1e-1 */
	{ 0x0000000000000000u, 0x8000000000000000u }, /* 1e0 */
	{ 0x0000000000000000u, 0xa000000000000000u }, /* 1e1 */
	{ 0x0000000000000000u, 0xc800000000000000u }, /* 1e2 */
	{ 0x0000000000000000u, 0xfa00000000000000u }, /* 1e3 */
	{ 0x0000000000000000u, 0x9c40000000000000u }, /* 1e4 */
	{ 0x0000000000000000u, 0xc350000000000000u }, /* 1e5 */
	{ 0x0000000000000000u, 0xf424000000000000u }, /* 1e6 */
	{ 0x0000000000000000u, 0x9896800000000000u }, /* 1e7 */
	{ 0x0000000000000000u, 0xbebc200000000000u }, /* 1e8 */
	{ 0x0000000000000000u, 0xee6b280000000000u }, /* 1e9 */
	{ 0x0000000000000000u, 0x9502f90000000000u }, /* 1e10 */
	{ 0x0000000000000000u, 0xba43b74000000000u }, /* 1e11 */
	{ 0x0000000000000000u, 0xe8d4a51000000000u }, /* 1e12 */
	{ 0x0000000000000000u, 0x9184e72a00000000u }, /* 1e13 */
	{ 0x0000000000000000u, 0xb5e620f480000000u }, /* 1e14 */
	{ 0x0000000000000000u, 0xe35fa931a0000000u }, /* 1e15 */
	{ 0x0000000000000000u, 0x8e1bc9bf04000000u }, /* 1e16 */
	{ 0x0000000000000000u, 0xb1a2bc2ec5000000u }, /* 1e17 */
	{ 0x0000000000000000u, 0xde0b6b3a76400000u }, /* 1e18 */
	{ 0x0000000000000000u, 0x8ac7230489e80000u }, /* 1e19 */
	{ 0x0000000000000000u, 0xad78ebc5ac620000u }, /* 1e20 */
	{ 0x0000000000000000u, 0xd8d726b7177a8000u }, /* 1e21 */
	{ 0x0000000000000000u, 0x878678326eac9000u }, /* 1e22 */
	{ 0x0000000000000000u, 0xa968163f0a57b400u }, /* 1e23 */
	{ 0x0000000000000000u, 0xd3c21bcecceda100u }, /* 1e24 */
	{ 0x0000000000000000u, 0x84595161401484a0u }, /* 1e25 */
	{ 0x0000000000000000u, 0xa56fa5b99019a5c8u }, /* 1e26 */
	{ 0x0000000000000000u, 0xcecb8f27f4200f3au }, /* 1e27 */
	{ 0x4000000000000000u, 0x813f3978f8940984u }, /* 1e28 */
	{ 0x5000000000000000u, 0xa18f07d736b90be5u }, /* 1e29 */
	{ 0xa400000000000000u, 0xc9f2c9cd04674edeu }, /* 1e30 */
	{ 0x4d00000000000000u, 0xfc6f7c4045812296u }, /* 1e31 */
	{ 0xf020000000000000u, 0x9dc5ada82b70b59du }, /* 1e32 */
	{ 0x6c28000000000000u, 0xc5371912364ce305u }, /* 1e33 */
	{ 0xc732000000000000u, 0xf684df56c3e01bc6u }, /* 1e34 */
	{ 0x3c7f400000000000u, 0x9a130b963a6c115cu }, /* 1e35 */
	{ 0x4b9f100000000000u, 0xc097ce7bc90715b3u }, /* 1e36 */
	{ 0x1e86d40000000000u, 0xf0bdc21abb48db20u }, /* 1e37 */
	{ 0x1314448000000000u, 0x96769950b50d88f4u }, /* 1e38 */
	{ 0x17d955a000000000u, 0xbc143fa4e250eb31u }, /* 1e39 */
	{ 0x5dcfab0800000000u, 0xeb194f8e1ae525fdu }, /* 1e40 */
	{ 0x5aa1cae500000000u, 0x92efd1b8d0cf37beu }, /* 1e41 */
	{ 0xf14a3d9e40000000u, 0xb7abc627050305adu }, /* 1e42 */
	{ 0x6d9ccd05d0000000u, 0xe596b7b0c643c719u }, /* 1e43 */
	{ 0xe4820023a2000000u, 0x8f7e32ce7bea5c6fu }, /* 1e44 */
	{ 0xdda2802c8a800000u, 0xb35dbf821ae4f38bu }, /* 1e45 */
	{ 0xd50b2037ad200000u, 0xe0352f62a19e306eu }, /* 1e46 */
	{ 0x4526f422cc340000u, 0x8c213d9da502de45u }, /* 1e47 */
	{ 0x9670b12b7f410000u, 0xaf298d050e4395d6u }, /* 1e48 */
	{ 0x3c0cdd765f114000u, 0xdaf3f04651d47b4cu }, /* 1e49 */
	{ 0xa5880a69fb6ac800u, 0x88d8762bf324cd0fu }, /* 1e50 */
	{ 0x8eea0d047a457a00u, 0xab0e93b6efee0053u }, /* 1e51 */
	{ 0x72a4904598d6d880u, 0xd5d238a4abe98068u }, /* 1e52 */
	{ 0x47a6da2b7f864750u, 0x85a36366eb71f041u }, /* 1e53 */
	{ 0x999090b65f67d924u, 0xa70c3c40a64e6c51u }, /* 1e54 */
	{ 0xfff4b4e3f741cf6du, 0xd0cf4b50cfe20765u }, /* 1e55 */
	{ 0xbff8f10e7a8921a4u, 0x82818f1281ed449fu }, /* 1e56 */
	{ 0xaff72d52192b6a0du, 0xa321f2d7226895c7u }, /* 1e57 */
	{ 0x9bf4f8a69f764490u, 0xcbea6f8ceb02bb39u }, /* 1e58 */
	{ 0x02f236d04753d5b4u, 0xfee50b7025c36a08u }, /* 1e59 */
	{ 0x01d762422c946590u, 0x9f4f2726179a2245u }, /* 1e60 */
	{ 0x424d3ad2b7b97ef5u, 0xc722f0ef9d80aad6u }, /* 1e61 */
	{ 0xd2e0898765a7deb2u, 0xf8ebad2b84e0d58bu }, /* 1e62 */
	{ 0x63cc55f49f88eb2fu, 0x9b934c3b330c8577u }, /* 1e63 */
	{ 0x3cbf6b71c76b25fbu, 0xc2781f49ffcfa6d5u }, /* 1e64 */
};

/* 10^0 to 10^22 are exact doubles (Clinger's fast path). */
static const double exact_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#ifdef __SIZEOF_INT128__
/* man * 10^exp10 correctly rounded, or -EAGAIN when it cannot tell. */
static int eisel_lemire(uint64_t man, int exp10, int neg, double *v)
{
	const uint64_t *p = pow10_128[exp10 - POW10_MIN];
	unsigned __int128 x, y;
	uint64_t x_hi, x_lo, mant, bits;
	int clz = __builtin_clzll(man);
	int64_t exp2 = ((217706 * (int64_t)exp10) >> 16) + 64 + 1023 - clz;
	unsigned msb;

	man <<= clz;
	x = (unsigned __int128)man * p[1];
	x_hi = (uint64_t)(x >> 64);
	x_lo = (uint64_t)x;
	/* The low bits are all ones: the truncated table may matter. */
	if ((x_hi & 0x1ff) == 0x1ff && x_lo + man < man) {
		uint64_t y_hi, y_lo, m_hi = x_hi, m_lo;

		y = (unsigned __int128)man * p[0];
		y_hi = (uint64_t)(y >> 64);
		y_lo = (uint64_t)y;
		m_lo = x_lo + y_hi;
		if (m_lo < x_lo)
			m_hi++;
		if ((m_hi & 0x1ff) == 0x1ff && m_lo + 1 == 0 && y_lo + man < man)
			return -EAGAIN;
		x_hi = m_hi;
		x_lo = m_lo;
	}
	msb = (unsigned)(x_hi >> 63);
	mant = x_hi >> (msb + 9);
	exp2 -= 1 ^ msb;
	/* Exactly half way between two doubles: let strtod() round. */
	if (x_lo == 0 && (x_hi & 0x1ff) == 0 && (mant & 3) == 1)
		return -EAGAIN;
	mant += mant & 1;
	mant >>= 1;
	if (mant >> 53) {
		mant >>= 1;
		exp2++;
	}
	/* Subnormal, zero or overflow: strtod() knows. */
	if (exp2 <= 0 || exp2 >= 0x7ff)
		return -EAGAIN;
	bits = (uint64_t)exp2 << 52 | (mant & 0x000fffffffffffffu);
	if (neg)
		bits |= 0x8000000000000000u;
	memcpy(v, &bits, sizeof(*v));
	return 0;
}
#else
static int eisel_lemire(uint64_t man, int exp10, int neg, double *v)
{
	(void)man, (void)exp10, (void)neg, (void)v;
	return -EAGAIN;
}
#endif

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Eight ASCII digits in one word (as in fast_float). */
static int eight_digits(uint64_t v)
{
	return ((v & 0xf0f0f0f0f0f0f0f0u) |
		(((v + 0x0606060606060606u) & 0xf0f0f0f0f0f0f0f0u) >> 4)) ==
	       0x3333333333333333u;
}

static uint64_t eight_digits_value(uint64_t v)
{
	const uint64_t mask = 0x000000ff000000ffu;

	v -= 0x3030303030303030u;
	v = v * 10 + (v >> 8);
	return ((v & mask) * 0x000f424000000064u +
		((v >> 16) & mask) * 0x0000271000000001u) >> 32;
}
#endif

/* Accumulate decimal digits into *man; returns the end of the digits.
 * Past 19 digits *man wraps around, and the caller gives up. */
static const char *digits(const char *p, const char *end, uint64_t *man)
{
	uint64_t m = *man;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - p >= 8) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		if (!eight_digits(v))
			break;
		m = m * 100000000u + eight_digits_value(v);
		p += 8;
	}
#endif
	for (; p < end && is_digit(*p); p++)
		m = m * 10 + (uint64_t)(*p - '0');
	*man = m;
	return p;
}

static int special(const char *p, size_t len, int neg, double *v)
{
	if (len == 3 && !neg && memcmp(p, "nan", 3) == 0) {
		*v = NAN;
		return 0;
	}
	if (len == 3 && memcmp(p, "inf", 3) == 0) {
		*v = neg ? -INFINITY : INFINITY;
		return 0;
	}
	return -EAGAIN;
}

/* [-]digits[.digits][(e|E)[+|-]digits], at most 19 significant digits. */
int pk_csv_fast_double(const char *s, size_t len, double *v)
{
	const char *p = s, *end = s + len, *first, *q;
	uint64_t man = 0;
	int neg, exp10 = 0;
	size_t ndig;

	/* Longer texts are not what the writers produce. */
	if (len == 0 || len > 64)
		return -EAGAIN;
	neg = *p == '-';
	p += neg;
	if (p < end && !is_digit(*p) && *p != '.')
		return special(p, (size_t)(end - p), neg, v);
	first = p;
	while (p < end && *p == '0')
		p++;
	q = p;
	p = digits(p, end, &man);
	ndig = (size_t)(p - q);
	if (p < end && *p == '.') {
		const char *frac = ++p;

		if (ndig == 0)
			while (p < end && *p == '0')
				p++;
		q = p;
		p = digits(p, end, &man);
		ndig += (size_t)(p - q);
		exp10 = -(int)(p - frac);
		/* "." alone is no number */
		if (p == frac && frac - 1 == first)
			return -EAGAIN;
	}
	if (p == first || ndig > 19)
		return -EAGAIN;
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0, e = 0;

		if (++p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p == end || end - p > 4)
			return -EAGAIN;
		for (; p < end && is_digit(*p); p++)
			e = e * 10 + (*p - '0');
		exp10 += eneg ? -e : e;
	}
	if (p != end)
		return -EAGAIN;
	if (man == 0) {
		*v = neg ? -0.0 : 0.0;
		return 0;
	}
	/* Both operands exact, so one correctly rounded operation (where
	 * doubles are evaluated as doubles, not x87 extended). */
	if (FLT_EVAL_METHOD == 0 && man <= (1ull << 53) && exp10 >= -22 &&
	    exp10 <= 22) {
		double d = (double)man;

		d = exp10 < 0 ? d / exact_pow10[-exp10] : d * exact_pow10[exp10];
		*v = neg ? -d : d;
		return 0;
	}
	if (exp10 < POW10_MIN || exp10 > POW10_MAX)
		return -EAGAIN;
	return eisel_lemire(man, exp10, neg, v);
}

/* [-]digits, at most 18 of them (no overflow in int64_t). */
static int fast_i64(const char *s, size_t len, int64_t *v)
{
	const char *end = s + len;
	int neg = 0;
	int64_t x = 0;

	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	if (s == end || end - s > 18)
		return -EAGAIN;
	for (; s < end; s++) {
		if (!is_digit(*s))
			return -EAGAIN;
		x = x * 10 + (*s - '0');
	}
	*v = neg ? -x : x;
	return 0;
}

int pk_csv_field_parse(struct perfkit_record *rec, const struct pk_field *f,
		       const char *text, size_t len)
{
	char *p = (char *)rec + f->offset;
	int64_t x;
	double d;

	switch (f->type) {
	case PK_FIELD_DOUBLE:
		if (pk_csv_fast_double(text, len, &d) == 0) {
			memcpy(p, &d, sizeof(d));
			return 0;
		}
		break;
	case PK_FIELD_I32:
		if (fast_i64(text, len, &x) == 0 && x >= INT32_MIN &&
		    x <= INT32_MAX) {
			int32_t y = (int32_t)x;

			memcpy(p, &y, sizeof(y));
			return 0;
		}
		break;
	case PK_FIELD_I64:
		if (fast_i64(text, len, &x) == 0) {
			memcpy(p, &x, sizeof(x));
			return 0;
		}
		break;
	case PK_FIELD_U64:
		if (len > 0 && text[0] != '-' && fast_i64(text, len, &x) == 0) {
			uint64_t y = (uint64_t)x;

			memcpy(p, &y, sizeof(y));
			return 0;
		}
		break;
	case PK_FIELD_TEXT:
		break;
	}
	return pk_record_field_parse(rec, f, text, len);
}

/* ---- writing: exactly what "%.17g" prints, without printf ---- */

#ifdef __SIZEOF_INT128__
/*
 * The 17 significant digits of |v| (normal, not integral below 2^53) and
 * its decimal exponent: |v| * 10^(16 - k) rounded to an integer in
 * [1e16, 1e17). The product with the truncated 128-bit power of ten is
 * short of the truth by less than 2^-3 units of the top 64 fraction bits,
 * so only a fraction within a few units of one half is undecided (then
 * -EAGAIN: snprintf() rounds it).
 */
static int seventeen_digits(uint64_t m, int e2, int k, uint64_t *digits17)
{
	int q = 16 - k, s, t;
	const uint64_t *p;
	unsigned __int128 a, b, x;
	uint64_t p0, p1, p2, whole, frac;

	if (q < POW10_MIN || q > POW10_MAX)
		return -EAGAIN;
	p = pow10_128[q - POW10_MIN];
	a = (unsigned __int128)m * p[0];
	b = (unsigned __int128)m * p[1];
	p0 = (uint64_t)a;
	x = (a >> 64) + (uint64_t)b;
	p1 = (uint64_t)x;
	p2 = (uint64_t)(b >> 64) + (uint64_t)(x >> 64);
	/* v * 10^q = m * T * 2^(e2 + floor(log2 10^q) - 127) */
	s = -(e2 + ((217706 * q) >> 16) - 127);
	t = s - 64;
	if (t < 1 || t > 64)
		return -EAGAIN;
	x = (unsigned __int128)p2 << 64 | p1;
	whole = (uint64_t)(x >> t);
	frac = t == 64 ? p1 : p1 << (64 - t) | p0 >> t;
	if (frac >= (1ull << 63) - 2 && frac <= (1ull << 63) + 1)
		return -EAGAIN;
	*digits17 = whole + (frac > (1ull << 63));
	return 0;
}

/* Decimal exponent and 17 digits of a normal double, or -EAGAIN. */
static int decimal(uint64_t bits, uint64_t *d, int *k)
{
	int biased = (int)(bits >> 52 & 0x7ff), e2 = biased - 1075;
	uint64_t m = (bits & 0x000fffffffffffffu) | (1ull << 52);
	const uint64_t lo = 10000000000000000u, hi = 100000000000000000u;

	if (biased == 0 || biased == 0x7ff)
		return -EAGAIN;
	/* floor((biased - 1023) * log10(2)): k or one less. */
	*k = ((biased - 1023) * 78913) >> 18;
	if (seventeen_digits(m, e2, *k, d) < 0)
		return -EAGAIN;
	if (*d >= hi) {
		++*k;
		if (seventeen_digits(m, e2, *k, d) < 0)
			return -EAGAIN;
	}
	if (*d == hi) {
		*d = lo;
		++*k;
	}
	return *d >= lo && *d < hi ? 0 : -EAGAIN;
}

/* %g's layout of 17 digits with decimal exponent @k: buf[] gets them. */
static int layout(int neg, uint64_t d, int k, char *buf)
{
	char dig[17], *o = buf;
	int nz = 17;

	for (int i = 16; i >= 0; i--, d /= 10)
		dig[i] = (char)('0' + d % 10);
	while (nz > 1 && dig[nz - 1] == '0')
		nz--;
	if (neg)
		*o++ = '-';
	if (k < -4 || k >= 17) {
		int e = k < 0 ? -k : k;

		*o++ = dig[0];
		if (nz > 1) {
			*o++ = '.';
			memcpy(o, dig + 1, (size_t)nz - 1);
			o += nz - 1;
		}
		*o++ = 'e';
		*o++ = k < 0 ? '-' : '+';
		if (e >= 100)
			*o++ = (char)('0' + e / 100);
		*o++ = (char)('0' + e / 10 % 10);
		*o++ = (char)('0' + e % 10);
	} else if (k >= 0) {
		memcpy(o, dig, (size_t)k + 1);
		o += k + 1;
		if (nz > k + 1) {
			*o++ = '.';
			memcpy(o, dig + k + 1, (size_t)(nz - k - 1));
			o += nz - k - 1;
		}
	} else {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -k - 1; i++)
			*o++ = '0';
		memcpy(o, dig, (size_t)nz);
		o += nz;
	}
	return (int)(o - buf);
}
#endif

int pk_csv_double_text(double v, char *buf, size_t len)
{
#ifdef __SIZEOF_INT128__
	uint64_t bits, d;
	int k;

	memcpy(&bits, &v, sizeof(bits));
	if (len >= PK_DOUBLE_TEXT_MAX && decimal(bits, &d, &k) == 0)
		return layout((int)(bits >> 63), d, k, buf);
#endif
	return pk_double_to_text(v, buf, len);
}
