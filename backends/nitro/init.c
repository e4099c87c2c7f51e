/* SPDX-License-Identifier: Apache-2.0 */
/*
 * init.c - /init of the Nitro Enclave image that `ccctl image build
 * --backend nitro` makes: the first and only process the kernel starts
 * from the initramfs.  It is built statically, the same reproducible way as
 * the runtime, and measured with it (PCR0/PCR1).
 *
 * It does as little as possible:
 *   1. mount devtmpfs on /dev (nosuid, noexec) -- the image holds no device
 *      nodes -- and make /dev/console its standard streams;
 *   2. send the enclave heartbeat: one byte 0xb7 to the parent instance
 *      (vsock CID 3, port 9000), which echoes it; nitro-cli waits for it to
 *      report the enclave as running;
 *   3. exec /ccctl-runtime with the fixed arguments below and an empty
 *      environment but for LC_ALL=C.
 * Nothing else is mounted; no network, no shell, no module loading.  If the
 * exec fails it exits, the kernel panics and the enclave stops.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/vm_sockets.h>

#define PARENT_CID     3
#define HEARTBEAT_PORT 9000
#define HEARTBEAT_BYTE 0xb7

/* The runtime's command line in the enclave (measured: part of this file). */
static char *const runtime_argv[] = {
    "/ccctl-runtime", "--backend", "nitro", "--listen", "vsock:5005", NULL,
};
static char *const runtime_envp[] = {"LC_ALL=C", NULL};

static void say(const char *a, const char *b)
{
	/* write(2) only: no stdio buffers to lose before exec */
	if (write(2, "init: ", 6) < 0 || write(2, a, strlen(a)) < 0 ||
	    (b && (write(2, ": ", 2) < 0 || write(2, b, strlen(b)) < 0)) || write(2, "\n", 1) < 0)
		return;
}

static void console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static int heartbeat(void)
{
	struct sockaddr_vm addr;
	unsigned char b = HEARTBEAT_BYTE;
	int fd, rc = -1;

	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&addr, 0, sizeof(addr));
	addr.svm_family = AF_VSOCK;
	addr.svm_cid = PARENT_CID;
	addr.svm_port = HEARTBEAT_PORT;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 && write(fd, &b, 1) == 1 &&
	    read(fd, &b, 1) == 1 && b == HEARTBEAT_BYTE)
		rc = 0;
	close(fd);
	return rc;
}

int main(void)
{
	if (mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755") != 0 &&
	    errno != EBUSY)
		say("mount /dev", strerror(errno));
	console();
	if (heartbeat() != 0)
		say("heartbeat to the parent instance failed", strerror(errno));
	execve(runtime_argv[0], runtime_argv, runtime_envp);
	say("exec /ccctl-runtime", strerror(errno));
	return 1;
}
