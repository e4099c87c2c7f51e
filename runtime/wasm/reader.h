/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reader.h - bounded cursor over a wasm binary with strict LEB128 decoding,
 * shared by the module decoder and the function compiler.
 */
#ifndef CCCTL_WASM_READER_H
#define CCCTL_WASM_READER_H

#include "wasm-internal.h"

struct wasm_reader {
	const uint8_t *p, *end, *base;
	struct wasm_error *err;
	int failed; /* first error code, 0 if none */
};

/* Record the first error (later ones are ignored); returns code. */
int wasm_rd_fail(struct wasm_reader *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

bool wasm_rd_u8(struct wasm_reader *r, uint8_t *out);
bool wasm_rd_u32(struct wasm_reader *r, uint32_t *out);
bool wasm_rd_s32(struct wasm_reader *r, int32_t *out);
bool wasm_rd_s33(struct wasm_reader *r, int64_t *out);
bool wasm_rd_s64(struct wasm_reader *r, int64_t *out);
bool wasm_rd_bytes(struct wasm_reader *r, size_t n, const uint8_t **out);

static inline size_t wasm_rd_off(const struct wasm_reader *r)
{
	return (size_t)(r->p - r->base);
}

#endif
