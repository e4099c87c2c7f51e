/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sandbox.c - after start-up the runtime needs only to accept connections,
 * read and write sockets, allocate memory, run threads and read the clock.
 * Everything else (opening files, executing programs, new sockets other
 * than accepted ones, ptrace, ...) is denied by a seccomp allow-list, and
 * no_new_privs makes the filter permanent for the process.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>

#include <seccomp.h>

#include "lib/err.h"
#include "runtime/rt.h"

int rt_sandbox_enter(void)
{
	static const int allowed[] = {
	    SCMP_SYS(read),
	    SCMP_SYS(write),
	    SCMP_SYS(readv),
	    SCMP_SYS(writev),
	    SCMP_SYS(close),
	    SCMP_SYS(accept),
	    SCMP_SYS(accept4),
	    SCMP_SYS(poll),
	    SCMP_SYS(ppoll),
	    SCMP_SYS(setsockopt),
	    SCMP_SYS(getsockopt),
	    SCMP_SYS(shutdown),
	    SCMP_SYS(recvfrom),
	    SCMP_SYS(sendto),
	    SCMP_SYS(recvmsg),
	    SCMP_SYS(sendmsg),
	    SCMP_SYS(mmap),
	    SCMP_SYS(munmap),
	    SCMP_SYS(mremap),
	    SCMP_SYS(mprotect),
	    SCMP_SYS(madvise),
	    SCMP_SYS(brk),
	    SCMP_SYS(futex),
	    SCMP_SYS(set_robust_list),
	    SCMP_SYS(rseq),
	    SCMP_SYS(exit),
	    SCMP_SYS(exit_group),
	    SCMP_SYS(clock_gettime),
	    SCMP_SYS(clock_nanosleep),
	    SCMP_SYS(nanosleep),
	    SCMP_SYS(gettimeofday),
	    SCMP_SYS(getrandom),
	    SCMP_SYS(rt_sigprocmask),
	    SCMP_SYS(rt_sigreturn),
	    SCMP_SYS(rt_sigaction),
	    SCMP_SYS(sigaltstack),
	    SCMP_SYS(getpid),
	    SCMP_SYS(gettid),
	    SCMP_SYS(tgkill),
	    SCMP_SYS(sched_yield),
	    SCMP_SYS(sched_getaffinity),
	    SCMP_SYS(fstat),
	    SCMP_SYS(newfstatat),
	    SCMP_SYS(lseek),
	    SCMP_SYS(prctl),
	    SCMP_SYS(restart_syscall),
	};
	scmp_filter_ctx ctx = NULL;
	size_t i;
	int rc = CCCTL_EFAIL;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return ccctl_err_errno(CCCTL_EFAIL, "no_new_privs");
	/* Anything else fails with EPERM rather than killing the process, so a
	 * library's harmless probe (e.g. a file it would like to open) cannot
	 * take the runtime down, and still gets nothing. */
	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return ccctl_err_set(CCCTL_EFAIL, "seccomp: cannot create a filter");
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) != 0) {
			ccctl_err_set(CCCTL_EFAIL, "seccomp: cannot allow syscall %d", allowed[i]);
			goto out;
		}
	}
	/* Threads yes, processes no: clone only with CLONE_THREAD; clone3's
	 * flags cannot be inspected, so it reports ENOSYS and the C library
	 * falls back to clone. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) != 0) {
		ccctl_err_set(CCCTL_EFAIL, "seccomp: cannot add the clone rules");
		goto out;
	}
	if (seccomp_load(ctx) != 0) {
		ccctl_err_set(CCCTL_EFAIL, "seccomp: cannot load the filter");
		goto out;
	}
	rc = 0;
out:
	seccomp_release(ctx);
	return rc;
}
