/* SPDX-License-Identifier: Apache-2.0 */
/* hashjoin - equi-join of two generated tables: build an open-addressing
 * hash table (linear probing) on the smaller one, probe it with the larger,
 * aggregate the matches.  Random memory access and branches. */
#include "bench.h"

struct row {
	uint32_t key, val;
};

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

int main(int argc, char **argv)
{
	long n = bench_arg(argc, argv, 3000000);
	long m = 4 * n;
	size_t cap = 1, mask;
	struct row *build = bench_alloc((size_t)n, sizeof(*build));
	struct row *table;
	struct bench_rng rng;
	uint64_t matches = 0, sum = 0;
	uint32_t keyspace = (uint32_t)(2 * n);

	while (cap < (size_t)n * 2)
		cap <<= 1;
	mask = cap - 1;
	table = bench_alloc(cap, sizeof(*table)); /* key 0 = empty */
	bench_rng_init(&rng, 5);
	for (long i = 0; i < n; i++) {
		build[i].key = 1 + (uint32_t)i * 2; /* unique odd keys */
		build[i].val = bench_rng_next(&rng);
	}
	for (long i = 0; i < n; i++) {
		size_t h = hash32(build[i].key) & mask;

		while (table[h].key != 0)
			h = (h + 1) & mask;
		table[h] = build[i];
	}
	for (long i = 0; i < m; i++) {
		uint32_t key = 1 + bench_rng_next(&rng) % keyspace;
		uint32_t pval = bench_rng_next(&rng);
		size_t h = hash32(key) & mask;

		while (table[h].key != 0) {
			if (table[h].key == key) {
				matches++;
				sum += (uint64_t)(table[h].val ^ pval);
				break;
			}
			h = (h + 1) & mask;
		}
	}
	printf("hashjoin %ld x %ld: matches %llu sum %llu\n", n, m, (unsigned long long)matches,
	       (unsigned long long)sum);
	free(build);
	free(table);
	return 0;
}
