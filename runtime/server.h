/* SPDX-License-Identifier: Apache-2.0 */
/* server.h - the runtime's TLS server (server.c). */
#ifndef RT_SERVER_H
#define RT_SERVER_H

#include <openssl/ssl.h>

#include "runtime/rt.h"

/* A TLS 1.3 server context with a fresh P-256 key and a self-signed
 * certificate; the SHA-256 of the key's SubjectPublicKeyInfo goes to
 * spki_sha256 (it is what evidence binds). */
int rt_tls_new(SSL_CTX **out, uint8_t spki_sha256[CCCTL_SHA256_LEN]);

/* Accept connections on lfd until st->stopping, one thread each. */
int rt_serve(struct rt_state *st, SSL_CTX *ctx, int lfd);

#endif
