/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-eif.c - EIF writer/reader, CRC-32 and PCR arithmetic (lib/eif.c).
 *
 * Reference values here are computed independently in the test (OpenSSL's
 * SHA-384 called directly, the CRC-32 check value of the ITU/zlib
 * specification); the published vectors are in test-eif-vectors.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "lib/buf.h"
#include "lib/eif.h"
#include "lib/err.h"
#include "lib/measure.h"

/* ---- helpers ------------------------------------------------------------ */

static void sha384_of(uint8_t out[CCCTL_SHA384_LEN], const struct ccctl_eif_blob *parts, size_t n)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len;

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha384(), NULL), 1);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(EVP_DigestUpdate(ctx, parts[i].data, parts[i].len), 1);
	assert_int_equal(EVP_DigestFinal_ex(ctx, out, &len), 1);
	EVP_MD_CTX_free(ctx);
}

/* PCR = SHA-384(48 zero bytes || SHA-384(parts...)), computed without lib/. */
static void expect_pcr(const uint8_t got[CCCTL_SHA384_LEN], const struct ccctl_eif_blob *parts,
		       size_t n)
{
	uint8_t buf[2 * CCCTL_SHA384_LEN] = {0}, want[CCCTL_SHA384_LEN];
	struct ccctl_eif_blob b = {buf, sizeof(buf)};

	sha384_of(buf + CCCTL_SHA384_LEN, parts, n);
	sha384_of(want, &b, 1);
	assert_memory_equal(got, want, CCCTL_SHA384_LEN);
}

static uint8_t *pattern(size_t len, unsigned seed)
{
	uint8_t *p = malloc(len ? len : 1);
	uint32_t x = seed * 2654435761u + 1;

	assert_non_null(p);
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
	return p;
}

/* A small valid image: kernel, cmdline, metadata, two ramdisks. */
static const struct ccctl_eif_blob small_ramdisks[2] = {
    {"RAMDISK0", 8},
    {"RAMDISK1", 8},
};

static void small_spec(struct ccctl_eif_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->default_memory = 1073741824;
	s->default_cpus = 2;
	s->kernel = (struct ccctl_eif_blob){"KERNEL", 6};
	s->cmdline = (struct ccctl_eif_blob){"console=ttyS0", 13};
	s->metadata = (struct ccctl_eif_blob){"{}", 2};
	s->ramdisks = small_ramdisks;
	s->nramdisks = 2;
}

static void small_image(struct ccctl_buf *img)
{
	struct ccctl_eif_spec s;

	small_spec(&s);
	ccctl_buf_init(img);
	assert_int_equal(ccctl_eif_write(img, &s), 0);
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Rewrite the stored CRC so that only the structural defect remains. */
static void fix_crc(struct ccctl_buf *img)
{
	uint32_t crc = ccctl_crc32(0, img->data, CCCTL_EIF_CRC_OFFSET);

	crc = ccctl_crc32(crc, img->data + CCCTL_EIF_HEADER_LEN, img->len - CCCTL_EIF_HEADER_LEN);
	put_be(img->data + CCCTL_EIF_CRC_OFFSET, crc, 4);
}

/* An EIF with the given sections in this order, laid out and CRC'd here
 * (independently of the writer), so that the tests can build what the writer
 * refuses to. */
static void raw_eif(struct ccctl_buf *img, const uint16_t *types, const char *const *data, size_t n)
{
	uint8_t hdr[CCCTL_EIF_HEADER_LEN] = {0};
	uint64_t pos = CCCTL_EIF_HEADER_LEN;

	memcpy(hdr, ".eif", 4);
	put_be(hdr + 4, 4, 2);
	put_be(hdr + 8, 1 << 30, 8);
	put_be(hdr + 16, 2, 8);
	put_be(hdr + 26, n, 2);
	ccctl_buf_init(img);
	assert_int_equal(ccctl_buf_append(img, hdr, sizeof(hdr)), 0);
	for (size_t i = 0; i < n; i++) {
		uint8_t sh[CCCTL_EIF_SECTION_HEADER_LEN] = {0};
		size_t len = strlen(data[i]);

		put_be(img->data + 28 + 8 * i, pos, 8);
		put_be(img->data + 284 + 8 * i, len, 8);
		put_be(sh, types[i], 2);
		put_be(sh + 4, len, 8);
		assert_int_equal(ccctl_buf_append(img, sh, sizeof(sh)), 0);
		assert_int_equal(ccctl_buf_append(img, data[i], len), 0);
		pos += sizeof(sh) + len;
	}
	fix_crc(img);
}

/* Measuring img/len fails with CCCTL_EINVAL and a message containing want. */
static void expect_invalid(const uint8_t *img, size_t len, const char *want)
{
	struct ccctl_eif_pcrs pcrs;

	ccctl_err_clear();
	assert_int_equal(ccctl_eif_measure(NULL, &pcrs, img, len, "t.eif"), CCCTL_EINVAL);
	if (!strstr(ccctl_err_msg(), want))
		fail_msg("message \"%s\" lacks \"%s\"", ccctl_err_msg(), want);
	assert_non_null(strstr(ccctl_err_msg(), "\"t.eif\""));
}

/* ---- CRC-32 ------------------------------------------------------------- */

static void test_crc32_check_value(void **state)
{
	/* The CRC-32 check value for "123456789" (zlib/ITU-T V.42 parameters). */
	assert_int_equal(ccctl_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(ccctl_crc32(0, "", 0), 0);
	/* Continuation equals one call. */
	assert_int_equal(ccctl_crc32(ccctl_crc32(0, "12345", 5), "6789", 4), 0xcbf43926u);
}

/* Bit-at-a-time CRC-32 straight from the definition (reflected 0xedb88320). */
static uint32_t crc32_bitwise(const uint8_t *p, size_t len)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

/* Every length and alignment path (table below 64 bytes, folding above,
 * and the tails) agrees with the definition. */
static void test_crc32_lengths(void **state)
{
	size_t max = 70000;
	uint8_t *p = pattern(max + 16, 11);
	size_t lens[] = {64, 65, 79, 80, 127, 128, 129, 191, 192, 255, 256, 1000, 4096, 65535, max};

	for (size_t len = 0; len < 300; len++)
		assert_int_equal(ccctl_crc32(0, p + (len & 7), len),
				 crc32_bitwise(p + (len & 7), len));
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		for (size_t off = 0; off < 16; off += 5) {
			uint32_t want = crc32_bitwise(p + off, lens[i]);

			assert_int_equal(ccctl_crc32(0, p + off, lens[i]), want);
			/* Continuing from a previous value. */
			assert_int_equal(
			    ccctl_crc32(ccctl_crc32(0, p + off, 3), p + off + 3, lens[i] - 3),
			    want);
		}
	free(p);
}

static void test_crc32_combine(void **state)
{
	size_t len = 100000;
	uint8_t *p = pattern(len, 7);
	uint32_t whole = ccctl_crc32(0, p, len);
	size_t cuts[] = {0, 1, 7, 8, 9, 4096, 65537, len - 1, len};

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t c = cuts[i];
		uint32_t a = ccctl_crc32(0, p, c), b = ccctl_crc32(0, p + c, len - c);

		assert_int_equal(ccctl_crc32_combine(a, b, len - c), whole);
	}
	free(p);
}

/* ---- writer and reader -------------------------------------------------- */

static void test_write_layout(void **state)
{
	struct ccctl_buf img;
	struct ccctl_eif_info info;
	uint32_t crc;

	small_image(&img);
	/* 548 + 5 section headers + 6 + 13 + 2 + 8 + 8 data bytes. */
	assert_int_equal(img.len, 548 + 5 * 12 + 37);
	assert_memory_equal(img.data, ".eif\0\4", 6);
	assert_int_equal(ccctl_eif_measure(&info, NULL, img.data, img.len, "t.eif"), 0);
	assert_int_equal(info.version, 4);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.default_memory, 1073741824);
	assert_int_equal(info.default_cpus, 2);
	assert_int_equal(info.nsections, 5);
	assert_int_equal(info.nramdisks, 2);
	assert_true(info.has_metadata);
	assert_false(info.has_signature);
	/* File order kernel, cmdline, metadata, ramdisks, contiguous. */
	assert_int_equal(info.sections[0].type, CCCTL_EIF_KERNEL);
	assert_int_equal(info.sections[0].offset, 548);
	assert_int_equal(info.sections[1].type, CCCTL_EIF_CMDLINE);
	assert_int_equal(info.sections[1].offset, 548 + 12 + 6);
	assert_int_equal(info.sections[2].type, CCCTL_EIF_METADATA);
	assert_int_equal(info.sections[3].type, CCCTL_EIF_RAMDISK);
	assert_int_equal(info.sections[4].type, CCCTL_EIF_RAMDISK);
	assert_int_equal(info.sections[4].offset + 12 + 8, img.len);
	/* The CRC covers header bytes 0..543 then everything after the header. */
	crc = ccctl_crc32(0, img.data, 544);
	crc = ccctl_crc32(crc, img.data + 548, img.len - 548);
	assert_int_equal(info.crc, crc);
	ccctl_buf_release(&img);
}

static void test_round_trip_pcrs(void **state)
{
	static const struct ccctl_eif_blob rd[3] = {{"boot", 4}, {"app", 3}, {"", 0}};
	struct ccctl_eif_spec s;
	struct ccctl_buf img;
	struct ccctl_eif_pcrs pcrs;
	struct ccctl_eif_info info;

	small_spec(&s);
	s.flags = CCCTL_EIF_FLAG_ARM64;
	s.metadata = (struct ccctl_eif_blob){NULL, 0}; /* no metadata section */
	s.ramdisks = rd;
	s.nramdisks = 3;
	ccctl_buf_init(&img);
	assert_int_equal(ccctl_eif_write(&img, &s), 0);
	assert_int_equal(ccctl_eif_measure(&info, &pcrs, img.data, img.len, "t.eif"), 0);
	assert_int_equal(info.flags, CCCTL_EIF_FLAG_ARM64);
	assert_int_equal(info.nsections, 5);
	assert_false(info.has_metadata);
	{
		struct ccctl_eif_blob p0[] = {s.kernel, s.cmdline, rd[0], rd[1], rd[2]};
		struct ccctl_eif_blob p1[] = {s.kernel, s.cmdline, rd[0]};
		struct ccctl_eif_blob p2[] = {rd[1], rd[2]};

		expect_pcr(pcrs.pcr0, p0, 5);
		expect_pcr(pcrs.pcr1, p1, 3);
		expect_pcr(pcrs.pcr2, p2, 2);
	}
	ccctl_buf_release(&img);
}

/* Above the threading threshold, through a file: same PCRs as computed
 * directly, and ccctl_eif_write_fd() writes what ccctl_eif_write() does. */
static void test_large_file(void **state)
{
	size_t klen = 1 << 20, r0len = 3 << 20, r1len = (5 << 20) + 3;
	uint8_t *k = pattern(klen, 1), *r0 = pattern(r0len, 2), *r1 = pattern(r1len, 3);
	struct ccctl_eif_blob rd[2] = {{r0, r0len}, {r1, r1len}};
	struct ccctl_eif_spec s;
	struct ccctl_buf img, file;
	struct ccctl_eif_pcrs pcrs, mem;
	char path[] = "/tmp/test-eif.XXXXXX";
	int fd;

	small_spec(&s);
	s.kernel = (struct ccctl_eif_blob){k, klen};
	s.ramdisks = rd;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ccctl_eif_write_fd(fd, &s), 0);
	close(fd);
	assert_int_equal(ccctl_eif_measure_file(NULL, &pcrs, path), 0);
	{
		struct ccctl_eif_blob p0[] = {s.kernel, s.cmdline, rd[0], rd[1]};
		struct ccctl_eif_blob p1[] = {s.kernel, s.cmdline, rd[0]};

		expect_pcr(pcrs.pcr0, p0, 4);
		expect_pcr(pcrs.pcr1, p1, 3);
		expect_pcr(pcrs.pcr2, &rd[1], 1);
	}
	ccctl_buf_init(&img);
	ccctl_buf_init(&file);
	assert_int_equal(ccctl_eif_write(&img, &s), 0);
	assert_int_equal(ccctl_file_read(&file, path, 64 << 20), 0);
	assert_int_equal(file.len, img.len);
	assert_memory_equal(file.data, img.data, img.len);
	assert_int_equal(ccctl_eif_measure(NULL, &mem, img.data, img.len, "m"), 0);
	assert_memory_equal(&mem, &pcrs, sizeof(mem));
	/* From the parts, without an image (also on two threads). */
	memset(&mem, 0, sizeof(mem));
	assert_int_equal(ccctl_eif_pcrs_compute(&mem, &s), 0);
	assert_memory_equal(&mem, &pcrs, sizeof(mem));
	/* A flipped bit deep in the second ramdisk (hashed on the other
	 * thread) breaks the CRC. */
	img.data[img.len - 1000] ^= 0x40;
	expect_invalid(img.data, img.len, "crc-32 mismatch");
	unlink(path);
	ccctl_buf_release(&img);
	ccctl_buf_release(&file);
	free(k);
	free(r0);
	free(r1);
}

static void test_single_ramdisk_pcr2_is_empty_extend(void **state)
{
	struct ccctl_eif_spec s;
	struct ccctl_eif_pcrs pcrs;
	struct ccctl_eif_blob none = {"", 0};

	small_spec(&s);
	s.nramdisks = 1;
	assert_int_equal(ccctl_eif_pcrs_compute(&pcrs, &s), 0);
	assert_memory_equal(pcrs.pcr0, pcrs.pcr1, CCCTL_SHA384_LEN);
	expect_pcr(pcrs.pcr2, &none, 1);
}

static void test_writer_rejects(void **state)
{
	struct ccctl_eif_blob many[31];
	struct ccctl_eif_spec s;
	struct ccctl_buf img;

	ccctl_buf_init(&img);
	small_spec(&s);
	s.nramdisks = 0;
	assert_int_equal(ccctl_eif_write(&img, &s), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "ramdisk"));
	small_spec(&s);
	s.kernel.len = 0;
	assert_int_equal(ccctl_eif_write(&img, &s), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "kernel"));
	small_spec(&s);
	s.flags = 2;
	assert_int_equal(ccctl_eif_write(&img, &s), CCCTL_EINVAL);
	small_spec(&s);
	for (size_t i = 0; i < 31; i++)
		many[i] = small_ramdisks[0];
	s.ramdisks = many;
	s.nramdisks = 29; /* 3 + 29 = 32 sections: allowed */
	assert_int_equal(ccctl_eif_write(&img, &s), 0);
	assert_int_equal(ccctl_eif_measure(NULL, NULL, img.data, img.len, "t"), 0);
	s.nramdisks = 30;
	assert_int_equal(ccctl_eif_write(&img, &s), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "too many sections"));
	ccctl_buf_release(&img);
}

/* ---- corrupted images --------------------------------------------------- */

static void test_bad_magic(void **state)
{
	struct ccctl_buf img;

	small_image(&img);
	img.data[0] = 'E';
	expect_invalid(img.data, img.len, "bad magic: expected \".eif\"");
	ccctl_buf_release(&img);
}

static void test_bad_version(void **state)
{
	struct ccctl_buf img;

	small_image(&img);
	img.data[5] = 3;
	expect_invalid(img.data, img.len, "unsupported version: expected 4, found 3");
	ccctl_buf_release(&img);
}

static void test_bad_crc(void **state)
{
	struct ccctl_buf img;

	small_image(&img);
	img.data[img.len - 1] ^= 1; /* last byte of ramdisk 1 */
	expect_invalid(img.data, img.len, "crc-32 mismatch");
	img.data[img.len - 1] ^= 1;
	img.data[CCCTL_EIF_CRC_OFFSET + 3] ^= 0x80; /* the stored CRC itself */
	expect_invalid(img.data, img.len, "crc-32 mismatch");
	img.data[CCCTL_EIF_CRC_OFFSET + 3] ^= 0x80;
	img.data[12] ^= 1; /* default memory: covered by the CRC, not measured */
	expect_invalid(img.data, img.len, "crc-32 mismatch");
	ccctl_buf_release(&img);
}

static void test_truncated(void **state)
{
	struct ccctl_buf img;

	small_image(&img);
	expect_invalid(img.data, img.len - 3, "truncated section 4 (ramdisk)");
	expect_invalid(img.data, img.len - 8 - 5, "truncated section 4: header");
	expect_invalid(img.data, 547, "truncated header: expected at least 548 bytes, found 547");
	expect_invalid(img.data, 0, "truncated header");
	ccctl_buf_release(&img);
}

static void test_section_count(void **state)
{
	struct ccctl_buf img;

	small_image(&img);
	put_be(img.data + 26, 33, 2);
	expect_invalid(img.data, img.len, "section count: expected 1 to 32, found 33");
	put_be(img.data + 26, 0xffff, 2);
	expect_invalid(img.data, img.len, "found 65535");
	put_be(img.data + 26, 0, 2);
	expect_invalid(img.data, img.len, "found 0");
	/* Fewer sections than the slots used. */
	put_be(img.data + 26, 4, 2);
	expect_invalid(img.data, img.len, "section slot 4: expected unused");
	ccctl_buf_release(&img);
}

static void test_bad_offsets(void **state)
{
	struct ccctl_buf img;

	small_image(&img);
	/* Section 1's offset moved back into the kernel. */
	put_be(img.data + 28 + 8, 548 + 4, 8);
	expect_invalid(img.data, img.len, "section 1 at offset 552 overlaps");
	put_be(img.data + 28 + 8, 548 + 40, 8);
	expect_invalid(img.data, img.len, "section 1: expected at offset 566");
	put_be(img.data + 28 + 8, UINT64_MAX, 8);
	expect_invalid(img.data, img.len, "section 1: expected at offset 566");
	ccctl_buf_release(&img);

	/* A huge size must not wrap around. */
	small_image(&img);
	put_be(img.data + 284 + 8 * 4, UINT64_MAX - 5, 8);
	expect_invalid(img.data, img.len, "truncated section 4 (ramdisk)");
	ccctl_buf_release(&img);
}

static void test_bad_section_headers(void **state)
{
	struct ccctl_buf img;
	size_t s1 = 548 + 12 + 6; /* cmdline section header */

	small_image(&img);
	put_be(img.data + s1 + 4, 12, 8);
	fix_crc(&img);
	expect_invalid(img.data, img.len,
		       "section 1 (cmdline): size in the section header (12) "
		       "differs from the eif header (13)");
	ccctl_buf_release(&img);

	small_image(&img);
	put_be(img.data + s1 + 2, 1, 2);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "section 1 (cmdline): flags: expected 0, found 0x0001");
	ccctl_buf_release(&img);

	small_image(&img);
	put_be(img.data + s1, 9, 2);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "section 1: unknown section type 9");
	ccctl_buf_release(&img);

	small_image(&img);
	put_be(img.data + s1, CCCTL_EIF_RAMDISK, 2);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "section 1: expected cmdline, found ramdisk");
	ccctl_buf_release(&img);

	small_image(&img);
	put_be(img.data + 548, CCCTL_EIF_SIGNATURE, 2);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "section 0: expected kernel, found signature");
	ccctl_buf_release(&img);
}

static void test_section_order(void **state)
{
	enum {
		K = CCCTL_EIF_KERNEL,
		C = CCCTL_EIF_CMDLINE,
		R = CCCTL_EIF_RAMDISK,
		S = CCCTL_EIF_SIGNATURE,
		M = CCCTL_EIF_METADATA
	};
	static const char *const d[] = {"k", "c", "r0", "r1", "sig"};
	struct ccctl_eif_pcrs plain, other;
	struct ccctl_eif_info info;
	struct ccctl_buf img;

	/* No metadata; metadata; a signature at the end: all accepted, with
	 * the same PCRs (metadata and signature are not measured). */
	raw_eif(&img, (const uint16_t[]){K, C, R, R}, d, 4);
	assert_int_equal(ccctl_eif_measure(&info, &plain, img.data, img.len, "t"), 0);
	assert_false(info.has_metadata);
	ccctl_buf_release(&img);
	raw_eif(&img, (const uint16_t[]){K, C, R, R, S}, d, 5);
	assert_int_equal(ccctl_eif_measure(&info, &other, img.data, img.len, "t"), 0);
	assert_true(info.has_signature);
	assert_memory_equal(&plain, &other, sizeof(plain));
	ccctl_buf_release(&img);
	raw_eif(&img, (const uint16_t[]){K, C, M, R, R},
		(const char *const[]){"k", "c", "{}", "r0", "r1"}, 5);
	assert_int_equal(ccctl_eif_measure(&info, &other, img.data, img.len, "t"), 0);
	assert_true(info.has_metadata);
	assert_memory_equal(&plain, &other, sizeof(plain));
	ccctl_buf_release(&img);

	raw_eif(&img, (const uint16_t[]){K, C, R, S, R}, d, 5);
	expect_invalid(img.data, img.len, "section 4: expected end of sections, found ramdisk");
	ccctl_buf_release(&img);
	raw_eif(&img, (const uint16_t[]){K, C, M, M, R}, d, 5);
	expect_invalid(img.data, img.len, "section 3: expected ramdisk, found metadata");
	ccctl_buf_release(&img);
	raw_eif(&img, (const uint16_t[]){K, C, R, M}, d, 4);
	expect_invalid(img.data, img.len,
		       "section 3: expected ramdisk or signature, found metadata");
	ccctl_buf_release(&img);
	raw_eif(&img, (const uint16_t[]){C, K, R}, d, 3);
	expect_invalid(img.data, img.len, "section 0: expected kernel, found cmdline");
	ccctl_buf_release(&img);
	raw_eif(&img, (const uint16_t[]){K, C, S}, d, 3);
	expect_invalid(img.data, img.len,
		       "section 2: expected metadata or ramdisk, found signature");
	ccctl_buf_release(&img);
	raw_eif(&img, (const uint16_t[]){K}, d, 1);
	expect_invalid(img.data, img.len, "missing section: expected cmdline after section 0");
	ccctl_buf_release(&img);

	/* An empty kernel: the writer refuses one, so does the reader. */
	raw_eif(&img, (const uint16_t[]){K, C, R}, (const char *const[]){"", "c", "r"}, 3);
	expect_invalid(img.data, img.len, "section 0 (kernel): expected data, found 0 bytes");
	ccctl_buf_release(&img);
	/* An empty cmdline and empty ramdisks are fine. */
	raw_eif(&img, (const uint16_t[]){K, C, R, R}, (const char *const[]){"k", "", "", ""}, 4);
	assert_int_equal(ccctl_eif_measure(NULL, NULL, img.data, img.len, "t"), 0);
	ccctl_buf_release(&img);
}

static void test_header_fields(void **state)
{
	struct ccctl_buf img;

	small_image(&img);
	put_be(img.data + 6, 0x8001, 2);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "unknown flags");
	put_be(img.data + 6, 0, 2);
	put_be(img.data + 24, 1, 2);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "reserved header field: expected 0, found 1");
	put_be(img.data + 24, 0, 2);
	put_be(img.data + 540, 5, 4);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "unused header field");
	ccctl_buf_release(&img);
}

static void test_missing_and_trailing(void **state)
{
	struct ccctl_buf img;

	/* Only kernel, cmdline, metadata: no ramdisk. */
	small_image(&img);
	put_be(img.data + 26, 3, 2);
	put_be(img.data + 28 + 8 * 3, 0, 8);
	put_be(img.data + 28 + 8 * 4, 0, 8);
	put_be(img.data + 284 + 8 * 3, 0, 8);
	put_be(img.data + 284 + 8 * 4, 0, 8);
	img.len -= 2 * (12 + 8);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "missing section: expected ramdisk after section 2");
	ccctl_buf_release(&img);

	small_image(&img);
	assert_int_equal(ccctl_buf_append(&img, "xyz", 3), 0);
	fix_crc(&img);
	expect_invalid(img.data, img.len, "3 trailing bytes after the last section");
	ccctl_buf_release(&img);
}

static void test_file_errors(void **state)
{
	struct ccctl_eif_pcrs pcrs;

	assert_int_equal(ccctl_eif_measure_file(NULL, &pcrs, "/nonexistent/x.eif"), CCCTL_EFAIL);
	assert_non_null(strstr(ccctl_err_msg(), "/nonexistent/x.eif"));
	assert_int_equal(ccctl_eif_measure_file(NULL, &pcrs, "/"), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "not a regular file"));
	assert_int_equal(ccctl_eif_measure_file(NULL, &pcrs, "/dev/null"), CCCTL_EINVAL);
	{
		/* A FIFO is refused without blocking on the open. */
		char fifo[] = "/tmp/test-eif-fifo.XXXXXX";
		int fd = mkstemp(fifo);

		assert_true(fd >= 0);
		close(fd);
		unlink(fifo);
		assert_int_equal(mkfifo(fifo, 0600), 0);
		assert_int_equal(ccctl_eif_measure_file(NULL, &pcrs, fifo), CCCTL_EINVAL);
		assert_non_null(strstr(ccctl_err_msg(), "not a regular file"));
		unlink(fifo);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crc32_check_value),
	    cmocka_unit_test(test_crc32_lengths),
	    cmocka_unit_test(test_crc32_combine),
	    cmocka_unit_test(test_write_layout),
	    cmocka_unit_test(test_round_trip_pcrs),
	    cmocka_unit_test(test_large_file),
	    cmocka_unit_test(test_single_ramdisk_pcr2_is_empty_extend),
	    cmocka_unit_test(test_writer_rejects),
	    cmocka_unit_test(test_bad_magic),
	    cmocka_unit_test(test_bad_version),
	    cmocka_unit_test(test_bad_crc),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_section_count),
	    cmocka_unit_test(test_bad_offsets),
	    cmocka_unit_test(test_bad_section_headers),
	    cmocka_unit_test(test_section_order),
	    cmocka_unit_test(test_header_fields),
	    cmocka_unit_test(test_missing_and_trailing),
	    cmocka_unit_test(test_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
