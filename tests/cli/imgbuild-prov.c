/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imgbuild-prov.c - unit tests of lib/provenance (statement shape, strict
 * parsing, DSSE signing) and of the folder helpers of lib/gitsrc (status
 * outside a repository, removal that never follows symlinks).
 */
#include "config.h"

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

#include "lib/buf.h"
#include "lib/crypto.h"
#include "lib/dsse.h"
#include "lib/err.h"
#include "lib/gitsrc.h"
#include "lib/provenance.h"

#define HEX_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* A statement with one subject ("img", all 0xaa), a git source and one
 * byproduct ("obj/x.o", digest of "x"), canonical bytes in out. */
static void make_statement(struct ccctl_buf *out)
{
	struct ccctl_prov_subject subj = {.name = "img"};
	struct ccctl_provenance p;
	struct ccctl_json *st = NULL;
	uint8_t d[CCCTL_SHA256_LEN];
	char hex[2 * CCCTL_SHA256_LEN + 1];

	memset(subj.sha256, 0xaa, sizeof(subj.sha256));
	ccctl_provenance_init(&p);
	p.subjects = &subj;
	p.nsubjects = 1;
	p.build_type = "urn:test:build";
	p.builder_id = "urn:test:builder";
	p.external = ccctl_json_new_object();
	assert_non_null(p.external);
	assert_int_equal(ccctl_json_object_set_string(p.external, "backend", "sim"), 0);
	assert_int_equal(ccctl_provenance_add(&p.dependencies, "source", "git+file:///r@HEAD",
					      "gitCommit",
					      "0123456789abcdef0123456789abcdef01234567", NULL),
			 0);
	ccctl_sha256(d, "x", 1);
	ccctl_hex_encode(hex, d, sizeof(d));
	assert_int_equal(ccctl_provenance_add(&p.byproducts, "obj/x.o", NULL, "sha256", hex, NULL),
			 0);
	assert_int_equal(ccctl_provenance_statement(&st, &p), 0);
	/* the parts moved into the statement */
	assert_null(p.external);
	assert_null(p.dependencies);
	assert_null(p.byproducts);
	assert_int_equal(ccctl_provenance_write(out, st), 0);
	ccctl_json_free(st);
	ccctl_provenance_release(&p);
}

static void test_statement(void **state)
{
	struct ccctl_buf b;
	struct ccctl_json *st = NULL;
	char hex[2 * CCCTL_SHA256_LEN + 1];
	uint8_t d[CCCTL_SHA256_LEN];

	ccctl_buf_init(&b);
	make_statement(&b);
	/* canonical: sorted members, one line, a final newline */
	assert_true(b.len > 0 && b.data[b.len - 1] == '\n');
	assert_non_null(strstr((char *)b.data,
			       "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{"
			       "\"buildDefinition\":{\"buildType\":\"urn:test:build\","));
	assert_non_null(strstr((char *)b.data,
			       "\"predicateType\":\"https://slsa.dev/provenance/v1\","
			       "\"subject\":[{\"digest\":{\"sha256\":\"" HEX_A
			       "\"},\"name\":\"img\"}]}\n"));
	assert_non_null(strstr((char *)b.data, "\"runDetails\":{\"builder\":{\"id\":"
					       "\"urn:test:builder\"},\"byproducts\":["));
	assert_null(strstr((char *)b.data, "startedOn"));
	assert_int_equal(ccctl_provenance_parse(&st, b.data, b.len), 0);
	assert_string_equal(ccctl_provenance_digest(st, "img"), HEX_A);
	ccctl_sha256(d, "x", 1);
	ccctl_hex_encode(hex, d, sizeof(d));
	assert_string_equal(ccctl_provenance_digest(st, "obj/x.o"), hex);
	assert_null(ccctl_provenance_digest(st, "obj/y.o"));
	assert_null(ccctl_provenance_digest(st, "source")); /* no sha256 */
	ccctl_json_free(st);
	ccctl_buf_release(&b);
}

static void test_statement_incomplete(void **state)
{
	struct ccctl_prov_subject subj = {.name = "img"};
	struct ccctl_provenance p;
	struct ccctl_json *st = NULL, *r = NULL;

	ccctl_provenance_init(&p);
	p.subjects = &subj;
	p.nsubjects = 1;
	p.build_type = "urn:test:build";
	p.builder_id = "urn:test:builder";
	/* no external parameters */
	assert_int_equal(ccctl_provenance_statement(&st, &p), CCCTL_EINVAL);
	assert_null(st);
	/* a resource needs a uri or a digest */
	assert_int_equal(ccctl_provenance_resource(&r, "x", NULL, NULL, NULL, NULL), CCCTL_EINVAL);
	assert_null(r);
	assert_int_equal(ccctl_provenance_resource(&r, "x", "file:///x", NULL, NULL, NULL), 0);
	ccctl_json_free(r);
	ccctl_provenance_release(&p);
}

/* Parse text and expect CCCTL_EINVAL with msg in the message. */
static void parse_fails(const char *text, const char *msg)
{
	struct ccctl_json *st = (void *)1;

	assert_int_equal(ccctl_provenance_parse(&st, text, strlen(text)), CCCTL_EINVAL);
	assert_null(st);
	if (!strstr(ccctl_err_msg(), msg))
		fail_msg("expected '%s' in '%s'", msg, ccctl_err_msg());
}

static void test_parse_strict(void **state)
{
#define PRED                                                                                       \
	",\"predicate\":{\"buildDefinition\":{\"buildType\":\"b\"},"                               \
	"\"runDetails\":{\"builder\":{\"id\":\"i\"}}}"
#define PT   ",\"predicateType\":\"https://slsa.dev/provenance/v1\""
#define SUBJ ",\"subject\":[{\"digest\":{\"sha256\":\"" HEX_A "\"},\"name\":\"n\"}]"
	struct ccctl_json *st = NULL;
	const char *good = "{\"_type\":\"https://in-toto.io/Statement/v1\"" PRED PT SUBJ "}";

	assert_int_equal(ccctl_provenance_parse(&st, good, strlen(good)), 0);
	ccctl_json_free(st);
	parse_fails("[]", "expected an object, found array");
	parse_fails("{\"_type\":\"x\"" PRED PT SUBJ "}",
		    "_type: expected \"https://in-toto.io/Statement/v1\", found \"x\"");
	parse_fails("{\"_type\":\"https://in-toto.io/Statement/v0.1\"" PRED PT SUBJ "}", "_type");
	parse_fails("{\"_type\":\"https://in-toto.io/Statement/v1\"" PRED
		    ",\"predicateType\":\"https://slsa.dev/provenance/v0.2\"" SUBJ "}",
		    "predicateType");
	parse_fails("{\"_type\":\"https://in-toto.io/Statement/v1\"" PT SUBJ "}",
		    "buildType: expected a string, found nothing");
	parse_fails("{\"_type\":\"https://in-toto.io/Statement/v1\"" PRED PT ",\"subject\":[]}",
		    "subject: expected a non-empty array");
	parse_fails("{\"_type\":\"https://in-toto.io/Statement/v1\"" PRED PT
		    ",\"subject\":[{\"digest\":{\"sha256\":\"" HEX_A "\"}}]}",
		    "subject 0: expected a name");
	/* upper-case or short hex */
	parse_fails("{\"_type\":\"https://in-toto.io/Statement/v1\"" PRED PT
		    ",\"subject\":[{\"digest\":{\"sha256\":\"AA\"},\"name\":\"n\"}]}",
		    "lowercase hex sha256");
	parse_fails("{\"_type\":", "json");
	/* an envelope of another payload type */
	parse_fails("{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.ccctl.policy+json\","
		    "\"signatures\":[]}",
		    "payloadType: expected \"application/vnd.in-toto+json\"");
#undef PRED
#undef PT
#undef SUBJ
}

static void test_sign(void **state)
{
	struct ccctl_buf b, env;
	struct ccctl_dsse_envelope *e = NULL;
	struct ccctl_json *st = NULL;
	struct ccctl_key *key = NULL;
	struct ccctl_pubkey *pk = NULL;
	const char *cert;

	ccctl_buf_init(&b);
	ccctl_buf_init(&env);
	make_statement(&b);
	assert_int_equal(ccctl_key_generate(&key, CCCTL_KEY_P256, "builder", 1), 0);
	assert_int_equal(ccctl_provenance_sign(&env, b.data, b.len - 1, key), 0);
	/* the envelope parses as provenance too, giving the same statement */
	assert_int_equal(ccctl_provenance_parse(&st, env.data, env.len), 0);
	assert_string_equal(ccctl_provenance_digest(st, "img"), HEX_A);
	ccctl_json_free(st);
	/* and its signature verifies with the builder's certificate */
	assert_int_equal(ccctl_dsse_parse(&e, env.data, env.len), 0);
	assert_string_equal(e->payload_type, CCCTL_PROV_PAYLOAD_TYPE);
	assert_int_equal(e->payload.len, b.len - 1);
	assert_memory_equal(e->payload.data, b.data, b.len - 1);
	assert_int_equal(e->nsigs, 1);
	cert = ccctl_key_cert_pem(key);
	assert_int_equal(ccctl_pubkey_from_cert(&pk, cert, strlen(cert)), 0);
	assert_int_equal(ccctl_dsse_verify(e, &e->sigs[0], pk), 0);
	/* a changed payload does not */
	e->payload.data[10] ^= 1;
	assert_int_equal(ccctl_dsse_verify(e, &e->sigs[0], pk), CCCTL_EVERIFY);
	ccctl_pubkey_free(pk);
	ccctl_dsse_free(e);
	ccctl_key_free(key);
	ccctl_buf_release(&env);
	ccctl_buf_release(&b);
}

static void test_status_outside_repo(void **state)
{
	struct ccctl_gitsrc s;
	char *dir = NULL;

	assert_int_equal(ccctl_gitsrc_tmpdir(&dir, "test"), 0);
	assert_int_equal(ccctl_gitsrc_status(&s, dir), 0);
	assert_false(s.has_commit);
	assert_false(s.dirty);
	ccctl_gitsrc_release(&s);
	assert_int_equal(ccctl_gitsrc_rmtree(dir), 0);
	free(dir);
}

static void test_rmtree_no_follow(void **state)
{
	char *dir = NULL, *keep = NULL, path[4096];
	struct stat st;
	FILE *f;

	assert_int_equal(ccctl_gitsrc_tmpdir(&dir, "test"), 0);
	assert_int_equal(ccctl_gitsrc_tmpdir(&keep, "keep"), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/kept", keep);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	/* dir/a/b/file, dir/a/link -> keep (a folder outside) */
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(mkdir(path, 0500), 0); /* read-only folders are removed too */
	snprintf(path, sizeof(path), "%s/a/link", dir);
	assert_int_equal(symlink(keep, path), 0);
	assert_int_equal(ccctl_gitsrc_rmtree(dir), 0);
	assert_int_not_equal(access(dir, F_OK), 0);
	snprintf(path, sizeof(path), "%s/kept", keep);
	assert_int_equal(access(path, F_OK), 0);
	/* an absent folder is not an error */
	assert_int_equal(ccctl_gitsrc_rmtree(dir), 0);
	assert_int_equal(ccctl_gitsrc_rmtree(keep), 0);
	free(dir);
	free(keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_statement),		cmocka_unit_test(test_statement_incomplete),
	    cmocka_unit_test(test_parse_strict),	cmocka_unit_test(test_sign),
	    cmocka_unit_test(test_status_outside_repo), cmocka_unit_test(test_rmtree_no_follow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
