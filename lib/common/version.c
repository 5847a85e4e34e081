/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "perfkit/version.h"

PERFKIT_EXPORT int perfkit_version(void)
{
	return PERFKIT_VERSION;
}

PERFKIT_EXPORT const char *perfkit_version_string(void)
{
	return PERFKIT_VERSION_STRING;
}
