/* SPDX-License-Identifier: Apache-2.0 */
/* sort - quicksort (median of three, insertion sort for small ranges) and a
 * bottom-up merge sort of the same generated array; checks both agree and
 * prints a position-weighted checksum. */
#include "bench.h"
#include <string.h>

static void insertion(uint32_t *a, long lo, long hi)
{
	for (long i = lo + 1; i <= hi; i++) {
		uint32_t v = a[i];
		long j = i - 1;

		while (j >= lo && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void swap(uint32_t *a, long i, long j)
{
	uint32_t t = a[i];

	a[i] = a[j];
	a[j] = t;
}

static void quicksort(uint32_t *a, long lo, long hi)
{
	while (hi - lo > 16) {
		long mid = lo + (hi - lo) / 2, i = lo, j = hi;
		uint32_t pivot;

		if (a[mid] < a[lo])
			swap(a, mid, lo);
		if (a[hi] < a[lo])
			swap(a, hi, lo);
		if (a[hi] < a[mid])
			swap(a, hi, mid);
		pivot = a[mid];
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j)
				swap(a, i++, j--);
		}
		/* recurse into the smaller part, loop on the larger */
		if (j - lo < hi - i) {
			quicksort(a, lo, j);
			lo = i;
		} else {
			quicksort(a, i, hi);
			hi = j;
		}
	}
	insertion(a, lo, hi);
}

static void mergesort(uint32_t *a, uint32_t *tmp, long n)
{
	for (long width = 1; width < n; width *= 2) {
		for (long lo = 0; lo < n; lo += 2 * width) {
			long mid = lo + width < n ? lo + width : n;
			long hi = lo + 2 * width < n ? lo + 2 * width : n;
			long i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, (size_t)n * sizeof(*a));
	}
}

int main(int argc, char **argv)
{
	long n = bench_arg(argc, argv, 3000000);
	uint32_t *a = bench_alloc((size_t)n, sizeof(*a));
	uint32_t *b = bench_alloc((size_t)n, sizeof(*b));
	uint32_t *tmp = bench_alloc((size_t)n, sizeof(*tmp));
	struct bench_rng rng;
	uint64_t sum = 0;

	bench_rng_init(&rng, 3);
	for (long i = 0; i < n; i++)
		a[i] = b[i] = bench_rng_next(&rng) % 1000000007u;
	quicksort(a, 0, n - 1);
	mergesort(b, tmp, n);
	for (long i = 0; i < n; i++) {
		if (a[i] != b[i] || (i > 0 && a[i - 1] > a[i])) {
			printf("sort mismatch at %ld\n", i);
			return 1;
		}
		sum = sum * 1000003u + a[i];
	}
	printf("sort %ld: min %u max %u checksum %016llx\n", n, (unsigned)a[0],
	       (unsigned)a[n - 1], (unsigned long long)sum);
	free(a);
	free(b);
	free(tmp);
	return 0;
}
