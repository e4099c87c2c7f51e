/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.h - error codes and the per-thread error message.
 *
 * Every lib function returns 0 on success or a negative ccctl_err code and
 * records a one-line message with ccctl_err_set(); it never prints or
 * exits.  The code's absolute value is the exit status the CLI uses
 * (CCCTL_EINVAL -> exit 3, and so on), so mapping is one negation.
 *
 * Messages are lowercase, without a trailing period, quote their subject and
 * say expected vs found: "policy digest mismatch: expected sha256:ab.. got ..".
 */
#ifndef CCCTL_ERR_H
#define CCCTL_ERR_H

#include <stddef.h>

enum ccctl_err {
	CCCTL_OK = 0,
	CCCTL_EFAIL = -1,    /* failure not covered below (also out of memory, I/O) */
	CCCTL_EUSAGE = -2,   /* usage error */
	CCCTL_EINVAL = -3,   /* invalid input: topology, policy, module, file */
	CCCTL_EVERIFY = -4,  /* verification failed: signature, consent, attestation */
	CCCTL_EUNAVAIL = -5, /* backend, network or remote side unavailable */
	CCCTL_EDENIED = -6,  /* the policy does not allow this */
};

/* Record a message for the current thread; returns code, so callers can
 * write `return ccctl_err_set(CCCTL_EINVAL, "bad %s", x);`. */
int ccctl_err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Set an out-of-memory error; returns CCCTL_EFAIL. */
int ccctl_err_nomem(void);

/* Record a message from errno: "<what>: <strerror>"; returns code. */
int ccctl_err_errno(int code, const char *what);

/* Record the OpenSSL error queue (and clear it) after `what`; returns code. */
int ccctl_err_openssl(int code, const char *what);

/* The last message recorded on this thread (borrowed; "" if none). */
const char *ccctl_err_msg(void);

/* The code of the last message recorded on this thread (0 if none). */
int ccctl_err_code(void);

/* Forget the last message. */
void ccctl_err_clear(void);

/*
 * Diagnostics: several positioned errors/warnings from one input (a topology
 * reports all its errors at once).  Lines and columns are 1-based; 0 means
 * unknown.
 */
enum ccctl_diag_level { CCCTL_DIAG_ERROR, CCCTL_DIAG_WARNING };

struct ccctl_diag {
	enum ccctl_diag_level level;
	char *file;    /* owned */
	unsigned line; /* 1-based, 0 = unknown */
	unsigned col;  /* 1-based, 0 = unknown */
	char *message; /* owned */
};

struct ccctl_diags {
	struct ccctl_diag *items;
	size_t n, cap;
	size_t errors; /* how many items are errors */
};

void ccctl_diags_init(struct ccctl_diags *d);
void ccctl_diags_release(struct ccctl_diags *d);
/* Append one diagnostic; returns 0 or CCCTL_EFAIL on out of memory. */
int ccctl_diags_add(struct ccctl_diags *d, enum ccctl_diag_level level, const char *file,
		    unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#endif
