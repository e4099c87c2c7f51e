/* SPDX-License-Identifier: Apache-2.0 */
/*
 * eif.c - EIF v4 writer, strict reader and Nitro PCR measurements (eif.h).
 *
 * Measuring is one pass over the image in memory (a file is mapped): the
 * structure is checked from the headers first, then the CRC-32 and the
 * SHA-384s are computed.  PCR0 and PCR1 share one SHA-384 (PCR1's data is a
 * prefix of PCR0's: the context is copied after the first ramdisk); PCR2
 * needs its own pass over the later ramdisks, which for a large image runs
 * on a second thread together with part of the CRC, so the wall time stays
 * close to a single SHA-384 of the file.
 */
#include "eif.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "err.h"
#include "measure.h"

#define CRC_POLY 0xedb88320u /* zlib's CRC-32, reflected */
/* Images at least this large are hashed on two threads. */
#define THREAD_MIN_LEN (4u << 20)

/* ---- CRC-32 ------------------------------------------------------------ */

/*
 * Polynomials modulo P are held reflected, as the CRC register is: bit 31 of
 * a uint32_t is the coefficient of x^0, bit 0 that of x^31.
 */

/* a * b modulo P. */
static uint32_t crc_gf2_mul(uint32_t a, uint32_t b)
{
	uint32_t prod = 0;

	for (int i = 0; i < 32; i++) {
		if (a & (0x80000000u >> i))
			prod ^= b;
		b = b & 1 ? (b >> 1) ^ CRC_POLY : b >> 1; /* b *= x */
	}
	return prod;
}

/* x^n modulo P. */
static uint32_t crc_xpow(uint64_t n)
{
	uint32_t result = 0x80000000u, base = 0x40000000u; /* x^0, x^1 */

	for (; n; n >>= 1) {
		if (n & 1)
			result = crc_gf2_mul(result, base);
		base = crc_gf2_mul(base, base);
	}
	return result;
}

/* Slice-by-8 tables: crc_table[0] is the byte-wise table, crc_table[k][b] the
 * CRC contribution of byte b followed by k zero bytes. */
static uint32_t crc_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The raw register update (no pre/post inversion), table-driven. */
static uint32_t crc_update_table(uint32_t reg, const uint8_t *p, size_t len)
{
	while (len >= 8) {
		uint32_t lo = reg ^ load_le32(p), hi = load_le32(p + 4);

		reg = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
		      crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
		      crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
		      crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		reg = (reg >> 8) ^ crc_table[0][(reg ^ *p++) & 0xff];
	return reg;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_CRC_CLMUL 1

/*
 * Carry-less multiplication folding (PCLMULQDQ).  A 16-byte block loaded
 * little-endian holds the polynomial whose bit j has degree 127 - j.  Moving
 * it forward by n bits multiplies it by x^n; splitting it into the low
 * quadword H (degrees 127..64) and the high quadword L (63..0), that is
 * H * x^(n+64) + L * x^n.  clmul of two quadwords whose bit i means degree
 * 63 - i yields bit t of degree 126 - t, one short of the register's 127 - t,
 * so the constants are x^(n+63) and x^(n-1) modulo P, shifted into the upper
 * half of a quadword (bit 63 - d for degree d).  The folded 16 bytes are
 * finally reduced with the table.  Constants are computed, not transcribed.
 */
static __m128i crc_k512, crc_k128; /* fold by 64 and by 16 bytes */
static int crc_have_clmul;

static __m128i crc_fold_constants(uint64_t nbits)
{
	return _mm_set_epi64x((long long)((uint64_t)crc_xpow(nbits - 1) << 32),
			      (long long)((uint64_t)crc_xpow(nbits + 63) << 32));
}

__attribute__((target("pclmul,sse2"))) static __m128i crc_fold(__m128i x, __m128i k)
{
	return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
}

/* The raw register update for len >= 64. */
__attribute__((target("pclmul,sse2"))) static uint32_t
crc_update_clmul(uint32_t reg, const uint8_t *p, size_t len)
{
	__m128i x0, x1, x2, x3;
	uint8_t last[16];

	x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)reg));
	x1 = _mm_loadu_si128((const __m128i *)(p + 16));
	x2 = _mm_loadu_si128((const __m128i *)(p + 32));
	x3 = _mm_loadu_si128((const __m128i *)(p + 48));
	p += 64;
	len -= 64;
	while (len >= 64) {
		x0 = _mm_xor_si128(crc_fold(x0, crc_k512), _mm_loadu_si128((const __m128i *)p));
		x1 = _mm_xor_si128(crc_fold(x1, crc_k512),
				   _mm_loadu_si128((const __m128i *)(p + 16)));
		x2 = _mm_xor_si128(crc_fold(x2, crc_k512),
				   _mm_loadu_si128((const __m128i *)(p + 32)));
		x3 = _mm_xor_si128(crc_fold(x3, crc_k512),
				   _mm_loadu_si128((const __m128i *)(p + 48)));
		p += 64;
		len -= 64;
	}
	x1 = _mm_xor_si128(x1, crc_fold(x0, crc_k128));
	x2 = _mm_xor_si128(x2, crc_fold(x1, crc_k128));
	x3 = _mm_xor_si128(x3, crc_fold(x2, crc_k128));
	while (len >= 16) {
		x3 = _mm_xor_si128(crc_fold(x3, crc_k128), _mm_loadu_si128((const __m128i *)p));
		p += 16;
		len -= 16;
	}
	_mm_storeu_si128((__m128i *)last, x3);
	return crc_update_table(crc_update_table(0, last, 16), p, len);
}
#endif

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC_POLY : c >> 1;
		crc_table[0][i] = c;
	}
	for (int k = 1; k < 8; k++)
		for (int i = 0; i < 256; i++) {
			uint32_t prev = crc_table[k - 1][i];
			crc_table[k][i] = (prev >> 8) ^ crc_table[0][prev & 0xff];
		}
#ifdef HAVE_CRC_CLMUL
	crc_k512 = crc_fold_constants(512);
	crc_k128 = crc_fold_constants(128);
	__builtin_cpu_init();
	crc_have_clmul = __builtin_cpu_supports("pclmul");
#endif
}

uint32_t ccctl_crc32(uint32_t crc, const void *data, size_t len)
{
	pthread_once(&crc_once, crc_init);
#ifdef HAVE_CRC_CLMUL
	if (crc_have_clmul && len >= 64)
		return ~crc_update_clmul(~crc, data, len);
#endif
	return ~crc_update_table(~crc, data, len);
}

/*
 * With the register preset and final inversion cancelling out:
 * crc(A || B) = crc(B) ^ crc(A) * x^(8 len(B)).
 */
uint32_t ccctl_crc32_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b)
{
	return crc_b ^ crc_gf2_mul(crc_a, crc_xpow(8 * len_b));
}

/* ---- helpers ------------------------------------------------------------ */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

const char *ccctl_eif_section_name(uint16_t type)
{
	switch (type) {
	case CCCTL_EIF_KERNEL:
		return "kernel";
	case CCCTL_EIF_CMDLINE:
		return "cmdline";
	case CCCTL_EIF_RAMDISK:
		return "ramdisk";
	case CCCTL_EIF_SIGNATURE:
		return "signature";
	case CCCTL_EIF_METADATA:
		return "metadata";
	default:
		return "unknown";
	}
}

/* ---- structure ---------------------------------------------------------- */

/* Where a section may stand: kernel, cmdline, [metadata], ramdisk..., [signature]. */
enum order_state { ST_KERNEL, ST_CMDLINE, ST_META_OR_RAMDISK, ST_RAMDISK, ST_MORE, ST_END };

/* Advance the order state machine by one section of type t; false if t may
 * not stand here, with *expected naming what could. */
static bool order_step(enum order_state *st, uint16_t t, const char **expected)
{
	switch (*st) {
	case ST_KERNEL:
		*expected = "kernel";
		if (t != CCCTL_EIF_KERNEL)
			return false;
		*st = ST_CMDLINE;
		return true;
	case ST_CMDLINE:
		*expected = "cmdline";
		if (t != CCCTL_EIF_CMDLINE)
			return false;
		*st = ST_META_OR_RAMDISK;
		return true;
	case ST_META_OR_RAMDISK:
		*expected = "metadata or ramdisk";
		if (t == CCCTL_EIF_METADATA) {
			*st = ST_RAMDISK;
			return true;
		}
		if (t != CCCTL_EIF_RAMDISK)
			return false;
		*st = ST_MORE;
		return true;
	case ST_RAMDISK:
		*expected = "ramdisk";
		if (t != CCCTL_EIF_RAMDISK)
			return false;
		*st = ST_MORE;
		return true;
	case ST_MORE:
		*expected = "ramdisk or signature";
		if (t == CCCTL_EIF_SIGNATURE)
			*st = ST_END;
		else if (t != CCCTL_EIF_RAMDISK)
			return false;
		return true;
	case ST_END:
	default:
		*expected = "end of sections";
		return false;
	}
}

/*
 * Check everything but the CRC: header fields, each section header, order,
 * contiguity and that the last section ends at the end of the data.
 */
static int eif_check_structure(struct ccctl_eif_info *info, const uint8_t *d, size_t len,
			       const char *name)
{
	enum order_state st = ST_KERNEL;
	const char *expected = "";
	uint16_t reserved, count;
	uint64_t pos = CCCTL_EIF_HEADER_LEN;

	memset(info, 0, sizeof(*info));
	if (len < CCCTL_EIF_HEADER_LEN)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": truncated header: expected at least %d bytes, "
				     "found %zu",
				     name, CCCTL_EIF_HEADER_LEN, len);
	if (memcmp(d, ".eif", 4) != 0)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": bad magic: expected \".eif\" (2e656966), "
				     "found %02x%02x%02x%02x",
				     name, d[0], d[1], d[2], d[3]);
	info->version = be16(d + 4);
	if (info->version != CCCTL_EIF_VERSION)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": unsupported version: expected %d, found %u", name,
				     CCCTL_EIF_VERSION, info->version);
	info->flags = be16(d + 6);
	if (info->flags & ~CCCTL_EIF_FLAG_ARM64)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": unknown flags: expected 0 or 0x0001 (arm64), "
				     "found 0x%04x",
				     name, info->flags);
	info->default_memory = be64(d + 8);
	info->default_cpus = be64(d + 16);
	reserved = be16(d + 24);
	if (reserved != 0)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": reserved header field: expected 0, found %u",
				     name, reserved);
	count = be16(d + 26);
	if (count == 0 || count > CCCTL_EIF_MAX_SECTIONS)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": section count: expected 1 to %d, found %u", name,
				     CCCTL_EIF_MAX_SECTIONS, count);
	if (be32(d + CCCTL_EIF_CRC_OFFSET - 4) != 0)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": unused header field: expected 0, found 0x%08x",
				     name, be32(d + CCCTL_EIF_CRC_OFFSET - 4));
	info->crc = be32(d + CCCTL_EIF_CRC_OFFSET);
	for (unsigned i = count; i < CCCTL_EIF_MAX_SECTIONS; i++) {
		if (be64(d + 28 + 8 * i) != 0 || be64(d + 284 + 8 * i) != 0)
			return ccctl_err_set(
			    CCCTL_EINVAL,
			    "eif \"%s\": section slot %u: expected unused (0) after "
			    "%u sections, found offset %" PRIu64 " size %" PRIu64,
			    name, i, count, be64(d + 28 + 8 * i), be64(d + 284 + 8 * i));
	}

	for (unsigned i = 0; i < count; i++) {
		uint64_t off = be64(d + 28 + 8 * i), size = be64(d + 284 + 8 * i);
		const uint8_t *sh;
		uint16_t type, sflags;

		if (off < pos)
			return ccctl_err_set(CCCTL_EINVAL,
					     "eif \"%s\": section %u at offset %" PRIu64
					     " overlaps what precedes it (ends at %" PRIu64 ")",
					     name, i, off, pos);
		if (off > pos)
			return ccctl_err_set(CCCTL_EINVAL,
					     "eif \"%s\": section %u: expected at offset %" PRIu64
					     " (sections are contiguous), found %" PRIu64,
					     name, i, pos, off);
		if (len - pos < CCCTL_EIF_SECTION_HEADER_LEN)
			return ccctl_err_set(
			    CCCTL_EINVAL,
			    "eif \"%s\": truncated section %u: header at offset %" PRIu64
			    " runs past the end of the file (%zu bytes)",
			    name, i, off, len);
		sh = d + pos;
		type = be16(sh);
		sflags = be16(sh + 2);
		if (size > len - pos - CCCTL_EIF_SECTION_HEADER_LEN)
			return ccctl_err_set(CCCTL_EINVAL,
					     "eif \"%s\": truncated section %u (%s): %" PRIu64
					     " bytes at offset %" PRIu64
					     " run past the end of the file (%zu bytes)",
					     name, i, ccctl_eif_section_name(type), size,
					     off + CCCTL_EIF_SECTION_HEADER_LEN, len);
		if (type < CCCTL_EIF_KERNEL || type > CCCTL_EIF_METADATA)
			return ccctl_err_set(CCCTL_EINVAL,
					     "eif \"%s\": section %u: unknown section type %u",
					     name, i, type);
		if (sflags != 0)
			return ccctl_err_set(CCCTL_EINVAL,
					     "eif \"%s\": section %u (%s): flags: expected 0, "
					     "found 0x%04x",
					     name, i, ccctl_eif_section_name(type), sflags);
		if (be64(sh + 4) != size)
			return ccctl_err_set(
			    CCCTL_EINVAL,
			    "eif \"%s\": section %u (%s): size in the section header "
			    "(%" PRIu64 ") differs from the eif header (%" PRIu64 ")",
			    name, i, ccctl_eif_section_name(type), be64(sh + 4), size);
		if (type == CCCTL_EIF_KERNEL && size == 0)
			return ccctl_err_set(
			    CCCTL_EINVAL,
			    "eif \"%s\": section %u (kernel): expected data, found "
			    "0 bytes",
			    name, i);
		if (!order_step(&st, type, &expected))
			return ccctl_err_set(CCCTL_EINVAL,
					     "eif \"%s\": section %u: expected %s, found %s", name,
					     i, expected, ccctl_eif_section_name(type));
		info->sections[i].type = type;
		info->sections[i].offset = off;
		info->sections[i].size = size;
		if (type == CCCTL_EIF_RAMDISK)
			info->nramdisks++;
		else if (type == CCCTL_EIF_METADATA)
			info->has_metadata = true;
		else if (type == CCCTL_EIF_SIGNATURE)
			info->has_signature = true;
		pos += CCCTL_EIF_SECTION_HEADER_LEN + size;
	}
	info->nsections = count;
	if (st != ST_MORE && st != ST_END) {
		order_step(&st, 0, &expected);
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": missing section: expected %s after "
				     "section %u",
				     name, expected, count - 1);
	}
	if (pos != len)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": %" PRIu64
				     " trailing bytes after the last section "
				     "(ends at %" PRIu64 ", file is %zu bytes)",
				     name, (uint64_t)len - pos, pos, len);
	return 0;
}

/* ---- hashing ------------------------------------------------------------ */

struct span {
	const uint8_t *p;
	size_t len;
};

/* One thread's share: SHA-384 over spans (with a copy of the state taken
 * after span snap_after when it is < nspans), CRC-32 over crc_p/crc_len. */
struct hash_job {
	struct span spans[CCCTL_EIF_MAX_SECTIONS];
	size_t nspans;
	size_t snap_after;
	const uint8_t *crc_p;
	size_t crc_len;
	uint8_t digest[CCCTL_SHA384_LEN];
	uint8_t snap[CCCTL_SHA384_LEN];
	uint32_t crc;
	int failed;
};

static void *hash_job_run(void *arg)
{
	struct hash_job *job = arg;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new(), *copy = EVP_MD_CTX_new();
	unsigned int n;

	job->failed = 1;
	if (!ctx || !copy || !EVP_DigestInit_ex(ctx, EVP_sha384(), NULL))
		goto out;
	for (size_t i = 0; i < job->nspans; i++) {
		if (!EVP_DigestUpdate(ctx, job->spans[i].p, job->spans[i].len))
			goto out;
		if (i == job->snap_after &&
		    (!EVP_MD_CTX_copy_ex(copy, ctx) || !EVP_DigestFinal_ex(copy, job->snap, &n)))
			goto out;
	}
	if (!EVP_DigestFinal_ex(ctx, job->digest, &n))
		goto out;
	job->crc = ccctl_crc32(0, job->crc_p, job->crc_len);
	job->failed = 0;
out:
	EVP_MD_CTX_free(copy);
	EVP_MD_CTX_free(ctx);
	return NULL;
}

/*
 * The body (after the header) is CRC'd in two parts, [0, x) on the PCR0/1
 * thread and [x, L) on the PCR2 thread.  With SHA work a (PCR0) and b (PCR2)
 * bytes and a CRC byte costing about 1/CRC_COST_DIV of a SHA-384 byte,
 * balance a + x/k = b + (L - x)/k.
 */
#ifdef HAVE_CRC_CLMUL
#define CRC_COST_DIV (crc_have_clmul ? 20 : 3)
#else
#define CRC_COST_DIV 3
#endif

static size_t crc_split(size_t a, size_t b, size_t body)
{
	/* x = (k (b - a) + L) / 2, clamped to [0, L]; a >= b always. */
	uint64_t gap;

	pthread_once(&crc_once, crc_init);
	gap = (uint64_t)(a - b) * CRC_COST_DIV;

	if (gap >= body)
		return 0;
	return (size_t)((body - gap) / 2);
}

/*
 * Set up the two SHA-384 jobs for the measured parts in order: kernel,
 * cmdline, ramdisks.  Job a hashes all of them (PCR0) with a snapshot after
 * the first ramdisk (PCR1); job b hashes the later ramdisks (PCR2).
 */
static void jobs_init(struct hash_job jobs[2], const struct span *parts, size_t nparts)
{
	struct hash_job *a = &jobs[0], *b = &jobs[1];

	memset(jobs, 0, 2 * sizeof(*jobs));
	for (size_t i = 0; i < nparts; i++) {
		a->spans[a->nspans++] = parts[i];
		if (i >= 3)
			b->spans[b->nspans++] = parts[i];
	}
	a->snap_after = 2;
	b->snap_after = SIZE_MAX;
}

/* Run both jobs, on two threads when len (the bytes to hash) is large. */
static int jobs_run(struct hash_job jobs[2], size_t len)
{
	pthread_t tid;
	bool threaded = false;

	if (len >= THREAD_MIN_LEN && pthread_create(&tid, NULL, hash_job_run, &jobs[1]) == 0)
		threaded = true;
	else
		hash_job_run(&jobs[1]);
	hash_job_run(&jobs[0]);
	if (threaded)
		pthread_join(tid, NULL);
	if (jobs[0].failed || jobs[1].failed)
		return ccctl_err_set(CCCTL_EFAIL, "eif: sha-384 failed");
	return 0;
}

static int jobs_pcrs(struct ccctl_eif_pcrs *pcrs, const struct hash_job jobs[2])
{
	int ret;

	if ((ret = ccctl_measure_pcr_extend(pcrs->pcr0, NULL, jobs[0].digest, CCCTL_SHA384_LEN)) ||
	    (ret = ccctl_measure_pcr_extend(pcrs->pcr1, NULL, jobs[0].snap, CCCTL_SHA384_LEN)) ||
	    (ret = ccctl_measure_pcr_extend(pcrs->pcr2, NULL, jobs[1].digest, CCCTL_SHA384_LEN)))
		return ret;
	return 0;
}

/* The PCRs (when pcrs is not NULL) and the CRC-32 of a checked image. */
static int eif_hash(struct ccctl_eif_pcrs *pcrs, uint32_t *crc, const struct ccctl_eif_info *info,
		    const uint8_t *d, size_t len)
{
	struct hash_job jobs[2];
	struct span parts[CCCTL_EIF_MAX_SECTIONS];
	size_t body = len - CCCTL_EIF_HEADER_LEN, n = 0, x, alen = 0, blen = 0;
	uint32_t crc_head, crc_body;
	int ret;

	for (size_t i = 0; i < info->nsections; i++) {
		const struct ccctl_eif_section *s = &info->sections[i];

		if (s->type == CCCTL_EIF_KERNEL || s->type == CCCTL_EIF_CMDLINE ||
		    s->type == CCCTL_EIF_RAMDISK) {
			parts[n].p = d + s->offset + CCCTL_EIF_SECTION_HEADER_LEN;
			parts[n].len = (size_t)s->size;
			alen += parts[n].len;
			blen += n >= 3 ? parts[n].len : 0;
			n++;
		}
	}
	jobs_init(jobs, parts, n);
	x = crc_split(alen, blen, body);
	jobs[0].crc_p = d + CCCTL_EIF_HEADER_LEN;
	jobs[0].crc_len = x;
	jobs[1].crc_p = d + CCCTL_EIF_HEADER_LEN + x;
	jobs[1].crc_len = body - x;
	if ((ret = jobs_run(jobs, len)))
		return ret;
	crc_head = ccctl_crc32(0, d, CCCTL_EIF_CRC_OFFSET);
	crc_body = ccctl_crc32_combine(jobs[0].crc, jobs[1].crc, jobs[1].crc_len);
	*crc = ccctl_crc32_combine(crc_head, crc_body, body);
	return pcrs ? jobs_pcrs(pcrs, jobs) : 0;
}

int ccctl_eif_measure(struct ccctl_eif_info *info, struct ccctl_eif_pcrs *pcrs, const void *data,
		      size_t len, const char *name)
{
	struct ccctl_eif_info local;
	uint32_t crc = 0;
	int ret;

	if (!info)
		info = &local;
	if (!name)
		name = "(memory)";
	if ((ret = eif_check_structure(info, data, len, name)))
		return ret;
	if ((ret = eif_hash(pcrs, &crc, info, data, len)))
		return ret;
	if (crc != info->crc)
		return ccctl_err_set(CCCTL_EINVAL,
				     "eif \"%s\": crc-32 mismatch: header says %08x, computed %08x",
				     name, info->crc, crc);
	return 0;
}

int ccctl_eif_measure_file(struct ccctl_eif_info *info, struct ccctl_eif_pcrs *pcrs,
			   const char *path)
{
	struct stat st;
	void *map = NULL;
	size_t len = 0;
	int fd, ret;

	/* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ccctl_err_set(CCCTL_EFAIL, "cannot open \"%s\": %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "cannot stat \"%s\": %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = ccctl_err_set(CCCTL_EINVAL, "eif \"%s\": not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > SIZE_MAX) {
		ret = ccctl_err_set(CCCTL_EINVAL, "eif \"%s\": too large to map", path);
		goto out;
	}
	len = (size_t)st.st_size;
	if (len > 0) {
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (map == MAP_FAILED) {
			map = NULL;
			ret = ccctl_err_set(CCCTL_EFAIL, "cannot map \"%s\": %s", path,
					    strerror(errno));
			goto out;
		}
	}
	ret = ccctl_eif_measure(info, pcrs, map ? map : "", len, path);
out:
	if (map)
		munmap(map, len);
	close(fd);
	return ret;
}

/* ---- building ----------------------------------------------------------- */

/* The section list of spec in file order. */
struct layout {
	size_t n;
	uint16_t type[CCCTL_EIF_MAX_SECTIONS];
	struct ccctl_eif_blob blob[CCCTL_EIF_MAX_SECTIONS];
	uint8_t header[CCCTL_EIF_HEADER_LEN];
	uint8_t shdr[CCCTL_EIF_MAX_SECTIONS][CCCTL_EIF_SECTION_HEADER_LEN];
	uint64_t total;
};

static int layout_add(struct layout *l, uint16_t type, struct ccctl_eif_blob b)
{
	if (l->n == CCCTL_EIF_MAX_SECTIONS)
		return ccctl_err_set(CCCTL_EINVAL, "eif: too many sections: at most %d",
				     CCCTL_EIF_MAX_SECTIONS);
	if (!b.data && b.len)
		return ccctl_err_set(CCCTL_EINVAL, "eif: %s: no data",
				     ccctl_eif_section_name(type));
	l->type[l->n] = type;
	l->blob[l->n++] = b;
	return 0;
}

/* Lay out spec, fill in both kinds of header and the CRC. */
static int layout_build(struct layout *l, const struct ccctl_eif_spec *spec)
{
	uint64_t pos = CCCTL_EIF_HEADER_LEN;
	uint32_t crc;
	int ret;

	memset(l, 0, sizeof(*l));
	if (spec->flags & ~CCCTL_EIF_FLAG_ARM64)
		return ccctl_err_set(CCCTL_EINVAL, "eif: flags: expected 0 or 0x0001, found 0x%04x",
				     spec->flags);
	if (spec->kernel.len == 0)
		return ccctl_err_set(CCCTL_EINVAL, "eif: kernel: expected data, found none");
	if (spec->nramdisks == 0)
		return ccctl_err_set(CCCTL_EINVAL, "eif: ramdisks: expected at least one");
	if ((ret = layout_add(l, CCCTL_EIF_KERNEL, spec->kernel)) ||
	    (ret = layout_add(l, CCCTL_EIF_CMDLINE, spec->cmdline)))
		return ret;
	if (spec->metadata.data && (ret = layout_add(l, CCCTL_EIF_METADATA, spec->metadata)))
		return ret;
	for (size_t i = 0; i < spec->nramdisks; i++)
		if ((ret = layout_add(l, CCCTL_EIF_RAMDISK, spec->ramdisks[i])))
			return ret;

	memcpy(l->header, ".eif", 4);
	put16(l->header + 4, CCCTL_EIF_VERSION);
	put16(l->header + 6, spec->flags);
	put64(l->header + 8, spec->default_memory);
	put64(l->header + 16, spec->default_cpus);
	put16(l->header + 26, (uint16_t)l->n);
	for (size_t i = 0; i < l->n; i++) {
		uint64_t size = l->blob[i].len;

		if (size > UINT64_MAX - pos - CCCTL_EIF_SECTION_HEADER_LEN)
			return ccctl_err_set(CCCTL_EINVAL, "eif: image too large");
		put64(l->header + 28 + 8 * i, pos);
		put64(l->header + 284 + 8 * i, size);
		put16(l->shdr[i], l->type[i]);
		put64(l->shdr[i] + 4, size);
		pos += CCCTL_EIF_SECTION_HEADER_LEN + size;
	}
	crc = ccctl_crc32(0, l->header, CCCTL_EIF_CRC_OFFSET);
	for (size_t i = 0; i < l->n; i++) {
		crc = ccctl_crc32(crc, l->shdr[i], CCCTL_EIF_SECTION_HEADER_LEN);
		crc = ccctl_crc32(crc, l->blob[i].data, l->blob[i].len);
	}
	put32(l->header + CCCTL_EIF_CRC_OFFSET, crc);
	l->total = pos;
	return 0;
}

int ccctl_eif_write(struct ccctl_buf *out, const struct ccctl_eif_spec *spec)
{
	struct layout *l = malloc(sizeof(*l));
	int ret;

	if (!l)
		return ccctl_err_nomem();
	if ((ret = layout_build(l, spec)))
		goto out;
	if (l->total > SIZE_MAX) {
		ret = ccctl_err_set(CCCTL_EINVAL, "eif: image too large");
		goto out;
	}
	if ((ret = ccctl_buf_reserve(out, (size_t)l->total)) ||
	    (ret = ccctl_buf_append(out, l->header, sizeof(l->header))))
		goto out;
	for (size_t i = 0; i < l->n; i++)
		if ((ret = ccctl_buf_append(out, l->shdr[i], CCCTL_EIF_SECTION_HEADER_LEN)) ||
		    (ret = ccctl_buf_append(out, l->blob[i].data, l->blob[i].len)))
			goto out;
out:
	free(l);
	return ret;
}

static int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ccctl_err_errno(CCCTL_EFAIL, "eif: write");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int ccctl_eif_write_fd(int fd, const struct ccctl_eif_spec *spec)
{
	struct layout *l = malloc(sizeof(*l));
	int ret;

	if (!l)
		return ccctl_err_nomem();
	if ((ret = layout_build(l, spec)) || (ret = write_all(fd, l->header, sizeof(l->header))))
		goto out;
	for (size_t i = 0; i < l->n; i++)
		if ((ret = write_all(fd, l->shdr[i], CCCTL_EIF_SECTION_HEADER_LEN)) ||
		    (ret = write_all(fd, l->blob[i].data, l->blob[i].len)))
			goto out;
out:
	free(l);
	return ret;
}

int ccctl_eif_pcrs_compute(struct ccctl_eif_pcrs *pcrs, const struct ccctl_eif_spec *spec)
{
	struct span parts[CCCTL_EIF_MAX_SECTIONS];
	struct hash_job jobs[2];
	struct layout *l = malloc(sizeof(*l));
	size_t total = 0;
	int ret;

	/* The writer's checks and layout decide what an image of spec holds;
	 * the parts are then hashed where they are, without an image. */
	if (!l)
		return ccctl_err_nomem();
	if ((ret = layout_build(l, spec)))
		goto out;
	for (size_t i = 0, n = 0; i < l->n; i++) {
		if (l->type[i] == CCCTL_EIF_METADATA)
			continue;
		parts[n].p = l->blob[i].data;
		parts[n++].len = l->blob[i].len;
		total += l->blob[i].len;
	}
	jobs_init(jobs, parts, l->n - (spec->metadata.data ? 1 : 0));
	if (!(ret = jobs_run(jobs, total)))
		ret = jobs_pcrs(pcrs, jobs);
out:
	free(l);
	return ret;
}
