/* SPDX-License-Identifier: Apache-2.0 */
/* mandelbrot - escape-time iteration over an N x N grid in double
 * precision; prints the number of points inside and a checksum of the
 * iteration counts. */
#include "bench.h"

#define MAX_ITER 100

int main(int argc, char **argv)
{
	long n = bench_arg(argc, argv, 3200);
	uint64_t inside = 0, sum = 0;

	for (long y = 0; y < n; y++) {
		double ci = 2.0 * (double)y / (double)n - 1.0;

		for (long x = 0; x < n; x++) {
			double cr = 3.0 * (double)x / (double)n - 2.0;
			double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
			int it = 0;

			while (it < MAX_ITER && zr2 + zi2 <= 4.0) {
				zi = 2.0 * zr * zi + ci;
				zr = zr2 - zi2 + cr;
				zr2 = zr * zr;
				zi2 = zi * zi;
				it++;
			}
			if (it == MAX_ITER)
				inside++;
			sum = sum * 31 + (uint64_t)it;
		}
	}
	printf("mandelbrot %ldx%ld: inside %llu, checksum %016llx\n", n, n,
	       (unsigned long long)inside, (unsigned long long)sum);
	return 0;
}
