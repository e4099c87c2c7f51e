/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gitsrc.c - export a git revision's tree and describe work trees, with
 * libgit2.  See gitsrc.h.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "err.h"
#include "gitsrc.h"

void ccctl_gitsrc_init(struct ccctl_gitsrc *s)
{
	memset(s, 0, sizeof(*s));
}

void ccctl_gitsrc_release(struct ccctl_gitsrc *s)
{
	if (!s)
		return;
	free(s->first_dirty);
	ccctl_gitsrc_init(s);
}

/* Record libgit2's last error after what. */
static int git_fail(int code, const char *what)
{
	const git_error *e = git_error_last();

	return ccctl_err_set(code, "%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

int ccctl_gitsrc_tmpdir(char **out, const char *tag)
{
	const char *base = getenv("TMPDIR");
	char *path = NULL;
	int n;

	*out = NULL;
	if (!base || base[0] != '/')
		base = "/tmp";
	n = snprintf(NULL, 0, "%s/ccctl-%s.XXXXXX", base, tag);
	if (n < 0 || !(path = malloc((size_t)n + 1)))
		return ccctl_err_nomem();
	snprintf(path, (size_t)n + 1, "%s/ccctl-%s.XXXXXX", base, tag);
	/* mkdtemp creates the folder with mode 0700. */
	if (!mkdtemp(path)) {
		int rc = ccctl_err_errno(CCCTL_EFAIL, base);
		free(path);
		return rc;
	}
	*out = path;
	return 0;
}

/* Remove everything inside the open folder dfd (closed on return). */
static int rm_below(int dfd, const char *path, unsigned depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		close(dfd);
		return ccctl_err_errno(CCCTL_EFAIL, path);
	}
	while (rc == 0 && (errno = 0, e = readdir(d))) {
		struct stat st;
		int sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = ccctl_err_errno(CCCTL_EFAIL, e->d_name);
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth >= 256) {
				rc = ccctl_err_set(CCCTL_EFAIL, "\"%s\": folders nested too deeply",
						   path);
				break;
			}
			sub = openat(dirfd(d), e->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				rc = ccctl_err_errno(CCCTL_EFAIL, e->d_name);
				break;
			}
			if ((rc = rm_below(sub, e->d_name, depth + 1)))
				break;
			if (unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) != 0)
				rc = ccctl_err_errno(CCCTL_EFAIL, e->d_name);
		} else if (unlinkat(dirfd(d), e->d_name, 0) != 0) {
			rc = ccctl_err_errno(CCCTL_EFAIL, e->d_name);
		}
	}
	if (rc == 0 && errno != 0)
		rc = ccctl_err_errno(CCCTL_EFAIL, path);
	closedir(d);
	return rc;
}

int ccctl_gitsrc_rmtree(const char *dir)
{
	int dfd, rc;

	if (!dir)
		return 0;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : ccctl_err_errno(CCCTL_EFAIL, dir);
	if ((rc = rm_below(dfd, dir, 0)))
		return rc;
	if (rmdir(dir) != 0)
		return ccctl_err_errno(CCCTL_EFAIL, dir);
	return 0;
}

/* Whether url must be cloned (a URL or scp-like "host:path") rather than
 * opened as a local path.  file:// URLs are opened in place (see
 * local_path). */
static bool is_remote(const char *url)
{
	const char *colon = strchr(url, ':');

	if (strncmp(url, "file://", 7) == 0)
		return false;
	if (strstr(url, "://"))
		return true;
	/* user@host:path, host:path -- but not a local path with a colon
	 * after a slash ("./a:b") */
	return colon && colon != url && !memchr(url, '/', (size_t)(colon - url));
}

/* A tree entry name that is safe to create inside the export folder. */
static int check_name(const char *name, const char *prefix)
{
	if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strchr(name, '/') || strcasecmp(name, ".git") == 0)
		return ccctl_err_set(CCCTL_EINVAL, "unsafe tree entry \"%s%s\": refused", prefix,
				     name);
	return 0;
}

struct export_state {
	git_repository *repo;
	size_t nfiles;
	uint64_t nbytes;
};

static int write_all(int fd, const void *data, size_t len, const char *name)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return ccctl_err_errno(CCCTL_EFAIL, name);
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int export_blob(struct export_state *st, const git_tree_entry *te, int dfd, const char *name,
		       git_filemode_t mode)
{
	git_blob *blob = NULL;
	const void *data;
	size_t len;
	int fd = -1, rc = 0;

	if (git_blob_lookup(&blob, st->repo, git_tree_entry_id(te)) != 0)
		return git_fail(CCCTL_EINVAL, name);
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	if (len > CCCTL_GITSRC_MAX_BYTES - st->nbytes) {
		rc = ccctl_err_set(CCCTL_EINVAL, "tree too large: more than %llu bytes",
				   (unsigned long long)CCCTL_GITSRC_MAX_BYTES);
		goto out;
	}
	st->nbytes += len;
	if (mode == GIT_FILEMODE_LINK) {
		char *target = NULL;

		if (len == 0 || memchr(data, '\0', len)) {
			rc = ccctl_err_set(CCCTL_EINVAL, "symlink \"%s\": invalid target", name);
			goto out;
		}
		if (!(target = strndup(data, len))) {
			rc = ccctl_err_nomem();
			goto out;
		}
		if (symlinkat(target, dfd, name) != 0)
			rc = ccctl_err_errno(CCCTL_EFAIL, name);
		free(target);
		goto out;
	}
	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
	if (fd < 0) {
		rc = ccctl_err_errno(CCCTL_EFAIL, name);
		goto out;
	}
	if ((rc = write_all(fd, data, len, name)))
		goto out;
	if (close(fd) != 0) {
		fd = -1;
		rc = ccctl_err_errno(CCCTL_EFAIL, name);
		goto out;
	}
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	git_blob_free(blob);
	return rc;
}

/* Write the entries of tree into the open folder dfd. */
static int export_tree(struct export_state *st, git_tree *tree, int dfd, const char *prefix,
		       unsigned depth)
{
	size_t i, n = git_tree_entrycount(tree);
	int rc = 0;

	if (depth > CCCTL_GITSRC_MAX_DEPTH)
		return ccctl_err_set(CCCTL_EINVAL, "tree \"%s\": nested more than %d deep", prefix,
				     CCCTL_GITSRC_MAX_DEPTH);
	for (i = 0; i < n && rc == 0; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(te);
		git_filemode_t mode = git_tree_entry_filemode(te);

		if ((rc = check_name(name, prefix)))
			break;
		if (++st->nfiles > CCCTL_GITSRC_MAX_FILES) {
			rc = ccctl_err_set(CCCTL_EINVAL, "tree too large: more than %d entries",
					   CCCTL_GITSRC_MAX_FILES);
			break;
		}
		switch (mode) {
		case GIT_FILEMODE_TREE: {
			git_tree *sub = NULL;
			char *subprefix = NULL;
			int sfd;

			if (mkdirat(dfd, name, 0755) != 0) {
				rc = ccctl_err_errno(CCCTL_EFAIL, name);
				break;
			}
			sfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sfd < 0) {
				rc = ccctl_err_errno(CCCTL_EFAIL, name);
				break;
			}
			if (git_tree_lookup(&sub, st->repo, git_tree_entry_id(te)) != 0)
				rc = git_fail(CCCTL_EINVAL, name);
			else if (asprintf(&subprefix, "%s%s/", prefix, name) < 0)
				rc = ccctl_err_nomem();
			else
				rc = export_tree(st, sub, sfd, subprefix, depth + 1);
			free(subprefix);
			git_tree_free(sub);
			close(sfd);
			break;
		}
		case GIT_FILEMODE_BLOB:
		case GIT_FILEMODE_BLOB_EXECUTABLE:
		case GIT_FILEMODE_LINK:
			rc = export_blob(st, te, dfd, name, mode);
			break;
		case GIT_FILEMODE_COMMIT:
			rc = ccctl_err_set(CCCTL_EINVAL,
					   "submodule \"%s%s\": submodules are not supported",
					   prefix, name);
			break;
		default:
			rc = ccctl_err_set(CCCTL_EINVAL, "tree entry \"%s%s\": unknown mode %o",
					   prefix, name, (unsigned)mode);
			break;
		}
	}
	return rc;
}

/* Resolve rev to a commit; in a clone, branches live under origin/. */
static int resolve(git_commit **out, git_repository *repo, const char *rev, bool cloned)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = 0;

	if (git_revparse_single(&obj, repo, rev) != 0) {
		char *alt = NULL;

		if (cloned && asprintf(&alt, "origin/%s", rev) >= 0) {
			if (git_revparse_single(&obj, repo, alt) != 0)
				obj = NULL;
			free(alt);
		}
		if (!obj) {
			const git_error *e = git_error_last();

			rc = ccctl_err_set(CCCTL_EINVAL, "revision \"%s\" not found: %s", rev,
					   e && e->message ? e->message : "no such object");
			goto out;
		}
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) != 0) {
		rc = ccctl_err_set(CCCTL_EINVAL, "revision \"%s\": expected a commit, found a %s",
				   rev, git_object_type2string(git_object_type(obj)));
		goto out;
	}
	*out = (git_commit *)peeled;
	peeled = NULL;
out:
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

int ccctl_gitsrc_export(struct ccctl_gitsrc *out, const char *url, const char *rev,
			const char *dest)
{
	git_clone_options copts = GIT_CLONE_OPTIONS_INIT;
	struct export_state st;
	git_repository *repo = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	char *clone_dir = NULL;
	bool remote = is_remote(url);
	int dfd = -1, rc;

	ccctl_gitsrc_init(out);
	memset(&st, 0, sizeof(st));
	if (!rev)
		rev = "HEAD";
	git_libgit2_init();
	if (remote) {
		if ((rc = ccctl_gitsrc_tmpdir(&clone_dir, "clone")))
			goto out;
		copts.bare = 1;
		if (git_clone(&repo, url, clone_dir, &copts) != 0) {
			rc = git_fail(CCCTL_EUNAVAIL, url);
			goto out;
		}
	} else if (git_repository_open_ext(&repo, strncmp(url, "file://", 7) == 0 ? url + 7 : url,
					   0, NULL) != 0) {
		rc = git_fail(CCCTL_EUNAVAIL, url);
		goto out;
	}
	if ((rc = resolve(&commit, repo, rev, remote)))
		goto out;
	git_oid_tostr(out->commit, sizeof(out->commit), git_commit_id(commit));
	out->commit_time = (int64_t)git_commit_time(commit);
	out->has_commit = true;
	if (git_commit_tree(&tree, commit) != 0) {
		rc = git_fail(CCCTL_EINVAL, out->commit);
		goto out;
	}
	dfd = open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		rc = ccctl_err_errno(CCCTL_EFAIL, dest);
		goto out;
	}
	st.repo = repo;
	rc = export_tree(&st, tree, dfd, "", 0);
	out->nfiles = st.nfiles;
out:
	if (dfd >= 0)
		close(dfd);
	git_tree_free(tree);
	git_commit_free(commit);
	git_repository_free(repo);
	if (clone_dir) {
		/* keep the first error's message over a removal failure */
		char *msg = rc ? strdup(ccctl_err_msg()) : NULL;

		ccctl_gitsrc_rmtree(clone_dir);
		if (rc)
			ccctl_err_set(rc, "%s", msg ? msg : "out of memory");
		free(msg);
		free(clone_dir);
	}
	git_libgit2_shutdown();
	return rc;
}

int ccctl_gitsrc_status(struct ccctl_gitsrc *out, const char *dir)
{
	git_status_options sopts = GIT_STATUS_OPTIONS_INIT;
	git_repository *repo = NULL;
	git_status_list *list = NULL;
	git_commit *commit = NULL;
	git_oid oid;
	size_t i, n;
	int rc = 0, grc;

	ccctl_gitsrc_init(out);
	git_libgit2_init();
	grc = git_repository_open_ext(&repo, dir, 0, NULL);
	if (grc == GIT_ENOTFOUND)
		goto out; /* not in a repository: nothing to record */
	if (grc != 0) {
		rc = git_fail(CCCTL_EUNAVAIL, dir);
		goto out;
	}
	if (git_repository_is_bare(repo))
		goto out;
	if (git_reference_name_to_id(&oid, repo, "HEAD") != 0)
		goto out; /* no commit yet */
	if (git_commit_lookup(&commit, repo, &oid) != 0) {
		rc = git_fail(CCCTL_EINVAL, "HEAD");
		goto out;
	}
	git_oid_tostr(out->commit, sizeof(out->commit), &oid);
	out->commit_time = (int64_t)git_commit_time(commit);
	out->has_commit = true;
	sopts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	/* an untracked folder counts once: no need to walk it (it may be a big
	 * build folder) */
	sopts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo, &sopts) != 0) {
		rc = git_fail(CCCTL_EFAIL, dir);
		goto out;
	}
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d;
		const char *path;

		if (!e || e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED))
			continue;
		out->ndirty++;
		if (out->first_dirty)
			continue;
		d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		path = d ? (d->new_file.path ? d->new_file.path : d->old_file.path) : NULL;
		if (path && !(out->first_dirty = strdup(path))) {
			rc = ccctl_err_nomem();
			goto out;
		}
	}
	out->dirty = out->ndirty > 0;
out:
	git_status_list_free(list);
	git_commit_free(commit);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
