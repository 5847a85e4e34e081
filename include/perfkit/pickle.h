/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/pickle.h
 * @brief Python pickles of plain data (dicts, lists, strings, numbers)
 *        turned into JSON text, without running anything.
 */
#ifndef PERFKIT_PICKLE_H
#define PERFKIT_PICKLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pickle Pickles of plain data
 * @brief Read a Python pickle (protocols 2 to 5) that holds only plain
 *        data, such as the CosmoFlow benchmark's `config.pkl`, as JSON.
 *
 * A pickle is a program for a small stack machine, and most of its
 * opcodes import and call Python code. This reader understands only the
 * opcodes that build plain values: dicts, lists, tuples (as JSON arrays),
 * str, int (within 64 bits), float, bool and None, with the memo that
 * shares them. It refuses every other opcode before it does anything with
 * it, so a malicious pickle cannot run code: it only fails.
 *
 * @code
 * char *text;
 *
 * if (perfkit_pickle_to_json(data, len, &text) == 0) {
 *	json_t *root = json_loads(text, 0, NULL);	// any JSON library
 *	free(text);
 *	...
 * } else {
 *	fprintf(stderr, "config.pkl: %s\n", perfkit_last_error());
 * }
 * @endcode
 *
 * Threads: thread-safe (no shared state).
 * @{
 */

/** @brief Largest pickle read, in bytes (16 MiB). */
#define PERFKIT_PICKLE_MAX_INPUT (16u << 20)
/** @brief Largest JSON text written, in bytes, without the NUL (64 MiB). */
#define PERFKIT_PICKLE_MAX_JSON (64u << 20)
/** @brief Most values a pickle may push, repeat (from the memo or with
 *  DUP) or remember (in the memo), together (2^20). */
#define PERFKIT_PICKLE_MAX_VALUES (1u << 20)
/** @brief Deepest nesting of lists, tuples and dicts. */
#define PERFKIT_PICKLE_MAX_DEPTH 512

/**
 * @brief Turn a pickle of plain data into JSON text.
 *
 * The pickle must start with PROTO 2, 3, 4 or 5 and end with STOP, and
 * hold one value. Accepted opcodes: PROTO, FRAME, STOP; MARK, POP,
 * POP_MARK, DUP; the memo (PUT, BINPUT, LONG_BINPUT, MEMOIZE, GET, BINGET,
 * LONG_BINGET); NONE, NEWTRUE, NEWFALSE; INT, BININT, BININT1, BININT2,
 * LONG, LONG1, LONG4; FLOAT, BINFLOAT; BINUNICODE, SHORT_BINUNICODE,
 * BINUNICODE8, and the ASCII strings of Python 2 (BINSTRING,
 * SHORT_BINSTRING); EMPTY_LIST, LIST, APPEND, APPENDS; EMPTY_TUPLE, TUPLE,
 * TUPLE1, TUPLE2, TUPLE3; EMPTY_DICT, DICT, SETITEM, SETITEMS. Every
 * other opcode is refused with its name and byte offset: those that name
 * Python code (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, INST, OBJ, NEWOBJ,
 * NEWOBJ_EX, PERSID, BINPERSID, EXT1, EXT2, EXT4), bytes and buffers
 * (BINBYTES, SHORT_BINBYTES, BINBYTES8, BYTEARRAY8, NEXT_BUFFER,
 * READONLY_BUFFER), sets (EMPTY_SET, ADDITEMS, FROZENSET) and the escaped
 * text strings of protocol 0 (STRING, UNICODE).
 *
 * The text is what Python's `json.dumps(value, ensure_ascii=False,
 * separators=(',', ':'))` writes, tuples as arrays and floats as their
 * shortest repr, except that NaN and the infinities are the strings
 * "NaN", "Infinity" and "-Infinity" (as libperfkit's JSON files write
 * them). Dict keys must be str or int (an int key becomes its decimal
 * text, as json.dumps writes it: the CosmoFlow configuration's learning
 * rate schedule is keyed by epoch), and each key's text may appear once
 * per dict.
 *
 * @param data the pickle's bytes
 * @param len its length in bytes, at most #PERFKIT_PICKLE_MAX_INPUT
 * @param[out] json NUL-terminated UTF-8 JSON text, to free() with free();
 *        set to NULL on failure
 * @return 0 on success; on failure a negative errno, with the byte
 *         offset and the reason in perfkit_last_error()
 * @retval -EINVAL @p data (with @p len > 0) or @p json is NULL
 * @retval -EBADMSG malformed: empty, truncated, an unknown opcode, a
 *         missing MARK, a memo index never set, a value of the wrong type
 *         (APPEND to a dict), invalid UTF-8, a dict key given twice, bytes
 *         after STOP
 * @retval -ENOTSUP a refused opcode, a protocol other than 2 to 5, or a
 *         value JSON cannot hold (a key that is not a str or an int, a container
 *         that contains itself)
 * @retval -ERANGE an integer beyond 64 bits, or input, output, values or
 *         nesting beyond the limits above
 * @retval -ENOMEM out of memory
 */
int perfkit_pickle_to_json(const void *data, size_t len, char **json);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_PICKLE_H */
