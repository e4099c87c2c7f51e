/* SPDX-License-Identifier: Apache-2.0 */
/* fib - naive doubly recursive Fibonacci: calls and returns. */
#include "bench.h"

static uint32_t fib(uint32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
	long n = bench_arg(argc, argv, 43);

	if (n > 60)
		n = 60;
	printf("fib(%ld) = %u\n", n, (unsigned)fib((uint32_t)n));
	return 0;
}
