/* SPDX-License-Identifier: MIT */
/* The set's metadata: ordered key/value text, the machine, the command. */
#include <stdlib.h>
#include <string.h>

#include "perfkit/machine.h"
#include "common.h"
#include "results-private.h"

static struct pk_pair *meta_find(const struct perfkit_results *res,
				 const char *key)
{
	for (size_t i = 0; i < res->nmeta; i++)
		if (strcmp(res->meta[i].key, key) == 0)
			return &res->meta[i];
	return NULL;
}

static int meta_add(struct perfkit_results *res, char *key, char *value)
{
	if (res->nmeta == res->meta_cap) {
		size_t cap = res->meta_cap ? 2 * res->meta_cap : 16;
		struct pk_pair *p = realloc(res->meta, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		res->meta = p;
		res->meta_cap = cap;
	}
	res->meta[res->nmeta].key = key;
	res->meta[res->nmeta].value = value;
	res->nmeta++;
	return 0;
}

PERFKIT_EXPORT int perfkit_results_meta_set(struct perfkit_results *res,
					    const char *key, const char *value)
{
	struct pk_pair *p;
	char *k = NULL, *v;

	if (!res || !key || !value)
		return pk_error(-EINVAL, "results_meta_set: %s is NULL",
				!res ? "res" : !key ? "key" : "value");
	if (key[0] == '\0')
		return pk_error(-EINVAL, "results_meta_set: empty key");
	p = meta_find(res, key);
	v = strdup(value);
	if (v && !p)
		k = strdup(key);
	if (!v || (!p && (!k || meta_add(res, k, v) < 0))) {
		free(k);
		free(v);
		return pk_error(-ENOMEM, "results_meta_set: out of memory");
	}
	if (p) {
		free(p->value);
		p->value = v;
	}
	return 0;
}

PERFKIT_EXPORT int perfkit_results_meta_get(const struct perfkit_results *res,
					    const char *key, const char **value)
{
	const struct pk_pair *p;

	if (!res || !key || !value)
		return pk_error(-EINVAL, "results_meta_get: %s is NULL",
				!res ? "res" : !key ? "key" : "value");
	p = meta_find(res, key);
	if (!p)
		return pk_error(-ENOENT, "no metadata key \"%s\"", key);
	*value = p->value;
	return 0;
}

PERFKIT_EXPORT size_t perfkit_results_meta_count(
	const struct perfkit_results *res)
{
	return res ? res->nmeta : 0;
}

PERFKIT_EXPORT int perfkit_results_meta_at(const struct perfkit_results *res,
					   size_t i, const char **key,
					   const char **value)
{
	if (!res)
		return pk_error(-EINVAL, "results_meta_at: res is NULL");
	if (i >= res->nmeta)
		return pk_error(-EINVAL, "results_meta_at: index %zu, the set "
				"has %zu metadata keys", i, res->nmeta);
	if (key)
		*key = res->meta[i].key;
	if (value)
		*value = res->meta[i].value;
	return 0;
}

int pk_results_copy_meta(struct perfkit_results *dst,
			 const struct perfkit_results *src)
{
	for (size_t i = 0; i < src->nmeta; i++) {
		int rc = perfkit_results_meta_set(dst, src->meta[i].key,
						  src->meta[i].value);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Drop the "machine." keys so the set describes one machine only. */
static void drop_machine(struct perfkit_results *res)
{
	size_t k = 0;

	for (size_t i = 0; i < res->nmeta; i++) {
		if (strncmp(res->meta[i].key, "machine.", 8) == 0) {
			free(res->meta[i].key);
			free(res->meta[i].value);
		} else {
			res->meta[k++] = res->meta[i];
		}
	}
	res->nmeta = k;
}

PERFKIT_EXPORT int perfkit_results_set_machine(struct perfkit_results *res,
					       const struct perfkit_machine *m)
{
	size_t n;

	if (!res || !m)
		return pk_error(-EINVAL, "results_set_machine: %s is NULL",
				!res ? "res" : "m");
	drop_machine(res);
	n = perfkit_machine_kv_count(m);
	for (size_t i = 0; i < n; i++) {
		const char *key, *value;
		char *full;
		int rc;

		if (perfkit_machine_kv_get(m, i, &key, &value) < 0 || !key ||
		    !value)
			continue;
		full = malloc(strlen(key) + sizeof("machine."));
		if (!full)
			return pk_error(-ENOMEM, "results_set_machine: out of "
					"memory");
		strcpy(full, "machine.");
		strcat(full, key);
		rc = perfkit_results_meta_set(res, full, value);
		free(full);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Characters a POSIX shell leaves alone in a word. */
static int shell_safe(const char *s)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "abcdefghijklmnopqrstuvwxyz"
				   "0123456789_@%+=:,./-";

	return s[0] != '\0' && strspn(s, safe) == strlen(s);
}

/* Append @arg to @out (NULL: only count), single-quoted where needed. */
static size_t quote(const char *arg, char *out)
{
	size_t n = 0;

	if (shell_safe(arg)) {
		n = strlen(arg);
		if (out)
			memcpy(out, arg, n);
		return n;
	}
	if (out)
		out[n] = '\'';
	n++;
	for (const char *p = arg; *p; p++) {
		const char *piece = *p == '\'' ? "'\\''" : NULL;
		size_t len = piece ? 4 : 1;

		if (out)
			memcpy(out + n, piece ? piece : p, len);
		n += len;
	}
	if (out)
		out[n] = '\'';
	return n + 1;
}

PERFKIT_EXPORT int perfkit_results_set_command(struct perfkit_results *res,
					       int argc,
					       const char *const *argv)
{
	size_t len = 1;
	char *cmd, *p;
	int rc;

	if (!res || !argv || argc < 0)
		return pk_error(-EINVAL, "results_set_command: %s",
				!res ? "res is NULL" : !argv ? "argv is NULL" :
				"argc < 0");
	for (int i = 0; i < argc; i++) {
		if (!argv[i])
			return pk_error(-EINVAL, "results_set_command: argv[%d] "
					"is NULL", i);
		len += quote(argv[i], NULL) + 1;
	}
	cmd = malloc(len);
	if (!cmd)
		return pk_error(-ENOMEM, "results_set_command: out of memory");
	p = cmd;
	for (int i = 0; i < argc; i++) {
		if (i > 0)
			*p++ = ' ';
		p += quote(argv[i], p);
	}
	*p = '\0';
	rc = perfkit_results_meta_set(res, "command", cmd);
	free(cmd);
	return rc;
}
