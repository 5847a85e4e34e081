// SPDX-License-Identifier: MIT
/*
 * JSON Lines records through simdjson's DOM API (its parser is picked at
 * run time for the CPU, and validates each line whole). Only the common
 * shape is read here: an object per line whose keys are record fields or
 * "params", each once, with values of the types the writer uses. Anything
 * else (an extra key, a duplicate, an odd value, any parse error) answers
 * -EAGAIN and the jansson reader (results-jsonl.c) reads the whole input
 * again: it keeps every rule and names the line and column of an error.
 */
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>

#include <simdjson.h>

extern "C" {
#include "results-format.h"
}
#include "results-private.h"
#include "results-jsonl-fast.h"

namespace {

using namespace simdjson;

constexpr int NOT_SURE = -EAGAIN;

int read_text(char *dst, const pk_field *f, dom::element v)
{
	std::string_view s;

	if (v.get_string().get(s) || s.size() >= f->size)
		return NOT_SURE;
	std::memcpy(dst, s.data(), s.size());
	dst[s.size()] = '\0';
	return 0;
}

int read_double(char *dst, const pk_field *f, dom::element v)
{
	std::string_view s;
	int64_t i;
	double d;

	switch (v.type()) {
	case dom::element_type::STRING:
		if (v.get_string().get(s) ||
		    pk_text_to_nonfinite(s.data(), s.size(), &d) < 0)
			return NOT_SURE;
		break;
	case dom::element_type::INT64: // jansson: an integer, as a double
		if (v.get_int64().get(i))
			return NOT_SURE;
		d = (double)i;
		break;
	case dom::element_type::DOUBLE:
		if (v.get_double().get(d))
			return NOT_SURE;
		break;
	default: // UINT64 too: jansson has no integer above INT64_MAX
		return NOT_SURE;
	}
	if (pk_field_double_ok(f, d) < 0) // jansson's reader says why
		return NOT_SURE;
	std::memcpy(dst, &d, sizeof(d));
	return 0;
}

int read_int(perfkit_record *rec, const pk_field *f, dom::element v)
{
	char *dst = (char *)rec + f->offset;
	std::string_view s;
	int64_t x;

	// uint64 values above INT64_MAX are written as decimal strings.
	if (v.type() == dom::element_type::STRING && f->type == PK_FIELD_U64) {
		if (v.get_string().get(s))
			return NOT_SURE;
		return pk_record_field_parse(rec, f, s.data(), s.size()) == 0
			       ? 0 : NOT_SURE;
	}
	if (v.type() != dom::element_type::INT64 || v.get_int64().get(x))
		return NOT_SURE;
	if (f->type == PK_FIELD_I32) {
		if (x < INT32_MIN || x > INT32_MAX)
			return NOT_SURE;
		int32_t i32 = (int32_t)x;
		std::memcpy(dst, &i32, sizeof(i32));
	} else if (f->type == PK_FIELD_U64) {
		if (x < 0)
			return NOT_SURE;
		uint64_t u = (uint64_t)x;
		std::memcpy(dst, &u, sizeof(u));
	} else {
		std::memcpy(dst, &x, sizeof(x));
	}
	return 0;
}

int read_field(perfkit_record *rec, const pk_field *f, dom::element v)
{
	switch (f->type) {
	case PK_FIELD_TEXT:
		return read_text((char *)rec + f->offset, f, v);
	case PK_FIELD_DOUBLE:
		return read_double((char *)rec + f->offset, f, v);
	default:
		return read_int(rec, f, v);
	}
}

// Whether the @n bytes at @a and @b are the same: two overlapping loads
// of 8 (or 4) bytes, all inside both, for names of 4 to 16 bytes.
bool same(const char *a, const char *b, size_t n)
{
	uint64_t x[2], y[2];
	uint32_t u[2], v[2];

	if (n >= 8 && n <= 16) {
		std::memcpy(&x[0], a, 8);
		std::memcpy(&x[1], a + n - 8, 8);
		std::memcpy(&y[0], b, 8);
		std::memcpy(&y[1], b + n - 8, 8);
		return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
	}
	if (n >= 4 && n < 8) {
		std::memcpy(&u[0], a, 4);
		std::memcpy(&u[1], a + n - 4, 4);
		std::memcpy(&v[0], b, 4);
		std::memcpy(&v[1], b + n - 4, 4);
		return ((u[0] ^ v[0]) | (u[1] ^ v[1])) == 0;
	}
	return std::memcmp(a, b, n) == 0;
}

// The field table with its names' lengths, and for each length the fields
// that have it. Records list fields in table order, so the one after the
// last match is tried first.
struct fields {
	static constexpr size_t MAX_LEN = 32;
	size_t len[64];
	uint64_t of_len[MAX_LEN + 1] = {}; // bit i: field i
	size_t count;
	size_t next = 0;

	fields()
	{
		count = pk_record_field_count < 64 ? pk_record_field_count : 64;
		for (size_t i = 0; i < count; i++) {
			len[i] = std::strlen(pk_record_fields[i].name);
			if (len[i] <= MAX_LEN)
				of_len[len[i]] |= 1ull << i;
		}
	}

	bool is(size_t i, std::string_view k) const
	{
		return len[i] == k.size() &&
		       same(pk_record_fields[i].name, k.data(), k.size());
	}

	// The index of the field named @k, or count.
	size_t index(std::string_view k) const
	{
		uint64_t m = k.size() <= MAX_LEN ? of_len[k.size()] : 0;

		for (size_t i = 0; k.size() > MAX_LEN && i < count; i++)
			if (is(i, k)) // no field is that long today
				return i;
		for (; m; m &= m - 1) {
			size_t i = (size_t)__builtin_ctzll(m);

			if (same(pk_record_fields[i].name, k.data(), k.size()))
				return i;
		}
		return count;
	}

	// Whether @k names a field (pk_record_field_find() without strlen()).
	bool has(std::string_view k) const
	{
		return index(k) < count;
	}

	const pk_field *find(std::string_view k)
	{
		size_t i;

		if (next < count && is(next, k))
			return &pk_record_fields[next++];
		i = index(k);
		if (i == count)
			return nullptr;
		next = i + 1;
		return &pk_record_fields[i];
	}
};

// perfkit_record_set_param()'s checks without its strlen()s and messages,
// plus jansson's refusal of a duplicate key (set_param would replace).
int add_param(perfkit_record *rec, const fields &table, std::string_view key,
	      std::string_view text)
{
	perfkit_record_param *p;

	if (key.empty() || key.size() > PERFKIT_RECORD_PARAM_KEY_MAX ||
	    text.size() > PERFKIT_RECORD_PARAM_VALUE_MAX ||
	    rec->nparams >= PERFKIT_RECORD_PARAMS_MAX ||
	    table.has(key))
		return NOT_SURE;
	// The record was zeroed: a key the same as @key has a NUL after it.
	for (uint32_t i = 0; i < rec->nparams; i++)
		if (rec->params[i].key[key.size()] == '\0' &&
		    std::memcmp(rec->params[i].key, key.data(), key.size()) == 0)
			return NOT_SURE;
	p = &rec->params[rec->nparams++];
	std::memcpy(p->key, key.data(), key.size());
	p->key[key.size()] = '\0';
	std::memcpy(p->value, text.data(), text.size());
	p->value[text.size()] = '\0';
	return 0;
}

int read_params(perfkit_record *rec, const fields &table, dom::element v)
{
	dom::object obj;

	if (v.get_object().get(obj))
		return NOT_SURE;
	for (dom::key_value_pair kv : obj) {
		std::string_view s;

		if (kv.value.get_string().get(s) ||
		    add_param(rec, table, kv.key, s) < 0)
			return NOT_SURE;
	}
	return 0;
}

int read_record(dom::element doc, perfkit_record *rec, fields &table)
{
	uint64_t seen = 0; // bit i: pk_record_fields[i]; bit 63: params
	dom::object obj;

	table.next = 0;
	if (doc.get_object().get(obj))
		return NOT_SURE;
	for (dom::key_value_pair kv : obj) {
		const pk_field *f;
		uint64_t bit;
		int rc;

		f = table.find(kv.key);
		if (f) {
			bit = 1ull << (size_t)(f - pk_record_fields);
			rc = read_field(rec, f, kv.value);
		} else if (kv.key == "params") {
			bit = 1ull << 63;
			rc = read_params(rec, table, kv.value);
		} else {
			return NOT_SURE; // an extra key: jansson keeps it
		}
		if (rc < 0 || (seen & bit))
			return NOT_SURE;
		seen |= bit;
	}
	return 0;
}

// jansson refuses a NUL in a string, raw or as "\u0000": leave both to it.
// Each backslash found starts an escape (elsewhere simdjson fails anyway).
// Per line, while the line is in the cache.
bool has_nul(const char *p, size_t n)
{
	const char *end = p + n;

	if (std::memchr(p, '\0', n))
		return true;
	while ((p = (const char *)std::memchr(p, '\\', (size_t)(end - p)))) {
		if (end - p >= 6 && std::memcmp(p, "\\u0000", 6) == 0)
			return true;
		if (end - p <= 2)
			return false;
		p += 2;
	}
	return false;
}

bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

// One line: in place where SIMDJSON_PADDING readable bytes follow it in
// the input, else (the last lines) from a padded copy. The record is read
// into the set's next place and becomes part of the set only when whole:
// read_text() and add_param() check what perfkit_results_append() would.
int read_line(dom::parser &parser, fields &table, const char *line, size_t n,
	      size_t after, perfkit_results *res)
{
	padded_string copy;
	dom::element doc;
	perfkit_record *rec;

	if (has_nul(line, n))
		return NOT_SURE;
	if (after < SIMDJSON_PADDING) {
		copy = padded_string(line, n);
		line = copy.data();
	}
	if (parser.parse(line, n, false).get(doc))
		return NOT_SURE;
	rec = pk_results_slot(res);
	if (!rec)
		return NOT_SURE; // jansson's reader says what failed
	perfkit_record_init(rec);
	if (read_record(doc, rec, table) < 0)
		return NOT_SURE;
	pk_results_commit(res);
	return 0;
}

} // namespace

// What stays from one block of lines to the next: simdjson's parser keeps
// its buffers, the field table its names' lengths.
struct pk_jsonl_fast {
	dom::parser parser;
	fields table;
};

static_assert(PK_JSONL_PADDING >= SIMDJSON_PADDING,
	      "results-jsonl-fast.h: PK_JSONL_PADDING below simdjson's");

extern "C" struct pk_jsonl_fast *pk_jsonl_fast_new(void)
{
	return new (std::nothrow) pk_jsonl_fast;
}

extern "C" void pk_jsonl_fast_free(struct pk_jsonl_fast *f)
{
	delete f;
}

extern "C" int pk_jsonl_fast_lines(struct pk_jsonl_fast *f, const char *data,
				   size_t len, size_t padding,
				   perfkit_results *res)
{
	size_t pos = 0;

	if (pk_record_field_count >= 63) // the bitmask of read_record()
		return NOT_SURE;
	while (pos < len) {
		const char *nl = (const char *)std::memchr(data + pos, '\n',
							   len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;

		if (!blank(data + pos, end - pos) &&
		    read_line(f->parser, f->table, data + pos, end - pos,
			      len - end + padding, res) < 0)
			return NOT_SURE;
		pos = end + 1;
	}
	return 0;
}

extern "C" int pk_jsonl_fast_records(const char *data, size_t len,
				     perfkit_results *res)
{
	pk_jsonl_fast f;

	return pk_jsonl_fast_lines(&f, data, len, 0, res);
}
