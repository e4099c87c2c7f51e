/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h - growable byte buffer, hex and base64.
 *
 * A struct ccctl_buf is embedded (ccctl_buf_init / ccctl_buf_release).  The
 * data is always NUL-terminated one past len (not counted), so text built in
 * a buffer can be used as a C string.  Growth checks for overflow.
 */
#ifndef CCCTL_BUF_H
#define CCCTL_BUF_H

#include <stddef.h>
#include <stdint.h>

struct ccctl_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void ccctl_buf_init(struct ccctl_buf *b);
/* Free the storage; the buffer is left empty and reusable. */
void ccctl_buf_release(struct ccctl_buf *b);
/* Like release, but wipes the bytes first (key material). */
void ccctl_buf_release_secure(struct ccctl_buf *b);
/* Make room for at least `extra` more bytes.  0 or CCCTL_EFAIL. */
int ccctl_buf_reserve(struct ccctl_buf *b, size_t extra);
int ccctl_buf_append(struct ccctl_buf *b, const void *data, size_t len);
int ccctl_buf_append_str(struct ccctl_buf *b, const char *s);
int ccctl_buf_append_byte(struct ccctl_buf *b, uint8_t c);
int ccctl_buf_printf(struct ccctl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand the storage to the caller (NUL-terminated, may be NULL when empty is
 * never: an empty buffer gives a fresh "" allocation); the buffer is reset. */
char *ccctl_buf_steal(struct ccctl_buf *b, size_t *len_out);

/* Lowercase hex of len bytes into out (2*len+1 bytes incl. NUL). */
void ccctl_hex_encode(char *out, const uint8_t *in, size_t len);
/* Value of one hex digit (either case), or -1 if c is not one. */
int ccctl_hex_value(int c);
/* Decode exactly 2*outlen hex digits (either case); 0 or CCCTL_EINVAL. */
int ccctl_hex_decode(uint8_t *out, size_t outlen, const char *hex, size_t hexlen);

/* Standard base64 with padding (RFC 4648 section 4). */
int ccctl_base64_encode(struct ccctl_buf *out, const uint8_t *in, size_t len);
/* Strict decoding: padding required, no white space, rejects non-canonical
 * trailing bits.  0 or CCCTL_EINVAL. */
int ccctl_base64_decode(struct ccctl_buf *out, const char *in, size_t len);

/* Read a whole file, at most max bytes (CCCTL_EINVAL naming the file if it
 * is larger); CCCTL_EFAIL with the errno message if it cannot be read. */
int ccctl_file_read(struct ccctl_buf *out, const char *path, size_t max);
/* Write a file atomically: temp file in the same folder, fsync, rename.
 * mode is applied at creation (e.g. 0600 for keys).  Never leaves a partial
 * file at path. */
int ccctl_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode);

/* Constant-time comparison of two equal-length byte strings: 1 if equal. */
int ccctl_ct_equal(const void *a, const void *b, size_t len);

#endif
