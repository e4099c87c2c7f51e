/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.c - strict JSON parser (RFC 8259), RFC 8785 canonical writer and a
 * pretty writer.
 *
 * The parser is recursive descent over a length-delimited buffer; nesting is
 * bounded by CCCTL_JSON_MAX_DEPTH so recursion depth is bounded too.  Every
 * error names the byte offset (0-based) where the problem was found.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json.h"

#define JSON_INT_MAX INT64_C(9007199254740991) /* 2^53 - 1 */

/* How much of a string a message quotes. */
#define JSON_QUOTE_MAX 64

const char *ccctl_json_type_name(enum ccctl_json_type t)
{
	switch (t) {
	case CCCTL_JSON_NULL:
		return "null";
	case CCCTL_JSON_BOOL:
		return "boolean";
	case CCCTL_JSON_INT:
		return "integer";
	case CCCTL_JSON_STRING:
		return "string";
	case CCCTL_JSON_ARRAY:
		return "array";
	case CCCTL_JSON_OBJECT:
		return "object";
	}
	return "unknown";
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/*
 * Decode one well-formed UTF-8 sequence (no overlongs, no surrogates, at most
 * U+10FFFF) from s[0..len).  Returns its length (1..4) and sets *cp, or 0 if
 * the bytes are not valid UTF-8.
 */
static size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint8_t c = s[0];
	uint8_t lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		uint8_t b = s[i];

		if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xbf))
			return 0;
		v = v << 6 | (b & 0x3f);
	}
	*cp = v;
	return n;
}

static size_t utf8_encode(uint8_t *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xc0 | cp >> 6);
		out[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xe0 | cp >> 12);
		out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | cp >> 18);
	out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Quote at most JSON_QUOTE_MAX bytes of s for an error message: control
 * characters, quote and backslash escaped, cut at a character boundary.
 */
static void quote_for_message(char *out, size_t outsz, const char *s, size_t len)
{
	size_t i, o = 0, take = len;

	if (take > JSON_QUOTE_MAX) {
		take = JSON_QUOTE_MAX;
		while (take > 0 && ((uint8_t)s[take] & 0xc0) == 0x80)
			take--;
	}
	for (i = 0; i < take && o + 5 < outsz; i++) {
		uint8_t c = (uint8_t)s[i];

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			static const char hex[] = "0123456789abcdef";

			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		} else {
			out[o++] = (char)c;
		}
	}
	if (take < len && o + 4 <= outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* ---- values --------------------------------------------------------------- */

static struct ccctl_json *json_alloc(enum ccctl_json_type t)
{
	struct ccctl_json *v = calloc(1, sizeof(*v));

	if (v)
		v->type = t;
	return v;
}

struct ccctl_json *ccctl_json_new_null(void)
{
	return json_alloc(CCCTL_JSON_NULL);
}

struct ccctl_json *ccctl_json_new_bool(bool b)
{
	struct ccctl_json *v = json_alloc(CCCTL_JSON_BOOL);

	if (v)
		v->u.b = b;
	return v;
}

struct ccctl_json *ccctl_json_new_int(int64_t i)
{
	struct ccctl_json *v = json_alloc(CCCTL_JSON_INT);

	if (v)
		v->u.i = i;
	return v;
}

struct ccctl_json *ccctl_json_new_stringn(const char *s, size_t len)
{
	struct ccctl_json *v;

	if (len == SIZE_MAX)
		return NULL;
	v = json_alloc(CCCTL_JSON_STRING);
	if (!v)
		return NULL;
	v->u.str.s = malloc(len + 1);
	if (!v->u.str.s) {
		free(v);
		return NULL;
	}
	if (len)
		memcpy(v->u.str.s, s, len);
	v->u.str.s[len] = '\0';
	v->u.str.len = len;
	return v;
}

struct ccctl_json *ccctl_json_new_string(const char *s)
{
	return ccctl_json_new_stringn(s, strlen(s));
}

struct ccctl_json *ccctl_json_new_array(void)
{
	return json_alloc(CCCTL_JSON_ARRAY);
}

struct ccctl_json *ccctl_json_new_object(void)
{
	return json_alloc(CCCTL_JSON_OBJECT);
}

void ccctl_json_free(struct ccctl_json *v)
{
	size_t i;

	if (!v)
		return;
	switch (v->type) {
	case CCCTL_JSON_STRING:
		free(v->u.str.s);
		break;
	case CCCTL_JSON_ARRAY:
		for (i = 0; i < v->u.arr.n; i++)
			ccctl_json_free(v->u.arr.items[i]);
		free(v->u.arr.items);
		break;
	case CCCTL_JSON_OBJECT:
		for (i = 0; i < v->u.obj.n; i++) {
			free(v->u.obj.members[i].key);
			ccctl_json_free(v->u.obj.members[i].value);
		}
		free(v->u.obj.members);
		break;
	default:
		break;
	}
	free(v);
}

/* Grow an array of elements of size `elem` to hold one more; 0 or CCCTL_EFAIL. */
static int grow(void **items, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	if (ncap < *cap || ncap > SIZE_MAX / elem)
		return ccctl_err_nomem();
	p = realloc(*items, ncap * elem);
	if (!p)
		return ccctl_err_nomem();
	*items = p;
	*cap = ncap;
	return 0;
}

static int array_append(struct ccctl_json *arr, struct ccctl_json *value)
{
	void *items = arr->u.arr.items;
	int ret = grow(&items, &arr->u.arr.cap, arr->u.arr.n, sizeof(*arr->u.arr.items));

	arr->u.arr.items = items;
	if (ret < 0)
		return ret;
	arr->u.arr.items[arr->u.arr.n++] = value;
	return 0;
}

/* Append a member without looking for duplicates; takes ownership of key and
 * value only on success. */
static int object_append(struct ccctl_json *obj, char *key, size_t key_len,
			 struct ccctl_json *value)
{
	void *items = obj->u.obj.members;
	int ret = grow(&items, &obj->u.obj.cap, obj->u.obj.n, sizeof(*obj->u.obj.members));
	struct ccctl_json_member *m;

	obj->u.obj.members = items;
	if (ret < 0)
		return ret;
	m = &obj->u.obj.members[obj->u.obj.n++];
	m->key = key;
	m->key_len = key_len;
	m->value = value;
	return 0;
}

static int check_int_range(int64_t i)
{
	if (i < -JSON_INT_MAX || i > JSON_INT_MAX)
		return ccctl_err_set(
		    CCCTL_EINVAL,
		    "json: integer %" PRId64 " out of range: expected -(2^53-1)..2^53-1", i);
	return 0;
}

int ccctl_json_array_push(struct ccctl_json *arr, struct ccctl_json *value)
{
	int ret;

	if (!value) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (!arr || arr->type != CCCTL_JSON_ARRAY) {
		ret = ccctl_err_set(CCCTL_EINVAL, "json: cannot push: expected an array, found %s",
				    arr ? ccctl_json_type_name(arr->type) : "nothing");
		goto out;
	}
	if (value->type == CCCTL_JSON_INT) {
		ret = check_int_range(value->u.i);
		if (ret < 0)
			goto out;
	}
	ret = array_append(arr, value);
	if (ret == 0)
		value = NULL;
out:
	ccctl_json_free(value);
	return ret;
}

int ccctl_json_object_set(struct ccctl_json *obj, const char *key, struct ccctl_json *value)
{
	size_t i, klen;
	char *kcopy = NULL;
	int ret;

	if (!value) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (!obj || obj->type != CCCTL_JSON_OBJECT) {
		ret = ccctl_err_set(CCCTL_EINVAL,
				    "json: cannot set \"%s\": expected an object, found %s", key,
				    obj ? ccctl_json_type_name(obj->type) : "nothing");
		goto out;
	}
	if (value->type == CCCTL_JSON_INT) {
		ret = check_int_range(value->u.i);
		if (ret < 0)
			goto out;
	}
	klen = strlen(key);
	for (i = 0; i < obj->u.obj.n; i++) {
		struct ccctl_json_member *m = &obj->u.obj.members[i];

		if (m->key_len == klen && memcmp(m->key, key, klen) == 0) {
			ccctl_json_free(m->value);
			m->value = value;
			value = NULL;
			ret = 0;
			goto out;
		}
	}
	kcopy = strdup(key);
	if (!kcopy) {
		ret = ccctl_err_nomem();
		goto out;
	}
	ret = object_append(obj, kcopy, klen, value);
	if (ret == 0) {
		kcopy = NULL;
		value = NULL;
	}
out:
	free(kcopy);
	ccctl_json_free(value);
	return ret;
}

int ccctl_json_object_set_string(struct ccctl_json *obj, const char *key, const char *s)
{
	return ccctl_json_object_set(obj, key, ccctl_json_new_string(s));
}

int ccctl_json_object_set_int(struct ccctl_json *obj, const char *key, int64_t i)
{
	return ccctl_json_object_set(obj, key, ccctl_json_new_int(i));
}

int ccctl_json_object_set_bool(struct ccctl_json *obj, const char *key, bool b)
{
	return ccctl_json_object_set(obj, key, ccctl_json_new_bool(b));
}

const struct ccctl_json *ccctl_json_get(const struct ccctl_json *obj, const char *key)
{
	size_t i, klen;

	if (!obj || obj->type != CCCTL_JSON_OBJECT)
		return NULL;
	klen = strlen(key);
	for (i = 0; i < obj->u.obj.n; i++) {
		const struct ccctl_json_member *m = &obj->u.obj.members[i];

		if (m->key_len == klen && memcmp(m->key, key, klen) == 0)
			return m->value;
	}
	return NULL;
}

const char *ccctl_json_get_string(const struct ccctl_json *obj, const char *key)
{
	const struct ccctl_json *v = ccctl_json_get(obj, key);

	return v && v->type == CCCTL_JSON_STRING ? v->u.str.s : NULL;
}

int ccctl_json_get_int(const struct ccctl_json *obj, const char *key, int64_t *out)
{
	const struct ccctl_json *v = ccctl_json_get(obj, key);

	if (!v)
		return ccctl_err_set(CCCTL_EINVAL, "json: missing member \"%s\"", key);
	if (v->type != CCCTL_JSON_INT)
		return ccctl_err_set(CCCTL_EINVAL,
				     "json: member \"%s\": expected integer, found %s", key,
				     ccctl_json_type_name(v->type));
	*out = v->u.i;
	return 0;
}

int ccctl_json_get_bool(const struct ccctl_json *obj, const char *key, bool *out)
{
	const struct ccctl_json *v = ccctl_json_get(obj, key);

	if (!v)
		return ccctl_err_set(CCCTL_EINVAL, "json: missing member \"%s\"", key);
	if (v->type != CCCTL_JSON_BOOL)
		return ccctl_err_set(CCCTL_EINVAL,
				     "json: member \"%s\": expected boolean, found %s", key,
				     ccctl_json_type_name(v->type));
	*out = v->u.b;
	return 0;
}

/* ---- parser --------------------------------------------------------------- */

struct parser {
	const uint8_t *p;
	size_t len;
	size_t pos;
	unsigned depth;
};

/* Describe the byte at pos for "found ..." in messages. */
static void describe_at(char out[16], const struct parser *ps, size_t pos)
{
	uint8_t c;

	if (pos >= ps->len) {
		memcpy(out, "end of input", 13);
		return;
	}
	c = ps->p[pos];
	if (c > 0x20 && c < 0x7f && c != '\'')
		snprintf(out, 16, "'%c'", c);
	else
		snprintf(out, 16, "byte 0x%02x", c);
}

static int parse_error_expected(const struct parser *ps, size_t pos, const char *what)
{
	char found[16];

	describe_at(found, ps, pos);
	return ccctl_err_set(CCCTL_EINVAL, "json: expected %s at offset %zu, found %s", what, pos,
			     found);
}

static void skip_ws(struct parser *ps)
{
	while (ps->pos < ps->len) {
		uint8_t c = ps->p[ps->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		ps->pos++;
	}
}

static int parse_value(struct parser *ps, struct ccctl_json **out);

static int hex4(const struct parser *ps, size_t pos, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (ps->len - pos < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		int d = ccctl_hex_value(ps->p[pos + i]);

		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* Parse a \u escape (ps->pos at the backslash), possibly a surrogate pair. */
static int parse_u_escape(struct parser *ps, struct ccctl_buf *b)
{
	size_t start = ps->pos;
	uint8_t enc[4];
	uint32_t cp, lo;

	if (hex4(ps, start + 2, &cp) < 0)
		return ccctl_err_set(
		    CCCTL_EINVAL, "json: invalid \\u escape at offset %zu: expected 4 hex digits",
		    start);
	ps->pos = start + 6;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return ccctl_err_set(CCCTL_EINVAL,
				     "json: lone low surrogate \\u%04" PRIx32 " at offset %zu", cp,
				     start);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (ps->len - ps->pos < 6 || ps->p[ps->pos] != '\\' || ps->p[ps->pos + 1] != 'u' ||
		    hex4(ps, ps->pos + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
			return ccctl_err_set(CCCTL_EINVAL,
					     "json: lone high surrogate \\u%04" PRIx32
					     " at offset %zu: expected a \\udc00-\\udfff escape "
					     "after it",
					     cp, start);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		ps->pos += 6;
	}
	return ccctl_buf_append(b, enc, utf8_encode(enc, cp));
}

/* Parse a string (ps->pos at the opening quote) into b (reset first). */
static int parse_string_raw(struct parser *ps, struct ccctl_buf *b)
{
	static const char escapes[] = "\"\\/bfnrt";
	static const char unescaped[] = "\"\\/\b\f\n\r\t";
	const char *sc;
	size_t run;
	int ret;

	b->len = 0;
	ps->pos++;
	for (;;) {
		uint8_t c;

		/* Copy the longest run of plain ASCII in one go. */
		run = ps->pos;
		while (run < ps->len && ps->p[run] >= 0x20 && ps->p[run] < 0x80 &&
		       ps->p[run] != '"' && ps->p[run] != '\\')
			run++;
		ret = ccctl_buf_append(b, ps->p + ps->pos, run - ps->pos);
		if (ret < 0)
			return ret;
		ps->pos = run;
		if (ps->pos >= ps->len)
			return ccctl_err_set(
			    CCCTL_EINVAL,
			    "json: unterminated string at offset %zu: expected '\"', "
			    "found end of input",
			    ps->pos);
		c = ps->p[ps->pos];
		if (c == '"') {
			ps->pos++;
			break;
		}
		if (c < 0x20)
			return ccctl_err_set(
			    CCCTL_EINVAL,
			    "json: unescaped control character 0x%02x in string at "
			    "offset %zu",
			    c, ps->pos);
		if (c >= 0x80) {
			uint32_t cp;
			size_t n = utf8_decode(ps->p + ps->pos, ps->len - ps->pos, &cp);

			if (n == 0)
				return ccctl_err_set(CCCTL_EINVAL,
						     "json: invalid UTF-8 at offset %zu", ps->pos);
			ret = ccctl_buf_append(b, ps->p + ps->pos, n);
			if (ret < 0)
				return ret;
			ps->pos += n;
			continue;
		}
		/* Backslash escape. */
		if (ps->pos + 1 >= ps->len)
			return parse_error_expected(ps, ps->pos + 1, "an escape character");
		c = ps->p[ps->pos + 1];
		if (c == 'u') {
			ret = parse_u_escape(ps, b);
			if (ret < 0)
				return ret;
			continue;
		}
		sc = memchr(escapes, c, sizeof(escapes) - 1);
		if (!sc) {
			char found[16];

			describe_at(found, ps, ps->pos + 1);
			return ccctl_err_set(CCCTL_EINVAL,
					     "json: invalid escape at offset %zu: expected one of "
					     "\"\\/bfnrtu, found %s",
					     ps->pos, found);
		}
		c = (uint8_t)unescaped[sc - escapes];
		ret = ccctl_buf_append_byte(b, c);
		if (ret < 0)
			return ret;
		ps->pos += 2;
	}
	return 0;
}

static int parse_string(struct parser *ps, struct ccctl_json **out)
{
	struct ccctl_buf b;
	struct ccctl_json *v = NULL;
	size_t len;
	int ret;

	ccctl_buf_init(&b);
	ret = parse_string_raw(ps, &b);
	if (ret < 0)
		goto out;
	v = json_alloc(CCCTL_JSON_STRING);
	if (!v) {
		ret = ccctl_err_nomem();
		goto out;
	}
	v->u.str.s = ccctl_buf_steal(&b, &len);
	if (!v->u.str.s) {
		ret = ccctl_err_nomem();
		goto out;
	}
	v->u.str.len = len;
	*out = v;
	v = NULL;
	ret = 0;
out:
	ccctl_json_free(v);
	ccctl_buf_release(&b);
	return ret;
}

static int parse_number(struct parser *ps, struct ccctl_json **out)
{
	size_t start = ps->pos;
	bool neg = false;
	int64_t v = 0;

	if (ps->p[ps->pos] == '-') {
		neg = true;
		ps->pos++;
	}
	if (ps->pos >= ps->len || ps->p[ps->pos] < '0' || ps->p[ps->pos] > '9')
		return parse_error_expected(ps, ps->pos, "a digit");
	if (ps->p[ps->pos] == '0' && ps->pos + 1 < ps->len && ps->p[ps->pos + 1] >= '0' &&
	    ps->p[ps->pos + 1] <= '9')
		return ccctl_err_set(CCCTL_EINVAL, "json: number with a leading zero at offset %zu",
				     start);
	while (ps->pos < ps->len && ps->p[ps->pos] >= '0' && ps->p[ps->pos] <= '9') {
		int d = ps->p[ps->pos] - '0';

		if (v > (JSON_INT_MAX - d) / 10)
			return ccctl_err_set(CCCTL_EINVAL,
					     "json: integer out of range at offset %zu: expected "
					     "-(2^53-1)..2^53-1",
					     start);
		v = v * 10 + d;
		ps->pos++;
	}
	if (ps->pos < ps->len &&
	    (ps->p[ps->pos] == '.' || ps->p[ps->pos] == 'e' || ps->p[ps->pos] == 'E'))
		return ccctl_err_set(CCCTL_EINVAL,
				     "json: number at offset %zu has %s: only integers are "
				     "supported",
				     start, ps->p[ps->pos] == '.' ? "a fraction" : "an exponent");
	if (neg && v == 0)
		return ccctl_err_set(CCCTL_EINVAL, "json: negative zero at offset %zu: expected 0",
				     start);
	*out = ccctl_json_new_int(neg ? -v : v);
	return *out ? 0 : ccctl_err_nomem();
}

static int parse_literal(struct parser *ps, struct ccctl_json **out)
{
	static const char *const words[] = {"null", "true", "false"};
	size_t i;

	for (i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if (ps->len - ps->pos >= n && memcmp(ps->p + ps->pos, words[i], n) == 0) {
			ps->pos += n;
			*out = i == 0 ? ccctl_json_new_null() : ccctl_json_new_bool(i == 1);
			return *out ? 0 : ccctl_err_nomem();
		}
	}
	return parse_error_expected(ps, ps->pos, "a value");
}

static int parse_array(struct parser *ps, struct ccctl_json **out)
{
	struct ccctl_json *arr = NULL, *item = NULL;
	int ret;

	arr = ccctl_json_new_array();
	if (!arr) {
		ret = ccctl_err_nomem();
		goto out;
	}
	ps->pos++;
	skip_ws(ps);
	if (ps->pos < ps->len && ps->p[ps->pos] == ']') {
		ps->pos++;
		goto done;
	}
	for (;;) {
		ret = parse_value(ps, &item);
		if (ret < 0)
			goto out;
		ret = array_append(arr, item);
		if (ret < 0)
			goto out;
		item = NULL;
		skip_ws(ps);
		if (ps->pos < ps->len && ps->p[ps->pos] == ',') {
			ps->pos++;
			continue;
		}
		if (ps->pos < ps->len && ps->p[ps->pos] == ']') {
			ps->pos++;
			break;
		}
		ret = parse_error_expected(ps, ps->pos, "',' or ']'");
		goto out;
	}
done:
	*out = arr;
	arr = NULL;
	ret = 0;
out:
	ccctl_json_free(item);
	ccctl_json_free(arr);
	return ret;
}

struct key_ref {
	const char *key;
	size_t len;
	size_t offset;
};

static int key_ref_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * Reject duplicate keys in O(n log n): sort (key, offset) and report the
 * earliest offset at which some key occurs for the second time.
 */
static int check_duplicates(const struct ccctl_json *obj, const size_t *offsets)
{
	size_t i, n = obj->u.obj.n, best = SIZE_MAX, best_i = 0;
	struct key_ref *refs;
	char q[4 * JSON_QUOTE_MAX + 8];
	int ret = 0;

	if (n < 2)
		return 0;
	refs = calloc(n, sizeof(*refs));
	if (!refs)
		return ccctl_err_nomem();
	for (i = 0; i < n; i++) {
		refs[i].key = obj->u.obj.members[i].key;
		refs[i].len = obj->u.obj.members[i].key_len;
		refs[i].offset = offsets[i];
	}
	qsort(refs, n, sizeof(*refs), key_ref_cmp);
	for (i = 1; i < n; i++) {
		if (refs[i].len == refs[i - 1].len &&
		    memcmp(refs[i].key, refs[i - 1].key, refs[i].len) == 0 &&
		    (i < 2 || refs[i - 1].len != refs[i - 2].len ||
		     memcmp(refs[i - 1].key, refs[i - 2].key, refs[i].len) != 0) &&
		    refs[i].offset < best) {
			best = refs[i].offset;
			best_i = i;
		}
	}
	if (best != SIZE_MAX) {
		quote_for_message(q, sizeof(q), refs[best_i].key, refs[best_i].len);
		ret = ccctl_err_set(CCCTL_EINVAL, "json: duplicate key \"%s\" at offset %zu", q,
				    best);
	}
	free(refs);
	return ret;
}

static int parse_object(struct parser *ps, struct ccctl_json **out)
{
	struct ccctl_json *obj = NULL, *value = NULL;
	struct ccctl_buf key;
	size_t *offsets = NULL, ocap = 0;
	size_t key_off, key_len;
	char *k = NULL;
	int ret;

	ccctl_buf_init(&key);
	obj = ccctl_json_new_object();
	if (!obj) {
		ret = ccctl_err_nomem();
		goto out;
	}
	ps->pos++;
	skip_ws(ps);
	if (ps->pos < ps->len && ps->p[ps->pos] == '}') {
		ps->pos++;
		goto done;
	}
	for (;;) {
		void *op = offsets;

		if (ps->pos >= ps->len || ps->p[ps->pos] != '"') {
			ret = parse_error_expected(ps, ps->pos, "a string key");
			goto out;
		}
		key_off = ps->pos;
		ret = parse_string_raw(ps, &key);
		if (ret < 0)
			goto out;
		if (memchr(key.data, 0, key.len)) {
			ret = ccctl_err_set(CCCTL_EINVAL, "json: key at offset %zu contains U+0000",
					    key_off);
			goto out;
		}
		skip_ws(ps);
		if (ps->pos >= ps->len || ps->p[ps->pos] != ':') {
			ret = parse_error_expected(ps, ps->pos, "':'");
			goto out;
		}
		ps->pos++;
		ret = parse_value(ps, &value);
		if (ret < 0)
			goto out;
		ret = grow(&op, &ocap, obj->u.obj.n, sizeof(*offsets));
		offsets = op;
		if (ret < 0)
			goto out;
		offsets[obj->u.obj.n] = key_off;
		k = ccctl_buf_steal(&key, &key_len);
		if (!k) {
			ret = ccctl_err_nomem();
			goto out;
		}
		ret = object_append(obj, k, key_len, value);
		if (ret < 0)
			goto out;
		k = NULL;
		value = NULL;
		skip_ws(ps);
		if (ps->pos < ps->len && ps->p[ps->pos] == ',') {
			ps->pos++;
			skip_ws(ps);
			continue;
		}
		if (ps->pos < ps->len && ps->p[ps->pos] == '}') {
			ps->pos++;
			break;
		}
		ret = parse_error_expected(ps, ps->pos, "',' or '}'");
		goto out;
	}
	ret = check_duplicates(obj, offsets);
	if (ret < 0)
		goto out;
done:
	*out = obj;
	obj = NULL;
	ret = 0;
out:
	free(k);
	free(offsets);
	ccctl_buf_release(&key);
	ccctl_json_free(value);
	ccctl_json_free(obj);
	return ret;
}

static int parse_value(struct parser *ps, struct ccctl_json **out)
{
	uint8_t c;
	int ret;

	skip_ws(ps);
	if (ps->pos >= ps->len)
		return parse_error_expected(ps, ps->pos, "a value");
	c = ps->p[ps->pos];
	switch (c) {
	case '{':
	case '[':
		if (ps->depth >= CCCTL_JSON_MAX_DEPTH)
			return ccctl_err_set(CCCTL_EINVAL,
					     "json: nesting deeper than %d levels at offset %zu",
					     CCCTL_JSON_MAX_DEPTH, ps->pos);
		ps->depth++;
		ret = c == '{' ? parse_object(ps, out) : parse_array(ps, out);
		ps->depth--;
		return ret;
	case '"':
		return parse_string(ps, out);
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		return parse_number(ps, out);
	default:
		return parse_literal(ps, out);
	}
}

int ccctl_json_parse(struct ccctl_json **out, const void *data, size_t len)
{
	struct parser ps = {.p = data, .len = len, .pos = 0, .depth = 0};
	struct ccctl_json *v = NULL;
	int ret;

	ret = parse_value(&ps, &v);
	if (ret < 0)
		goto out;
	skip_ws(&ps);
	if (ps.pos != ps.len) {
		char found[16];

		describe_at(found, &ps, ps.pos);
		ret =
		    ccctl_err_set(CCCTL_EINVAL,
				  "json: trailing data at offset %zu after the value: expected end "
				  "of input, found %s",
				  ps.pos, found);
		goto out;
	}
	*out = v;
	v = NULL;
out:
	ccctl_json_free(v);
	return ret;
}

/* ---- writers -------------------------------------------------------------- */

/* Append s as a JSON string literal, escaped as RFC 8785 (ECMAScript
 * JSON.stringify) does; rejects invalid UTF-8. */
static int write_string(struct ccctl_buf *out, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	static const char short_raw[] = "\"\\\b\t\n\f\r";
	static const char short_esc[] = "\"\\btnfr";
	const uint8_t *s = (const uint8_t *)str;
	size_t i = 0, run;
	int ret;

	ret = ccctl_buf_append_byte(out, '"');
	if (ret < 0)
		return ret;
	while (i < len) {
		uint8_t c = s[i];
		char esc[7];
		const char *sc;
		size_t elen = 2;

		run = i;
		while (run < len && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' &&
		       s[run] != '\\')
			run++;
		if (run > i) {
			ret = ccctl_buf_append(out, s + i, run - i);
			if (ret < 0)
				return ret;
			i = run;
			continue;
		}
		if (c >= 0x80) {
			uint32_t cp;
			size_t n = utf8_decode(s + i, len - i, &cp);

			if (n == 0)
				return ccctl_err_set(
				    CCCTL_EINVAL, "json: string has invalid UTF-8 at byte %zu", i);
			ret = ccctl_buf_append(out, s + i, n);
			if (ret < 0)
				return ret;
			i += n;
			continue;
		}
		esc[0] = '\\';
		sc = memchr(short_raw, c, sizeof(short_raw) - 1);
		if (sc) {
			esc[1] = short_esc[sc - short_raw];
		} else {
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			elen = 6;
		}
		ret = ccctl_buf_append(out, esc, elen);
		if (ret < 0)
			return ret;
		i++;
	}
	return ccctl_buf_append_byte(out, '"');
}

/* Next code point of a key for sorting; invalid bytes sort as themselves
 * (the writer rejects them anyway). */
static uint32_t next_cp(const uint8_t *s, size_t len, size_t *i)
{
	uint32_t cp;
	size_t n = utf8_decode(s + *i, len - *i, &cp);

	if (n == 0) {
		cp = s[*i];
		n = 1;
	}
	*i += n;
	return cp;
}

/*
 * Order keys by their UTF-16 code units (RFC 8785 section 3.2.3).  Code point
 * order and UTF-16 order agree except that U+E000..U+FFFF sort after the
 * supplementary planes (whose surrogates are D800..DFFF): compare the first
 * UTF-16 unit, then the code point.
 */
static int utf16_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
	size_t i = 0, j = 0;

	while (i < alen && j < blen) {
		uint32_t ca, cb, ua, ub;

		if (x[i] == y[j] && x[i] < 0x80) {
			i++;
			j++;
			continue;
		}
		ca = next_cp(x, alen, &i);
		cb = next_cp(y, blen, &j);
		if (ca == cb)
			continue;
		ua = ca < 0x10000 ? ca : 0xd800 + ((ca - 0x10000) >> 10);
		ub = cb < 0x10000 ? cb : 0xd800 + ((cb - 0x10000) >> 10);
		if (ua != ub)
			return ua < ub ? -1 : 1;
		return ca < cb ? -1 : 1;
	}
	if (i < alen)
		return 1;
	if (j < blen)
		return -1;
	return 0;
}

static int member_cmp(const void *a, const void *b)
{
	const struct ccctl_json_member *x = *(const struct ccctl_json_member *const *)a;
	const struct ccctl_json_member *y = *(const struct ccctl_json_member *const *)b;

	return utf16_cmp(x->key, x->key_len, y->key, y->key_len);
}

static int write_int(struct ccctl_buf *out, int64_t i)
{
	int ret = check_int_range(i);

	if (ret < 0)
		return ret;
	return ccctl_buf_printf(out, "%" PRId64, i);
}

static int write_indent(struct ccctl_buf *out, unsigned level)
{
	int ret = ccctl_buf_reserve(out, 2 * (size_t)level + 1);
	unsigned k;

	if (ret < 0)
		return ret;
	out->data[out->len++] = '\n';
	for (k = 0; k < 2 * level; k++)
		out->data[out->len++] = ' ';
	out->data[out->len] = '\0';
	return 0;
}

/*
 * Write v; pretty selects the human form (indented, insertion order) over
 * the canonical one (compact, keys sorted by UTF-16).
 */
static int write_value(struct ccctl_buf *out, const struct ccctl_json *v, unsigned level,
		       bool pretty)
{
	const struct ccctl_json_member **sorted = NULL;
	size_t i, n;
	int ret = 0;

	if (level >= CCCTL_JSON_MAX_DEPTH &&
	    (v->type == CCCTL_JSON_ARRAY || v->type == CCCTL_JSON_OBJECT))
		return ccctl_err_set(CCCTL_EINVAL,
				     "json: cannot write nesting deeper than %d levels",
				     CCCTL_JSON_MAX_DEPTH);
	switch (v->type) {
	case CCCTL_JSON_NULL:
		return ccctl_buf_append_str(out, "null");
	case CCCTL_JSON_BOOL:
		return ccctl_buf_append_str(out, v->u.b ? "true" : "false");
	case CCCTL_JSON_INT:
		return write_int(out, v->u.i);
	case CCCTL_JSON_STRING:
		return write_string(out, v->u.str.s, v->u.str.len);
	case CCCTL_JSON_ARRAY:
		n = v->u.arr.n;
		ret = ccctl_buf_append_byte(out, '[');
		for (i = 0; ret == 0 && i < n; i++) {
			if (i > 0)
				ret = ccctl_buf_append_byte(out, ',');
			if (ret == 0 && pretty)
				ret = write_indent(out, level + 1);
			if (ret == 0)
				ret = write_value(out, v->u.arr.items[i], level + 1, pretty);
		}
		if (ret == 0 && pretty && n > 0)
			ret = write_indent(out, level);
		if (ret == 0)
			ret = ccctl_buf_append_byte(out, ']');
		return ret;
	case CCCTL_JSON_OBJECT:
		n = v->u.obj.n;
		if (n > 0) {
			sorted = malloc(n * sizeof(*sorted));
			if (!sorted)
				return ccctl_err_nomem();
			for (i = 0; i < n; i++)
				sorted[i] = &v->u.obj.members[i];
			if (!pretty)
				qsort(sorted, n, sizeof(*sorted), member_cmp);
		}
		ret = ccctl_buf_append_byte(out, '{');
		for (i = 0; ret == 0 && i < n; i++) {
			if (i > 0)
				ret = ccctl_buf_append_byte(out, ',');
			if (ret == 0 && pretty)
				ret = write_indent(out, level + 1);
			if (ret == 0)
				ret = write_string(out, sorted[i]->key, sorted[i]->key_len);
			if (ret == 0)
				ret = ccctl_buf_append_str(out, pretty ? ": " : ":");
			if (ret == 0)
				ret = write_value(out, sorted[i]->value, level + 1, pretty);
		}
		if (ret == 0 && pretty && n > 0)
			ret = write_indent(out, level);
		if (ret == 0)
			ret = ccctl_buf_append_byte(out, '}');
		free(sorted);
		return ret;
	}
	return ccctl_err_set(CCCTL_EINVAL, "json: cannot write value of unknown type %d",
			     (int)v->type);
}

int ccctl_json_write_canonical(struct ccctl_buf *out, const struct ccctl_json *v)
{
	size_t start = out->len;
	int ret = write_value(out, v, 0, false);

	if (ret < 0 && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return ret;
}

int ccctl_json_write_pretty(struct ccctl_buf *out, const struct ccctl_json *v)
{
	size_t start = out->len;
	int ret = write_value(out, v, 0, true);

	if (ret == 0)
		ret = ccctl_buf_append_byte(out, '\n');
	if (ret < 0 && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return ret;
}
