/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dsse.c - DSSE envelopes and signed-policy consent checking.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dsse.h"
#include "err.h"
#include "json.h"

/* Longest base64 text of n bytes. */
#define B64_LEN(n) ((((size_t)(n) + 2) / 3) * 4)

int ccctl_dsse_pae(struct ccctl_buf *out, const char *type, const void *payload, size_t len)
{
	int ret;

	ret = ccctl_buf_printf(out, "DSSEv1 %zu %s %zu ", strlen(type), type, len);
	if (ret == 0)
		ret = ccctl_buf_append(out, payload, len);
	return ret;
}

void ccctl_dsse_free(struct ccctl_dsse_envelope *env)
{
	if (!env)
		return;
	free(env->payload_type);
	ccctl_buf_release(&env->payload);
	free(env->sigs);
	free(env);
}

static int check_type(const char *type, size_t len)
{
	if (len == 0 || len > CCCTL_DSSE_MAX_TYPE || strlen(type) != len)
		return ccctl_err_set(CCCTL_EINVAL,
				     "dsse: payloadType: expected 1..%d bytes without NUL",
				     CCCTL_DSSE_MAX_TYPE);
	return 0;
}

int ccctl_dsse_new(struct ccctl_dsse_envelope **out, const char *type, const void *payload,
		   size_t len)
{
	struct ccctl_dsse_envelope *env = NULL;
	int ret;

	*out = NULL;
	ret = check_type(type, strlen(type));
	if (ret)
		goto out;
	if (len > CCCTL_DSSE_MAX_PAYLOAD) {
		ret = ccctl_err_set(CCCTL_EINVAL, "dsse: payload too large: %zu bytes (max %u)",
				    len, CCCTL_DSSE_MAX_PAYLOAD);
		goto out;
	}
	env = calloc(1, sizeof(*env));
	if (!env || !(env->payload_type = strdup(type))) {
		ret = ccctl_err_nomem();
		goto out;
	}
	ccctl_buf_init(&env->payload);
	ret = ccctl_buf_append(&env->payload, payload, len);
	if (ret)
		goto out;
	*out = env;
	env = NULL;
out:
	ccctl_dsse_free(env);
	return ret;
}

/* Position of keyid in the sorted signatures: its index if present (*found
 * set), else where it would be inserted. */
static size_t sig_pos(const struct ccctl_dsse_envelope *env, const uint8_t *keyid, bool *found)
{
	size_t lo = 0, hi = env->nsigs;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(env->sigs[mid].keyid, keyid, CCCTL_SHA256_LEN);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Insert a signature in keyid order; an existing one with the same keyid is
 * replaced, or, when !replace, rejected. */
static int sig_insert(struct ccctl_dsse_envelope *env, const uint8_t *keyid, const uint8_t *sig,
		      size_t sig_len, bool replace)
{
	char hex[2 * CCCTL_SHA256_LEN + 1];
	struct ccctl_dsse_sig *s;
	bool found;
	size_t i;

	if (sig_len == 0 || sig_len > CCCTL_SIG_MAX)
		return ccctl_err_set(CCCTL_EINVAL, "dsse: signature of %zu bytes: expected 1..%d",
				     sig_len, CCCTL_SIG_MAX);
	i = sig_pos(env, keyid, &found);
	if (found && !replace) {
		ccctl_hex_encode(hex, keyid, CCCTL_SHA256_LEN);
		return ccctl_err_set(CCCTL_EINVAL, "dsse: more than one signature by keyid %s",
				     hex);
	}
	if (!found) {
		if (env->nsigs >= CCCTL_DSSE_MAX_SIGNATURES)
			return ccctl_err_set(CCCTL_EINVAL, "dsse: more than %d signatures",
					     CCCTL_DSSE_MAX_SIGNATURES);
		s = realloc(env->sigs, (env->nsigs + 1) * sizeof(*s));
		if (!s)
			return ccctl_err_nomem();
		env->sigs = s;
		memmove(&s[i + 1], &s[i], (env->nsigs - i) * sizeof(*s));
		env->nsigs++;
	}
	s = &env->sigs[i];
	memset(s, 0, sizeof(*s));
	memcpy(s->keyid, keyid, CCCTL_SHA256_LEN);
	memcpy(s->sig, sig, sig_len);
	s->sig_len = sig_len;
	return 0;
}

int ccctl_dsse_add(struct ccctl_dsse_envelope *env, const uint8_t keyid[CCCTL_SHA256_LEN],
		   const uint8_t *sig, size_t sig_len)
{
	return sig_insert(env, keyid, sig, sig_len, true);
}

const struct ccctl_dsse_sig *ccctl_dsse_find(const struct ccctl_dsse_envelope *env,
					     const uint8_t keyid[CCCTL_SHA256_LEN])
{
	bool found;
	size_t i = sig_pos(env, keyid, &found);

	return found ? &env->sigs[i] : NULL;
}

/* Strict lowercase hex keyid. */
static int parse_keyid(uint8_t out[CCCTL_SHA256_LEN], const struct ccctl_json *v)
{
	size_t i;

	if (!v || v->type != CCCTL_JSON_STRING || v->u.str.len != 2 * CCCTL_SHA256_LEN)
		goto bad;
	for (i = 0; i < v->u.str.len; i++) {
		char c = v->u.str.s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			goto bad;
	}
	return ccctl_hex_decode(out, CCCTL_SHA256_LEN, v->u.str.s, v->u.str.len);
bad:
	return ccctl_err_set(CCCTL_EINVAL, "dsse: keyid: expected %d lowercase hex digits",
			     2 * CCCTL_SHA256_LEN);
}

/* Decode a base64 member of at most max bytes into out. */
static int parse_b64(struct ccctl_buf *out, const struct ccctl_json *v, const char *what,
		     size_t max)
{
	if (!v || v->type != CCCTL_JSON_STRING)
		return ccctl_err_set(CCCTL_EINVAL, "dsse: \"%s\": expected a base64 string", what);
	if (v->u.str.len > B64_LEN(max))
		return ccctl_err_set(CCCTL_EINVAL, "dsse: \"%s\" too large: more than %zu bytes",
				     what, max);
	if (ccctl_base64_decode(out, v->u.str.s, v->u.str.len) < 0)
		return ccctl_err_set(CCCTL_EINVAL, "dsse: \"%s\": not strict base64", what);
	return 0;
}

/* Require obj to be an object with exactly the members names[0..n). */
static int check_members(const struct ccctl_json *obj, const char *what, const char *const *names,
			 size_t n)
{
	size_t i;

	if (obj->type != CCCTL_JSON_OBJECT)
		return ccctl_err_set(CCCTL_EINVAL, "dsse: %s: expected an object", what);
	for (i = 0; i < obj->u.obj.n; i++) {
		const char *key = obj->u.obj.members[i].key;
		size_t k;
		for (k = 0; k < n; k++)
			if (strcmp(key, names[k]) == 0)
				break;
		if (k == n || strlen(key) != obj->u.obj.members[i].key_len)
			return ccctl_err_set(CCCTL_EINVAL, "dsse: %s: unexpected member \"%s\"",
					     what, key);
	}
	for (i = 0; i < n; i++)
		if (!ccctl_json_get(obj, names[i]))
			return ccctl_err_set(CCCTL_EINVAL, "dsse: %s: missing member \"%s\"", what,
					     names[i]);
	return 0;
}

static int parse_sig(struct ccctl_dsse_envelope *env, const struct ccctl_json *v)
{
	static const char *const names[] = { "keyid", "sig" };
	uint8_t keyid[CCCTL_SHA256_LEN];
	struct ccctl_buf sig;
	int ret;

	ccctl_buf_init(&sig);
	if ((ret = check_members(v, "signature", names, 2)) ||
	    (ret = parse_keyid(keyid, ccctl_json_get(v, "keyid"))) ||
	    (ret = parse_b64(&sig, ccctl_json_get(v, "sig"), "sig", CCCTL_SIG_MAX)))
		goto out;
	ret = sig_insert(env, keyid, sig.data, sig.len, false);
out:
	ccctl_buf_release(&sig);
	return ret;
}

/* An envelope from its parsed JSON. */
static int env_from_json(struct ccctl_dsse_envelope **out, const struct ccctl_json *root)
{
	static const char *const names[] = { "payload", "payloadType", "signatures" };
	struct ccctl_dsse_envelope *env = NULL;
	const struct ccctl_json *type, *sigs;
	struct ccctl_buf payload;
	size_t i;
	int ret;

	*out = NULL;
	ccctl_buf_init(&payload);
	ret = check_members(root, "envelope", names, 3);
	if (ret)
		goto out;
	type = ccctl_json_get(root, "payloadType");
	sigs = ccctl_json_get(root, "signatures");
	if (type->type != CCCTL_JSON_STRING) {
		ret = ccctl_err_set(CCCTL_EINVAL, "dsse: payloadType: expected a string");
		goto out;
	}
	if (sigs->type != CCCTL_JSON_ARRAY) {
		ret = ccctl_err_set(CCCTL_EINVAL, "dsse: signatures: expected an array");
		goto out;
	}
	if (sigs->u.arr.n > CCCTL_DSSE_MAX_SIGNATURES) {
		ret = ccctl_err_set(CCCTL_EINVAL, "dsse: %zu signatures: expected at most %d",
				    sigs->u.arr.n, CCCTL_DSSE_MAX_SIGNATURES);
		goto out;
	}
	/* check_type() sees the JSON length, so an embedded NUL is caught. */
	if ((ret = check_type(type->u.str.s, type->u.str.len)) ||
	    (ret = parse_b64(&payload, ccctl_json_get(root, "payload"), "payload",
			     CCCTL_DSSE_MAX_PAYLOAD)) ||
	    (ret = ccctl_dsse_new(&env, type->u.str.s, payload.data, payload.len)))
		goto out;
	for (i = 0; i < sigs->u.arr.n; i++) {
		ret = parse_sig(env, sigs->u.arr.items[i]);
		if (ret)
			goto out;
	}
	*out = env;
	env = NULL;
out:
	ccctl_buf_release(&payload);
	ccctl_dsse_free(env);
	return ret;
}

static int parse_json(struct ccctl_json **out, const void *data, size_t len)
{
	int ret;

	*out = NULL;
	if (len > CCCTL_DSSE_MAX_ENVELOPE)
		return ccctl_err_set(CCCTL_EINVAL, "dsse: envelope too large: %zu bytes (max %u)",
				     len, CCCTL_DSSE_MAX_ENVELOPE);
	ret = ccctl_json_parse(out, data, len);
	if (ret < 0)
		ret = ccctl_err_set(CCCTL_EINVAL, "dsse: %s", ccctl_err_msg());
	return ret;
}

int ccctl_dsse_parse(struct ccctl_dsse_envelope **out, const void *data, size_t len)
{
	struct ccctl_json *root = NULL;
	int ret;

	*out = NULL;
	ret = parse_json(&root, data, len);
	if (ret == 0)
		ret = env_from_json(out, root);
	ccctl_json_free(root);
	return ret;
}

int ccctl_dsse_load(struct ccctl_dsse_envelope **out, bool *bare, const void *data, size_t len)
{
	struct ccctl_json *root = NULL;
	int ret;

	*out = NULL;
	*bare = false;
	ret = parse_json(&root, data, len);
	if (ret)
		goto out;
	if (root->type != CCCTL_JSON_OBJECT) {
		ret = ccctl_err_set(CCCTL_EINVAL,
				    "expected a policy or a signed policy (JSON object)");
		goto out;
	}
	if (ccctl_json_get(root, "payload") || ccctl_json_get(root, "payloadType") ||
	    ccctl_json_get(root, "signatures")) {
		ret = env_from_json(out, root);
	} else {
		*bare = true;
		ret = ccctl_dsse_new(out, CCCTL_POLICY_PAYLOAD_TYPE, data, len);
	}
out:
	ccctl_json_free(root);
	return ret;
}

int ccctl_dsse_load_file(struct ccctl_dsse_envelope **out, bool *bare, const char *path)
{
	struct ccctl_buf data;
	int ret;

	*out = NULL;
	ccctl_buf_init(&data);
	ret = ccctl_file_read(&data, path, CCCTL_DSSE_MAX_ENVELOPE);
	if (ret)
		goto out;
	ret = ccctl_dsse_load(out, bare, data.data, data.len);
	if (ret)
		ret = ccctl_err_set(ret, "\"%s\": %s", path, ccctl_err_msg());
out:
	ccctl_buf_release(&data);
	return ret;
}

int ccctl_dsse_write(struct ccctl_buf *out, const struct ccctl_dsse_envelope *env)
{
	struct ccctl_json *root = NULL, *arr = NULL, *s = NULL;
	struct ccctl_buf b64;
	char hex[2 * CCCTL_SHA256_LEN + 1];
	size_t i;
	int ret;

	ccctl_buf_init(&b64);
	root = ccctl_json_new_object();
	if (!root) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if ((ret = ccctl_base64_encode(&b64, env->payload.data, env->payload.len)) ||
	    (ret = ccctl_json_object_set_string(root, "payload", (const char *)b64.data)) ||
	    (ret = ccctl_json_object_set_string(root, "payloadType", env->payload_type)))
		goto out;
	arr = ccctl_json_new_array();
	if (!arr) {
		ret = ccctl_err_nomem();
		goto out;
	}
	for (i = 0; i < env->nsigs; i++) {
		s = ccctl_json_new_object();
		if (!s) {
			ret = ccctl_err_nomem();
			goto out;
		}
		b64.len = 0;
		ccctl_hex_encode(hex, env->sigs[i].keyid, CCCTL_SHA256_LEN);
		if ((ret = ccctl_base64_encode(&b64, env->sigs[i].sig, env->sigs[i].sig_len)) ||
		    (ret = ccctl_json_object_set_string(s, "keyid", hex)) ||
		    (ret = ccctl_json_object_set_string(s, "sig", (const char *)b64.data)))
			goto out;
		ret = ccctl_json_array_push(arr, s);
		s = NULL;
		if (ret)
			goto out;
	}
	ret = ccctl_json_object_set(root, "signatures", arr);
	arr = NULL;
	if (ret)
		goto out;
	ret = ccctl_json_write_canonical(out, root);
	if (ret == 0)
		ret = ccctl_buf_append_byte(out, '\n');
out:
	ccctl_json_free(s);
	ccctl_json_free(arr);
	ccctl_json_free(root);
	ccctl_buf_release(&b64);
	return ret;
}

int ccctl_dsse_sign(struct ccctl_dsse_envelope *env, const struct ccctl_key *key)
{
	struct ccctl_buf pae, sig;
	int ret;

	ccctl_buf_init(&pae);
	ccctl_buf_init(&sig);
	if ((ret = ccctl_dsse_pae(&pae, env->payload_type, env->payload.data, env->payload.len)) ||
	    (ret = ccctl_key_sign(key, &sig, pae.data, pae.len)))
		goto out;
	ret = sig_insert(env, ccctl_key_spki_sha256(key), sig.data, sig.len, true);
out:
	ccctl_buf_release(&pae);
	ccctl_buf_release(&sig);
	return ret;
}

int ccctl_dsse_verify(const struct ccctl_dsse_envelope *env, const struct ccctl_dsse_sig *sig,
		      const struct ccctl_pubkey *pk)
{
	struct ccctl_buf pae;
	int ret;

	ccctl_buf_init(&pae);
	ret = ccctl_dsse_pae(&pae, env->payload_type, env->payload.data, env->payload.len);
	if (ret == 0)
		ret = ccctl_pubkey_verify(pk, pae.data, pae.len, sig->sig, sig->sig_len);
	ccctl_buf_release(&pae);
	return ret;
}

void ccctl_consent_free(struct ccctl_consent *c)
{
	if (!c)
		return;
	ccctl_policy_free(c->policy);
	free(c->states);
	free(c->strangers);
	free(c);
}

/* Verify one signature by participant p over pae. */
static int check_participant_sig(enum ccctl_sig_state *state,
				 const struct ccctl_policy_participant *p,
				 const struct ccctl_dsse_sig *sig, const struct ccctl_buf *pae)
{
	struct ccctl_pubkey *pk = NULL;
	int ret;

	ret = ccctl_pubkey_from_cert(&pk, p->certificate, strlen(p->certificate));
	if (ret)
		goto out;
	if (memcmp(ccctl_pubkey_spki_sha256(pk), p->spki_sha256, CCCTL_SHA256_LEN) != 0) {
		ret = ccctl_err_set(CCCTL_EINVAL,
				    "participant \"%s\": certificate does not match spki_sha256",
				    p->name);
		goto out;
	}
	ret = ccctl_pubkey_verify(pk, pae->data, pae->len, sig->sig, sig->sig_len);
	if (ret == CCCTL_EVERIFY) {
		*state = CCCTL_SIG_BAD;
		ret = 0;
	} else if (ret == 0) {
		*state = CCCTL_SIG_VALID;
	}
out:
	ccctl_pubkey_free(pk);
	return ret;
}

int ccctl_consent_new(struct ccctl_consent **out, const struct ccctl_dsse_envelope *env)
{
	struct ccctl_consent *c = NULL;
	struct ccctl_buf pae;
	size_t i;
	int ret;

	*out = NULL;
	ccctl_buf_init(&pae);
	if (strcmp(env->payload_type, CCCTL_POLICY_PAYLOAD_TYPE) != 0) {
		ret = ccctl_err_set(CCCTL_EINVAL, "payload type \"%s\": expected \"%s\"",
				    env->payload_type, CCCTL_POLICY_PAYLOAD_TYPE);
		goto out;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		ret = ccctl_err_nomem();
		goto out;
	}
	ret = ccctl_policy_parse(&c->policy, env->payload.data, env->payload.len);
	if (ret) {
		/* With signatures present, a payload that is not a policy means
		 * none of them can be verified: report it as such. */
		if (env->nsigs > 0)
			ret = ccctl_err_set(CCCTL_EVERIFY,
					    "signed payload is not a valid policy, so no signature "
					    "can be verified (altered payload?): %s",
					    ccctl_err_msg());
		goto out;
	}
	c->states = calloc(c->policy->nparticipants + 1, sizeof(*c->states));
	c->strangers = calloc(env->nsigs + 1, sizeof(*c->strangers));
	if (!c->states || !c->strangers) {
		ret = ccctl_err_nomem();
		goto out;
	}
	ret = ccctl_dsse_pae(&pae, env->payload_type, env->payload.data, env->payload.len);
	if (ret)
		goto out;
	for (i = 0; i < env->nsigs; i++) {
		const struct ccctl_dsse_sig *s = &env->sigs[i];
		const struct ccctl_policy_participant *p = ccctl_policy_find_by_spki(c->policy,
										     s->keyid);
		if (!p) {
			memcpy(c->strangers[c->nstrangers++], s->keyid, CCCTL_SHA256_LEN);
			continue;
		}
		ret = check_participant_sig(&c->states[p - c->policy->participants], p, s, &pae);
		if (ret)
			goto out;
	}
	for (i = 0; i < c->policy->nparticipants; i++)
		if (c->states[i] == CCCTL_SIG_BAD)
			c->nbad++;
	for (i = 0; i < c->policy->consent.nsigners; i++)
		if (ccctl_consent_signer_state(c, i) == CCCTL_SIG_VALID)
			c->nvalid++;
	*out = c;
	c = NULL;
out:
	ccctl_buf_release(&pae);
	ccctl_consent_free(c);
	return ret;
}

enum ccctl_sig_state ccctl_consent_signer_state(const struct ccctl_consent *c, size_t i)
{
	const struct ccctl_policy_participant *p =
		ccctl_policy_find_participant(c->policy, c->policy->consent.signers[i]);

	return p ? c->states[p - c->policy->participants] : CCCTL_SIG_MISSING;
}

/* ", name" for every consent signer without a valid signature. */
static int append_missing(struct ccctl_buf *b, const struct ccctl_consent *c)
{
	const struct ccctl_policy *pol = c->policy;
	const char *sep = "";
	size_t i;
	int ret = 0;

	for (i = 0; i < pol->consent.nsigners && ret == 0; i++) {
		enum ccctl_sig_state st = ccctl_consent_signer_state(c, i);

		if (st == CCCTL_SIG_VALID)
			continue;
		ret = ccctl_buf_printf(b, "%s%s%s", sep, pol->consent.signers[i],
				       st == CCCTL_SIG_BAD ? " (bad signature)" : "");
		sep = ", ";
	}
	return ret;
}

int ccctl_consent_check(const struct ccctl_consent *c)
{
	const struct ccctl_policy *pol = c->policy;
	bool met = c->nvalid >= pol->consent.threshold;
	char hex[2 * CCCTL_SHA256_LEN + 1];
	struct ccctl_buf m;
	size_t i;
	int ret = 0;

	if (met && c->nstrangers == 0 && c->nbad == 0)
		return 0;
	ccctl_buf_init(&m);
	if (c->nstrangers > 0) {
		ccctl_hex_encode(hex, c->strangers[0], CCCTL_SHA256_LEN);
		ret = ccctl_buf_printf(&m, "signature by non-participant key %s", hex);
		if (ret == 0 && c->nstrangers > 1)
			ret = ccctl_buf_printf(&m, " (and %zu more)", c->nstrangers - 1);
	} else if (c->nbad > 0) {
		for (i = 0; i < pol->nparticipants; i++)
			if (c->states[i] == CCCTL_SIG_BAD)
				break;
		ccctl_hex_encode(hex, pol->participants[i].spki_sha256, CCCTL_SHA256_LEN);
		ret = ccctl_buf_printf(&m, "bad signature by participant \"%s\" (key %s)",
				       pol->participants[i].name, hex);
	}
	if (ret == 0 && !met) {
		ret = ccctl_buf_printf(&m, "%sconsent not met: %ju of %ju required signatures; "
				       "missing: ", m.len ? "; " : "", (uintmax_t)c->nvalid,
				       (uintmax_t)pol->consent.threshold);
		if (ret == 0)
			ret = append_missing(&m, c);
	}
	if (ret == 0)
		ret = ccctl_err_set(CCCTL_EVERIFY, "%s", (const char *)m.data);
	ccctl_buf_release(&m);
	return ret;
}
