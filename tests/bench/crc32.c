/* SPDX-License-Identifier: Apache-2.0 */
/* crc32 - table-driven CRC-32 (reflected, polynomial 0xEDB88320) over a
 * generated buffer, repeated: byte loads, table lookups, shifts. */
#include "bench.h"
#include <string.h>

#define CHUNK (1u << 20)

static uint32_t table[256];

static void crc_table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int main(int argc, char **argv)
{
	long mib = bench_arg(argc, argv, 400);
	uint8_t *buf = bench_alloc(CHUNK, 1);
	struct bench_rng rng;
	uint32_t crc = 0, check;

	crc_table_init();
	check = crc_update(0, (const uint8_t *)"123456789", 9);
	bench_rng_init(&rng, 42);
	for (size_t i = 0; i < CHUNK; i++)
		buf[i] = (uint8_t)bench_rng_next(&rng);
	for (long i = 0; i < mib; i++) {
		crc = crc_update(crc, buf, CHUNK);
		buf[(size_t)i % CHUNK] ^= (uint8_t)crc;
	}
	printf("crc32 check %08x, %ld MiB: %08x\n", (unsigned)check, mib, (unsigned)crc);
	free(buf);
	return 0;
}
