/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs-mem.c - an in-memory tree as a WASI file system (see fs.h).
 *
 * Folders keep their children sorted by name (so listings are the same on
 * every run); files are growable byte buffers.  The limits bound one file,
 * all files together and the number of nodes; exceeding them gives EFBIG or
 * ENOSPC to the guest.  Nodes are never removed (there is no unlink), so an
 * open file's node stays valid until the tree is freed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "runtime/wasi/fs.h"

struct mem_node {
	char *name;
	bool dir;
	uint64_t ino;
	/* folder */
	struct mem_node **kids;
	size_t nkids, capkids;
	/* file */
	uint8_t *data;
	size_t size, cap;
};

struct mem_fs {
	struct rt_fs fs;
	struct rt_fs_mem_limits lim;
	struct mem_node *root;
	uint64_t nodes, total;
};

struct mem_file {
	struct mem_node *node;
};

static void node_free(struct mem_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->data);
	free(n->name);
	free(n);
}

/* Index of name in folder d, or where it would be inserted (*found says). */
static size_t node_find(const struct mem_node *d, const char *name, size_t len, bool *found)
{
	size_t lo = 0, hi = d->nkids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = d->kids[mid]->name;
		int c = strncmp(k, name, len);

		if (c == 0 && k[len] != '\0')
			c = 1;
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static int node_add(struct mem_fs *m, struct mem_node *d, size_t at, const char *name, size_t len,
		    bool dir, struct mem_node **out)
{
	struct mem_node *n;

	if (m->nodes >= m->lim.max_nodes)
		return RT_WASI_ENOSPC;
	if (d->nkids == d->capkids) {
		size_t cap = d->capkids ? d->capkids * 2 : 8;
		struct mem_node **k;

		if (cap > SIZE_MAX / sizeof(*k))
			return RT_WASI_ENOMEM;
		k = realloc(d->kids, cap * sizeof(*k));
		if (!k)
			return RT_WASI_ENOMEM;
		d->kids = k;
		d->capkids = cap;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return RT_WASI_ENOMEM;
	n->name = strndup(name, len);
	if (!n->name) {
		free(n);
		return RT_WASI_ENOMEM;
	}
	n->dir = dir;
	n->ino = ++m->nodes;
	memmove(&d->kids[at + 1], &d->kids[at], (d->nkids - at) * sizeof(*d->kids));
	d->kids[at] = n;
	d->nkids++;
	*out = n;
	return 0;
}

/* The parent folder of path's last component; *last points at it. */
static int mem_walk(struct mem_fs *m, const char *path, struct mem_node **parent,
		    const char **last)
{
	struct mem_node *d = m->root;
	const char *p = path, *slash;

	while ((slash = strchr(p, '/')) != NULL) {
		size_t len = (size_t)(slash - p);
		bool found;
		size_t i;

		if (len == 0)
			return RT_WASI_EINVAL;
		if (len > RT_FS_NAME_MAX)
			return RT_WASI_ENAMETOOLONG;
		i = node_find(d, p, len, &found);
		if (!found)
			return RT_WASI_ENOENT;
		d = d->kids[i];
		if (!d->dir)
			return RT_WASI_ENOTDIR;
		p = slash + 1;
	}
	if (strlen(p) > RT_FS_NAME_MAX)
		return RT_WASI_ENAMETOOLONG;
	*parent = d;
	*last = p;
	return 0;
}

/* Resize a file's contents to size (zero-filling), charging the limits. */
static int node_resize(struct mem_fs *m, struct mem_node *n, uint64_t size)
{
	if (size > m->lim.max_file_size)
		return RT_WASI_EFBIG;
	if (size > n->size && size - n->size > m->lim.max_total_size - m->total)
		return RT_WASI_ENOSPC;
	if (size > n->cap) {
		size_t cap = n->cap ? n->cap : 256;
		uint8_t *d;

		while (cap < size)
			cap = cap > SIZE_MAX / 2 ? (size_t)size : cap * 2;
		d = realloc(n->data, cap);
		if (!d)
			return RT_WASI_ENOMEM;
		n->data = d;
		n->cap = cap;
	}
	if (size > n->size)
		memset(n->data + n->size, 0, (size_t)size - n->size);
	m->total = m->total - n->size + (size_t)size;
	n->size = (size_t)size;
	return 0;
}

static int mem_open(struct rt_fs *fs, const char *path, unsigned flags, void **file)
{
	struct mem_fs *m = (struct mem_fs *)fs;
	struct mem_node *d, *n;
	struct mem_file *f;
	const char *last;
	bool found;
	size_t i;
	int rc;

	if (!*path) {
		n = m->root;
	} else {
		rc = mem_walk(m, path, &d, &last);
		if (rc)
			return rc;
		i = node_find(d, last, strlen(last), &found);
		if (found) {
			n = d->kids[i];
			if ((flags & RT_FS_CREATE) && (flags & RT_FS_EXCL))
				return RT_WASI_EEXIST;
		} else {
			if (!(flags & RT_FS_CREATE))
				return RT_WASI_ENOENT;
			if (flags & RT_FS_DIRECTORY)
				return RT_WASI_ENOENT;
			rc = node_add(m, d, i, last, strlen(last), false, &n);
			if (rc)
				return rc;
		}
	}
	if ((flags & RT_FS_DIRECTORY) && !n->dir)
		return RT_WASI_ENOTDIR;
	if (n->dir && (flags & (RT_FS_WRITE | RT_FS_TRUNC)))
		return RT_WASI_EISDIR;
	if ((flags & RT_FS_TRUNC) && !(flags & RT_FS_WRITE))
		return RT_WASI_EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return RT_WASI_ENOMEM;
	if (flags & RT_FS_TRUNC)
		node_resize(m, n, 0); /* shrinking cannot fail */
	f->node = n;
	*file = f;
	return 0;
}

static int mem_read(struct rt_fs *fs, void *file, void *buf, size_t len, uint64_t off,
		    size_t *n)
{
	struct mem_node *node = ((struct mem_file *)file)->node;
	size_t avail;

	if (node->dir)
		return RT_WASI_EISDIR;
	if (off >= node->size) {
		*n = 0;
		return 0;
	}
	avail = node->size - (size_t)off;
	if (len > avail)
		len = avail;
	memcpy(buf, node->data + off, len);
	*n = len;
	return 0;
}

static int mem_write(struct rt_fs *fs, void *file, const void *buf, size_t len, uint64_t off,
		     size_t *n)
{
	struct mem_fs *m = (struct mem_fs *)fs;
	struct mem_node *node = ((struct mem_file *)file)->node;
	int rc;

	if (node->dir)
		return RT_WASI_EISDIR;
	*n = 0;
	if (len == 0)
		return 0;
	if (len > UINT64_MAX - off)
		return RT_WASI_EFBIG;
	if (off + len > node->size) {
		rc = node_resize(m, node, off + len);
		if (rc)
			return rc;
	}
	memcpy(node->data + off, buf, len);
	*n = len;
	return 0;
}

static int mem_stat(struct rt_fs *fs, void *file, struct rt_fs_stat *st)
{
	struct mem_node *node = ((struct mem_file *)file)->node;

	memset(st, 0, sizeof(*st));
	st->type = node->dir ? RT_WASI_FILETYPE_DIRECTORY : RT_WASI_FILETYPE_REGULAR_FILE;
	st->dev = 1;
	st->ino = node->ino;
	st->nlink = 1;
	st->size = node->dir ? 0 : node->size;
	return 0;
}

static int mem_readdir(struct rt_fs *fs, void *file, uint64_t idx, struct rt_fs_dirent *ent,
		       bool *end)
{
	struct mem_node *node = ((struct mem_file *)file)->node, *k;

	if (!node->dir)
		return RT_WASI_ENOTDIR;
	if (idx >= node->nkids) {
		*end = true;
		return 0;
	}
	*end = false;
	k = node->kids[idx];
	memset(ent, 0, sizeof(*ent));
	ent->type = k->dir ? RT_WASI_FILETYPE_DIRECTORY : RT_WASI_FILETYPE_REGULAR_FILE;
	ent->ino = k->ino;
	ent->namelen = strlen(k->name);
	memcpy(ent->name, k->name, ent->namelen + 1);
	return 0;
}

static int mem_mkdir(struct rt_fs *fs, const char *path)
{
	struct mem_fs *m = (struct mem_fs *)fs;
	struct mem_node *d, *n;
	const char *last;
	bool found;
	size_t i;
	int rc;

	if (!*path)
		return RT_WASI_EEXIST;
	rc = mem_walk(m, path, &d, &last);
	if (rc)
		return rc;
	i = node_find(d, last, strlen(last), &found);
	if (found)
		return RT_WASI_EEXIST;
	return node_add(m, d, i, last, strlen(last), true, &n);
}

static void mem_close(struct rt_fs *fs, void *file)
{
	free(file);
}

static void mem_destroy(struct rt_fs *fs)
{
	struct mem_fs *m = (struct mem_fs *)fs;

	node_free(m->root);
	free(m);
}

static const struct rt_fs_ops mem_ops = {
	.open = mem_open,
	.read = mem_read,
	.write = mem_write,
	.stat = mem_stat,
	.readdir = mem_readdir,
	.mkdir = mem_mkdir,
	.close = mem_close,
	.destroy = mem_destroy,
};

int rt_fs_mem_new(struct rt_fs **out, const struct rt_fs_mem_limits *lim)
{
	struct mem_fs *m = calloc(1, sizeof(*m));

	if (!m)
		return ccctl_err_nomem();
	m->fs.ops = &mem_ops;
	m->lim.max_file_size = lim && lim->max_file_size ? lim->max_file_size
							 : RT_FS_MEM_DEFAULT_FILE;
	m->lim.max_total_size = lim && lim->max_total_size ? lim->max_total_size
							   : RT_FS_MEM_DEFAULT_TOTAL;
	m->lim.max_nodes = lim && lim->max_nodes ? lim->max_nodes : RT_FS_MEM_DEFAULT_NODES;
	if (m->lim.max_file_size > SIZE_MAX / 2)
		m->lim.max_file_size = SIZE_MAX / 2;
	m->root = calloc(1, sizeof(*m->root));
	if (!m->root) {
		free(m);
		return ccctl_err_nomem();
	}
	m->root->dir = true;
	m->root->ino = ++m->nodes;
	*out = &m->fs;
	return 0;
}

int rt_fs_mem_put(struct rt_fs *fs, const char *path, const void *data, size_t len)
{
	struct mem_fs *m = (struct mem_fs *)fs;
	char part[RT_FS_PATH_MAX + 1];
	const char *slash = path;
	void *file = NULL;
	size_t n;
	int rc;

	if (fs->ops != &mem_ops)
		return RT_WASI_EINVAL;
	if (strlen(path) > RT_FS_PATH_MAX)
		return RT_WASI_ENAMETOOLONG;
	/* create the parent folders */
	while ((slash = strchr(slash, '/')) != NULL) {
		memcpy(part, path, (size_t)(slash - path));
		part[slash - path] = '\0';
		rc = mem_mkdir(fs, part);
		if (rc && rc != RT_WASI_EEXIST)
			return rc;
		slash++;
	}
	rc = mem_open(fs, path, RT_FS_WRITE | RT_FS_CREATE | RT_FS_TRUNC, &file);
	if (rc)
		return rc;
	rc = mem_write(&m->fs, file, data, len, 0, &n);
	mem_close(fs, file);
	return rc;
}

int rt_fs_mem_get(struct rt_fs *fs, const char *path, const uint8_t **data, size_t *len)
{
	struct mem_node *node;
	void *file = NULL;
	int rc;

	if (fs->ops != &mem_ops)
		return RT_WASI_EINVAL;
	rc = mem_open(fs, path, 0, &file);
	if (rc)
		return rc;
	node = ((struct mem_file *)file)->node;
	mem_close(fs, file);
	if (node->dir)
		return RT_WASI_EISDIR;
	*data = node->data;
	*len = node->size;
	return 0;
}
