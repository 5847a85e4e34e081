/* SPDX-License-Identifier: MIT */
/*
 * The pickle machine, cut down to plain data. A pickle is a program for a
 * stack machine; most opcodes import and call Python code. This one runs
 * only the opcodes that build dicts, lists, tuples, strings, numbers,
 * booleans and None, and refuses every other opcode before it looks at the
 * opcode's argument. It follows CPython's _pickle.c where the two could
 * differ (the MARK fence, POP taking a MARK), and is stricter where a real
 * pickler never writes something (PROTO only first, nothing after STOP).
 * Memory is bounded by PERFKIT_PICKLE_MAX_VALUES; nothing here recurses.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "perfkit/pickle.h"
#include "results-format.h"
#include "results-pickle.h"

/* Why an opcode is refused; 0 = read. */
enum refusal { READ, CODE, BYTES, SET, TEXT };

struct opcode {
	const char *name;
	uint8_t refusal;
};

static const struct opcode opcodes[256] = {
	['('] = { "MARK", READ },	  ['.'] = { "STOP", READ },
	['0'] = { "POP", READ },	  ['1'] = { "POP_MARK", READ },
	['2'] = { "DUP", READ },	  ['F'] = { "FLOAT", READ },
	['I'] = { "INT", READ },	  ['J'] = { "BININT", READ },
	['K'] = { "BININT1", READ },	  ['L'] = { "LONG", READ },
	['M'] = { "BININT2", READ },	  ['N'] = { "NONE", READ },
	['P'] = { "PERSID", CODE },	  ['Q'] = { "BINPERSID", CODE },
	['R'] = { "REDUCE", CODE },	  ['S'] = { "STRING", TEXT },
	['T'] = { "BINSTRING", READ },	  ['U'] = { "SHORT_BINSTRING", READ },
	['V'] = { "UNICODE", TEXT },	  ['X'] = { "BINUNICODE", READ },
	['a'] = { "APPEND", READ },	  ['b'] = { "BUILD", CODE },
	['c'] = { "GLOBAL", CODE },	  ['d'] = { "DICT", READ },
	['}'] = { "EMPTY_DICT", READ },	  ['e'] = { "APPENDS", READ },
	['g'] = { "GET", READ },	  ['h'] = { "BINGET", READ },
	['i'] = { "INST", CODE },	  ['j'] = { "LONG_BINGET", READ },
	['l'] = { "LIST", READ },	  [']'] = { "EMPTY_LIST", READ },
	['o'] = { "OBJ", CODE },	  ['p'] = { "PUT", READ },
	['q'] = { "BINPUT", READ },	  ['r'] = { "LONG_BINPUT", READ },
	['s'] = { "SETITEM", READ },	  ['t'] = { "TUPLE", READ },
	[')'] = { "EMPTY_TUPLE", READ },  ['u'] = { "SETITEMS", READ },
	['G'] = { "BINFLOAT", READ },
	/* protocol 2 */
	[0x80] = { "PROTO", READ },	  [0x81] = { "NEWOBJ", CODE },
	[0x82] = { "EXT1", CODE },	  [0x83] = { "EXT2", CODE },
	[0x84] = { "EXT4", CODE },	  [0x85] = { "TUPLE1", READ },
	[0x86] = { "TUPLE2", READ },	  [0x87] = { "TUPLE3", READ },
	[0x88] = { "NEWTRUE", READ },	  [0x89] = { "NEWFALSE", READ },
	[0x8a] = { "LONG1", READ },	  [0x8b] = { "LONG4", READ },
	/* protocol 3 */
	['B'] = { "BINBYTES", BYTES },	  ['C'] = { "SHORT_BINBYTES", BYTES },
	/* protocol 4 */
	[0x8c] = { "SHORT_BINUNICODE", READ },
	[0x8d] = { "BINUNICODE8", READ }, [0x8e] = { "BINBYTES8", BYTES },
	[0x8f] = { "EMPTY_SET", SET },	  [0x90] = { "ADDITEMS", SET },
	[0x91] = { "FROZENSET", SET },	  [0x92] = { "NEWOBJ_EX", CODE },
	[0x93] = { "STACK_GLOBAL", CODE },
	[0x94] = { "MEMOIZE", READ },	  [0x95] = { "FRAME", READ },
	/* protocol 5 */
	[0x96] = { "BYTEARRAY8", BYTES }, [0x97] = { "NEXT_BUFFER", BYTES },
	[0x98] = { "READONLY_BUFFER", BYTES },
};

static const char *const refusal_reason[] = {
	[CODE] = "it names Python code to import or call; only plain data is read, nothing is run",
	[BYTES] = "bytes and buffers have no JSON form",
	[SET] = "sets have no JSON form",
	[TEXT] = "the escaped text strings of protocol 0 are not read",
};

#define CHUNK_VALUES 256

struct chunk {
	struct chunk *next;
	size_t used;
	struct pk_pv v[CHUNK_VALUES];
};

struct pk_pickle {
	struct chunk *chunks;
	struct pk_pv *root;
};

/* The memo: index -> value, open addressing (an index may be any 32-bit
 * number, so no array indexed by it). Keys are index + 1; 0 is empty. */
struct memo {
	uint64_t *keys;
	struct pk_pv **vals;
	size_t n, cap;
};

struct parser {
	const unsigned char *data, *p, *end;
	size_t op;	/* offset of the opcode being run */
	const char *name; /* its name */
	struct pk_pickle *doc;
	struct pk_pv **stack;
	size_t n, cap;
	size_t *marks;
	size_t nmarks, mark_cap;
	size_t fence; /* the last MARK: nothing below it is popped */
	struct memo memo;
	size_t budget; /* pushes and memo entries left */
};

static int fail(struct parser *ps, int code, const char *fmt, ...)
	PK_PRINTF(3, 4);

static int fail(struct parser *ps, int code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->name)
		return pk_error(code, "pickle byte %zu: %s: %s", ps->op,
				ps->name, msg);
	return pk_error(code, "pickle byte %zu: %s", ps->op, msg);
}

static int no_memory(struct parser *ps)
{
	return fail(ps, -ENOMEM, "out of memory");
}

static size_t left(const struct parser *ps)
{
	return (size_t)(ps->end - ps->p);
}

/* The opcode's next @n argument bytes, or -EBADMSG. */
static int need(struct parser *ps, uint64_t n)
{
	if (n > left(ps))
		return fail(ps, -EBADMSG,
			    "needs %" PRIu64 " more bytes, only %zu are left (truncated?)",
			    n, left(ps));
	return 0;
}

static uint64_t le(const unsigned char *b, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Read an @n-byte little-endian unsigned argument. */
static int arg(struct parser *ps, int n, uint64_t *v)
{
	int rc = need(ps, (uint64_t)n);

	if (rc < 0)
		return rc;
	*v = le(ps->p, n);
	ps->p += n;
	return 0;
}

/* The text argument of a protocol 0 opcode: up to its newline. */
static int line(struct parser *ps, const char **s, size_t *len)
{
	const unsigned char *nl = memchr(ps->p, '\n', left(ps));

	if (!nl)
		return fail(ps, -EBADMSG,
			    "no newline ends its argument (truncated?)");
	*s = (const char *)ps->p;
	*len = (size_t)(nl - ps->p);
	ps->p = nl + 1;
	return 0;
}

static int spend(struct parser *ps)
{
	if (ps->budget == 0)
		return fail(ps, -ERANGE, "more than %u values, references and memo entries",
			    PERFKIT_PICKLE_MAX_VALUES);
	ps->budget--;
	return 0;
}

static int grow(void *pp, size_t *cap, size_t need_n, size_t size)
{
	void **p = pp;
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need_n <= *cap)
		return 0;
	while (c < need_n)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

static int push(struct parser *ps, struct pk_pv *v)
{
	int rc = spend(ps);

	if (rc < 0)
		return rc;
	if (grow(&ps->stack, &ps->cap, ps->n + 1, sizeof(*ps->stack)) < 0)
		return no_memory(ps);
	ps->stack[ps->n++] = v;
	return 0;
}

/* A new value of @type, made by the current opcode, pushed. */
static int make(struct parser *ps, enum pk_pv_type type, struct pk_pv **out)
{
	struct chunk *c = ps->doc->chunks;
	struct pk_pv *v = NULL;
	int rc;

	if (ps->budget == 0)
		return spend(ps);
	if (!c || c->used == CHUNK_VALUES) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return no_memory(ps);
		c->next = ps->doc->chunks;
		ps->doc->chunks = c;
	}
	v = &c->v[c->used++];
	v->type = (uint8_t)type;
	v->offset = (uint32_t)ps->op;
	rc = push(ps, v);
	if (rc < 0)
		return rc;
	if (out)
		*out = v;
	return 0;
}

static const char *type_name(const struct pk_pv *v)
{
	static const char *const names[] = {
		[PK_PV_NONE] = "None", [PK_PV_BOOL] = "bool",
		[PK_PV_INT] = "int",   [PK_PV_FLOAT] = "float",
		[PK_PV_STR] = "str",   [PK_PV_LIST] = "list",
		[PK_PV_TUPLE] = "tuple", [PK_PV_DICT] = "dict",
	};
	return names[v->type];
}

/* ---- the stack and its MARKs ---- */

static int underflow(struct parser *ps)
{
	return fail(ps, -EBADMSG, ps->nmarks ? "too few values after the last MARK"
					    : "too few values on the stack");
}

static int pop(struct parser *ps, struct pk_pv **v)
{
	if (ps->n <= ps->fence)
		return underflow(ps);
	*v = ps->stack[--ps->n];
	return 0;
}

static int top(struct parser *ps, struct pk_pv **v)
{
	if (ps->n <= ps->fence)
		return underflow(ps);
	*v = ps->stack[ps->n - 1];
	return 0;
}

static int mark(struct parser *ps)
{
	if (ps->nmarks >= PERFKIT_PICKLE_MAX_VALUES)
		return fail(ps, -ERANGE, "more than %u open MARKs",
			    PERFKIT_PICKLE_MAX_VALUES);
	if (grow(&ps->marks, &ps->mark_cap, ps->nmarks + 1,
		 sizeof(*ps->marks)) < 0)
		return no_memory(ps);
	ps->marks[ps->nmarks++] = ps->n;
	ps->fence = ps->n;
	return 0;
}

/* Close the last MARK: *at is where the values after it start. */
static int pop_mark(struct parser *ps, size_t *at)
{
	if (ps->nmarks == 0)
		return fail(ps, -EBADMSG, "no MARK before it");
	*at = ps->marks[--ps->nmarks];
	ps->fence = ps->nmarks ? ps->marks[ps->nmarks - 1] : 0;
	return 0;
}

/* POP removes the MARK when nothing was pushed after it, as _pickle.c. */
static int op_pop(struct parser *ps)
{
	struct pk_pv *v = NULL;
	size_t at = 0;

	if (ps->nmarks && ps->marks[ps->nmarks - 1] == ps->n)
		return pop_mark(ps, &at);
	return pop(ps, &v);
}

/* ---- containers ---- */

static int check_key(struct parser *ps, const struct pk_pv *key)
{
	/* int keys become their decimal text, as json.dumps writes them:
	 * the CosmoFlow config's lr_schedule has them */
	if (key->type != PK_PV_STR && key->type != PK_PV_INT)
		return fail(ps, -ENOTSUP,
			    "a dict key of type %s (made at byte %" PRIu32 "): only str and int keys have a JSON form",
			    type_name(key), key->offset);
	return 0;
}

/* Move stack[at..n) into @c (as key, value pairs for a dict). */
static int take_items(struct parser *ps, struct pk_pv *c, size_t at)
{
	size_t k = ps->n - at;
	int rc;

	if (c->type == PK_PV_DICT) {
		if (k % 2)
			return fail(ps, -EBADMSG,
				    "%zu values after the MARK: keys and values do not pair up",
				    k);
		for (size_t i = at; i < ps->n; i += 2) {
			rc = check_key(ps, ps->stack[i]);
			if (rc < 0)
				return rc;
		}
	}
	if (k == 0) /* items may still be NULL */
		return 0;
	if (grow(&c->u.seq.items, &c->u.seq.cap, c->u.seq.n + k,
		 sizeof(*c->u.seq.items)) < 0)
		return no_memory(ps);
	memcpy(c->u.seq.items + c->u.seq.n, ps->stack + at,
	       k * sizeof(*ps->stack));
	c->u.seq.n += k;
	ps->n = at;
	return 0;
}

/* LIST, TUPLE, DICT: the values since the last MARK. */
static int op_build_marked(struct parser *ps, enum pk_pv_type type)
{
	struct pk_pv *c = NULL;
	size_t at = 0;
	int rc = pop_mark(ps, &at);

	if (rc < 0)
		return rc;
	/* made first, so the items still sit on the stack if this fails */
	rc = make(ps, type, &c);
	if (rc < 0)
		return rc;
	ps->n--;
	rc = take_items(ps, c, at);
	if (rc < 0)
		return rc;
	ps->stack[ps->n++] = c;
	return 0;
}

/* TUPLE1, TUPLE2, TUPLE3. */
static int op_tuple_n(struct parser *ps, size_t k)
{
	struct pk_pv *c = NULL;
	int rc;

	if (ps->n - ps->fence < k)
		return underflow(ps);
	rc = make(ps, PK_PV_TUPLE, &c);
	if (rc < 0)
		return rc;
	ps->n--;
	rc = take_items(ps, c, ps->n - k);
	if (rc < 0)
		return rc;
	ps->stack[ps->n++] = c;
	return 0;
}

static int want_type(struct parser *ps, const struct pk_pv *c,
		     enum pk_pv_type type)
{
	if (c->type != type)
		return fail(ps, -EBADMSG, "adds to %s %s (made at byte %" PRIu32 "), not a %s",
			    c->type == PK_PV_INT ? "an" : "a", type_name(c), c->offset,
			    type == PK_PV_LIST ? "list" : "dict");
	return 0;
}

/* APPEND (1 value) and SETITEM (a key and a value). */
static int op_add(struct parser *ps, enum pk_pv_type type)
{
	size_t k = type == PK_PV_DICT ? 2 : 1;
	struct pk_pv *c = NULL;
	int rc;

	if (ps->n - ps->fence < k + 1)
		return underflow(ps);
	c = ps->stack[ps->n - k - 1];
	rc = want_type(ps, c, type);
	if (rc < 0)
		return rc;
	return take_items(ps, c, ps->n - k);
}

/* APPENDS, SETITEMS: the values since the last MARK, into the container
 * just below it. */
static int op_add_marked(struct parser *ps, enum pk_pv_type type)
{
	size_t at = 0;
	int rc = pop_mark(ps, &at);

	if (rc < 0)
		return rc;
	if (at <= ps->fence)
		return fail(ps, -EBADMSG, "no %s below its MARK",
			    type == PK_PV_LIST ? "list" : "dict");
	rc = want_type(ps, ps->stack[at - 1], type);
	if (rc < 0)
		return rc;
	return take_items(ps, ps->stack[at - 1], at);
}

/* ---- the memo ---- */

static size_t memo_slot(const struct memo *m, uint64_t key)
{
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15u) & (m->cap - 1);

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int memo_rehash(struct memo *m)
{
	struct memo bigger = { .cap = m->cap ? 2 * m->cap : 64 };

	bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
	bigger.vals = calloc(bigger.cap, sizeof(*bigger.vals));
	if (!bigger.keys || !bigger.vals) {
		free(bigger.keys);
		free(bigger.vals);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = memo_slot(&bigger, m->keys[i]);

			bigger.keys[j] = m->keys[i];
			bigger.vals[j] = m->vals[i];
		}
	}
	bigger.n = m->n;
	free(m->keys);
	free(m->vals);
	*m = bigger;
	return 0;
}

static int memo_put(struct parser *ps, uint64_t idx)
{
	struct memo *m = &ps->memo;
	struct pk_pv *v = NULL;
	size_t i;
	int rc = top(ps, &v);

	if (rc < 0 || (rc = spend(ps)) < 0)
		return rc;
	if (idx > UINT32_MAX)
		return fail(ps, -ERANGE, "memo index %" PRIu64 " is beyond 32 bits",
			    idx);
	if (2 * (m->n + 1) > m->cap && memo_rehash(m) < 0)
		return no_memory(ps);
	i = memo_slot(m, idx + 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = idx + 1;
	m->vals[i] = v;
	return 0;
}

static int memo_get(struct parser *ps, uint64_t idx)
{
	const struct memo *m = &ps->memo;
	size_t i;

	if (m->cap == 0 || idx > UINT32_MAX ||
	    !m->keys[i = memo_slot(m, idx + 1)])
		return fail(ps, -EBADMSG, "memo index %" PRIu64 " was never set",
			    idx);
	return push(ps, m->vals[i]);
}

/* ---- numbers ---- */

static int push_int(struct parser *ps, enum pk_pv_type type, int64_t i)
{
	struct pk_pv *v = NULL;
	int rc = make(ps, type, &v);

	if (rc == 0)
		v->u.i = i;
	return rc;
}

/* LONG1, LONG4: @n bytes of two's complement, little-endian. */
static int op_long(struct parser *ps, int width)
{
	uint64_t n, u = 0;
	int neg;
	int rc = arg(ps, width, &n);

	if (rc < 0)
		return rc;
	if (width == 4 && n > INT32_MAX)
		return fail(ps, -EBADMSG, "negative length %" PRId32,
			    (int32_t)(uint32_t)n);
	if ((rc = need(ps, n)) < 0)
		return rc;
	neg = n > 0 && (ps->p[n - 1] & 0x80);
	/* bytes beyond the 8th may only extend the sign */
	for (uint64_t k = 8; k < n; k++)
		if (ps->p[k] != (neg ? 0xff : 0x00))
			return fail(ps, -ERANGE,
				    "an integer of %" PRIu64 " bytes does not fit in 64 bits",
				    n);
	if (n > 8 && ((ps->p[7] & 0x80) != 0) != neg)
		return fail(ps, -ERANGE,
			    "an integer of %" PRIu64 " bytes does not fit in 64 bits",
			    n);
	u = le(ps->p, n < 8 ? (int)n : 8);
	if (neg && n < 8)
		u |= ~UINT64_C(0) << (8 * n);
	ps->p += n;
	return push_int(ps, PK_PV_INT, (int64_t)u);
}

/* Decimal text as int64 ([+-]digits); -EBADMSG or -ERANGE. */
static int parse_decimal(struct parser *ps, const char *s, size_t len,
			 int64_t *v)
{
	size_t i = 0;
	int neg = 0;
	uint64_t u = 0, lim;

	if (len && (s[0] == '-' || s[0] == '+'))
		neg = s[i++] == '-';
	if (i == len)
		return fail(ps, -EBADMSG, "'%.*s' is not an integer",
			    (int)(len > 40 ? 40 : len), s);
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return fail(ps, -EBADMSG, "'%.*s' is not an integer",
				    (int)(len > 40 ? 40 : len), s);
		if (u > (lim - (uint64_t)(s[i] - '0')) / 10)
			return fail(ps, -ERANGE,
				    "integer '%.*s' does not fit in 64 bits",
				    (int)(len > 40 ? 40 : len), s);
		u = u * 10 + (uint64_t)(s[i] - '0');
	}
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* INT and LONG: decimal text; "I00" and "I01" are False and True. */
static int op_text_int(struct parser *ps, int is_long)
{
	const char *s = NULL;
	size_t len = 0;
	int64_t v;
	int rc = line(ps, &s, &len);

	if (rc < 0)
		return rc;
	if (!is_long && len == 2 && s[0] == '0' && (s[1] == '0' || s[1] == '1'))
		return push_int(ps, PK_PV_BOOL, s[1] == '1');
	if (is_long && len && s[len - 1] == 'L')
		len--;
	rc = parse_decimal(ps, s, len, &v);
	return rc < 0 ? rc : push_int(ps, PK_PV_INT, v);
}

static int push_float(struct parser *ps, double f)
{
	struct pk_pv *v = NULL;
	int rc = make(ps, PK_PV_FLOAT, &v);

	if (rc == 0)
		v->u.f = f;
	return rc;
}

static int op_binfloat(struct parser *ps)
{
	uint64_t bits = 0;
	double f;
	int rc = need(ps, 8);

	if (rc < 0)
		return rc;
	for (int i = 0; i < 8; i++) /* big-endian */
		bits = bits << 8 | ps->p[i];
	ps->p += 8;
	memcpy(&f, &bits, sizeof(f));
	return push_float(ps, f);
}

static int op_float(struct parser *ps)
{
	const char *s = NULL;
	size_t len = 0;
	double f;
	int rc = line(ps, &s, &len);

	if (rc < 0)
		return rc;
	if (pk_text_to_double(s, len, &f) < 0)
		return fail(ps, -EBADMSG, "'%.*s' is not a number",
			    (int)(len > 40 ? 40 : len), s);
	return push_float(ps, f);
}

/* ---- strings ---- */

/* Length of the valid UTF-8 prefix of s[0..len) (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
static size_t utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t k;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (len - i <= k)
			return i;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += k + 1;
	}
	return i;
}

/* BINUNICODE and kin (@width bytes of length, then UTF-8), and the byte
 * strings of Python 2 (read as ASCII, as Python 3 does by default). */
static int op_string(struct parser *ps, int width, int ascii)
{
	struct pk_pv *v = NULL;
	uint64_t n;
	size_t bad;
	int rc = arg(ps, width, &n);

	if (rc < 0)
		return rc;
	if (ascii && width == 4 && n > INT32_MAX)
		return fail(ps, -EBADMSG, "negative length %" PRId32,
			    (int32_t)(uint32_t)n);
	if (n > left(ps))
		return fail(ps, -EBADMSG,
			    "a string of %" PRIu64 " bytes, but only %zu bytes are left (truncated?)",
			    n, left(ps));
	if (ascii) {
		for (bad = 0; bad < n && ps->p[bad] < 0x80; bad++)
			;
		if (bad < n)
			return fail(ps, -EBADMSG,
				    "byte %zu of the string is not ASCII (Python 3 reads these as ASCII)",
				    bad);
	} else if ((bad = utf8_valid(ps->p, (size_t)n)) < n) {
		return fail(ps, -EBADMSG, "byte %zu of the string is not UTF-8",
			    bad);
	}
	rc = make(ps, PK_PV_STR, &v);
	if (rc < 0)
		return rc;
	v->u.str.s = (const char *)ps->p;
	v->u.str.len = (size_t)n;
	ps->p += n;
	return 0;
}

static int op_index(struct parser *ps, int width, int put)
{
	uint64_t idx;
	int rc = arg(ps, width, &idx);

	if (rc < 0)
		return rc;
	return put ? memo_put(ps, idx) : memo_get(ps, idx);
}

/* PUT and GET: the index as decimal text. */
static int op_text_index(struct parser *ps, int put)
{
	const char *s = NULL;
	size_t len = 0;
	int64_t idx;
	int rc = line(ps, &s, &len);

	if (rc < 0 || (rc = parse_decimal(ps, s, len, &idx)) < 0)
		return rc;
	if (idx < 0)
		return fail(ps, -EBADMSG, "negative memo index %" PRId64, idx);
	return put ? memo_put(ps, (uint64_t)idx) : memo_get(ps, (uint64_t)idx);
}

static int op_proto(struct parser *ps)
{
	uint64_t version;
	int rc;

	if (ps->op != 0)
		return fail(ps, -EBADMSG, "PROTO only comes first");
	rc = arg(ps, 1, &version);
	if (rc < 0)
		return rc;
	if (version < 2 || version > 5)
		return fail(ps, -ENOTSUP, "protocol %" PRIu64 ": only protocols 2 to 5 are read",
			    version);
	return 0;
}

/* FRAME (protocol 4): a length the unpickler may buffer; it must fit. */
static int op_frame(struct parser *ps)
{
	uint64_t n;
	int rc = arg(ps, 8, &n);

	if (rc < 0)
		return rc;
	if (n > left(ps))
		return fail(ps, -EBADMSG,
			    "a frame of %" PRIu64 " bytes, but only %zu bytes are left (truncated?)",
			    n, left(ps));
	return 0;
}

static int op_stop(struct parser *ps)
{
	if (ps->p != ps->end)
		return fail(ps, -EBADMSG, "%zu byte(s) after STOP", left(ps));
	if (ps->nmarks)
		return fail(ps, -EBADMSG, "a MARK is still open");
	if (ps->n != 1)
		return fail(ps, -EBADMSG, "%zu values on the stack, not 1",
			    ps->n);
	ps->doc->root = ps->stack[0];
	return 1;
}

static int op_dup(struct parser *ps)
{
	struct pk_pv *v = NULL;
	int rc = top(ps, &v);

	return rc < 0 ? rc : push(ps, v);
}

/* Run the opcode at ps->p: 0 to go on, 1 after STOP, or an error. */
static int step(struct parser *ps)
{
	unsigned code = *ps->p;
	const struct opcode *o = &opcodes[code];

	ps->op = (size_t)(ps->p - ps->data);
	ps->name = NULL;
	if (!o->name)
		return fail(ps, -EBADMSG, "0x%02x is not a pickle opcode", code);
	ps->name = o->name;
	if (o->refusal != READ)
		return fail(ps, -ENOTSUP, "refused (opcode 0x%02x): %s", code,
			    refusal_reason[o->refusal]);
	ps->p++;
	switch (code) {
	case 0x80: return op_proto(ps);
	case 0x95: return op_frame(ps);
	case '.': return op_stop(ps);
	case '(': return mark(ps);
	case '0': return op_pop(ps);
	case '1': {
		size_t at = 0;
		int rc = pop_mark(ps, &at);

		if (rc == 0)
			ps->n = at;
		return rc;
	}
	case '2': return op_dup(ps);
	case 'N': return make(ps, PK_PV_NONE, NULL);
	case 0x88: return push_int(ps, PK_PV_BOOL, 1);
	case 0x89: return push_int(ps, PK_PV_BOOL, 0);
	case 'I': return op_text_int(ps, 0);
	case 'L': return op_text_int(ps, 1);
	case 'J': {
		uint64_t u;
		int rc = arg(ps, 4, &u);

		return rc < 0 ? rc : push_int(ps, PK_PV_INT, (int32_t)(uint32_t)u);
	}
	case 'K':
	case 'M': {
		uint64_t u;
		int rc = arg(ps, code == 'K' ? 1 : 2, &u);

		return rc < 0 ? rc : push_int(ps, PK_PV_INT, (int64_t)u);
	}
	case 0x8a: return op_long(ps, 1);
	case 0x8b: return op_long(ps, 4);
	case 'F': return op_float(ps);
	case 'G': return op_binfloat(ps);
	case 'X': return op_string(ps, 4, 0);
	case 0x8c: return op_string(ps, 1, 0);
	case 0x8d: return op_string(ps, 8, 0);
	case 'T': return op_string(ps, 4, 1);
	case 'U': return op_string(ps, 1, 1);
	case ']': return make(ps, PK_PV_LIST, NULL);
	case ')': return make(ps, PK_PV_TUPLE, NULL);
	case '}': return make(ps, PK_PV_DICT, NULL);
	case 'l': return op_build_marked(ps, PK_PV_LIST);
	case 't': return op_build_marked(ps, PK_PV_TUPLE);
	case 'd': return op_build_marked(ps, PK_PV_DICT);
	case 0x85: return op_tuple_n(ps, 1);
	case 0x86: return op_tuple_n(ps, 2);
	case 0x87: return op_tuple_n(ps, 3);
	case 'a': return op_add(ps, PK_PV_LIST);
	case 's': return op_add(ps, PK_PV_DICT);
	case 'e': return op_add_marked(ps, PK_PV_LIST);
	case 'u': return op_add_marked(ps, PK_PV_DICT);
	case 'p': return op_text_index(ps, 1);
	case 'g': return op_text_index(ps, 0);
	case 'q': return op_index(ps, 1, 1);
	case 'r': return op_index(ps, 4, 1);
	case 0x94: return memo_put(ps, ps->memo.n);
	case 'h': return op_index(ps, 1, 0);
	case 'j': return op_index(ps, 4, 0);
	}
	return fail(ps, -EBADMSG, "0x%02x is not a pickle opcode", code);
}

void pk_pickle_free(struct pk_pickle *p)
{
	if (!p)
		return;
	for (struct chunk *c = p->chunks, *next; c; c = next) {
		next = c->next;
		for (size_t i = 0; i < c->used; i++)
			if (c->v[i].type >= PK_PV_LIST)
				free(c->v[i].u.seq.items);
		free(c);
	}
	free(p);
}

struct pk_pv *pk_pickle_root(const struct pk_pickle *p)
{
	return p->root;
}

int pk_pickle_parse(const unsigned char *data, size_t len,
		    struct pk_pickle **out)
{
	struct parser ps = {
		.data = data, .p = data, .end = data + len,
		.budget = PERFKIT_PICKLE_MAX_VALUES,
	};
	int rc = 0;

	*out = NULL;
	if (len == 0)
		return pk_error(-EBADMSG, "pickle: empty input");
	if (len > PERFKIT_PICKLE_MAX_INPUT)
		return pk_error(-ERANGE, "pickle: %zu bytes, more than the %u read",
				len, PERFKIT_PICKLE_MAX_INPUT);
	if (data[0] != 0x80)
		return pk_error(-ENOTSUP,
				"pickle byte 0: 0x%02x, not PROTO: only pickles of protocol 2 to 5 are read",
				data[0]);
	ps.doc = calloc(1, sizeof(*ps.doc));
	if (!ps.doc)
		return pk_error(-ENOMEM, "pickle: out of memory");
	while (rc == 0) {
		if (ps.p == ps.end) {
			ps.op = len;
			ps.name = NULL;
			rc = fail(&ps, -EBADMSG, "the input ends without STOP (truncated?)");
			break;
		}
		rc = step(&ps);
	}
	free(ps.stack);
	free(ps.marks);
	free(ps.memo.keys);
	free(ps.memo.vals);
	if (rc < 0) {
		pk_pickle_free(ps.doc);
		return rc;
	}
	*out = ps.doc;
	return 0;
}
