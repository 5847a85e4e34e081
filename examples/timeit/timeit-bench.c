/* SPDX-License-Identifier: MIT */
/* perfkit-timeit: the benchmarks, one per command (or function) and
 * parameter value, with {VAR} replaced; and their growing run arrays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "timeit.h"

/* @text with every "{key}" replaced by @value; a copy when @key is NULL. */
char *timeit_substitute(const char *text, const char *key, const char *value)
{
	size_t klen = key ? strlen(key) : 0, vlen = value ? strlen(value) : 0;
	size_t cap = strlen(text) + 1, n = 0;
	char *out, *p;
	const char *t;

	for (t = text; key && (t = strchr(t, '{')); t++)
		if (strncmp(t + 1, key, klen) == 0 && t[klen + 1] == '}')
			cap += vlen;
	out = malloc(cap);
	if (!out)
		return NULL;
	for (t = text, p = out; *t; n++) {
		if (key && t[0] == '{' && strncmp(t + 1, key, klen) == 0 &&
		    t[klen + 1] == '}') {
			memcpy(p, value, vlen);
			p += vlen;
			t += klen + 2;
		} else {
			*p++ = *t++;
		}
	}
	*p = '\0';
	return out;
}

static const char *pick(const char *const *list, int n, int i)
{
	return n == 0 ? NULL : list[n == 1 ? 0 : i];
}

static int make_args(const struct timeit_args *a, struct timeit_bench *b)
{
	b->fargs = calloc((size_t)a->nfargs + 1, sizeof(*b->fargs));
	if (!b->fargs)
		return -1;
	for (int k = 0; k < a->nfargs; k++)
		if (!(b->fargs[k] = timeit_substitute(a->fargs[k], a->param,
						      b->value)))
			return -1;
	return 0;
}

/* "f", or "f n=1000" in a scan: each benchmark is told apart. */
static char *function_name(const char *f, const char *param, const char *value)
{
	size_t len;
	char *name;

	if (!param)
		return strdup(f);
	len = strlen(f) + strlen(param) + strlen(value) + 3;
	name = malloc(len);
	if (name)
		snprintf(name, len, "%s %s=%s", f, param, value);
	return name;
}

static int make_one(const struct timeit_args *a, int group, const char *value,
		    struct timeit_bench *b)
{
	const char *what = a->lib ? a->funcs[group] : a->commands[group];
	const char *prep = pick(a->prepare, a->nprepare, group);
	const char *conc = pick(a->conclude, a->nconclude, group);

	b->group = group;
	b->value = value;
	b->loops = 1;
	b->name = a->lib ? function_name(what, a->param, value) :
		  timeit_substitute(what, a->param, value);
	if (!b->name)
		return -1;
	if (prep && !(b->prepare = timeit_substitute(prep, a->param, value)))
		return -1;
	if (conc && !(b->conclude = timeit_substitute(conc, a->param, value)))
		return -1;
	return a->lib ? make_args(a, b) : 0;
}

int timeit_benches_make(const struct timeit_args *a, struct timeit_set *s)
{
	int groups = a->lib ? a->nfuncs : a->ncommands;
	int values = a->nvalues ? a->nvalues : 1;

	s->functions = a->lib != NULL;
	s->b = calloc((size_t)groups * (size_t)values, sizeof(*s->b));
	if (!s->b)
		return cli_error("out of memory");
	/* value-major, as hyperfine orders a scan */
	for (int v = 0; v < values; v++)
		for (int g = 0; g < groups; g++) {
			const char *value = a->nvalues ? a->param_values[v] : NULL;

			if (make_one(a, g, value, &s->b[s->n++]) != 0)
				return cli_error("out of memory");
		}
	return 0;
}

void timeit_benches_free(struct timeit_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct timeit_bench *b = &s->b[i];

		free(b->name);
		free(b->prepare);
		free(b->conclude);
		for (char **p = b->fargs; p && *p; p++)
			free(*p);
		free(b->fargs);
		free(b->wall);
		free(b->user);
		free(b->sys);
		free(b->codes);
	}
	free(s->b);
	s->b = NULL;
	s->n = 0;
}

static int grow(void **p, size_t cap, size_t size)
{
	void *q = realloc(*p, cap * size);

	if (!q)
		return -1;
	*p = q;
	return 0;
}

int timeit_bench_add(struct timeit_bench *b, double wall, double user,
		     double sys, int code)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;

		if (grow((void **)&b->wall, cap, sizeof(double)) ||
		    grow((void **)&b->user, cap, sizeof(double)) ||
		    grow((void **)&b->sys, cap, sizeof(double)) ||
		    grow((void **)&b->codes, cap, sizeof(int)))
			return cli_error("out of memory");
		b->cap = cap;
	}
	b->wall[b->n] = wall;
	b->user[b->n] = user;
	b->sys[b->n] = sys;
	b->codes[b->n] = code;
	b->n++;
	return 0;
}
