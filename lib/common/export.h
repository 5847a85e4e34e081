/* SPDX-License-Identifier: MIT */
/* The one definition of the export and printf-format attributes, used by
 * libperfkit and libperfkit-mpi alike. Not installed. */
#ifndef PERFKIT_EXPORT_H
#define PERFKIT_EXPORT_H

/* Marks a definition as part of the ABI; everything else stays hidden
 * (the libraries build with -fvisibility=hidden and a version script). */
#define PERFKIT_EXPORT __attribute__((visibility("default")))

#if defined(__GNUC__)
#define PK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PK_PRINTF(fmt, args)
#endif

#endif /* PERFKIT_EXPORT_H */
