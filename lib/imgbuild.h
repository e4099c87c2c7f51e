/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imgbuild.h - the reproducible runtime image build behind `ccctl image
 * build` and `ccctl image verify` (host only: lib/libccctl.a).
 *
 * Sources: a git revision exported with libgit2 into a private folder
 * (lib/gitsrc.h), or a work tree used as it is (its commit and whether it
 * is dirty are recorded).  SOURCE_DATE_EPOCH is the commit time.
 *
 * Build: the driver reads the revision's own automake fragments
 * (Makefile.am and what it includes) for the sources of ccctl-runtime and
 * of the libraries in its LDADD, and compiles them itself with one fixed
 * compiler command per file, in sorted order, from the source folder with
 * relative paths:
 *   gcc CFLAGS -I<build>/include -I. -Ilib -c SRC -o OBJ
 *   CFLAGS = -std=gnu11 -O2 -pipe -fstack-protector-strong -D_FORTIFY_SOURCE=2
 *            -ffile-prefix-map=<src>=. -fdebug-prefix-map=<src>=.
 *            -ffile-prefix-map=<build>=. -frandom-seed=SRC
 * with a fixed config.h, archives made with `ar rcsD` (deterministic) and
 * the program linked -static (-Wl,--build-id=none -Wl,-z,relro,-z,now); if
 * static linking fails for sim, it is linked dynamically and the
 * provenance says so.  Every tool runs with the environment PATH=
 * /usr/local/bin:/usr/bin:/bin LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=N and
 * umask 022 -- nothing from the caller's environment -- so two builds of
 * one revision with the same toolchain are byte-identical whatever the
 * folder or the time.
 *
 * Images (written to the output folder with measurements.json and
 * provenance.json):
 *   sim    ccctl-runtime, the static runtime binary
 *   nitro  ccctl-runtime.eif: EIF v4 of the given kernel, the fixed
 *          command line CCCTL_IMGBUILD_NITRO_CMDLINE, a metadata section
 *          without timestamps, and one ramdisk, initramfs.cpio (also
 *          written beside it): a deterministic newc archive of dev/,
 *          init (backends/nitro/init.c, built statically the same way) and
 *          ccctl-runtime, every mtime SOURCE_DATE_EPOCH.
 */
#ifndef CCCTL_IMGBUILD_H
#define CCCTL_IMGBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "gitsrc.h"
#include "json.h"
#include "measure.h"

#define CCCTL_IMGBUILD_BUILD_TYPE "urn:ccctl:build-type:runtime-image:v1"
#define CCCTL_IMGBUILD_BUILDER_ID "urn:ccctl:builder:local"
#define CCCTL_IMGBUILD_NITRO_CMDLINE                                                               \
	"reboot=k panic=30 pci=off nomodules console=ttyS0 random.trust_cpu=on "                   \
	"virtio_mmio.device=4K@0xd0000000:5 virtio_mmio.device=4K@0xd0001000:6"
/* File names in the output folder. */
#define CCCTL_IMGBUILD_SIM_IMAGE	 "ccctl-runtime"
#define CCCTL_IMGBUILD_NITRO_IMAGE	 "ccctl-runtime.eif"
#define CCCTL_IMGBUILD_INITRAMFS	 "initramfs.cpio"
#define CCCTL_IMGBUILD_MEASUREMENTS	 "measurements.json"
#define CCCTL_IMGBUILD_PROVENANCE	 "provenance.json"
#define CCCTL_IMGBUILD_PROVENANCE_SIGNED "provenance.dsse.json"
/* A kernel larger than this is refused. */
#define CCCTL_IMGBUILD_MAX_KERNEL (256u * 1024 * 1024)

enum ccctl_imgbuild_backend { CCCTL_IMGBUILD_SIM, CCCTL_IMGBUILD_NITRO };

struct ccctl_imgbuild_opts {
	enum ccctl_imgbuild_backend backend;
	/* Exactly one of git and source.  git: a URL or local repository path
	 * whose revision rev (default HEAD) is exported.  source: a folder;
	 * with rev, that revision of the repository holding it is exported,
	 * without rev the folder is built as it is. */
	const char *git;
	const char *source;
	const char *rev;
	const char *kernel;		/* nitro: the kernel image file (required) */
	const char *outdir;		/* created if missing */
	const struct ccctl_key *signer; /* also write a DSSE-signed provenance; NULL: no */
	unsigned jobs;			/* parallel compilers; 0: the number of CPUs (max 8) */
	bool keep;			/* keep the work folder (res->workdir) */
	/* Progress lines ("compiling 31 files"), or NULL. */
	void (*progress)(void *arg, const char *msg);
	void *progress_arg;
};

struct ccctl_imgbuild_result {
	char *image;		 /* path of the image in outdir */
	char *measurements;	 /* path of measurements.json */
	char *provenance;	 /* path of provenance.json */
	char *provenance_signed; /* path of provenance.dsse.json or NULL */
	char *workdir;		 /* the kept work folder, or NULL */
	struct ccctl_measurements m;
	uint8_t image_sha256[CCCTL_SHA256_LEN];
	struct ccctl_gitsrc src; /* the commit built (has_commit false: none) */
	bool dirty;		 /* built from a work tree that differs from its commit */
	int64_t source_date_epoch;
	bool is_static;	 /* the runtime is linked statically */
	size_t nsources; /* C files compiled */
};

void ccctl_imgbuild_result_init(struct ccctl_imgbuild_result *r);
void ccctl_imgbuild_result_release(struct ccctl_imgbuild_result *r);

/*
 * Build the image described by o into o->outdir.  Errors: CCCTL_EUSAGE for
 * inconsistent options, CCCTL_EINVAL for sources or a kernel that cannot
 * be built from (message naming what), CCCTL_EUNAVAIL when a tool is
 * missing or the repository cannot be reached, CCCTL_EFAIL when a build
 * step fails -- its work folder is then kept and named in the message,
 * with the log of the failing step.
 */
int ccctl_imgbuild_run(struct ccctl_imgbuild_result *res, const struct ccctl_imgbuild_opts *o);

/*
 * Explain how the image in found_dir differs from the one in expected_dir
 * (the folder of the expected measurements.json): the artifact, and inside
 * an EIF the section and inside the initramfs the member that differs
 * (read with lib/eif and lib/cpio, when the expected image is there), and
 * the compiled objects whose digests differ (from the two provenance.json
 * files, when present).  *out is one line (caller frees), or NULL when
 * nothing could be compared.
 */
int ccctl_imgbuild_explain(char **out, enum ccctl_imgbuild_backend backend,
			   const char *expected_dir, const char *found_dir);

#endif
