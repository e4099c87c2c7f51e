# Helpers for the image build tests (sourced after lib.sh).
#
# mkrepo DIR: a git repository in DIR holding the files of the current
# source tree (`git ls-files` of $top_srcdir, copied from the work tree),
# committed with a fixed author and date; prints nothing.  Skips the test
# when the source tree is not a git checkout or git is missing.
"$CCCTL" image build -h >/dev/null 2>&1 || skip "this ccctl has no 'image build'"
command -v git >/dev/null 2>&1 || skip "git not found"
# A tarball unpacked inside some other checkout (make distcheck) is no
# checkout of ccctl: git must track this tree's own files.
[ -n "$(git -C "$top_srcdir" ls-files configure.ac 2>/dev/null)" ] ||
	skip "the source tree is not a git checkout (git ls-files needed)"

export GIT_AUTHOR_NAME=ccctl-test GIT_AUTHOR_EMAIL=test@ccctl.invalid
export GIT_COMMITTER_NAME=ccctl-test GIT_COMMITTER_EMAIL=test@ccctl.invalid
export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
export GIT_CONFIG_NOSYSTEM=1 HOME="$T"
# work folders of ccctl go under $T (removed with it; checked for leftovers)
export TMPDIR="$T"

mkrepo() {
	mkdir -p "$1" &&
		(cd "$top_srcdir" && git ls-files -z | xargs -0 cp -P --parents -t "$1") &&
		git -C "$1" init -q -b main &&
		git -C "$1" add -A &&
		git -C "$1" commit -q -m "test tree" ||
		{ fail "could not make a test repository in $1"; finish; }
}

# commit_change DIR DATE: a one-line change to runtime/main.c, committed.
commit_change() {
	echo 'const char rt_imgbuild_test_marker[] = "changed";' >>"$1/runtime/main.c" &&
		GIT_AUTHOR_DATE=$2 GIT_COMMITTER_DATE=$2 git -C "$1" commit -q -a -m "change" ||
		{ fail "could not commit a change in $1"; finish; }
}

# json_str FILE KEY: the first string value of "KEY" in a JSON file.
json_str() {
	sed -n "s/.*\"$2\": *\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}
