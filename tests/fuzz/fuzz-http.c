/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-http.c - the runtime's request-head parser on arbitrary bytes, fed
 * whole and in two pieces; checks the parser's promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_http_request r;
	const char *why;
	int rc = rt_http_parse(&r, data, size, &why);

	if (rc == 1) {
		if (r.head_len > size || r.head_len > RT_HTTP_MAX_HEAD)
			abort();
		if (strlen(r.path) >= sizeof(r.path) || r.path[0] != '/')
			abort();
		/* The same head parses the same way on its own. */
		struct rt_http_request r2;
		if (rt_http_parse(&r2, data, r.head_len, &why) != 1 ||
		    strcmp(r.path, r2.path) != 0 || r.content_length != r2.content_length)
			abort();
	} else if (rc == 0) {
		if (size >= RT_HTTP_MAX_HEAD)
			abort();
	} else if (rc != -400 && rc != -405 && rc != -431 && rc != -501 && rc != -505) {
		abort();
	}
	return 0;
}
