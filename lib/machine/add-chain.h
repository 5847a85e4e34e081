/* SPDX-License-Identifier: MIT */
/*
 * Dependent integer adds as inline assembly text: each waits for the one
 * before, one cycle each on every core we know, so a chain of them counts
 * cycles. Used with "+r"(x) : "r"(one) operands. add reg,reg, not add
 * reg,imm: some renamers fold immediates and would run the chain faster
 * than the clock. PK_ADD1 is undefined where we have no chain.
 */
#ifndef PERFKIT_ADD_CHAIN_H
#define PERFKIT_ADD_CHAIN_H

#if defined(__x86_64__) || defined(__i386__)
#define PK_ADD1 "add %1, %0\n\t"
#elif defined(__aarch64__)
#define PK_ADD1 "add %0, %0, %1\n\t"
#endif

#ifdef PK_ADD1
#define PK_ADD4 PK_ADD1 PK_ADD1 PK_ADD1 PK_ADD1
#define PK_ADD7 PK_ADD4 PK_ADD1 PK_ADD1 PK_ADD1
#define PK_ADD14 PK_ADD7 PK_ADD7
#define PK_ADD16 PK_ADD4 PK_ADD4 PK_ADD4 PK_ADD4
#define PK_ADD28 PK_ADD14 PK_ADD14
#define PK_ADD64 PK_ADD16 PK_ADD16 PK_ADD16 PK_ADD16
#endif

#endif /* PERFKIT_ADD_CHAIN_H */
