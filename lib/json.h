/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h - a small strict JSON model with RFC 8785 canonical serialisation.
 *
 * Parsing is strict (RFC 8259 grammar, UTF-8 validated, duplicate object
 * keys rejected, nesting bounded by CCCTL_JSON_MAX_DEPTH, numbers limited to
 * integers in the IEEE-754 safe range -(2^53-1)..2^53-1 because this project
 * only uses integers and strings).  Objects keep their members in insertion
 * order; the canonical writer sorts them by UTF-16 code units as RFC 8785
 * requires, so parse -> canonical write is byte-identical for canonical input.
 */
#ifndef CCCTL_JSON_H
#define CCCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define CCCTL_JSON_MAX_DEPTH 64

enum ccctl_json_type {
	CCCTL_JSON_NULL,
	CCCTL_JSON_BOOL,
	CCCTL_JSON_INT,
	CCCTL_JSON_STRING,
	CCCTL_JSON_ARRAY,
	CCCTL_JSON_OBJECT,
};

struct ccctl_json;

struct ccctl_json_member {
	char *key; /* owned, NUL-terminated UTF-8 (may contain no NUL) */
	size_t key_len;
	struct ccctl_json *value; /* owned */
};

struct ccctl_json {
	enum ccctl_json_type type;
	union {
		bool b;
		int64_t i;
		struct {
			char *s; /* owned, NUL-terminated; may contain U+0000 (use len) */
			size_t len;
		} str;
		struct {
			struct ccctl_json **items; /* owned */
			size_t n, cap;
		} arr;
		struct {
			struct ccctl_json_member *members; /* owned */
			size_t n, cap;
		} obj;
	} u;
};

/* Parse len bytes.  On error returns CCCTL_EINVAL with a message naming the
 * byte offset ("json: duplicate key \"name\" at offset 17"). */
int ccctl_json_parse(struct ccctl_json **out, const void *data, size_t len);
void ccctl_json_free(struct ccctl_json *v);

/* Constructors (NULL on out of memory). */
struct ccctl_json *ccctl_json_new_null(void);
struct ccctl_json *ccctl_json_new_bool(bool b);
struct ccctl_json *ccctl_json_new_int(int64_t i);
struct ccctl_json *ccctl_json_new_string(const char *s);
struct ccctl_json *ccctl_json_new_stringn(const char *s, size_t len);
struct ccctl_json *ccctl_json_new_array(void);
struct ccctl_json *ccctl_json_new_object(void);

/* Append to an array / set a member of an object.  Both take ownership of
 * value, also on failure (it is freed).  Setting an existing key replaces
 * its value.  0 or CCCTL_EFAIL (out of memory), CCCTL_EINVAL (wrong type,
 * or an integer outside the safe range). */
int ccctl_json_array_push(struct ccctl_json *arr, struct ccctl_json *value);
int ccctl_json_object_set(struct ccctl_json *obj, const char *key, struct ccctl_json *value);
/* Convenience setters. */
int ccctl_json_object_set_string(struct ccctl_json *obj, const char *key, const char *s);
int ccctl_json_object_set_int(struct ccctl_json *obj, const char *key, int64_t i);
int ccctl_json_object_set_bool(struct ccctl_json *obj, const char *key, bool b);

/* Lookups (borrowed; NULL if absent or of another type). */
const struct ccctl_json *ccctl_json_get(const struct ccctl_json *obj, const char *key);
const char *ccctl_json_get_string(const struct ccctl_json *obj, const char *key);
/* 0 and *out set, or CCCTL_EINVAL if absent / not an integer. */
int ccctl_json_get_int(const struct ccctl_json *obj, const char *key, int64_t *out);
/* 0 and *out set, or CCCTL_EINVAL if absent / not a boolean. */
int ccctl_json_get_bool(const struct ccctl_json *obj, const char *key, bool *out);

/* "null", "boolean", "integer", "string", "array", "object" (for messages:
 * "expected string, found array"). */
const char *ccctl_json_type_name(enum ccctl_json_type t);

/* RFC 8785 canonical form appended to out. */
int ccctl_json_write_canonical(struct ccctl_buf *out, const struct ccctl_json *v);
/* Human form: two-space indentation, members in insertion order, trailing
 * newline.  Used for --json output and `policy show`. */
int ccctl_json_write_pretty(struct ccctl_buf *out, const struct ccctl_json *v);

#endif
