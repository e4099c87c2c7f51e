/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.h - the runtime's strict, bounded HTTP/1.1 request parser
 * (PROTOCOL.md): request line and headers at most RT_HTTP_MAX_HEAD bytes,
 * bodies only with Content-Length, no chunked transfer coding, no obsolete
 * line folding, exactly one Host.
 */
#ifndef RT_HTTP_H
#define RT_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_HTTP_MAX_HEAD    16384
#define RT_HTTP_MAX_HEADERS 64
#define RT_HTTP_MAX_PATH    4096
#define RT_HTTP_MAX_QUERY   1024

enum rt_http_method { RT_HTTP_GET, RT_HTTP_PUT, RT_HTTP_POST };

struct rt_http_request {
	enum rt_http_method method;
	char path[RT_HTTP_MAX_PATH];   /* percent-decoded; never contains NUL */
	char query[RT_HTTP_MAX_QUERY]; /* raw, without '?' */
	bool has_content_length;
	uint64_t content_length;
	bool expect_continue; /* "Expect: 100-continue" */
	bool close;	      /* "Connection: close" */
	size_t head_len;      /* bytes of request line + headers + blank line */
};

/*
 * Parse the head of a request from the first len bytes received.
 * Returns 1 when the head is complete (req filled, req->head_len set), 0 when
 * more bytes are needed (and len < RT_HTTP_MAX_HEAD), or a negative HTTP
 * status: -400 malformed, -405 method not supported, -431 head too large,
 * -501 transfer coding not supported, -505 not HTTP/1.1.
 * *why receives a short static reason for errors.
 */
int rt_http_parse(struct rt_http_request *req, const uint8_t *buf, size_t len, const char **why);

/* Copy the value of query parameter name (raw, not decoded) into out.
 * Returns 0, or -1 if absent, repeated, or longer than outlen-1. */
int rt_http_query_get(const char *query, const char *name, char *out, size_t outlen);

/* Reason phrase for a status code ("Not Found"). */
const char *rt_http_reason(int status);

#endif
