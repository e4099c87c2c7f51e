/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs.h - the file-system interface behind the WASI layer.
 *
 * A struct rt_fs is one mounted tree (what a guest sees as a preopened
 * folder).  Two implementations: host folders (rt_fs_host_new, used by
 * `ccctl exec --dir`) and an in-memory tree (rt_fs_mem_new, used by the
 * runtime inside the isolate).  The WASI layer keeps file positions, rights
 * and flags; the file system only reads and writes at offsets.
 *
 * Paths handed to a file system are already normalised by the caller:
 * relative to its root, components separated by one '/', none empty, "."
 * or "..", no NUL; "" names the root itself.  Implementations still refuse
 * to follow symbolic links, so nothing outside the tree is reachable.
 *
 * Every operation returns 0 or a positive WASI errno (enum rt_wasi_errno),
 * so the WASI layer can pass it to the guest unchanged.
 */
#ifndef CCCTL_RT_FS_H
#define CCCTL_RT_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/wasi/abi.h"

#define RT_FS_NAME_MAX 255 /* bytes of one path component */
#define RT_FS_PATH_MAX 4096 /* bytes of a whole path */

/* open flags */
#define RT_FS_READ 0x01      /* open for reading (folders: for listing) */
#define RT_FS_WRITE 0x02     /* open for writing */
#define RT_FS_CREATE 0x04    /* create a regular file if absent */
#define RT_FS_EXCL 0x08      /* with CREATE: fail with EEXIST if present */
#define RT_FS_TRUNC 0x10     /* truncate to 0 (needs WRITE) */
#define RT_FS_DIRECTORY 0x20 /* fail with ENOTDIR unless a folder */

struct rt_fs_stat {
	enum rt_wasi_filetype type;
	uint64_t dev, ino, nlink, size;
	uint64_t atim, mtim, ctim; /* nanoseconds since the epoch */
};

struct rt_fs_dirent {
	enum rt_wasi_filetype type;
	uint64_t ino;
	size_t namelen;
	char name[RT_FS_NAME_MAX + 1];
};

struct rt_fs;

struct rt_fs_ops {
	/* Open path (flags RT_FS_*); neither READ nor WRITE opens for stat
	 * only (a symbolic link is then reported, not followed). */
	int (*open)(struct rt_fs *fs, const char *path, unsigned flags, void **file);
	/* Read / write up to len bytes at off; *n gets the count (0 = end). */
	int (*read)(struct rt_fs *fs, void *file, void *buf, size_t len, uint64_t off,
		    size_t *n);
	int (*write)(struct rt_fs *fs, void *file, const void *buf, size_t len, uint64_t off,
		     size_t *n);
	int (*stat)(struct rt_fs *fs, void *file, struct rt_fs_stat *st);
	/* Entry number idx (0-based, sorted by name, without "." and "..") of
	 * an open folder; *end set instead when idx is past the last one. */
	int (*readdir)(struct rt_fs *fs, void *file, uint64_t idx, struct rt_fs_dirent *ent,
		       bool *end);
	int (*mkdir)(struct rt_fs *fs, const char *path);
	void (*close)(struct rt_fs *fs, void *file);
	void (*destroy)(struct rt_fs *fs);
};

/* Implementations embed this first. */
struct rt_fs {
	const struct rt_fs_ops *ops;
};

/* Free a file system (NULL is fine); open files must be closed first. */
void rt_fs_free(struct rt_fs *fs);

/*
 * A host folder as a tree.  Each access walks from the folder one
 * component at a time with openat(O_NOFOLLOW), so symbolic links (and thus
 * every way out of the folder except hard links made by the host) are
 * refused with ELOOP; only regular files and folders can be opened.
 * 0, or CCCTL_EFAIL naming the folder if it cannot be opened.
 */
int rt_fs_host_new(struct rt_fs **out, const char *hostdir);

/* An in-memory tree, initially an empty root folder.  Limits: bytes of one
 * file, bytes of all files, number of nodes (0 = the defaults below). */
struct rt_fs_mem_limits {
	uint64_t max_file_size;
	uint64_t max_total_size;
	uint64_t max_nodes;
};
#define RT_FS_MEM_DEFAULT_FILE (256ull << 20)
#define RT_FS_MEM_DEFAULT_TOTAL (1ull << 30)
#define RT_FS_MEM_DEFAULT_NODES 65536ull

/* 0 or CCCTL_EFAIL (out of memory). */
int rt_fs_mem_new(struct rt_fs **out, const struct rt_fs_mem_limits *lim);
/* Create or replace the file at path (parent folders are created) with
 * data; 0 or a WASI errno.  For the runtime to place inputs. */
int rt_fs_mem_put(struct rt_fs *fs, const char *path, const void *data, size_t len);
/* Borrow the bytes of the regular file at path (valid until the file next
 * changes); 0 or a WASI errno (ENOENT, EISDIR). */
int rt_fs_mem_get(struct rt_fs *fs, const char *path, const uint8_t **data, size_t *len);

#endif
