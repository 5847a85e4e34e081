/* SPDX-License-Identifier: MIT */
/* Host, operating system, build and library versions, as key/value pairs. */
#include <blis.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "machine-private.h"
#include "machine-build.h"

static void os_release(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/etc/os-release", "r");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v;
		size_t n;

		if (strncmp(line, "PRETTY_NAME=", 12) != 0)
			continue;
		v = line + 12;
		n = strcspn(v, "\n");
		v[n] = '\0';
		if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
			v[n - 1] = '\0';
			v++;
		}
		snprintf(buf, len, "%s", v);
		break;
	}
	fclose(f);
}

static void add_api_version(struct perfkit_machine *m, const char *key, unsigned v)
{
	pk_kv_add(m, PK_KV_STRING, key, "%u.%u.%u", (v >> 16) & 0xff,
		  (v >> 8) & 0xff, v & 0xff);
}

void pk_machine_host_kv(struct perfkit_machine *m)
{
	struct utsname u;
	char host[256], distro[256];
	const char *hw = hwloc_obj_get_info_by_name(hwloc_get_root_obj(m->topo),
						    "hwlocVersion");
	int have_uname = uname(&u) == 0;

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	os_release(distro, sizeof(distro));

	pk_kv_add(m, PK_KV_STRING, "host.name", "%s", host);
	pk_kv_add(m, PK_KV_STRING, "os.name", "%s", have_uname ? u.sysname : "unknown");
	pk_kv_add(m, PK_KV_STRING, "os.kernel", "%s", have_uname ? u.release : "unknown");
	pk_kv_add(m, PK_KV_STRING, "os.version", "%s", have_uname ? u.version : "unknown");
	pk_kv_add(m, PK_KV_STRING, "os.arch", "%s", have_uname ? u.machine : "unknown");
	pk_kv_add(m, PK_KV_STRING, "os.distribution", "%s", distro);

	pk_kv_add(m, PK_KV_STRING, "build.compiler", "%s", PK_BUILD_COMPILER);
	pk_kv_add(m, PK_KV_STRING, "build.compiler_version", "%s", __VERSION__);
	pk_kv_add(m, PK_KV_STRING, "build.type", "%s", PK_BUILD_TYPE);
	pk_kv_add(m, PK_KV_STRING, "build.optimization", "%s", PK_BUILD_OPTIMIZATION);
	pk_kv_add(m, PK_KV_STRING, "build.debug", "%s", PK_BUILD_DEBUG);
	pk_kv_add(m, PK_KV_STRING, "build.sanitize", "%s", PK_BUILD_SANITIZE);
	pk_kv_add(m, PK_KV_STRING, "build.c_args", "%s", PK_BUILD_C_ARGS);

	pk_kv_add(m, PK_KV_STRING, "blis.version", "%s", bli_info_get_version_str());
	pk_kv_add(m, PK_KV_STRING, "hwloc.version", "%s", hw ? hw : "unknown");
	add_api_version(m, "hwloc.api_compiled", HWLOC_API_VERSION);
	add_api_version(m, "hwloc.api_runtime", hwloc_get_api_version());
}
