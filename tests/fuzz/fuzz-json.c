/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-json.c - the strict JSON parser and both writers.
 *
 * Properties checked on every input that parses:
 *   canonical(parse(canonical(x))) == canonical(x)   (RFC 8785 is a fixpoint)
 *   canonical(parse(pretty(x)))    == canonical(x)   (pretty output is JSON)
 * and, since strict base64 is a bijection, decode(x) succeeding implies
 * encode(decode(x)) == x.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Canonical bytes of a parse of in[0..len); 0, or <0 if it does not parse. */
static int reparse_canonical(struct ccctl_buf *out, const uint8_t *in, size_t len)
{
	struct ccctl_json *v = NULL;
	int ret = ccctl_json_parse(&v, in, len);

	if (ret == 0)
		ret = ccctl_json_write_canonical(out, v);
	ccctl_json_free(v);
	return ret;
}

static void check_json(const uint8_t *data, size_t size)
{
	struct ccctl_json *v = NULL;
	struct ccctl_buf c1, c2, pretty, c3;

	ccctl_buf_init(&c1);
	ccctl_buf_init(&c2);
	ccctl_buf_init(&pretty);
	ccctl_buf_init(&c3);
	if (ccctl_json_parse(&v, data, size) != 0)
		goto out;
	/* Anything the parser accepts, the writers must accept. */
	if (ccctl_json_write_canonical(&c1, v) != 0 || ccctl_json_write_pretty(&pretty, v) != 0)
		abort();
	if (reparse_canonical(&c2, c1.data, c1.len) != 0)
		abort();
	if (c1.len != c2.len || memcmp(c1.data, c2.data, c1.len) != 0)
		abort();
	if (reparse_canonical(&c3, pretty.data, pretty.len) != 0)
		abort();
	if (c1.len != c3.len || memcmp(c1.data, c3.data, c1.len) != 0)
		abort();
out:
	ccctl_json_free(v);
	ccctl_buf_release(&c1);
	ccctl_buf_release(&c2);
	ccctl_buf_release(&pretty);
	ccctl_buf_release(&c3);
}

static void check_base64(const uint8_t *data, size_t size)
{
	struct ccctl_buf dec, enc;

	ccctl_buf_init(&dec);
	ccctl_buf_init(&enc);
	if (ccctl_base64_decode(&dec, (const char *)data, size) == 0) {
		if (ccctl_base64_encode(&enc, dec.data, dec.len) != 0)
			abort();
		if (enc.len != size || (size && memcmp(enc.data, data, size) != 0))
			abort();
	}
	ccctl_buf_release(&dec);
	ccctl_buf_release(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_json(data, size);
	check_base64(data, size);
	ccctl_err_clear();
	return 0;
}
