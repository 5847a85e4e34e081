/* SPDX-License-Identifier: MIT */
/* A stand-in for a libperfkit of the next major version: the Python package
 * must refuse it at import with a message naming both versions
 * (test_errors.py). */
int perfkit_version(void);
const char *perfkit_version_string(void);

int perfkit_version(void)
{
	return 20000;
}

const char *perfkit_version_string(void)
{
	return "2.0.0";
}
