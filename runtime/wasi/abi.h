/* SPDX-License-Identifier: Apache-2.0 */
/*
 * abi.h - WASI preview1 ("wasi_snapshot_preview1") constants and layouts,
 * written from the witx specification: error numbers, rights, file types,
 * flags, and the byte offsets of the structures exchanged through guest
 * memory (all little-endian).
 */
#ifndef CCCTL_RT_WASI_ABI_H
#define CCCTL_RT_WASI_ABI_H

#include <stdint.h>

/* errno: the subset this layer returns (numbering from the spec). */
enum rt_wasi_errno {
	RT_WASI_ESUCCESS = 0,
	RT_WASI_EACCES = 2,
	RT_WASI_EBADF = 8,
	RT_WASI_EEXIST = 20,
	RT_WASI_EFAULT = 21,
	RT_WASI_EFBIG = 22,
	RT_WASI_EILSEQ = 25,
	RT_WASI_EINVAL = 28,
	RT_WASI_EIO = 29,
	RT_WASI_EISDIR = 31,
	RT_WASI_ELOOP = 32,
	RT_WASI_EMFILE = 33,
	RT_WASI_ENAMETOOLONG = 37,
	RT_WASI_ENOENT = 44,
	RT_WASI_ENOMEM = 48,
	RT_WASI_ENOSPC = 51,
	RT_WASI_ENOSYS = 52,
	RT_WASI_ENOTDIR = 54,
	RT_WASI_ENOTEMPTY = 55,
	RT_WASI_ENOTSUP = 58,
	RT_WASI_ENXIO = 60,
	RT_WASI_EOVERFLOW = 61,
	RT_WASI_EPERM = 63,
	RT_WASI_ESPIPE = 70,
	RT_WASI_ENOTCAPABLE = 76,
};

/* rights (u64 bit set) */
#define RT_WASI_RIGHT_FD_DATASYNC (1ull << 0)
#define RT_WASI_RIGHT_FD_READ (1ull << 1)
#define RT_WASI_RIGHT_FD_SEEK (1ull << 2)
#define RT_WASI_RIGHT_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define RT_WASI_RIGHT_FD_SYNC (1ull << 4)
#define RT_WASI_RIGHT_FD_TELL (1ull << 5)
#define RT_WASI_RIGHT_FD_WRITE (1ull << 6)
#define RT_WASI_RIGHT_FD_ADVISE (1ull << 7)
#define RT_WASI_RIGHT_FD_ALLOCATE (1ull << 8)
#define RT_WASI_RIGHT_PATH_CREATE_DIRECTORY (1ull << 9)
#define RT_WASI_RIGHT_PATH_CREATE_FILE (1ull << 10)
#define RT_WASI_RIGHT_PATH_LINK_SOURCE (1ull << 11)
#define RT_WASI_RIGHT_PATH_LINK_TARGET (1ull << 12)
#define RT_WASI_RIGHT_PATH_OPEN (1ull << 13)
#define RT_WASI_RIGHT_FD_READDIR (1ull << 14)
#define RT_WASI_RIGHT_PATH_READLINK (1ull << 15)
#define RT_WASI_RIGHT_PATH_RENAME_SOURCE (1ull << 16)
#define RT_WASI_RIGHT_PATH_RENAME_TARGET (1ull << 17)
#define RT_WASI_RIGHT_PATH_FILESTAT_GET (1ull << 18)
#define RT_WASI_RIGHT_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define RT_WASI_RIGHT_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define RT_WASI_RIGHT_FD_FILESTAT_GET (1ull << 21)
#define RT_WASI_RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define RT_WASI_RIGHT_FD_FILESTAT_SET_TIMES (1ull << 23)
#define RT_WASI_RIGHT_PATH_SYMLINK (1ull << 24)
#define RT_WASI_RIGHT_PATH_REMOVE_DIRECTORY (1ull << 25)
#define RT_WASI_RIGHT_PATH_UNLINK_FILE (1ull << 26)
#define RT_WASI_RIGHT_POLL_FD_READWRITE (1ull << 27)
#define RT_WASI_RIGHT_SOCK_SHUTDOWN (1ull << 28)
#define RT_WASI_RIGHT_SOCK_ACCEPT (1ull << 29)

/* filetype (u8) */
enum rt_wasi_filetype {
	RT_WASI_FILETYPE_UNKNOWN = 0,
	RT_WASI_FILETYPE_BLOCK_DEVICE = 1,
	RT_WASI_FILETYPE_CHARACTER_DEVICE = 2,
	RT_WASI_FILETYPE_DIRECTORY = 3,
	RT_WASI_FILETYPE_REGULAR_FILE = 4,
	RT_WASI_FILETYPE_SOCKET_DGRAM = 5,
	RT_WASI_FILETYPE_SOCKET_STREAM = 6,
	RT_WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

/* fdflags (u16) */
#define RT_WASI_FDFLAG_APPEND 0x1
#define RT_WASI_FDFLAG_DSYNC 0x2
#define RT_WASI_FDFLAG_NONBLOCK 0x4
#define RT_WASI_FDFLAG_RSYNC 0x8
#define RT_WASI_FDFLAG_SYNC 0x10

/* oflags (u16) */
#define RT_WASI_OFLAG_CREAT 0x1
#define RT_WASI_OFLAG_DIRECTORY 0x2
#define RT_WASI_OFLAG_EXCL 0x4
#define RT_WASI_OFLAG_TRUNC 0x8

/* lookupflags (u32) */
#define RT_WASI_LOOKUP_SYMLINK_FOLLOW 0x1

/* whence (u8) */
#define RT_WASI_WHENCE_SET 0
#define RT_WASI_WHENCE_CUR 1
#define RT_WASI_WHENCE_END 2

/* clockid (u32) */
#define RT_WASI_CLOCK_REALTIME 0
#define RT_WASI_CLOCK_MONOTONIC 1
#define RT_WASI_CLOCK_PROCESS_CPUTIME 2
#define RT_WASI_CLOCK_THREAD_CPUTIME 3

/* preopentype (u8) */
#define RT_WASI_PREOPEN_DIR 0

/* Structure sizes and field offsets in guest memory. */
#define RT_WASI_IOVEC_SIZE 8 /* buf u32 @0, buf_len u32 @4 */
#define RT_WASI_FDSTAT_SIZE 24 /* filetype u8 @0, flags u16 @2, base u64 @8, inh u64 @16 */
#define RT_WASI_FILESTAT_SIZE 64 /* dev @0 ino @8 filetype u8 @16 nlink @24 size @32
				  * atim @40 mtim @48 ctim @56 */
#define RT_WASI_PRESTAT_SIZE 8 /* tag u8 @0, pr_name_len u32 @4 */
#define RT_WASI_DIRENT_SIZE 24 /* d_next u64 @0, d_ino u64 @8, d_namlen u32 @16,
				* d_type u8 @20; the name follows */

#endif
