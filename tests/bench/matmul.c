/* SPDX-License-Identifier: Apache-2.0 */
/* matmul - dense N x N double-precision matrix product (i-k-j loop order),
 * applied twice (C = A*B, D = C*A); prints the trace and a sum. */
#include "bench.h"

static void mul(double *c, const double *a, const double *b, long n)
{
	for (long i = 0; i < n * n; i++)
		c[i] = 0.0;
	for (long i = 0; i < n; i++)
		for (long k = 0; k < n; k++) {
			double aik = a[i * n + k];

			for (long j = 0; j < n; j++)
				c[i * n + j] += aik * b[k * n + j];
		}
}

int main(int argc, char **argv)
{
	long n = bench_arg(argc, argv, 900);
	size_t nn;
	double *a, *b, *c, *d, trace = 0.0, sum = 0.0;
	struct bench_rng rng;

	if (n > 4096)
		n = 4096;
	nn = (size_t)n * (size_t)n;
	a = bench_alloc(nn, sizeof(double));
	b = bench_alloc(nn, sizeof(double));
	c = bench_alloc(nn, sizeof(double));
	d = bench_alloc(nn, sizeof(double));
	bench_rng_init(&rng, 11);
	for (size_t i = 0; i < nn; i++) {
		a[i] = (double)(bench_rng_next(&rng) % 2001) / 1000.0 - 1.0;
		b[i] = (double)(bench_rng_next(&rng) % 2001) / 1000.0 - 1.0;
	}
	mul(c, a, b, n);
	mul(d, c, a, n);
	for (long i = 0; i < n; i++)
		trace += d[i * n + i];
	for (size_t i = 0; i < nn; i++)
		sum += d[i];
	printf("matmul %ld: trace %.6f sum %.6f\n", n, trace, sum);
	free(a);
	free(b);
	free(c);
	free(d);
	return 0;
}
