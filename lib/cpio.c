/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpio.c - deterministic newc cpio writer, strict reader, comparison (cpio.h).
 *
 * A newc member is a 110-byte ASCII header ("070701" and 13 fields of 8 hex
 * digits: ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
 * rdevmajor, rdevminor, namesize incl. NUL, check), the name and its NUL
 * padded so that header + name is a multiple of 4, then the data padded to
 * a multiple of 4.
 */
#include "cpio.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"

#define HDR_LEN 110
#define MAGIC	"070701"
#define TRAILER "TRAILER!!!"

enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_SIZE,
	F_DEVMAJ,
	F_DEVMIN,
	F_RDEVMAJ,
	F_RDEVMIN,
	F_NAMESIZE,
	F_CHECK,
	NFIELDS
};

static size_t pad4(size_t n)
{
	return (4 - (n & 3)) & 3;
}

/* ---- writer ------------------------------------------------------------- */

static int check_name(const char *name)
{
	size_t len = strlen(name);
	const char *c = name;

	if (len == 0 || len > CCCTL_CPIO_MAX_NAME)
		return ccctl_err_set(CCCTL_EINVAL,
				     "cpio entry \"%.64s\": name: expected 1 to %d "
				     "bytes, found %zu",
				     name, CCCTL_CPIO_MAX_NAME, len);
	if (strcmp(name, TRAILER) == 0)
		return ccctl_err_set(CCCTL_EINVAL, "cpio entry \"%s\": reserved name", name);
	for (;;) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return ccctl_err_set(CCCTL_EINVAL,
					     "cpio entry \"%s\": expected a relative "
					     "path without empty, \".\" or \"..\" components",
					     name);
		if (!c[n])
			return 0;
		c += n + 1;
	}
}

static int check_entry(const struct ccctl_cpio_entry *e)
{
	int ret;

	if (!e->name)
		return ccctl_err_set(CCCTL_EINVAL, "cpio entry: no name");
	if ((ret = check_name(e->name)))
		return ret;
	if (e->mode & ~(uint32_t)(S_IFMT | 07777))
		return ccctl_err_set(CCCTL_EINVAL, "cpio entry \"%s\": invalid mode %o", e->name,
				     e->mode);
	if (e->len > CCCTL_CPIO_MAX_SIZE)
		return ccctl_err_set(CCCTL_EINVAL,
				     "cpio entry \"%s\": %zu bytes: expected at most "
				     "%u",
				     e->name, e->len, CCCTL_CPIO_MAX_SIZE);
	if (e->len && !e->data)
		return ccctl_err_set(CCCTL_EINVAL, "cpio entry \"%s\": no data", e->name);
	switch (e->mode & S_IFMT) {
	case S_IFREG:
		return 0;
	case S_IFDIR:
		if (e->len)
			return ccctl_err_set(CCCTL_EINVAL,
					     "cpio entry \"%s\": a folder has no data", e->name);
		return 0;
	case S_IFLNK:
		if (!e->len)
			return ccctl_err_set(CCCTL_EINVAL,
					     "cpio entry \"%s\": symlink without a "
					     "target",
					     e->name);
		return 0;
	default:
		return ccctl_err_set(CCCTL_EINVAL,
				     "cpio entry \"%s\": mode %o: expected a file, "
				     "folder or symlink",
				     e->name, e->mode);
	}
}

static int cmp_entry(const void *a, const void *b)
{
	const struct ccctl_cpio_entry *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static int put_member(struct ccctl_buf *out, uint32_t ino, uint32_t mode, uint32_t nlink,
		      uint32_t mtime, const char *name, const void *data, size_t len)
{
	static const uint8_t zeros[4];
	size_t namesize = strlen(name) + 1;
	int ret;

	if ((ret = ccctl_buf_printf(
		 out, MAGIC "%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, mode, 0u,
		 0u, nlink, mtime, (unsigned)len, 0u, 0u, 0u, 0u, (unsigned)namesize, 0u)) ||
	    (ret = ccctl_buf_append(out, name, namesize)) ||
	    (ret = ccctl_buf_append(out, zeros, pad4(HDR_LEN + namesize))) ||
	    (ret = ccctl_buf_append(out, data, len)) ||
	    (ret = ccctl_buf_append(out, zeros, pad4(len))))
		return ret;
	return 0;
}

int ccctl_cpio_write(struct ccctl_buf *out, const struct ccctl_cpio_entry *entries, size_t n,
		     uint64_t mtime)
{
	const struct ccctl_cpio_entry **sorted = NULL;
	int ret = 0;

	if (mtime > UINT32_MAX)
		return ccctl_err_set(CCCTL_EINVAL, "cpio: mtime %llu does not fit in 32 bits",
				     (unsigned long long)mtime);
	if (n >= UINT32_MAX)
		return ccctl_err_set(CCCTL_EINVAL, "cpio: too many entries");
	if (n && !(sorted = calloc(n, sizeof(*sorted))))
		return ccctl_err_nomem();
	for (size_t i = 0; i < n; i++) {
		if ((ret = check_entry(&entries[i])))
			goto out;
		sorted[i] = &entries[i];
	}
	if (n)
		qsort(sorted, n, sizeof(*sorted), cmp_entry);
	for (size_t i = 0; i < n; i++) {
		const struct ccctl_cpio_entry *e = sorted[i];

		if (i > 0 && strcmp(sorted[i - 1]->name, e->name) == 0) {
			ret = ccctl_err_set(CCCTL_EINVAL, "cpio entry \"%s\": duplicate name",
					    e->name);
			goto out;
		}
		if ((ret = put_member(out, (uint32_t)(i + 1), e->mode,
				      (e->mode & S_IFMT) == S_IFDIR ? 2 : 1, (uint32_t)mtime,
				      e->name, e->data, e->len)))
			goto out;
	}
	ret = put_member(out, 0, 0, 1, 0, TRAILER, NULL, 0);
out:
	free(sorted);
	return ret;
}

/* ---- reader ------------------------------------------------------------- */

static int parse_field(uint32_t *out, const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int cpio_append(struct ccctl_cpio *c, size_t *cap, const struct ccctl_cpio_entry *e)
{
	if (c->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct ccctl_cpio_entry *p;

		if (ncap > SIZE_MAX / sizeof(*p) || !(p = realloc(c->entries, ncap * sizeof(*p))))
			return ccctl_err_nomem();
		c->entries = p;
		*cap = ncap;
	}
	c->entries[c->n++] = *e;
	return 0;
}

int ccctl_cpio_parse(struct ccctl_cpio **out, const void *data, size_t len)
{
	const uint8_t *d = data;
	struct ccctl_cpio *c = calloc(1, sizeof(*c));
	size_t pos = 0, cap = 0;
	int ret;

	*out = NULL;
	if (!c)
		return ccctl_err_nomem();
	for (;;) {
		uint32_t f[NFIELDS];
		struct ccctl_cpio_entry e;
		const char *name;
		size_t namesize, npad, dpad;

		if (len - pos < HDR_LEN) {
			ret = ccctl_err_set(CCCTL_EINVAL,
					    "cpio: truncated header at offset %zu "
					    "(expected %d bytes, %zu left)",
					    pos, HDR_LEN, len - pos);
			goto out;
		}
		if (memcmp(d + pos, MAGIC, 6) != 0) {
			ret = ccctl_err_set(CCCTL_EINVAL,
					    "cpio: bad magic at offset %zu: expected "
					    "\"070701\" (newc)",
					    pos);
			goto out;
		}
		for (int i = 0; i < NFIELDS; i++)
			if (parse_field(&f[i], d + pos + 6 + 8 * i)) {
				ret = ccctl_err_set(CCCTL_EINVAL,
						    "cpio: header field %d at offset "
						    "%zu is not 8 hex digits",
						    i, pos);
				goto out;
			}
		namesize = f[F_NAMESIZE];
		if (namesize < 2 || namesize > CCCTL_CPIO_MAX_NAME + 1) {
			ret = ccctl_err_set(CCCTL_EINVAL,
					    "cpio: name size at offset %zu: expected 2 "
					    "to %d, found %zu",
					    pos, CCCTL_CPIO_MAX_NAME + 1, namesize);
			goto out;
		}
		npad = pad4(HDR_LEN + namesize);
		if (len - pos - HDR_LEN < namesize + npad) {
			ret = ccctl_err_set(CCCTL_EINVAL, "cpio: truncated name at offset %zu",
					    pos + HDR_LEN);
			goto out;
		}
		name = (const char *)d + pos + HDR_LEN;
		if (memchr(name, 0, namesize) != name + namesize - 1 ||
		    !all_zero(d + pos + HDR_LEN + namesize, npad)) {
			ret = ccctl_err_set(CCCTL_EINVAL, "cpio: malformed name at offset %zu",
					    pos + HDR_LEN);
			goto out;
		}
		pos += HDR_LEN + namesize + npad;
		dpad = pad4(f[F_SIZE]);
		if (len - pos < (size_t)f[F_SIZE] + dpad) {
			ret = ccctl_err_set(CCCTL_EINVAL,
					    "cpio member \"%s\": truncated data: "
					    "expected %u bytes at offset %zu, %zu left",
					    name, f[F_SIZE], pos, len - pos);
			goto out;
		}
		if (!all_zero(d + pos + f[F_SIZE], dpad)) {
			ret = ccctl_err_set(CCCTL_EINVAL, "cpio member \"%s\": non-zero padding",
					    name);
			goto out;
		}
		if (strcmp(name, TRAILER) == 0) {
			pos += f[F_SIZE] + dpad;
			if (!all_zero(d + pos, len - pos)) {
				ret = ccctl_err_set(CCCTL_EINVAL,
						    "cpio: data after the trailer at "
						    "offset %zu",
						    pos);
				goto out;
			}
			break;
		}
		e.name = name;
		e.mode = f[F_MODE];
		e.mtime = f[F_MTIME];
		e.data = d + pos;
		e.len = f[F_SIZE];
		if ((ret = cpio_append(c, &cap, &e)))
			goto out;
		pos += f[F_SIZE] + dpad;
	}
	*out = c;
	c = NULL;
	ret = 0;
out:
	ccctl_cpio_free(c);
	return ret;
}

void ccctl_cpio_free(struct ccctl_cpio *c)
{
	if (!c)
		return;
	free(c->entries);
	free(c);
}

/* ---- comparison --------------------------------------------------------- */

static const struct ccctl_cpio_entry **sorted_view(const struct ccctl_cpio *c)
{
	const struct ccctl_cpio_entry **v = calloc(c->n ? c->n : 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		v[i] = &c->entries[i];
	qsort(v, c->n, sizeof(*v), cmp_entry);
	return v;
}

static int compare_member(const struct ccctl_cpio_entry *a, const struct ccctl_cpio_entry *b)
{
	if (a->mode != b->mode)
		return ccctl_err_set(CCCTL_EVERIFY,
				     "cpio member \"%s\": mode: expected %o, found %o", a->name,
				     a->mode, b->mode);
	if (a->len != b->len)
		return ccctl_err_set(CCCTL_EVERIFY,
				     "cpio member \"%s\": size: expected %zu bytes, "
				     "found %zu",
				     a->name, a->len, b->len);
	if (a->len && memcmp(a->data, b->data, a->len) != 0)
		return ccctl_err_set(CCCTL_EVERIFY, "cpio member \"%s\": contents differ", a->name);
	if (a->mtime != b->mtime)
		return ccctl_err_set(CCCTL_EVERIFY,
				     "cpio member \"%s\": mtime: expected %u, "
				     "found %u",
				     a->name, a->mtime, b->mtime);
	return 0;
}

int ccctl_cpio_compare(const struct ccctl_cpio *expected, const struct ccctl_cpio *found)
{
	const struct ccctl_cpio_entry **a = sorted_view(expected), **b = sorted_view(found);
	size_t i = 0, j = 0;
	int ret = 0;

	if (!a || !b) {
		ret = ccctl_err_nomem();
		goto out;
	}
	while (!ret && (i < expected->n || j < found->n)) {
		int c = i == expected->n ? 1 : j == found->n ? -1 : strcmp(a[i]->name, b[j]->name);

		if (c < 0)
			ret = ccctl_err_set(CCCTL_EVERIFY,
					    "cpio member \"%s\": expected, not found", a[i]->name);
		else if (c > 0)
			ret = ccctl_err_set(CCCTL_EVERIFY,
					    "cpio member \"%s\": found, not expected", b[j]->name);
		else
			ret = compare_member(a[i++], b[j++]);
	}
out:
	free(a);
	free(b);
	return ret;
}
