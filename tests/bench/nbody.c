/* SPDX-License-Identifier: Apache-2.0 */
/* nbody - gravitational N-body simulation (symplectic Euler, softened
 * forces) of a generated cluster; floating point with sqrt.  Prints the
 * energy before and after. */
#include "bench.h"
#include <math.h>

#define NB 32
#define DT 0.001
#define SOFT 0.01

struct body {
	double x[3], v[3], m;
};

static double energy(const struct body *b)
{
	double e = 0.0;

	for (int i = 0; i < NB; i++) {
		e += 0.5 * b[i].m * (b[i].v[0] * b[i].v[0] + b[i].v[1] * b[i].v[1] +
				     b[i].v[2] * b[i].v[2]);
		for (int j = i + 1; j < NB; j++) {
			double d[3], r2;

			for (int k = 0; k < 3; k++)
				d[k] = b[i].x[k] - b[j].x[k];
			r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + SOFT;
			e -= b[i].m * b[j].m / sqrt(r2);
		}
	}
	return e;
}

static void step(struct body *b)
{
	for (int i = 0; i < NB; i++) {
		for (int j = i + 1; j < NB; j++) {
			double d[3], r2, inv, f;

			for (int k = 0; k < 3; k++)
				d[k] = b[i].x[k] - b[j].x[k];
			r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + SOFT;
			inv = 1.0 / sqrt(r2);
			f = DT * inv * inv * inv;
			for (int k = 0; k < 3; k++) {
				b[i].v[k] -= d[k] * b[j].m * f;
				b[j].v[k] += d[k] * b[i].m * f;
			}
		}
	}
	for (int i = 0; i < NB; i++)
		for (int k = 0; k < 3; k++)
			b[i].x[k] += DT * b[i].v[k];
}

int main(int argc, char **argv)
{
	long steps = bench_arg(argc, argv, 200000);
	struct body *b = bench_alloc(NB, sizeof(*b));
	struct bench_rng rng;
	double e0;

	bench_rng_init(&rng, 7);
	for (int i = 0; i < NB; i++) {
		for (int k = 0; k < 3; k++) {
			b[i].x[k] = (double)(bench_rng_next(&rng) % 2001) / 1000.0 - 1.0;
			b[i].v[k] = (double)(bench_rng_next(&rng) % 201) / 1000.0 - 0.1;
		}
		b[i].m = 0.5 + (double)(bench_rng_next(&rng) % 1000) / 1000.0;
	}
	e0 = energy(b);
	for (long s = 0; s < steps; s++)
		step(b);
	printf("nbody %d bodies, %ld steps: energy %.9f -> %.9f\n", NB, steps, e0, energy(b));
	free(b);
	return 0;
}
