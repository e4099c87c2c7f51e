/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reader.c - strict LEB128 and byte reading for the wasm decoder.
 */
#include <stdio.h>

#include "reader.h"

int wasm_rd_fail(struct wasm_reader *r, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->failed)
		return r->failed;
	r->failed = code;
	if (r->err) {
		r->err->code = code;
		r->err->trap = WASM_TRAP_NONE;
		va_start(ap, fmt);
		n = vsnprintf(r->err->msg, sizeof(r->err->msg), fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < sizeof(r->err->msg))
			snprintf(r->err->msg + n, sizeof(r->err->msg) - (size_t)n,
				 " at offset %zu", wasm_rd_off(r));
	}
	return code;
}

bool wasm_rd_u8(struct wasm_reader *r, uint8_t *out)
{
	if (r->failed)
		return false;
	if (r->p >= r->end) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "unexpected end");
		return false;
	}
	*out = *r->p++;
	return true;
}

/* Unsigned LEB128 of at most bits bits. */
static bool rd_uleb(struct wasm_reader *r, unsigned bits, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	for (;;) {
		if (!wasm_rd_u8(r, &b))
			return false;
		if (shift + 7 >= bits && shift < 64) {
			/* last permitted byte: no continuation, unused bits zero */
			unsigned used = bits - shift;
			if (b & 0x80) {
				wasm_rd_fail(r, WASM_ERR_MALFORMED, "integer representation too long");
				return false;
			}
			if (used < 7 && (b >> used) != 0) {
				wasm_rd_fail(r, WASM_ERR_MALFORMED, "integer too large");
				return false;
			}
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	*out = v;
	return true;
}

/* Signed LEB128 of at most bits bits. */
static bool rd_sleb(struct wasm_reader *r, unsigned bits, int64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	for (;;) {
		if (!wasm_rd_u8(r, &b))
			return false;
		if (shift + 7 >= bits) {
			unsigned used = bits - shift; /* value bits in this byte, incl. sign */
			if (b & 0x80) {
				wasm_rd_fail(r, WASM_ERR_MALFORMED, "integer representation too long");
				return false;
			}
			if (used < 7) {
				/* bits above used-1 must equal the sign bit */
				uint8_t rest = (uint8_t)((b & 0x7f) >> (used - 1));
				uint8_t all = (uint8_t)(0x7f >> (used - 1));
				if (rest != 0 && rest != all) {
					wasm_rd_fail(r, WASM_ERR_MALFORMED, "integer too large");
					return false;
				}
			}
		}
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	*out = (int64_t)v;
	return true;
}

bool wasm_rd_u32(struct wasm_reader *r, uint32_t *out)
{
	uint64_t v;

	if (!rd_uleb(r, 32, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

bool wasm_rd_s32(struct wasm_reader *r, int32_t *out)
{
	int64_t v;

	if (!rd_sleb(r, 32, &v))
		return false;
	*out = (int32_t)v;
	return true;
}

bool wasm_rd_s33(struct wasm_reader *r, int64_t *out)
{
	return rd_sleb(r, 33, out);
}

bool wasm_rd_s64(struct wasm_reader *r, int64_t *out)
{
	return rd_sleb(r, 64, out);
}

bool wasm_rd_bytes(struct wasm_reader *r, size_t n, const uint8_t **out)
{
	if (r->failed)
		return false;
	if ((size_t)(r->end - r->p) < n) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "unexpected end");
		return false;
	}
	*out = r->p;
	r->p += n;
	return true;
}
