/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.c - the policy model: strict parsing of canonical policy JSON,
 * validation of every rule, and the canonical serialiser.
 *
 * Parsing maps the JSON document onto struct ccctl_policy field by field
 * (unknown or missing members are errors), validates the whole (the same
 * ccctl_policy_validate() the compiler's output goes through), serialises
 * the struct again and requires the input bytes to be exactly that
 * canonical form, so one policy has one byte string and one digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json.h"
#include "policy.h"
#include "units.h"

#define PERR(...) ccctl_err_set(CCCTL_EINVAL, "invalid policy: " __VA_ARGS__)

/* The current error message, copied (it cannot be an argument of the
 * ccctl_err_set() that overwrites it). */
static const char *last_msg(char *buf, size_t size)
{
	snprintf(buf, size, "%s", ccctl_err_msg());
	return buf;
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void backend_release(struct ccctl_policy_backend *b)
{
	size_t i;

	free(b->name);
	for (i = 0; i < b->nmeasurements; i++) {
		free(b->measurements[i].key);
		free(b->measurements[i].value);
	}
	free(b->measurements);
}

void ccctl_policy_free(struct ccctl_policy *p)
{
	size_t i;

	if (!p)
		return;
	free(p->name);
	free(p->description);
	free(p->expires);
	for (i = 0; i < p->nparticipants; i++) {
		free(p->participants[i].name);
		free(p->participants[i].certificate);
	}
	free(p->participants);
	for (i = 0; i < p->nprograms; i++) {
		struct ccctl_policy_program *g = &p->programs[i];

		free(g->name);
		free(g->provider);
		strv_free(g->args, g->nargs);
		strv_free(g->reads, g->nreads);
		strv_free(g->writes, g->nwrites);
	}
	free(p->programs);
	for (i = 0; i < p->ninputs; i++) {
		free(p->inputs[i].path);
		free(p->inputs[i].from);
	}
	free(p->inputs);
	for (i = 0; i < p->noutputs; i++) {
		free(p->outputs[i].path);
		free(p->outputs[i].program);
		strv_free(p->outputs[i].to, p->outputs[i].nto);
	}
	free(p->outputs);
	for (i = 0; i < p->nbackends; i++)
		backend_release(&p->backends[i]);
	free(p->backends);
	strv_free(p->consent.signers, p->consent.nsigners);
	ccctl_buf_release(&p->canonical);
	free(p);
}

struct ccctl_policy *ccctl_policy_new(void)
{
	struct ccctl_policy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	ccctl_buf_init(&p->canonical);
	p->limits.memory = CCCTL_POLICY_DEFAULT_MEMORY;
	p->limits.fuel = CCCTL_POLICY_DEFAULT_FUEL;
	p->limits.timeout_s = CCCTL_POLICY_DEFAULT_TIMEOUT;
	p->limits.max_input = CCCTL_POLICY_DEFAULT_MAX_INPUT;
	p->options.clock = false;
	p->options.random = true;
	return p;
}

/* ---- lookups ---------------------------------------------------------- */

static int cmp_participant_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ccctl_policy_participant *)elem)->name);
}

static int cmp_program_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ccctl_policy_program *)elem)->name);
}

const struct ccctl_policy_participant *ccctl_policy_find_participant(const struct ccctl_policy *p,
								     const char *name)
{
	if (!p->nparticipants)
		return NULL;
	return bsearch(name, p->participants, p->nparticipants, sizeof(p->participants[0]),
		       cmp_participant_key);
}

const struct ccctl_policy_participant *
ccctl_policy_find_by_spki(const struct ccctl_policy *p, const uint8_t spki[CCCTL_SHA256_LEN])
{
	size_t i;

	for (i = 0; i < p->nparticipants; i++)
		if (memcmp(p->participants[i].spki_sha256, spki, CCCTL_SHA256_LEN) == 0)
			return &p->participants[i];
	return NULL;
}

const struct ccctl_policy_program *ccctl_policy_find_program(const struct ccctl_policy *p,
							     const char *name)
{
	if (!p->nprograms)
		return NULL;
	return bsearch(name, p->programs, p->nprograms, sizeof(p->programs[0]), cmp_program_key);
}

const struct ccctl_policy_backend *ccctl_policy_find_backend(const struct ccctl_policy *p,
							     const char *name)
{
	size_t i;

	for (i = 0; i < p->nbackends; i++)
		if (strcmp(p->backends[i].name, name) == 0)
			return &p->backends[i];
	return NULL;
}

const char *ccctl_policy_measurement(const struct ccctl_policy_backend *b, const char *key)
{
	size_t i;

	for (i = 0; i < b->nmeasurements; i++)
		if (strcmp(b->measurements[i].key, key) == 0)
			return b->measurements[i].value;
	return NULL;
}

void ccctl_policy_digest_str(char out[72], const struct ccctl_policy *p)
{
	memcpy(out, "sha256:", 7);
	ccctl_hex_encode(out + 7, p->digest, CCCTL_SHA256_LEN);
}

/* ---- validation ------------------------------------------------------- */

static bool is_lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

/* What one backend's measurements may hold: hex digests of a given length
 * (0: any of 64, 96, 128) or, for hash_alg / attestation, a fixed word. */
struct measure_rule {
	const char *backend;
	const char *key;
	bool required;
	size_t hexlen;
	const char *const *words;
};

static const char *const cca_algs[] = {"sha-256", "sha-384", "sha-512", NULL};
static const char *const icecap_attest[] = {"none", NULL};

static const struct measure_rule measure_rules[] = {
    {"sim", "sha256", true, 64, NULL},	  {"nitro", "pcr0", true, 96, NULL},
    {"nitro", "pcr1", true, 96, NULL},	  {"nitro", "pcr2", true, 96, NULL},
    {"nitro", "pcr3", false, 96, NULL},	  {"nitro", "pcr4", false, 96, NULL},
    {"nitro", "pcr8", false, 96, NULL},	  {"cca", "hash_alg", true, 0, cca_algs},
    {"cca", "rim", true, 0, NULL},	  {"icecap", "attestation", false, 0, icecap_attest},
    {"icecap", "sha256", true, 64, NULL},
};

#define MERR(...) ccctl_err_set(CCCTL_EINVAL, __VA_ARGS__)

static const char *const known_backends[] = {"cca", "icecap", "nitro", "sim", NULL};

bool ccctl_policy_backend_known(const char *name)
{
	size_t i;

	for (i = 0; known_backends[i]; i++)
		if (strcmp(known_backends[i], name) == 0)
			return true;
	return false;
}

static bool word_in(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(*words, s) == 0)
			return true;
	return false;
}

int ccctl_policy_check_measurements(const struct ccctl_policy_backend *b)
{
	const char *bn = b->name;
	size_t i, r;

	if (!ccctl_policy_backend_known(bn))
		return MERR("unknown backend \"%s\" (expected cca, icecap, nitro or sim)", bn);
	/* sim may come without a measurement: any runtime binary is accepted. */
	if (b->nmeasurements == 0 && strcmp(bn, "sim") == 0)
		return 0;
	for (i = 0; i < b->nmeasurements; i++) {
		const struct ccctl_policy_measurement *m = &b->measurements[i];
		const struct measure_rule *rule = NULL;

		if (i > 0 && strcmp(b->measurements[i - 1].key, m->key) >= 0)
			return MERR("backend \"%s\": measurements not sorted or repeated at \"%s\"",
				    bn, m->key);
		for (r = 0; r < sizeof(measure_rules) / sizeof(measure_rules[0]); r++)
			if (strcmp(measure_rules[r].backend, bn) == 0 &&
			    strcmp(measure_rules[r].key, m->key) == 0)
				rule = &measure_rules[r];
		if (!rule)
			return MERR("backend \"%s\": unknown measurement \"%s\"", bn, m->key);
		if (rule->words) {
			if (!word_in(m->value, rule->words))
				return MERR(
				    "backend \"%s\": measurement \"%s\" is \"%s\": not one of "
				    "the accepted values",
				    bn, m->key, m->value);
			continue;
		}
		if (rule->hexlen) {
			if (strlen(m->value) != rule->hexlen ||
			    !is_lower_hex(m->value, rule->hexlen))
				return MERR(
				    "backend \"%s\": measurement \"%s\": expected %zu "
				    "lowercase hex digits, found \"%.16s...\" (%zu characters)",
				    bn, m->key, rule->hexlen, m->value, strlen(m->value));
		}
	}
	for (r = 0; r < sizeof(measure_rules) / sizeof(measure_rules[0]); r++) {
		if (strcmp(measure_rules[r].backend, bn) != 0 || !measure_rules[r].required)
			continue;
		if (!ccctl_policy_measurement(b, measure_rules[r].key))
			return MERR("backend \"%s\": missing measurement \"%s\"", bn,
				    measure_rules[r].key);
	}
	if (strcmp(bn, "cca") == 0) {
		const char *alg = ccctl_policy_measurement(b, "hash_alg");
		const char *rim = ccctl_policy_measurement(b, "rim");
		size_t want = strcmp(alg, "sha-256") == 0   ? 64
			      : strcmp(alg, "sha-384") == 0 ? 96
							    : 128;

		if (strlen(rim) != want || !is_lower_hex(rim, want))
			return MERR(
			    "backend \"cca\": measurement \"rim\": expected %zu lowercase hex "
			    "digits for %s, found %zu characters",
			    want, alg, strlen(rim));
	}
	return 0;
}

/* Names in v[0..n) are sorted, unique and each satisfies ok (when given). */
static int check_sorted_names(char *const *v, size_t n, const char *where, bool (*ok)(const char *),
			      const char *rule)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ok && !ok(v[i]))
			return PERR("%s: \"%s\" is not a valid %s", where, v[i], rule);
		if (i > 0 && strcmp(v[i - 1], v[i]) >= 0)
			return PERR("%s: \"%s\" %s", where, v[i],
				    strcmp(v[i - 1], v[i]) == 0 ? "repeated" : "out of order");
	}
	return 0;
}

static bool folder_path_ok(const char *s)
{
	return ccctl_units_path_ok(s, true, NULL);
}

static bool is_stream(const char *path)
{
	return strcmp(path, "stdout") == 0 || strcmp(path, "stderr") == 0;
}

static int check_participants(const struct ccctl_policy *p)
{
	size_t i, j;

	if (p->nparticipants == 0)
		return PERR("\"participants\": expected at least one participant");
	for (i = 0; i < p->nparticipants; i++) {
		const struct ccctl_policy_participant *a = &p->participants[i];
		uint8_t spki[CCCTL_SHA256_LEN];
		size_t len = strlen(a->certificate);
		char msg[256];

		if (!ccctl_units_name_ok(a->name))
			return PERR("participant \"%s\": name must match [a-z][a-z0-9_-]{0,31}",
				    a->name);
		if (i > 0 && strcmp(p->participants[i - 1].name, a->name) >= 0)
			return PERR("participant \"%s\": %s", a->name,
				    strcmp(p->participants[i - 1].name, a->name) == 0
					? "repeated"
					: "out of order (participants are sorted by name)");
		if (len == 0 || len > CCCTL_POLICY_MAX_CERT)
			return PERR("participant \"%s\": certificate of %zu bytes (expected 1 to "
				    "%d)",
				    a->name, len, CCCTL_POLICY_MAX_CERT);
		if (ccctl_cert_spki_sha256(spki, a->certificate, len))
			return PERR("participant \"%s\": certificate: %s", a->name,
				    last_msg(msg, sizeof(msg)));
		if (memcmp(spki, a->spki_sha256, sizeof(spki)) != 0)
			return PERR("participant \"%s\": \"spki_sha256\" does not match the "
				    "certificate's key",
				    a->name);
		for (j = 0; j < i; j++)
			if (memcmp(p->participants[j].spki_sha256, a->spki_sha256,
				   CCCTL_SHA256_LEN) == 0)
				return PERR("participants \"%s\" and \"%s\" have the same key",
					    p->participants[j].name, a->name);
	}
	return 0;
}

static int check_programs(const struct ccctl_policy *p)
{
	size_t i, j;
	int rc;

	if (p->nprograms == 0)
		return PERR("\"programs\": expected at least one program");
	for (i = 0; i < p->nprograms; i++) {
		const struct ccctl_policy_program *g = &p->programs[i];
		char where[64];

		if (!ccctl_units_name_ok(g->name))
			return PERR("program \"%s\": name must match [a-z][a-z0-9_-]{0,31}",
				    g->name);
		if (i > 0 && strcmp(p->programs[i - 1].name, g->name) >= 0)
			return PERR("program \"%s\": %s", g->name,
				    strcmp(p->programs[i - 1].name, g->name) == 0
					? "repeated"
					: "out of order (programs are sorted by name)");
		if (!ccctl_policy_find_participant(p, g->provider))
			return PERR("program \"%s\": provider \"%s\" is not a participant", g->name,
				    g->provider);
		if (g->nargs > CCCTL_POLICY_MAX_ARGS)
			return PERR("program \"%s\": %zu arguments (at most %d)", g->name, g->nargs,
				    CCCTL_POLICY_MAX_ARGS);
		for (j = 0; j < g->nargs; j++)
			if (strlen(g->args[j]) > CCCTL_POLICY_MAX_ARG)
				return PERR("program \"%s\": argument %zu longer than %d bytes",
					    g->name, j + 1, CCCTL_POLICY_MAX_ARG);
		snprintf(where, sizeof(where), "program \"%s\" reads", g->name);
		rc = check_sorted_names(g->reads, g->nreads, where, folder_path_ok, "guest path");
		if (rc)
			return rc;
		snprintf(where, sizeof(where), "program \"%s\" writes", g->name);
		rc = check_sorted_names(g->writes, g->nwrites, where, folder_path_ok, "guest path");
		if (rc)
			return rc;
	}
	return 0;
}

bool ccctl_policy_program_reads(const struct ccctl_policy_program *g, const char *path)
{
	size_t i;

	for (i = 0; i < g->nreads; i++)
		if (ccctl_units_path_covers(g->reads[i], path))
			return true;
	return false;
}

bool ccctl_policy_program_writes(const struct ccctl_policy_program *g, const char *path)
{
	size_t i;

	for (i = 0; i < g->nwrites; i++)
		if (ccctl_units_path_covers(g->writes[i], path))
			return true;
	return false;
}

static int cmp_input_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ccctl_policy_input *)elem)->path);
}

static int check_files(const struct ccctl_policy *p)
{
	size_t i, j;
	const char *why;
	int rc;

	for (i = 0; i < p->ninputs; i++) {
		const struct ccctl_policy_input *in = &p->inputs[i];
		bool read = false;

		if (!ccctl_units_path_ok(in->path, false, &why))
			return PERR("input \"%s\": %s", in->path, why);
		if (i > 0 && strcmp(p->inputs[i - 1].path, in->path) >= 0)
			return PERR("input \"%s\": %s", in->path,
				    strcmp(p->inputs[i - 1].path, in->path) == 0
					? "repeated"
					: "out of order (inputs are sorted by path)");
		if (!ccctl_policy_find_participant(p, in->from))
			return PERR("input \"%s\": \"from\" names \"%s\", not a participant",
				    in->path, in->from);
		if (in->max_size < 1 || in->max_size > CCCTL_UNITS_MAX)
			return PERR("input \"%s\": max_size %llu outside 1..%llu", in->path,
				    (unsigned long long)in->max_size,
				    (unsigned long long)CCCTL_UNITS_MAX);
		for (j = 0; j < p->nprograms && !read; j++)
			read = ccctl_policy_program_reads(&p->programs[j], in->path);
		if (!read)
			return PERR("input \"%s\": no program reads it", in->path);
	}
	for (i = 0; i < p->noutputs; i++) {
		const struct ccctl_policy_output *o = &p->outputs[i];
		const struct ccctl_policy_program *g;
		char where[64];

		if (!is_stream(o->path) && !ccctl_units_path_ok(o->path, false, &why))
			return PERR("output \"%s\": %s", o->path, why);
		if (i > 0 && strcmp(p->outputs[i - 1].path, o->path) >= 0)
			return PERR("output \"%s\": %s", o->path,
				    strcmp(p->outputs[i - 1].path, o->path) == 0
					? "repeated"
					: "out of order (outputs are sorted by path)");
		if (p->ninputs &&
		    bsearch(o->path, p->inputs, p->ninputs, sizeof(p->inputs[0]), cmp_input_key))
			return PERR("output \"%s\": also an input path", o->path);
		if (o->nto == 0)
			return PERR("output \"%s\": \"to\" is empty", o->path);
		snprintf(where, sizeof(where), "output \"%.32s\" to", o->path);
		rc = check_sorted_names(o->to, o->nto, where, NULL, NULL);
		if (rc)
			return rc;
		for (j = 0; j < o->nto; j++)
			if (!ccctl_policy_find_participant(p, o->to[j]))
				return PERR("output \"%s\": \"to\" names \"%s\", not a participant",
					    o->path, o->to[j]);
		g = ccctl_policy_find_program(p, o->program);
		if (!g)
			return PERR("output \"%s\": program \"%s\" does not exist", o->path,
				    o->program);
		if (!is_stream(o->path) && !ccctl_policy_program_writes(g, o->path))
			return PERR("output \"%s\": program \"%s\" may not write it", o->path,
				    g->name);
	}
	return 0;
}

static int check_rest(const struct ccctl_policy *p)
{
	char msg[512];
	size_t i;
	int rc;

	if (p->limits.memory < CCCTL_POLICY_MIN_MEMORY ||
	    p->limits.memory > CCCTL_POLICY_MAX_MEMORY)
		return PERR("limits.memory %llu outside %llu..%llu",
			    (unsigned long long)p->limits.memory, CCCTL_POLICY_MIN_MEMORY,
			    CCCTL_POLICY_MAX_MEMORY);
	if (p->limits.fuel < 1 || p->limits.fuel > CCCTL_UNITS_MAX)
		return PERR("limits.fuel must be 1..%llu", (unsigned long long)CCCTL_UNITS_MAX);
	if (p->limits.timeout_s < 1 || p->limits.timeout_s > CCCTL_UNITS_MAX)
		return PERR("limits.timeout must be 1..%llu", (unsigned long long)CCCTL_UNITS_MAX);
	if (p->limits.max_input < 1 || p->limits.max_input > CCCTL_UNITS_MAX)
		return PERR("limits.max_input must be 1..%llu",
			    (unsigned long long)CCCTL_UNITS_MAX);
	if (p->nbackends == 0)
		return PERR("\"backends\": expected at least one backend");
	for (i = 0; i < p->nbackends; i++) {
		if (i > 0 && strcmp(p->backends[i - 1].name, p->backends[i].name) >= 0)
			return PERR("backend \"%s\": repeated or out of order",
				    p->backends[i].name);
		if (ccctl_policy_check_measurements(&p->backends[i]))
			return PERR("%s", last_msg(msg, sizeof(msg)));
	}
	if (p->consent.nsigners == 0)
		return PERR("consent: expected at least one signer");
	rc = check_sorted_names(p->consent.signers, p->consent.nsigners, "consent signers", NULL,
				NULL);
	if (rc)
		return rc;
	for (i = 0; i < p->consent.nsigners; i++)
		if (!ccctl_policy_find_participant(p, p->consent.signers[i]))
			return PERR("consent: signer \"%s\" is not a participant",
				    p->consent.signers[i]);
	if (p->consent.threshold < 1 || p->consent.threshold > p->consent.nsigners)
		return PERR("consent: threshold %llu outside 1..%zu",
			    (unsigned long long)p->consent.threshold, p->consent.nsigners);
	return 0;
}

int ccctl_policy_validate(const struct ccctl_policy *p)
{
	int rc;

	if (!p->name || !ccctl_units_policy_name_ok(p->name))
		return PERR("name \"%s\" must match [a-z0-9][a-z0-9-]{0,62}",
			    p->name ? p->name : "");
	if (p->description &&
	    (!*p->description || strlen(p->description) > CCCTL_POLICY_MAX_DESCRIPTION))
		return PERR("description: expected 1 to %d bytes", CCCTL_POLICY_MAX_DESCRIPTION);
	if (p->expires) {
		int64_t t;
		char msg[256];

		if (ccctl_units_parse_time(&t, p->expires))
			return PERR("expires: %s", last_msg(msg, sizeof(msg)));
		if (t != p->expires_unix)
			return PERR("expires: \"%s\" does not match its time value", p->expires);
	}
	rc = check_participants(p);
	if (!rc)
		rc = check_programs(p);
	if (!rc)
		rc = check_files(p);
	if (!rc)
		rc = check_rest(p);
	return rc;
}

/* ---- serialisation ---------------------------------------------------- */

/* Sticky-error helpers: once *rc is set they only free what they are given. */
static void put(struct ccctl_json *obj, const char *key, struct ccctl_json *v, int *rc)
{
	if (*rc) {
		ccctl_json_free(v);
		return;
	}
	if (!v) {
		*rc = ccctl_err_nomem();
		return;
	}
	*rc = ccctl_json_object_set(obj, key, v);
}

static void push(struct ccctl_json *arr, struct ccctl_json *v, int *rc)
{
	if (*rc) {
		ccctl_json_free(v);
		return;
	}
	if (!v) {
		*rc = ccctl_err_nomem();
		return;
	}
	*rc = ccctl_json_array_push(arr, v);
}

static struct ccctl_json *json_uint(uint64_t v, int *rc)
{
	if (v > CCCTL_UNITS_MAX) {
		if (!*rc)
			*rc = PERR("integer %llu larger than %llu", (unsigned long long)v,
				   (unsigned long long)CCCTL_UNITS_MAX);
		return NULL;
	}
	return ccctl_json_new_int((int64_t)v);
}

static struct ccctl_json *json_hex(const uint8_t *d, size_t n)
{
	char hex[2 * 64 + 1];

	ccctl_hex_encode(hex, d, n);
	return ccctl_json_new_string(hex);
}

static struct ccctl_json *json_strv(char *const *v, size_t n, int *rc)
{
	struct ccctl_json *a = ccctl_json_new_array();
	size_t i;

	for (i = 0; i < n && a; i++)
		push(a, ccctl_json_new_string(v[i]), rc);
	return a;
}

static struct ccctl_json *json_new_object(struct ccctl_json *arr, int *rc)
{
	struct ccctl_json *o = ccctl_json_new_object();

	push(arr, o, rc);
	return *rc ? NULL : o;
}

static void put_participants(struct ccctl_json *doc, const struct ccctl_policy *p, int *rc)
{
	struct ccctl_json *arr = ccctl_json_new_array();
	size_t i;

	put(doc, "participants", arr, rc);
	for (i = 0; i < p->nparticipants && !*rc; i++) {
		const struct ccctl_policy_participant *a = &p->participants[i];
		struct ccctl_json *o = json_new_object(arr, rc);

		if (!o)
			break;
		put(o, "name", ccctl_json_new_string(a->name), rc);
		put(o, "certificate", ccctl_json_new_string(a->certificate), rc);
		put(o, "spki_sha256", json_hex(a->spki_sha256, CCCTL_SHA256_LEN), rc);
	}
}

static void put_programs(struct ccctl_json *doc, const struct ccctl_policy *p, int *rc)
{
	struct ccctl_json *arr = ccctl_json_new_array();
	size_t i;

	put(doc, "programs", arr, rc);
	for (i = 0; i < p->nprograms && !*rc; i++) {
		const struct ccctl_policy_program *g = &p->programs[i];
		struct ccctl_json *o = json_new_object(arr, rc);

		if (!o)
			break;
		put(o, "name", ccctl_json_new_string(g->name), rc);
		put(o, "provider", ccctl_json_new_string(g->provider), rc);
		put(o, "sha256", json_hex(g->sha256, CCCTL_SHA256_LEN), rc);
		if (g->nargs)
			put(o, "args", json_strv(g->args, g->nargs, rc), rc);
		put(o, "reads", json_strv(g->reads, g->nreads, rc), rc);
		put(o, "writes", json_strv(g->writes, g->nwrites, rc), rc);
	}
}

static void put_files(struct ccctl_json *doc, const struct ccctl_policy *p, int *rc)
{
	struct ccctl_json *ins = ccctl_json_new_array();
	struct ccctl_json *outs = ccctl_json_new_array();
	size_t i;

	put(doc, "inputs", ins, rc);
	put(doc, "outputs", outs, rc);
	for (i = 0; i < p->ninputs && !*rc; i++) {
		const struct ccctl_policy_input *in = &p->inputs[i];
		struct ccctl_json *o = json_new_object(ins, rc);

		if (!o)
			break;
		put(o, "path", ccctl_json_new_string(in->path), rc);
		put(o, "from", ccctl_json_new_string(in->from), rc);
		if (in->has_sha256)
			put(o, "sha256", json_hex(in->sha256, CCCTL_SHA256_LEN), rc);
		put(o, "max_size", json_uint(in->max_size, rc), rc);
	}
	for (i = 0; i < p->noutputs && !*rc; i++) {
		const struct ccctl_policy_output *out = &p->outputs[i];
		struct ccctl_json *o = json_new_object(outs, rc);

		if (!o)
			break;
		put(o, "path", ccctl_json_new_string(out->path), rc);
		put(o, "to", json_strv(out->to, out->nto, rc), rc);
		put(o, "program", ccctl_json_new_string(out->program), rc);
	}
}

static void put_rest(struct ccctl_json *doc, const struct ccctl_policy *p, int *rc)
{
	struct ccctl_json *limits = ccctl_json_new_object();
	struct ccctl_json *options = ccctl_json_new_object();
	struct ccctl_json *backends = ccctl_json_new_array();
	struct ccctl_json *consent = ccctl_json_new_object();
	size_t i, j;

	put(doc, "limits", limits, rc);
	put(doc, "options", options, rc);
	put(doc, "backends", backends, rc);
	put(doc, "consent", consent, rc);
	if (*rc)
		return;
	put(limits, "memory", json_uint(p->limits.memory, rc), rc);
	put(limits, "fuel", json_uint(p->limits.fuel, rc), rc);
	put(limits, "timeout", json_uint(p->limits.timeout_s, rc), rc);
	put(limits, "max_input", json_uint(p->limits.max_input, rc), rc);
	put(options, "clock", ccctl_json_new_bool(p->options.clock), rc);
	put(options, "random", ccctl_json_new_bool(p->options.random), rc);
	for (i = 0; i < p->nbackends && !*rc; i++) {
		const struct ccctl_policy_backend *b = &p->backends[i];
		struct ccctl_json *o = json_new_object(backends, rc);
		struct ccctl_json *m;

		if (!o)
			break;
		put(o, "name", ccctl_json_new_string(b->name), rc);
		if (!b->nmeasurements)
			continue;
		m = ccctl_json_new_object();
		put(o, "measurements", m, rc);
		for (j = 0; j < b->nmeasurements && !*rc; j++)
			put(m, b->measurements[j].key,
			    ccctl_json_new_string(b->measurements[j].value), rc);
	}
	put(consent, "signers", json_strv(p->consent.signers, p->consent.nsigners, rc), rc);
	put(consent, "threshold", json_uint(p->consent.threshold, rc), rc);
}

int ccctl_policy_to_json(struct ccctl_json **out, const struct ccctl_policy *p)
{
	struct ccctl_json *doc = ccctl_json_new_object();
	int rc = 0;

	*out = NULL;
	if (!doc)
		return ccctl_err_nomem();
	put(doc, "version", ccctl_json_new_int(1), &rc);
	put(doc, "name", ccctl_json_new_string(p->name ? p->name : ""), &rc);
	if (p->description)
		put(doc, "description", ccctl_json_new_string(p->description), &rc);
	if (p->expires)
		put(doc, "expires", ccctl_json_new_string(p->expires), &rc);
	put_participants(doc, p, &rc);
	put_programs(doc, p, &rc);
	put_files(doc, p, &rc);
	put_rest(doc, p, &rc);
	if (rc) {
		ccctl_json_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

/* Serialise p canonically into p->canonical and set p->digest. */
static int policy_serialise(struct ccctl_policy *p)
{
	struct ccctl_json *doc = NULL;
	int rc = ccctl_policy_to_json(&doc, p);

	if (rc)
		goto out;
	ccctl_buf_release(&p->canonical);
	rc = ccctl_json_write_canonical(&p->canonical, doc);
	if (rc)
		goto out;
	if (p->canonical.len > CCCTL_POLICY_MAX_SIZE) {
		rc = PERR("%zu bytes, more than %u", p->canonical.len, CCCTL_POLICY_MAX_SIZE);
		goto out;
	}
	ccctl_sha256(p->digest, p->canonical.data, p->canonical.len);
out:
	ccctl_json_free(doc);
	return rc;
}

/* ---- building --------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_strv(char **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_str);
}

static int cmp_participant(const void *a, const void *b)
{
	return strcmp(((const struct ccctl_policy_participant *)a)->name,
		      ((const struct ccctl_policy_participant *)b)->name);
}

static int cmp_program(const void *a, const void *b)
{
	return strcmp(((const struct ccctl_policy_program *)a)->name,
		      ((const struct ccctl_policy_program *)b)->name);
}

static int cmp_input(const void *a, const void *b)
{
	return strcmp(((const struct ccctl_policy_input *)a)->path,
		      ((const struct ccctl_policy_input *)b)->path);
}

static int cmp_output(const void *a, const void *b)
{
	return strcmp(((const struct ccctl_policy_output *)a)->path,
		      ((const struct ccctl_policy_output *)b)->path);
}

static int cmp_backend(const void *a, const void *b)
{
	return strcmp(((const struct ccctl_policy_backend *)a)->name,
		      ((const struct ccctl_policy_backend *)b)->name);
}

static int cmp_measurement(const void *a, const void *b)
{
	return strcmp(((const struct ccctl_policy_measurement *)a)->key,
		      ((const struct ccctl_policy_measurement *)b)->key);
}

#define SORT(arr, n, cmp)                                                                          \
	do {                                                                                       \
		if ((n) > 1)                                                                       \
			qsort((arr), (n), sizeof(*(arr)), cmp);                                    \
	} while (0)

int ccctl_policy_finish(struct ccctl_policy *p)
{
	size_t i;
	int rc;

	SORT(p->participants, p->nparticipants, cmp_participant);
	SORT(p->programs, p->nprograms, cmp_program);
	SORT(p->inputs, p->ninputs, cmp_input);
	SORT(p->outputs, p->noutputs, cmp_output);
	SORT(p->backends, p->nbackends, cmp_backend);
	for (i = 0; i < p->nprograms; i++) {
		sort_strv(p->programs[i].reads, p->programs[i].nreads);
		sort_strv(p->programs[i].writes, p->programs[i].nwrites);
	}
	for (i = 0; i < p->noutputs; i++)
		sort_strv(p->outputs[i].to, p->outputs[i].nto);
	for (i = 0; i < p->nbackends; i++)
		SORT(p->backends[i].measurements, p->backends[i].nmeasurements, cmp_measurement);
	sort_strv(p->consent.signers, p->consent.nsigners);
	if (p->consent.threshold == 0)
		p->consent.threshold = p->consent.nsigners;
	rc = ccctl_policy_validate(p);
	if (rc)
		return rc;
	return policy_serialise(p);
}

/* ---- parsing ---------------------------------------------------------- */

/* Check that o is an object whose members are all named in `keys` (NULL
 * terminated) and that it has every required one (marked by a leading '!'). */
static int want_object(const struct ccctl_json *o, const char *where, const char *const *keys)
{
	size_t i, k;

	if (!o || o->type != CCCTL_JSON_OBJECT)
		return PERR("\"%s\": expected an object", where);
	for (i = 0; i < o->u.obj.n; i++) {
		const char *key = o->u.obj.members[i].key;
		bool known = false;

		for (k = 0; keys[k] && !known; k++)
			known = strcmp(keys[k] + (keys[k][0] == '!'), key) == 0;
		if (!known)
			return PERR("\"%s\": unknown member \"%s\"", where, key);
	}
	for (k = 0; keys[k]; k++)
		if (keys[k][0] == '!' && !ccctl_json_get(o, keys[k] + 1))
			return PERR("\"%s\": missing member \"%s\"", where, keys[k] + 1);
	return 0;
}

static int dup_string(char **out, const struct ccctl_json *v, const char *where, size_t max)
{
	if (!v || v->type != CCCTL_JSON_STRING)
		return PERR("\"%s\": expected a string", where);
	if (strlen(v->u.str.s) != v->u.str.len)
		return PERR("\"%s\": contains U+0000", where);
	if (v->u.str.len == 0 || v->u.str.len > max)
		return PERR("\"%s\": expected 1 to %zu bytes, found %zu", where, max, v->u.str.len);
	*out = strdup(v->u.str.s);
	return *out ? 0 : ccctl_err_nomem();
}

static int get_string(char **out, const struct ccctl_json *o, const char *key, const char *where,
		      size_t max)
{
	char w[160];

	snprintf(w, sizeof(w), "%s.%s", where, key);
	return dup_string(out, ccctl_json_get(o, key), w, max);
}

static int get_hex(uint8_t *out, size_t n, const struct ccctl_json *o, const char *key,
		   const char *where)
{
	const struct ccctl_json *v = ccctl_json_get(o, key);

	if (!v || v->type != CCCTL_JSON_STRING || v->u.str.len != 2 * n ||
	    !is_lower_hex(v->u.str.s, 2 * n))
		return PERR("\"%s.%s\": expected %zu lowercase hex digits", where, key, 2 * n);
	return ccctl_hex_decode(out, n, v->u.str.s, v->u.str.len);
}

static int get_uint(uint64_t *out, const struct ccctl_json *o, const char *key, const char *where)
{
	const struct ccctl_json *v = ccctl_json_get(o, key);

	if (!v || v->type != CCCTL_JSON_INT || v->u.i < 0)
		return PERR("\"%s.%s\": expected a non-negative integer", where, key);
	*out = (uint64_t)v->u.i;
	return 0;
}

static int get_bool(bool *out, const struct ccctl_json *o, const char *key, const char *where)
{
	const struct ccctl_json *v = ccctl_json_get(o, key);

	if (!v || v->type != CCCTL_JSON_BOOL)
		return PERR("\"%s.%s\": expected true or false", where, key);
	*out = v->u.b;
	return 0;
}

/* An array of strings (each 1..maxlen bytes) into a new vector. */
static int get_strv(char ***out, size_t *n, const struct ccctl_json *o, const char *key,
		    const char *where, size_t maxlen)
{
	const struct ccctl_json *v = ccctl_json_get(o, key);
	char w[160];
	size_t i;
	int rc;

	if (!v || v->type != CCCTL_JSON_ARRAY)
		return PERR("\"%s.%s\": expected an array", where, key);
	*n = 0;
	*out = calloc(v->u.arr.n ? v->u.arr.n : 1, sizeof(**out));
	if (!*out)
		return ccctl_err_nomem();
	for (i = 0; i < v->u.arr.n; i++) {
		snprintf(w, sizeof(w), "%s.%s[%zu]", where, key, i);
		rc = dup_string(&(*out)[i], v->u.arr.items[i], w, maxlen);
		if (rc)
			return rc;
		(*n)++;
	}
	return 0;
}

/* The array member `key` of doc: its items and count. */
static int get_array(const struct ccctl_json *const **items, size_t *n,
		     const struct ccctl_json *doc, const char *key)
{
	const struct ccctl_json *v = ccctl_json_get(doc, key);

	if (!v || v->type != CCCTL_JSON_ARRAY)
		return PERR("\"%s\": expected an array", key);
	*items = (const struct ccctl_json *const *)v->u.arr.items;
	*n = v->u.arr.n;
	return 0;
}

#define ALLOC_ARRAY(ptr, n) ((ptr) = calloc((n) ? (n) : 1, sizeof(*(ptr))))

static int parse_participants(struct ccctl_policy *p, const struct ccctl_json *doc)
{
	static const char *const keys[] = {"!name", "!certificate", "!spki_sha256", NULL};
	const struct ccctl_json *const *items = NULL;
	size_t n = 0, i;
	int rc = get_array(&items, &n, doc, "participants");

	if (rc)
		return rc;
	if (!ALLOC_ARRAY(p->participants, n))
		return ccctl_err_nomem();
	for (i = 0; i < n; i++) {
		struct ccctl_policy_participant *a = &p->participants[i];
		char where[48];

		snprintf(where, sizeof(where), "participants[%zu]", i);
		p->nparticipants = i + 1;
		rc = want_object(items[i], where, keys);
		if (!rc)
			rc = get_string(&a->name, items[i], "name", where, 32);
		if (!rc)
			rc = get_string(&a->certificate, items[i], "certificate", where,
					CCCTL_POLICY_MAX_CERT);
		if (!rc)
			rc = get_hex(a->spki_sha256, CCCTL_SHA256_LEN, items[i], "spki_sha256",
				     where);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_programs(struct ccctl_policy *p, const struct ccctl_json *doc)
{
	static const char *const keys[] = {"!name",  "!provider", "!sha256", "args",
					   "!reads", "!writes",	  NULL};
	const struct ccctl_json *const *items = NULL;
	size_t n = 0, i;
	int rc = get_array(&items, &n, doc, "programs");

	if (rc)
		return rc;
	if (!ALLOC_ARRAY(p->programs, n))
		return ccctl_err_nomem();
	for (i = 0; i < n; i++) {
		struct ccctl_policy_program *g = &p->programs[i];
		const struct ccctl_json *it = items[i];
		char where[48];

		snprintf(where, sizeof(where), "programs[%zu]", i);
		p->nprograms = i + 1;
		rc = want_object(it, where, keys);
		if (!rc)
			rc = get_string(&g->name, it, "name", where, 32);
		if (!rc)
			rc = get_string(&g->provider, it, "provider", where, 32);
		if (!rc)
			rc = get_hex(g->sha256, CCCTL_SHA256_LEN, it, "sha256", where);
		if (!rc && ccctl_json_get(it, "args"))
			rc = get_strv(&g->args, &g->nargs, it, "args", where, CCCTL_POLICY_MAX_ARG);
		if (!rc)
			rc = get_strv(&g->reads, &g->nreads, it, "reads", where, CCCTL_PATH_MAX);
		if (!rc)
			rc = get_strv(&g->writes, &g->nwrites, it, "writes", where, CCCTL_PATH_MAX);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_inputs(struct ccctl_policy *p, const struct ccctl_json *doc)
{
	static const char *const keys[] = {"!path", "!from", "sha256", "!max_size", NULL};
	const struct ccctl_json *const *items = NULL;
	size_t n = 0, i;
	int rc = get_array(&items, &n, doc, "inputs");

	if (rc)
		return rc;
	if (!ALLOC_ARRAY(p->inputs, n))
		return ccctl_err_nomem();
	for (i = 0; i < n; i++) {
		struct ccctl_policy_input *in = &p->inputs[i];
		const struct ccctl_json *it = items[i];
		char where[48];

		snprintf(where, sizeof(where), "inputs[%zu]", i);
		p->ninputs = i + 1;
		rc = want_object(it, where, keys);
		if (!rc)
			rc = get_string(&in->path, it, "path", where, CCCTL_PATH_MAX);
		if (!rc)
			rc = get_string(&in->from, it, "from", where, 32);
		if (!rc && ccctl_json_get(it, "sha256")) {
			in->has_sha256 = true;
			rc = get_hex(in->sha256, CCCTL_SHA256_LEN, it, "sha256", where);
		}
		if (!rc)
			rc = get_uint(&in->max_size, it, "max_size", where);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_outputs(struct ccctl_policy *p, const struct ccctl_json *doc)
{
	static const char *const keys[] = {"!path", "!to", "!program", NULL};
	const struct ccctl_json *const *items = NULL;
	size_t n = 0, i;
	int rc = get_array(&items, &n, doc, "outputs");

	if (rc)
		return rc;
	if (!ALLOC_ARRAY(p->outputs, n))
		return ccctl_err_nomem();
	for (i = 0; i < n; i++) {
		struct ccctl_policy_output *o = &p->outputs[i];
		const struct ccctl_json *it = items[i];
		char where[48];

		snprintf(where, sizeof(where), "outputs[%zu]", i);
		p->noutputs = i + 1;
		rc = want_object(it, where, keys);
		if (!rc)
			rc = get_string(&o->path, it, "path", where, CCCTL_PATH_MAX);
		if (!rc)
			rc = get_strv(&o->to, &o->nto, it, "to", where, 32);
		if (!rc)
			rc = get_string(&o->program, it, "program", where, 32);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_backends(struct ccctl_policy *p, const struct ccctl_json *doc)
{
	static const char *const keys[] = {"!name", "measurements", NULL};
	const struct ccctl_json *const *items = NULL;
	size_t n = 0, i, j;
	int rc = get_array(&items, &n, doc, "backends");

	if (rc)
		return rc;
	if (!ALLOC_ARRAY(p->backends, n))
		return ccctl_err_nomem();
	for (i = 0; i < n; i++) {
		struct ccctl_policy_backend *b = &p->backends[i];
		const struct ccctl_json *m;
		char where[48];

		snprintf(where, sizeof(where), "backends[%zu]", i);
		p->nbackends = i + 1;
		rc = want_object(items[i], where, keys);
		if (!rc)
			rc = get_string(&b->name, items[i], "name", where, 16);
		if (rc)
			return rc;
		m = ccctl_json_get(items[i], "measurements");
		if (!m)
			continue;
		if (m->type != CCCTL_JSON_OBJECT || m->u.obj.n == 0 || m->u.obj.n > 16)
			return PERR("\"%s.measurements\": expected an object of 1 to 16 members",
				    where);
		b->measurements = calloc(m->u.obj.n, sizeof(*b->measurements));
		if (!b->measurements)
			return ccctl_err_nomem();
		for (j = 0; j < m->u.obj.n; j++) {
			char w[96];

			snprintf(w, sizeof(w), "%s.measurements.%.16s", where,
				 m->u.obj.members[j].key);
			b->measurements[j].key = strdup(m->u.obj.members[j].key);
			b->nmeasurements = j + 1;
			if (!b->measurements[j].key)
				return ccctl_err_nomem();
			rc = dup_string(&b->measurements[j].value, m->u.obj.members[j].value, w,
					128);
			if (rc)
				return rc;
		}
		SORT(b->measurements, b->nmeasurements, cmp_measurement);
	}
	return 0;
}

static int parse_rest(struct ccctl_policy *p, const struct ccctl_json *doc)
{
	static const char *const limit_keys[] = {"!memory", "!fuel", "!timeout", "!max_input",
						 NULL};
	static const char *const option_keys[] = {"!clock", "!random", NULL};
	static const char *const consent_keys[] = {"!signers", "!threshold", NULL};
	const struct ccctl_json *v;
	int rc;

	v = ccctl_json_get(doc, "limits");
	rc = want_object(v, "limits", limit_keys);
	if (!rc)
		rc = get_uint(&p->limits.memory, v, "memory", "limits");
	if (!rc)
		rc = get_uint(&p->limits.fuel, v, "fuel", "limits");
	if (!rc)
		rc = get_uint(&p->limits.timeout_s, v, "timeout", "limits");
	if (!rc)
		rc = get_uint(&p->limits.max_input, v, "max_input", "limits");
	if (rc)
		return rc;
	v = ccctl_json_get(doc, "options");
	rc = want_object(v, "options", option_keys);
	if (!rc)
		rc = get_bool(&p->options.clock, v, "clock", "options");
	if (!rc)
		rc = get_bool(&p->options.random, v, "random", "options");
	if (rc)
		return rc;
	v = ccctl_json_get(doc, "consent");
	rc = want_object(v, "consent", consent_keys);
	if (!rc)
		rc = get_strv(&p->consent.signers, &p->consent.nsigners, v, "signers", "consent",
			      32);
	if (!rc)
		rc = get_uint(&p->consent.threshold, v, "threshold", "consent");
	return rc;
}

int ccctl_policy_parse(struct ccctl_policy **out, const void *data, size_t len)
{
	static const char *const keys[] = {
	    "!version",	 "!name",    "description", "expires", "!participants",
	    "!programs", "!inputs",  "!outputs",    "!limits", "!options",
	    "!backends", "!consent", NULL,
	};
	struct ccctl_json *doc = NULL;
	struct ccctl_policy *p = NULL;
	int64_t version;
	char msg[512];
	int rc;

	*out = NULL;
	if (len > CCCTL_POLICY_MAX_SIZE) {
		rc = PERR("%zu bytes, more than %u", len, CCCTL_POLICY_MAX_SIZE);
		goto out;
	}
	rc = ccctl_json_parse(&doc, data, len);
	if (rc) {
		rc = PERR("%s", last_msg(msg, sizeof(msg)));
		goto out;
	}
	rc = want_object(doc, "policy", keys);
	if (rc)
		goto out;
	if (ccctl_json_get_int(doc, "version", &version) || version != 1) {
		rc = PERR("\"version\": expected 1");
		goto out;
	}
	p = ccctl_policy_new();
	if (!p) {
		rc = ccctl_err_nomem();
		goto out;
	}
	rc = get_string(&p->name, doc, "name", "policy", 63);
	if (!rc && ccctl_json_get(doc, "description"))
		rc = get_string(&p->description, doc, "description", "policy",
				CCCTL_POLICY_MAX_DESCRIPTION);
	if (!rc && ccctl_json_get(doc, "expires")) {
		rc = get_string(&p->expires, doc, "expires", "policy", 20);
		if (!rc && ccctl_units_parse_time(&p->expires_unix, p->expires))
			rc = PERR("\"expires\": %s", last_msg(msg, sizeof(msg)));
	}
	if (!rc)
		rc = parse_participants(p, doc);
	if (!rc)
		rc = parse_programs(p, doc);
	if (!rc)
		rc = parse_inputs(p, doc);
	if (!rc)
		rc = parse_outputs(p, doc);
	if (!rc)
		rc = parse_backends(p, doc);
	if (!rc)
		rc = parse_rest(p, doc);
	if (!rc)
		rc = ccctl_policy_validate(p);
	if (!rc)
		rc = policy_serialise(p);
	if (rc)
		goto out;
	if (p->canonical.len != len || memcmp(p->canonical.data, data, len) != 0) {
		rc = PERR("not in canonical form (RFC 8785: sorted members, no white space, "
			  "optional members omitted when empty)");
		goto out;
	}
	*out = p;
	p = NULL;
out:
	ccctl_json_free(doc);
	ccctl_policy_free(p);
	return rc;
}
