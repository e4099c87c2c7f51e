/* SPDX-License-Identifier: Apache-2.0 */
/*
 * host.c - the sim backend's host face.  The "isolate" is a local
 * ccctl-runtime process; its "platform" is a P-256 key made once under the
 * state directory (sim/platform.key, mode 0600), whose public half
 * verifiers trust for sim (or the PEM given as the root).  Nothing here is
 * confidential: the host can read the runtime's memory and the key.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "backends/backend.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/evidence.h"
#include "lib/path.h"

/* The platform key file, created on first use. */
static int platform_key_path(const struct ccctl_backend_opts *o, char *out, size_t size)
{
	struct ccctl_buf pem;
	EVP_PKEY *k = NULL;
	BIO *bio = NULL;
	char dir[4096];
	char *data = NULL;
	long len = 0;
	int rc;

	snprintf(dir, sizeof(dir), "%s/sim", o->state_dir);
	snprintf(out, size, "%s/platform.key", dir);
	if (access(out, R_OK) == 0)
		return 0;
	rc = ccctl_mkdirs(dir, 0700);
	if (rc != 0)
		return rc;
	ccctl_buf_init(&pem);
	k = EVP_EC_gen("P-256");
	bio = BIO_new(BIO_s_mem());
	if (!k || !bio || !PEM_write_bio_PKCS8PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) ||
	    (len = BIO_get_mem_data(bio, &data)) <= 0) {
		rc = ccctl_err_openssl(CCCTL_EFAIL, "sim platform key");
		goto out;
	}
	rc = ccctl_file_write_atomic(out, data, (size_t)len, 0600);
out:
	if (data && len > 0)
		OPENSSL_cleanse(data, (size_t)len);
	BIO_free(bio);
	EVP_PKEY_free(k);
	ccctl_buf_release_secure(&pem);
	return rc;
}

/* The public key verifiers trust: the root PEM if given (a public key or a
 * private key file), else the local platform key. */
static int trusted_key(const struct ccctl_backend_opts *o, EVP_PKEY **out)
{
	char path[4200];
	FILE *f;
	int rc;

	*out = NULL;
	if (o->root) {
		snprintf(path, sizeof(path), "%s", o->root);
	} else {
		rc = platform_key_path(o, path, sizeof(path));
		if (rc != 0)
			return rc;
	}
	f = fopen(path, "r");
	if (!f)
		return ccctl_err_errno(CCCTL_EFAIL, path);
	*out = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	if (!*out) {
		rewind(f);
		*out = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	}
	fclose(f);
	if (!*out)
		return ccctl_err_openssl(CCCTL_EINVAL, "sim root key");
	return 0;
}

static int sim_verify(const struct ccctl_backend_opts *o, const void *token, size_t len,
		      struct ccctl_evidence_claims *claims)
{
	EVP_PKEY *k = NULL;
	int rc = trusted_key(o, &k);

	if (rc == 0)
		rc = ccctl_sim_token_verify(claims, token, len, k);
	EVP_PKEY_free(k);
	return rc;
}

static int sim_deploy(const struct ccctl_backend_opts *o, const char *policy_path,
		      struct ccctl_deployment *d)
{
	char key[4200], line[512], errpath[4300];
	int out[2] = {-1, -1}, errfd = -1, rc;
	size_t n = 0;
	pid_t pid;

	rc = platform_key_path(o, key, sizeof(key));
	if (rc != 0)
		return rc;
	if (access(o->runtime, X_OK) != 0)
		return ccctl_err_set(CCCTL_EUNAVAIL, "runtime \"%s\" not found or not executable",
				     o->runtime);
	/* The runtime's messages go to a log beside the deployment record:
	 * it never logs participant data. */
	snprintf(errpath, sizeof(errpath), "%s/deployments/%s.log", o->state_dir, d->name);
	errfd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (errfd < 0)
		return ccctl_err_errno(CCCTL_EFAIL, errpath);
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(errfd);
		return ccctl_err_errno(CCCTL_EFAIL, "pipe");
	}
	pid = fork();
	if (pid < 0) {
		rc = ccctl_err_errno(CCCTL_EFAIL, "fork");
		goto out;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);
		dup2(nul, 0);
		dup2(out[1], 1);
		dup2(errfd, 2);
		setsid(); /* outlives the ccctl command */
		execl(o->runtime, "ccctl-runtime", "--policy", policy_path, "--listen",
		      "127.0.0.1:0", "--backend", "sim", "--backend-arg", key, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	out[1] = -1;
	/* Wait for "listening HOST:PORT". */
	while (n + 1 < sizeof(line)) {
		ssize_t r = read(out[0], line + n, 1);
		if (r <= 0)
			break;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	if (strncmp(line, "listening ", 10) != 0) {
		int status;
		struct ccctl_buf log;
		waitpid(pid, &status, 0);
		ccctl_buf_init(&log);
		ccctl_file_read(&log, errpath, 64 * 1024);
		while (log.len && (log.data[log.len - 1] == '\n'))
			log.data[--log.len] = '\0';
		rc = ccctl_err_set(CCCTL_EUNAVAIL, "the runtime did not start: %s",
				   log.len ? (const char *)log.data : "no message");
		ccctl_buf_release(&log);
		goto out;
	}
	if (strlen(line + 10) >= sizeof(d->endpoint)) {
		rc = ccctl_err_set(CCCTL_EUNAVAIL, "the runtime reported an invalid address");
		goto out;
	}
	memcpy(d->endpoint, line + 10, strlen(line + 10) + 1);
	d->pid = pid;
	rc = 0;
out:
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	close(errfd);
	return rc;
}

static int sim_teardown(const struct ccctl_backend_opts *o, const struct ccctl_deployment *d)
{
	int i;

	char path[64];
	struct ccctl_buf cmd;
	bool ours;

	if (d->pid <= 0)
		return 0;
	/* Never signal a process that is not (any longer) our runtime. */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)d->pid);
	ccctl_buf_init(&cmd);
	ours = ccctl_file_read(&cmd, path, 65536) == 0 && cmd.len > 0 &&
	       strstr((const char *)cmd.data, "ccctl-runtime") != NULL;
	ccctl_buf_release(&cmd);
	if (!ours)
		return 0;
	if (kill(d->pid, SIGTERM) != 0)
		return errno == ESRCH ? 0 : ccctl_err_errno(CCCTL_EFAIL, "stopping the runtime");
	for (i = 0; i < 50; i++) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		waitpid(d->pid, NULL, WNOHANG);
		if (kill(d->pid, 0) != 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, NULL, WNOHANG);
	return 0;
}

const struct ccctl_backend_host ccctl_backend_sim = {
    .name = "sim",
    .simulated = true,
    .deploy = sim_deploy,
    .teardown = sim_teardown,
    .verify = sim_verify,
};

const struct ccctl_backend_host *ccctl_backend_find(const char *name)
{
	static const struct ccctl_backend_host *const all[] = {&ccctl_backend_sim, NULL};
	size_t i;

	for (i = 0; all[i]; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
