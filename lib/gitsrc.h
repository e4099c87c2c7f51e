/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gitsrc.h - the sources of a reproducible build, taken from git with
 * libgit2 (host only: lib/libccctl.a).
 *
 * ccctl_gitsrc_export() resolves a revision of a repository and writes the
 * tree of that commit -- and nothing else: no untracked file, no local
 * edit, no .git folder -- into a private folder.  ccctl_gitsrc_status()
 * describes a work tree that is built as it is (--source DIR): the commit
 * it is at and whether it differs from it.
 *
 * Temporary folders are made with ccctl_gitsrc_tmpdir() (mkdtemp, mode
 * 0700) and removed with ccctl_gitsrc_rmtree().
 */
#ifndef CCCTL_GITSRC_H
#define CCCTL_GITSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds on an exported tree (a hostile repository cannot fill the disk). */
#define CCCTL_GITSRC_MAX_FILES 100000
#define CCCTL_GITSRC_MAX_BYTES (1024ull * 1024 * 1024)
#define CCCTL_GITSRC_MAX_DEPTH 64

/* What a source is (embedded: _init / _release). */
struct ccctl_gitsrc {
	bool has_commit;     /* commit and commit_time are valid */
	char commit[41];     /* full lowercase hex id */
	int64_t commit_time; /* committer time, seconds since the epoch */
	bool dirty;	     /* status only: the work tree differs from commit */
	size_t ndirty;	     /* status only: how many paths differ */
	char *first_dirty;   /* status only: one of them (owned), for messages */
	size_t nfiles;	     /* export only: files and symlinks written */
};

void ccctl_gitsrc_init(struct ccctl_gitsrc *s);
void ccctl_gitsrc_release(struct ccctl_gitsrc *s);

/*
 * Export revision rev (anything git rev-parse accepts and that names a
 * commit: a full or abbreviated id, a branch, a tag; "HEAD" when NULL) of
 * the repository at url into dest, an existing empty folder.  url is a
 * local path or file://PATH (opened in place, nothing copied) or a URL
 * libgit2 can clone (https://, ssh://, git://, host:path: cloned bare into a
 * private temporary folder that is removed afterwards; a branch is then
 * also looked up as origin/<rev>).
 * Files keep git's modes (0644 or 0755), symlinks stay symlinks; entry
 * names that could escape dest ("..", ".git", anything with '/') and
 * submodules are refused.  CCCTL_EINVAL for a revision that does not
 * resolve to a commit or an unsafe tree, CCCTL_EUNAVAIL when the
 * repository cannot be opened or cloned, CCCTL_EFAIL for local I/O.
 */
int ccctl_gitsrc_export(struct ccctl_gitsrc *out, const char *url, const char *rev,
			const char *dest);

/*
 * Describe the work tree dir: if it is inside a git repository with a HEAD
 * commit, out->has_commit is set, and out->dirty says whether any tracked
 * file differs from it (index or work tree) or an untracked, not ignored
 * file exists.  A folder outside any repository is not an error
 * (has_commit false).
 */
int ccctl_gitsrc_status(struct ccctl_gitsrc *out, const char *dir);

/* Make a private temporary folder $TMPDIR/ccctl-<tag>.XXXXXX (mode 0700);
 * *out is its path (caller frees). */
int ccctl_gitsrc_tmpdir(char **out, const char *tag);

/* Remove dir and everything below it, never following symlinks.  Returns 0,
 * or CCCTL_EFAIL naming the first entry that could not be removed. */
int ccctl_gitsrc_rmtree(const char *dir);

#endif
