/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.c - growable byte buffer, hex, base64, whole-file read and atomic write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "buf.h"
#include "err.h"

void ccctl_buf_init(struct ccctl_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void ccctl_buf_release(struct ccctl_buf *b)
{
	free(b->data);
	ccctl_buf_init(b);
}

void ccctl_buf_release_secure(struct ccctl_buf *b)
{
	if (b->data)
		OPENSSL_cleanse(b->data, b->cap);
	ccctl_buf_release(b);
}

int ccctl_buf_reserve(struct ccctl_buf *b, size_t extra)
{
	size_t need, ncap;
	uint8_t *p;

	/* Room for len + extra bytes and the terminating NUL. */
	if (extra > SIZE_MAX - 1 - b->len)
		return ccctl_err_set(CCCTL_EFAIL, "buffer size overflow: %zu + %zu bytes", b->len,
				     extra);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	p = realloc(b->data, ncap);
	if (!p)
		return ccctl_err_nomem();
	b->data = p;
	b->cap = ncap;
	b->data[b->len] = '\0';
	return 0;
}

int ccctl_buf_append(struct ccctl_buf *b, const void *data, size_t len)
{
	int ret = ccctl_buf_reserve(b, len);

	if (ret < 0)
		return ret;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int ccctl_buf_append_str(struct ccctl_buf *b, const char *s)
{
	return ccctl_buf_append(b, s, strlen(s));
}

int ccctl_buf_append_byte(struct ccctl_buf *b, uint8_t c)
{
	return ccctl_buf_append(b, &c, 1);
}

int ccctl_buf_printf(struct ccctl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, ret;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ccctl_err_set(CCCTL_EFAIL, "cannot format \"%s\"", fmt);
	ret = ccctl_buf_reserve(b, (size_t)n);
	if (ret < 0)
		return ret;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *ccctl_buf_steal(struct ccctl_buf *b, size_t *len_out)
{
	char *s;

	if (!b->data && ccctl_buf_reserve(b, 0) < 0)
		return NULL;
	s = (char *)b->data;
	if (len_out)
		*len_out = b->len;
	ccctl_buf_init(b);
	return s;
}

void ccctl_hex_encode(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int ccctl_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ccctl_hex_decode(uint8_t *out, size_t outlen, const char *hex, size_t hexlen)
{
	size_t i;

	if (outlen > SIZE_MAX / 2 || hexlen != 2 * outlen)
		return ccctl_err_set(CCCTL_EINVAL, "hex: expected %zu digits, found %zu",
				     outlen > SIZE_MAX / 2 ? SIZE_MAX : 2 * outlen, hexlen);
	for (i = 0; i < hexlen; i += 2) {
		int hi = ccctl_hex_value(hex[i]), lo = ccctl_hex_value(hex[i + 1]);

		if (hi < 0 || lo < 0)
			return ccctl_err_set(CCCTL_EINVAL,
					     "hex: invalid digit at offset %zu: expected 0-9a-f",
					     hi < 0 ? i : i + 1);
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int ccctl_base64_encode(struct ccctl_buf *out, const uint8_t *in, size_t len)
{
	size_t i, olen;
	char *p;
	int ret;

	/* 4 characters per started group of 3 bytes. */
	if (len / 3 >= SIZE_MAX / 4)
		return ccctl_err_set(CCCTL_EFAIL, "base64: input of %zu bytes is too large", len);
	olen = (len / 3 + (len % 3 != 0)) * 4;
	ret = ccctl_buf_reserve(out, olen);
	if (ret < 0)
		return ret;
	p = (char *)out->data + out->len;
	for (i = 0; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		*p++ = b64_alphabet[v >> 18];
		*p++ = b64_alphabet[(v >> 12) & 63];
		*p++ = b64_alphabet[(v >> 6) & 63];
		*p++ = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		*p++ = b64_alphabet[v >> 18];
		*p++ = b64_alphabet[(v >> 12) & 63];
		*p++ = '=';
		*p++ = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		*p++ = b64_alphabet[v >> 18];
		*p++ = b64_alphabet[(v >> 12) & 63];
		*p++ = b64_alphabet[(v >> 6) & 63];
		*p++ = '=';
	}
	out->len += olen;
	out->data[out->len] = '\0';
	return 0;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int ccctl_base64_decode(struct ccctl_buf *out, const char *in, size_t len)
{
	size_t i, pad = 0, start = out->len;
	int ret;

	if (len % 4 != 0)
		return ccctl_err_set(CCCTL_EINVAL,
				     "base64: length %zu is not a multiple of 4 (padding required)",
				     len);
	if (len >= 4 && in[len - 1] == '=')
		pad = in[len - 2] == '=' ? 2 : 1;
	ret = ccctl_buf_reserve(out, len / 4 * 3);
	if (ret < 0)
		return ret;
	for (i = 0; i < len; i += 4) {
		int v[4];
		size_t k, ngroup = (i + 4 == len) ? 4 - pad : 4;
		uint32_t acc;

		for (k = 0; k < 4; k++) {
			v[k] = k < ngroup ? b64_value(in[i + k]) : 0;
			if (v[k] < 0) {
				ret = ccctl_err_set(
				    CCCTL_EINVAL, "base64: invalid character at offset %zu", i + k);
				goto out;
			}
		}
		acc = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
		      (uint32_t)v[3];
		/* The bits under the padding must be zero (canonical form). */
		if ((ngroup == 2 && (acc & 0xffff)) || (ngroup == 3 && (acc & 0xff))) {
			ret = ccctl_err_set(CCCTL_EINVAL,
					    "base64: non-canonical trailing bits at offset %zu",
					    i + ngroup - 1);
			goto out;
		}
		out->data[out->len++] = (uint8_t)(acc >> 16);
		if (ngroup > 2)
			out->data[out->len++] = (uint8_t)(acc >> 8);
		if (ngroup > 3)
			out->data[out->len++] = (uint8_t)acc;
	}
	ret = 0;
out:
	if (ret < 0)
		out->len = start;
	out->data[out->len] = '\0';
	return ret;
}

int ccctl_file_read(struct ccctl_buf *out, const char *path, size_t max)
{
	size_t start = out->len;
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot open \"%s\": %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot stat \"%s\": %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = ccctl_err_set(CCCTL_EINVAL,
				    "cannot read \"%s\": expected a file, found a "
				    "directory",
				    path);
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size > max) {
		ret = ccctl_err_set(CCCTL_EINVAL, "file \"%s\" is too large: %jd bytes, limit %zu",
				    path, (intmax_t)st.st_size, max);
		goto out;
	}
	/* Read until end of file; never trust st_size alone (pipes, growing files). */
	for (;;) {
		size_t room, left;
		ssize_t n;

		ret = ccctl_buf_reserve(out, 4096);
		if (ret < 0)
			goto out;
		room = out->cap - 1 - out->len;
		left = max - (out->len - start);
		/* Read at most one byte past the limit to detect oversize input. */
		if (room - 1 > left)
			room = left + 1;
		n = read(fd, out->data + out->len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = ccctl_err_set(CCCTL_EFAIL, "cannot read \"%s\": %s", path,
					    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		if (out->len - start > max) {
			ret = ccctl_err_set(CCCTL_EINVAL,
					    "file \"%s\" is too large: more than %zu bytes", path,
					    max);
			goto out;
		}
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret < 0)
		out->len = start;
	if (out->data)
		out->data[out->len] = '\0';
	return ret;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Make a rename in path's folder durable.  Best effort: not every file
 * system can sync a folder, and the new file is complete either way. */
static void sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL;
	int fd;

	if (!slash) {
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		size_t n = slash == path ? 1 : (size_t)(slash - path);

		dir = strndup(path, n);
		if (!dir)
			return;
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int ccctl_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
	static const char suffix[] = ".tmp-XXXXXX";
	size_t plen = strlen(path);
	char *tmp = NULL;
	int fd = -1, ret;

	if (plen == 0 || path[plen - 1] == '/') {
		ret =
		    ccctl_err_set(CCCTL_EINVAL, "cannot write \"%s\": expected a file name", path);
		goto out;
	}
	/* The temp file sits next to the target so rename() stays in one file system. */
	if (plen > SIZE_MAX - sizeof(suffix)) {
		ret = ccctl_err_nomem();
		goto out;
	}
	tmp = malloc(plen + sizeof(suffix));
	if (!tmp) {
		ret = ccctl_err_nomem();
		goto out;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, suffix, sizeof(suffix));
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot create a temporary file for \"%s\": %s",
				    path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, (mode_t)(mode & 07777)) < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot set mode %04o on \"%s\": %s", mode & 07777,
				    tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, data, len) < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot write \"%s\": %s", tmp, strerror(errno));
		goto out;
	}
	if (fsync(fd) < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot sync \"%s\": %s", tmp, strerror(errno));
		goto out;
	}
	ret = close(fd);
	fd = -1;
	if (ret < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot close \"%s\": %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, path) < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot rename \"%s\" to \"%s\": %s", tmp, path,
				    strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	sync_parent(path);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	return ret;
}

int ccctl_ct_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
