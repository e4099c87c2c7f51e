/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.h - helpers shared by the benchmark programs in tests/bench/.
 *
 * Every benchmark is a plain C program built twice: natively and to
 * wasm32-wasi.  It takes one optional argument that scales the work (the
 * differential test passes a small one), and prints a checksum so the
 * native and the WebAssembly runs can be compared byte for byte.  No clock,
 * no randomness from outside: the output depends only on the argument.
 */
#ifndef CCCTL_BENCH_H
#define CCCTL_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The work size: argv[1] when given (a positive decimal), else def. */
static inline long bench_arg(int argc, char **argv, long def)
{
	char *end;
	long v;

	if (argc < 2)
		return def;
	v = strtol(argv[1], &end, 10);
	if (*end != '\0' || v <= 0) {
		fprintf(stderr, "usage: %s [SIZE]\n", argv[0]);
		exit(2);
	}
	return v;
}

/* A small deterministic generator (xorshift64*), so inputs are reproducible. */
struct bench_rng {
	uint64_t s;
};

static inline void bench_rng_init(struct bench_rng *r, uint64_t seed)
{
	r->s = seed ? seed : 0x9e3779b97f4a7c15ull;
}

static inline uint32_t bench_rng_next(struct bench_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)((r->s * 0x2545f4914f6cdd1dull) >> 32);
}

/* Allocate or exit: benchmarks have nothing better to do on failure. */
static inline void *bench_alloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return p;
}

#endif
