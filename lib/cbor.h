/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cbor.h - a small strict CBOR (RFC 8949) decoder and encoder for
 * attestation tokens (COSE_Sign1, PSA/CCA/Nitro/sim claim sets).
 *
 * The decoder builds a tree.  It accepts definite lengths only, rejects
 * floating-point and reserved values, bounds nesting by CCCTL_CBOR_MAX_DEPTH
 * and never trusts a length before checking it against the bytes left.
 * Byte and text strings point into a private copy of the input, so the tree
 * outlives the caller's buffer.
 *
 * The encoder appends items to a struct ccctl_buf in the preferred
 * (shortest) head form; callers write map keys in the order they want, and
 * for deterministic encoding that is ascending key order.
 */
#ifndef CCCTL_CBOR_H
#define CCCTL_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define CCCTL_CBOR_MAX_DEPTH 32

enum ccctl_cbor_type {
	CCCTL_CBOR_UINT,   /* major 0: u.uint */
	CCCTL_CBOR_NINT,   /* major 1: u.nint = -1 - n, kept as int64 (smaller values rejected) */
	CCCTL_CBOR_BYTES,  /* major 2: u.str */
	CCCTL_CBOR_TEXT,   /* major 3: u.str (UTF-8 validated) */
	CCCTL_CBOR_ARRAY,  /* major 4: u.arr */
	CCCTL_CBOR_MAP,	   /* major 5: u.map (keys and values interleaved) */
	CCCTL_CBOR_TAG,	   /* major 6: u.tag */
	CCCTL_CBOR_SIMPLE, /* major 7: false (20), true (21), null (22), undefined (23) */
};

struct ccctl_cbor {
	enum ccctl_cbor_type type;
	/* Where this item's encoding starts and how long it is, inside the
	 * decoded input: COSE needs the exact bytes of some items. */
	const uint8_t *raw;
	size_t raw_len;
	union {
		uint64_t uint;
		int64_t nint;
		struct {
			const uint8_t *ptr;
			size_t len;
		} str;
		struct {
			struct ccctl_cbor *items;
			size_t n;
		} arr;
		struct {
			struct ccctl_cbor *items; /* 2*n: key, value, key, value ... */
			size_t n;
		} map;
		struct {
			uint64_t number;
			struct ccctl_cbor *item;
		} tag;
		uint8_t simple;
	} u;
};

struct ccctl_cbor_doc {
	uint8_t *bytes; /* private copy of the input */
	size_t len;
	struct ccctl_cbor *root;
};

/* Decode exactly one item spanning all of data/len.  CCCTL_EINVAL with the
 * byte offset on malformed input. */
int ccctl_cbor_decode(struct ccctl_cbor_doc **out, const void *data, size_t len);
void ccctl_cbor_doc_free(struct ccctl_cbor_doc *doc);

/* Map lookups by integer key (negative keys allowed) or text key; borrowed,
 * NULL if absent.  Duplicate keys are rejected by the decoder. */
const struct ccctl_cbor *ccctl_cbor_map_get_int(const struct ccctl_cbor *map, int64_t key);
const struct ccctl_cbor *ccctl_cbor_map_get_text(const struct ccctl_cbor *map, const char *key);
/* An integer item (major 0 or 1) as int64; 0 or CCCTL_EINVAL. */
int ccctl_cbor_get_int(const struct ccctl_cbor *item, int64_t *out);

/* Encoder. */
int ccctl_cbor_put_uint(struct ccctl_buf *b, uint64_t v);
int ccctl_cbor_put_int(struct ccctl_buf *b, int64_t v);
int ccctl_cbor_put_bytes(struct ccctl_buf *b, const void *data, size_t len);
int ccctl_cbor_put_text(struct ccctl_buf *b, const char *s);
int ccctl_cbor_put_array(struct ccctl_buf *b, uint64_t n);
int ccctl_cbor_put_map(struct ccctl_buf *b, uint64_t n);
int ccctl_cbor_put_tag(struct ccctl_buf *b, uint64_t tag);
int ccctl_cbor_put_simple(struct ccctl_buf *b, uint8_t simple);

#endif
