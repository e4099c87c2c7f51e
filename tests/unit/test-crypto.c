/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-crypto.c - hashing, certificate SPKI digests, key generation,
 * signatures, PEM loading and identities on disk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "lib/buf.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/identity.h"

/*
 * Independent vectors: certificates made with `openssl req -x509` and their
 * SPKI digests from `openssl x509 -pubkey | openssl pkey -pubin -outform DER
 * | sha256sum`.
 */
static const char p256_crt[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBeDCCAR+gAwIBAgIUWiFL12ygAKxJ6xBibJtFIQ4CEtAwCgYIKoZIzj0EAwIw\n"
	"ETEPMA0GA1UEAwwGdmVjdG9yMCAXDTI2MTEyNTE2NTYzOVoYDzIxMjYxMTAxMTY1\n"
	"NjM5WjARMQ8wDQYDVQQDDAZ2ZWN0b3IwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC\n"
	"AAR7CyW/2cgvCtswTFpMzFnNf4ULfeETY5ywJkgozv59k1HjPx8pQ38XgxBfwiap\n"
	"eReAgVB77S5sTA9+T/CMFhnBo1MwUTAdBgNVHQ4EFgQUS1lG9PBAvO6y1DL0W83N\n"
	"nMZYP9UwHwYDVR0jBBgwFoAUS1lG9PBAvO6y1DL0W83NnMZYP9UwDwYDVR0TAQH/\n"
	"BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBTj40HVjrklbMle2Ux6O0WhksPhuMm\n"
	"PPpbtd+wZzy3bwIgagGXZ7YrLrABE+0g+SbTvt2IbLXDaZrLHcu+ru24ZxE=\n"
	"-----END CERTIFICATE-----\n";
static const char p256_spki[] = "42bbeadd2025b5214b9ca584d4cef18b7c08c879b4a64a231a4caefa11ee448f";

static const char ed25519_crt[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBOjCB7aADAgECAhRjlRvAbW18bMK72rTg8sy3Drx62jAFBgMrZXAwEjEQMA4G\n"
	"A1UEAwwHdmVjdG9yMjAgFw0yNjExMjUxNjU2MzlaGA8yMTI2MTEwMTE2NTYzOVow\n"
	"EjEQMA4GA1UEAwwHdmVjdG9yMjAqMAUGAytlcAMhAFvyUwJP50+sK+tXvLVsPiEA\n"
	"LaIqZG2awpRKk9wiN9F7o1MwUTAdBgNVHQ4EFgQUVjMLsx7Xbm07vs/vmmIA1HO5\n"
	"QW8wHwYDVR0jBBgwFoAUVjMLsx7Xbm07vs/vmmIA1HO5QW8wDwYDVR0TAQH/BAUw\n"
	"AwEB/zAFBgMrZXADQQACOFDETZPlpfxqVes2jrveFlcBeLvsiYE/5V2pSC8H0WLX\n"
	"zyLwjArSSoB5e9qQy73/0Pz7YAWujOefUefHEhkF\n"
	"-----END CERTIFICATE-----\n";
static const char ed25519_spki[] =
	"d046e1536e40af539a9fed33d7713d7ea8c536e776f97b4d5ad2da8b09b63440";

/* P-384: a valid certificate of a key type ccctl does not accept. */
static const char p384_crt[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBrTCCATSgAwIBAgIUYMJikM5bZVGfyIKZa0JxyG3tnaIwCgYIKoZIzj0EAwIw\n"
	"DTELMAkGA1UEAwwCdjMwIBcNMjYxMTI1MTY1NjQxWhgPMjEyNjExMDExNjU2NDFa\n"
	"MA0xCzAJBgNVBAMMAnYzMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE0kFMdVKA22y+\n"
	"tJtrDn/5vpAXYH3MeHORCiCn5dBsBxCYvBhv22Qf2W6NOK/LnV6p4o+Qf3PvIR9b\n"
	"DJLS/QUhaWJORM8BJPmz79M3zdMtF6pNSb0Ux5CzdGQfJ/47sLgdo1MwUTAdBgNV\n"
	"HQ4EFgQUoN0kPYly0Plx4IQUA6Q1OauscDIwHwYDVR0jBBgwFoAUoN0kPYly0Plx\n"
	"4IQUA6Q1OauscDIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNnADBkAjA3\n"
	"vQ/pN+0+SmfRViV0uilX03YMsDigNo6gWEsRqMeG0RB5fsKL3PyQXxpsNPyTRnsC\n"
	"MF1T+N8KsQX1NxAsTRG1UHj5eq02HPV+DG8cM06Nk5N5+WKA9NB+nDjyt44LskyO\n"
	"Fg==\n"
	"-----END CERTIFICATE-----\n";

static void hex_of(char out[65], const uint8_t d[32])
{
	ccctl_hex_encode(out, d, 32);
}

static void test_sha256(void **state)
{
	uint8_t d[32];
	char hex[65];

	(void)state;
	ccctl_sha256(d, "abc", 3);
	hex_of(hex, d);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ccctl_sha256(d, "", 0);
	hex_of(hex, d);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* SPKI digests agree with `openssl pkey -pubin -outform DER | sha256sum`. */
static void test_cert_spki(void **state)
{
	uint8_t d[32];
	char hex[65];

	(void)state;
	assert_int_equal(ccctl_cert_spki_sha256(d, p256_crt, strlen(p256_crt)), 0);
	hex_of(hex, d);
	assert_string_equal(hex, p256_spki);
	assert_int_equal(ccctl_cert_spki_sha256(d, ed25519_crt, strlen(ed25519_crt)), 0);
	hex_of(hex, d);
	assert_string_equal(hex, ed25519_spki);
	assert_int_equal(ccctl_cert_spki_sha256(d, p384_crt, strlen(p384_crt)), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "unsupported key type"));
}

static void test_cert_rejects(void **state)
{
	char *two, *trail, *cut;
	size_t n = strlen(p256_crt);
	uint8_t d[32];

	(void)state;
	two = malloc(n + strlen(ed25519_crt) + 1);
	trail = malloc(n + 8);
	assert_non_null(two);
	assert_non_null(trail);
	memcpy(two, p256_crt, n);
	memcpy(two + n, ed25519_crt, strlen(ed25519_crt) + 1);
	memcpy(trail, p256_crt, n);
	memcpy(trail + n, "junk\n", 6);
	cut = strndup(p256_crt, n / 2);
	assert_non_null(cut);

	assert_int_equal(ccctl_cert_spki_sha256(d, "", 0), CCCTL_EINVAL);
	assert_int_equal(ccctl_cert_spki_sha256(d, "hello", 5), CCCTL_EINVAL);
	assert_int_equal(ccctl_cert_spki_sha256(d, cut, strlen(cut)), CCCTL_EINVAL);
	assert_int_equal(ccctl_cert_spki_sha256(d, two, strlen(two)), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "exactly one"));
	assert_int_equal(ccctl_cert_spki_sha256(d, trail, strlen(trail)), CCCTL_EINVAL);
	/* Trailing white space after the one certificate is fine. */
	memcpy(trail + n, "\n \r\n", 5);
	assert_int_equal(ccctl_cert_spki_sha256(d, trail, strlen(trail)), 0);
	free(two);
	free(trail);
	free(cut);
}

static void test_key_type_names(void **state)
{
	enum ccctl_key_type t;

	(void)state;
	assert_int_equal(ccctl_key_type_parse(&t, "p256"), 0);
	assert_int_equal(t, CCCTL_KEY_P256);
	assert_int_equal(ccctl_key_type_parse(&t, "ed25519"), 0);
	assert_int_equal(t, CCCTL_KEY_ED25519);
	assert_string_equal(ccctl_key_type_name(CCCTL_KEY_ED25519), "ed25519");
	assert_int_equal(ccctl_key_type_parse(&t, "rsa"), CCCTL_EINVAL);
	assert_int_equal(ccctl_key_type_parse(&t, "P256"), CCCTL_EINVAL);
}

/* Generate, sign, verify; wrong key, tampered message and mangled
 * signatures fail. */
static void roundtrip(enum ccctl_key_type type)
{
	struct ccctl_key *k = NULL, *other = NULL;
	struct ccctl_pubkey *pk = NULL, *opk = NULL;
	struct ccctl_buf sig;
	uint8_t d[32];
	const char *cert;

	ccctl_buf_init(&sig);
	assert_int_equal(ccctl_key_generate(&k, type, "alice", 30), 0);
	assert_int_equal(ccctl_key_generate(&other, type, "alice", 30), 0);
	assert_int_equal(ccctl_key_type(k), type);
	cert = ccctl_key_cert_pem(k);
	assert_non_null(strstr(cert, "-----BEGIN CERTIFICATE-----"));
	assert_int_equal(ccctl_cert_spki_sha256(d, cert, strlen(cert)), 0);
	assert_memory_equal(d, ccctl_key_spki_sha256(k), 32);
	assert_memory_not_equal(ccctl_key_spki_sha256(other), ccctl_key_spki_sha256(k), 32);

	assert_int_equal(ccctl_pubkey_from_cert(&pk, cert, strlen(cert)), 0);
	assert_int_equal(ccctl_pubkey_type(pk), type);
	assert_memory_equal(ccctl_pubkey_spki_sha256(pk), d, 32);
	cert = ccctl_key_cert_pem(other);
	assert_int_equal(ccctl_pubkey_from_cert(&opk, cert, strlen(cert)), 0);

	assert_int_equal(ccctl_key_sign(k, &sig, "message", 7), 0);
	assert_true(sig.len > 0 && sig.len <= CCCTL_SIG_MAX);
	if (type == CCCTL_KEY_ED25519)
		assert_int_equal(sig.len, 64);
	else
		assert_int_equal(sig.data[0], 0x30); /* DER SEQUENCE */
	assert_int_equal(ccctl_pubkey_verify(pk, "message", 7, sig.data, sig.len), 0);
	assert_int_equal(ccctl_pubkey_verify(opk, "message", 7, sig.data, sig.len), CCCTL_EVERIFY);
	assert_int_equal(ccctl_pubkey_verify(pk, "messagf", 7, sig.data, sig.len), CCCTL_EVERIFY);
	assert_int_equal(ccctl_pubkey_verify(pk, "message", 6, sig.data, sig.len), CCCTL_EVERIFY);
	assert_int_equal(ccctl_pubkey_verify(pk, "message", 7, sig.data, sig.len - 1),
			 CCCTL_EVERIFY);
	assert_int_equal(ccctl_pubkey_verify(pk, "message", 7, sig.data, 0), CCCTL_EVERIFY);
	sig.data[sig.len - 1] ^= 1;
	assert_int_equal(ccctl_pubkey_verify(pk, "message", 7, sig.data, sig.len), CCCTL_EVERIFY);
	sig.data[sig.len - 1] ^= 1;
	/* Trailing bytes after a valid signature are not accepted. */
	assert_int_equal(ccctl_buf_append_byte(&sig, 0), 0);
	assert_int_equal(ccctl_pubkey_verify(pk, "message", 7, sig.data, sig.len), CCCTL_EVERIFY);

	ccctl_buf_release(&sig);
	ccctl_pubkey_free(pk);
	ccctl_pubkey_free(opk);
	ccctl_key_free(k);
	ccctl_key_free(other);
}

static void test_p256(void **state)
{
	(void)state;
	roundtrip(CCCTL_KEY_P256);
}

static void test_ed25519(void **state)
{
	(void)state;
	roundtrip(CCCTL_KEY_ED25519);
}

static void test_generate_rejects(void **state)
{
	struct ccctl_key *k = NULL;

	(void)state;
	assert_int_equal(ccctl_key_generate(&k, CCCTL_KEY_P256, "a", 0), CCCTL_EINVAL);
	assert_int_equal(ccctl_key_generate(&k, CCCTL_KEY_P256, "a", 36501), CCCTL_EINVAL);
	assert_int_equal(ccctl_key_generate(&k, (enum ccctl_key_type)7, "a", 1), CCCTL_EINVAL);
	assert_null(k);
}

/* PEM out and back in; a key must match its certificate; encrypted keys
 * fail without prompting. */
static void test_key_pem(void **state)
{
	struct ccctl_key *k = NULL, *k2 = NULL, *back = NULL;
	struct ccctl_buf pem, enc;
	const char *cert;
	EVP_PKEY *pkey = NULL;
	BIO *bio;
	char *data;
	long n;

	(void)state;
	ccctl_buf_init(&pem);
	ccctl_buf_init(&enc);
	assert_int_equal(ccctl_key_generate(&k, CCCTL_KEY_ED25519, "bob", 1), 0);
	assert_int_equal(ccctl_key_generate(&k2, CCCTL_KEY_P256, "bob", 1), 0);
	assert_int_equal(ccctl_key_write_pem(&pem, k), 0);
	assert_non_null(strstr((char *)pem.data, "-----BEGIN PRIVATE KEY-----"));
	cert = ccctl_key_cert_pem(k);
	assert_int_equal(ccctl_key_from_pem(&back, (char *)pem.data, pem.len, cert, strlen(cert)),
			 0);
	assert_memory_equal(ccctl_key_spki_sha256(back), ccctl_key_spki_sha256(k), 32);
	ccctl_key_free(back);
	back = NULL;

	/* Key of one identity, certificate of another. */
	cert = ccctl_key_cert_pem(k2);
	assert_int_equal(ccctl_key_from_pem(&back, (char *)pem.data, pem.len, cert, strlen(cert)),
			 CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "does not match"));
	assert_int_equal(ccctl_key_from_pem(&back, "junk", 4, cert, strlen(cert)), CCCTL_EINVAL);
	assert_null(back);

	/* The same key encrypted with a passphrase. */
	bio = BIO_new_mem_buf(pem.data, (int)pem.len);
	pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(pkey);
	bio = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, pkey, EVP_aes_128_cbc(), "pw", 2,
						       NULL, NULL),
			 1);
	n = BIO_get_mem_data(bio, &data);
	assert_int_equal(ccctl_buf_append(&enc, data, (size_t)n), 0);
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	cert = ccctl_key_cert_pem(k);
	assert_int_equal(ccctl_key_from_pem(&back, (char *)enc.data, enc.len, cert, strlen(cert)),
			 CCCTL_EINVAL);
	assert_null(back);

	ccctl_buf_release_secure(&pem);
	ccctl_buf_release(&enc);
	ccctl_key_free(k);
	ccctl_key_free(k2);
}

static void test_identity_names(void **state)
{
	static const char *const good[] = { "a", "alice", "bob-2", "c_d", "z0123456789",
					    "abcdefghijklmnopqrstuvwxyz012345" };
	static const char *const bad[] = { "", "Alice", "1bob", "-x", "_x", "a.b", "a/b",
					   "a b", "caf\xc3\xa9",
					   "abcdefghijklmnopqrstuvwxyz0123456" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(ccctl_identity_check_name(good[i]), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ccctl_identity_check_name(bad[i]), CCCTL_EINVAL);
}

static void test_identity_files(void **state)
{
	char tmpl[] = "/tmp/ccctl-test-crypto.XXXXXX", *dir, path[256], *kp = NULL, *cp = NULL;
	struct ccctl_key *k = NULL, *back = NULL;
	struct stat st;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/ids", dir);
	assert_int_equal(ccctl_identity_create(&k, &kp, &cp, path, "alice", CCCTL_KEY_P256, 10),
			 0);
	snprintf(path, sizeof(path), "%s/ids/alice.key", dir);
	assert_string_equal(kp, path);
	assert_int_equal(stat(kp, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(cp, &st), 0);
	snprintf(path, sizeof(path), "%s/ids", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);

	/* Never overwritten, neither key nor certificate. */
	assert_int_equal(ccctl_identity_create(NULL, NULL, NULL, path, "alice", CCCTL_KEY_P256, 1),
			 CCCTL_EFAIL);
	assert_non_null(strstr(ccctl_err_msg(), "already exists"));
	assert_int_equal(ccctl_identity_create(NULL, NULL, NULL, path, "Alice", CCCTL_KEY_P256, 1),
			 CCCTL_EINVAL);

	/* Load by path prefix, and by name from CCCTL_IDENTITY_DIR. */
	snprintf(path, sizeof(path), "%s/ids/alice", dir);
	assert_int_equal(ccctl_identity_load(&back, path), 0);
	assert_memory_equal(ccctl_key_spki_sha256(back), ccctl_key_spki_sha256(k), 32);
	ccctl_key_free(back);
	back = NULL;
	snprintf(path, sizeof(path), "%s/ids", dir);
	setenv("CCCTL_IDENTITY_DIR", path, 1);
	assert_int_equal(ccctl_identity_load(&back, "alice"), 0);
	ccctl_key_free(back);
	back = NULL;
	assert_int_equal(ccctl_identity_load(&back, "nobody"), CCCTL_EFAIL);
	assert_non_null(strstr(ccctl_err_msg(), "identity \"nobody\""));
	unsetenv("CCCTL_IDENTITY_DIR");
	assert_int_equal(ccctl_identity_load(&back, ""), CCCTL_EINVAL);

	/* A key others may read is refused. */
	assert_int_equal(chmod(kp, 0644), 0);
	snprintf(path, sizeof(path), "%s/ids/alice", dir);
	assert_int_equal(ccctl_identity_load(&back, path), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "0644"));
	assert_null(back);

	unlink(kp);
	unlink(cp);
	snprintf(path, sizeof(path), "%s/ids", dir);
	rmdir(path);
	rmdir(dir);
	free(kp);
	free(cp);
	ccctl_key_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_cert_spki),
		cmocka_unit_test(test_cert_rejects),
		cmocka_unit_test(test_key_type_names),
		cmocka_unit_test(test_p256),
		cmocka_unit_test(test_ed25519),
		cmocka_unit_test(test_generate_rejects),
		cmocka_unit_test(test_key_pem),
		cmocka_unit_test(test_identity_names),
		cmocka_unit_test(test_identity_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
