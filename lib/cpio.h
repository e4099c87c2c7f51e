/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpio.h - deterministic "newc" (SVR4, magic 070701) cpio archives, the
 * format of Linux initramfs images, and a strict reader to list and compare
 * their members.
 *
 * The writer gives byte-identical output for the same entries in any input
 * order: entries are sorted by name (byte order), every entry gets the mtime
 * the caller passes (SOURCE_DATE_EPOCH), uid/gid 0, inode numbers 1, 2, ...
 * in sorted order, nlink 2 for folders and 1 otherwise, device numbers 0,
 * check 0; the archive ends with the TRAILER!!! entry, everything padded to
 * 4 bytes and nothing after the trailer.
 */
#ifndef CCCTL_CPIO_H
#define CCCTL_CPIO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Names are relative paths ("bin/ccctl-runtime"): no leading '/', no empty,
 * "." or ".." component, at most this long. */
#define CCCTL_CPIO_MAX_NAME 4095
/* Sizes are 8 hex digits in the format. */
#define CCCTL_CPIO_MAX_SIZE 0xffffffffu

struct ccctl_cpio_entry {
	const char *name; /* borrowed */
	uint32_t mode;	  /* file type and permissions: S_IFREG|0755, S_IFDIR|0755, S_IFLNK|0777 */
	const void *data; /* file contents or symlink target (borrowed); none for folders */
	size_t len;
	uint32_t mtime; /* reader only: the writer uses its mtime argument */
};

/* Append the archive of entries[0..n) to out.  Only regular files, folders
 * and symlinks; names must be valid and unique.  CCCTL_EINVAL naming the
 * entry otherwise. */
int ccctl_cpio_write(struct ccctl_buf *out, const struct ccctl_cpio_entry *entries, size_t n,
		     uint64_t mtime);

/* A parsed archive.  Entries (names and data) point into the bytes given
 * to ccctl_cpio_parse, which must outlive it. */
struct ccctl_cpio {
	struct ccctl_cpio_entry *entries; /* in archive order, trailer excluded */
	size_t n;
};

/* Parse a newc archive strictly: magic, hex fields, name and data bounds and
 * padding, a TRAILER!!! entry, only zero bytes after it.  CCCTL_EINVAL with
 * the offset and what is wrong. */
int ccctl_cpio_parse(struct ccctl_cpio **out, const void *data, size_t len);
void ccctl_cpio_free(struct ccctl_cpio *c);

/* Compare two archives member by member, by name: 0 if they hold the same
 * names with the same modes, contents and mtimes; otherwise CCCTL_EVERIFY
 * naming the first difference ("cpio member \"bin/x\": contents differ"). */
int ccctl_cpio_compare(const struct ccctl_cpio *expected, const struct ccctl_cpio *found);

#endif
