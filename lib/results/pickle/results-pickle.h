/* SPDX-License-Identifier: MIT */
/* Pickles of plain data (lib/results/pickle/): the parser builds a tree of
 * values (results-pickle-parse.c), the writer turns it into JSON text
 * (results-pickle-json.c), perfkit_pickle_to_json() does both. */
#ifndef PK_RESULTS_PICKLE_H
#define PK_RESULTS_PICKLE_H

#include <stddef.h>
#include <stdint.h>

enum pk_pv_type {
	PK_PV_NONE,
	PK_PV_BOOL,
	PK_PV_INT,
	PK_PV_FLOAT,
	PK_PV_STR,
	PK_PV_LIST,
	PK_PV_TUPLE,
	PK_PV_DICT,
};

/* One value. Containers are shared through the memo, so a value may be
 * reached from several places (and, in a malicious pickle, from itself). */
struct pk_pv {
	uint8_t type;	  /* enum pk_pv_type */
	uint8_t mark;	  /* the writer's: PK_PV_VISITING, PK_PV_KEYS_CHECKED */
	uint32_t offset;  /* byte of the opcode that made it */
	union {
		int64_t i;	/* INT; BOOL as 0 or 1 */
		double f;
		struct {
			const char *s; /* into the pickle, valid UTF-8 */
			size_t len;
		} str;
		struct {
			/* DICT: key, value, key, value, ... */
			struct pk_pv **items;
			size_t n, cap;
		} seq;
	} u;
};

#define PK_PV_VISITING 1u
#define PK_PV_KEYS_CHECKED 2u

struct pk_pickle;

/* Run the pickle's opcodes (never one that names code) into values. The
 * strings point into @data, which must outlive *out. 0 or a negative
 * errno with a message naming the byte offset. */
int pk_pickle_parse(const unsigned char *data, size_t len,
		    struct pk_pickle **out);
/* The value STOP returned. */
struct pk_pv *pk_pickle_root(const struct pk_pickle *p);
void pk_pickle_free(struct pk_pickle *p);

/* @v as JSON text (see perfkit_pickle_to_json()). */
int pk_pickle_write_json(struct pk_pv *v, char **json);

#endif /* PK_RESULTS_PICKLE_H */
