/* SPDX-License-Identifier: Apache-2.0 */
/*
 * coremix - a mixed integer workload: each iteration runs four kernels on
 * small working sets that stay in cache and folds their results into a
 * CRC-16, so the compiler cannot drop any of them:
 *   - linked list: build from a pool, reverse, find, merge-sort by value;
 *   - matrix: 16-bit integer matrix times matrix and times vector, bit fields;
 *   - state machine: classify tokens of a generated text (integers,
 *     decimals, exponents, hex, errors) one character at a time;
 *   - CRC-16/CCITT computed bit by bit.
 */
#include "bench.h"
#include <string.h>

#define LIST_N 256
#define MAT_N 24
#define TEXT_N 2048

struct node {
	struct node *next;
	int32_t val;
	uint16_t idx;
};

static uint16_t crc16(uint16_t crc, uint32_t v, int bytes)
{
	for (int b = 0; b < bytes; b++) {
		crc ^= (uint16_t)(((v >> (8 * b)) & 0xff) << 8);
		for (int k = 0; k < 8; k++)
			crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

static struct node *list_reverse(struct node *l)
{
	struct node *prev = NULL;

	while (l) {
		struct node *next = l->next;

		l->next = prev;
		prev = l;
		l = next;
	}
	return prev;
}

static struct node *list_merge(struct node *a, struct node *b)
{
	struct node head, *t = &head;

	while (a && b) {
		if (a->val <= b->val) {
			t->next = a;
			a = a->next;
		} else {
			t->next = b;
			b = b->next;
		}
		t = t->next;
	}
	t->next = a ? a : b;
	return head.next;
}

static struct node *list_sort(struct node *l)
{
	struct node *slow, *fast, *second;

	if (!l || !l->next)
		return l;
	slow = l;
	fast = l->next;
	while (fast && fast->next) {
		slow = slow->next;
		fast = fast->next->next;
	}
	second = slow->next;
	slow->next = NULL;
	return list_merge(list_sort(l), list_sort(second));
}

static uint16_t kernel_list(struct node *pool, uint32_t seed, uint16_t crc)
{
	struct node *l = NULL;
	int32_t found = 0;

	for (int i = 0; i < LIST_N; i++) {
		pool[i].val = (int32_t)((seed * (uint32_t)(i + 1) * 2654435761u) >> 20) - 2048;
		pool[i].idx = (uint16_t)i;
		pool[i].next = l;
		l = &pool[i];
	}
	l = list_reverse(l);
	for (int q = 0; q < 16; q++) {
		int32_t want = pool[(seed + (uint32_t)q * 37) % LIST_N].val;

		for (struct node *p = l; p; p = p->next)
			if (p->val == want) {
				found += p->idx;
				break;
			}
	}
	l = list_sort(l);
	for (struct node *p = l; p; p = p->next)
		crc = crc16(crc, (uint32_t)p->val ^ p->idx, 2);
	return crc16(crc, (uint32_t)found, 4);
}

static uint16_t kernel_matrix(int16_t a[MAT_N][MAT_N], int16_t b[MAT_N][MAT_N], uint32_t seed,
			      uint16_t crc)
{
	int32_t c[MAT_N][MAT_N], v[MAT_N];
	int32_t acc = 0;

	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++) {
			a[i][j] = (int16_t)((seed + (uint32_t)(i * 7 + j)) & 0x3ff) - 512;
			b[i][j] = (int16_t)((seed ^ (uint32_t)(i * 13 + j * 3)) & 0xff) - 128;
		}
	for (int i = 0; i < MAT_N; i++) {
		v[i] = 0;
		for (int j = 0; j < MAT_N; j++) {
			int32_t s = 0;

			for (int k = 0; k < MAT_N; k++)
				s += (int32_t)a[i][k] * b[k][j];
			c[i][j] = s;
			v[i] += (int32_t)a[i][j] * (j + 1);
		}
	}
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++)
			acc += (c[i][j] >> 3) & 0x7f;
	for (int i = 0; i < MAT_N; i++)
		acc ^= v[i];
	return crc16(crc, (uint32_t)acc, 4);
}

enum tok_state { S_START, S_INT, S_DEC, S_EXP0, S_EXP, S_HEX0, S_HEX, S_ZERO, S_ERR };

static uint16_t kernel_state(char *text, uint32_t seed, uint16_t crc)
{
	static const char alphabet[] = "0123456789.eEx+-, abcdef";
	uint32_t counts[S_ERR + 1] = { 0 };
	enum tok_state s = S_START;

	for (int i = 0; i < TEXT_N; i++) {
		seed = seed * 1103515245u + 12345u;
		text[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
	}
	for (int i = 0; i < TEXT_N; i++) {
		char ch = text[i];
		int digit = ch >= '0' && ch <= '9';
		int hexd = digit || (ch >= 'a' && ch <= 'f');

		if (ch == ',' || ch == ' ') {
			counts[s]++;
			s = S_START;
			continue;
		}
		switch (s) {
		case S_START:
			s = ch == '0' ? S_ZERO : digit ? S_INT : (ch == '+' || ch == '-') ? S_INT : S_ERR;
			break;
		case S_ZERO:
			s = ch == 'x' ? S_HEX0 : digit ? S_INT : ch == '.' ? S_DEC : S_ERR;
			break;
		case S_INT:
			s = digit ? S_INT : ch == '.' ? S_DEC : (ch == 'e' || ch == 'E') ? S_EXP0 : S_ERR;
			break;
		case S_DEC:
			s = digit ? S_DEC : (ch == 'e' || ch == 'E') ? S_EXP0 : S_ERR;
			break;
		case S_EXP0:
			s = (digit || ch == '+' || ch == '-') ? S_EXP : S_ERR;
			break;
		case S_EXP:
			s = digit ? S_EXP : S_ERR;
			break;
		case S_HEX0:
		case S_HEX:
			s = hexd ? S_HEX : S_ERR;
			break;
		case S_ERR:
			break;
		}
	}
	counts[s]++;
	for (int i = 0; i <= S_ERR; i++)
		crc = crc16(crc, counts[i], 2);
	return crc;
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 30000);
	struct node *pool = bench_alloc(LIST_N, sizeof(*pool));
	int16_t(*a)[MAT_N] = bench_alloc(MAT_N, sizeof(*a));
	int16_t(*b)[MAT_N] = bench_alloc(MAT_N, sizeof(*b));
	char *text = bench_alloc(TEXT_N, 1);
	uint16_t crc = 0xffff, crc_list = 0, crc_mat = 0, crc_state = 0;

	for (long it = 0; it < iters; it++) {
		uint32_t seed = (uint32_t)it * 0x9e3779b9u + crc;

		crc_list = kernel_list(pool, seed, crc_list);
		crc_mat = kernel_matrix(a, b, seed, crc_mat);
		crc_state = kernel_state(text, seed, crc_state);
		crc = crc16(crc, (uint32_t)crc_list << 16 | crc_mat, 4);
		crc = crc16(crc, crc_state, 2);
	}
	printf("coremix %ld iterations: list %04x matrix %04x state %04x final %04x\n", iters,
	       crc_list, crc_mat, crc_state, crc);
	free(pool);
	free(a);
	free(b);
	free(text);
	return 0;
}
