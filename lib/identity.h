/* SPDX-License-Identifier: Apache-2.0 */
/*
 * identity.h - identities on disk: NAME.key (PKCS#8 PEM, mode 0600) beside
 * NAME.crt (self-signed X.509 PEM), see crypto.h for the key itself.
 *
 * An identity reference ("ID", as given to --identity) is either a path
 * prefix ("ids/alice" means ids/alice.key and ids/alice.crt) or, when it
 * contains no '/' and $CCCTL_IDENTITY_DIR is set, a name looked up in that
 * folder.
 */
#ifndef CCCTL_IDENTITY_H
#define CCCTL_IDENTITY_H

#include "crypto.h"

#define CCCTL_IDENTITY_NAME_MAX 32

/* 0 if name matches [a-z][a-z0-9_-]{0,31}, else CCCTL_EINVAL saying why. */
int ccctl_identity_check_name(const char *name);

/*
 * Generate a key and certificate (ccctl_key_generate) and write them to
 * DIR/NAME.key and DIR/NAME.crt.  DIR is created (mode 0700) if it does not
 * exist.  The key file is created with mode 0600 under a temporary name and
 * linked into place, so it is never readable by others and never replaces
 * an existing file: CCCTL_EFAIL naming the file if either exists already.
 * On success the key and the two paths (caller frees) are returned; any of
 * the out pointers may be NULL.
 */
int ccctl_identity_create(struct ccctl_key **out, char **key_path, char **cert_path,
			  const char *dir, const char *name, enum ccctl_key_type type,
			  unsigned days);

/*
 * Load the identity ID (see above): read ID.key and ID.crt, refuse a key file
 * that group or others may access (CCCTL_EINVAL, like OpenSSH), and check
 * key and certificate belong together.
 */
int ccctl_identity_load(struct ccctl_key **out, const char *id);

#endif
