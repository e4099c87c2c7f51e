/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs-host.c - a host folder as a WASI file system (see fs.h).
 *
 * The folder is opened once; every later path is resolved from that handle
 * one component at a time with openat(O_NOFOLLOW | O_DIRECTORY), so a
 * symbolic link anywhere on the way (or as the final component) is refused
 * and nothing outside the folder can be named.  The caller already removed
 * "." and ".." (fs.h); a component containing '/' cannot occur.  Only
 * regular files and folders are opened: FIFOs, devices and sockets are
 * refused (opened with O_NONBLOCK first, so a FIFO cannot block us).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "runtime/wasi/fs.h"

struct host_fs {
	struct rt_fs fs;
	int root; /* O_DIRECTORY handle of the mapped folder */
};

struct host_file {
	int fd;
	bool dir;
	/* folder listing, read on the first readdir (and again at index 0) */
	struct rt_fs_dirent *ents;
	size_t nents;
};

static int host_errno(int e)
{
	switch (e) {
	case 0:
		return 0;
	case ENOENT:
		return RT_WASI_ENOENT;
	case EEXIST:
		return RT_WASI_EEXIST;
	case ENOTDIR:
		return RT_WASI_ENOTDIR;
	case EISDIR:
		return RT_WASI_EISDIR;
	case ELOOP:
	case EMLINK: /* FreeBSD's answer to O_NOFOLLOW on a link */
		return RT_WASI_ELOOP;
	case EACCES:
		return RT_WASI_EACCES;
	case EPERM:
		return RT_WASI_EPERM;
	case ENAMETOOLONG:
		return RT_WASI_ENAMETOOLONG;
	case ENOSPC:
	case EDQUOT:
		return RT_WASI_ENOSPC;
	case EFBIG:
		return RT_WASI_EFBIG;
	case EINVAL:
		return RT_WASI_EINVAL;
	case ENOMEM:
		return RT_WASI_ENOMEM;
	case EMFILE:
	case ENFILE:
		return RT_WASI_EMFILE;
	case ENXIO:
		return RT_WASI_ENXIO;
	case EROFS:
		return RT_WASI_EPERM;
	default:
		return RT_WASI_EIO;
	}
}

static enum rt_wasi_filetype host_type(mode_t m)
{
	if (S_ISREG(m))
		return RT_WASI_FILETYPE_REGULAR_FILE;
	if (S_ISDIR(m))
		return RT_WASI_FILETYPE_DIRECTORY;
	if (S_ISLNK(m))
		return RT_WASI_FILETYPE_SYMBOLIC_LINK;
	if (S_ISCHR(m))
		return RT_WASI_FILETYPE_CHARACTER_DEVICE;
	if (S_ISBLK(m))
		return RT_WASI_FILETYPE_BLOCK_DEVICE;
	if (S_ISSOCK(m))
		return RT_WASI_FILETYPE_SOCKET_STREAM;
	return RT_WASI_FILETYPE_UNKNOWN;
}

/*
 * Walk path (normalised, see fs.h) from the root up to its last component:
 * *dirfd gets an owned handle of the parent folder, *last points into path
 * at the final component ("" for the root itself).
 */
static int host_walk(struct host_fs *h, const char *path, int *dirfd, const char **last)
{
	char comp[RT_FS_NAME_MAX + 1];
	int cur = -1, next, rc = 0;
	const char *p = path, *slash;

	cur = fcntl(h->root, F_DUPFD_CLOEXEC, 0);
	if (cur < 0)
		return host_errno(errno);
	while ((slash = strchr(p, '/')) != NULL) {
		size_t n = (size_t)(slash - p);

		if (n == 0 || n > RT_FS_NAME_MAX) {
			rc = n ? RT_WASI_ENAMETOOLONG : RT_WASI_EINVAL;
			goto out;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			struct stat st;

			rc = host_errno(errno);
			/* a link to a folder: say "link", not "not a folder" */
			if (errno == ENOTDIR && fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode))
				rc = RT_WASI_ELOOP;
			goto out;
		}
		close(cur);
		cur = next;
		p = slash + 1;
	}
	if (strlen(p) > RT_FS_NAME_MAX)
		rc = RT_WASI_ENAMETOOLONG;
out:
	if (rc) {
		close(cur);
		return rc;
	}
	*dirfd = cur;
	*last = p;
	return 0;
}

static int host_open(struct rt_fs *fs, const char *path, unsigned flags, void **file)
{
	struct host_fs *h = (struct host_fs *)fs;
	struct host_file *f = NULL;
	const char *last;
	struct stat st;
	int dirfd = -1, fd = -1, oflags, rc;

	rc = host_walk(h, path, &dirfd, &last);
	if (rc)
		return rc;
	if ((flags & (RT_FS_READ | RT_FS_WRITE)) == 0)
		oflags = O_PATH;
	else if ((flags & RT_FS_WRITE) && (flags & RT_FS_READ))
		oflags = O_RDWR;
	else if (flags & RT_FS_WRITE)
		oflags = O_WRONLY;
	else
		oflags = O_RDONLY;
	oflags |= O_NOFOLLOW | O_CLOEXEC;
	if (oflags & O_PATH) {
		/* stat only: create/trunc make no sense without access */
		if (flags & (RT_FS_CREATE | RT_FS_TRUNC)) {
			rc = RT_WASI_EINVAL;
			goto out;
		}
	} else {
		oflags |= O_NONBLOCK;
		if (flags & RT_FS_CREATE)
			oflags |= O_CREAT;
		if ((flags & RT_FS_CREATE) && (flags & RT_FS_EXCL))
			oflags |= O_EXCL;
		if (flags & RT_FS_TRUNC) {
			if (!(flags & RT_FS_WRITE)) {
				rc = RT_WASI_EINVAL;
				goto out;
			}
			oflags |= O_TRUNC;
		}
	}
	if (flags & RT_FS_DIRECTORY)
		oflags |= O_DIRECTORY;
	fd = openat(dirfd, *last ? last : ".", oflags, 0644);
	if (fd < 0) {
		rc = host_errno(errno);
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		rc = host_errno(errno);
		goto out;
	}
	if (!(oflags & O_PATH) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		rc = RT_WASI_EACCES;
		goto out;
	}
	if (S_ISDIR(st.st_mode) && (flags & RT_FS_WRITE)) {
		rc = RT_WASI_EISDIR;
		goto out;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		rc = RT_WASI_ENOMEM;
		goto out;
	}
	f->fd = fd;
	f->dir = S_ISDIR(st.st_mode);
	fd = -1;
	*file = f;
out:
	if (fd >= 0)
		close(fd);
	close(dirfd);
	return rc;
}

static int host_read(struct rt_fs *fs, void *file, void *buf, size_t len, uint64_t off,
		     size_t *n)
{
	struct host_file *f = file;
	ssize_t r;

	if (f->dir)
		return RT_WASI_EISDIR;
	if (off > (uint64_t)INT64_MAX)
		return RT_WASI_EINVAL;
	do {
		r = pread(f->fd, buf, len, (off_t)off);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno == EBADF ? RT_WASI_EBADF : host_errno(errno);
	*n = (size_t)r;
	return 0;
}

static int host_write(struct rt_fs *fs, void *file, const void *buf, size_t len, uint64_t off,
		      size_t *n)
{
	struct host_file *f = file;
	ssize_t r;

	if (f->dir)
		return RT_WASI_EISDIR;
	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return RT_WASI_EFBIG;
	do {
		r = pwrite(f->fd, buf, len, (off_t)off);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno == EBADF ? RT_WASI_EBADF : host_errno(errno);
	*n = (size_t)r;
	return 0;
}

static uint64_t ts_ns(const struct timespec *ts)
{
	if (ts->tv_sec < 0)
		return 0;
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

static int host_stat(struct rt_fs *fs, void *file, struct rt_fs_stat *out)
{
	struct host_file *f = file;
	struct stat st;

	if (fstat(f->fd, &st) != 0)
		return host_errno(errno);
	memset(out, 0, sizeof(*out));
	out->type = host_type(st.st_mode);
	out->dev = (uint64_t)st.st_dev;
	out->ino = (uint64_t)st.st_ino;
	out->nlink = (uint64_t)st.st_nlink;
	out->size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
	out->atim = ts_ns(&st.st_atim);
	out->mtim = ts_ns(&st.st_mtim);
	out->ctim = ts_ns(&st.st_ctim);
	return 0;
}

static int dirent_cmp(const void *a, const void *b)
{
	const struct rt_fs_dirent *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static void host_forget_listing(struct host_file *f)
{
	free(f->ents);
	f->ents = NULL;
	f->nents = 0;
}

/* Read the whole listing of an open folder, sorted by name. */
static int host_list(struct host_file *f)
{
	struct rt_fs_dirent *ents = NULL, *grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = NULL;
	int fd, rc = 0;

	fd = openat(f->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return host_errno(errno);
	d = fdopendir(fd);
	if (!d) {
		rc = host_errno(errno);
		close(fd);
		return rc;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || len > RT_FS_NAME_MAX)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if (cap > SIZE_MAX / sizeof(*ents)) {
				rc = RT_WASI_ENOMEM;
				goto out;
			}
			grown = realloc(ents, cap * sizeof(*ents));
			if (!grown) {
				rc = RT_WASI_ENOMEM;
				goto out;
			}
			ents = grown;
		}
		memset(&ents[n], 0, sizeof(ents[n]));
		memcpy(ents[n].name, de->d_name, len + 1);
		ents[n].namelen = len;
		ents[n].ino = (uint64_t)de->d_ino;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			ents[n].type = host_type(st.st_mode);
		else
			ents[n].type = RT_WASI_FILETYPE_UNKNOWN;
		n++;
	}
	if (errno) {
		rc = host_errno(errno);
		goto out;
	}
	if (n > 1)
		qsort(ents, n, sizeof(*ents), dirent_cmp);
	host_forget_listing(f);
	f->ents = ents;
	f->nents = n;
	ents = NULL;
out:
	free(ents);
	closedir(d);
	return rc;
}

static int host_readdir(struct rt_fs *fs, void *file, uint64_t idx, struct rt_fs_dirent *ent,
			bool *end)
{
	struct host_file *f = file;
	int rc;

	if (!f->dir)
		return RT_WASI_ENOTDIR;
	if (idx == 0 || !f->ents) {
		rc = host_list(f);
		if (rc)
			return rc;
	}
	if (idx >= f->nents) {
		*end = true;
		return 0;
	}
	*end = false;
	*ent = f->ents[idx];
	return 0;
}

static int host_mkdir(struct rt_fs *fs, const char *path)
{
	struct host_fs *h = (struct host_fs *)fs;
	const char *last;
	int dirfd, rc;

	if (!*path)
		return RT_WASI_EEXIST;
	rc = host_walk(h, path, &dirfd, &last);
	if (rc)
		return rc;
	if (mkdirat(dirfd, last, 0755) != 0)
		rc = host_errno(errno);
	close(dirfd);
	return rc;
}

static void host_close(struct rt_fs *fs, void *file)
{
	struct host_file *f = file;

	if (!f)
		return;
	host_forget_listing(f);
	close(f->fd);
	free(f);
}

static void host_destroy(struct rt_fs *fs)
{
	struct host_fs *h = (struct host_fs *)fs;

	close(h->root);
	free(h);
}

static const struct rt_fs_ops host_ops = {
	.open = host_open,
	.read = host_read,
	.write = host_write,
	.stat = host_stat,
	.readdir = host_readdir,
	.mkdir = host_mkdir,
	.close = host_close,
	.destroy = host_destroy,
};

int rt_fs_host_new(struct rt_fs **out, const char *hostdir)
{
	struct host_fs *h;
	int fd;

	fd = open(hostdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ccctl_err_set(CCCTL_EFAIL, "cannot open folder '%s': %s", hostdir,
				     strerror(errno));
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		return ccctl_err_nomem();
	}
	h->fs.ops = &host_ops;
	h->root = fd;
	*out = &h->fs;
	return 0;
}

void rt_fs_free(struct rt_fs *fs)
{
	if (fs)
		fs->ops->destroy(fs);
}
