/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-measure.c - `ccctl image measure --backend nitro` against
 * `openssl dgst -sha384` on the same EIF (`make bench`).
 *
 * usage: bench-measure [MIB] [RUNS]   (default 256 MiB, 5 runs; $CCCTL names
 * the ccctl binary, default "ccctl" on PATH)
 *
 * Two EIFs of MIB MiB are written to a temporary folder: the layout
 * nitro-cli produces (8 MiB kernel, 4 MiB boot ramdisk, the application in
 * ramdisk 1, so PCR2 covers most bytes) and one with nearly everything in
 * ramdisk 0 (1 MiB in ramdisk 1).
 * Each command runs once to warm the page cache, then RUNS times
 * alternately; the best and the median wall times are printed.  Prints
 * numbers only; never fails on timings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/eif.h"
#include "lib/err.h"

#define MAX_RUNS 50

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run argv with stdout to /dev/null; the wall time, or -1 on failure; the
 * CPU time (user + system) in *cpu. */
static double timed_run(char *const argv[], double *cpu)
{
	double t0 = now();
	pid_t pid = fork();
	struct rusage ru;
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void fill(uint8_t *p, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;

	for (size_t i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
}

static int write_eif(const char *path, uint8_t *data, size_t total, size_t kernel, size_t r0)
{
	struct ccctl_eif_blob rd[2];
	struct ccctl_eif_spec s;
	size_t overhead = CCCTL_EIF_HEADER_LEN + 5 * CCCTL_EIF_SECTION_HEADER_LEN + 13 + 2;
	int fd, ret;

	memset(&s, 0, sizeof(s));
	s.default_memory = 4096ull << 20;
	s.default_cpus = 2;
	s.kernel = (struct ccctl_eif_blob){data, kernel};
	s.cmdline = (struct ccctl_eif_blob){"console=ttyS0", 13};
	s.metadata = (struct ccctl_eif_blob){"{}", 2};
	rd[0] = (struct ccctl_eif_blob){data + kernel, r0};
	rd[1] = (struct ccctl_eif_blob){data + kernel + r0, total - overhead - kernel - r0};
	s.ramdisks = rd;
	s.nramdisks = 2;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	ret = ccctl_eif_write_fd(fd, &s);
	close(fd);
	return ret;
}

static void bench(const char *label, const char *path, const char *ccctl, int runs)
{
	char *measure[] = {(char *)ccctl, "image",	"measure", "--backend",
			   "nitro",	  (char *)path, NULL};
	char *dgst[] = {"openssl", "dgst", "-sha384", (char *)path, NULL};
	double tm[MAX_RUNS], td[MAX_RUNS], cm[MAX_RUNS], cd[MAX_RUNS];

	if (timed_run(measure, &cm[0]) < 0 || timed_run(dgst, &cd[0]) < 0) {
		printf("%s: a command failed (CCCTL=%s)\n", label, ccctl);
		return;
	}
	for (int i = 0; i < runs; i++) {
		tm[i] = timed_run(measure, &cm[i]);
		td[i] = timed_run(dgst, &cd[i]);
	}
	qsort(tm, (size_t)runs, sizeof(double), cmp_double);
	qsort(td, (size_t)runs, sizeof(double), cmp_double);
	qsort(cm, (size_t)runs, sizeof(double), cmp_double);
	qsort(cd, (size_t)runs, sizeof(double), cmp_double);
	printf("%s\n", label);
	printf("  %-36s wall best %.3f s median %.3f s, cpu median %.3f s\n",
	       "ccctl image measure --backend nitro", tm[0], tm[runs / 2], cm[runs / 2]);
	printf("  %-36s wall best %.3f s median %.3f s, cpu median %.3f s\n",
	       "openssl dgst -sha384", td[0], td[runs / 2], cd[runs / 2]);
	printf("  %-36s wall best %.2f median %.2f\n", "ratio ccctl/openssl", tm[0] / td[0],
	       tm[runs / 2] / td[runs / 2]);
}

int main(int argc, char **argv)
{
	const char *ccctl = getenv("CCCTL") ? getenv("CCCTL") : "ccctl";
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	char dir[] = "/tmp/bench-measure.XXXXXX", a[64], b[64];
	size_t total;
	uint8_t *data;

	/* run-bench.sh hands BENCH_ARGS meant for other programs to every
	 * program: arguments out of range fall back to the defaults. */
	if (mib < 16 || mib > 4096 || runs < 1 || runs > MAX_RUNS) {
		printf("bench-measure: arguments ignored (usage: bench-measure [MIB 16..4096] "
		       "[RUNS 1..%d])\n",
		       MAX_RUNS);
		mib = 256;
		runs = 5;
	}
	total = mib << 20;
	data = malloc(total);
	if (!data || !mkdtemp(dir)) {
		perror("bench-measure");
		return 1;
	}
	fill(data, total, 42);
	snprintf(a, sizeof(a), "%s/app-in-ramdisk1.eif", dir);
	snprintf(b, sizeof(b), "%s/all-in-ramdisk0.eif", dir);
	if (write_eif(a, data, total, 8 << 20, 4 << 20) ||
	    write_eif(b, data, total, 8 << 20, total - (9 << 20))) {
		fprintf(stderr, "bench-measure: %s\n", ccctl_err_msg());
		return 1;
	}
	free(data);
	printf("bench-measure: %zu MiB EIFs, %d runs each\n", mib, runs);
	bench("nitro-cli layout (8 MiB kernel, 4 MiB ramdisk 0, the rest in ramdisk 1)", a, ccctl,
	      runs);
	bench("8 MiB kernel, the rest in ramdisk 0 but 1 MiB in ramdisk 1", b, ccctl, runs);
	unlink(a);
	unlink(b);
	rmdir(dir);
	return 0;
}
