/* SPDX-License-Identifier: MIT */
/* The record's fields by name and their text forms, shared by all formats. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "results-format.h"

#define FIELD_(member, type, nonneg) \
	{ #member, type, offsetof(struct perfkit_record, member), \
	  sizeof(((struct perfkit_record *)0)->member), nonneg }
#define FIELD(member, type) FIELD_(member, type, 0)

const struct pk_field pk_record_fields[] = {
	FIELD(name, PK_FIELD_TEXT),
	FIELD(host, PK_FIELD_TEXT),
	FIELD(worker, PK_FIELD_I32),
	FIELD(rank, PK_FIELD_I32),
	FIELD(cpu, PK_FIELD_I32),
	FIELD(status, PK_FIELD_I32),
	FIELD(t_submit, PK_FIELD_DOUBLE),
	FIELD(t_start, PK_FIELD_DOUBLE),
	FIELD(t_setup, PK_FIELD_DOUBLE),
	FIELD(t_end, PK_FIELD_DOUBLE),
	FIELD(t_collected, PK_FIELD_DOUBLE),
	FIELD(repetitions, PK_FIELD_U64),
	FIELD(problem_size, PK_FIELD_I64),
	FIELD(flops, PK_FIELD_DOUBLE),
	FIELD(bytes, PK_FIELD_DOUBLE),
	FIELD(items, PK_FIELD_DOUBLE),
	/* A duration: never negative. The t_* are points on the set's time
	 * axis and may lie before its epoch (perfkit_results_set_epoch_ns(),
	 * ranks merged onto the root's epoch). */
	FIELD_(elapsed, PK_FIELD_DOUBLE, 1),
};

const size_t pk_record_field_count =
	sizeof(pk_record_fields) / sizeof(pk_record_fields[0]);

const struct pk_field *pk_record_field_find(const char *name, size_t len)
{
	for (size_t i = 0; i < pk_record_field_count; i++) {
		const char *n = pk_record_fields[i].name;
		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return &pk_record_fields[i];
	}
	return NULL;
}

int pk_record_field_format(const struct perfkit_record *rec,
			   const struct pk_field *f, char *buf, size_t len)
{
	const char *p = (const char *)rec + f->offset;
	int n = -ERANGE;

	switch (f->type) {
	case PK_FIELD_TEXT:
		n = snprintf(buf, len, "%s", p);
		break;
	case PK_FIELD_I32: {
		int32_t x;
		memcpy(&x, p, sizeof(x));
		n = snprintf(buf, len, "%" PRId32, x);
		break;
	}
	case PK_FIELD_U64: {
		uint64_t x;
		memcpy(&x, p, sizeof(x));
		n = snprintf(buf, len, "%" PRIu64, x);
		break;
	}
	case PK_FIELD_I64: {
		int64_t x;
		memcpy(&x, p, sizeof(x));
		n = snprintf(buf, len, "%" PRId64, x);
		break;
	}
	case PK_FIELD_DOUBLE: {
		double x;
		memcpy(&x, p, sizeof(x));
		return pk_double_to_text(x, buf, len) < 0 ? -ERANGE : 0;
	}
	}
	return n < 0 || (size_t)n >= len ? -ERANGE : 0;
}

int pk_record_field_parse(struct perfkit_record *rec, const struct pk_field *f,
			  const char *text, size_t len)
{
	char *p = (char *)rec + f->offset;
	int rc;

	switch (f->type) {
	case PK_FIELD_TEXT:
		if (len >= f->size)
			return -ERANGE;
		if (memchr(text, '\0', len))
			return -EBADMSG;
		memcpy(p, text, len);
		p[len] = '\0';
		return 0;
	case PK_FIELD_I32: {
		int64_t x;
		int32_t y;
		rc = pk_text_to_i64(text, len, INT32_MIN, INT32_MAX, &x);
		if (rc < 0)
			return rc;
		y = (int32_t)x;
		memcpy(p, &y, sizeof(y));
		return 0;
	}
	case PK_FIELD_U64: {
		uint64_t x;
		rc = pk_text_to_u64(text, len, &x);
		if (rc == 0)
			memcpy(p, &x, sizeof(x));
		return rc;
	}
	case PK_FIELD_I64: {
		int64_t x;
		rc = pk_text_to_i64(text, len, INT64_MIN, INT64_MAX, &x);
		if (rc == 0)
			memcpy(p, &x, sizeof(x));
		return rc;
	}
	case PK_FIELD_DOUBLE: {
		double x;
		rc = pk_text_to_double(text, len, &x);
		if (rc == 0)
			rc = pk_field_double_ok(f, x);
		if (rc == 0)
			memcpy(p, &x, sizeof(x));
		return rc;
	}
	}
	return -EBADMSG;
}
