/* SPDX-License-Identifier: MIT */
/* The description as ordered (key, value) pairs, and as JSON. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfkit/version.h"
#include "machine-private.h"

/* Replace bytes that are not valid UTF-8 with '?': JSON strings must be
 * UTF-8, and the key/value text must equal the JSON text. */
static void make_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : (*p >> 5) == 0x6 ? 1 : (*p >> 4) == 0xe ? 2 :
			(*p >> 3) == 0x1e ? 3 : -1;
		int ok = n >= 0;

		for (int i = 1; ok && i <= n; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (!ok) {
			*p++ = '?';
			continue;
		}
		p += n + 1;
	}
}

void pk_kv_add(struct perfkit_machine *m, enum pk_kv_type type, const char *key,
	       const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	struct pk_kv *kv;

	if (m->kv_failed)
		return;
	if (m->nkv == m->kv_cap) {
		size_t cap = m->kv_cap ? 2 * m->kv_cap : 64;
		struct pk_kv *n = realloc(m->kv, cap * sizeof(*n));

		if (!n) {
			m->kv_failed = 1;
			return;
		}
		m->kv = n;
		m->kv_cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	make_utf8(buf);
	kv = &m->kv[m->nkv];
	kv->key = strdup(key);
	kv->value = strdup(buf);
	kv->type = type;
	if (!kv->key || !kv->value) {
		free(kv->key);
		free(kv->value);
		m->kv_failed = 1;
		return;
	}
	m->nkv++;
}

void pk_machine_free_kv(struct perfkit_machine *m)
{
	for (size_t i = 0; i < m->nkv; i++) {
		free(m->kv[i].key);
		free(m->kv[i].value);
	}
	free(m->kv);
	m->kv = NULL;
	m->nkv = m->kv_cap = 0;
}

PERFKIT_EXPORT size_t perfkit_machine_kv_count(const struct perfkit_machine *m)
{
	return m ? m->nkv : 0;
}

PERFKIT_EXPORT int perfkit_machine_kv_get(const struct perfkit_machine *m, size_t i,
					  const char **key, const char **value)
{
	if (!m)
		return pk_error(-EINVAL, "perfkit_machine_kv_get: m is NULL");
	if (i >= m->nkv)
		return pk_error(-EINVAL, "key %zu out of range (%zu keys)", i, m->nkv);
	if (key)
		*key = m->kv[i].key;
	if (value)
		*value = m->kv[i].value;
	return 0;
}

PERFKIT_EXPORT int perfkit_machine_kv_find(const struct perfkit_machine *m,
					   const char *key, const char **value)
{
	if (!m || !key || !value)
		return pk_error(-EINVAL, "perfkit_machine_kv_find: NULL argument");
	for (size_t i = 0; i < m->nkv; i++)
		if (strcmp(m->kv[i].key, key) == 0) {
			*value = m->kv[i].value;
			return 0;
		}
	return pk_error(-ENOENT, "no machine key '%s'", key);
}

/* Put @value at the dotted @key under @root, creating objects on the way. */
static int json_put(json_t *root, const char *key, json_t *value)
{
	char path[128], *part, *save = NULL, *next;
	json_t *obj = root;

	if (!value)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s", key);
	part = strtok_r(path, ".", &save);
	while (part && (next = strtok_r(NULL, ".", &save))) {
		json_t *child = json_object_get(obj, part);

		if (!child) {
			child = json_object();
			if (!child || json_object_set_new(obj, part, child) != 0)
				goto nomem;
		} else if (!json_is_object(child)) {
			json_decref(value);
			return pk_error(-EBADMSG, "key %s collides with a value", key);
		}
		obj = child;
		part = next;
	}
	if (!part || json_object_set_new(obj, part, value) != 0)
		return -ENOMEM;
	return 0;
nomem:
	json_decref(value);
	return -ENOMEM;
}

PERFKIT_EXPORT int perfkit_machine_to_json(const struct perfkit_machine *m, char **out)
{
	json_t *root;
	int rc = 0;

	if (!m || !out)
		return pk_error(-EINVAL, "perfkit_machine_to_json: NULL argument");
	root = json_object();
	if (!root)
		return pk_error(-ENOMEM, "perfkit_machine_to_json: out of memory");
	for (size_t i = 0; i < m->nkv && rc == 0; i++) {
		const struct pk_kv *kv = &m->kv[i];

		json_t *v;

		if (kv->type == PK_KV_INTEGER)
			v = json_integer((json_int_t)strtoll(kv->value, NULL, 10));
		else if (kv->type == PK_KV_NUMBER)
			v = json_real(strtod(kv->value, NULL));
		else
			v = json_string(kv->value);
		rc = json_put(root, kv->key, v);
	}
	if (rc == 0) {
		*out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				  JSON_REAL_PRECISION(10));
		if (!*out)
			rc = -ENOMEM;
	}
	json_decref(root);
	if (rc == -ENOMEM)
		return pk_error(rc, "perfkit_machine_to_json: out of memory");
	return rc;
}
