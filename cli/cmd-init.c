/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-init.c - `ccctl init [--template NAME] DIR`: start a project from a
 * template.
 *
 * Copies the template's topology, README, program sources (with the shared
 * header templates/common/tplio.h, so they build on their own), the built
 * .wasm programs when there are any, sample data and expected results into
 * DIR, then creates an identity (key mode 0600 + certificate) for every
 * participant in DIR/ids/.  DIR must not exist or be empty; nothing outside
 * it is touched, and on any failure everything created is removed again.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd-template.h"
#include "lib/crypto.h"
#include "lib/identity.h"

#define DEFAULT_TEMPLATE "psi"
#define IDENTITY_DAYS	 365
#define MAX_COPY	 (256u * 1024 * 1024) /* bytes of one template file */
#define IDS_DIR		 "ids"

/* Everything init created, in order, so that a failure can undo it. */
struct created {
	char **paths;
	bool *is_dir;
	size_t n, cap;
};

static int track(struct created *c, const char *path, bool is_dir)
{
	char *copy;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		char **np;
		bool *nd;

		if (ncap > SIZE_MAX / sizeof(*np))
			return ccctl_err_nomem();
		np = realloc(c->paths, ncap * sizeof(*np));
		if (!np)
			return ccctl_err_nomem();
		c->paths = np;
		nd = realloc(c->is_dir, ncap * sizeof(*nd));
		if (!nd)
			return ccctl_err_nomem();
		c->is_dir = nd;
		c->cap = ncap;
	}
	copy = strdup(path);
	if (!copy)
		return ccctl_err_nomem();
	c->paths[c->n] = copy;
	c->is_dir[c->n++] = is_dir;
	return 0;
}

/* Remove what was created, newest first. */
static void undo(struct created *c)
{
	size_t i;

	for (i = c->n; i-- > 0;) {
		if (c->is_dir[i])
			rmdir(c->paths[i]);
		else
			unlink(c->paths[i]);
	}
}

static void created_release(struct created *c)
{
	cli_strv_free(c->paths, c->n);
	free(c->is_dir);
	memset(c, 0, sizeof(*c));
}

static char *join(const char *a, const char *b)
{
	struct ccctl_buf p;

	ccctl_buf_init(&p);
	if (ccctl_buf_printf(&p, "%s/%s", a, b)) {
		ccctl_buf_release(&p);
		return NULL;
	}
	return ccctl_buf_steal(&p, NULL);
}

static int make_dir(struct created *c, const char *path, unsigned mode)
{
	if (mkdir(path, mode) < 0)
		return ccctl_err_set(CCCTL_EFAIL, "cannot create folder \"%s\": %s", path,
				     strerror(errno));
	return track(c, path, true);
}

/* Create the new file dst (never overwriting) holding data/len. */
static int write_new(struct created *c, const char *dst, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t off = 0;
	int fd, ret;

	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return ccctl_err_set(CCCTL_EFAIL, "cannot create \"%s\": %s", dst, strerror(errno));
	ret = track(c, dst, false);
	while (ret == 0 && off < len) {
		ssize_t w = write(fd, p + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ret = ccctl_err_set(CCCTL_EFAIL, "cannot write \"%s\": %s", dst,
					    strerror(w < 0 ? errno : EIO));
		else
			off += (size_t)w;
	}
	if (close(fd) < 0 && ret == 0)
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot write \"%s\": %s", dst, strerror(errno));
	return ret;
}

/* Copy the regular file src to the new file dst. */
static int copy_file(struct created *c, const char *src, const char *dst)
{
	struct ccctl_buf data;
	int ret;

	ccctl_buf_init(&data);
	ret = ccctl_file_read(&data, src, MAX_COPY);
	if (ret == 0)
		ret = write_new(c, dst, data.data, data.len);
	ccctl_buf_release(&data);
	return ret;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Which files of a template subfolder are copied: sources and programs in
 * programs/ (not the objects of an in-tree build), everything else in
 * data/ and expected/.  Hidden files never. */
static bool wanted(const char *sub, const char *file)
{
	if (file[0] == '.')
		return false;
	if (strcmp(sub, "programs") == 0)
		return has_suffix(file, ".c") || has_suffix(file, ".h") ||
		       has_suffix(file, ".wasm");
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Copy the wanted regular files of src/sub into dst/sub (created), sorted. */
static int copy_subdir(struct created *c, const char *src, const char *dst, const char *sub)
{
	char *from = join(src, sub), *to = join(dst, sub), *f = NULL, *t = NULL;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	struct stat st;
	DIR *d = NULL;
	int ret = 0;

	if (!from || !to) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (lstat(from, &st) < 0 || !S_ISDIR(st.st_mode))
		goto out; /* a template need not have every subfolder */
	d = opendir(from);
	if (!d) {
		ret = ccctl_err_errno(CCCTL_EFAIL, from);
		goto out;
	}
	while ((e = readdir(d))) {
		if (!wanted(sub, e->d_name))
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 16;
			nn = realloc(names, cap * sizeof(*nn));
			if (!nn) {
				ret = ccctl_err_nomem();
				goto out;
			}
			names = nn;
		}
		names[n] = strdup(e->d_name);
		if (!names[n]) {
			ret = ccctl_err_nomem();
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	ret = make_dir(c, to, 0755);
	for (i = 0; ret == 0 && i < n; i++) {
		free(f);
		free(t);
		f = join(from, names[i]);
		t = join(to, names[i]);
		if (!f || !t)
			ret = ccctl_err_nomem();
		else if (lstat(f, &st) == 0 && S_ISREG(st.st_mode))
			ret = copy_file(c, f, t);
	}
out:
	if (d)
		closedir(d);
	cli_strv_free(names, n);
	free(from);
	free(to);
	free(f);
	free(t);
	return ret;
}

/* The same folder (by device and inode)? */
static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Whether the folder part of path (which has a '/') is an existing folder. */
static bool parent_is_dir(const char *path)
{
	char *copy = strdup(path), *slash;
	struct stat st;
	bool ok;

	if (!copy)
		return false;
	slash = strrchr(copy, '/');
	if (slash)
		*slash = '\0';
	ok = slash && stat(copy, &st) == 0 && S_ISDIR(st.st_mode);
	free(copy);
	return ok;
}

/* A program path from the topology that init may write: relative, without
 * "..", "." or empty components. */
static bool safe_relative(const char *p)
{
	const char *s = p;

	if (*p == '\0' || *p == '/')
		return false;
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += n;
		if (*s == '/')
			s++;
	}
	return s[-1] != '/';
}

/*
 * Make sure each program's .wasm is in DIR: copied with programs/ from an
 * installed template, or else taken from the build tree when the templates
 * are this build's source tree.  A missing .wasm is a warning (the project
 * can build it), shown as "built": false in the programs list.
 */
static int copy_wasm(struct cli_ctx *ctx, struct created *c, const struct cli_template *t,
		     const char *dir, struct ccctl_json *programs)
{
	struct stat st;
	size_t i;
	int ret = 0;

	for (i = 0; ret == 0 && i < t->nprograms; i++) {
		const char *p = t->programs[i];
		struct ccctl_buf built;
		char *dst;
		bool have;
		struct ccctl_json *item;

		if (!safe_relative(p))
			return ccctl_err_set(CCCTL_EINVAL,
					     "template \"%s\": program \"%s\": "
					     "expected a relative path inside the template",
					     t->name, p);
		dst = join(dir, p);
		if (!dst)
			return ccctl_err_nomem();
		have = lstat(dst, &st) == 0;
		ccctl_buf_init(&built);
		if (!have && parent_is_dir(dst) &&
		    same_dir(cli_template_dir(), ABS_TOP_SRCDIR "/templates")) {
			ret = ccctl_buf_printf(&built, "%s/templates/%s/%s", ABS_TOP_BUILDDIR,
					       t->name, p);
			if (ret == 0 && lstat((char *)built.data, &st) == 0 &&
			    S_ISREG(st.st_mode)) {
				ret = copy_file(c, (char *)built.data, dst);
				have = ret == 0;
			}
		}
		if (ret == 0 && !have)
			cli_warn(ctx,
				 "\"%s\" is not built: build it before `ccctl policy compile` "
				 "(see %s/README.md)",
				 dst, dir);
		if (ret == 0) {
			item = ccctl_json_new_object();
			if (!item)
				ret = ccctl_err_nomem();
			else if ((ret = ccctl_json_array_push(programs, item)) == 0 &&
				 (ret = ccctl_json_object_set_string(item, "wasm", p)) == 0)
				ret = ccctl_json_object_set_bool(item, "built", have);
		}
		ccctl_buf_release(&built);
		free(dst);
	}
	return ret;
}

/* One identity per participant in DIR/ids/. */
static int make_identities(struct created *c, const struct cli_template *t, const char *dir,
			   struct ccctl_json *ids)
{
	char hex[2 * CCCTL_SHA256_LEN + 1];
	char *idsdir = join(dir, IDS_DIR);
	size_t i;
	int ret;

	if (!idsdir)
		return ccctl_err_nomem();
	ret = make_dir(c, idsdir, 0700);
	for (i = 0; ret == 0 && i < t->nparticipants; i++) {
		struct ccctl_key *key = NULL;
		char *kpath = NULL, *cpath = NULL;
		struct ccctl_json *item;
		size_t skip = strlen(dir) + 1;

		ret = ccctl_identity_create(&key, &kpath, &cpath, idsdir, t->participants[i],
					    CCCTL_KEY_P256, IDENTITY_DAYS);
		if (ret == 0 && (ret = track(c, kpath, false)) == 0)
			ret = track(c, cpath, false);
		item = ret == 0 ? ccctl_json_new_object() : NULL;
		if (ret == 0 && !item)
			ret = ccctl_err_nomem();
		if (ret == 0)
			ret = ccctl_json_array_push(ids, item);
		if (ret == 0)
			ret = ccctl_json_object_set_string(item, "name", t->participants[i]);
		if (ret == 0)
			ret = ccctl_json_object_set_string(item, "key", kpath + skip);
		if (ret == 0)
			ret = ccctl_json_object_set_string(item, "certificate", cpath + skip);
		if (ret == 0) {
			ccctl_hex_encode(hex, ccctl_key_spki_sha256(key), CCCTL_SHA256_LEN);
			ret = ccctl_json_object_set_string(item, "spki_sha256", hex);
		}
		ccctl_key_free(key);
		free(kpath);
		free(cpath);
	}
	free(idsdir);
	return ret;
}

/* DIR must be absent (then it is created) or an empty folder. */
static int prepare_dir(struct created *c, const char *dir)
{
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (stat(dir, &st) < 0) {
		if (errno != ENOENT)
			return ccctl_err_errno(CCCTL_EFAIL, dir);
		return make_dir(c, dir, 0777);
	}
	if (!S_ISDIR(st.st_mode))
		return ccctl_err_set(CCCTL_EFAIL, "\"%s\" exists and is not a folder", dir);
	d = opendir(dir);
	if (!d)
		return ccctl_err_errno(CCCTL_EFAIL, dir);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			closedir(d);
			return ccctl_err_set(CCCTL_EFAIL,
					     "\"%s\" is not empty: expected a new "
					     "or empty folder",
					     dir);
		}
	closedir(d);
	return 0;
}

/* Fill DIR (already prepared) from template t. */
static int populate(struct cli_ctx *ctx, struct created *c, const struct cli_template *t,
		    const char *dir, struct ccctl_json *programs, struct ccctl_json *ids)
{
	static const char *const top[] = {"topology.yaml", "README.md"};
	static const char *const subs[] = {"programs", "data", "expected"};
	char *src = NULL, *dst = NULL;
	struct stat st;
	size_t i;
	int ret = 0;

	for (i = 0; ret == 0 && i < sizeof(top) / sizeof(top[0]); i++) {
		src = join(t->dir, top[i]);
		dst = join(dir, top[i]);
		if (!src || !dst)
			ret = ccctl_err_nomem();
		else if (i == 0 || lstat(src, &st) == 0)
			ret = copy_file(c, src, dst);
		free(src);
		free(dst);
	}
	for (i = 0; ret == 0 && i < sizeof(subs) / sizeof(subs[0]); i++)
		ret = copy_subdir(c, t->dir, dir, subs[i]);
	if (ret)
		return ret;
	/* The programs include "tplio.h": ship it beside them. */
	src = join(cli_template_dir(), "common/tplio.h");
	dst = join(dir, "programs/tplio.h");
	if (!src || !dst)
		ret = ccctl_err_nomem();
	else if (lstat(src, &st) == 0 && S_ISREG(st.st_mode) && lstat(dst, &st) < 0)
		ret = copy_file(c, src, dst);
	free(src);
	free(dst);
	if (ret == 0)
		ret = copy_wasm(ctx, c, t, dir, programs);
	if (ret == 0)
		ret = make_identities(c, t, dir, ids);
	if (ret == 0) {
		static const char ignore[] =
		    "# private keys stay with their owner\n/" IDS_DIR "/*.key\n";

		dst = join(dir, ".gitignore");
		ret = dst ? write_new(c, dst, ignore, sizeof(ignore) - 1) : ccctl_err_nomem();
		free(dst);
	}
	return ret;
}

/* Print the summary, or the JSON document (taking *programs and *ids). */
static int print_result(struct cli_ctx *ctx, const struct cli_template *t, const char *dir,
			const struct created *c, struct ccctl_json **programs,
			struct ccctl_json **ids)
{
	struct ccctl_json *doc = NULL, *files = NULL;
	size_t i, nfiles = 0, skip = strlen(dir) + 1;
	int ret = 0;

	for (i = 0; i < c->n; i++)
		nfiles += !c->is_dir[i];
	if (!ctx->json) {
		printf("template     %s\ndirectory    %s\nfiles        %zu\nidentities  ", t->name,
		       dir, nfiles);
		for (i = 0; i < t->nparticipants; i++)
			printf(" %s/%s/%s", dir, IDS_DIR, t->participants[i]);
		printf("\nnext         ccctl policy compile %s/topology.yaml\n", dir);
		if (ctx->verbose > 0)
			for (i = 0; i < c->n; i++)
				if (!c->is_dir[i])
					printf("created      %s\n", c->paths[i]);
		return 0;
	}
	doc = ccctl_json_new_object();
	files = ccctl_json_new_array();
	if (!doc || !files) {
		ret = ccctl_err_nomem();
		goto out;
	}
	for (i = 0; ret == 0 && i < c->n; i++)
		if (!c->is_dir[i] && strlen(c->paths[i]) > skip)
			ret =
			    ccctl_json_array_push(files, ccctl_json_new_string(c->paths[i] + skip));
	if (ret == 0)
		ret = ccctl_json_object_set_string(doc, "template", t->name);
	if (ret == 0)
		ret = ccctl_json_object_set_string(doc, "directory", dir);
	if (ret == 0)
		ret = ccctl_json_object_set(doc, "files", files);
	files = NULL;
	if (ret == 0)
		ret = ccctl_json_object_set(doc, "programs", *programs);
	*programs = NULL;
	if (ret == 0)
		ret = ccctl_json_object_set(doc, "identities", *ids);
	*ids = NULL;
	if (ret == 0)
		ret = cli_print_json(ctx, doc);
out:
	ccctl_json_free(files);
	ccctl_json_free(doc);
	return ret;
}

static const struct cli_opt opts[] = {
    {0, "template", "NAME",
     "the template (default: " DEFAULT_TEMPLATE "; see `ccctl template list`)", false, false},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static int run(struct cli_ctx *ctx)
{
	const char *name = cli_opt_str(ctx, "template");
	struct cli_template t = {0};
	struct created c = {0};
	struct ccctl_json *programs = NULL, *ids = NULL;
	char *dir = NULL;
	size_t len;
	int ret;

	if (!name)
		name = DEFAULT_TEMPLATE;
	ret = cli_template_load(&t, name);
	if (ret)
		goto out;
	/* "proj/" and "proj" are the same folder; keep messages tidy. */
	dir = strdup(ctx->argv[0]);
	if (!dir) {
		ret = ccctl_err_nomem();
		goto out;
	}
	for (len = strlen(dir); len > 1 && dir[len - 1] == '/'; len--)
		dir[len - 1] = '\0';
	if (!*dir) {
		ret = cli_usage_error(ctx, "DIR: expected a folder name");
		goto out;
	}
	/* Refuse a template that cannot work before creating anything. */
	for (len = 0; len < t.nparticipants; len++) {
		ret = ccctl_identity_check_name(t.participants[len]);
		if (ret) {
			ret = ccctl_err_set(ret, "template \"%s\": participant: %s", t.name,
					    ccctl_err_msg());
			goto out;
		}
	}
	programs = ccctl_json_new_array();
	ids = ccctl_json_new_array();
	if (!programs || !ids) {
		ret = ccctl_err_nomem();
		goto out;
	}
	ret = prepare_dir(&c, dir);
	if (ret)
		goto out;
	ret = populate(ctx, &c, &t, dir, programs, ids);
	if (ret == 0)
		ret = print_result(ctx, &t, dir, &c, &programs, &ids);
	if (ret)
		undo(&c);
out:
	ccctl_json_free(programs);
	ccctl_json_free(ids);
	created_release(&c);
	cli_template_release(&t);
	free(dir);
	return ret;
}

const struct cli_cmd cmd_init = {
    .name = "init",
    .args = "DIR",
    .summary = "start a project from a template: topology, programs, data, identities",
    .opts = opts,
    .min_args = 1,
    .max_args = 1,
    .run = run,
};
