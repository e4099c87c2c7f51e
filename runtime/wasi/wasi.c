/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasi.c - WASI preview1 host functions (see wasi.h), written from the
 * witx specification of wasi_snapshot_preview1.
 *
 * Guest memory is only touched through wasm_call_mem(), which returns NULL
 * for any range outside the instance's memory; structures are encoded byte
 * by byte in little-endian order, so alignment and host endianness do not
 * matter.  A pointer obtained from the engine is used before the host
 * function returns and never across a call back into WebAssembly.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_GETRANDOM
#include <sys/random.h>
#endif

#include "lib/err.h"
#include "runtime/wasi/wasi.h"

/* What a regular file, a folder and the standard streams may do. */
#define RIGHTS_FILE                                                                         \
	(RT_WASI_RIGHT_FD_DATASYNC | RT_WASI_RIGHT_FD_READ | RT_WASI_RIGHT_FD_SEEK |        \
	 RT_WASI_RIGHT_FD_FDSTAT_SET_FLAGS | RT_WASI_RIGHT_FD_SYNC | RT_WASI_RIGHT_FD_TELL | \
	 RT_WASI_RIGHT_FD_WRITE | RT_WASI_RIGHT_FD_ADVISE | RT_WASI_RIGHT_FD_ALLOCATE |     \
	 RT_WASI_RIGHT_FD_FILESTAT_GET | RT_WASI_RIGHT_FD_FILESTAT_SET_SIZE |               \
	 RT_WASI_RIGHT_FD_FILESTAT_SET_TIMES | RT_WASI_RIGHT_POLL_FD_READWRITE)
#define RIGHTS_DIR                                                                          \
	(RT_WASI_RIGHT_PATH_CREATE_DIRECTORY | RT_WASI_RIGHT_PATH_CREATE_FILE |             \
	 RT_WASI_RIGHT_PATH_LINK_SOURCE | RT_WASI_RIGHT_PATH_LINK_TARGET |                  \
	 RT_WASI_RIGHT_PATH_OPEN | RT_WASI_RIGHT_FD_READDIR | RT_WASI_RIGHT_PATH_READLINK | \
	 RT_WASI_RIGHT_PATH_RENAME_SOURCE | RT_WASI_RIGHT_PATH_RENAME_TARGET |              \
	 RT_WASI_RIGHT_PATH_FILESTAT_GET | RT_WASI_RIGHT_PATH_FILESTAT_SET_SIZE |           \
	 RT_WASI_RIGHT_PATH_FILESTAT_SET_TIMES | RT_WASI_RIGHT_FD_FILESTAT_GET |            \
	 RT_WASI_RIGHT_FD_FILESTAT_SET_TIMES | RT_WASI_RIGHT_PATH_SYMLINK |                 \
	 RT_WASI_RIGHT_PATH_REMOVE_DIRECTORY | RT_WASI_RIGHT_PATH_UNLINK_FILE)
/* Taken away from read-only preopens and everything opened under them. */
#define RIGHTS_MODIFY                                                                       \
	(RT_WASI_RIGHT_FD_DATASYNC | RT_WASI_RIGHT_FD_SYNC | RT_WASI_RIGHT_FD_WRITE |       \
	 RT_WASI_RIGHT_FD_ALLOCATE | RT_WASI_RIGHT_FD_FILESTAT_SET_SIZE |                   \
	 RT_WASI_RIGHT_FD_FILESTAT_SET_TIMES | RT_WASI_RIGHT_PATH_CREATE_DIRECTORY |        \
	 RT_WASI_RIGHT_PATH_CREATE_FILE | RT_WASI_RIGHT_PATH_LINK_SOURCE |                  \
	 RT_WASI_RIGHT_PATH_LINK_TARGET | RT_WASI_RIGHT_PATH_RENAME_SOURCE |                \
	 RT_WASI_RIGHT_PATH_RENAME_TARGET | RT_WASI_RIGHT_PATH_FILESTAT_SET_SIZE |          \
	 RT_WASI_RIGHT_PATH_FILESTAT_SET_TIMES | RT_WASI_RIGHT_PATH_SYMLINK |               \
	 RT_WASI_RIGHT_PATH_REMOVE_DIRECTORY | RT_WASI_RIGHT_PATH_UNLINK_FILE)
#define RIGHTS_STDIN                                                                        \
	(RT_WASI_RIGHT_FD_READ | RT_WASI_RIGHT_FD_FDSTAT_SET_FLAGS |                        \
	 RT_WASI_RIGHT_FD_FILESTAT_GET | RT_WASI_RIGHT_POLL_FD_READWRITE)
#define RIGHTS_STDOUT                                                                       \
	(RT_WASI_RIGHT_FD_WRITE | RT_WASI_RIGHT_FD_FDSTAT_SET_FLAGS |                       \
	 RT_WASI_RIGHT_FD_FILESTAT_GET | RT_WASI_RIGHT_POLL_FD_READWRITE)

enum fd_kind { FD_FREE = 0, FD_STREAM, FD_FILE, FD_DIR };

struct wasi_fd {
	enum fd_kind kind;
	uint64_t base, inh; /* rights */
	uint16_t flags;     /* fdflags: only APPEND is kept */
	int stream;         /* FD_STREAM: index into stdio[] */
	struct rt_fs *fs;   /* FD_FILE/FD_DIR: borrowed from the preopen list */
	void *file;
	char *path;     /* FD_DIR: normalised path from the fs root ("" = root) */
	uint64_t pos;   /* FD_FILE: current offset */
	char *preopen;  /* guest name of a preopened folder, else NULL */
};

struct rt_wasi;

/* One host function: returns a WASI errno. */
typedef uint32_t (*wasi_fn)(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a);

struct wasi_thunk {
	struct rt_wasi *w;
	wasi_fn fn;
};

/* Strings laid out as the guest receives them: NUL-terminated, back to back. */
struct wasi_strings {
	char *buf;
	size_t size; /* bytes including the NULs */
	size_t n;
	size_t *offs;
};

#define WASI_NFUNCS 46

struct rt_wasi {
	struct wasi_strings args, env;
	bool clock, random;
	struct rt_wasi_stream stdio[3];
	struct wasi_fd *fds;
	size_t nfds;
	struct rt_fs **fss; /* owned */
	size_t nfss;
	struct wasi_thunk thunks[WASI_NFUNCS];
};

/* ---- little-endian guest memory access --------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Guest range [addr, addr+len) or NULL. */
static uint8_t *gmem(struct wasm_call *c, uint32_t addr, uint64_t len)
{
	return wasm_call_mem(c, addr, len);
}

static uint32_t store32(struct wasm_call *c, uint32_t addr, uint32_t v)
{
	uint8_t *p = gmem(c, addr, 4);

	if (!p)
		return RT_WASI_EFAULT;
	put32(p, v);
	return 0;
}

static uint32_t store64(struct wasm_call *c, uint32_t addr, uint64_t v)
{
	uint8_t *p = gmem(c, addr, 8);

	if (!p)
		return RT_WASI_EFAULT;
	put64(p, v);
	return 0;
}

#define A32(i) ((uint32_t)a[i])

/* ---- descriptors -------------------------------------------------------- */

/* The open descriptor fd holding all of the rights `need`: EBADF when not
 * open, ENOTCAPABLE when a right is missing. */
static uint32_t fd_get(struct rt_wasi *w, uint32_t fd, uint64_t need, struct wasi_fd **out)
{
	struct wasi_fd *f;

	if (fd >= w->nfds || w->fds[fd].kind == FD_FREE)
		return RT_WASI_EBADF;
	f = &w->fds[fd];
	if ((f->base & need) != need)
		return RT_WASI_ENOTCAPABLE;
	*out = f;
	return 0;
}

/* A free descriptor number (the lowest), growing the table as needed. */
static uint32_t fd_alloc(struct rt_wasi *w, uint32_t *out)
{
	struct wasi_fd *grown;
	size_t n;

	for (size_t i = 0; i < w->nfds; i++)
		if (w->fds[i].kind == FD_FREE) {
			*out = (uint32_t)i;
			return 0;
		}
	if (w->nfds >= RT_WASI_MAX_FDS)
		return RT_WASI_EMFILE;
	n = w->nfds ? w->nfds * 2 : 8;
	if (n > RT_WASI_MAX_FDS)
		n = RT_WASI_MAX_FDS;
	grown = realloc(w->fds, n * sizeof(*grown));
	if (!grown)
		return RT_WASI_ENOMEM;
	memset(grown + w->nfds, 0, (n - w->nfds) * sizeof(*grown));
	w->fds = grown;
	*out = (uint32_t)w->nfds;
	w->nfds = n;
	return 0;
}

static void fd_release(struct wasi_fd *f)
{
	if ((f->kind == FD_FILE || f->kind == FD_DIR) && f->file)
		f->fs->ops->close(f->fs, f->file);
	free(f->path);
	free(f->preopen);
	memset(f, 0, sizeof(*f));
}

/*
 * Resolve a guest path relative to folder descriptor d into out (from the
 * fs root).  Absolute paths and ".." are refused (ENOTCAPABLE); empty and
 * "." components are skipped; *dir_only is set for a trailing '/'.
 */
static uint32_t path_resolve(struct wasm_call *c, const struct wasi_fd *d, uint32_t ptr,
			     uint32_t len, char out[RT_FS_PATH_MAX + 1], bool *dir_only)
{
	const uint8_t *p = gmem(c, ptr, len);
	size_t o, i = 0;

	if (!p)
		return RT_WASI_EFAULT;
	if (len == 0)
		return RT_WASI_ENOENT;
	if (len > RT_FS_PATH_MAX)
		return RT_WASI_ENAMETOOLONG;
	if (memchr(p, '\0', len))
		return RT_WASI_EILSEQ;
	if (p[0] == '/')
		return RT_WASI_ENOTCAPABLE;
	o = strlen(d->path);
	memcpy(out, d->path, o + 1);
	while (i < len) {
		size_t start = i, n;

		while (i < len && p[i] != '/')
			i++;
		n = i - start;
		if (i < len)
			i++; /* the '/' */
		if (n == 0 || (n == 1 && p[start] == '.'))
			continue;
		if (n == 2 && p[start] == '.' && p[start + 1] == '.')
			return RT_WASI_ENOTCAPABLE;
		if (n > RT_FS_NAME_MAX)
			return RT_WASI_ENAMETOOLONG;
		if (o + 1 + n > RT_FS_PATH_MAX)
			return RT_WASI_ENAMETOOLONG;
		if (o)
			out[o++] = '/';
		memcpy(out + o, p + start, n);
		o += n;
		out[o] = '\0';
	}
	*dir_only = p[len - 1] == '/';
	return 0;
}

/* ---- streams ------------------------------------------------------------ */

static uint32_t stream_write(struct rt_wasi_stream *s, const uint8_t *p, size_t len)
{
	if (s->hostfd >= 0) {
		while (len > 0) {
			ssize_t r = write(s->hostfd, p, len);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return RT_WASI_EIO;
			p += r;
			len -= (size_t)r;
		}
		return 0;
	}
	if (s->capture) {
		if (len > s->capture_max || s->capture->len > s->capture_max - len)
			return RT_WASI_ENOSPC;
		if (ccctl_buf_append(s->capture, p, len) != 0)
			return RT_WASI_ENOMEM;
	}
	return 0;
}

static uint32_t stream_read(struct rt_wasi_stream *s, uint8_t *p, size_t len, size_t *n)
{
	ssize_t r;

	*n = 0;
	if (s->hostfd < 0 || len == 0)
		return 0;
	do {
		r = read(s->hostfd, p, len);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return RT_WASI_EIO;
	*n = (size_t)r;
	return 0;
}

/* ---- args and environment ----------------------------------------------- */

static uint32_t strings_sizes(struct wasm_call *c, const struct wasi_strings *s, uint32_t count_ptr,
			      uint32_t size_ptr)
{
	uint32_t e = store32(c, count_ptr, (uint32_t)s->n);

	return e ? e : store32(c, size_ptr, (uint32_t)s->size);
}

static uint32_t strings_get(struct wasm_call *c, const struct wasi_strings *s, uint32_t vec_ptr,
			    uint32_t buf_ptr)
{
	uint8_t *vec = gmem(c, vec_ptr, (uint64_t)s->n * 4);
	uint8_t *buf = gmem(c, buf_ptr, s->size);

	if (!vec || !buf || (uint64_t)buf_ptr + s->size > UINT32_MAX + 1ull)
		return RT_WASI_EFAULT;
	for (size_t i = 0; i < s->n; i++)
		put32(vec + 4 * i, buf_ptr + (uint32_t)s->offs[i]);
	if (s->size)
		memcpy(buf, s->buf, s->size);
	return 0;
}

static uint32_t w_args_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	return strings_get(c, &w->args, A32(0), A32(1));
}

static uint32_t w_args_sizes_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	return strings_sizes(c, &w->args, A32(0), A32(1));
}

static uint32_t w_environ_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	return strings_get(c, &w->env, A32(0), A32(1));
}

static uint32_t w_environ_sizes_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	return strings_sizes(c, &w->env, A32(0), A32(1));
}

/* ---- clocks, randomness, process ----------------------------------------- */

static int clock_map(uint32_t id, clockid_t *out)
{
	switch (id) {
	case RT_WASI_CLOCK_REALTIME:
		*out = CLOCK_REALTIME;
		return 0;
	case RT_WASI_CLOCK_MONOTONIC:
		*out = CLOCK_MONOTONIC;
		return 0;
	case RT_WASI_CLOCK_PROCESS_CPUTIME:
		*out = CLOCK_PROCESS_CPUTIME_ID;
		return 0;
	case RT_WASI_CLOCK_THREAD_CPUTIME:
		*out = CLOCK_THREAD_CPUTIME_ID;
		return 0;
	default:
		return -1;
	}
}

static uint32_t w_clock_res_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct timespec ts;
	clockid_t id;

	if (clock_map(A32(0), &id) != 0)
		return RT_WASI_EINVAL;
	if (!w->clock)
		return store64(c, A32(1), 1);
	if (clock_getres(id, &ts) != 0)
		return RT_WASI_EINVAL;
	return store64(c, A32(1), (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

static uint32_t w_clock_time_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct timespec ts;
	clockid_t id;

	if (clock_map(A32(0), &id) != 0)
		return RT_WASI_EINVAL;
	if (!w->clock)
		return store64(c, A32(2), 0);
	if (clock_gettime(id, &ts) != 0 || ts.tv_sec < 0)
		return RT_WASI_EINVAL;
	return store64(c, A32(2), (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

static uint32_t w_random_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	uint8_t *p = gmem(c, A32(0), A32(1));
	size_t len = A32(1);

	if (!w->random)
		return RT_WASI_ENOSYS;
	if (!p)
		return RT_WASI_EFAULT;
#ifdef HAVE_GETRANDOM
	while (len > 0) {
		ssize_t r = getrandom(p, len, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return RT_WASI_EIO;
		p += r;
		len -= (size_t)r;
	}
	return 0;
#else
	(void)len;
	return RT_WASI_ENOSYS;
#endif
}

static uint32_t w_sched_yield(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	return 0;
}

static uint32_t w_nosys(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	return RT_WASI_ENOSYS;
}

/* ---- descriptor calls ---------------------------------------------------- */

static uint32_t w_fd_close(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), 0, &f);

	if (e)
		return e;
	fd_release(f);
	return 0;
}

static enum rt_wasi_filetype fd_filetype(const struct wasi_fd *f)
{
	switch (f->kind) {
	case FD_STREAM:
		return RT_WASI_FILETYPE_CHARACTER_DEVICE;
	case FD_DIR:
		return RT_WASI_FILETYPE_DIRECTORY;
	case FD_FILE:
		return RT_WASI_FILETYPE_REGULAR_FILE;
	default:
		return RT_WASI_FILETYPE_UNKNOWN;
	}
}

static uint32_t w_fd_fdstat_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), 0, &f);
	uint8_t *p;

	if (e)
		return e;
	p = gmem(c, A32(1), RT_WASI_FDSTAT_SIZE);
	if (!p)
		return RT_WASI_EFAULT;
	memset(p, 0, RT_WASI_FDSTAT_SIZE);
	p[0] = (uint8_t)fd_filetype(f);
	put16(p + 2, f->flags);
	put64(p + 8, f->base);
	put64(p + 16, f->inh);
	return 0;
}

static uint32_t w_fd_fdstat_set_flags(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), RT_WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &f);
	uint32_t flags = A32(1) & 0xffff;

	if (e)
		return e;
	if (flags & ~(uint32_t)RT_WASI_FDFLAG_APPEND)
		return RT_WASI_ENOTSUP;
	f->flags = (uint16_t)flags;
	return 0;
}

static void filestat_encode(uint8_t *p, const struct rt_fs_stat *st, bool clock)
{
	memset(p, 0, RT_WASI_FILESTAT_SIZE);
	put64(p + 0, st->dev);
	put64(p + 8, st->ino);
	p[16] = (uint8_t)st->type;
	put64(p + 24, st->nlink);
	put64(p + 32, st->size);
	if (clock) {
		put64(p + 40, st->atim);
		put64(p + 48, st->mtim);
		put64(p + 56, st->ctim);
	}
}

static uint32_t w_fd_filestat_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct rt_fs_stat st;
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), RT_WASI_RIGHT_FD_FILESTAT_GET, &f);
	uint8_t *p;

	if (e)
		return e;
	p = gmem(c, A32(1), RT_WASI_FILESTAT_SIZE);
	if (!p)
		return RT_WASI_EFAULT;
	memset(&st, 0, sizeof(st));
	if (f->kind == FD_STREAM) {
		st.type = RT_WASI_FILETYPE_CHARACTER_DEVICE;
		st.nlink = 1;
	} else {
		e = (uint32_t)f->fs->ops->stat(f->fs, f->file, &st);
		if (e)
			return e;
	}
	filestat_encode(p, &st, w->clock);
	return 0;
}

static uint32_t w_fd_prestat_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), 0, &f);
	uint8_t *p;

	if (e)
		return e;
	if (!f->preopen)
		return RT_WASI_EBADF;
	p = gmem(c, A32(1), RT_WASI_PRESTAT_SIZE);
	if (!p)
		return RT_WASI_EFAULT;
	memset(p, 0, RT_WASI_PRESTAT_SIZE);
	p[0] = RT_WASI_PREOPEN_DIR;
	put32(p + 4, (uint32_t)strlen(f->preopen));
	return 0;
}

static uint32_t w_fd_prestat_dir_name(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), 0, &f);
	size_t n;
	uint8_t *p;

	if (e)
		return e;
	if (!f->preopen)
		return RT_WASI_EBADF;
	n = strlen(f->preopen);
	if (A32(2) < n)
		return RT_WASI_ENAMETOOLONG;
	p = gmem(c, A32(1), n);
	if (!p)
		return RT_WASI_EFAULT;
	memcpy(p, f->preopen, n);
	return 0;
}

/*
 * Read or write through an iovec array (iovs, n) at the descriptor's
 * position (or at *at for pread/pwrite).  Stops at the first short
 * transfer; the total is capped to what a u32 result can carry.
 */
static uint32_t fd_io(struct rt_wasi *w, struct wasm_call *c, struct wasi_fd *f, bool wr,
		      uint32_t iovs, uint32_t n, const uint64_t *at, uint32_t result_ptr)
{
	const uint8_t *vec = gmem(c, iovs, (uint64_t)n * RT_WASI_IOVEC_SIZE);
	uint64_t off = at ? *at : f->pos;
	size_t total = 0;
	uint32_t e = 0;

	if (!vec || !gmem(c, result_ptr, 4))
		return RT_WASI_EFAULT;
	if (wr && !at && f->kind == FD_FILE && (f->flags & RT_WASI_FDFLAG_APPEND)) {
		struct rt_fs_stat st;

		e = (uint32_t)f->fs->ops->stat(f->fs, f->file, &st);
		if (e)
			return e;
		off = st.size;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t base = get32(vec + (size_t)i * RT_WASI_IOVEC_SIZE);
		size_t len = get32(vec + (size_t)i * RT_WASI_IOVEC_SIZE + 4), done = 0;
		uint8_t *p = gmem(c, base, len);

		if (!p) {
			e = RT_WASI_EFAULT;
			break;
		}
		if (len > UINT32_MAX - total)
			len = UINT32_MAX - total;
		if (len == 0)
			continue;
		if (f->kind == FD_STREAM) {
			if (wr) {
				e = stream_write(&w->stdio[f->stream], p, len);
				done = e ? 0 : len;
			} else {
				e = stream_read(&w->stdio[f->stream], p, len, &done);
			}
		} else if (wr) {
			e = (uint32_t)f->fs->ops->write(f->fs, f->file, p, len, off, &done);
		} else {
			e = (uint32_t)f->fs->ops->read(f->fs, f->file, p, len, off, &done);
		}
		if (e)
			break;
		total += done;
		off += done;
		if (done < len)
			break;
	}
	/* report an error only if nothing was transferred */
	if (e && total == 0)
		return e;
	if (!at && f->kind == FD_FILE)
		f->pos = off;
	return store32(c, result_ptr, (uint32_t)total);
}

static uint32_t w_fd_read(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), RT_WASI_RIGHT_FD_READ, &f);

	return e ? e : fd_io(w, c, f, false, A32(1), A32(2), NULL, A32(3));
}

static uint32_t w_fd_write(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), RT_WASI_RIGHT_FD_WRITE, &f);

	return e ? e : fd_io(w, c, f, true, A32(1), A32(2), NULL, A32(3));
}

static uint32_t w_fd_pread(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), RT_WASI_RIGHT_FD_READ | RT_WASI_RIGHT_FD_SEEK, &f);

	if (e)
		return e;
	if (f->kind != FD_FILE)
		return f->kind == FD_DIR ? RT_WASI_EISDIR : RT_WASI_ESPIPE;
	return fd_io(w, c, f, false, A32(1), A32(2), &a[3], A32(4));
}

static uint32_t w_fd_pwrite(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), RT_WASI_RIGHT_FD_WRITE | RT_WASI_RIGHT_FD_SEEK, &f);

	if (e)
		return e;
	if (f->kind != FD_FILE)
		return f->kind == FD_DIR ? RT_WASI_EISDIR : RT_WASI_ESPIPE;
	return fd_io(w, c, f, true, A32(1), A32(2), &a[3], A32(4));
}

static uint32_t w_fd_seek(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	int64_t delta = (int64_t)a[1];
	uint32_t whence = A32(2);
	uint64_t need = (delta == 0 && whence == RT_WASI_WHENCE_CUR) ? RT_WASI_RIGHT_FD_TELL
								      : RT_WASI_RIGHT_FD_SEEK;
	struct rt_fs_stat st;
	struct wasi_fd *f;
	uint64_t base;
	uint32_t e;

	/* FD_SEEK implies FD_TELL */
	e = fd_get(w, A32(0), 0, &f);
	if (e)
		return e;
	if (!(f->base & need) && !(f->base & RT_WASI_RIGHT_FD_SEEK))
		return RT_WASI_ENOTCAPABLE;
	if (f->kind != FD_FILE)
		return f->kind == FD_DIR ? RT_WASI_EISDIR : RT_WASI_ESPIPE;
	if (!gmem(c, A32(3), 8))
		return RT_WASI_EFAULT;
	switch (whence) {
	case RT_WASI_WHENCE_SET:
		base = 0;
		break;
	case RT_WASI_WHENCE_CUR:
		base = f->pos;
		break;
	case RT_WASI_WHENCE_END:
		e = (uint32_t)f->fs->ops->stat(f->fs, f->file, &st);
		if (e)
			return e;
		base = st.size;
		break;
	default:
		return RT_WASI_EINVAL;
	}
	if (base > (uint64_t)INT64_MAX)
		return RT_WASI_EOVERFLOW;
	if (delta < 0 && (uint64_t)-(delta + 1) + 1 > base)
		return RT_WASI_EINVAL;
	if (delta > 0 && (uint64_t)delta > (uint64_t)INT64_MAX - base)
		return RT_WASI_EOVERFLOW;
	f->pos = delta < 0 ? base - ((uint64_t)-(delta + 1) + 1) : base + (uint64_t)delta;
	return store64(c, A32(3), f->pos);
}

static uint32_t w_fd_tell(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	struct wasi_fd *f;
	uint32_t e = fd_get(w, A32(0), 0, &f);

	if (e)
		return e;
	if (!(f->base & (RT_WASI_RIGHT_FD_TELL | RT_WASI_RIGHT_FD_SEEK)))
		return RT_WASI_ENOTCAPABLE;
	if (f->kind != FD_FILE)
		return f->kind == FD_DIR ? RT_WASI_EISDIR : RT_WASI_ESPIPE;
	return store64(c, A32(1), f->pos);
}

static uint32_t w_fd_readdir(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	uint32_t buf_len = A32(2), e;
	uint64_t idx = a[3];
	uint8_t *buf = gmem(c, A32(1), buf_len), hdr[RT_WASI_DIRENT_SIZE];
	struct rt_fs_dirent ent;
	struct wasi_fd *f;
	size_t used = 0;
	bool end;

	e = fd_get(w, A32(0), RT_WASI_RIGHT_FD_READDIR, &f);
	if (e)
		return e;
	if (f->kind != FD_DIR)
		return RT_WASI_ENOTDIR;
	if (!buf || !gmem(c, A32(4), 4))
		return RT_WASI_EFAULT;
	while (used < buf_len) {
		size_t take;

		e = (uint32_t)f->fs->ops->readdir(f->fs, f->file, idx, &ent, &end);
		if (e)
			return e;
		if (end)
			break;
		put64(hdr, idx + 1);
		put64(hdr + 8, ent.ino);
		put32(hdr + 16, (uint32_t)ent.namelen);
		put32(hdr + 20, 0);
		hdr[20] = (uint8_t)ent.type;
		/* a truncated last entry tells the guest to retry with more room */
		take = buf_len - used < sizeof(hdr) ? buf_len - used : sizeof(hdr);
		memcpy(buf + used, hdr, take);
		used += take;
		take = buf_len - used < ent.namelen ? buf_len - used : ent.namelen;
		memcpy(buf + used, ent.name, take);
		used += take;
		idx++;
	}
	return store32(c, A32(4), (uint32_t)used);
}

/* ---- path calls ---------------------------------------------------------- */

static uint32_t w_path_open(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	uint32_t oflags = A32(4) & 0xffff, fdflags = A32(7) & 0xffff, e, nfd;
	char path[RT_FS_PATH_MAX + 1];
	struct wasi_fd *d, *f;
	struct rt_fs_stat st;
	uint64_t base, inh;
	unsigned flags = 0;
	void *file = NULL;
	char *dpath = NULL;
	bool dir_only;

	e = fd_get(w, A32(0), RT_WASI_RIGHT_PATH_OPEN, &d);
	if (e)
		return e;
	if (d->kind != FD_DIR)
		return RT_WASI_ENOTDIR;
	if (!gmem(c, A32(8), 4))
		return RT_WASI_EFAULT;
	e = path_resolve(c, d, A32(2), A32(3), path, &dir_only);
	if (e)
		return e;
	if (oflags & ~(uint32_t)(RT_WASI_OFLAG_CREAT | RT_WASI_OFLAG_DIRECTORY |
				 RT_WASI_OFLAG_EXCL | RT_WASI_OFLAG_TRUNC))
		return RT_WASI_EINVAL;
	if ((oflags & RT_WASI_OFLAG_CREAT) && !(d->base & RT_WASI_RIGHT_PATH_CREATE_FILE))
		return RT_WASI_ENOTCAPABLE;
	if ((oflags & RT_WASI_OFLAG_TRUNC) && !(d->base & RT_WASI_RIGHT_PATH_FILESTAT_SET_SIZE))
		return RT_WASI_ENOTCAPABLE;
	/* what is asked for, as far as the folder passes rights on */
	base = a[5] & d->inh;
	inh = a[6] & d->inh;
	if ((fdflags & RT_WASI_FDFLAG_APPEND) && !(base & RT_WASI_RIGHT_FD_WRITE))
		return RT_WASI_ENOTCAPABLE;
	if (base & RT_WASI_RIGHT_FD_READ || base & RT_WASI_RIGHT_FD_READDIR)
		flags |= RT_FS_READ;
	if (base & RT_WASI_RIGHT_FD_WRITE)
		flags |= RT_FS_WRITE;
	if (oflags & RT_WASI_OFLAG_CREAT)
		flags |= RT_FS_CREATE;
	if (oflags & RT_WASI_OFLAG_EXCL)
		flags |= RT_FS_EXCL;
	if (oflags & RT_WASI_OFLAG_TRUNC)
		flags |= RT_FS_TRUNC | RT_FS_WRITE;
	if ((oflags & RT_WASI_OFLAG_DIRECTORY) || dir_only)
		flags |= RT_FS_DIRECTORY;
	e = fd_alloc(w, &nfd);
	if (e)
		return e;
	d = &w->fds[A32(0)]; /* the table may have moved */
	e = (uint32_t)d->fs->ops->open(d->fs, path, flags, &file);
	if (e)
		return e;
	e = (uint32_t)d->fs->ops->stat(d->fs, file, &st);
	if (e)
		goto out;
	if (st.type == RT_WASI_FILETYPE_DIRECTORY) {
		dpath = strdup(path);
		if (!dpath) {
			e = RT_WASI_ENOMEM;
			goto out;
		}
	}
	f = &w->fds[nfd];
	memset(f, 0, sizeof(*f));
	f->kind = dpath ? FD_DIR : FD_FILE;
	f->base = base & (dpath ? RIGHTS_DIR : RIGHTS_FILE);
	f->inh = inh;
	f->flags = (uint16_t)(fdflags & RT_WASI_FDFLAG_APPEND);
	f->fs = d->fs;
	f->file = file;
	f->path = dpath;
	file = NULL;
	e = store32(c, A32(8), nfd);
out:
	if (file)
		d->fs->ops->close(d->fs, file);
	return e;
}

static uint32_t w_path_create_directory(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	char path[RT_FS_PATH_MAX + 1];
	struct wasi_fd *d;
	bool dir_only;
	uint32_t e;

	e = fd_get(w, A32(0), RT_WASI_RIGHT_PATH_CREATE_DIRECTORY, &d);
	if (e)
		return e;
	if (d->kind != FD_DIR)
		return RT_WASI_ENOTDIR;
	e = path_resolve(c, d, A32(1), A32(2), path, &dir_only);
	if (e)
		return e;
	return (uint32_t)d->fs->ops->mkdir(d->fs, path);
}

static uint32_t w_path_filestat_get(struct rt_wasi *w, struct wasm_call *c, const uint64_t *a)
{
	char path[RT_FS_PATH_MAX + 1];
	struct rt_fs_stat st;
	struct wasi_fd *d;
	void *file = NULL;
	bool dir_only;
	uint8_t *p;
	uint32_t e;

	e = fd_get(w, A32(0), RT_WASI_RIGHT_PATH_FILESTAT_GET, &d);
	if (e)
		return e;
	if (d->kind != FD_DIR)
		return RT_WASI_ENOTDIR;
	p = gmem(c, A32(4), RT_WASI_FILESTAT_SIZE);
	if (!p)
		return RT_WASI_EFAULT;
	e = path_resolve(c, d, A32(2), A32(3), path, &dir_only);
	if (e)
		return e;
	e = (uint32_t)d->fs->ops->open(d->fs, path, dir_only ? RT_FS_DIRECTORY : 0, &file);
	if (e)
		return e;
	e = (uint32_t)d->fs->ops->stat(d->fs, file, &st);
	d->fs->ops->close(d->fs, file);
	if (e)
		return e;
	/* links are never followed: asked to follow one, refuse it */
	if ((A32(1) & RT_WASI_LOOKUP_SYMLINK_FOLLOW) && st.type == RT_WASI_FILETYPE_SYMBOLIC_LINK)
		return RT_WASI_ELOOP;
	filestat_encode(p, &st, w->clock);
	return 0;
}

/* ---- the function table -------------------------------------------------- */

struct wasi_def {
	const char *name, *params, *results;
	wasi_fn fn; /* NULL: proc_exit */
};

static const struct wasi_def wasi_defs[WASI_NFUNCS] = {
	{ "args_get", "ii", "i", w_args_get },
	{ "args_sizes_get", "ii", "i", w_args_sizes_get },
	{ "environ_get", "ii", "i", w_environ_get },
	{ "environ_sizes_get", "ii", "i", w_environ_sizes_get },
	{ "clock_res_get", "ii", "i", w_clock_res_get },
	{ "clock_time_get", "iIi", "i", w_clock_time_get },
	{ "fd_advise", "iIIi", "i", w_nosys },
	{ "fd_allocate", "iII", "i", w_nosys },
	{ "fd_close", "i", "i", w_fd_close },
	{ "fd_datasync", "i", "i", w_nosys },
	{ "fd_fdstat_get", "ii", "i", w_fd_fdstat_get },
	{ "fd_fdstat_set_flags", "ii", "i", w_fd_fdstat_set_flags },
	{ "fd_fdstat_set_rights", "iII", "i", w_nosys },
	{ "fd_filestat_get", "ii", "i", w_fd_filestat_get },
	{ "fd_filestat_set_size", "iI", "i", w_nosys },
	{ "fd_filestat_set_times", "iIIi", "i", w_nosys },
	{ "fd_pread", "iiiIi", "i", w_fd_pread },
	{ "fd_prestat_get", "ii", "i", w_fd_prestat_get },
	{ "fd_prestat_dir_name", "iii", "i", w_fd_prestat_dir_name },
	{ "fd_pwrite", "iiiIi", "i", w_fd_pwrite },
	{ "fd_read", "iiii", "i", w_fd_read },
	{ "fd_readdir", "iiiIi", "i", w_fd_readdir },
	{ "fd_renumber", "ii", "i", w_nosys },
	{ "fd_seek", "iIii", "i", w_fd_seek },
	{ "fd_sync", "i", "i", w_nosys },
	{ "fd_tell", "ii", "i", w_fd_tell },
	{ "fd_write", "iiii", "i", w_fd_write },
	{ "path_create_directory", "iii", "i", w_path_create_directory },
	{ "path_filestat_get", "iiiii", "i", w_path_filestat_get },
	{ "path_filestat_set_times", "iiiiIIi", "i", w_nosys },
	{ "path_link", "iiiiiii", "i", w_nosys },
	{ "path_open", "iiiiiIIii", "i", w_path_open },
	{ "path_readlink", "iiiiii", "i", w_nosys },
	{ "path_remove_directory", "iii", "i", w_nosys },
	{ "path_rename", "iiiiii", "i", w_nosys },
	{ "path_symlink", "iiiii", "i", w_nosys },
	{ "path_unlink_file", "iii", "i", w_nosys },
	{ "poll_oneoff", "iiii", "i", w_nosys },
	{ "proc_exit", "i", "", NULL },
	{ "proc_raise", "i", "i", w_nosys },
	{ "sched_yield", "", "i", w_sched_yield },
	{ "random_get", "ii", "i", w_random_get },
	{ "sock_accept", "iii", "i", w_nosys },
	{ "sock_recv", "iiiiii", "i", w_nosys },
	{ "sock_send", "iiiii", "i", w_nosys },
	{ "sock_shutdown", "ii", "i", w_nosys },
};

static int wasi_dispatch(struct wasm_call *call, void *env, const uint64_t *args,
			 uint64_t *results)
{
	struct wasi_thunk *t = env;

	results[0] = t->fn(t->w, call, args);
	return 0;
}

static int wasi_proc_exit(struct wasm_call *call, void *env, const uint64_t *args,
			  uint64_t *results)
{
	return wasm_call_exit(call, (uint32_t)args[0]);
}

int rt_wasi_define(struct rt_wasi *w, struct wasm_linker *l, struct wasm_store *s)
{
	for (size_t i = 0; i < WASI_NFUNCS; i++) {
		const struct wasi_def *d = &wasi_defs[i];
		int rc;

		w->thunks[i].w = w;
		w->thunks[i].fn = d->fn;
		rc = wasm_linker_define_host(l, s, RT_WASI_MODULE, d->name, d->params, d->results,
					     d->fn ? wasi_dispatch : wasi_proc_exit,
					     &w->thunks[i]);
		if (rc != 0)
			return ccctl_err_set(CCCTL_EFAIL, "cannot define '%s.%s'", RT_WASI_MODULE,
					     d->name);
	}
	return 0;
}

/* ---- setup ---------------------------------------------------------------- */

static int strings_init(struct wasi_strings *s, const char *const *v, size_t n, const char *what,
			bool need_eq)
{
	size_t size = 0;

	memset(s, 0, sizeof(*s));
	if (n > UINT32_MAX / 4)
		return ccctl_err_set(CCCTL_EINVAL, "too many %s: %zu", what, n);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]);

		if (need_eq && !strchr(v[i], '='))
			return ccctl_err_set(CCCTL_EINVAL,
					     "%s entry '%s': expected KEY=VALUE", what, v[i]);
		if (len >= UINT32_MAX - size)
			return ccctl_err_set(CCCTL_EINVAL, "%s too large", what);
		size += len + 1;
	}
	s->buf = malloc(size ? size : 1);
	s->offs = calloc(n ? n : 1, sizeof(*s->offs));
	if (!s->buf || !s->offs)
		return ccctl_err_nomem();
	size = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]);

		s->offs[i] = size;
		memcpy(s->buf + size, v[i], len + 1);
		size += len + 1;
	}
	s->size = size;
	s->n = n;
	return 0;
}

static void strings_release(struct wasi_strings *s)
{
	free(s->buf);
	free(s->offs);
	memset(s, 0, sizeof(*s));
}

int rt_wasi_new(struct rt_wasi **out, const struct rt_wasi_config *cfg)
{
	struct rt_wasi *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return ccctl_err_nomem();
	rc = strings_init(&w->args, cfg->argv, cfg->argc, "arguments", false);
	if (rc)
		goto out;
	rc = strings_init(&w->env, cfg->env, cfg->envc, "environment", true);
	if (rc)
		goto out;
	w->clock = cfg->clock;
	w->random = cfg->random;
	w->fds = calloc(8, sizeof(*w->fds));
	if (!w->fds) {
		rc = ccctl_err_nomem();
		goto out;
	}
	w->nfds = 8;
	for (int i = 0; i < 3; i++) {
		w->stdio[i] = cfg->stdio[i];
		w->fds[i].kind = FD_STREAM;
		w->fds[i].stream = i;
		w->fds[i].base = i == 0 ? RIGHTS_STDIN : RIGHTS_STDOUT;
	}
	*out = w;
	w = NULL;
out:
	rt_wasi_free(w);
	return rc;
}

void rt_wasi_free(struct rt_wasi *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nfds; i++)
		fd_release(&w->fds[i]);
	free(w->fds);
	for (size_t i = 0; i < w->nfss; i++)
		rt_fs_free(w->fss[i]);
	free(w->fss);
	strings_release(&w->args);
	strings_release(&w->env);
	free(w);
}

int rt_wasi_preopen(struct rt_wasi *w, struct rt_fs *fs, const char *guest_name, bool writable)
{
	struct rt_fs **grown;
	struct wasi_fd *f;
	void *root = NULL;
	uint32_t nfd, e;

	grown = realloc(w->fss, (w->nfss + 1) * sizeof(*grown));
	if (!grown) {
		rt_fs_free(fs);
		return ccctl_err_nomem();
	}
	w->fss = grown;
	w->fss[w->nfss++] = fs;
	if (!*guest_name || strlen(guest_name) > RT_FS_PATH_MAX)
		return ccctl_err_set(CCCTL_EINVAL, "invalid guest folder name '%s'", guest_name);
	e = fd_alloc(w, &nfd);
	if (e)
		return ccctl_err_set(CCCTL_EINVAL, "too many preopened folders");
	e = (uint32_t)fs->ops->open(fs, "", RT_FS_READ | RT_FS_DIRECTORY, &root);
	if (e)
		return ccctl_err_set(CCCTL_EFAIL, "cannot open the root of '%s' (wasi errno %u)",
				     guest_name, (unsigned)e);
	f = &w->fds[nfd];
	memset(f, 0, sizeof(*f));
	f->kind = FD_DIR;
	f->fs = fs;
	f->file = root;
	f->path = strdup("");
	f->preopen = strdup(guest_name);
	f->base = RIGHTS_DIR;
	f->inh = RIGHTS_DIR | RIGHTS_FILE;
	if (!writable) {
		f->base &= ~RIGHTS_MODIFY;
		f->inh &= ~RIGHTS_MODIFY;
	}
	if (!f->path || !f->preopen) {
		fd_release(f);
		return ccctl_err_nomem();
	}
	return 0;
}

int rt_wasi_run(struct rt_wasi *w, struct wasm_store *s, struct wasm_instance *inst,
		uint32_t *status, struct wasm_error *err)
{
	const enum wasm_valtype *params, *results;
	size_t np, nr;
	struct wasm_func *start = wasm_instance_func(inst, "_start");
	int rc;

	if (!start)
		return ccctl_err_set(CCCTL_EINVAL, "module does not export a function '_start'");
	wasm_func_type(start, &params, &np, &results, &nr);
	if (np || nr)
		return ccctl_err_set(CCCTL_EINVAL,
				     "'_start': expected no parameters and no results, found %zu "
				     "and %zu",
				     np, nr);
	memset(err, 0, sizeof(*err));
	rc = wasm_func_call(s, start, NULL, 0, NULL, 0, err);
	if (rc == 0) {
		*status = 0;
		return 0;
	}
	if (rc == WASM_ERR_TRAP && err->trap == WASM_TRAP_EXIT) {
		*status = err->exit_code;
		return 0;
	}
	if (rc == WASM_ERR_TRAP)
		return ccctl_err_set(CCCTL_EFAIL, "trap: %s",
				     err->msg[0] ? err->msg : wasm_trap_str(err->trap));
	return ccctl_err_set(CCCTL_EFAIL, "cannot run '_start': %s",
			     err->msg[0] ? err->msg : "engine error");
}
