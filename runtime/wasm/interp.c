/* SPDX-License-Identifier: Apache-2.0 */
/*
 * interp.c - the interpreter: direct-threaded (computed goto) over the cell
 * code of compile.c, with an explicit frame stack so wasm calls never
 * recurse natively.  Locals and operands are 64-bit slots addressed from
 * the frame pointer; the memory base, size, fuel and stack pointer live in
 * local variables and are written back to the store around host calls.
 * The last two results also stay in registers (acc, acc1; see SET), and
 * ops whose operands are there read them from the registers.
 */
#include <math.h>
#include <string.h>

#include "wasm-internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the wasm engine assumes a little-endian host"
#endif

bool wasm_functype_equal(const struct wasm_functype *a, const struct wasm_functype *b)
{
	return a == b || (a->nparams == b->nparams && a->nresults == b->nresults &&
			  !memcmp(a->types, b->types,
				  ((size_t)a->nparams + a->nresults) * sizeof(a->types[0])));
}

static inline float f32_of(uint64_t v)
{
	float f;
	uint32_t u = (uint32_t)v;

	memcpy(&f, &u, 4);
	return f;
}

static inline uint64_t bits_f32(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static inline double f64_of(uint64_t v)
{
	double d;

	memcpy(&d, &v, 8);
	return d;
}

static inline uint64_t bits_f64(double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	return u;
}

static inline float f32_min(float a, float b)
{
	if (a != a || b != b)
		return a + b;
	if (a == 0 && b == 0)
		return signbit(a) ? a : b;
	return a < b ? a : b;
}

static inline float f32_max(float a, float b)
{
	if (a != a || b != b)
		return a + b;
	if (a == 0 && b == 0)
		return signbit(a) ? b : a;
	return a > b ? a : b;
}

static inline double f64_min(double a, double b)
{
	if (a != a || b != b)
		return a + b;
	if (a == 0 && b == 0)
		return signbit(a) ? a : b;
	return a < b ? a : b;
}

static inline double f64_max(double a, double b)
{
	if (a != a || b != b)
		return a + b;
	if (a == 0 && b == 0)
		return signbit(a) ? b : a;
	return a > b ? a : b;
}

/* Rounding ops; a NaN operand comes back quieted, as arithmetic does. */
static inline float f32_round(float a, int mode)
{
	if (a != a)
		return a + a;
	switch (mode) {
	case 0:
		return ceilf(a);
	case 1:
		return floorf(a);
	case 2:
		return truncf(a);
	default:
		return nearbyintf(a);
	}
}

static inline double f64_round(double a, int mode)
{
	if (a != a)
		return a + a;
	switch (mode) {
	case 0:
		return ceil(a);
	case 1:
		return floor(a);
	case 2:
		return trunc(a);
	default:
		return nearbyint(a);
	}
}

static inline uint32_t rotl32(uint32_t x, uint32_t k)
{
	k &= 31;
	return k ? (x << k) | (x >> (32 - k)) : x;
}

static inline uint64_t rotl64(uint64_t x, uint64_t k)
{
	k &= 63;
	return k ? (x << k) | (x >> (64 - k)) : x;
}

/* Saturating truncations (f32 operands are exactly representable as double). */
static inline uint64_t sat_i32_s(double x)
{
	if (x != x)
		return 0;
	if (x <= -2147483648.0)
		return (uint32_t)INT32_MIN;
	if (x >= 2147483647.0)
		return (uint32_t)INT32_MAX;
	return (uint32_t)(int32_t)x;
}

static inline uint64_t sat_i32_u(double x)
{
	if (x != x || x <= 0)
		return 0;
	if (x >= 4294967295.0)
		return UINT32_MAX;
	return (uint32_t)x;
}

static inline uint64_t sat_i64_s(double x)
{
	if (x != x)
		return 0;
	if (x <= -9223372036854775808.0)
		return (uint64_t)INT64_MIN;
	if (x >= 9223372036854775808.0)
		return (uint64_t)INT64_MAX;
	return (uint64_t)(int64_t)x;
}

static inline uint64_t sat_i64_u(double x)
{
	if (x != x || x <= 0)
		return 0;
	if (x >= 18446744073709551616.0)
		return UINT64_MAX;
	return (uint64_t)x;
}

/* The II pairs (handlers and labels in run()): i32 op1 add, mul, and, xor,
 * shifts, rotates with op2 add, sub, and, or, xor; i64 op1 add, mul, and,
 * xor, shl, shr_u, rotl with op2 add, and, or, xor. */
#define II_OP2_32(M, op1) M(op1, 0x6a) M(op1, 0x6b) M(op1, 0x71) M(op1, 0x72) M(op1, 0x73)
#define II_LIST_32(M)                                                                      \
	II_OP2_32(M, 0x6a) II_OP2_32(M, 0x6c) II_OP2_32(M, 0x71) II_OP2_32(M, 0x73)          \
	II_OP2_32(M, 0x74) II_OP2_32(M, 0x75) II_OP2_32(M, 0x76) II_OP2_32(M, 0x77)          \
	II_OP2_32(M, 0x78)
#define II_OP2_64(M, op1) M(op1, 0x7c) M(op1, 0x83) M(op1, 0x84) M(op1, 0x85)
#define II_LIST_64(M)                                                                      \
	II_OP2_64(M, 0x7c) II_OP2_64(M, 0x7e) II_OP2_64(M, 0x83) II_OP2_64(M, 0x85)          \
	II_OP2_64(M, 0x86) II_OP2_64(M, 0x88) II_OP2_64(M, 0x89)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Winitializer-overrides"
/* forms no compiler output uses (e.g. the A form of a saturating
 * truncation) are left out of the label table and compiled away */
#pragma GCC diagnostic ignored "-Wunused-label"

/*
 * Run f (its arguments already at args on the store's stack) until it
 * returns to the host; results are left at args[0..].  With s == NULL,
 * only stores the label table in *labels_out.
 */
#if defined(__GNUC__) && !defined(__clang__)
/* The function and every handler start on a 64-byte boundary.  With
 * GCC's default placement single benchmarks moved by up to 20% whenever
 * unrelated code shifted the function (make bench); aligned, the layout
 * within cache lines no longer depends on where the function lands. */
__attribute__((optimize("align-labels=64", "no-tree-loop-distribute-patterns"), aligned(64)))
#endif
static int run(struct wasm_store *s, struct wasm_func *entry, uint64_t *args,
	       const void *const **labels_out)
{
	static const void *const labels[IOP_COUNT] = {
		[0 ... IOP_COUNT - 1] = &&L_invalid,
		[0x00] = &&L_0x00,
		[0x23] = &&L_0x23,
		[0x24] = &&L_0x24,
		[0x25] = &&L_0x25,
		[0x26] = &&L_0x26,
		[0x28] = &&L_0x28,
		[0x29] = &&L_0x29,
		[0x2a] = &&L_0x2a,
		[0x2b] = &&L_0x2b,
		[0x2c] = &&L_0x2c,
		[0x2d] = &&L_0x2d,
		[0x2e] = &&L_0x2e,
		[0x2f] = &&L_0x2f,
		[0x30] = &&L_0x30,
		[0x31] = &&L_0x31,
		[0x32] = &&L_0x32,
		[0x33] = &&L_0x33,
		[0x34] = &&L_0x34,
		[0x35] = &&L_0x35,
		[0x36] = &&L_0x36,
		[0x37] = &&L_0x37,
		[0x38] = &&L_0x38,
		[0x39] = &&L_0x39,
		[0x3a] = &&L_0x3a,
		[0x3b] = &&L_0x3b,
		[0x3c] = &&L_0x3c,
		[0x3d] = &&L_0x3d,
		[0x3e] = &&L_0x3e,
		[0x3f] = &&L_0x3f,
		[0x40] = &&L_0x40,
		[0x45] = &&L_0x45,
		[0x46] = &&L_0x46,
		[0x47] = &&L_0x47,
		[0x48] = &&L_0x48,
		[0x49] = &&L_0x49,
		[0x4a] = &&L_0x4a,
		[0x4b] = &&L_0x4b,
		[0x4c] = &&L_0x4c,
		[0x4d] = &&L_0x4d,
		[0x4e] = &&L_0x4e,
		[0x4f] = &&L_0x4f,
		[0x50] = &&L_0x50,
		[0x51] = &&L_0x51,
		[0x52] = &&L_0x52,
		[0x53] = &&L_0x53,
		[0x54] = &&L_0x54,
		[0x55] = &&L_0x55,
		[0x56] = &&L_0x56,
		[0x57] = &&L_0x57,
		[0x58] = &&L_0x58,
		[0x59] = &&L_0x59,
		[0x5a] = &&L_0x5a,
		[0x5b] = &&L_0x5b,
		[0x5c] = &&L_0x5c,
		[0x5d] = &&L_0x5d,
		[0x5e] = &&L_0x5e,
		[0x5f] = &&L_0x5f,
		[0x60] = &&L_0x60,
		[0x61] = &&L_0x61,
		[0x62] = &&L_0x62,
		[0x63] = &&L_0x63,
		[0x64] = &&L_0x64,
		[0x65] = &&L_0x65,
		[0x66] = &&L_0x66,
		[0x67] = &&L_0x67,
		[0x68] = &&L_0x68,
		[0x69] = &&L_0x69,
		[0x6a] = &&L_0x6a,
		[0x6b] = &&L_0x6b,
		[0x6c] = &&L_0x6c,
		[0x6d] = &&L_0x6d,
		[0x6e] = &&L_0x6e,
		[0x6f] = &&L_0x6f,
		[0x70] = &&L_0x70,
		[0x71] = &&L_0x71,
		[0x72] = &&L_0x72,
		[0x73] = &&L_0x73,
		[0x74] = &&L_0x74,
		[0x75] = &&L_0x75,
		[0x76] = &&L_0x76,
		[0x77] = &&L_0x77,
		[0x78] = &&L_0x78,
		[0x79] = &&L_0x79,
		[0x7a] = &&L_0x7a,
		[0x7b] = &&L_0x7b,
		[0x7c] = &&L_0x7c,
		[0x7d] = &&L_0x7d,
		[0x7e] = &&L_0x7e,
		[0x7f] = &&L_0x7f,
		[0x80] = &&L_0x80,
		[0x81] = &&L_0x81,
		[0x82] = &&L_0x82,
		[0x83] = &&L_0x83,
		[0x84] = &&L_0x84,
		[0x85] = &&L_0x85,
		[0x86] = &&L_0x86,
		[0x87] = &&L_0x87,
		[0x88] = &&L_0x88,
		[0x89] = &&L_0x89,
		[0x8a] = &&L_0x8a,
		[0x8b] = &&L_0x8b,
		[0x8c] = &&L_0x8c,
		[0x8d] = &&L_0x8d,
		[0x8e] = &&L_0x8e,
		[0x8f] = &&L_0x8f,
		[0x90] = &&L_0x90,
		[0x91] = &&L_0x91,
		[0x92] = &&L_0x92,
		[0x93] = &&L_0x93,
		[0x94] = &&L_0x94,
		[0x95] = &&L_0x95,
		[0x96] = &&L_0x96,
		[0x97] = &&L_0x97,
		[0x98] = &&L_0x98,
		[0x99] = &&L_0x99,
		[0x9a] = &&L_0x9a,
		[0x9b] = &&L_0x9b,
		[0x9c] = &&L_0x9c,
		[0x9d] = &&L_0x9d,
		[0x9e] = &&L_0x9e,
		[0x9f] = &&L_0x9f,
		[0xa0] = &&L_0xa0,
		[0xa1] = &&L_0xa1,
		[0xa2] = &&L_0xa2,
		[0xa3] = &&L_0xa3,
		[0xa4] = &&L_0xa4,
		[0xa5] = &&L_0xa5,
		[0xa6] = &&L_0xa6,
		[0xa7] = &&L_0xa7,
		[0xa8] = &&L_0xa8,
		[0xa9] = &&L_0xa9,
		[0xaa] = &&L_0xaa,
		[0xab] = &&L_0xab,
		[0xac] = &&L_0xac,
		[0xad] = &&L_0xad,
		[0xae] = &&L_0xae,
		[0xaf] = &&L_0xaf,
		[0xb0] = &&L_0xb0,
		[0xb1] = &&L_0xb1,
		[0xb2] = &&L_0xb2,
		[0xb3] = &&L_0xb3,
		[0xb4] = &&L_0xb4,
		[0xb5] = &&L_0xb5,
		[0xb6] = &&L_0xb6,
		[0xb7] = &&L_0xb7,
		[0xb8] = &&L_0xb8,
		[0xb9] = &&L_0xb9,
		[0xba] = &&L_0xba,
		[0xbb] = &&L_0xbb,
		[0xbc] = &&L_0xbc,
		[0xbd] = &&L_0xbd,
		[0xbe] = &&L_0xbe,
		[0xbf] = &&L_0xbf,
		[0xc0] = &&L_0xc0,
		[0xc1] = &&L_0xc1,
		[0xc2] = &&L_0xc2,
		[0xc3] = &&L_0xc3,
		[0xc4] = &&L_0xc4,
		[0xd1] = &&L_0xd1,
		[0xd2] = &&L_0xd2,
		[IOP_FC_BASE + 0] = &&L_FC0,
		[IOP_FC_BASE + 1] = &&L_FC1,
		[IOP_FC_BASE + 2] = &&L_FC2,
		[IOP_FC_BASE + 3] = &&L_FC3,
		[IOP_FC_BASE + 4] = &&L_FC4,
		[IOP_FC_BASE + 5] = &&L_FC5,
		[IOP_FC_BASE + 6] = &&L_FC6,
		[IOP_FC_BASE + 7] = &&L_FC7,
		[IOP_FC_BASE + 8] = &&L_FC8,
		[IOP_FC_BASE + 9] = &&L_FC9,
		[IOP_FC_BASE + 10] = &&L_FC10,
		[IOP_FC_BASE + 11] = &&L_FC11,
		[IOP_FC_BASE + 12] = &&L_FC12,
		[IOP_FC_BASE + 13] = &&L_FC13,
		[IOP_FC_BASE + 14] = &&L_FC14,
		[IOP_FC_BASE + 15] = &&L_FC15,
		[IOP_FC_BASE + 16] = &&L_FC16,
		[IOP_FC_BASE + 17] = &&L_FC17,
		[IOP_BR] = &&L_BR,
		[IOP_BR_MOVE] = &&L_BR_MOVE,
		[IOP_BR_IF] = &&L_BR_IF,
		[IOP_BR_IF_MOVE] = &&L_BR_IF_MOVE,
		[IOP_BR_IF_NOT] = &&L_BR_IF_NOT,
		[IOP_BR_TABLE] = &&L_BR_TABLE,
		[IOP_RETURN] = &&L_RETURN,
		[IOP_RETURN1] = &&L_RETURN1,
		[IOP_CALL] = &&L_CALL,
		[IOP_CALL_INDIRECT] = &&L_CALL_INDIRECT,
		[IOP_CALL_LOCAL] = &&L_CALL_LOCAL,
		[IOP_SELECT] = &&L_SELECT,
		[IOP_COPY] = &&L_COPY,
		[IOP_COPY2] = &&L_COPY2,
		[IOP_CONST] = &&L_CONST,
		[IOP_IMM_BASE + 0x46 - 0x46] = &&L_IMM_0x46,
		[IOP_IMM_BASE + 0x47 - 0x46] = &&L_IMM_0x47,
		[IOP_IMM_BASE + 0x48 - 0x46] = &&L_IMM_0x48,
		[IOP_IMM_BASE + 0x49 - 0x46] = &&L_IMM_0x49,
		[IOP_IMM_BASE + 0x4a - 0x46] = &&L_IMM_0x4a,
		[IOP_IMM_BASE + 0x4b - 0x46] = &&L_IMM_0x4b,
		[IOP_IMM_BASE + 0x4c - 0x46] = &&L_IMM_0x4c,
		[IOP_IMM_BASE + 0x4d - 0x46] = &&L_IMM_0x4d,
		[IOP_IMM_BASE + 0x4e - 0x46] = &&L_IMM_0x4e,
		[IOP_IMM_BASE + 0x4f - 0x46] = &&L_IMM_0x4f,
		[IOP_IMM_BASE + 0x6a - 0x46] = &&L_IMM_0x6a,
		[IOP_IMM_BASE + 0x6b - 0x46] = &&L_IMM_0x6b,
		[IOP_IMM_BASE + 0x6c - 0x46] = &&L_IMM_0x6c,
		[IOP_IMM_BASE + 0x6d - 0x46] = &&L_IMM_0x6d,
		[IOP_IMM_BASE + 0x6e - 0x46] = &&L_IMM_0x6e,
		[IOP_IMM_BASE + 0x6f - 0x46] = &&L_IMM_0x6f,
		[IOP_IMM_BASE + 0x70 - 0x46] = &&L_IMM_0x70,
		[IOP_IMM_BASE + 0x71 - 0x46] = &&L_IMM_0x71,
		[IOP_IMM_BASE + 0x72 - 0x46] = &&L_IMM_0x72,
		[IOP_IMM_BASE + 0x73 - 0x46] = &&L_IMM_0x73,
		[IOP_IMM_BASE + 0x74 - 0x46] = &&L_IMM_0x74,
		[IOP_IMM_BASE + 0x75 - 0x46] = &&L_IMM_0x75,
		[IOP_IMM_BASE + 0x76 - 0x46] = &&L_IMM_0x76,
		[IOP_IMM_BASE + 0x77 - 0x46] = &&L_IMM_0x77,
		[IOP_IMM_BASE + 0x78 - 0x46] = &&L_IMM_0x78,
		[IOP_IMM_BASE + 0x51 - 0x46] = &&L_IMM_0x51,
		[IOP_IMM_BASE + 0x52 - 0x46] = &&L_IMM_0x52,
		[IOP_IMM_BASE + 0x53 - 0x46] = &&L_IMM_0x53,
		[IOP_IMM_BASE + 0x54 - 0x46] = &&L_IMM_0x54,
		[IOP_IMM_BASE + 0x55 - 0x46] = &&L_IMM_0x55,
		[IOP_IMM_BASE + 0x56 - 0x46] = &&L_IMM_0x56,
		[IOP_IMM_BASE + 0x57 - 0x46] = &&L_IMM_0x57,
		[IOP_IMM_BASE + 0x58 - 0x46] = &&L_IMM_0x58,
		[IOP_IMM_BASE + 0x59 - 0x46] = &&L_IMM_0x59,
		[IOP_IMM_BASE + 0x5a - 0x46] = &&L_IMM_0x5a,
		[IOP_IMM_BASE + 0x5b - 0x46] = &&L_IMM_0x5b,
		[IOP_IMM_BASE + 0x5c - 0x46] = &&L_IMM_0x5c,
		[IOP_IMM_BASE + 0x5d - 0x46] = &&L_IMM_0x5d,
		[IOP_IMM_BASE + 0x5e - 0x46] = &&L_IMM_0x5e,
		[IOP_IMM_BASE + 0x5f - 0x46] = &&L_IMM_0x5f,
		[IOP_IMM_BASE + 0x60 - 0x46] = &&L_IMM_0x60,
		[IOP_IMM_BASE + 0x61 - 0x46] = &&L_IMM_0x61,
		[IOP_IMM_BASE + 0x62 - 0x46] = &&L_IMM_0x62,
		[IOP_IMM_BASE + 0x63 - 0x46] = &&L_IMM_0x63,
		[IOP_IMM_BASE + 0x64 - 0x46] = &&L_IMM_0x64,
		[IOP_IMM_BASE + 0x65 - 0x46] = &&L_IMM_0x65,
		[IOP_IMM_BASE + 0x66 - 0x46] = &&L_IMM_0x66,
		[IOP_IMM_BASE + 0x7c - 0x46] = &&L_IMM_0x7c,
		[IOP_IMM_BASE + 0x7d - 0x46] = &&L_IMM_0x7d,
		[IOP_IMM_BASE + 0x7e - 0x46] = &&L_IMM_0x7e,
		[IOP_IMM_BASE + 0x7f - 0x46] = &&L_IMM_0x7f,
		[IOP_IMM_BASE + 0x80 - 0x46] = &&L_IMM_0x80,
		[IOP_IMM_BASE + 0x81 - 0x46] = &&L_IMM_0x81,
		[IOP_IMM_BASE + 0x82 - 0x46] = &&L_IMM_0x82,
		[IOP_IMM_BASE + 0x83 - 0x46] = &&L_IMM_0x83,
		[IOP_IMM_BASE + 0x84 - 0x46] = &&L_IMM_0x84,
		[IOP_IMM_BASE + 0x85 - 0x46] = &&L_IMM_0x85,
		[IOP_IMM_BASE + 0x86 - 0x46] = &&L_IMM_0x86,
		[IOP_IMM_BASE + 0x87 - 0x46] = &&L_IMM_0x87,
		[IOP_IMM_BASE + 0x88 - 0x46] = &&L_IMM_0x88,
		[IOP_IMM_BASE + 0x89 - 0x46] = &&L_IMM_0x89,
		[IOP_IMM_BASE + 0x8a - 0x46] = &&L_IMM_0x8a,
		[IOP_IMM_BASE + 0x92 - 0x46] = &&L_IMM_0x92,
		[IOP_IMM_BASE + 0x93 - 0x46] = &&L_IMM_0x93,
		[IOP_IMM_BASE + 0x94 - 0x46] = &&L_IMM_0x94,
		[IOP_IMM_BASE + 0x95 - 0x46] = &&L_IMM_0x95,
		[IOP_IMM_BASE + 0x96 - 0x46] = &&L_IMM_0x96,
		[IOP_IMM_BASE + 0x97 - 0x46] = &&L_IMM_0x97,
		[IOP_IMM_BASE + 0xa0 - 0x46] = &&L_IMM_0xa0,
		[IOP_IMM_BASE + 0xa1 - 0x46] = &&L_IMM_0xa1,
		[IOP_IMM_BASE + 0xa2 - 0x46] = &&L_IMM_0xa2,
		[IOP_IMM_BASE + 0xa3 - 0x46] = &&L_IMM_0xa3,
		[IOP_IMM_BASE + 0xa4 - 0x46] = &&L_IMM_0xa4,
		[IOP_IMM_BASE + 0xa5 - 0x46] = &&L_IMM_0xa5,
		[IOP_CMP_BR_BASE + 0x46 - 0x46] = &&L_CMPBR_0x46,
		[IOP_CMP_BR_BASE + 0x47 - 0x46] = &&L_CMPBR_0x47,
		[IOP_CMP_BR_BASE + 0x48 - 0x46] = &&L_CMPBR_0x48,
		[IOP_CMP_BR_BASE + 0x49 - 0x46] = &&L_CMPBR_0x49,
		[IOP_CMP_BR_BASE + 0x4a - 0x46] = &&L_CMPBR_0x4a,
		[IOP_CMP_BR_BASE + 0x4b - 0x46] = &&L_CMPBR_0x4b,
		[IOP_CMP_BR_BASE + 0x4c - 0x46] = &&L_CMPBR_0x4c,
		[IOP_CMP_BR_BASE + 0x4d - 0x46] = &&L_CMPBR_0x4d,
		[IOP_CMP_BR_BASE + 0x4e - 0x46] = &&L_CMPBR_0x4e,
		[IOP_CMP_BR_BASE + 0x4f - 0x46] = &&L_CMPBR_0x4f,
		[IOP_CMPI_BR_BASE + 0x46 - 0x46] = &&L_CMPIBR_0x46,
		[IOP_CMPI_BR_BASE + 0x47 - 0x46] = &&L_CMPIBR_0x47,
		[IOP_CMPI_BR_BASE + 0x48 - 0x46] = &&L_CMPIBR_0x48,
		[IOP_CMPI_BR_BASE + 0x49 - 0x46] = &&L_CMPIBR_0x49,
		[IOP_CMPI_BR_BASE + 0x4a - 0x46] = &&L_CMPIBR_0x4a,
		[IOP_CMPI_BR_BASE + 0x4b - 0x46] = &&L_CMPIBR_0x4b,
		[IOP_CMPI_BR_BASE + 0x4c - 0x46] = &&L_CMPIBR_0x4c,
		[IOP_CMPI_BR_BASE + 0x4d - 0x46] = &&L_CMPIBR_0x4d,
		[IOP_CMPI_BR_BASE + 0x4e - 0x46] = &&L_CMPIBR_0x4e,
		[IOP_CMPI_BR_BASE + 0x4f - 0x46] = &&L_CMPIBR_0x4f,
		[IOP_LOADK_BASE + 0x28 - 0x28] = &&L_K_0x28,
		[IOP_LOADK_BASE + 0x29 - 0x28] = &&L_K_0x29,
		[IOP_LOADK_BASE + 0x2a - 0x28] = &&L_K_0x2a,
		[IOP_LOADK_BASE + 0x2b - 0x28] = &&L_K_0x2b,
		[IOP_LOADK_BASE + 0x2c - 0x28] = &&L_K_0x2c,
		[IOP_LOADK_BASE + 0x2d - 0x28] = &&L_K_0x2d,
		[IOP_LOADK_BASE + 0x2e - 0x28] = &&L_K_0x2e,
		[IOP_LOADK_BASE + 0x2f - 0x28] = &&L_K_0x2f,
		[IOP_LOADK_BASE + 0x30 - 0x28] = &&L_K_0x30,
		[IOP_LOADK_BASE + 0x31 - 0x28] = &&L_K_0x31,
		[IOP_LOADK_BASE + 0x32 - 0x28] = &&L_K_0x32,
		[IOP_LOADK_BASE + 0x33 - 0x28] = &&L_K_0x33,
		[IOP_LOADK_BASE + 0x34 - 0x28] = &&L_K_0x34,
		[IOP_LOADK_BASE + 0x35 - 0x28] = &&L_K_0x35,
		[IOP_A_BASE + 0x28] = &&L_A_0x28,
		[IOP_A_BASE + 0x29] = &&L_A_0x29,
		[IOP_A_BASE + 0x2a] = &&L_A_0x2a,
		[IOP_A_BASE + 0x2b] = &&L_A_0x2b,
		[IOP_A_BASE + 0x2c] = &&L_A_0x2c,
		[IOP_A_BASE + 0x2d] = &&L_A_0x2d,
		[IOP_A_BASE + 0x2e] = &&L_A_0x2e,
		[IOP_A_BASE + 0x2f] = &&L_A_0x2f,
		[IOP_A_BASE + 0x30] = &&L_A_0x30,
		[IOP_A_BASE + 0x31] = &&L_A_0x31,
		[IOP_A_BASE + 0x32] = &&L_A_0x32,
		[IOP_A_BASE + 0x33] = &&L_A_0x33,
		[IOP_A_BASE + 0x34] = &&L_A_0x34,
		[IOP_A_BASE + 0x35] = &&L_A_0x35,
		[IOP_A_BASE + 0x36] = &&L_A_0x36,
		[IOP_A_BASE + 0x37] = &&L_A_0x37,
		[IOP_A_BASE + 0x38] = &&L_A_0x38,
		[IOP_A_BASE + 0x39] = &&L_A_0x39,
		[IOP_A_BASE + 0x3a] = &&L_A_0x3a,
		[IOP_A_BASE + 0x3b] = &&L_A_0x3b,
		[IOP_A_BASE + 0x3c] = &&L_A_0x3c,
		[IOP_A_BASE + 0x3d] = &&L_A_0x3d,
		[IOP_A_BASE + 0x3e] = &&L_A_0x3e,
		[IOP_A_BASE + 0x45] = &&L_A_0x45,
		[IOP_A_BASE + 0x46] = &&L_A_0x46,
		[IOP_A_BASE + 0x47] = &&L_A_0x47,
		[IOP_A_BASE + 0x48] = &&L_A_0x48,
		[IOP_A_BASE + 0x49] = &&L_A_0x49,
		[IOP_A_BASE + 0x4a] = &&L_A_0x4a,
		[IOP_A_BASE + 0x4b] = &&L_A_0x4b,
		[IOP_A_BASE + 0x4c] = &&L_A_0x4c,
		[IOP_A_BASE + 0x4d] = &&L_A_0x4d,
		[IOP_A_BASE + 0x4e] = &&L_A_0x4e,
		[IOP_A_BASE + 0x4f] = &&L_A_0x4f,
		[IOP_A_BASE + 0x50] = &&L_A_0x50,
		[IOP_A_BASE + 0x51] = &&L_A_0x51,
		[IOP_A_BASE + 0x52] = &&L_A_0x52,
		[IOP_A_BASE + 0x53] = &&L_A_0x53,
		[IOP_A_BASE + 0x54] = &&L_A_0x54,
		[IOP_A_BASE + 0x55] = &&L_A_0x55,
		[IOP_A_BASE + 0x56] = &&L_A_0x56,
		[IOP_A_BASE + 0x57] = &&L_A_0x57,
		[IOP_A_BASE + 0x58] = &&L_A_0x58,
		[IOP_A_BASE + 0x59] = &&L_A_0x59,
		[IOP_A_BASE + 0x5a] = &&L_A_0x5a,
		[IOP_A_BASE + 0x5b] = &&L_A_0x5b,
		[IOP_A_BASE + 0x5c] = &&L_A_0x5c,
		[IOP_A_BASE + 0x5d] = &&L_A_0x5d,
		[IOP_A_BASE + 0x5e] = &&L_A_0x5e,
		[IOP_A_BASE + 0x5f] = &&L_A_0x5f,
		[IOP_A_BASE + 0x60] = &&L_A_0x60,
		[IOP_A_BASE + 0x61] = &&L_A_0x61,
		[IOP_A_BASE + 0x62] = &&L_A_0x62,
		[IOP_A_BASE + 0x63] = &&L_A_0x63,
		[IOP_A_BASE + 0x64] = &&L_A_0x64,
		[IOP_A_BASE + 0x65] = &&L_A_0x65,
		[IOP_A_BASE + 0x66] = &&L_A_0x66,
		[IOP_A_BASE + 0x67] = &&L_A_0x67,
		[IOP_A_BASE + 0x68] = &&L_A_0x68,
		[IOP_A_BASE + 0x69] = &&L_A_0x69,
		[IOP_A_BASE + 0x6a] = &&L_A_0x6a,
		[IOP_A_BASE + 0x6b] = &&L_A_0x6b,
		[IOP_A_BASE + 0x6c] = &&L_A_0x6c,
		[IOP_A_BASE + 0x6d] = &&L_A_0x6d,
		[IOP_A_BASE + 0x6e] = &&L_A_0x6e,
		[IOP_A_BASE + 0x6f] = &&L_A_0x6f,
		[IOP_A_BASE + 0x70] = &&L_A_0x70,
		[IOP_A_BASE + 0x71] = &&L_A_0x71,
		[IOP_A_BASE + 0x72] = &&L_A_0x72,
		[IOP_A_BASE + 0x73] = &&L_A_0x73,
		[IOP_A_BASE + 0x74] = &&L_A_0x74,
		[IOP_A_BASE + 0x75] = &&L_A_0x75,
		[IOP_A_BASE + 0x76] = &&L_A_0x76,
		[IOP_A_BASE + 0x77] = &&L_A_0x77,
		[IOP_A_BASE + 0x78] = &&L_A_0x78,
		[IOP_A_BASE + 0x79] = &&L_A_0x79,
		[IOP_A_BASE + 0x7a] = &&L_A_0x7a,
		[IOP_A_BASE + 0x7b] = &&L_A_0x7b,
		[IOP_A_BASE + 0x7c] = &&L_A_0x7c,
		[IOP_A_BASE + 0x7d] = &&L_A_0x7d,
		[IOP_A_BASE + 0x7e] = &&L_A_0x7e,
		[IOP_A_BASE + 0x7f] = &&L_A_0x7f,
		[IOP_A_BASE + 0x80] = &&L_A_0x80,
		[IOP_A_BASE + 0x81] = &&L_A_0x81,
		[IOP_A_BASE + 0x82] = &&L_A_0x82,
		[IOP_A_BASE + 0x83] = &&L_A_0x83,
		[IOP_A_BASE + 0x84] = &&L_A_0x84,
		[IOP_A_BASE + 0x85] = &&L_A_0x85,
		[IOP_A_BASE + 0x86] = &&L_A_0x86,
		[IOP_A_BASE + 0x87] = &&L_A_0x87,
		[IOP_A_BASE + 0x88] = &&L_A_0x88,
		[IOP_A_BASE + 0x89] = &&L_A_0x89,
		[IOP_A_BASE + 0x8a] = &&L_A_0x8a,
		[IOP_A_BASE + 0x8b] = &&L_A_0x8b,
		[IOP_A_BASE + 0x8c] = &&L_A_0x8c,
		[IOP_A_BASE + 0x8d] = &&L_A_0x8d,
		[IOP_A_BASE + 0x8e] = &&L_A_0x8e,
		[IOP_A_BASE + 0x8f] = &&L_A_0x8f,
		[IOP_A_BASE + 0x90] = &&L_A_0x90,
		[IOP_A_BASE + 0x91] = &&L_A_0x91,
		[IOP_A_BASE + 0x92] = &&L_A_0x92,
		[IOP_A_BASE + 0x93] = &&L_A_0x93,
		[IOP_A_BASE + 0x94] = &&L_A_0x94,
		[IOP_A_BASE + 0x95] = &&L_A_0x95,
		[IOP_A_BASE + 0x96] = &&L_A_0x96,
		[IOP_A_BASE + 0x97] = &&L_A_0x97,
		[IOP_A_BASE + 0x98] = &&L_A_0x98,
		[IOP_A_BASE + 0x99] = &&L_A_0x99,
		[IOP_A_BASE + 0x9a] = &&L_A_0x9a,
		[IOP_A_BASE + 0x9b] = &&L_A_0x9b,
		[IOP_A_BASE + 0x9c] = &&L_A_0x9c,
		[IOP_A_BASE + 0x9d] = &&L_A_0x9d,
		[IOP_A_BASE + 0x9e] = &&L_A_0x9e,
		[IOP_A_BASE + 0x9f] = &&L_A_0x9f,
		[IOP_A_BASE + 0xa0] = &&L_A_0xa0,
		[IOP_A_BASE + 0xa1] = &&L_A_0xa1,
		[IOP_A_BASE + 0xa2] = &&L_A_0xa2,
		[IOP_A_BASE + 0xa3] = &&L_A_0xa3,
		[IOP_A_BASE + 0xa4] = &&L_A_0xa4,
		[IOP_A_BASE + 0xa5] = &&L_A_0xa5,
		[IOP_A_BASE + 0xa6] = &&L_A_0xa6,
		[IOP_A_BASE + 0xa7] = &&L_A_0xa7,
		[IOP_A_BASE + 0xa8] = &&L_A_0xa8,
		[IOP_A_BASE + 0xa9] = &&L_A_0xa9,
		[IOP_A_BASE + 0xaa] = &&L_A_0xaa,
		[IOP_A_BASE + 0xab] = &&L_A_0xab,
		[IOP_A_BASE + 0xac] = &&L_A_0xac,
		[IOP_A_BASE + 0xad] = &&L_A_0xad,
		[IOP_A_BASE + 0xae] = &&L_A_0xae,
		[IOP_A_BASE + 0xaf] = &&L_A_0xaf,
		[IOP_A_BASE + 0xb0] = &&L_A_0xb0,
		[IOP_A_BASE + 0xb1] = &&L_A_0xb1,
		[IOP_A_BASE + 0xb2] = &&L_A_0xb2,
		[IOP_A_BASE + 0xb3] = &&L_A_0xb3,
		[IOP_A_BASE + 0xb4] = &&L_A_0xb4,
		[IOP_A_BASE + 0xb5] = &&L_A_0xb5,
		[IOP_A_BASE + 0xb6] = &&L_A_0xb6,
		[IOP_A_BASE + 0xb7] = &&L_A_0xb7,
		[IOP_A_BASE + 0xb8] = &&L_A_0xb8,
		[IOP_A_BASE + 0xb9] = &&L_A_0xb9,
		[IOP_A_BASE + 0xba] = &&L_A_0xba,
		[IOP_A_BASE + 0xbb] = &&L_A_0xbb,
		[IOP_A_BASE + 0xbc] = &&L_A_0xbc,
		[IOP_A_BASE + 0xbd] = &&L_A_0xbd,
		[IOP_A_BASE + 0xbe] = &&L_A_0xbe,
		[IOP_A_BASE + 0xbf] = &&L_A_0xbf,
		[IOP_A_BASE + 0xc0] = &&L_A_0xc0,
		[IOP_A_BASE + 0xc1] = &&L_A_0xc1,
		[IOP_A_BASE + 0xc2] = &&L_A_0xc2,
		[IOP_A_BASE + 0xc3] = &&L_A_0xc3,
		[IOP_A_BASE + 0xc4] = &&L_A_0xc4,
		[IOP_B_BASE + 0x36] = &&L_B_0x36,
		[IOP_B_BASE + 0x37] = &&L_B_0x37,
		[IOP_B_BASE + 0x38] = &&L_B_0x38,
		[IOP_B_BASE + 0x39] = &&L_B_0x39,
		[IOP_B_BASE + 0x3a] = &&L_B_0x3a,
		[IOP_B_BASE + 0x3b] = &&L_B_0x3b,
		[IOP_B_BASE + 0x3c] = &&L_B_0x3c,
		[IOP_B_BASE + 0x3d] = &&L_B_0x3d,
		[IOP_B_BASE + 0x3e] = &&L_B_0x3e,
		[IOP_B_BASE + 0x46] = &&L_B_0x46,
		[IOP_B_BASE + 0x47] = &&L_B_0x47,
		[IOP_B_BASE + 0x48] = &&L_B_0x48,
		[IOP_B_BASE + 0x49] = &&L_B_0x49,
		[IOP_B_BASE + 0x4a] = &&L_B_0x4a,
		[IOP_B_BASE + 0x4b] = &&L_B_0x4b,
		[IOP_B_BASE + 0x4c] = &&L_B_0x4c,
		[IOP_B_BASE + 0x4d] = &&L_B_0x4d,
		[IOP_B_BASE + 0x4e] = &&L_B_0x4e,
		[IOP_B_BASE + 0x4f] = &&L_B_0x4f,
		[IOP_B_BASE + 0x51] = &&L_B_0x51,
		[IOP_B_BASE + 0x52] = &&L_B_0x52,
		[IOP_B_BASE + 0x53] = &&L_B_0x53,
		[IOP_B_BASE + 0x54] = &&L_B_0x54,
		[IOP_B_BASE + 0x55] = &&L_B_0x55,
		[IOP_B_BASE + 0x56] = &&L_B_0x56,
		[IOP_B_BASE + 0x57] = &&L_B_0x57,
		[IOP_B_BASE + 0x58] = &&L_B_0x58,
		[IOP_B_BASE + 0x59] = &&L_B_0x59,
		[IOP_B_BASE + 0x5a] = &&L_B_0x5a,
		[IOP_B_BASE + 0x5b] = &&L_B_0x5b,
		[IOP_B_BASE + 0x5c] = &&L_B_0x5c,
		[IOP_B_BASE + 0x5d] = &&L_B_0x5d,
		[IOP_B_BASE + 0x5e] = &&L_B_0x5e,
		[IOP_B_BASE + 0x5f] = &&L_B_0x5f,
		[IOP_B_BASE + 0x60] = &&L_B_0x60,
		[IOP_B_BASE + 0x61] = &&L_B_0x61,
		[IOP_B_BASE + 0x62] = &&L_B_0x62,
		[IOP_B_BASE + 0x63] = &&L_B_0x63,
		[IOP_B_BASE + 0x64] = &&L_B_0x64,
		[IOP_B_BASE + 0x65] = &&L_B_0x65,
		[IOP_B_BASE + 0x66] = &&L_B_0x66,
		[IOP_B_BASE + 0x6a] = &&L_B_0x6a,
		[IOP_B_BASE + 0x6b] = &&L_B_0x6b,
		[IOP_B_BASE + 0x6c] = &&L_B_0x6c,
		[IOP_B_BASE + 0x6d] = &&L_B_0x6d,
		[IOP_B_BASE + 0x6e] = &&L_B_0x6e,
		[IOP_B_BASE + 0x6f] = &&L_B_0x6f,
		[IOP_B_BASE + 0x70] = &&L_B_0x70,
		[IOP_B_BASE + 0x71] = &&L_B_0x71,
		[IOP_B_BASE + 0x72] = &&L_B_0x72,
		[IOP_B_BASE + 0x73] = &&L_B_0x73,
		[IOP_B_BASE + 0x74] = &&L_B_0x74,
		[IOP_B_BASE + 0x75] = &&L_B_0x75,
		[IOP_B_BASE + 0x76] = &&L_B_0x76,
		[IOP_B_BASE + 0x77] = &&L_B_0x77,
		[IOP_B_BASE + 0x78] = &&L_B_0x78,
		[IOP_B_BASE + 0x7c] = &&L_B_0x7c,
		[IOP_B_BASE + 0x7d] = &&L_B_0x7d,
		[IOP_B_BASE + 0x7e] = &&L_B_0x7e,
		[IOP_B_BASE + 0x7f] = &&L_B_0x7f,
		[IOP_B_BASE + 0x80] = &&L_B_0x80,
		[IOP_B_BASE + 0x81] = &&L_B_0x81,
		[IOP_B_BASE + 0x82] = &&L_B_0x82,
		[IOP_B_BASE + 0x83] = &&L_B_0x83,
		[IOP_B_BASE + 0x84] = &&L_B_0x84,
		[IOP_B_BASE + 0x85] = &&L_B_0x85,
		[IOP_B_BASE + 0x86] = &&L_B_0x86,
		[IOP_B_BASE + 0x87] = &&L_B_0x87,
		[IOP_B_BASE + 0x88] = &&L_B_0x88,
		[IOP_B_BASE + 0x89] = &&L_B_0x89,
		[IOP_B_BASE + 0x8a] = &&L_B_0x8a,
		[IOP_B_BASE + 0x92] = &&L_B_0x92,
		[IOP_B_BASE + 0x93] = &&L_B_0x93,
		[IOP_B_BASE + 0x94] = &&L_B_0x94,
		[IOP_B_BASE + 0x95] = &&L_B_0x95,
		[IOP_B_BASE + 0x96] = &&L_B_0x96,
		[IOP_B_BASE + 0x97] = &&L_B_0x97,
		[IOP_B_BASE + 0x98] = &&L_B_0x98,
		[IOP_B_BASE + 0xa0] = &&L_B_0xa0,
		[IOP_B_BASE + 0xa1] = &&L_B_0xa1,
		[IOP_B_BASE + 0xa2] = &&L_B_0xa2,
		[IOP_B_BASE + 0xa3] = &&L_B_0xa3,
		[IOP_B_BASE + 0xa4] = &&L_B_0xa4,
		[IOP_B_BASE + 0xa5] = &&L_B_0xa5,
		[IOP_B_BASE + 0xa6] = &&L_B_0xa6,
		[IOP_IA_BASE + 0x46 - 0x46] = &&L_IA_0x46,
		[IOP_IA_BASE + 0x47 - 0x46] = &&L_IA_0x47,
		[IOP_IA_BASE + 0x48 - 0x46] = &&L_IA_0x48,
		[IOP_IA_BASE + 0x49 - 0x46] = &&L_IA_0x49,
		[IOP_IA_BASE + 0x4a - 0x46] = &&L_IA_0x4a,
		[IOP_IA_BASE + 0x4b - 0x46] = &&L_IA_0x4b,
		[IOP_IA_BASE + 0x4c - 0x46] = &&L_IA_0x4c,
		[IOP_IA_BASE + 0x4d - 0x46] = &&L_IA_0x4d,
		[IOP_IA_BASE + 0x4e - 0x46] = &&L_IA_0x4e,
		[IOP_IA_BASE + 0x4f - 0x46] = &&L_IA_0x4f,
		[IOP_IA_BASE + 0x51 - 0x46] = &&L_IA_0x51,
		[IOP_IA_BASE + 0x52 - 0x46] = &&L_IA_0x52,
		[IOP_IA_BASE + 0x53 - 0x46] = &&L_IA_0x53,
		[IOP_IA_BASE + 0x54 - 0x46] = &&L_IA_0x54,
		[IOP_IA_BASE + 0x55 - 0x46] = &&L_IA_0x55,
		[IOP_IA_BASE + 0x56 - 0x46] = &&L_IA_0x56,
		[IOP_IA_BASE + 0x57 - 0x46] = &&L_IA_0x57,
		[IOP_IA_BASE + 0x58 - 0x46] = &&L_IA_0x58,
		[IOP_IA_BASE + 0x59 - 0x46] = &&L_IA_0x59,
		[IOP_IA_BASE + 0x5a - 0x46] = &&L_IA_0x5a,
		[IOP_IA_BASE + 0x5b - 0x46] = &&L_IA_0x5b,
		[IOP_IA_BASE + 0x5c - 0x46] = &&L_IA_0x5c,
		[IOP_IA_BASE + 0x5d - 0x46] = &&L_IA_0x5d,
		[IOP_IA_BASE + 0x5e - 0x46] = &&L_IA_0x5e,
		[IOP_IA_BASE + 0x5f - 0x46] = &&L_IA_0x5f,
		[IOP_IA_BASE + 0x60 - 0x46] = &&L_IA_0x60,
		[IOP_IA_BASE + 0x61 - 0x46] = &&L_IA_0x61,
		[IOP_IA_BASE + 0x62 - 0x46] = &&L_IA_0x62,
		[IOP_IA_BASE + 0x63 - 0x46] = &&L_IA_0x63,
		[IOP_IA_BASE + 0x64 - 0x46] = &&L_IA_0x64,
		[IOP_IA_BASE + 0x65 - 0x46] = &&L_IA_0x65,
		[IOP_IA_BASE + 0x66 - 0x46] = &&L_IA_0x66,
		[IOP_IA_BASE + 0x6a - 0x46] = &&L_IA_0x6a,
		[IOP_IA_BASE + 0x6b - 0x46] = &&L_IA_0x6b,
		[IOP_IA_BASE + 0x6c - 0x46] = &&L_IA_0x6c,
		[IOP_IA_BASE + 0x6d - 0x46] = &&L_IA_0x6d,
		[IOP_IA_BASE + 0x6e - 0x46] = &&L_IA_0x6e,
		[IOP_IA_BASE + 0x6f - 0x46] = &&L_IA_0x6f,
		[IOP_IA_BASE + 0x70 - 0x46] = &&L_IA_0x70,
		[IOP_IA_BASE + 0x71 - 0x46] = &&L_IA_0x71,
		[IOP_IA_BASE + 0x72 - 0x46] = &&L_IA_0x72,
		[IOP_IA_BASE + 0x73 - 0x46] = &&L_IA_0x73,
		[IOP_IA_BASE + 0x74 - 0x46] = &&L_IA_0x74,
		[IOP_IA_BASE + 0x75 - 0x46] = &&L_IA_0x75,
		[IOP_IA_BASE + 0x76 - 0x46] = &&L_IA_0x76,
		[IOP_IA_BASE + 0x77 - 0x46] = &&L_IA_0x77,
		[IOP_IA_BASE + 0x78 - 0x46] = &&L_IA_0x78,
		[IOP_IA_BASE + 0x7c - 0x46] = &&L_IA_0x7c,
		[IOP_IA_BASE + 0x7d - 0x46] = &&L_IA_0x7d,
		[IOP_IA_BASE + 0x7e - 0x46] = &&L_IA_0x7e,
		[IOP_IA_BASE + 0x7f - 0x46] = &&L_IA_0x7f,
		[IOP_IA_BASE + 0x80 - 0x46] = &&L_IA_0x80,
		[IOP_IA_BASE + 0x81 - 0x46] = &&L_IA_0x81,
		[IOP_IA_BASE + 0x82 - 0x46] = &&L_IA_0x82,
		[IOP_IA_BASE + 0x83 - 0x46] = &&L_IA_0x83,
		[IOP_IA_BASE + 0x84 - 0x46] = &&L_IA_0x84,
		[IOP_IA_BASE + 0x85 - 0x46] = &&L_IA_0x85,
		[IOP_IA_BASE + 0x86 - 0x46] = &&L_IA_0x86,
		[IOP_IA_BASE + 0x87 - 0x46] = &&L_IA_0x87,
		[IOP_IA_BASE + 0x88 - 0x46] = &&L_IA_0x88,
		[IOP_IA_BASE + 0x89 - 0x46] = &&L_IA_0x89,
		[IOP_IA_BASE + 0x8a - 0x46] = &&L_IA_0x8a,
		[IOP_IA_BASE + 0x92 - 0x46] = &&L_IA_0x92,
		[IOP_IA_BASE + 0x93 - 0x46] = &&L_IA_0x93,
		[IOP_IA_BASE + 0x94 - 0x46] = &&L_IA_0x94,
		[IOP_IA_BASE + 0x95 - 0x46] = &&L_IA_0x95,
		[IOP_IA_BASE + 0x96 - 0x46] = &&L_IA_0x96,
		[IOP_IA_BASE + 0x97 - 0x46] = &&L_IA_0x97,
		[IOP_IA_BASE + 0xa0 - 0x46] = &&L_IA_0xa0,
		[IOP_IA_BASE + 0xa1 - 0x46] = &&L_IA_0xa1,
		[IOP_IA_BASE + 0xa2 - 0x46] = &&L_IA_0xa2,
		[IOP_IA_BASE + 0xa3 - 0x46] = &&L_IA_0xa3,
		[IOP_IA_BASE + 0xa4 - 0x46] = &&L_IA_0xa4,
		[IOP_IA_BASE + 0xa5 - 0x46] = &&L_IA_0xa5,
		[IOP_KA_BASE + 0x28 - 0x28] = &&L_KA_0x28,
		[IOP_KA_BASE + 0x29 - 0x28] = &&L_KA_0x29,
		[IOP_KA_BASE + 0x2a - 0x28] = &&L_KA_0x2a,
		[IOP_KA_BASE + 0x2b - 0x28] = &&L_KA_0x2b,
		[IOP_KA_BASE + 0x2c - 0x28] = &&L_KA_0x2c,
		[IOP_KA_BASE + 0x2d - 0x28] = &&L_KA_0x2d,
		[IOP_KA_BASE + 0x2e - 0x28] = &&L_KA_0x2e,
		[IOP_KA_BASE + 0x2f - 0x28] = &&L_KA_0x2f,
		[IOP_KA_BASE + 0x30 - 0x28] = &&L_KA_0x30,
		[IOP_KA_BASE + 0x31 - 0x28] = &&L_KA_0x31,
		[IOP_KA_BASE + 0x32 - 0x28] = &&L_KA_0x32,
		[IOP_KA_BASE + 0x33 - 0x28] = &&L_KA_0x33,
		[IOP_KA_BASE + 0x34 - 0x28] = &&L_KA_0x34,
		[IOP_KA_BASE + 0x35 - 0x28] = &&L_KA_0x35,
		[IOP_BR_LOOP] = &&L_BR_LOOP,
		[IOP_BR_IF_LOOP] = &&L_BR_IF_LOOP,
		[IOP_BR_IF_NOT_LOOP] = &&L_BR_IF_NOT_LOOP,
		[IOP_CMPL_BASE + 0x46 - 0x46] = &&L_CMPBRL_0x46,
		[IOP_CMPL_BASE + 0x47 - 0x46] = &&L_CMPBRL_0x47,
		[IOP_CMPL_BASE + 0x48 - 0x46] = &&L_CMPBRL_0x48,
		[IOP_CMPL_BASE + 0x49 - 0x46] = &&L_CMPBRL_0x49,
		[IOP_CMPL_BASE + 0x4a - 0x46] = &&L_CMPBRL_0x4a,
		[IOP_CMPL_BASE + 0x4b - 0x46] = &&L_CMPBRL_0x4b,
		[IOP_CMPL_BASE + 0x4c - 0x46] = &&L_CMPBRL_0x4c,
		[IOP_CMPL_BASE + 0x4d - 0x46] = &&L_CMPBRL_0x4d,
		[IOP_CMPL_BASE + 0x4e - 0x46] = &&L_CMPBRL_0x4e,
		[IOP_CMPL_BASE + 0x4f - 0x46] = &&L_CMPBRL_0x4f,
		[IOP_CMPIL_BASE + 0x46 - 0x46] = &&L_CMPIBRL_0x46,
		[IOP_CMPIL_BASE + 0x47 - 0x46] = &&L_CMPIBRL_0x47,
		[IOP_CMPIL_BASE + 0x48 - 0x46] = &&L_CMPIBRL_0x48,
		[IOP_CMPIL_BASE + 0x49 - 0x46] = &&L_CMPIBRL_0x49,
		[IOP_CMPIL_BASE + 0x4a - 0x46] = &&L_CMPIBRL_0x4a,
		[IOP_CMPIL_BASE + 0x4b - 0x46] = &&L_CMPIBRL_0x4b,
		[IOP_CMPIL_BASE + 0x4c - 0x46] = &&L_CMPIBRL_0x4c,
		[IOP_CMPIL_BASE + 0x4d - 0x46] = &&L_CMPIBRL_0x4d,
		[IOP_CMPIL_BASE + 0x4e - 0x46] = &&L_CMPIBRL_0x4e,
		[IOP_CMPIL_BASE + 0x4f - 0x46] = &&L_CMPIBRL_0x4f,
		[IOP_A1B_BASE + 0x36] = &&L_A1B_0x36,
		[IOP_A1B_BASE + 0x37] = &&L_A1B_0x37,
		[IOP_A1B_BASE + 0x39] = &&L_A1B_0x39,
		[IOP_A1B_BASE + 0x6a] = &&L_A1B_0x6a,
		[IOP_A1B_BASE + 0x6b] = &&L_A1B_0x6b,
		[IOP_A1B_BASE + 0x6c] = &&L_A1B_0x6c,
		[IOP_A1B_BASE + 0x71] = &&L_A1B_0x71,
		[IOP_A1B_BASE + 0x72] = &&L_A1B_0x72,
		[IOP_A1B_BASE + 0x73] = &&L_A1B_0x73,
		[IOP_A1B_BASE + 0x74] = &&L_A1B_0x74,
		[IOP_A1B_BASE + 0x75] = &&L_A1B_0x75,
		[IOP_A1B_BASE + 0x76] = &&L_A1B_0x76,
		[IOP_A1B_BASE + 0x77] = &&L_A1B_0x77,
		[IOP_A1B_BASE + 0x78] = &&L_A1B_0x78,
		[IOP_A1B_BASE + 0x7c] = &&L_A1B_0x7c,
		[IOP_A1B_BASE + 0x7e] = &&L_A1B_0x7e,
		[IOP_A1B_BASE + 0x83] = &&L_A1B_0x83,
		[IOP_A1B_BASE + 0x84] = &&L_A1B_0x84,
		[IOP_A1B_BASE + 0x85] = &&L_A1B_0x85,
		[IOP_A1B_BASE + 0x86] = &&L_A1B_0x86,
		[IOP_A1B_BASE + 0x87] = &&L_A1B_0x87,
		[IOP_A1B_BASE + 0x88] = &&L_A1B_0x88,
		[IOP_A1B_BASE + 0xa0] = &&L_A1B_0xa0,
		[IOP_A1B_BASE + 0xa1] = &&L_A1B_0xa1,
		[IOP_A1B_BASE + 0xa2] = &&L_A1B_0xa2,
		[IOP_A1B_BASE + 0xa3] = &&L_A1B_0xa3,
#define ACMP_LABELS(op)                                                                    \
	[IOP_ACMPL_BASE + (op) - 0x46] = &&L_ACMPL_##op,                                   \
	[IOP_ACMPIL_BASE + (op) - 0x46] = &&L_ACMPIL_##op,
		ACMP_LABELS(0x46) ACMP_LABELS(0x47) ACMP_LABELS(0x48) ACMP_LABELS(0x49)
		ACMP_LABELS(0x4a) ACMP_LABELS(0x4b) ACMP_LABELS(0x4c) ACMP_LABELS(0x4d)
		ACMP_LABELS(0x4e) ACMP_LABELS(0x4f)
#undef ACMP_LABELS
#define MEM_LABELS(kind, op)                                                               \
	[IOP_M_BASE + 96 * (kind) + (op) - 0x46] = &&L_M##kind##_##op,                      \
	[IOP_MA_BASE + 96 * (kind) + (op) - 0x46] = &&L_MA##kind##_##op,
		/* loaded operands: add, sub, mul, and, or, xor; f32/f64 arithmetic */
#define MEM_LABELS_I32(kind)                                                               \
	MEM_LABELS(kind, 0x6a) MEM_LABELS(kind, 0x6b) MEM_LABELS(kind, 0x6c)                \
	MEM_LABELS(kind, 0x71) MEM_LABELS(kind, 0x72) MEM_LABELS(kind, 0x73)
		MEM_LABELS_I32(0) MEM_LABELS_I32(1) MEM_LABELS_I32(2) MEM_LABELS_I32(3)
		MEM_LABELS_I32(4)
		MEM_LABELS(0, 0x7c) MEM_LABELS(0, 0x7d) MEM_LABELS(0, 0x7e)
		MEM_LABELS(0, 0x83) MEM_LABELS(0, 0x84) MEM_LABELS(0, 0x85)
		MEM_LABELS(0, 0x92) MEM_LABELS(0, 0x93) MEM_LABELS(0, 0x94) MEM_LABELS(0, 0x95)
		MEM_LABELS(0, 0xa0) MEM_LABELS(0, 0xa1) MEM_LABELS(0, 0xa2) MEM_LABELS(0, 0xa3)
#undef MEM_LABELS_I32
#undef MEM_LABELS
#define RMW_LABELS(op)                                                                     \
	[IOP_RMW_BASE + (op) - 0x46] = &&L_RMW0_##op,                                      \
	[IOP_RMWA_BASE + (op) - 0x46] = &&L_RMWA0_##op,
		/* loaded operands stored back: add, sub, and, or, xor; f32/f64 add, sub, mul */
		RMW_LABELS(0x6a) RMW_LABELS(0x6b) RMW_LABELS(0x71) RMW_LABELS(0x72) RMW_LABELS(0x73)
		RMW_LABELS(0x7c) RMW_LABELS(0x7d) RMW_LABELS(0x83) RMW_LABELS(0x84) RMW_LABELS(0x85)
		RMW_LABELS(0x92) RMW_LABELS(0x93) RMW_LABELS(0x94)
		RMW_LABELS(0xa0) RMW_LABELS(0xa1) RMW_LABELS(0xa2)
#undef RMW_LABELS
#define II_LABELS(op1, op2)                                                                \
	[IOP_II_BASE + IOP_II_INDEX(op1, op2)] = &&L_II_##op1##_##op2,                      \
	[IOP_IIA_BASE + IOP_II_INDEX(op1, op2)] = &&L_IIA_##op1##_##op2,
		II_LIST_32(II_LABELS)
		II_LIST_64(II_LABELS)
#undef II_LABELS
	};
	/* where the outermost frame returns to: the exit to the host */
	static const union wasm_cell exit_cell = { .op = &&L_EXIT };
	const union wasm_cell *pc;
	uint64_t *sp, *fp, *stack_end;
	struct wasm_instance *inst;
	struct wasm_memory *memobj;
	uint8_t *mem;
	uint64_t memsize, fuel;
	uint64_t acc = 0, acc1 = 0; /* the last two results (see SET) */
	struct wasm_frame *fr, *fr_end; /* next free frame record, the limit */
	enum wasm_trap trap;
	struct wasm_func *f;

	if (!s) {
		*labels_out = labels;
		return 0;
	}
	fr = s->frames + s->nframes;
	fr_end = s->frames + s->lim.max_call_depth;
	stack_end = s->stack_end;
	fuel = s->fuel;
	inst = NULL;
	mem = NULL;
	memsize = 0;
	memobj = NULL;
	fp = NULL;
	pc = &exit_cell;
	sp = args + entry->type->nparams;
	f = entry;

#define NEXT() goto *(pc++)->op
#define RELOAD_MEM()                                                                       \
	do {                                                                                \
		memobj = inst && inst->mems ? inst->mems[0] : NULL;                         \
		mem = memobj ? memobj->data : NULL;                                         \
		memsize = memobj ? memobj->size : 0;                                        \
	} while (0)
#define TRAP(t)                                                                            \
	do {                                                                                \
		trap = (t);                                                                 \
		goto do_trap;                                                               \
	} while (0)

/* Charge n units of fuel for a run of code, or trap when they are not
 * there or the store was interrupted. */
#define SPEND(n)                                                                            \
	do {                                                                                \
		uint64_t n_ = (n);                                                          \
		if (__builtin_expect(fuel < n_ || s->interrupt, 0)) {                       \
			if (s->interrupt) {                                                 \
				s->interrupt = 0;                                           \
				TRAP(WASM_TRAP_INTERRUPTED);                                \
			}                                                                   \
			fuel = 0;                                                           \
			TRAP(WASM_TRAP_FUEL);                                               \
		}                                                                           \
		fuel -= n_;                                                                 \
	} while (0)

/* Enter the compiled function code with its frame at nfp (arguments in
 * place), returning to ret: limits, the call's fuel, the frame record,
 * zeroed locals. */
#define ENTER(code, nfp, ret, entry)                                                        \
	do {                                                                                \
		if (fr >= fr_end)                                                           \
			TRAP(WASM_TRAP_CALL_DEPTH);                                         \
		if ((size_t)(stack_end - (nfp)) < (code)->max_slots)                        \
			TRAP(WASM_TRAP_STACK);                                              \
		SPEND((code)->entry_fuel);                                                  \
		fr->ret_pc = (ret);                                                         \
		fr->fp = fp;                                                                \
		fr->inst = inst;                                                            \
		fr++;                                                                       \
		fp = (nfp);                                                                 \
		for (uint32_t i_ = (code)->nparams; i_ < (code)->nlocals; i_++)             \
			fp[i_] = 0;                                                         \
		pc = (entry);                                                               \
	} while (0)

do_call:
	if (f->code) {
		const struct wasm_code *code = f->code;
		uint64_t *nfp = sp - code->nparams;

		ENTER(code, nfp, pc, code->cells);
		if (f->inst != inst) {
			inst = f->inst;
			RELOAD_MEM();
		}
		NEXT();
	} else {
		struct wasm_call call = { .store = s, .inst = inst };
		uint32_t np = f->type->nparams, nr = f->type->nresults;
		uint64_t *a = sp - np;
		int rc;

		if ((size_t)(stack_end - sp) < (size_t)nr + 1)
			TRAP(WASM_TRAP_STACK);
		s->sp = sp + nr;
		s->nframes = (uint32_t)(fr - s->frames);
		s->fuel = fuel;
		memset(sp, 0, nr * sizeof(uint64_t));
		rc = f->host(&call, f->env, a, sp);
		fuel = s->fuel;
		if (rc) {
			trap = s->trap != WASM_TRAP_NONE ? s->trap : WASM_TRAP_HOST;
			goto do_trap;
		}
		for (uint32_t i = 0; i < nr; i++)
			a[i] = f->type->results[i] == WASM_I32 || f->type->results[i] == WASM_F32
				       ? (uint32_t)sp[i]
				       : sp[i];
		RELOAD_MEM();
		NEXT();
	}

/* Bulk operations cost fuel in proportion to their size: one unit per
 * 64 bytes (or 8 table elements), so work stays bounded by the budget. */
#define CHARGE(units)                                                                      \
	do {                                                                                \
		uint64_t cost_ = (units);                                                   \
		if (fuel < cost_) {                                                         \
			fuel = 0;                                                           \
			TRAP(WASM_TRAP_FUEL);                                               \
		}                                                                           \
		fuel -= cost_;                                                              \
	} while (0)

/* Operand access: D = destination slot, A/B = source slots of a cell pair. */
#define D0 fp[pc[0].s[0]]
#define A0 fp[pc[0].s[1]]
#define B1 fp[pc[1].s[0]]

L_invalid:
	TRAP(WASM_TRAP_UNREACHABLE);

L_0x00:
	TRAP(WASM_TRAP_UNREACHABLE);

L_BR:
	pc += pc->i64;
	NEXT();

/* A branch back to a loop header charges the fuel of the loop's body, in
 * the branch's cell k, then jumps. */
#define LOOP_BACK(k)                                                                        \
	do {                                                                                \
		SPEND(pc[k].u64);                                                           \
		pc += pc->i64;                                                              \
	} while (0)

L_BR_LOOP: /* off, fuel */
	LOOP_BACK(1);
	NEXT();

L_BR_IF_LOOP: /* off, {cond}, fuel */
	if ((uint32_t)fp[pc[1].s[0]])
		LOOP_BACK(2);
	else
		pc += 3;
	NEXT();

L_BR_IF_NOT_LOOP: /* off, {cond}, fuel */
	if (!(uint32_t)fp[pc[1].s[0]])
		LOOP_BACK(2);
	else
		pc += 3;
	NEXT();

L_BR_MOVE: { /* off, {dst,src}, n */
	uint64_t *dst = fp + pc[1].s[0], *src = fp + pc[1].s[1];
	uint64_t n = pc[2].u64;
	for (uint64_t i = 0; i < n; i++)
		dst[i] = src[i];
	pc += pc->i64;
	NEXT();
}

L_BR_IF: /* off, {cond} */
	if ((uint32_t)fp[pc[1].s[0]])
		pc += pc->i64;
	else
		pc += 2;
	NEXT();

L_BR_IF_NOT: /* off, {cond} */
	if (!(uint32_t)fp[pc[1].s[0]])
		pc += pc->i64;
	else
		pc += 2;
	NEXT();

L_BR_IF_MOVE: /* off, {cond,n}, {dst,src} */
	if ((uint32_t)fp[pc[1].s[0]]) {
		uint64_t *dst = fp + pc[2].s[0], *src = fp + pc[2].s[1];
		uint32_t n = pc[1].s[1];
		for (uint32_t i = 0; i < n; i++)
			dst[i] = src[i];
		pc += pc->i64;
	} else {
		pc += 3;
	}
	NEXT();

L_BR_TABLE: { /* {idx,arity}, {src,n}, then n+1 x (off, {dst}) */
	uint32_t i = (uint32_t)fp[pc[0].s[0]], arity = pc[0].s[1];
	uint64_t *src = fp + pc[1].s[0], *dst;
	const union wasm_cell *e;

	if (i > pc[1].s[1])
		i = pc[1].s[1];
	e = pc + 2 + 2 * (size_t)i;
	dst = fp + e[1].s[0];
	for (uint32_t k = 0; k < arity; k++)
		dst[k] = src[k];
	pc = e + e->i64;
	NEXT();
}

L_RETURN: { /* {src,n} */
	uint64_t *src = fp + pc[0].s[0];
	uint32_t n = pc[0].s[1];

	for (uint32_t i = 0; i < n; i++)
		fp[i] = src[i];
	fr--;
	pc = fr->ret_pc;
	fp = fr->fp;
	if (fr->inst != inst) {
		inst = fr->inst;
		RELOAD_MEM();
	}
	NEXT();
}

L_RETURN1: /* {src}: one result */
	fp[0] = fp[pc[0].s[0]];
	fr--;
	pc = fr->ret_pc;
	fp = fr->fp;
	if (fr->inst != inst) {
		inst = fr->inst;
		RELOAD_MEM();
	}
	NEXT();

L_EXIT: /* back to the host (exit_cell) */
	s->fuel = fuel;
	s->nframes = (uint32_t)(fr - s->frames);
	return 0;

L_CALL: /* funcidx, {argbase} */
	f = inst->funcs[pc[0].u64];
	sp = fp + pc[1].s[0] + f->type->nparams;
	pc += 2;
	goto do_call;

L_CALL_LOCAL: { /* code, {argbase}, its cells: same instance, never a host function */
	const struct wasm_code *code = (const struct wasm_code *)pc[0].ptr;
	uint64_t *nfp = fp + pc[1].s[0];

	ENTER(code, nfp, pc + 3, (const union wasm_cell *)pc[2].ptr);
	NEXT();
}

L_CALL_INDIRECT: { /* typeidx, tableidx, {argbase,idx} */
	const struct wasm_functype *want = inst->mod->types[pc[0].u64];
	struct wasm_table *t = inst->tables[pc[1].u64];
	uint32_t i = (uint32_t)fp[pc[2].s[1]];

	sp = fp + pc[2].s[0] + want->nparams;
	pc += 3;
	if (i >= t->size)
		TRAP(WASM_TRAP_UNDEFINED_ELEMENT);
	f = (struct wasm_func *)t->elems[i];
	if (!f)
		TRAP(WASM_TRAP_UNINIT_ELEMENT);
	if (f->type != want && !wasm_functype_equal(f->type, want))
		TRAP(WASM_TRAP_INDIRECT_TYPE);
	goto do_call;
}

L_SELECT: /* {d,a}, {b,cond} */
	D0 = (uint32_t)fp[pc[1].s[1]] ? A0 : B1;
	pc += 2;
	NEXT();

L_COPY:
	D0 = A0;
	pc++;
	NEXT();

L_COPY2:
	D0 = A0;
	fp[pc[1].s[0]] = fp[pc[1].s[1]];
	pc += 2;
	NEXT();

L_CONST:
	D0 = pc[1].u64;
	pc += 2;
	NEXT();

L_0x23: /* global.get {d}, idx */
	D0 = inst->globals[pc[1].u64]->val;
	pc += 2;
	NEXT();

L_0x24: /* global.set {src}, idx */
	inst->globals[pc[1].u64]->val = fp[pc[0].s[0]];
	pc += 2;
	NEXT();

L_0x25: { /* table.get {d,i}, table */
	struct wasm_table *t = inst->tables[pc[1].u64];
	uint32_t i = (uint32_t)A0;
	if (i >= t->size)
		TRAP(WASM_TRAP_TABLE_OOB);
	D0 = t->elems[i];
	pc += 2;
	NEXT();
}

L_0x26: { /* table.set {i,v}, table */
	struct wasm_table *t = inst->tables[pc[1].u64];
	uint32_t i = (uint32_t)fp[pc[0].s[0]];
	if (i >= t->size)
		TRAP(WASM_TRAP_TABLE_OOB);
	t->elems[i] = (uintptr_t)A0;
	pc += 2;
	NEXT();
}

/*
 * Every op of the numeric and load families leaves its result in acc as
 * well as in its destination slot, and the result before in acc1.  The
 * compiler (compile.c, acc_of) gives an op whose operand is still there
 * its A form (first operand from acc), B form (second from acc) or A1B
 * form (first from acc1, second from acc): dependent ops then pass values
 * in registers instead of waiting for a store to reach the next load.
 */
#define SET(x) (acc1 = acc, acc = D0 = (x))
#define IMMV pc[1].u64
/* Load a ctype at effective address ea into the result (bounds checked),
 * then step over adv cells. */
#define LOAD_AT(ea_, ctype, conv, adv)                                                      \
	do {                                                                                \
		uint64_t ea = (ea_);                                                        \
		ctype v;                                                                    \
		if (ea + sizeof(ctype) > memsize)                                           \
			TRAP(WASM_TRAP_MEM_OOB);                                            \
		memcpy(&v, mem + ea, sizeof(ctype));                                        \
		SET(conv);                                                                  \
		pc += (adv);                                                                \
		NEXT();                                                                     \
	} while (0)
#define LOAD_1(lbl, SA, ctype, conv)                                                       \
	lbl:                                                                               \
	LOAD_AT((uint64_t)(uint32_t)(SA) + pc[1].u64, ctype, conv, 2);
#define LOAD(op, ctype, conv)                                                              \
	LOAD_1(L_##op, A0, ctype, conv)                                                    \
	LOAD_1(L_A_##op, acc, ctype, conv)
#define STORE_1(lbl, SADDR, SVAL, ctype)                                                   \
	lbl: {                                                                             \
		ctype v = (ctype)(SVAL);                                                   \
		uint64_t ea = (uint64_t)(uint32_t)(SADDR) + pc[1].u64;                     \
		if (ea + sizeof(ctype) > memsize)                                           \
			TRAP(WASM_TRAP_MEM_OOB);                                            \
		memcpy(mem + ea, &v, sizeof(ctype));                                        \
		pc += 2;                                                                    \
		NEXT();                                                                     \
	}
#define STORE(op, ctype)                                                                   \
	STORE_1(L_##op, fp[pc[0].s[0]], A0, ctype)                                         \
	STORE_1(L_A_##op, acc, A0, ctype)                                                  \
	STORE_1(L_B_##op, fp[pc[0].s[0]], acc, ctype)                                      \
	STORE_1(L_A1B_##op, acc1, acc, ctype)

/* The loads: opcode, memory type, conversion of the loaded v to slot bits. */
#define FOR_EACH_LOAD(M)                                                                   \
	M(0x28, uint32_t, v)                                                               \
	M(0x29, uint64_t, v)                                                               \
	M(0x2a, uint32_t, v)                                                               \
	M(0x2b, uint64_t, v)                                                               \
	M(0x2c, int8_t, (uint32_t)(int32_t)v)                                              \
	M(0x2d, uint8_t, v)                                                                \
	M(0x2e, int16_t, (uint32_t)(int32_t)v)                                             \
	M(0x2f, uint16_t, v)                                                               \
	M(0x30, int8_t, (uint64_t)(int64_t)v)                                              \
	M(0x31, uint8_t, v)                                                                \
	M(0x32, int16_t, (uint64_t)(int64_t)v)                                             \
	M(0x33, uint16_t, v)                                                               \
	M(0x34, int32_t, (uint64_t)(int64_t)v)                                             \
	M(0x35, uint32_t, v)
	FOR_EACH_LOAD(LOAD)
#define LOADK_1(lbl, SA, ctype, conv) /* {d,a}, k, off */                                  \
	lbl:                                                                               \
	LOAD_AT((uint64_t)(uint32_t)((uint32_t)(SA) + (uint32_t)pc[1].u64) + pc[2].u64,    \
		ctype, conv, 3);
#define LOADK(op, ctype, conv)                                                             \
	LOADK_1(L_K_##op, A0, ctype, conv)                                                 \
	LOADK_1(L_KA_##op, acc, ctype, conv)
	FOR_EACH_LOAD(LOADK)
	STORE(0x36, uint32_t)
	STORE(0x37, uint64_t)
	STORE(0x38, uint32_t)
	STORE(0x39, uint64_t)
	STORE(0x3a, uint8_t)
	STORE(0x3b, uint16_t)
	STORE(0x3c, uint8_t)
	STORE(0x3d, uint16_t)
	STORE(0x3e, uint32_t)
L_0x3f: /* memory.size {d} */
	D0 = memobj->pages;
	pc++;
	NEXT();

L_0x40: { /* memory.grow {d,delta} */
	uint32_t delta = (uint32_t)A0;
	int64_t r = wasm_memory_grow_pages(memobj, delta);
	D0 = (uint32_t)r;
	if (r >= 0)
		CHARGE((uint64_t)delta * (WASM_PAGE_SIZE / 64));
	RELOAD_MEM();
	pc++;
	NEXT();
}

/* Operand conversions from slot bits, and result conversions to them. */
#define U32C(x) ((uint32_t)(x))
#define U64C(x) ((uint64_t)(x))
/* Unary ops: plain and A forms. */
#define UN_1(lbl, T, CV, RES, SA, expr)                                                    \
	lbl: {                                                                             \
		T a = CV(SA);                                                              \
		SET(RES(expr));                                                            \
		pc++;                                                                       \
		NEXT();                                                                     \
	}
#define UN(op, T, CV, RES, expr)                                                           \
	UN_1(L_##op, T, CV, RES, A0, expr)                                                 \
	UN_1(L_A_##op, T, CV, RES, acc, expr)
/* Binary ops: plain, immediate (IMM), A, B and immediate with A (IA) forms. */
#define BIN_1(lbl, T, CV, RES, SA, SB, expr)                                               \
	lbl: {                                                                             \
		T a = CV(SA), b = CV(SB);                                                  \
		SET(RES(expr));                                                            \
		pc += 2;                                                                    \
		NEXT();                                                                     \
	}
#define BIN(op, T, CV, RES, expr)                                                          \
	BIN_1(L_##op, T, CV, RES, A0, B1, expr)                                            \
	BIN_1(L_IMM_##op, T, CV, RES, A0, IMMV, expr)                                      \
	BIN_1(L_A_##op, T, CV, RES, acc, B1, expr)                                         \
	BIN_1(L_B_##op, T, CV, RES, A0, acc, expr)                                         \
	BIN_1(L_IA_##op, T, CV, RES, acc, IMMV, expr)                                      \
	BIN_1(L_A1B_##op, T, CV, RES, acc1, acc, expr)
/* Integer ops (not the trapping ones) on a and b of their type. */
#define E_0x6a(a, b) ((a) + (b))
#define E_0x6b(a, b) ((a) - (b))
#define E_0x6c(a, b) ((a) * (b))
#define E_0x71(a, b) ((a) & (b))
#define E_0x72(a, b) ((a) | (b))
#define E_0x73(a, b) ((a) ^ (b))
#define E_0x74(a, b) ((a) << ((b) & 31))
#define E_0x75(a, b) ((uint32_t)((int32_t)(a) >> ((b) & 31)))
#define E_0x76(a, b) ((a) >> ((b) & 31))
#define E_0x77(a, b) (rotl32(a, b))
#define E_0x78(a, b) (rotl32(a, 32 - ((b) & 31)))
#define E_0x7c(a, b) ((a) + (b))
#define E_0x7d(a, b) ((a) - (b))
#define E_0x7e(a, b) ((a) * (b))
#define E_0x83(a, b) ((a) & (b))
#define E_0x84(a, b) ((a) | (b))
#define E_0x85(a, b) ((a) ^ (b))
#define E_0x86(a, b) ((a) << ((b) & 63))
#define E_0x87(a, b) ((uint64_t)((int64_t)(a) >> ((b) & 63)))
#define E_0x88(a, b) ((a) >> ((b) & 63))
#define E_0x89(a, b) (rotl64(a, b))
#define E_0x8a(a, b) (rotl64(a, 64 - ((b) & 63)))
/* II forms: op1 with a constant on slot x, its result the second operand
 * of op2 (first operand from a slot or acc): {d,a}, {x,-}, imm. */
#define II_1(lbl, T, SA, op1, op2)                                                         \
	lbl: {                                                                             \
		T x_ = (T)fp[pc[1].s[0]], k_ = (T)pc[2].u64, a = (T)(SA), b = E_##op1(x_, k_); \
		SET(E_##op2(a, b));                                                         \
		pc += 3;                                                                    \
		NEXT();                                                                     \
	}
#define II(T, op1, op2)                                                                    \
	II_1(L_II_##op1##_##op2, T, A0, op1, op2) II_1(L_IIA_##op1##_##op2, T, acc, op1, op2)
#define II32(op1, op2) II(uint32_t, op1, op2)
#define II64(op1, op2) II(uint64_t, op1, op2)
	II_LIST_32(II32)
	II_LIST_64(II64)

/* Binary ops whose second operand comes from memory (M forms, index
 * kind): {d,a}, {addr,k}, off; the load first (it may trap), then the op. */
#define MEM_1(lbl, T, CV, RES, SA, ctype, conv, expr, back)                                \
	lbl: {                                                                             \
		uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[1].s[0]] + pc[1].s[1]) +   \
			      pc[2].u64;                                                    \
		ctype v;                                                                    \
		if (ea + sizeof(ctype) > memsize)                                           \
			TRAP(WASM_TRAP_MEM_OOB);                                            \
		memcpy(&v, mem + ea, sizeof(ctype));                                        \
		{                                                                           \
			T a = CV(SA), b = CV(conv);                                         \
			SET(RES(expr));                                                     \
		}                                                                           \
		if (back) {                                                                 \
			v = (ctype)acc;                                                     \
			memcpy(mem + ea, &v, sizeof(ctype));                                \
		}                                                                           \
		pc += 3;                                                                    \
		NEXT();                                                                     \
	}
/* M, MA forms; for the full-width load (kind 0) also RMW, RMWA: the result
 * is stored back to the address loaded from */
#define MEM(kind, op, T, CV, RES, ctype, conv, expr)                                       \
	MEM_1(L_M##kind##_##op, T, CV, RES, A0, ctype, conv, expr, 0)                      \
	MEM_1(L_MA##kind##_##op, T, CV, RES, acc, ctype, conv, expr, 0)                    \
	MEM_1(L_RMW##kind##_##op, T, CV, RES, A0, ctype, conv, expr, 1)                    \
	MEM_1(L_RMWA##kind##_##op, T, CV, RES, acc, ctype, conv, expr, 1)
#define I32_UN(op, expr) UN(op, uint32_t, U32C, U32C, expr)
#define I64_UN(op, expr) UN(op, uint64_t, U64C, U64C, expr)
#define F32_UN(op, expr) UN(op, float, f32_of, bits_f32, expr)
#define F64_UN(op, expr) UN(op, double, f64_of, bits_f64, expr)
#define CONV(op, expr) UN(op, uint64_t, U64C, U64C, expr)
#define I32_BIN(op, expr)                                                                  \
	BIN(op, uint32_t, U32C, U32C, expr)                                                 \
	MEM(0, op, uint32_t, U32C, U32C, uint32_t, v, expr)                                 \
	MEM(1, op, uint32_t, U32C, U32C, int8_t, (uint32_t)(int32_t)v, expr)                \
	MEM(2, op, uint32_t, U32C, U32C, uint8_t, v, expr)                                  \
	MEM(3, op, uint32_t, U32C, U32C, int16_t, (uint32_t)(int32_t)v, expr)               \
	MEM(4, op, uint32_t, U32C, U32C, uint16_t, v, expr)
#define I64_BIN(op, expr)                                                                  \
	BIN(op, uint64_t, U64C, U64C, expr) MEM(0, op, uint64_t, U64C, U64C, uint64_t, v, expr)
#define I64_CMP(op, expr) BIN(op, uint64_t, U64C, U32C, expr)
#define F32_BIN(op, expr)                                                                  \
	BIN(op, float, f32_of, bits_f32, expr) MEM(0, op, float, f32_of, bits_f32, uint32_t, v, expr)
#define F32_CMP(op, expr) BIN(op, float, f32_of, U32C, expr)
#define F64_BIN(op, expr)                                                                  \
	BIN(op, double, f64_of, bits_f64, expr) MEM(0, op, double, f64_of, bits_f64, uint64_t, v, expr)
#define F64_CMP(op, expr) BIN(op, double, f64_of, U32C, expr)
/* i32 comparisons also branch: compare-and-branch on slots (off, {a,b})
 * and on a slot and a constant (off, {a,-}, imm). */
#define I32_CMP(op, expr)                                                                  \
	I32_BIN(op, expr)                                                                   \
	L_CMPBR_##op: {                                                                    \
		uint32_t a = (uint32_t)fp[pc[1].s[0]], b = (uint32_t)fp[pc[1].s[1]];        \
		if (expr)                                                                   \
			pc += pc->i64;                                                      \
		else                                                                        \
			pc += 2;                                                            \
		NEXT();                                                                     \
	}                                                                                   \
	L_CMPIBR_##op: {                                                                   \
		uint32_t a = (uint32_t)fp[pc[1].s[0]], b = (uint32_t)pc[2].u64;             \
		if (expr)                                                                   \
			pc += pc->i64;                                                      \
		else                                                                        \
			pc += 3;                                                            \
		NEXT();                                                                     \
	}                                                                                   \
	L_CMPBRL_##op: { /* off, {a,b}, fuel */                                            \
		uint32_t a = (uint32_t)fp[pc[1].s[0]], b = (uint32_t)fp[pc[1].s[1]];        \
		if (expr)                                                                   \
			LOOP_BACK(2);                                                       \
		else                                                                        \
			pc += 3;                                                            \
		NEXT();                                                                     \
	}                                                                                   \
	L_CMPIBRL_##op: { /* off, {a,-}, imm, fuel */                                      \
		uint32_t a = (uint32_t)fp[pc[1].s[0]], b = (uint32_t)pc[2].u64;             \
		if (expr)                                                                   \
			LOOP_BACK(3);                                                       \
		else                                                                        \
			pc += 4;                                                            \
		NEXT();                                                                     \
	}                                                                                   \
	L_ACMPL_##op: { /* off, {d,x}, {b,-}, k, fuel: d = x + k, then CMPL d, b */        \
		uint32_t a = (uint32_t)fp[pc[1].s[1]] + (uint32_t)pc[3].u64, b;             \
		fp[pc[1].s[0]] = a;                                                         \
		b = (uint32_t)fp[pc[2].s[0]];                                               \
		if (expr)                                                                   \
			LOOP_BACK(4);                                                       \
		else                                                                        \
			pc += 5;                                                            \
		NEXT();                                                                     \
	}                                                                                   \
	L_ACMPIL_##op: { /* off, {d,x}, imm, k, fuel: d = x + k, then CMPIL d, imm */      \
		uint32_t a = (uint32_t)fp[pc[1].s[1]] + (uint32_t)pc[3].u64,                \
			 b = (uint32_t)pc[2].u64;                                           \
		fp[pc[1].s[0]] = a;                                                         \
		if (expr)                                                                   \
			LOOP_BACK(4);                                                       \
		else                                                                        \
			pc += 5;                                                            \
		NEXT();                                                                     \
	}
/* Division-like ops that can trap, in the five binary forms. */
#define DIV_1(lbl, T, SA, SB, body)                                                        \
	lbl: {                                                                             \
		T a = (T)(SA), b = (T)(SB);                                                \
		body;                                                                       \
		pc += 2;                                                                    \
		NEXT();                                                                     \
	}
#define DIV(op, T, body)                                                                   \
	DIV_1(L_##op, T, A0, B1, body)                                                     \
	DIV_1(L_IMM_##op, T, A0, IMMV, body)                                               \
	DIV_1(L_A_##op, T, acc, B1, body)                                                  \
	DIV_1(L_B_##op, T, A0, acc, body)                                                  \
	DIV_1(L_IA_##op, T, acc, IMMV, body)                                               \
	DIV_1(L_A1B_##op, T, acc1, acc, body)

	I32_UN(0x45, a == 0)
	I32_CMP(0x46, a == b)
	I32_CMP(0x47, a != b)
	I32_CMP(0x48, (int32_t)a < (int32_t)b)
	I32_CMP(0x49, a < b)
	I32_CMP(0x4a, (int32_t)a > (int32_t)b)
	I32_CMP(0x4b, a > b)
	I32_CMP(0x4c, (int32_t)a <= (int32_t)b)
	I32_CMP(0x4d, a <= b)
	I32_CMP(0x4e, (int32_t)a >= (int32_t)b)
	I32_CMP(0x4f, a >= b)
	I64_UN(0x50, a == 0)
	I64_CMP(0x51, a == b)
	I64_CMP(0x52, a != b)
	I64_CMP(0x53, (int64_t)a < (int64_t)b)
	I64_CMP(0x54, a < b)
	I64_CMP(0x55, (int64_t)a > (int64_t)b)
	I64_CMP(0x56, a > b)
	I64_CMP(0x57, (int64_t)a <= (int64_t)b)
	I64_CMP(0x58, a <= b)
	I64_CMP(0x59, (int64_t)a >= (int64_t)b)
	I64_CMP(0x5a, a >= b)
	F32_CMP(0x5b, a == b)
	F32_CMP(0x5c, a != b)
	F32_CMP(0x5d, a < b)
	F32_CMP(0x5e, a > b)
	F32_CMP(0x5f, a <= b)
	F32_CMP(0x60, a >= b)
	F64_CMP(0x61, a == b)
	F64_CMP(0x62, a != b)
	F64_CMP(0x63, a < b)
	F64_CMP(0x64, a > b)
	F64_CMP(0x65, a <= b)
	F64_CMP(0x66, a >= b)
	I32_UN(0x67, a ? (uint32_t)__builtin_clz(a) : 32u)
	I32_UN(0x68, a ? (uint32_t)__builtin_ctz(a) : 32u)
	I32_UN(0x69, (uint32_t)__builtin_popcount(a))
	I32_BIN(0x6a, E_0x6a(a, b))
	I32_BIN(0x6b, E_0x6b(a, b))
	I32_BIN(0x6c, E_0x6c(a, b))
	DIV(0x6d, uint32_t, {
		if (b == 0)
			TRAP(WASM_TRAP_DIV_ZERO);
		if (a == 0x80000000u && b == 0xffffffffu)
			TRAP(WASM_TRAP_INT_OVERFLOW);
		SET((uint32_t)((int32_t)a / (int32_t)b));
	})
	DIV(0x6e, uint32_t, {
		if (b == 0)
			TRAP(WASM_TRAP_DIV_ZERO);
		SET(a / b);
	})
	DIV(0x6f, uint32_t, {
		if (b == 0)
			TRAP(WASM_TRAP_DIV_ZERO);
		SET(b == 0xffffffffu ? 0 : (uint32_t)((int32_t)a % (int32_t)b));
	})
	DIV(0x70, uint32_t, {
		if (b == 0)
			TRAP(WASM_TRAP_DIV_ZERO);
		SET(a % b);
	})
	I32_BIN(0x71, E_0x71(a, b))
	I32_BIN(0x72, E_0x72(a, b))
	I32_BIN(0x73, E_0x73(a, b))
	I32_BIN(0x74, E_0x74(a, b))
	I32_BIN(0x75, E_0x75(a, b))
	I32_BIN(0x76, E_0x76(a, b))
	I32_BIN(0x77, E_0x77(a, b))
	I32_BIN(0x78, E_0x78(a, b))
	I64_UN(0x79, a ? (uint64_t)__builtin_clzll(a) : 64u)
	I64_UN(0x7a, a ? (uint64_t)__builtin_ctzll(a) : 64u)
	I64_UN(0x7b, (uint64_t)__builtin_popcountll(a))
	I64_BIN(0x7c, E_0x7c(a, b))
	I64_BIN(0x7d, E_0x7d(a, b))
	I64_BIN(0x7e, E_0x7e(a, b))
	DIV(0x7f, int64_t, { /* i64.div_s */
		if (b == 0)
			TRAP(WASM_TRAP_DIV_ZERO);
		if (a == INT64_MIN && b == -1)
			TRAP(WASM_TRAP_INT_OVERFLOW);
		SET((uint64_t)(a / b));
	})
	DIV(0x80, uint64_t, { /* i64.div_u */
		if (b == 0)
			TRAP(WASM_TRAP_DIV_ZERO);
		SET(a / b);
	})
	DIV(0x81, int64_t, { /* i64.rem_s */
		if (b == 0)
			TRAP(WASM_TRAP_DIV_ZERO);
		SET(b == -1 ? 0 : (uint64_t)(a % b));
	})
	DIV(0x82, uint64_t, { /* i64.rem_u */
		if (b == 0)
			TRAP(WASM_TRAP_DIV_ZERO);
		SET(a % b);
	})
	I64_BIN(0x83, E_0x83(a, b))
	I64_BIN(0x84, E_0x84(a, b))
	I64_BIN(0x85, E_0x85(a, b))
	I64_BIN(0x86, E_0x86(a, b))
	I64_BIN(0x87, E_0x87(a, b))
	I64_BIN(0x88, E_0x88(a, b))
	I64_BIN(0x89, E_0x89(a, b))
	I64_BIN(0x8a, E_0x8a(a, b))
	I32_UN(0x8b, a & 0x7fffffffu) /* f32.abs */
	I32_UN(0x8c, a ^ 0x80000000u) /* f32.neg */
	F32_UN(0x8d, f32_round(a, 0))
	F32_UN(0x8e, f32_round(a, 1))
	F32_UN(0x8f, f32_round(a, 2))
	F32_UN(0x90, f32_round(a, 3))
	F32_UN(0x91, sqrtf(a))
	F32_BIN(0x92, a + b)
	F32_BIN(0x93, a - b)
	F32_BIN(0x94, a * b)
	F32_BIN(0x95, a / b)
	F32_BIN(0x96, f32_min(a, b))
	F32_BIN(0x97, f32_max(a, b))
	I32_BIN(0x98, (a & 0x7fffffffu) | (b & 0x80000000u)) /* f32.copysign */
	I64_UN(0x99, a & 0x7fffffffffffffffull) /* f64.abs */
	I64_UN(0x9a, a ^ 0x8000000000000000ull) /* f64.neg */
	F64_UN(0x9b, f64_round(a, 0))
	F64_UN(0x9c, f64_round(a, 1))
	F64_UN(0x9d, f64_round(a, 2))
	F64_UN(0x9e, f64_round(a, 3))
	F64_UN(0x9f, sqrt(a))
	F64_BIN(0xa0, a + b)
	F64_BIN(0xa1, a - b)
	F64_BIN(0xa2, a * b)
	F64_BIN(0xa3, a / b)
	F64_BIN(0xa4, f64_min(a, b))
	F64_BIN(0xa5, f64_max(a, b))
	I64_BIN(0xa6, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull)) /* f64.copysign */
	CONV(0xa7, (uint32_t)a) /* i32.wrap_i64 */

/* Trapping truncation: valid iff lo < x < hi (exclusive bounds, exact). */
#define TRUNC_1(lbl, SA, ftype, fof, lo, hi, ctype, conv)                                  \
	lbl: {                                                                             \
		ftype x = fof(SA);                                                         \
		if (x != x)                                                                 \
			TRAP(WASM_TRAP_INVALID_CONV);                                       \
		if (!(x > (lo) && x < (hi)))                                                \
			TRAP(WASM_TRAP_INT_OVERFLOW);                                       \
		SET(conv((ctype)x));                                                       \
		pc++;                                                                       \
		NEXT();                                                                     \
	}
#define TRUNC(op, ...) TRUNC_1(L_##op, A0, __VA_ARGS__) TRUNC_1(L_A_##op, acc, __VA_ARGS__)
#define U32(x) (uint64_t)(uint32_t)(x)
#define U64(x) (uint64_t)(x)
	TRUNC(0xa8, float, f32_of, -2147483904.0f, 2147483648.0f, int32_t, U32)
	TRUNC(0xa9, float, f32_of, -1.0f, 4294967296.0f, uint32_t, U32)
	TRUNC(0xaa, double, f64_of, -2147483649.0, 2147483648.0, int32_t, U32)
	TRUNC(0xab, double, f64_of, -1.0, 4294967296.0, uint32_t, U32)
	TRUNC(0xae, float, f32_of, -9223373136366403584.0f, 9223372036854775808.0f, int64_t, U64)
	TRUNC(0xaf, float, f32_of, -1.0f, 18446744073709551616.0f, uint64_t, U64)
	TRUNC(0xb0, double, f64_of, -9223372036854777856.0, 9223372036854775808.0, int64_t, U64)
	TRUNC(0xb1, double, f64_of, -1.0, 18446744073709551616.0, uint64_t, U64)

	CONV(0xac, (uint64_t)(int64_t)(int32_t)(uint32_t)a)
	CONV(0xad, (uint32_t)a)
	CONV(0xb2, bits_f32((float)(int32_t)(uint32_t)a))
	CONV(0xb3, bits_f32((float)(uint32_t)a))
	CONV(0xb4, bits_f32((float)(int64_t)a))
	CONV(0xb5, bits_f32((float)a))
	CONV(0xb6, bits_f32((float)f64_of(a)))
	CONV(0xb7, bits_f64((double)(int32_t)(uint32_t)a))
	CONV(0xb8, bits_f64((double)(uint32_t)a))
	CONV(0xb9, bits_f64((double)(int64_t)a))
	CONV(0xba, bits_f64((double)a))
	CONV(0xbb, bits_f64((double)f32_of(a)))
	CONV(0xbc, a) /* reinterpretations: the bits are already right */
	CONV(0xbd, a)
	CONV(0xbe, a)
	CONV(0xbf, a)
	I32_UN(0xc0, (int32_t)(int8_t)a)
	I32_UN(0xc1, (int32_t)(int16_t)a)
	I64_UN(0xc2, (int64_t)(int8_t)a)
	I64_UN(0xc3, (int64_t)(int16_t)a)
	I64_UN(0xc4, (int64_t)(int32_t)a)
	CONV(0xd1, a == 0) /* ref.is_null */

L_0xd2: /* ref.func {d}, idx */
	D0 = (uintptr_t)inst->funcs[pc[1].u64];
	pc += 2;
	NEXT();

	CONV(FC0, sat_i32_s(f32_of(a)))
	CONV(FC1, sat_i32_u(f32_of(a)))
	CONV(FC2, sat_i32_s(f64_of(a)))
	CONV(FC3, sat_i32_u(f64_of(a)))
	CONV(FC4, sat_i64_s(f32_of(a)))
	CONV(FC5, sat_i64_u(f32_of(a)))
	CONV(FC6, sat_i64_s(f64_of(a)))
	CONV(FC7, sat_i64_u(f64_of(a)))

/* Three-operand bulk ops: {x,y}, {n}, immediates. */
#define X3 (uint64_t)(uint32_t)fp[pc[0].s[0]]
#define Y3 fp[pc[0].s[1]]
#define N3 (uint64_t)(uint32_t)fp[pc[1].s[0]]

L_FC8: { /* memory.init {d,s}, {n}, seg */
	uint64_t n = N3, src = (uint32_t)Y3, dst = X3;
	uint32_t seg = (uint32_t)pc[2].u64;
	pc += 3;
	if (src + n > inst->data_len[seg] || dst + n > memsize)
		TRAP(WASM_TRAP_MEM_OOB);
	CHARGE(n >> 6);
	if (n)
		memcpy(mem + dst, inst->mod->datas[seg].bytes + src, n);
	NEXT();
}
L_FC9: /* data.drop seg */
	inst->data_len[pc->u64] = 0;
	pc++;
	NEXT();
L_FC10: { /* memory.copy {d,s}, {n} */
	uint64_t n = N3, src = (uint32_t)Y3, dst = X3;
	pc += 2;
	if (src + n > memsize || dst + n > memsize)
		TRAP(WASM_TRAP_MEM_OOB);
	CHARGE(n >> 6);
	if (n)
		memmove(mem + dst, mem + src, n);
	NEXT();
}
L_FC11: { /* memory.fill {d,val}, {n} */
	uint64_t n = N3, dst = X3;
	uint8_t v = (uint8_t)Y3;
	pc += 2;
	if (dst + n > memsize)
		TRAP(WASM_TRAP_MEM_OOB);
	CHARGE(n >> 6);
	if (n)
		memset(mem + dst, v, n);
	NEXT();
}
L_FC12: { /* table.init {d,s}, {n}, seg, table */
	uint64_t n = N3, src = (uint32_t)Y3, dst = X3;
	uint32_t seg = (uint32_t)pc[2].u64;
	struct wasm_table *t = inst->tables[pc[3].u64];
	pc += 4;
	if (src + n > inst->elem_len[seg] || dst + n > t->size)
		TRAP(WASM_TRAP_TABLE_OOB);
	CHARGE(n >> 3);
	if (n)
		memcpy(t->elems + dst, inst->elem_refs[seg] + src, n * sizeof(uintptr_t));
	NEXT();
}
L_FC13: /* elem.drop seg */
	inst->elem_len[pc->u64] = 0;
	pc++;
	NEXT();
L_FC14: { /* table.copy {d,s}, {n}, dst table, src table */
	uint64_t n = N3, src = (uint32_t)Y3, dst = X3;
	struct wasm_table *td = inst->tables[pc[2].u64], *ts = inst->tables[pc[3].u64];
	pc += 4;
	if (src + n > ts->size || dst + n > td->size)
		TRAP(WASM_TRAP_TABLE_OOB);
	CHARGE(n >> 3);
	if (n)
		memmove(td->elems + dst, ts->elems + src, n * sizeof(uintptr_t));
	NEXT();
}
L_FC15: { /* table.grow {d,init}, {n}, table */
	struct wasm_table *t = inst->tables[pc[2].u64];
	uint32_t n = (uint32_t)B1;
	uintptr_t init = (uintptr_t)A0;
	int64_t r = wasm_table_grow_elems(t, n, init);
	D0 = (uint32_t)r;
	if (r >= 0)
		CHARGE((uint64_t)n >> 3);
	pc += 3;
	NEXT();
}
L_FC16: /* table.size {d}, table */
	D0 = inst->tables[pc[1].u64]->size;
	pc += 2;
	NEXT();
L_FC17: { /* table.fill {i,val}, {n}, table */
	struct wasm_table *t = inst->tables[pc[2].u64];
	uint64_t n = N3, i = X3;
	uintptr_t v = (uintptr_t)Y3;
	pc += 3;
	if (i + n > t->size)
		TRAP(WASM_TRAP_TABLE_OOB);
	CHARGE(n >> 3);
	for (uint64_t k = 0; k < n; k++)
		t->elems[i + k] = v;
	NEXT();
}

do_trap:
	s->trap = trap;
	s->fuel = fuel;
	return WASM_ERR_TRAP;
}

#pragma GCC diagnostic pop

const void *const *wasm_interp_labels(void)
{
	const void *const *labels;

	run(NULL, NULL, NULL, &labels);
	return labels;
}

int wasm_interp_call(struct wasm_store *s, struct wasm_func *f, uint64_t *args)
{
	return run(s, f, args, NULL);
}
