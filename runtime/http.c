/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.c - strict HTTP/1.1 request-head parser (RFC 9112 subset).
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "http.h"
#include "lib/buf.h"

static bool is_tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Find CRLF CRLF within the first len bytes; returns the offset after it. */
static size_t head_end(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 3 < len; i++)
		if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' &&
		    buf[i + 3] == '\n')
			return i + 4;
	return 0;
}

static int parse_target(struct rt_http_request *req, const uint8_t *t, size_t n, const char **why)
{
	size_t i, o = 0, q;

	if (n == 0 || t[0] != '/') {
		*why = "request target must be an absolute path";
		return -400;
	}
	for (q = 0; q < n && t[q] != '?'; q++)
		;
	if (n - q > RT_HTTP_MAX_QUERY) {
		*why = "query too long";
		return -400;
	}
	for (i = 0; i < n; i++) {
		if (t[i] <= 0x20 || t[i] >= 0x7f || t[i] == '#') {
			*why = "invalid character in request target";
			return -400;
		}
	}
	for (i = 0; i < q; i++) {
		uint8_t c = t[i];
		if (c == '%') {
			int hi, lo;
			if (q - i < 3 || (hi = ccctl_hex_value(t[i + 1])) < 0 ||
			    (lo = ccctl_hex_value(t[i + 2])) < 0) {
				*why = "bad percent-encoding";
				return -400;
			}
			c = (uint8_t)(hi << 4 | lo);
			if (c == 0) {
				*why = "NUL in path";
				return -400;
			}
			i += 2;
		}
		if (o + 1 >= sizeof(req->path)) {
			*why = "path too long";
			return -400;
		}
		req->path[o++] = (char)c;
	}
	req->path[o] = '\0';
	if (q < n) {
		memcpy(req->query, t + q + 1, n - q - 1);
		req->query[n - q - 1] = '\0';
	} else {
		req->query[0] = '\0';
	}
	return 0;
}

static bool token_eq(const uint8_t *a, size_t n, const char *b)
{
	return strlen(b) == n && strncasecmp((const char *)a, b, n) == 0;
}

int rt_http_parse(struct rt_http_request *req, const uint8_t *buf, size_t len, const char **why)
{
	size_t end, p = 0, eol, sp1, sp2, nheaders = 0;
	bool host = false;
	int rc;

	*why = "";
	memset(req, 0, sizeof(*req));
	end = head_end(buf, len < RT_HTTP_MAX_HEAD ? len : RT_HTTP_MAX_HEAD);
	if (end == 0) {
		if (len >= RT_HTTP_MAX_HEAD) {
			*why = "request head larger than 16 KiB";
			return -431;
		}
		/* A bare LF or other control byte before the head ends is an error
		 * we can report without waiting. */
		for (size_t i = 0; i < len; i++) {
			if ((buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r')) ||
			    (buf[i] < 0x20 && buf[i] != '\r' && buf[i] != '\n' && buf[i] != '\t') ||
			    buf[i] == 0x7f) {
				*why = "invalid byte in request head";
				return -400;
			}
		}
		return 0;
	}
	/* Request line. */
	for (eol = 0; eol + 1 < end && !(buf[eol] == '\r' && buf[eol + 1] == '\n'); eol++)
		;
	for (sp1 = 0; sp1 < eol && buf[sp1] != ' '; sp1++)
		;
	for (sp2 = sp1 + 1; sp2 < eol && buf[sp2] != ' '; sp2++)
		;
	if (sp1 >= eol || sp2 >= eol || sp1 == 0) {
		*why = "malformed request line";
		return -400;
	}
	for (size_t i = 0; i < sp1; i++) {
		if (!is_tchar(buf[i])) {
			*why = "malformed method";
			return -400;
		}
	}
	if (sp1 == 3 && memcmp(buf, "GET", 3) == 0)
		req->method = RT_HTTP_GET;
	else if (sp1 == 3 && memcmp(buf, "PUT", 3) == 0)
		req->method = RT_HTTP_PUT;
	else if (sp1 == 4 && memcmp(buf, "POST", 4) == 0)
		req->method = RT_HTTP_POST;
	else {
		*why = "method not supported";
		return -405;
	}
	if (eol - sp2 - 1 != 8 || memcmp(buf + sp2 + 1, "HTTP/1.", 7) != 0) {
		*why = "malformed HTTP version";
		return -400;
	}
	if (buf[sp2 + 8] != '1') {
		*why = "only HTTP/1.1 is supported";
		return -505;
	}
	rc = parse_target(req, buf + sp1 + 1, sp2 - sp1 - 1, why);
	if (rc != 0)
		return rc;

	/* Header fields. */
	p = eol + 2;
	while (p < end - 2) {
		size_t colon, vs, ve;
		const uint8_t *name, *val;
		size_t nlen, vlen;

		for (eol = p; eol + 1 < end && !(buf[eol] == '\r' && buf[eol + 1] == '\n'); eol++)
			;
		if (++nheaders > RT_HTTP_MAX_HEADERS) {
			*why = "too many header fields";
			return -431;
		}
		if (buf[p] == ' ' || buf[p] == '\t') {
			*why = "obsolete line folding";
			return -400;
		}
		for (colon = p; colon < eol && buf[colon] != ':'; colon++) {
			if (!is_tchar(buf[colon])) {
				*why = "malformed header field name";
				return -400;
			}
		}
		if (colon == p || colon >= eol) {
			*why = "malformed header field";
			return -400;
		}
		for (vs = colon + 1; vs < eol && (buf[vs] == ' ' || buf[vs] == '\t'); vs++)
			;
		for (ve = eol; ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t'); ve--)
			;
		for (size_t i = vs; i < ve; i++) {
			if ((buf[i] < 0x20 && buf[i] != '\t') || buf[i] == 0x7f) {
				*why = "invalid byte in header value";
				return -400;
			}
		}
		name = buf + p;
		nlen = colon - p;
		val = buf + vs;
		vlen = ve - vs;
		if (token_eq(name, nlen, "content-length")) {
			uint64_t v = 0;
			if (req->has_content_length || vlen == 0 || vlen > 16) {
				*why = "bad or repeated Content-Length";
				return -400;
			}
			for (size_t i = 0; i < vlen; i++) {
				if (val[i] < '0' || val[i] > '9') {
					*why = "bad Content-Length";
					return -400;
				}
				v = v * 10 + (uint64_t)(val[i] - '0');
			}
			req->has_content_length = true;
			req->content_length = v;
		} else if (token_eq(name, nlen, "transfer-encoding")) {
			*why = "transfer codings are not supported; send Content-Length";
			return -501;
		} else if (token_eq(name, nlen, "host")) {
			if (host) {
				*why = "repeated Host";
				return -400;
			}
			host = true;
		} else if (token_eq(name, nlen, "expect")) {
			if (!token_eq(val, vlen, "100-continue")) {
				*why = "unsupported expectation";
				return -400;
			}
			req->expect_continue = true;
		} else if (token_eq(name, nlen, "connection")) {
			if (token_eq(val, vlen, "close"))
				req->close = true;
		}
		p = eol + 2;
	}
	if (!host) {
		*why = "missing Host";
		return -400;
	}
	if (req->method == RT_HTTP_GET && req->has_content_length && req->content_length > 0) {
		*why = "GET with a body";
		return -400;
	}
	req->head_len = end;
	return 1;
}

int rt_http_query_get(const char *query, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = query, *found = NULL;
	size_t flen = 0;

	while (*p) {
		size_t seg = strcspn(p, "&");
		if (seg > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			if (found)
				return -1;
			found = p + nlen + 1;
			flen = seg - nlen - 1;
		} else if (seg == nlen && strncmp(p, name, nlen) == 0) {
			return -1;
		}
		p += seg;
		if (*p == '&')
			p++;
	}
	if (!found || flen + 1 > outlen)
		return -1;
	memcpy(out, found, flen);
	out[flen] = '\0';
	return 0;
}

const char *rt_http_reason(int status)
{
	switch (status) {
	case 100:
		return "Continue";
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 413:
		return "Content Too Large";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Unknown";
	}
}
