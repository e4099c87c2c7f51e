/* SPDX-License-Identifier: Apache-2.0 */
/*
 * eif.h - AWS Nitro Enclaves image files (EIF version 4): writer, strict
 * reader and the PCR0/1/2 measurements (shared/design/BACKENDS.md, nitro).
 *
 * Layout, all integers big-endian:
 *   header (548 bytes): ".eif", version u16 (4), flags u16 (bit 0 = arm64),
 *   default memory u64, default CPUs u64, reserved u16, section count u16,
 *   32 section offsets u64 (each at a 12-byte section header), 32 section
 *   sizes u64 (data only), u32 0, CRC-32 u32;
 *   then per section: type u16, flags u16 (0), size u64, data.
 * The CRC-32 (zlib polynomial) covers the header up to the CRC field, then
 * every section header and its data in file order.
 *
 * The reader is strict: it accepts exactly what the writer produces --
 * sections contiguous from byte 548 to the end of the file, in the order
 * kernel, cmdline, [metadata], ramdisk..., [signature], every field checked --
 * and names what is wrong (CCCTL_EINVAL).  Measurements:
 *   PCRn = SHA-384(48 zero bytes || SHA-384(data)),
 *   PCR0 data = kernel || cmdline || every ramdisk,
 *   PCR1 data = kernel || cmdline || first ramdisk,
 *   PCR2 data = the other ramdisks (empty with a single ramdisk).
 * Headers, metadata and signature are never measured.
 */
#ifndef CCCTL_EIF_H
#define CCCTL_EIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define CCCTL_EIF_VERSION	     4
#define CCCTL_EIF_HEADER_LEN	     548
#define CCCTL_EIF_SECTION_HEADER_LEN 12
#define CCCTL_EIF_MAX_SECTIONS	     32
#define CCCTL_EIF_CRC_OFFSET	     544
#define CCCTL_EIF_FLAG_ARM64	     0x0001u
#define CCCTL_SHA384_LEN	     48

enum ccctl_eif_section_type {
	CCCTL_EIF_KERNEL = 1,
	CCCTL_EIF_CMDLINE = 2,
	CCCTL_EIF_RAMDISK = 3,
	CCCTL_EIF_SIGNATURE = 4,
	CCCTL_EIF_METADATA = 5,
};

/* One section: where its data lies in the file. */
struct ccctl_eif_section {
	uint16_t type;	 /* enum ccctl_eif_section_type */
	uint64_t offset; /* of the 12-byte section header */
	uint64_t size;	 /* of the data, which starts at offset + 12 */
};

/* What the reader found. */
struct ccctl_eif_info {
	uint16_t version;
	uint16_t flags;
	uint64_t default_memory;
	uint64_t default_cpus;
	uint32_t crc; /* stored and verified */
	size_t nsections;
	struct ccctl_eif_section sections[CCCTL_EIF_MAX_SECTIONS];
	size_t nramdisks;
	bool has_metadata, has_signature;
};

struct ccctl_eif_pcrs {
	uint8_t pcr0[CCCTL_SHA384_LEN];
	uint8_t pcr1[CCCTL_SHA384_LEN];
	uint8_t pcr2[CCCTL_SHA384_LEN];
};

/* A byte string to write (borrowed). */
struct ccctl_eif_blob {
	const void *data;
	size_t len;
};

/* What to write: the order in the file is kernel, cmdline, metadata (when
 * metadata.data is not NULL), ramdisks.  At least one ramdisk. */
struct ccctl_eif_spec {
	uint16_t flags; /* 0 (x86_64) or CCCTL_EIF_FLAG_ARM64 */
	uint64_t default_memory;
	uint64_t default_cpus;
	struct ccctl_eif_blob kernel;
	struct ccctl_eif_blob cmdline; /* without a trailing NUL */
	struct ccctl_eif_blob metadata;
	const struct ccctl_eif_blob *ramdisks;
	size_t nramdisks;
};

/* CRC-32 with the zlib polynomial: crc = ccctl_crc32(0, data, len) for the
 * first part, then ccctl_crc32(crc, more, morelen) to continue. */
uint32_t ccctl_crc32(uint32_t crc, const void *data, size_t len);
/* The CRC-32 of A || B from crc32(A), crc32(B) and len(B) (< 2^61). */
uint32_t ccctl_crc32_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b);

/* Check the EIF in data/len (structure and CRC) and compute its PCRs.  name
 * is the subject of error messages (e.g. the file name).  info and pcrs may
 * be NULL.  Large images are hashed on two threads.  0 or CCCTL_EINVAL
 * naming what is wrong ("eif \"x.eif\": crc-32 mismatch: ..."). */
int ccctl_eif_measure(struct ccctl_eif_info *info, struct ccctl_eif_pcrs *pcrs, const void *data,
		      size_t len, const char *name);

/* The same for a file, mapped read-only (the file must not change while it
 * is measured).  CCCTL_EFAIL if it cannot be read. */
int ccctl_eif_measure_file(struct ccctl_eif_info *info, struct ccctl_eif_pcrs *pcrs,
			   const char *path);

/* The PCRs the EIF for spec would have, hashed from the parts where they
 * are (no image is built).  CCCTL_EINVAL for a spec the writer refuses. */
int ccctl_eif_pcrs_compute(struct ccctl_eif_pcrs *pcrs, const struct ccctl_eif_spec *spec);

/* Append the EIF for spec to out.  CCCTL_EINVAL for an invalid spec. */
int ccctl_eif_write(struct ccctl_buf *out, const struct ccctl_eif_spec *spec);
/* Write the EIF for spec to an open file descriptor (streamed: the parts are
 * not copied).  CCCTL_EFAIL with the errno message on a write error. */
int ccctl_eif_write_fd(int fd, const struct ccctl_eif_spec *spec);

/* "kernel", "cmdline", "ramdisk", "signature", "metadata" or "unknown". */
const char *ccctl_eif_section_name(uint16_t type);

#endif
