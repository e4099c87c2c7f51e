/* SPDX-License-Identifier: Apache-2.0 */
/*
 * provenance.c - in-toto Statement v1 with a SLSA Provenance v1 predicate.
 * See provenance.h.
 */
#include "config.h"

#include <string.h>

#include "dsse.h"
#include "err.h"
#include "provenance.h"

void ccctl_provenance_init(struct ccctl_provenance *p)
{
	memset(p, 0, sizeof(*p));
}

void ccctl_provenance_release(struct ccctl_provenance *p)
{
	if (!p)
		return;
	ccctl_json_free(p->builder_version);
	ccctl_json_free(p->external);
	ccctl_json_free(p->internal);
	ccctl_json_free(p->dependencies);
	ccctl_json_free(p->byproducts);
	ccctl_provenance_init(p);
}

/* obj[key] = value, taking value (which may be NULL: out of memory). */
static int set(struct ccctl_json *obj, const char *key, struct ccctl_json *value)
{
	if (!value)
		return ccctl_err_nomem();
	return ccctl_json_object_set(obj, key, value);
}

/* Move *value into obj[key] when it is not NULL. */
static int move(struct ccctl_json *obj, const char *key, struct ccctl_json **value)
{
	struct ccctl_json *v = *value;

	*value = NULL;
	return v ? ccctl_json_object_set(obj, key, v) : 0;
}

int ccctl_provenance_resource(struct ccctl_json **out, const char *name, const char *uri,
			      const char *alg, const char *hex, struct ccctl_json *annotations)
{
	struct ccctl_json *r = NULL, *digest = NULL;
	int ret = 0;

	*out = NULL;
	if (!uri && !(alg && hex)) {
		ret = ccctl_err_set(CCCTL_EINVAL, "resource \"%s\": expected a uri or a digest",
				    name ? name : "");
		goto out;
	}
	if (!(r = ccctl_json_new_object())) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (name && (ret = ccctl_json_object_set_string(r, "name", name)))
		goto out;
	if (uri && (ret = ccctl_json_object_set_string(r, "uri", uri)))
		goto out;
	if (alg && hex) {
		if (!(digest = ccctl_json_new_object())) {
			ret = ccctl_err_nomem();
			goto out;
		}
		if ((ret = ccctl_json_object_set_string(digest, alg, hex)))
			goto out;
		if ((ret = move(r, "digest", &digest)))
			goto out;
	}
	if ((ret = move(r, "annotations", &annotations)))
		goto out;
	*out = r;
	r = NULL;
out:
	ccctl_json_free(annotations);
	ccctl_json_free(digest);
	ccctl_json_free(r);
	return ret;
}

int ccctl_provenance_add(struct ccctl_json **list, const char *name, const char *uri,
			 const char *alg, const char *hex, struct ccctl_json *annotations)
{
	struct ccctl_json *r = NULL;
	int ret;

	if (!*list && !(*list = ccctl_json_new_array())) {
		ccctl_json_free(annotations);
		return ccctl_err_nomem();
	}
	if ((ret = ccctl_provenance_resource(&r, name, uri, alg, hex, annotations)))
		return ret;
	return ccctl_json_array_push(*list, r);
}

static int subjects_json(struct ccctl_json **out, const struct ccctl_provenance *p)
{
	struct ccctl_json *arr = ccctl_json_new_array(), *r = NULL;
	char hex[2 * CCCTL_SHA256_LEN + 1];
	int ret = 0;

	*out = NULL;
	if (!arr)
		return ccctl_err_nomem();
	for (size_t i = 0; i < p->nsubjects; i++) {
		ccctl_hex_encode(hex, p->subjects[i].sha256, CCCTL_SHA256_LEN);
		if ((ret = ccctl_provenance_resource(&r, p->subjects[i].name, NULL, "sha256", hex,
						     NULL)))
			goto out;
		if ((ret = ccctl_json_array_push(arr, r)))
			goto out;
	}
	*out = arr;
	arr = NULL;
out:
	ccctl_json_free(arr);
	return ret;
}

int ccctl_provenance_statement(struct ccctl_json **out, struct ccctl_provenance *p)
{
	struct ccctl_json *st = NULL, *pred = NULL, *def = NULL, *run = NULL, *builder = NULL,
			  *subjects = NULL;
	int ret;

	*out = NULL;
	if (p->nsubjects == 0 || !p->subjects || !p->build_type || !p->builder_id || !p->external) {
		ret = ccctl_err_set(CCCTL_EINVAL, "provenance: expected subjects, a build type, "
						  "a builder id and external parameters");
		goto out;
	}
	if (!(st = ccctl_json_new_object()) || !(pred = ccctl_json_new_object()) ||
	    !(def = ccctl_json_new_object()) || !(run = ccctl_json_new_object()) ||
	    !(builder = ccctl_json_new_object())) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if ((ret = subjects_json(&subjects, p)))
		goto out;
	if ((ret = ccctl_json_object_set_string(def, "buildType", p->build_type)) ||
	    (ret = move(def, "externalParameters", &p->external)) ||
	    (ret = move(def, "internalParameters", &p->internal)) ||
	    (ret = move(def, "resolvedDependencies", &p->dependencies)))
		goto out;
	if ((ret = ccctl_json_object_set_string(builder, "id", p->builder_id)) ||
	    (ret = move(builder, "version", &p->builder_version)))
		goto out;
	if ((ret = move(run, "builder", &builder)) ||
	    (ret = move(run, "byproducts", &p->byproducts)))
		goto out;
	if ((ret = move(pred, "buildDefinition", &def)) || (ret = move(pred, "runDetails", &run)))
		goto out;
	if ((ret = set(st, "_type", ccctl_json_new_string(CCCTL_PROV_STATEMENT_TYPE))) ||
	    (ret = move(st, "subject", &subjects)) ||
	    (ret = set(st, "predicateType", ccctl_json_new_string(CCCTL_PROV_PREDICATE_TYPE))) ||
	    (ret = move(st, "predicate", &pred)))
		goto out;
	*out = st;
	st = NULL;
out:
	ccctl_json_free(subjects);
	ccctl_json_free(builder);
	ccctl_json_free(run);
	ccctl_json_free(def);
	ccctl_json_free(pred);
	ccctl_json_free(st);
	return ret;
}

int ccctl_provenance_write(struct ccctl_buf *out, const struct ccctl_json *statement)
{
	int ret = ccctl_json_write_canonical(out, statement);

	return ret ? ret : ccctl_buf_append_byte(out, '\n');
}

int ccctl_provenance_sign(struct ccctl_buf *out, const void *statement, size_t len,
			  const struct ccctl_key *key)
{
	struct ccctl_dsse_envelope *env = NULL;
	int ret;

	if ((ret = ccctl_dsse_new(&env, CCCTL_PROV_PAYLOAD_TYPE, statement, len)))
		goto out;
	if ((ret = ccctl_dsse_sign(env, key)))
		goto out;
	ret = ccctl_dsse_write(out, env);
out:
	ccctl_dsse_free(env);
	return ret;
}

/* Walk obj along the NULL-terminated keys; NULL if a step is missing. */
static const struct ccctl_json *path(const struct ccctl_json *obj, const char *const *keys)
{
	for (; obj && *keys; keys++)
		obj = ccctl_json_get(obj, *keys);
	return obj;
}

static int check_string(const struct ccctl_json *st, const char *const *keys, const char *what,
			const char *want)
{
	const struct ccctl_json *v = path(st, keys);

	if (!v || v->type != CCCTL_JSON_STRING || v->u.str.len == 0)
		return ccctl_err_set(CCCTL_EINVAL, "provenance: %s: expected a string, found %s",
				     what, v ? ccctl_json_type_name(v->type) : "nothing");
	if (want && strcmp(v->u.str.s, want) != 0)
		return ccctl_err_set(CCCTL_EINVAL, "provenance: %s: expected \"%s\", found \"%s\"",
				     what, want, v->u.str.s);
	return 0;
}

/* A lowercase hex SHA-256. */
static bool is_sha256_hex(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 2 * CCCTL_SHA256_LEN;
}

static int check_statement(const struct ccctl_json *st)
{
	static const char *const type[] = {"_type", NULL};
	static const char *const ptype[] = {"predicateType", NULL};
	static const char *const btype[] = {"predicate", "buildDefinition", "buildType", NULL};
	static const char *const bid[] = {"predicate", "runDetails", "builder", "id", NULL};
	const struct ccctl_json *subj;
	int ret;

	if (st->type != CCCTL_JSON_OBJECT)
		return ccctl_err_set(CCCTL_EINVAL, "provenance: expected an object, found %s",
				     ccctl_json_type_name(st->type));
	if ((ret = check_string(st, type, "_type", CCCTL_PROV_STATEMENT_TYPE)) ||
	    (ret = check_string(st, ptype, "predicateType", CCCTL_PROV_PREDICATE_TYPE)) ||
	    (ret = check_string(st, btype, "buildType", NULL)) ||
	    (ret = check_string(st, bid, "builder id", NULL)))
		return ret;
	subj = ccctl_json_get(st, "subject");
	if (!subj || subj->type != CCCTL_JSON_ARRAY || subj->u.arr.n == 0)
		return ccctl_err_set(CCCTL_EINVAL,
				     "provenance: subject: expected a non-empty array");
	for (size_t i = 0; i < subj->u.arr.n; i++) {
		const struct ccctl_json *s = subj->u.arr.items[i];
		const char *name = ccctl_json_get_string(s, "name");
		const char *hex = ccctl_json_get_string(ccctl_json_get(s, "digest"), "sha256");

		if (!name || !hex || !is_sha256_hex(hex))
			return ccctl_err_set(CCCTL_EINVAL,
					     "provenance: subject %zu: expected a name and a "
					     "lowercase hex sha256 digest",
					     i);
	}
	return 0;
}

int ccctl_provenance_parse(struct ccctl_json **out, const void *data, size_t len)
{
	struct ccctl_dsse_envelope *env = NULL;
	struct ccctl_json *st = NULL;
	int ret;

	*out = NULL;
	if (len > CCCTL_PROV_MAX_FILE) {
		ret = ccctl_err_set(CCCTL_EINVAL, "provenance: too large: %zu bytes (max %u)", len,
				    CCCTL_PROV_MAX_FILE);
		goto out;
	}
	if ((ret = ccctl_json_parse(&st, data, len)))
		goto out;
	if (st->type == CCCTL_JSON_OBJECT && ccctl_json_get(st, "payloadType")) {
		ccctl_json_free(st);
		st = NULL;
		if ((ret = ccctl_dsse_parse(&env, data, len)))
			goto out;
		if (strcmp(env->payload_type, CCCTL_PROV_PAYLOAD_TYPE) != 0) {
			ret = ccctl_err_set(
			    CCCTL_EINVAL, "provenance: payloadType: expected \"%s\", found \"%s\"",
			    CCCTL_PROV_PAYLOAD_TYPE, env->payload_type);
			goto out;
		}
		if ((ret = ccctl_json_parse(&st, env->payload.data, env->payload.len)))
			goto out;
	}
	if ((ret = check_statement(st)))
		goto out;
	*out = st;
	st = NULL;
out:
	ccctl_dsse_free(env);
	ccctl_json_free(st);
	return ret;
}

/* The sha256 of the resource called name in the array list, or NULL. */
static const char *find_digest(const struct ccctl_json *list, const char *name)
{
	if (!list || list->type != CCCTL_JSON_ARRAY)
		return NULL;
	for (size_t i = 0; i < list->u.arr.n; i++) {
		const struct ccctl_json *r = list->u.arr.items[i];
		const char *n = ccctl_json_get_string(r, "name");

		if (n && strcmp(n, name) == 0)
			return ccctl_json_get_string(ccctl_json_get(r, "digest"), "sha256");
	}
	return NULL;
}

const char *ccctl_provenance_digest(const struct ccctl_json *statement, const char *name)
{
	static const char *const byproducts[] = {"predicate", "runDetails", "byproducts", NULL};
	const char *hex = find_digest(ccctl_json_get(statement, "subject"), name);

	return hex ? hex : find_digest(path(statement, byproducts), name);
}
