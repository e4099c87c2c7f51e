/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.c - the per-thread error message and diagnostics lists.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "err.h"

#define ERR_MSG_MAX 1024

static _Thread_local char err_msg[ERR_MSG_MAX];
static _Thread_local int err_code;

/* Cut a message that did not fit so the reader sees it was truncated. */
static void err_mark_truncated(void)
{
	memcpy(err_msg + ERR_MSG_MAX - 4, "...", 4);
}

/* Format through a local copy: callers may pass ccctl_err_msg() itself as an
 * argument to add context ("policy: %s"). */
__attribute__((format(printf, 2, 0))) static void err_vset(int code, const char *fmt, va_list ap)
{
	char tmp[ERR_MSG_MAX];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

	if (n < 0)
		snprintf(tmp, sizeof(tmp), "unformattable error message");
	memcpy(err_msg, tmp, sizeof(err_msg));
	if (n >= 0 && (size_t)n >= sizeof(err_msg))
		err_mark_truncated();
	err_code = code;
}

int ccctl_err_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(code, fmt, ap);
	va_end(ap);
	return code;
}

int ccctl_err_nomem(void)
{
	return ccctl_err_set(CCCTL_EFAIL, "out of memory");
}

int ccctl_err_errno(int code, const char *what)
{
	int saved = errno;

	return ccctl_err_set(code, "%s: %s", what, strerror(saved));
}

int ccctl_err_openssl(int code, const char *what)
{
	size_t off;
	unsigned long e;
	int n;

	/* what may be ccctl_err_msg() itself: move, not copy. */
	off = strnlen(what, sizeof(err_msg));
	if (off >= sizeof(err_msg)) {
		memmove(err_msg, what, sizeof(err_msg) - 1);
		err_msg[sizeof(err_msg) - 1] = '\0';
		err_mark_truncated();
		ERR_clear_error();
		goto out;
	}
	memmove(err_msg, what, off + 1);
	/* Report the queue oldest first, separated by ": ". */
	while ((e = ERR_get_error()) != 0) {
		char one[256];

		ERR_error_string_n(e, one, sizeof(one));
		n = snprintf(err_msg + off, sizeof(err_msg) - off, ": %s", one);
		if (n < 0 || (size_t)n >= sizeof(err_msg) - off) {
			err_mark_truncated();
			ERR_clear_error();
			break;
		}
		off += (size_t)n;
	}
out:
	err_code = code;
	return code;
}

const char *ccctl_err_msg(void)
{
	return err_msg;
}

int ccctl_err_code(void)
{
	return err_code;
}

void ccctl_err_clear(void)
{
	err_msg[0] = '\0';
	err_code = 0;
}

void ccctl_diags_init(struct ccctl_diags *d)
{
	d->items = NULL;
	d->n = 0;
	d->cap = 0;
	d->errors = 0;
}

void ccctl_diags_release(struct ccctl_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	ccctl_diags_init(d);
}

int ccctl_diags_add(struct ccctl_diags *d, enum ccctl_diag_level level, const char *file,
		    unsigned line, unsigned col, const char *fmt, ...)
{
	struct ccctl_diag *it;
	char *msg = NULL, *fcopy = NULL;
	va_list ap;
	int n, ret;

	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 8;
		struct ccctl_diag *items = NULL;

		if (ncap > d->cap && ncap <= SIZE_MAX / sizeof(*items))
			items = realloc(d->items, ncap * sizeof(*items));
		if (!items) {
			ret = ccctl_err_nomem();
			goto out;
		}
		d->items = items;
		d->cap = ncap;
	}

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "unformattable diagnostic");
		goto out;
	}
	msg = malloc((size_t)n + 1);
	fcopy = file ? strdup(file) : NULL;
	if (!msg || (file && !fcopy)) {
		ret = ccctl_err_nomem();
		goto out;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);

	it = &d->items[d->n++];
	it->level = level;
	it->file = fcopy;
	it->line = line;
	it->col = col;
	it->message = msg;
	if (level == CCCTL_DIAG_ERROR)
		d->errors++;
	msg = NULL;
	fcopy = NULL;
	ret = 0;
out:
	free(msg);
	free(fcopy);
	return ret;
}
