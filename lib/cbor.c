/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cbor.c - strict CBOR decoder (definite lengths, no floats) and encoder.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "err.h"

/* Bounds that keep a hostile token's cost small: attestation claim sets
 * have a few dozen entries. */
#define MAX_MAP_PAIRS	1024
#define MAX_ARRAY_ITEMS 65536

struct dec {
	const uint8_t *p;
	size_t len, off;
};

static void item_free(struct ccctl_cbor *it);

static void items_free(struct ccctl_cbor *items, size_t n)
{
	size_t i;

	if (!items)
		return;
	for (i = 0; i < n; i++)
		item_free(&items[i]);
	free(items);
}

static void item_free(struct ccctl_cbor *it)
{
	switch (it->type) {
	case CCCTL_CBOR_ARRAY:
		items_free(it->u.arr.items, it->u.arr.n);
		break;
	case CCCTL_CBOR_MAP:
		items_free(it->u.map.items, 2 * it->u.map.n);
		break;
	case CCCTL_CBOR_TAG:
		if (it->u.tag.item) {
			item_free(it->u.tag.item);
			free(it->u.tag.item);
		}
		break;
	default:
		break;
	}
}

static int bad(const struct dec *d, const char *what)
{
	return ccctl_err_set(CCCTL_EINVAL, "cbor: %s at offset %zu", what, d->off);
}

/* Read an item head: major type and argument. */
static int head(struct dec *d, unsigned *major, uint64_t *arg)
{
	uint8_t ib, ai;
	size_t n, i;

	if (d->off >= d->len)
		return bad(d, "truncated item");
	ib = d->p[d->off++];
	*major = ib >> 5;
	ai = ib & 0x1f;
	if (ai < 24) {
		*arg = ai;
		return 0;
	}
	if (ai > 27)
		return ai == 31 ? bad(d, "indefinite length not supported")
				: bad(d, "reserved additional information");
	n = (size_t)1 << (ai - 24);
	if (d->len - d->off < n)
		return bad(d, "truncated head");
	*arg = 0;
	for (i = 0; i < n; i++)
		*arg = (*arg << 8) | d->p[d->off++];
	return 0;
}

static bool utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i - 1 < n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

static int decode_item(struct dec *d, struct ccctl_cbor *it, unsigned depth);

static int decode_items(struct dec *d, struct ccctl_cbor **out, uint64_t n, unsigned depth)
{
	struct ccctl_cbor *items;
	size_t i;
	int rc;

	*out = NULL;
	if (n == 0)
		return 0;
	items = calloc((size_t)n, sizeof(*items));
	if (!items)
		return ccctl_err_nomem();
	for (i = 0; i < n; i++) {
		rc = decode_item(d, &items[i], depth + 1);
		if (rc != 0) {
			/* Item i may be partly built; the rest are zeroed. */
			items_free(items, (size_t)n);
			return rc;
		}
	}
	*out = items;
	return 0;
}

static int decode_item(struct dec *d, struct ccctl_cbor *it, unsigned depth)
{
	size_t start = d->off, left;
	unsigned major = 0;
	uint64_t arg = 0;
	int rc;

	memset(it, 0, sizeof(*it));
	it->type = CCCTL_CBOR_SIMPLE;
	if (depth > CCCTL_CBOR_MAX_DEPTH)
		return bad(d, "nesting too deep");
	rc = head(d, &major, &arg);
	if (rc != 0)
		return rc;
	left = d->len - d->off;
	switch (major) {
	case 0:
		it->type = CCCTL_CBOR_UINT;
		it->u.uint = arg;
		break;
	case 1:
		if (arg > (uint64_t)INT64_MAX)
			return bad(d, "negative integer out of range");
		it->type = CCCTL_CBOR_NINT;
		it->u.nint = -1 - (int64_t)arg;
		break;
	case 2:
	case 3:
		if (arg > left)
			return bad(d, "string longer than the input");
		it->type = major == 2 ? CCCTL_CBOR_BYTES : CCCTL_CBOR_TEXT;
		it->u.str.ptr = d->p + d->off;
		it->u.str.len = (size_t)arg;
		if (major == 3 && !utf8_valid(it->u.str.ptr, it->u.str.len))
			return bad(d, "invalid UTF-8 in text string");
		d->off += (size_t)arg;
		break;
	case 4:
		if (arg > left || arg > MAX_ARRAY_ITEMS)
			return bad(d, "array too long");
		it->type = CCCTL_CBOR_ARRAY;
		rc = decode_items(d, &it->u.arr.items, arg, depth);
		if (rc != 0)
			return rc;
		it->u.arr.n = (size_t)arg;
		break;
	case 5:
		if (arg > left / 2 || arg > MAX_MAP_PAIRS)
			return bad(d, "map too long");
		it->type = CCCTL_CBOR_MAP;
		rc = decode_items(d, &it->u.map.items, 2 * arg, depth);
		if (rc != 0)
			return rc;
		it->u.map.n = (size_t)arg;
		for (size_t i = 1; i < it->u.map.n; i++) {
			const struct ccctl_cbor *k = &it->u.map.items[2 * i];
			for (size_t j = 0; j < i; j++) {
				const struct ccctl_cbor *o = &it->u.map.items[2 * j];
				if (o->raw_len == k->raw_len &&
				    memcmp(o->raw, k->raw, k->raw_len) == 0) {
					d->off = (size_t)(k->raw - d->p);
					return bad(d, "duplicate map key");
				}
			}
		}
		break;
	case 6:
		it->type = CCCTL_CBOR_TAG;
		it->u.tag.number = arg;
		it->u.tag.item = calloc(1, sizeof(*it->u.tag.item));
		if (!it->u.tag.item)
			return ccctl_err_nomem();
		rc = decode_item(d, it->u.tag.item, depth + 1);
		if (rc != 0)
			return rc;
		break;
	default: /* 7 */
		if (arg < 20 || arg > 23 || d->p[start] != (0xe0 | arg))
			return bad(d, "floating-point or unassigned simple value not supported");
		it->type = CCCTL_CBOR_SIMPLE;
		it->u.simple = (uint8_t)arg;
		break;
	}
	it->raw = d->p + start;
	it->raw_len = d->off - start;
	return 0;
}

void ccctl_cbor_doc_free(struct ccctl_cbor_doc *doc)
{
	if (!doc)
		return;
	if (doc->root) {
		item_free(doc->root);
		free(doc->root);
	}
	free(doc->bytes);
	free(doc);
}

int ccctl_cbor_decode(struct ccctl_cbor_doc **out, const void *data, size_t len)
{
	struct ccctl_cbor_doc *doc = NULL;
	struct dec d;
	int rc;

	*out = NULL;
	doc = calloc(1, sizeof(*doc));
	if (!doc)
		return ccctl_err_nomem();
	doc->bytes = malloc(len ? len : 1);
	doc->root = calloc(1, sizeof(*doc->root));
	if (!doc->bytes || !doc->root) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if (len)
		memcpy(doc->bytes, data, len);
	doc->len = len;
	d.p = doc->bytes;
	d.len = len;
	d.off = 0;
	rc = decode_item(&d, doc->root, 0);
	if (rc == 0 && d.off != len)
		rc = bad(&d, "trailing bytes after the item");
	if (rc == 0) {
		*out = doc;
		doc = NULL;
	}
out:
	ccctl_cbor_doc_free(doc);
	return rc;
}

int ccctl_cbor_get_int(const struct ccctl_cbor *item, int64_t *out)
{
	if (item && item->type == CCCTL_CBOR_UINT && item->u.uint <= (uint64_t)INT64_MAX) {
		*out = (int64_t)item->u.uint;
		return 0;
	}
	if (item && item->type == CCCTL_CBOR_NINT) {
		*out = item->u.nint;
		return 0;
	}
	return ccctl_err_set(CCCTL_EINVAL, "cbor: expected an integer");
}

const struct ccctl_cbor *ccctl_cbor_map_get_int(const struct ccctl_cbor *map, int64_t key)
{
	size_t i;
	int64_t k = 0;

	if (!map || map->type != CCCTL_CBOR_MAP)
		return NULL;
	for (i = 0; i < map->u.map.n; i++) {
		const struct ccctl_cbor *ki = &map->u.map.items[2 * i];
		if ((ki->type == CCCTL_CBOR_UINT || ki->type == CCCTL_CBOR_NINT) &&
		    ccctl_cbor_get_int(ki, &k) == 0 && k == key)
			return &map->u.map.items[2 * i + 1];
	}
	return NULL;
}

const struct ccctl_cbor *ccctl_cbor_map_get_text(const struct ccctl_cbor *map, const char *key)
{
	size_t i, klen = strlen(key);

	if (!map || map->type != CCCTL_CBOR_MAP)
		return NULL;
	for (i = 0; i < map->u.map.n; i++) {
		const struct ccctl_cbor *ki = &map->u.map.items[2 * i];
		if (ki->type == CCCTL_CBOR_TEXT && ki->u.str.len == klen &&
		    memcmp(ki->u.str.ptr, key, klen) == 0)
			return &map->u.map.items[2 * i + 1];
	}
	return NULL;
}

static int put_head(struct ccctl_buf *b, unsigned major, uint64_t arg)
{
	uint8_t h[9];
	size_t n, i;

	if (arg < 24) {
		h[0] = (uint8_t)(major << 5 | arg);
		return ccctl_buf_append(b, h, 1);
	}
	if (arg <= 0xff)
		n = 1;
	else if (arg <= 0xffff)
		n = 2;
	else if (arg <= 0xffffffffu)
		n = 4;
	else
		n = 8;
	h[0] = (uint8_t)(major << 5 | (n == 1 ? 24 : n == 2 ? 25 : n == 4 ? 26 : 27));
	for (i = 0; i < n; i++)
		h[1 + i] = (uint8_t)(arg >> (8 * (n - 1 - i)));
	return ccctl_buf_append(b, h, n + 1);
}

int ccctl_cbor_put_uint(struct ccctl_buf *b, uint64_t v)
{
	return put_head(b, 0, v);
}

int ccctl_cbor_put_int(struct ccctl_buf *b, int64_t v)
{
	return v >= 0 ? put_head(b, 0, (uint64_t)v) : put_head(b, 1, (uint64_t)(-1 - v));
}

int ccctl_cbor_put_bytes(struct ccctl_buf *b, const void *data, size_t len)
{
	int rc = put_head(b, 2, len);

	return rc ? rc : ccctl_buf_append(b, data, len);
}

int ccctl_cbor_put_text(struct ccctl_buf *b, const char *s)
{
	size_t len = strlen(s);
	int rc = put_head(b, 3, len);

	return rc ? rc : ccctl_buf_append(b, s, len);
}

int ccctl_cbor_put_array(struct ccctl_buf *b, uint64_t n)
{
	return put_head(b, 4, n);
}

int ccctl_cbor_put_map(struct ccctl_buf *b, uint64_t n)
{
	return put_head(b, 5, n);
}

int ccctl_cbor_put_tag(struct ccctl_buf *b, uint64_t tag)
{
	return put_head(b, 6, tag);
}

int ccctl_cbor_put_simple(struct ccctl_buf *b, uint8_t simple)
{
	uint8_t c = (uint8_t)(0xe0 | simple);

	if (simple < 20 || simple > 23)
		return ccctl_err_set(CCCTL_EINVAL, "cbor: simple value %u not supported", simple);
	return ccctl_buf_append(b, &c, 1);
}
