/* SPDX-License-Identifier: Apache-2.0 */
/*
 * measure.c - PCR extend, file digests and measurements.json (measure.h).
 */
#include "measure.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "err.h"

#define READ_CHUNK (1u << 20)

int ccctl_measure_pcr_extend(uint8_t out[CCCTL_SHA384_LEN], const uint8_t *prev, const void *data,
			     size_t len)
{
	static const uint8_t zero[CCCTL_SHA384_LEN];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n;
	int ret = CCCTL_EFAIL;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha384(), NULL) ||
	    !EVP_DigestUpdate(ctx, prev ? prev : zero, CCCTL_SHA384_LEN) ||
	    !EVP_DigestUpdate(ctx, data, len) || !EVP_DigestFinal_ex(ctx, out, &n)) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "pcr extend");
		goto out;
	}
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int ccctl_measure_file_sha256(uint8_t out[CCCTL_SHA256_LEN], const char *path)
{
	EVP_MD_CTX *ctx = NULL;
	uint8_t *chunk = NULL;
	unsigned int n;
	int fd, ret = CCCTL_EFAIL;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ccctl_err_set(CCCTL_EFAIL, "cannot open \"%s\": %s", path, strerror(errno));
	chunk = malloc(READ_CHUNK);
	ctx = EVP_MD_CTX_new();
	if (!chunk || !ctx) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (!EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "sha-256");
		goto out;
	}
	for (;;) {
		ssize_t got = read(fd, chunk, READ_CHUNK);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ret = ccctl_err_set(CCCTL_EFAIL, "cannot read \"%s\": %s", path,
					    strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		if (!EVP_DigestUpdate(ctx, chunk, (size_t)got)) {
			ret = ccctl_err_openssl(CCCTL_EFAIL, "sha-256");
			goto out;
		}
	}
	if (!EVP_DigestFinal_ex(ctx, out, &n)) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "sha-256");
		goto out;
	}
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	free(chunk);
	close(fd);
	return ret;
}

/* ---- measurements.json -------------------------------------------------- */

static const char *const pcr_keys[3] = {"pcr0", "pcr1", "pcr2"};

static const uint8_t *pcr_value(const struct ccctl_eif_pcrs *p, int i)
{
	return i == 0 ? p->pcr0 : i == 1 ? p->pcr1 : p->pcr2;
}

static int set_hex(struct ccctl_json *obj, const char *key, const uint8_t *v, size_t len)
{
	char hex[2 * CCCTL_SHA384_LEN + 1];

	ccctl_hex_encode(hex, v, len);
	return ccctl_json_object_set_string(obj, key, hex);
}

int ccctl_measure_to_json(struct ccctl_json **out, const struct ccctl_measurements *m)
{
	struct ccctl_json *doc = ccctl_json_new_object(), *sub = NULL;
	int ret = CCCTL_EFAIL;

	*out = NULL;
	if (!doc)
		goto nomem;
	if (m->has_sim) {
		if (!(sub = ccctl_json_new_object()))
			goto nomem;
		if ((ret = set_hex(sub, "sha256", m->sim_sha256, CCCTL_SHA256_LEN)))
			goto out;
		ret = ccctl_json_object_set(doc, "sim", sub);
		sub = NULL;
		if (ret)
			goto out;
	}
	if (m->has_nitro) {
		if (!(sub = ccctl_json_new_object()))
			goto nomem;
		for (int i = 0; i < 3; i++)
			if ((ret = set_hex(sub, pcr_keys[i], pcr_value(&m->nitro, i),
					   CCCTL_SHA384_LEN)))
				goto out;
		ret = ccctl_json_object_set(doc, "nitro", sub);
		sub = NULL;
		if (ret)
			goto out;
	}
	*out = doc;
	doc = NULL;
	ret = 0;
	goto out;
nomem:
	ret = ccctl_err_nomem();
out:
	ccctl_json_free(sub);
	ccctl_json_free(doc);
	return ret;
}

int ccctl_measure_write(struct ccctl_buf *out, const struct ccctl_measurements *m)
{
	struct ccctl_json *doc = NULL;
	int ret;

	if ((ret = ccctl_measure_to_json(&doc, m)) || (ret = ccctl_json_write_canonical(out, doc)))
		goto out;
	ret = ccctl_buf_append_byte(out, '\n');
out:
	ccctl_json_free(doc);
	return ret;
}

/* Lowercase hex of exactly len bytes from member key of obj (named backend). */
static int get_hex(uint8_t *out, size_t len, const struct ccctl_json *obj, const char *backend,
		   const char *key)
{
	const struct ccctl_json *v = ccctl_json_get(obj, key);

	if (!v)
		return ccctl_err_set(CCCTL_EINVAL, "measurements: \"%s.%s\" is missing", backend,
				     key);
	if (v->type != CCCTL_JSON_STRING)
		return ccctl_err_set(CCCTL_EINVAL,
				     "measurements: \"%s.%s\": expected a string, "
				     "found %s",
				     backend, key, ccctl_json_type_name(v->type));
	if (v->u.str.len != 2 * len || strspn(v->u.str.s, "0123456789abcdef") != 2 * len)
		return ccctl_err_set(CCCTL_EINVAL,
				     "measurements: \"%s.%s\": expected %zu lowercase "
				     "hex digits, found \"%.*s\"",
				     backend, key, 2 * len,
				     v->u.str.len > 128 ? 128 : (int)v->u.str.len, v->u.str.s);
	return ccctl_hex_decode(out, len, v->u.str.s, v->u.str.len);
}

/* Every member of obj must be one of keys[0..n). */
static int only_keys(const struct ccctl_json *obj, const char *what, const char *const *keys,
		     size_t n)
{
	for (size_t i = 0; i < obj->u.obj.n; i++) {
		size_t k = 0;

		while (k < n && strcmp(obj->u.obj.members[i].key, keys[k]) != 0)
			k++;
		if (k == n)
			return ccctl_err_set(CCCTL_EINVAL,
					     "measurements: unknown member \"%s\" in %s",
					     obj->u.obj.members[i].key, what);
	}
	return 0;
}

static int backend_object(const struct ccctl_json **out, const struct ccctl_json *doc,
			  const char *name)
{
	const struct ccctl_json *v = ccctl_json_get(doc, name);

	*out = v;
	if (v && v->type != CCCTL_JSON_OBJECT)
		return ccctl_err_set(CCCTL_EINVAL,
				     "measurements: \"%s\": expected an object, "
				     "found %s",
				     name, ccctl_json_type_name(v->type));
	return 0;
}

int ccctl_measure_parse(struct ccctl_measurements *out, const void *data, size_t len)
{
	static const char *const backends[] = {"nitro", "sim"};
	static const char *const sim_keys[] = {"sha256"};
	struct ccctl_json *doc = NULL;
	const struct ccctl_json *sim, *nitro;
	const char *p = data;
	int ret;

	memset(out, 0, sizeof(*out));
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' ||
			   p[len - 1] == '\n'))
		len--;
	if ((ret = ccctl_json_parse(&doc, data, len)))
		goto out;
	if (doc->type != CCCTL_JSON_OBJECT) {
		ret = ccctl_err_set(CCCTL_EINVAL, "measurements: expected an object, found %s",
				    ccctl_json_type_name(doc->type));
		goto out;
	}
	if ((ret = only_keys(doc, "the top level", backends, 2)) ||
	    (ret = backend_object(&sim, doc, "sim")) ||
	    (ret = backend_object(&nitro, doc, "nitro")))
		goto out;
	if (sim) {
		if ((ret = only_keys(sim, "\"sim\"", sim_keys, 1)) ||
		    (ret = get_hex(out->sim_sha256, CCCTL_SHA256_LEN, sim, "sim", "sha256")))
			goto out;
		out->has_sim = true;
	}
	if (nitro) {
		uint8_t *dst[3] = {out->nitro.pcr0, out->nitro.pcr1, out->nitro.pcr2};

		if ((ret = only_keys(nitro, "\"nitro\"", pcr_keys, 3)))
			goto out;
		for (int i = 0; i < 3; i++)
			if ((ret = get_hex(dst[i], CCCTL_SHA384_LEN, nitro, "nitro", pcr_keys[i])))
				goto out;
		out->has_nitro = true;
	}
	if (!out->has_sim && !out->has_nitro)
		ret = ccctl_err_set(CCCTL_EINVAL, "measurements: no backend (expected \"sim\" or "
						  "\"nitro\")");
out:
	ccctl_json_free(doc);
	return ret;
}

int ccctl_measure_read_file(struct ccctl_measurements *out, const char *path)
{
	struct ccctl_buf b;
	int ret;

	ccctl_buf_init(&b);
	if (!(ret = ccctl_file_read(&b, path, CCCTL_MEASURE_MAX_FILE)))
		ret = ccctl_measure_parse(out, b.data, b.len);
	ccctl_buf_release(&b);
	return ret;
}

static int mismatch(const char *backend, const char *key, const uint8_t *want, const uint8_t *got,
		    size_t len)
{
	char w[2 * CCCTL_SHA384_LEN + 1], g[2 * CCCTL_SHA384_LEN + 1];

	if (ccctl_ct_equal(want, got, len))
		return 0;
	ccctl_hex_encode(w, want, len);
	ccctl_hex_encode(g, got, len);
	return ccctl_err_set(CCCTL_EVERIFY, "measurement mismatch: %s %s: expected %s, found %s",
			     backend, key, w, g);
}

int ccctl_measure_compare(const struct ccctl_measurements *expected,
			  const struct ccctl_measurements *found)
{
	int ret;

	if (expected->has_sim) {
		if (!found->has_sim)
			return ccctl_err_set(CCCTL_EVERIFY, "measurement mismatch: sim: expected a "
							    "measurement, found none");
		if ((ret = mismatch("sim", "sha256", expected->sim_sha256, found->sim_sha256,
				    CCCTL_SHA256_LEN)))
			return ret;
	}
	if (expected->has_nitro) {
		if (!found->has_nitro)
			return ccctl_err_set(CCCTL_EVERIFY, "measurement mismatch: nitro: expected "
							    "measurements, found none");
		for (int i = 0; i < 3; i++)
			if ((ret = mismatch("nitro", pcr_keys[i], pcr_value(&expected->nitro, i),
					    pcr_value(&found->nitro, i), CCCTL_SHA384_LEN)))
				return ret;
	}
	return 0;
}

int ccctl_measure_nitro_cli_json(struct ccctl_json **out, const struct ccctl_eif_pcrs *pcrs)
{
	static const char *const names[3] = {"PCR0", "PCR1", "PCR2"};
	struct ccctl_json *doc = ccctl_json_new_object(), *m = ccctl_json_new_object();
	int ret;

	*out = NULL;
	if (!doc || !m) {
		ret = ccctl_err_nomem();
		goto out;
	}
	/* nitro-cli prints its hasher's Rust Debug form here. */
	if ((ret = ccctl_json_object_set_string(m, "HashAlgorithm", "Sha384 { ... }")))
		goto out;
	for (int i = 0; i < 3; i++)
		if ((ret = set_hex(m, names[i], pcr_value(pcrs, i), CCCTL_SHA384_LEN)))
			goto out;
	ret = ccctl_json_object_set(doc, "Measurements", m);
	m = NULL;
	if (ret)
		goto out;
	*out = doc;
	doc = NULL;
out:
	ccctl_json_free(m);
	ccctl_json_free(doc);
	return ret;
}
