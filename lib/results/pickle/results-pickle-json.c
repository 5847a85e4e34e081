/* SPDX-License-Identifier: MIT */
/*
 * The values of a pickle as JSON text, byte for byte what Python's
 * json.dumps(value, ensure_ascii=False, separators=(',', ':')) writes,
 * so a test can compare the two. The values form a graph (the memo shares
 * containers), so the writer refuses a container inside itself, and caps
 * depth and output: shared containers can repeat exponentially.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "perfkit/pickle.h"
#include "results-format.h"
#include "results-pickle.h"

struct out {
	char *s;
	size_t n, cap;
};

static int too_long(void)
{
	return pk_error(-ERANGE, "pickle: the JSON text would be longer than %u bytes",
			PERFKIT_PICKLE_MAX_JSON);
}

static int put(struct out *o, const char *s, size_t len)
{
	if (len > PERFKIT_PICKLE_MAX_JSON - o->n)
		return too_long();
	if (o->n + len + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		char *p;

		while (cap < o->n + len + 1)
			cap *= 2;
		p = realloc(o->s, cap);
		if (!p)
			return pk_error(-ENOMEM, "pickle: out of memory");
		o->s = p;
		o->cap = cap;
	}
	memcpy(o->s + o->n, s, len);
	o->n += len;
	o->s[o->n] = '\0';
	return 0;
}

static int puts_(struct out *o, const char *s)
{
	return put(o, s, strlen(s));
}

/* The shortest digits that read back as @v (> 0, finite), as "%.*e"
 * rounds them: *exp10 is the power of ten of the first digit. */
static size_t shortest_digits(double v, char *digits, int *exp10)
{
	for (int prec = 0;; prec++) {
		char buf[48], text[48];
		size_t nd = 0;
		const char *q = buf;
		double back;
		int len;

		snprintf(buf, sizeof(buf), "%.*e", prec, v);
		/* the decimal point is the locale's: keep digits only */
		for (; *q && *q != 'e'; q++)
			if (*q >= '0' && *q <= '9')
				digits[nd++] = *q;
		*exp10 = atoi(q + 1);
		len = snprintf(text, sizeof(text), "%c.%.*se%d", digits[0],
			       (int)nd - 1, digits + 1, *exp10);
		if (prec >= 16 || (pk_text_to_double(text, (size_t)len, &back) == 0 &&
				   back == v)) {
			while (nd > 1 && digits[nd - 1] == '0')
				nd--;
			return nd;
		}
	}
}

/* Python's repr() of a finite double: fixed notation for 1e-4 <= |v| <
 * 1e16 (with ".0" when integral), else d.ddde+XX. */
static int write_double(struct out *o, double v)
{
	char digits[24], buf[64];
	size_t nd, k = 0;
	int e, decpt;

	if (isnan(v))
		return puts_(o, "\"NaN\"");
	if (isinf(v))
		return puts_(o, v < 0 ? "\"-Infinity\"" : "\"Infinity\"");
	if (v == 0)
		return puts_(o, signbit(v) ? "-0.0" : "0.0");
	if (v < 0)
		buf[k++] = '-';
	nd = shortest_digits(fabs(v), digits, &e);
	decpt = e + 1;
	if (decpt <= -4 || decpt > 16) {
		buf[k++] = digits[0];
		if (nd > 1) {
			buf[k++] = '.';
			memcpy(buf + k, digits + 1, nd - 1);
			k += nd - 1;
		}
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "e%c%02d",
				      e < 0 ? '-' : '+', e < 0 ? -e : e);
	} else if (decpt <= 0) {
		buf[k++] = '0';
		buf[k++] = '.';
		for (int i = 0; i < -decpt; i++)
			buf[k++] = '0';
		memcpy(buf + k, digits, nd);
		k += nd;
	} else if ((size_t)decpt < nd) {
		memcpy(buf + k, digits, (size_t)decpt);
		k += (size_t)decpt;
		buf[k++] = '.';
		memcpy(buf + k, digits + decpt, nd - (size_t)decpt);
		k += nd - (size_t)decpt;
	} else {
		memcpy(buf + k, digits, nd);
		k += nd;
		for (size_t i = nd; i < (size_t)decpt; i++)
			buf[k++] = '0';
		buf[k++] = '.';
		buf[k++] = '0';
	}
	return put(o, buf, k);
}

/* A JSON string: the escapes of json.dumps(ensure_ascii=False). */
static int write_string(struct out *o, const char *s, size_t len)
{
	size_t run = 0;
	int rc = put(o, "\"", 1);

	for (size_t i = 0; rc == 0 && i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		const char *e = NULL;

		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			if (c < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				e = esc;
			}
		}
		if (!e)
			continue;
		rc = put(o, s + run, i - run);
		if (rc == 0)
			rc = puts_(o, e);
		run = i + 1;
	}
	if (rc == 0)
		rc = put(o, s + run, len - run);
	return rc < 0 ? rc : put(o, "\"", 1);
}

/* A dict key as the text JSON gets: a str, or an int in decimal. */
struct key_text {
	const char *s;
	size_t len;
	char num[24];
};

static void key_text(const struct pk_pv *k, struct key_text *t)
{
	if (k->type == PK_PV_STR) {
		t->s = k->u.str.s;
		t->len = k->u.str.len;
	} else {
		t->len = (size_t)snprintf(t->num, sizeof(t->num), "%" PRId64,
					  k->u.i);
		t->s = t->num;
	}
}

static int cmp_keys(const void *a, const void *b)
{
	const struct key_text *x = *(const struct key_text *const *)a;
	const struct key_text *y = *(const struct key_text *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(x->s, y->s, n) : 0;

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* A dict's keys, once per dict: each may appear once. */
static int check_keys(struct pk_pv *d)
{
	size_t n = d->u.seq.n / 2;
	struct key_text *keys, **order;
	int rc = 0;

	if (d->mark & PK_PV_KEYS_CHECKED || n < 2)
		return 0;
	keys = malloc(n * sizeof(*keys));
	order = malloc(n * sizeof(*order));
	if (!keys || !order) {
		free(keys);
		free(order);
		return pk_error(-ENOMEM, "pickle: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		key_text(d->u.seq.items[2 * i], &keys[i]);
		order[i] = &keys[i];
	}
	qsort(order, n, sizeof(*order), cmp_keys);
	for (size_t i = 1; i < n && rc == 0; i++)
		if (cmp_keys(&order[i - 1], &order[i]) == 0)
			rc = pk_error(-EBADMSG,
				      "pickle byte %" PRIu32 ": the dict made here has the key \"%.*s\" twice",
				      d->offset, (int)(order[i]->len > 60 ? 60 : order[i]->len),
				      order[i]->s);
	free(keys);
	free(order);
	d->mark |= PK_PV_KEYS_CHECKED;
	return rc;
}

static int write_value(struct out *o, struct pk_pv *v, int depth);

static int write_container(struct out *o, struct pk_pv *v, int depth)
{
	int dict = v->type == PK_PV_DICT;
	int rc;

	if (depth > PERFKIT_PICKLE_MAX_DEPTH)
		return pk_error(-ERANGE,
				"pickle byte %" PRIu32 ": the %s made here is nested deeper than %d levels",
				v->offset, dict ? "dict" : v->type == PK_PV_LIST ? "list" : "tuple",
				PERFKIT_PICKLE_MAX_DEPTH);
	if (v->mark & PK_PV_VISITING)
		return pk_error(-ENOTSUP,
				"pickle byte %" PRIu32 ": the %s made here contains itself, which JSON cannot write",
				v->offset, dict ? "dict" : v->type == PK_PV_LIST ? "list" : "tuple");
	if (dict && (rc = check_keys(v)) < 0)
		return rc;
	v->mark |= PK_PV_VISITING;
	rc = put(o, dict ? "{" : "[", 1);
	for (size_t i = 0; rc == 0 && i < v->u.seq.n; i++) {
		if (i > 0)
			rc = put(o, dict && i % 2 ? ":" : ",", 1);
		if (rc == 0 && dict && i % 2 == 0 &&
		    v->u.seq.items[i]->type == PK_PV_INT) {
			struct key_text t;

			key_text(v->u.seq.items[i], &t);
			rc = write_string(o, t.s, t.len);
		} else if (rc == 0) {
			rc = write_value(o, v->u.seq.items[i], depth);
		}
	}
	v->mark &= (uint8_t)~PK_PV_VISITING;
	return rc < 0 ? rc : put(o, dict ? "}" : "]", 1);
}

static int write_value(struct out *o, struct pk_pv *v, int depth)
{
	char buf[32];

	switch (v->type) {
	case PK_PV_NONE:
		return puts_(o, "null");
	case PK_PV_BOOL:
		return puts_(o, v->u.i ? "true" : "false");
	case PK_PV_INT:
		snprintf(buf, sizeof(buf), "%" PRId64, v->u.i);
		return puts_(o, buf);
	case PK_PV_FLOAT:
		return write_double(o, v->u.f);
	case PK_PV_STR:
		return write_string(o, v->u.str.s, v->u.str.len);
	default:
		return write_container(o, v, depth + 1);
	}
}

int pk_pickle_write_json(struct pk_pv *v, char **json)
{
	struct out o = { 0 };
	int rc = write_value(&o, v, 0);

	if (rc < 0) {
		free(o.s);
		return rc;
	}
	*json = o.s;
	return 0;
}
