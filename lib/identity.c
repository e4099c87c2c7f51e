/* SPDX-License-Identifier: Apache-2.0 */
/*
 * identity.c - identities on disk: NAME.key + NAME.crt.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "err.h"
#include "identity.h"

int ccctl_identity_check_name(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > CCCTL_IDENTITY_NAME_MAX)
		return ccctl_err_set(CCCTL_EINVAL,
				     "identity name \"%s\": expected 1..%d characters, found %zu",
				     name, CCCTL_IDENTITY_NAME_MAX, len);
	if (name[0] < 'a' || name[0] > 'z')
		return ccctl_err_set(CCCTL_EINVAL,
				     "identity name \"%s\": expected a lowercase letter first", name);
	for (i = 1; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return ccctl_err_set(CCCTL_EINVAL,
					     "identity name \"%s\": unexpected character at %zu, "
					     "expected [a-z0-9_-]", name, i + 1);
	}
	return 0;
}

/* "<prefix><ext>" or "<dir>/<name><ext>" into a fresh string. */
static int make_path(char **out, const char *dir, const char *name, const char *ext)
{
	struct ccctl_buf b;
	size_t dlen = dir ? strlen(dir) : 0;
	int ret;

	ccctl_buf_init(&b);
	if (dir)
		ret = ccctl_buf_printf(&b, "%s%s%s%s", dir,
				       dlen && dir[dlen - 1] == '/' ? "" : "/", name, ext);
	else
		ret = ccctl_buf_printf(&b, "%s%s", name, ext);
	if (ret < 0) {
		ccctl_buf_release(&b);
		return ret;
	}
	*out = ccctl_buf_steal(&b, NULL);
	return 0;
}

static int refuse_existing(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return ccctl_err_set(CCCTL_EFAIL, "\"%s\" already exists: refusing to overwrite it",
				     path);
	if (errno != ENOENT)
		return ccctl_err_set(CCCTL_EFAIL, "cannot stat \"%s\": %s", path, strerror(errno));
	return 0;
}

/*
 * Write a new file at path that must not exist yet: the data goes to a
 * unique sibling name first (written atomically with its final mode, see
 * ccctl_file_write_atomic), which is then hard-linked to path.  link()
 * fails if path exists, so an existing file is never replaced, not even by
 * a concurrent writer, and no one sees a partial file.
 */
static int create_new_file(const char *path, const void *data, size_t len, unsigned mode)
{
	uint8_t rnd[8];
	char hex[2 * sizeof(rnd) + 1];
	struct ccctl_buf tmp;
	int ret;

	ccctl_buf_init(&tmp);
	if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "random bytes");
		goto out;
	}
	ccctl_hex_encode(hex, rnd, sizeof(rnd));
	ret = ccctl_buf_printf(&tmp, "%s.new-%s", path, hex);
	if (ret < 0)
		goto out;
	ret = ccctl_file_write_atomic((char *)tmp.data, data, len, mode);
	if (ret < 0)
		goto out;
	if (link((char *)tmp.data, path) < 0) {
		if (errno == EEXIST)
			ret = ccctl_err_set(CCCTL_EFAIL,
					    "\"%s\" already exists: refusing to overwrite it", path);
		else
			ret = ccctl_err_set(CCCTL_EFAIL, "cannot create \"%s\": %s", path,
					    strerror(errno));
	}
	unlink((char *)tmp.data);
out:
	ccctl_buf_release(&tmp);
	return ret;
}

int ccctl_identity_create(struct ccctl_key **out, char **key_path, char **cert_path,
			  const char *dir, const char *name, enum ccctl_key_type type,
			  unsigned days)
{
	struct ccctl_key *k = NULL;
	struct ccctl_buf pem;
	char *kpath = NULL, *cpath = NULL;
	const char *cert;
	int ret;

	ccctl_buf_init(&pem);
	ret = ccctl_identity_check_name(name);
	if (ret)
		goto out;
	if ((ret = make_path(&kpath, dir, name, ".key")) ||
	    (ret = make_path(&cpath, dir, name, ".crt")))
		goto out;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot create folder \"%s\": %s", dir,
				    strerror(errno));
		goto out;
	}
	/* Fail early, before generating anything; create_new_file() is what
	 * guarantees nothing is overwritten. */
	if ((ret = refuse_existing(kpath)) || (ret = refuse_existing(cpath)))
		goto out;
	ret = ccctl_key_generate(&k, type, name, days);
	if (ret)
		goto out;
	ret = ccctl_key_write_pem(&pem, k);
	if (ret)
		goto out;
	ret = create_new_file(kpath, pem.data, pem.len, 0600);
	if (ret)
		goto out;
	cert = ccctl_key_cert_pem(k);
	ret = create_new_file(cpath, cert, strlen(cert), 0644);
	if (ret) {
		unlink(kpath); /* ours: created just above */
		goto out;
	}
	if (key_path) {
		*key_path = kpath;
		kpath = NULL;
	}
	if (cert_path) {
		*cert_path = cpath;
		cpath = NULL;
	}
	if (out) {
		*out = k;
		k = NULL;
	}
out:
	ccctl_buf_release_secure(&pem);
	ccctl_key_free(k);
	free(kpath);
	free(cpath);
	return ret;
}

int ccctl_identity_load(struct ccctl_key **out, const char *id)
{
	const char *dir = getenv("CCCTL_IDENTITY_DIR");
	struct ccctl_buf key, cert;
	char *kpath = NULL, *cpath = NULL;
	struct stat st;
	int ret;

	*out = NULL;
	ccctl_buf_init(&key);
	ccctl_buf_init(&cert);
	if (*id == '\0') {
		ret = ccctl_err_set(CCCTL_EINVAL, "expected a name or path prefix");
		goto out;
	}
	if (strchr(id, '/') || !dir || !*dir)
		dir = NULL;
	if ((ret = make_path(&kpath, dir, id, ".key")) ||
	    (ret = make_path(&cpath, dir, id, ".crt")))
		goto out;
	if (stat(kpath, &st) < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot open \"%s\": %s", kpath, strerror(errno));
		goto out;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & 077)) {
		ret = ccctl_err_set(CCCTL_EINVAL,
				    "private key \"%s\" is accessible by others: mode %04o, "
				    "expected 0600", kpath, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	/* Reserve all the room up front so the key is never copied by a
	 * reallocation (the copy would not be wiped). */
	ret = ccctl_buf_reserve(&key, CCCTL_PEM_MAX + 8192);
	if (ret)
		goto out;
	if ((ret = ccctl_file_read(&key, kpath, CCCTL_PEM_MAX)) ||
	    (ret = ccctl_file_read(&cert, cpath, CCCTL_PEM_MAX)) ||
	    (ret = ccctl_key_from_pem(out, (const char *)key.data, key.len,
				      (const char *)cert.data, cert.len)))
		goto out;
out:
	if (ret < 0) /* every message names the identity */
		ret = ccctl_err_set(ret, "identity \"%s\": %s", id, ccctl_err_msg());
	ccctl_buf_release_secure(&key);
	ccctl_buf_release(&cert);
	free(kpath);
	free(cpath);
	return ret;
}
