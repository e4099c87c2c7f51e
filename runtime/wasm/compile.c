/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compile.c - validate a function body and translate it, in the same pass,
 * into the interpreter's three-address cell code.
 *
 * The validator follows the algorithm of the spec's appendix: a stack of
 * operand types (0 = unknown, in unreachable code) and a stack of control
 * frames.  The operand height is known statically at every reachable
 * point, so each stack position has a fixed frame slot (base + height) and
 * instructions are compiled to "slot d = slot a op slot b".  Beside each
 * type the compiler keeps where the value is: in its home slot (TEMP), still
 * in a local (LOCAL: local.get emits nothing) or a constant (CONST).  Such
 * pending values are written to their home slots ("flushed") before
 * anything that needs the canonical layout: control instructions, calls,
 * and a local.set of a local they still refer to.  A result consumed by
 * local.set is written straight into the local; an i32 comparison consumed
 * by br_if/if becomes a compare-and-branch; binary ops with a constant
 * operand use immediate forms.  Ops that read the last results read them
 * from registers (acc forms), and an op is folded into the one before when
 * that one produced its operand (see wasm-internal.h): a load into the op
 * using it (M), with the store back to the same address (RMW); an integer
 * op with a constant into the op using its result (II); a loop counter's
 * add into the compare and branch back (ACMPL); two copies into one.  Each
 * rewrite takes back the cells of the op before (unemit), so it applies
 * only when nothing, not even a label, came between.  Code that cannot be
 * reached is validated but not emitted.  Fuel is charged where execution
 * can come back, with no cell of its own: by a call for its function's
 * whole body, and by each branch back to a loop header for the whole body
 * of that loop (nested loops included, for their first iteration).  A run
 * is charged for instructions it skips (an if's other arm, a loop not
 * entered): an upper bound of the work, the same for the same path.
 */
#include <stdlib.h>
#include <string.h>

#include "compile.h"

#define NOLINK SIZE_MAX
#define NOIDX UINT32_MAX

struct ctl {
	uint8_t kind; /* 0 function, 0x02 block, 0x03 loop, 0x04 if, 0x05 else */
	bool unreachable;
	bool emit; /* the frame was entered live: its code is emitted */
	uint32_t nparams, nresults;
	const enum wasm_valtype *params, *results; /* results NULL: one result, single */
	enum wasm_valtype single;
	uint32_t height; /* operand height below the params */
	size_t start;    /* loop: target cell */
	size_t else_fix; /* if: cell of the branch offset to the else arm, NOLINK when done */
	size_t chain;    /* forward branch offset cells to patch, linked */
	uint64_t ticks0;   /* loop: instructions counted before its body */
	size_t fuel_chain; /* loop: fuel cells of branches back to it, linked */
};

enum loc_kind { LOC_TEMP, LOC_LOCAL, LOC_CONST };

/* Where an operand-stack value is. */
struct loc {
	uint8_t kind;
	uint64_t v; /* local index or constant bits */
};

struct popped {
	struct loc loc;
	uint32_t idx; /* stack index it had */
};

struct comp {
	struct wasm_reader *r;
	const struct wasm_module *m;
	const void *const *lbl;
	union wasm_cell *code;
	size_t n, cap;
	uint8_t *vs;
	struct loc *ls;
	uint32_t nvs, capvs, maxvs;
	struct ctl *cs;
	uint32_t ncs, capcs;
	enum wasm_valtype *locals;
	uint32_t nlocals;
	const struct wasm_functype *type;
	uint32_t funcidx;
	uint64_t ticks; /* instructions counted (emitted code) so far */
	size_t *calls, ncalls, capcalls; /* CALL_LOCAL cells (wasm_code.calls) */
	/* operands popped by the current instruction, in pop order */
	struct popped pop[4];
	uint32_t npop;
	/* lowest stack index that may hold a pending (non-TEMP) value */
	uint32_t pend_lo;
	/* the last emitted op, while nothing followed it and no label intervened */
	size_t last_op, last_dst;
	size_t last_copy; /* a COPY op just emitted (nothing after it, no label) */
	size_t add_at, add_save; /* an i32 add-immediate op just emitted, and
				  * as it was before the last op (unemit) */
	uint32_t last_idx;
	unsigned last_code; /* its base op (not the acc form) */
	uint8_t last_form;  /* 0, or 1 when it read its first operand from acc */
	/* stack indexes whose values the interpreter holds in acc and acc1
	 * when the next op runs (NOIDX: none), and as they were before the
	 * last op (unemit) */
	uint32_t acc_idx[2], acc_save[2];
	/* straight-line code from the function entry (no label passed yet):
	 * locals not written so far still hold their zero */
	bool entry;
	uint8_t *written;
};

/* Numeric instruction signatures: operand 1, operand 2 (or 0), result. */
static const char numsig[256][3] = {
	[0x45] = "i\0i",
	[0x46 ... 0x4f] = "iii",
	[0x50] = "I\0i",
	[0x51 ... 0x5a] = "IIi",
	[0x5b ... 0x60] = "ffi",
	[0x61 ... 0x66] = "FFi",
	[0x67 ... 0x69] = "i\0i",
	[0x6a ... 0x78] = "iii",
	[0x79 ... 0x7b] = "I\0I",
	[0x7c ... 0x8a] = "III",
	[0x8b ... 0x91] = "f\0f",
	[0x92 ... 0x98] = "fff",
	[0x99 ... 0x9f] = "F\0F",
	[0xa0 ... 0xa6] = "FFF",
	[0xa7] = "I\0i",
	[0xa8 ... 0xa9] = "f\0i",
	[0xaa ... 0xab] = "F\0i",
	[0xac ... 0xad] = "i\0I",
	[0xae ... 0xaf] = "f\0I",
	[0xb0 ... 0xb1] = "F\0I",
	[0xb2 ... 0xb3] = "i\0f",
	[0xb4 ... 0xb5] = "I\0f",
	[0xb6] = "F\0f",
	[0xb7 ... 0xb8] = "i\0F",
	[0xb9 ... 0xba] = "I\0F",
	[0xbb] = "f\0F",
	[0xbc] = "f\0i",
	[0xbd] = "F\0I",
	[0xbe] = "i\0f",
	[0xbf] = "I\0F",
	[0xc0 ... 0xc1] = "i\0i",
	[0xc2 ... 0xc4] = "I\0I",
};

/* Memory access: natural alignment log2 and value type letter. */
static const char memsig[0x3f][2] = {
	[0x28] = { 2, 'i' }, [0x29] = { 3, 'I' }, [0x2a] = { 2, 'f' }, [0x2b] = { 3, 'F' },
	[0x2c] = { 0, 'i' }, [0x2d] = { 0, 'i' }, [0x2e] = { 1, 'i' }, [0x2f] = { 1, 'i' },
	[0x30] = { 0, 'I' }, [0x31] = { 0, 'I' }, [0x32] = { 1, 'I' }, [0x33] = { 1, 'I' },
	[0x34] = { 2, 'I' }, [0x35] = { 2, 'I' }, [0x36] = { 2, 'i' }, [0x37] = { 3, 'I' },
	[0x38] = { 2, 'f' }, [0x39] = { 3, 'F' }, [0x3a] = { 0, 'i' }, [0x3b] = { 1, 'i' },
	[0x3c] = { 0, 'I' }, [0x3d] = { 1, 'I' }, [0x3e] = { 2, 'I' },
};

static enum wasm_valtype letter_type(char c)
{
	switch (c) {
	case 'i':
		return WASM_I32;
	case 'I':
		return WASM_I64;
	case 'f':
		return WASM_F32;
	default:
		return WASM_F64;
	}
}

bool wasm_opcode_known(uint8_t op)
{
	if (numsig[op][2])
		return true;
	if (op >= 0x28 && op <= 0x40)
		return true;
	switch (op) {
	case 0x00 ... 0x05:
	case 0x0b ... 0x11:
	case 0x1a ... 0x1c:
	case 0x20 ... 0x26:
	case 0x41 ... 0x44:
	case 0xd0 ... 0xd2:
	case 0xfc:
		return true;
	}
	return false;
}

static bool fail(struct comp *c, int code, const char *msg)
{
	wasm_rd_fail(c->r, code, "%s in function %u", msg, c->funcidx);
	return false;
}

static bool invalid(struct comp *c, const char *msg)
{
	return fail(c, WASM_ERR_INVALID, msg);
}

/* ---- emission --------------------------------------------------------- */

static bool live(const struct comp *c)
{
	const struct ctl *f = &c->cs[c->ncs - 1];

	return f->emit && !f->unreachable;
}

static uint32_t home(const struct comp *c, uint32_t idx)
{
	return c->nlocals + idx;
}

static bool reserve(struct comp *c, size_t k)
{
	if (c->n + k > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		union wasm_cell *p;
		while (cap < c->n + k)
			cap *= 2;
		p = realloc(c->code, cap * sizeof(*p));
		if (!p)
			return fail(c, WASM_ERR_NOMEM, "out of memory");
		c->code = p;
		c->cap = cap;
	}
	return true;
}

/* The plain op of an A, B or A1B form (other ops: themselves). */
static unsigned form_base(unsigned iop)
{
	if (iop >= IOP_A_BASE && iop < IOP_A_BASE + 0x100)
		return iop - IOP_A_BASE;
	if (iop >= IOP_B_BASE && iop < IOP_B_BASE + 0x100)
		return iop - IOP_B_BASE;
	if (iop >= IOP_A1B_BASE && iop < IOP_A1B_BASE + 0x100)
		return iop - IOP_A1B_BASE;
	return iop;
}

/* Whether the handler of iop leaves a result in acc (SET in interp.c):
 * loads, numeric ops, ref.is_null, saturating truncations, all forms. */
static bool sets_acc(unsigned iop)
{
	unsigned b = form_base(iop);

	if ((iop >= IOP_IMM_BASE && iop < IOP_CMP_BR_BASE) ||
	    (iop >= IOP_LOADK_BASE && iop < IOP_A_BASE) ||
	    (iop >= IOP_IA_BASE && iop < IOP_CMPL_BASE) ||
	    (iop >= IOP_FC_BASE && iop <= IOP_FC_BASE + 7) || iop >= IOP_M_BASE)
		return true;
	return (b >= 0x28 && b <= 0x35) || (b >= 0x45 && b <= 0xc4) || b == 0xd1;
}

/* Whether the handler of iop leaves acc and acc1 alone and falls through:
 * constants, copies, fuel and stores. */
static bool keeps_acc(unsigned iop)
{
	unsigned b = form_base(iop);

	return iop == IOP_CONST || iop == IOP_COPY || iop == IOP_COPY2 || (b >= 0x36 && b <= 0x3e);
}

static void acc_forget(struct comp *c)
{
	c->acc_idx[0] = c->acc_idx[1] = NOIDX;
}

/* Append an op cell (callers check live()); forgets the last op. */
static bool put_op(struct comp *c, unsigned op)
{
	if (!reserve(c, 1))
		return false;
	c->last_op = NOLINK;
	c->last_dst = NOLINK;
	c->last_copy = NOLINK;
	c->add_save = c->add_at;
	c->add_at = NOLINK;
	c->acc_save[0] = c->acc_idx[0];
	c->acc_save[1] = c->acc_idx[1];
	if (!sets_acc(op) && !keeps_acc(op))
		acc_forget(c);
	c->code[c->n++].op = c->lbl[op];
	return true;
}

static bool put_u64(struct comp *c, uint64_t v)
{
	if (!reserve(c, 1))
		return false;
	c->code[c->n++].u64 = v;
	return true;
}

static bool put_2(struct comp *c, uint32_t a, uint32_t b)
{
	if (!reserve(c, 1))
		return false;
	c->code[c->n].u64 = 0;
	c->code[c->n].s[0] = a;
	c->code[c->n].s[1] = b;
	c->n++;
	return true;
}

/* Forget the last op: a label follows, values may arrive from elsewhere. */
static void label_here(struct comp *c)
{
	acc_forget(c);
	c->last_op = NOLINK;
	c->last_dst = NOLINK;
	c->last_copy = NOLINK;
	c->add_at = NOLINK;
	c->entry = false;
}

/* Copy slot a to slot d; right after another copy, both become one COPY2. */
static bool put_copy(struct comp *c, uint32_t d, uint32_t a)
{
	if (c->last_copy != NOLINK && !c->m->plain) {
		c->code[c->last_copy].op = c->lbl[IOP_COPY2];
		c->last_copy = NOLINK;
		return put_2(c, d, a);
	}
	if (!put_op(c, IOP_COPY) || !put_2(c, d, a))
		return false;
	c->last_copy = c->n - 2;
	return true;
}

/* Count one instruction (of code that is emitted) towards the fuel of its
 * function and of the loops around it. */
static void tick(struct comp *c)
{
	if (live(c))
		c->ticks++;
}

/* The fuel cell of a branch back to loop f: its body's count, filled in
 * when the loop ends. */
static bool put_loop_fuel(struct comp *c, struct ctl *f)
{
	if (!reserve(c, 1))
		return false;
	c->code[c->n].u64 = f->fuel_chain == NOLINK ? 0 : f->fuel_chain + 1;
	f->fuel_chain = c->n++;
	return true;
}

/* Branch offset cell to the label of frame f (patched later when forward). */
static bool put_target(struct comp *c, struct ctl *f)
{
	if (!reserve(c, 1))
		return false;
	if (f->kind == 0x03) {
		c->code[c->n].i64 = (int64_t)f->start - (int64_t)c->n;
	} else {
		c->code[c->n].u64 = f->chain == NOLINK ? 0 : f->chain + 1;
		f->chain = c->n;
	}
	c->n++;
	return true;
}

/* Branch back to loop f: BR_LOOP off, fuel. */
static bool put_br_loop(struct comp *c, struct ctl *f)
{
	return put_op(c, IOP_BR_LOOP) && put_target(c, f) && put_loop_fuel(c, f);
}

/* Move n values from slot src down to slot dst, lowest first (dst <= src). */
static bool put_moves(struct comp *c, uint32_t dst, uint32_t src, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!put_copy(c, dst + i, src + i))
			return false;
	return true;
}

/* Return the n values from slot src on. */
static bool put_return(struct comp *c, uint32_t src, uint32_t n)
{
	if (n == 1 && !c->m->plain)
		return put_op(c, IOP_RETURN1) && put_2(c, src, 0);
	return put_op(c, IOP_RETURN) && put_2(c, src, n);
}

static void patch_chain(struct comp *c, size_t head, size_t target)
{
	while (head != NOLINK) {
		size_t next = c->code[head].u64 ? c->code[head].u64 - 1 : NOLINK;
		c->code[head].i64 = (int64_t)target - (int64_t)head;
		head = next;
	}
}

/* ---- operand and control stacks --------------------------------------- */

static bool push_loc(struct comp *c, uint8_t t, uint8_t kind, uint64_t v)
{
	if (c->nvs == c->capvs) {
		uint32_t cap = c->capvs ? c->capvs * 2 : 64;
		uint8_t *p = realloc(c->vs, cap);
		struct loc *q;
		if (!p)
			return fail(c, WASM_ERR_NOMEM, "out of memory");
		c->vs = p;
		q = realloc(c->ls, cap * sizeof(*q));
		if (!q)
			return fail(c, WASM_ERR_NOMEM, "out of memory");
		c->ls = q;
		c->capvs = cap;
	}
	if (kind != LOC_TEMP && c->nvs < c->pend_lo)
		c->pend_lo = c->nvs;
	c->vs[c->nvs] = t;
	c->ls[c->nvs].kind = kind;
	c->ls[c->nvs].v = v;
	c->nvs++;
	if (c->nvs > c->maxvs)
		c->maxvs = c->nvs;
	return true;
}

static bool push(struct comp *c, uint8_t t)
{
	return push_loc(c, t, LOC_TEMP, 0);
}

/* Pop one operand of type want (0 = any); *got receives its type.  The
 * location is recorded in c->pop for the instruction's emission. */
static bool pop(struct comp *c, uint8_t want, uint8_t *got)
{
	struct ctl *f = &c->cs[c->ncs - 1];
	uint8_t t;
	struct popped *p = c->npop < 4 ? &c->pop[c->npop++] : NULL;

	if (c->nvs == f->height) {
		if (f->unreachable) {
			if (got)
				*got = want;
			if (p) {
				p->loc.kind = LOC_TEMP;
				p->idx = c->nvs;
			}
			return true;
		}
		return invalid(c, "type mismatch: operand stack empty");
	}
	t = c->vs[--c->nvs];
	if (c->pend_lo > c->nvs)
		c->pend_lo = c->nvs;
	if (p) {
		p->loc = c->ls[c->nvs];
		p->idx = c->nvs;
	}
	if (want && t && t != want)
		return invalid(c, "type mismatch");
	if (got)
		*got = t ? t : want;
	return true;
}

static bool pop_types(struct comp *c, const enum wasm_valtype *ts, uint32_t n)
{
	while (n--)
		if (!pop(c, (uint8_t)ts[n], NULL))
			return false;
	return true;
}

static bool push_types(struct comp *c, const enum wasm_valtype *ts, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!push(c, (uint8_t)ts[i]))
			return false;
	return true;
}

/* Write the pending value at stack index i to its home slot. */
static bool materialise(struct comp *c, uint32_t i)
{
	struct loc *l = &c->ls[i];

	if (l->kind != LOC_TEMP) {
		/* a new value at i: whatever acc held for i is gone */
		if (c->acc_idx[0] == i)
			c->acc_idx[0] = NOIDX;
		if (c->acc_idx[1] == i)
			c->acc_idx[1] = NOIDX;
	}
	if (l->kind == LOC_LOCAL) {
		if (!put_copy(c, home(c, i), (uint32_t)l->v))
			return false;
	} else if (l->kind == LOC_CONST) {
		if (!put_op(c, IOP_CONST) || !put_2(c, home(c, i), 0) || !put_u64(c, l->v))
			return false;
	}
	l->kind = LOC_TEMP;
	return true;
}

/* Give every stack value its home slot (live code only). */
static bool flush_all(struct comp *c)
{
	if (live(c)) {
		for (uint32_t i = c->pend_lo; i < c->nvs; i++)
			if (c->ls[i].kind != LOC_TEMP && !materialise(c, i))
				return false;
	} else {
		for (uint32_t i = c->pend_lo; i < c->nvs; i++)
			c->ls[i].kind = LOC_TEMP;
	}
	c->pend_lo = c->nvs;
	return true;
}

/* Before local x changes: values still reading x get their home slots.
 * The scan is kept short by flushing everything when it would be long. */
static bool flush_local(struct comp *c, uint32_t x)
{
	if (c->nvs - c->pend_lo > 32)
		return flush_all(c);
	for (uint32_t i = c->pend_lo; i < c->nvs; i++)
		if (c->ls[i].kind == LOC_LOCAL && c->ls[i].v == x && !materialise(c, i))
			return false;
	return true;
}

/* Slot of popped operand k, materialising a constant into its home slot. */
static bool opnd(struct comp *c, uint32_t k, uint32_t *slot)
{
	struct popped *p = &c->pop[k];

	switch (p->loc.kind) {
	case LOC_LOCAL:
		*slot = (uint32_t)p->loc.v;
		return true;
	case LOC_CONST:
		*slot = home(c, p->idx);
		return put_op(c, IOP_CONST) && put_2(c, *slot, 0) && put_u64(c, p->loc.v);
	default:
		*slot = home(c, p->idx);
		return true;
	}
}

/* Record the op just emitted at cell op_at (base op code, form) as
 * producing the top value; a result in acc pushes the older one to acc1. */
static void produced(struct comp *c, size_t op_at, unsigned code, uint8_t form)
{
	uint32_t i = c->nvs - 1;

	c->last_op = op_at;
	c->last_dst = op_at + 1;
	c->last_idx = i;
	c->last_code = code;
	c->last_form = form;
	if (sets_acc(code)) {
		c->acc_idx[1] = c->acc_idx[0] == i ? NOIDX : c->acc_idx[0];
		c->acc_idx[0] = i;
	}
}

/* Take back the last op, emitted at cell at. */
static void unemit(struct comp *c, size_t at)
{
	c->n = at;
	c->add_at = c->add_save;
	c->acc_idx[0] = c->acc_save[0];
	c->acc_idx[1] = c->acc_save[1];
}

/* Where the value of popped operand k is besides its slot when the op
 * being emitted runs: 1 in acc, 2 in acc1, 0 nowhere else.  Between its
 * producer and that op there was no label, no call, nothing but ops that
 * keep acc and at most one other result. */
static int acc_of(const struct comp *c, uint32_t k)
{
	const struct popped *p = &c->pop[k];

	if (p->loc.kind != LOC_TEMP)
		return 0;
	if (p->idx == c->acc_idx[0])
		return 1;
	if (p->idx == c->acc_idx[1])
		return 2;
	return 0;
}

/* Whether the interpreter has a handler for iop. */
static bool has_form(const struct comp *c, unsigned iop)
{
	return c->lbl[iop] != c->lbl[IOP_NONE];
}

/*
 * Emit op with operands popped (pop[] in pop order: the last operand
 * first) and, if has_result, a result pushed already: {d,a} {b,-} for
 * two operands, {d,a} for one, {d} for none; then nimm immediates.
 */
static bool emit_op(struct comp *c, unsigned op, uint32_t nin, bool has_result, int nimm,
		    uint64_t i0, uint64_t i1)
{
	uint32_t s[3] = { 0, 0, 0 }, d = 0;
	size_t at;
	unsigned form = op;
	uint8_t f = 0;

	if (!live(c))
		return true;
	for (uint32_t k = 0; k < nin; k++)
		if (!opnd(c, nin - 1 - k, &s[k]))
			return false;
	if (has_result)
		d = home(c, c->nvs - 1);
	/* operands still in acc or acc1 are read from there */
	if (!c->m->plain && op < 0x100 && nin >= 1 && nin <= 2) {
		int ka = acc_of(c, nin - 1), kb = nin == 2 ? acc_of(c, 0) : 0;
		if (ka == 1 && has_form(c, IOP_A_BASE + op)) {
			form = IOP_A_BASE + op;
			f = 1;
		} else if (ka == 2 && kb == 1 && has_form(c, IOP_A1B_BASE + op)) {
			form = IOP_A1B_BASE + op;
			f = 3;
		} else if (kb == 1 && has_form(c, IOP_B_BASE + op)) {
			form = IOP_B_BASE + op;
			f = 2;
		}
	}
	at = c->n;
	if (!put_op(c, form))
		return false;
	if (has_result) {
		if (!put_2(c, d, s[0]) || (nin > 1 && !put_2(c, s[1], s[2])))
			return false;
	} else if (nin > 0) {
		if (!put_2(c, s[0], s[1]) || (nin > 2 && !put_2(c, s[2], 0)))
			return false;
	}
	if (nimm > 0 && !put_u64(c, i0))
		return false;
	if (nimm > 1 && !put_u64(c, i1))
		return false;
	if (has_result)
		produced(c, at, op, f);
	return true;
}

/* Integer ops whose operands may be swapped (eq, ne, add, mul, and, or, xor). */
static bool commutative(uint8_t op)
{
	switch (op) {
	case 0x46 ... 0x47:
	case 0x51 ... 0x52:
	case 0x6a:
	case 0x6c:
	case 0x71 ... 0x73:
	case 0x7c:
	case 0x7e:
	case 0x83 ... 0x85:
		return true;
	default:
		return false;
	}
}

/* The M-form kind of a load op feeding an operand of binary op (see
 * wasm-internal.h), or -1. */
static int load_kind(unsigned lop)
{
	switch (lop) {
	case 0x28 ... 0x2b:
		return 0;
	case 0x2c ... 0x2f:
		return (int)lop - 0x2b;
	default:
		return -1;
	}
}

/* Whether the op emitted just before produced the value popped last (the
 * second operand of the op being compiled), so it may be folded into it. */
static bool last_made_b(const struct comp *c)
{
	return !c->m->plain && live(c) && c->last_op != NOLINK &&
	       c->pop[0].loc.kind == LOC_TEMP && c->pop[0].idx == c->last_idx;
}

/* Take back the op emitted just before and emit in its place the folded
 * form base + iop (abase + iop when the first operand is in acc):
 * {d,a}, {s0,s1}, imm. */
static bool refold(struct comp *c, unsigned base, unsigned abase, unsigned iop, uint32_t s0,
		   uint32_t s1, uint64_t imm)
{
	uint32_t a;
	size_t at;
	bool acc;

	unemit(c, c->last_op);
	if (!opnd(c, 1, &a))
		return false;
	acc = acc_of(c, 1) == 1 && has_form(c, abase + iop);
	at = c->n;
	if (!put_op(c, (acc ? abase : base) + iop) || !put_2(c, home(c, c->nvs - 1), a) ||
	    !put_2(c, s0, s1) || !put_u64(c, imm))
		return false;
	produced(c, at, base + iop, acc);
	return true;
}

/*
 * Binary op whose second operand (popped, not emitted yet) was produced by
 * the load emitted just before: take the load back and emit the op with a
 * memory operand (M form).  *done tells whether it did.
 */
static bool emit_mem_operand(struct comp *c, uint8_t op, bool *done)
{
	const union wasm_cell *cell;
	unsigned code = c->last_code, lop, iop;
	uint32_t addr, k = 0;
	uint64_t off;
	int kind;

	*done = false;
	if (!last_made_b(c))
		return true;
	cell = &c->code[c->last_op];
	if (code >= 0x28 && code <= 0x35) {
		lop = code;
		off = cell[2].u64;
	} else if (code >= IOP_LOADK_BASE && code <= IOP_LOADK_BASE + (0x35 - 0x28)) {
		lop = code - IOP_LOADK_BASE + 0x28;
		k = (uint32_t)cell[2].u64;
		off = cell[3].u64;
	} else {
		return true;
	}
	/* the load's address is in its slot even when the load read it from acc */
	addr = cell[1].s[1];
	kind = load_kind(lop);
	if (kind < 0)
		return true;
	iop = 96u * (unsigned)kind + (op - 0x46u);
	if (!has_form(c, IOP_M_BASE + iop))
		return true;
	*done = true;
	return refold(c, IOP_M_BASE, IOP_MA_BASE, iop, addr, k, off);
}

/*
 * Integer op whose second operand (popped, not emitted yet) is the result of
 * the immediate-form integer op just emitted: take that op back and emit
 * both as one (II form).  *done tells whether it did.
 */
static bool emit_imm_operand(struct comp *c, uint8_t op, bool *done)
{
	unsigned code = c->last_code, op1, iop;

	*done = false;
	if (!last_made_b(c) || code < IOP_IMM_BASE + (0x6a - 0x46) ||
	    code > IOP_IMM_BASE + (0x8a - 0x46))
		return true;
	op1 = code - IOP_IMM_BASE + 0x46;
	if ((op1 < 0x7c) != (op < 0x7c) || op < 0x6a || op > 0x8a)
		return true;
	iop = IOP_II_INDEX(op1, (unsigned)op);
	if (!has_form(c, IOP_II_BASE + iop))
		return true;
	*done = true;
	/* x (the op's operand) is in its slot even when the op read it from acc */
	return refold(c, IOP_II_BASE, IOP_IIA_BASE, iop, c->code[c->last_op + 1].s[1], 0,
		      c->code[c->last_op + 2].u64);
}

/* A numeric instruction whose operands were popped and result pushed. */
static bool emit_numeric(struct comp *c, uint8_t op, uint32_t nin)
{
	bool done;

	if (!c->m->plain && live(c) && nin == 2 && op >= 0x46 && op <= 0xa5 && op != 0x98 &&
	    c->pop[1].loc.kind == LOC_CONST && c->pop[0].loc.kind != LOC_CONST &&
	    commutative(op)) {
		/* constant left operand of a commutative op: swap the operands */
		struct popped t = c->pop[0];
		c->pop[0] = c->pop[1];
		c->pop[1] = t;
	}
	if (!c->m->plain && live(c) && nin == 2 && op >= 0x46 && op <= 0xa5 && op != 0x98 &&
	    c->pop[0].loc.kind == LOC_CONST) {
		/* constant right operand: immediate form (the constant's raw bits;
		 * i32 and f32 constants are kept zero-extended) */
		uint32_t a;
		size_t at;
		bool acc;
		if (!opnd(c, 1, &a))
			return false;
		acc = acc_of(c, 1) == 1 && has_form(c, IOP_IA_BASE + (op - 0x46u));
		at = c->n;
		if (!put_op(c, (acc ? IOP_IA_BASE : IOP_IMM_BASE) + (op - 0x46u)) ||
		    !put_2(c, home(c, c->nvs - 1), a) || !put_u64(c, c->pop[0].loc.v))
			return false;
		produced(c, at, IOP_IMM_BASE + (op - 0x46u), acc);
		if (op == 0x6a)
			c->add_at = at;
		return true;
	}
	if (nin == 2 && op >= 0x46 && op <= 0xa5) {
		if (!c->m->plain && live(c) && c->pop[0].loc.kind != LOC_TEMP &&
		    c->pop[1].loc.kind == LOC_TEMP && c->pop[1].idx == c->last_idx &&
		    commutative(op)) {
			/* the left operand just computed (a load, an op with a
			 * constant): swap, for the M and II forms */
			struct popped t = c->pop[0];
			c->pop[0] = c->pop[1];
			c->pop[1] = t;
		}
		if (!emit_mem_operand(c, op, &done))
			return false;
		if (!done && !emit_imm_operand(c, op, &done))
			return false;
		if (done)
			return true;
	}
	return emit_op(c, op, nin, true, 0, 0, 0);
}

static bool push_ctl(struct comp *c, uint8_t kind, const struct wasm_functype *ft,
		     enum wasm_valtype single, bool has_single)
{
	struct ctl *f;
	bool emit_ = c->ncs == 0 || live(c);

	if (c->ncs >= c->m->lim.max_block_depth + 1)
		return fail(c, WASM_ERR_LIMIT, "blocks nested too deeply");
	if (c->ncs == c->capcs) {
		uint32_t cap = c->capcs ? c->capcs * 2 : 16;
		struct ctl *p = realloc(c->cs, cap * sizeof(*p));
		if (!p)
			return fail(c, WASM_ERR_NOMEM, "out of memory");
		c->cs = p;
		c->capcs = cap;
	}
	f = &c->cs[c->ncs++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->emit = emit_;
	f->chain = NOLINK;
	f->else_fix = NOLINK;
	if (ft) {
		f->nparams = ft->nparams;
		f->params = ft->params;
		f->nresults = ft->nresults;
		f->results = ft->results;
	} else if (has_single) {
		f->single = single;
		f->nresults = 1;
		f->results = NULL;
	}
	f->ticks0 = c->ticks;
	f->fuel_chain = NOLINK;
	f->height = c->nvs; /* params are popped by the caller */
	f->start = c->n;
	return true;
}

/* Result types of frame f (valid until the control stack grows). */
static const enum wasm_valtype *results_of(const struct ctl *f)
{
	return f->results ? f->results : &f->single;
}

/* Label types of frame f: params for loops, results otherwise. */
static void label_types(const struct ctl *f, const enum wasm_valtype **ts, uint32_t *n)
{
	if (f->kind == 0x03) {
		*ts = f->params;
		*n = f->nparams;
	} else {
		*ts = results_of(f);
		*n = f->nresults;
	}
}

static bool set_unreachable(struct comp *c)
{
	struct ctl *f = &c->cs[c->ncs - 1];

	c->nvs = f->height;
	if (c->pend_lo > c->nvs)
		c->pend_lo = c->nvs;
	f->unreachable = true;
	return true;
}

/* Check the top operands against ts, leaving them (typed, in their home
 * slots: callers flush first) on the stack. */
static bool check_top(struct comp *c, const enum wasm_valtype *ts, uint32_t n)
{
	return pop_types(c, ts, n) && push_types(c, ts, n);
}

/* Check the top operands against ts without changing the stack (br_table:
 * in unreachable code each label may see different types). */
static bool peek_types(struct comp *c, const enum wasm_valtype *ts, uint32_t n)
{
	const struct ctl *f = &c->cs[c->ncs - 1];

	for (uint32_t i = 0; i < n; i++) {
		uint8_t want = (uint8_t)ts[n - 1 - i], t;
		if (c->nvs - f->height <= i) {
			if (f->unreachable)
				continue;
			return invalid(c, "type mismatch: operand stack empty");
		}
		t = c->vs[c->nvs - 1 - i];
		if (t && t != want)
			return invalid(c, "type mismatch");
	}
	return true;
}

static bool read_blocktype(struct comp *c, const struct wasm_functype **ft,
			   enum wasm_valtype *single, bool *has_single)
{
	struct wasm_reader *r = c->r;
	int64_t idx;

	*ft = NULL;
	*has_single = false;
	if (r->p >= r->end) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "unexpected end");
		return false;
	}
	if (*r->p == 0x40) {
		r->p++;
		return true;
	}
	if (wasm_is_valtype(*r->p)) {
		*single = (enum wasm_valtype)*r->p++;
		*has_single = true;
		return true;
	}
	if (*r->p == 0x7b)
		return invalid(c, "simd is not supported (v128 block type)");
	if (!wasm_rd_s33(r, &idx))
		return false;
	if (idx < 0)
		return fail(c, WASM_ERR_MALFORMED, "malformed block type");
	if ((uint64_t)idx >= c->m->ntypes)
		return invalid(c, "unknown type");
	*ft = c->m->types[idx];
	return true;
}

/* ---- branches --------------------------------------------------------- */

/* Frame of label depth l, or NULL after recording an error. */
static struct ctl *label(struct comp *c, uint32_t l)
{
	if (l >= c->ncs) {
		invalid(c, "unknown label");
		return NULL;
	}
	return &c->cs[c->ncs - 1 - l];
}

/* Inverse of an i32 comparison opcode (0x46..0x4f). */
static uint8_t cmp_inverse(uint8_t op)
{
	static const uint8_t inv[10] = { 0x47, 0x46, 0x4e, 0x4f, 0x4c, 0x4d, 0x4a, 0x4b, 0x48, 0x49 };

	return inv[op - 0x46];
}

/*
 * The condition just popped (pop[0]) was computed by the last op, an i32
 * comparison or eqz: remove that op and return it through *op with its
 * operands, so the caller can branch on the comparison directly.
 * *kind: 1 = compare {a,b}, 2 = compare with immediate {a} imm, 3 = eqz {a}.
 */
static bool take_compare(struct comp *c, int *kind, uint8_t *op, uint32_t *a, uint32_t *b,
			 uint64_t *imm)
{
	unsigned code = c->last_code;
	const union wasm_cell *cell;

	if (c->m->plain || c->last_op == NOLINK || c->pop[0].loc.kind != LOC_TEMP ||
	    c->pop[0].idx != c->last_idx)
		return false;
	cell = &c->code[c->last_op];
	if (code >= 0x46 && code <= 0x4f) {
		*kind = 1;
		*op = (uint8_t)code;
		*a = cell[1].s[1];
		*b = cell[2].s[0];
	} else if (code >= IOP_IMM_BASE && code <= IOP_IMM_BASE + (0x4f - 0x46)) {
		*kind = 2;
		*op = (uint8_t)(code - IOP_IMM_BASE + 0x46);
		*a = cell[1].s[1];
		*imm = cell[2].u64;
	} else if (code == 0x45) {
		*kind = 3;
		*op = 0x45;
		*a = cell[1].s[1];
	} else {
		return false;
	}
	unemit(c, c->last_op);
	c->last_op = NOLINK;
	c->last_dst = NOLINK;
	return true;
}

/* The comparison with its operands swapped (a < b is b > a). */
static uint8_t cmp_mirror(uint8_t op)
{
	switch (op) {
	case 0x48: /* lt_s */
	case 0x49: /* lt_u */
		return (uint8_t)(op + 2);
	case 0x4a: /* gt_s */
	case 0x4b: /* gt_u */
		return (uint8_t)(op - 2);
	case 0x4c: /* le_s */
	case 0x4d: /* le_u */
		return (uint8_t)(op + 2);
	case 0x4e: /* ge_s */
	case 0x4f: /* ge_u */
		return (uint8_t)(op - 2);
	default: /* eq, ne */
		return op;
	}
}

/* Whether the op right before the compare just taken back (take_compare)
 * is an i32 add-immediate writing the compare's first operand slot a. */
static bool add_before(const struct comp *c, uint32_t a)
{
	return !c->m->plain && c->add_at != NOLINK && c->add_at + 3 == c->n &&
	       c->code[c->add_at + 1].s[0] == a;
}

/*
 * Emit a branch to f; cond: br_if with its condition in pop[0] (already
 * popped), negate: branch when the condition is false (if).  Stack values
 * must be in their home slots.
 */
static bool emit_branch(struct comp *c, struct ctl *f, bool cond, bool negate, size_t *off_cell)
{
	const enum wasm_valtype *ts;
	uint32_t n, cur, dst, cs = 0, a = 0, b = 0;
	uint64_t imm = 0;
	size_t skip;
	int kind;
	uint8_t op;
	bool lp = f->kind == 0x03; /* back to a loop: the branch charges its fuel */

	if (!live(c))
		return true;
	label_types(f, &ts, &n);
	cur = home(c, c->nvs); /* operand height at the branch (condition popped) */
	dst = home(c, f->height);
	if (!cond) {
		if (f->kind == 0)
			return put_return(c, cur - n, n);
		if (lp)
			return put_moves(c, dst, cur - n, cur == dst + n ? 0 : n) && put_br_loop(c, f);
		if (cur == dst + n)
			return put_op(c, IOP_BR) && put_target(c, f);
		return put_op(c, IOP_BR_MOVE) && put_target(c, f) && put_2(c, dst, cur - n) &&
		       put_u64(c, n);
	}
	if ((cur == dst + n || negate) && take_compare(c, &kind, &op, &a, &b, &imm)) {
		if (kind == 3) {
			/* eqz: branch when a is zero (or, negated, non-zero) */
			unsigned iop = negate ? IOP_BR_IF : IOP_BR_IF_NOT;
			if (lp)
				iop = negate ? IOP_BR_IF_LOOP : IOP_BR_IF_NOT_LOOP;
			if (!put_op(c, iop))
				return false;
			*off_cell = c->n;
			return put_target(c, f) && put_2(c, a, 0) && (!lp || put_loop_fuel(c, f));
		}
		if (negate)
			op = cmp_inverse(op);
		if (lp && kind == 1 && add_before(c, b) && !add_before(c, a)) {
			/* the add wrote the second operand: mirror the compare */
			uint32_t t = a;
			a = b;
			b = t;
			op = cmp_mirror(op);
		}
		if (lp && add_before(c, a)) {
			/* "x = y + k; compare x" back to a loop: one ACMPL/ACMPIL */
			const union wasm_cell add = c->code[c->add_at + 1];
			uint64_t k = c->code[c->add_at + 2].u64;
			c->n = c->add_at;
			if (!put_op(c, (kind == 1 ? IOP_ACMPL_BASE : IOP_ACMPIL_BASE) + (op - 0x46u)))
				return false;
			*off_cell = c->n;
			return put_target(c, f) && put_2(c, add.s[0], add.s[1]) &&
			       (kind == 1 ? put_2(c, b, 0) : put_u64(c, imm)) && put_u64(c, k) &&
			       put_loop_fuel(c, f);
		}
		if (kind == 1) {
			if (!put_op(c, (lp ? IOP_CMPL_BASE : IOP_CMP_BR_BASE) + (op - 0x46u)))
				return false;
			*off_cell = c->n;
			return put_target(c, f) && put_2(c, a, b) && (!lp || put_loop_fuel(c, f));
		}
		/* compare with an immediate */
		if (!put_op(c, (lp ? IOP_CMPIL_BASE : IOP_CMPI_BR_BASE) + (op - 0x46u)))
			return false;
		*off_cell = c->n;
		return put_target(c, f) && put_2(c, a, 0) && put_u64(c, imm) &&
		       (!lp || put_loop_fuel(c, f));
	}
	if (!opnd(c, 0, &cs))
		return false;
	if (negate || cur == dst + n) {
		unsigned iop = negate ? IOP_BR_IF_NOT : IOP_BR_IF;
		if (lp)
			iop = negate ? IOP_BR_IF_NOT_LOOP : IOP_BR_IF_LOOP;
		if (!put_op(c, iop))
			return false;
		*off_cell = c->n;
		return put_target(c, f) && put_2(c, cs, 0) && (!lp || put_loop_fuel(c, f));
	}
	if (!lp)
		return put_op(c, IOP_BR_IF_MOVE) && put_target(c, f) && put_2(c, cs, n) &&
		       put_2(c, dst, cur - n);
	/* back to a loop with values: when taken, move them and branch */
	if (!put_op(c, IOP_BR_IF_NOT))
		return false;
	skip = c->n;
	if (!put_u64(c, 0) || !put_2(c, cs, 0) || !put_moves(c, dst, cur - n, n) ||
	    !put_br_loop(c, f))
		return false;
	c->code[skip].i64 = (int64_t)c->n - (int64_t)skip;
	label_here(c);
	return true;
}

static bool op_br_table(struct comp *c)
{
	struct wasm_reader *r = c->r;
	uint32_t n, i, arity = 0, idx = 0;
	const enum wasm_valtype *ts;
	uint32_t nts;
	struct ctl *f;
	uint32_t *labels = NULL;
	bool ok = false;

	if (!wasm_rd_u32(r, &n))
		return false;
	if ((size_t)(r->end - r->p) < n)
		return fail(c, WASM_ERR_MALFORMED, "unexpected end");
	labels = malloc(((size_t)n + 1) * sizeof(*labels));
	if (!labels)
		return fail(c, WASM_ERR_NOMEM, "out of memory");
	for (i = 0; i <= n; i++)
		if (!wasm_rd_u32(r, &labels[i]))
			goto out;
	if (!pop(c, WASM_I32, NULL) || !flush_all(c))
		goto out;
	f = label(c, labels[n]);
	if (!f)
		goto out;
	label_types(f, &ts, &nts);
	arity = nts;
	for (i = 0; i <= n; i++) {
		const enum wasm_valtype *ts2;
		uint32_t n2;
		struct ctl *g = label(c, labels[i]);
		if (!g)
			goto out;
		label_types(g, &ts2, &n2);
		if (n2 != arity) {
			invalid(c, "type mismatch: br_table labels of different arity");
			goto out;
		}
		if (!peek_types(c, ts2, n2))
			goto out;
	}
	if (live(c)) {
		if (!opnd(c, 0, &idx) || !put_op(c, IOP_BR_TABLE) || !put_2(c, idx, arity) ||
		    !put_2(c, home(c, c->nvs) - arity, n))
			goto out;
		size_t table = c->n;
		for (i = 0; i <= n; i++) {
			struct ctl *g = &c->cs[c->ncs - 1 - labels[i]];
			if (g->kind == 0x03) {
				/* to a loop: through a BR_LOOP after the table */
				if (!reserve(c, 1))
					goto out;
				c->code[c->n++].i64 = 0;
			} else if (!put_target(c, g)) {
				goto out;
			}
			if (!put_2(c, home(c, g->height), 0))
				goto out;
		}
		for (i = 0; i <= n; i++) {
			struct ctl *g = &c->cs[c->ncs - 1 - labels[i]];
			size_t e = table + 2 * (size_t)i;
			if (g->kind != 0x03)
				continue;
			c->code[e].i64 = (int64_t)c->n - (int64_t)e;
			if (!put_br_loop(c, g))
				goto out;
		}
	}
	if (!pop_types(c, ts, nts))
		goto out;
	set_unreachable(c);
	ok = true;
out:
	free(labels);
	return ok;
}

/* ---- memory and the 0xfc prefix ---------------------------------------- */

static bool need_memory(struct comp *c)
{
	if (c->m->nmems == 0)
		return invalid(c, "unknown memory 0");
	return true;
}

/*
 * A full-width store of the value the M-form op just computed, to the
 * address that op loaded from: the op stores its result itself (its RMW
 * form, "mem[a] = x op mem[a]") and the store is not emitted.
 */
static bool store_back(struct comp *c, uint8_t op, uint32_t offset)
{
	static const uint8_t store_of[4] = { 0x36, 0x37, 0x38, 0x39 }; /* i32 i64 f32 f64 */
	const union wasm_cell *cell;
	unsigned code = c->last_code, iop, bop;

	if (!last_made_b(c) || c->pop[1].loc.kind != LOC_LOCAL || code < IOP_M_BASE ||
	    code >= IOP_M_BASE + 96)
		return false;
	iop = code - IOP_M_BASE;
	bop = iop + 0x46;
	cell = &c->code[c->last_op];
	/* same address slot, no folded constant, same offset, and the op's
	 * result does not overwrite the address */
	if (cell[2].s[0] != (uint32_t)c->pop[1].loc.v || cell[2].s[1] != 0 ||
	    cell[3].u64 != offset || cell[1].s[0] == cell[2].s[0])
		return false;
	if (op != store_of[bop <= 0x78 ? 0 : bop <= 0x8a ? 1 : bop <= 0x98 ? 2 : 3] ||
	    !has_form(c, IOP_RMW_BASE + iop))
		return false;
	c->code[c->last_op].op =
		c->lbl[(c->last_form ? IOP_RMWA_BASE : IOP_RMW_BASE) + iop];
	c->last_op = NOLINK;
	c->last_dst = NOLINK;
	return true;
}

static bool op_memory(struct comp *c, uint8_t op)
{
	uint32_t align, offset;
	enum wasm_valtype t = letter_type(memsig[op][1]);

	if (!wasm_rd_u32(c->r, &align) || !wasm_rd_u32(c->r, &offset))
		return false;
	if (!need_memory(c))
		return false;
	if (align > (uint32_t)memsig[op][0])
		return invalid(c, "alignment must not be larger than natural");
	if (op <= 0x35) {
		if (!pop(c, WASM_I32, NULL) || !push(c, t))
			return false;
		if (!c->m->plain && live(c) && c->last_op != NOLINK && c->pop[0].loc.kind == LOC_TEMP &&
		    c->pop[0].idx == c->last_idx &&
		    c->last_code == IOP_IMM_BASE + (0x6a - 0x46)) {
			/* the address is "a + k" just computed: fold the add in */
			uint32_t a = c->code[c->last_op + 1].s[1];
			uint64_t k = c->code[c->last_op + 2].u64;
			size_t at = c->last_op;
			/* the add read a from acc: so does the load (its producer
			 * now runs right before the load) */
			bool acc = c->last_form == 1;
			unemit(c, at);
			if (!put_op(c, (acc ? IOP_KA_BASE : IOP_LOADK_BASE) + (op - 0x28u)) ||
			    !put_2(c, home(c, c->nvs - 1), a) || !put_u64(c, k) ||
			    !put_u64(c, offset))
				return false;
			produced(c, at, IOP_LOADK_BASE + (op - 0x28u), acc);
			return true;
		}
		return emit_op(c, op, 1, true, 1, offset, 0);
	}
	if (!pop(c, t, NULL) || !pop(c, WASM_I32, NULL))
		return false;
	if (store_back(c, op, offset))
		return true;
	return emit_op(c, op, 2, false, 1, offset, 0);
}

static bool table_idx(struct comp *c, uint32_t *idx)
{
	if (!wasm_rd_u32(c->r, idx))
		return false;
	if (*idx >= c->m->ntables)
		return invalid(c, "unknown table");
	return true;
}

static bool zero_byte(struct comp *c)
{
	uint8_t zero;

	if (!wasm_rd_u8(c->r, &zero))
		return false;
	if (zero != 0)
		return fail(c, WASM_ERR_MALFORMED, "zero byte expected");
	return true;
}

static bool pop3_i32(struct comp *c)
{
	return pop(c, WASM_I32, NULL) && pop(c, WASM_I32, NULL) && pop(c, WASM_I32, NULL);
}

static bool op_fc(struct comp *c)
{
	uint32_t sub, a, b;
	const struct wasm_module *m = c->m;
	unsigned op;

	if (!wasm_rd_u32(c->r, &sub))
		return false;
	op = IOP_FC_BASE + sub;
	switch (sub) {
	case 0 ... 7: {
		static const char sig[8][2] = { "fi", "fi", "Fi", "Fi", "fI", "fI", "FI", "FI" };
		if (!pop(c, letter_type(sig[sub][0]), NULL) || !push(c, letter_type(sig[sub][1])))
			return false;
		return emit_op(c, op, 1, true, 0, 0, 0);
	}
	case 8: /* memory.init */
		if (!wasm_rd_u32(c->r, &a) || !zero_byte(c) || !need_memory(c))
			return false;
		if (!m->has_datacount)
			return fail(c, WASM_ERR_MALFORMED, "data count section required");
		if (a >= m->datacount)
			return invalid(c, "unknown data segment");
		if (!pop3_i32(c))
			return false;
		return emit_op(c, op, 3, false, 1, a, 0);
	case 9: /* data.drop */
		if (!wasm_rd_u32(c->r, &a))
			return false;
		if (!m->has_datacount)
			return fail(c, WASM_ERR_MALFORMED, "data count section required");
		if (a >= m->datacount)
			return invalid(c, "unknown data segment");
		return emit_op(c, op, 0, false, 1, a, 0);
	case 10: /* memory.copy */
		if (!zero_byte(c) || !zero_byte(c) || !need_memory(c) || !pop3_i32(c))
			return false;
		return emit_op(c, op, 3, false, 0, 0, 0);
	case 11: /* memory.fill */
		if (!zero_byte(c) || !need_memory(c) || !pop3_i32(c))
			return false;
		return emit_op(c, op, 3, false, 0, 0, 0);
	case 12: /* table.init elem table */
		if (!wasm_rd_u32(c->r, &a) || !table_idx(c, &b))
			return false;
		if (a >= m->nelems)
			return invalid(c, "unknown elem segment");
		if (m->elems[a].type != m->tables[b].elem)
			return invalid(c, "type mismatch: table.init");
		if (!pop3_i32(c))
			return false;
		return emit_op(c, op, 3, false, 2, a, b);
	case 13: /* elem.drop */
		if (!wasm_rd_u32(c->r, &a))
			return false;
		if (a >= m->nelems)
			return invalid(c, "unknown elem segment");
		return emit_op(c, op, 0, false, 1, a, 0);
	case 14: /* table.copy dst src */
		if (!table_idx(c, &a) || !table_idx(c, &b))
			return false;
		if (m->tables[a].elem != m->tables[b].elem)
			return invalid(c, "type mismatch: table.copy");
		if (!pop3_i32(c))
			return false;
		return emit_op(c, op, 3, false, 2, a, b);
	case 15: /* table.grow */
		if (!table_idx(c, &a))
			return false;
		if (!pop(c, WASM_I32, NULL) || !pop(c, (uint8_t)m->tables[a].elem, NULL) ||
		    !push(c, WASM_I32))
			return false;
		return emit_op(c, op, 2, true, 1, a, 0);
	case 16: /* table.size */
		if (!table_idx(c, &a) || !push(c, WASM_I32))
			return false;
		return emit_op(c, op, 0, true, 1, a, 0);
	case 17: /* table.fill */
		if (!table_idx(c, &a))
			return false;
		if (!pop(c, WASM_I32, NULL) || !pop(c, (uint8_t)m->tables[a].elem, NULL) ||
		    !pop(c, WASM_I32, NULL))
			return false;
		return emit_op(c, op, 3, false, 1, a, 0);
	default:
		return fail(c, WASM_ERR_MALFORMED, "illegal opcode 0xfc");
	}
}

/* ---- the instruction loop ---------------------------------------------- */

static bool op_end(struct comp *c, bool *done)
{
	struct ctl *f = &c->cs[c->ncs - 1];
	struct ctl saved;

	if (f->kind == 0x04 && f->nparams != f->nresults)
		return invalid(c, "type mismatch: if without else");
	if (f->kind == 0x04) {
		for (uint32_t i = 0; i < f->nparams; i++)
			if (f->params[i] != results_of(f)[i])
				return invalid(c, "type mismatch: if without else");
	}
	if (!flush_all(c) || !pop_types(c, results_of(f), f->nresults))
		return false;
	if (c->nvs != f->height)
		return invalid(c, "type mismatch: values remaining on the stack at end of block");
	saved = *f;
	label_here(c);
	if (saved.kind == 0) {
		patch_chain(c, saved.chain, c->n);
		if (saved.emit && !put_return(c, home(c, 0), saved.nresults))
			return false;
		c->ncs--;
		*done = true;
		return true;
	}
	if (saved.else_fix != NOLINK)
		c->code[saved.else_fix].i64 = (int64_t)c->n - (int64_t)saved.else_fix;
	patch_chain(c, saved.chain, c->n);
	c->ncs--;
	/* the branches back to a loop charge its whole body */
	for (size_t at = saved.kind == 0x03 ? saved.fuel_chain : NOLINK; at != NOLINK;) {
		size_t next = c->code[at].u64 ? c->code[at].u64 - 1 : NOLINK;
		c->code[at].u64 = c->ticks - saved.ticks0;
		at = next;
	}
	return push_types(c, results_of(&saved), saved.nresults);
}

static bool op_else(struct comp *c)
{
	struct ctl *f = &c->cs[c->ncs - 1];

	if (f->kind != 0x04)
		return invalid(c, "else without if");
	if (!flush_all(c) || !pop_types(c, results_of(f), f->nresults))
		return false;
	if (c->nvs != f->height)
		return invalid(c, "type mismatch: values remaining on the stack at else");
	if (live(c) && (!put_op(c, IOP_BR) || !put_target(c, f)))
		return false;
	label_here(c);
	if (f->else_fix != NOLINK) {
		c->code[f->else_fix].i64 = (int64_t)c->n - (int64_t)f->else_fix;
		f->else_fix = NOLINK;
	}
	f->kind = 0x05;
	f->unreachable = false;
	return push_types(c, f->params, f->nparams);
}

/* call / call_indirect: the arguments sit in their home slots, the callee's
 * frame starts at the first of them. */
static bool op_call(struct comp *c, const struct wasm_functype *ft, unsigned iop, uint64_t i0,
		    uint64_t i1, bool indirect)
{
	uint32_t idx = 0, argbase;

	if (indirect && !pop(c, WASM_I32, NULL))
		return false;
	if (!flush_all(c))
		return false;
	if (indirect && live(c) && !opnd(c, 0, &idx))
		return false;
	if (!pop_types(c, ft->params, ft->nparams))
		return false;
	argbase = home(c, c->nvs);
	if (!push_types(c, ft->results, ft->nresults))
		return false;
	if (!live(c))
		return true;
	if (!indirect && i0 >= c->m->nfunc_imports) {
		/* a function of this module: its code, in the caller's instance */
		union wasm_cell cell;
		size_t *calls;
		cell.ptr = (uintptr_t)&c->m->codes[i0 - c->m->nfunc_imports];
		if (c->ncalls == c->capcalls) {
			size_t cap = c->capcalls ? 2 * c->capcalls : 8;
			calls = realloc(c->calls, cap * sizeof(*calls));
			if (!calls)
				return fail(c, WASM_ERR_NOMEM, "out of memory");
			c->calls = calls;
			c->capcalls = cap;
		}
		if (!put_op(c, IOP_CALL_LOCAL))
			return false;
		c->calls[c->ncalls++] = c->n;
		/* the callee's cells: filled in by load.c */
		return put_u64(c, cell.u64) && put_2(c, argbase, 0) && put_u64(c, 0);
	}
	if (!put_op(c, iop) || !put_u64(c, i0))
		return false;
	if (indirect)
		return put_u64(c, i1) && put_2(c, argbase, idx);
	return put_2(c, argbase, 0);
}

static bool op_select(struct comp *c, bool typed)
{
	uint8_t t1, t2;
	uint32_t n;
	enum wasm_valtype t;

	if (typed) {
		if (!wasm_rd_u32(c->r, &n))
			return false;
		if (n != 1)
			return invalid(c, "invalid result arity");
		if (c->r->p >= c->r->end)
			return fail(c, WASM_ERR_MALFORMED, "unexpected end");
		if (*c->r->p == 0x7b)
			return invalid(c, "simd is not supported");
		if (!wasm_is_valtype(*c->r->p))
			return fail(c, WASM_ERR_MALFORMED, "malformed value type");
		t = (enum wasm_valtype)*c->r->p++;
		if (!pop(c, WASM_I32, NULL) || !pop(c, (uint8_t)t, NULL) ||
		    !pop(c, (uint8_t)t, NULL) || !push(c, (uint8_t)t))
			return false;
		return emit_op(c, IOP_SELECT, 3, true, 0, 0, 0);
	}
	if (!pop(c, WASM_I32, NULL) || !pop(c, 0, &t1) || !pop(c, 0, &t2))
		return false;
	if (t1 == WASM_FUNCREF || t1 == WASM_EXTERNREF || t2 == WASM_FUNCREF ||
	    t2 == WASM_EXTERNREF)
		return invalid(c, "type mismatch: select on reference types needs a type");
	if (t1 && t2 && t1 != t2)
		return invalid(c, "type mismatch: select operands differ");
	if (!push(c, t1 ? t1 : t2))
		return false;
	return emit_op(c, IOP_SELECT, 3, true, 0, 0, 0);
}

static bool local_idx(struct comp *c, uint32_t *idx)
{
	if (!wasm_rd_u32(c->r, idx))
		return false;
	if (*idx >= c->nlocals)
		return invalid(c, "unknown local");
	return true;
}

static bool global_idx(struct comp *c, uint32_t *idx)
{
	if (!wasm_rd_u32(c->r, idx))
		return false;
	if (*idx >= c->m->nglobals)
		return invalid(c, "unknown global");
	return true;
}

/* local.set / local.tee x of the value popped into pop[0]. */
static bool op_local_set(struct comp *c, uint32_t x, bool tee)
{
	struct popped *p = &c->pop[0];

	if (live(c) && p->loc.kind == LOC_CONST && p->loc.v == 0 && c->entry &&
	    x >= c->type->nparams && !c->written[x]) {
		/* zeroing a local that still holds its initial zero */
	} else if (live(c)) {
		bool fresh = !c->m->plain && p->loc.kind == LOC_TEMP && c->last_dst != NOLINK &&
			     c->last_idx == p->idx;
		c->written[x] = 1;
		if (!flush_local(c, x))
			return false;
		if (fresh && c->last_dst != NOLINK) {
			/* the op that computed the value writes the local directly */
			c->code[c->last_dst].s[0] = x;
			c->last_op = NOLINK;
			c->last_dst = NOLINK;
		} else if (p->loc.kind == LOC_CONST) {
			if (!put_op(c, IOP_CONST) || !put_2(c, x, 0) || !put_u64(c, p->loc.v))
				return false;
		} else {
			uint32_t src = p->loc.kind == LOC_LOCAL ? (uint32_t)p->loc.v : home(c, p->idx);
			if (src != x && !put_copy(c, x, src))
				return false;
		}
	}
	if (tee)
		return push_loc(c, (uint8_t)c->locals[x], LOC_LOCAL, x);
	return true;
}

static bool instr(struct comp *c, uint8_t op, bool *done)
{
	struct wasm_reader *r = c->r;
	const struct wasm_module *m = c->m;
	const struct wasm_functype *ft;
	enum wasm_valtype single;
	bool has_single;
	uint32_t a, b;
	int32_t i32;
	int64_t i64;
	const uint8_t *bytes;
	uint64_t v;
	struct ctl *f;
	uint8_t got;
	size_t off_cell = NOLINK;

	c->npop = 0;
	/* values popped since are gone (their indexes may be reused) */
	if (c->acc_idx[0] != NOIDX && c->acc_idx[0] >= c->nvs)
		c->acc_idx[0] = NOIDX;
	if (c->acc_idx[1] != NOIDX && c->acc_idx[1] >= c->nvs)
		c->acc_idx[1] = NOIDX;
	if (op != 0x0b)
		tick(c);
	if (numsig[op][2]) {
		uint32_t nin = numsig[op][1] ? 2 : 1;
		if (nin == 2 && !pop(c, (uint8_t)letter_type(numsig[op][1]), NULL))
			return false;
		if (!pop(c, (uint8_t)letter_type(numsig[op][0]), NULL) ||
		    !push(c, (uint8_t)letter_type(numsig[op][2])))
			return false;
		return emit_numeric(c, op, nin);
	}
	if (op >= 0x28 && op <= 0x3e)
		return op_memory(c, op);
	switch (op) {
	case 0x00: /* unreachable */
		if (live(c) && !put_op(c, 0x00))
			return false;
		return set_unreachable(c);
	case 0x01:
		return true;
	case 0x02: /* block */
	case 0x03: /* loop */
		if (!read_blocktype(c, &ft, &single, &has_single) || !flush_all(c))
			return false;
		if (ft && !pop_types(c, ft->params, ft->nparams))
			return false;
		if (!push_ctl(c, op, ft, single, has_single))
			return false;
		if (ft && !push_types(c, ft->params, ft->nparams))
			return false;
		if (op == 0x03 && c->cs[c->ncs - 1].emit)
			label_here(c);
		return true;
	case 0x04: /* if */
		if (!read_blocktype(c, &ft, &single, &has_single) || !pop(c, WASM_I32, NULL))
			return false;
		if (!flush_all(c))
			return false;
		{
			bool was_live = live(c);
			struct ctl tmp = { .kind = 0x04, .chain = NOLINK };
			/* branch to the else arm when the condition is false */
			if (was_live && !emit_branch(c, &tmp, true, true, &off_cell))
				return false;
			if (ft && !pop_types(c, ft->params, ft->nparams))
				return false;
			if (!push_ctl(c, op, ft, single, has_single))
				return false;
			f = &c->cs[c->ncs - 1];
			if (was_live)
				f->else_fix = off_cell;
		}
		if (ft && !push_types(c, ft->params, ft->nparams))
			return false;
		return true;
	case 0x05:
		return op_else(c);
	case 0x0b:
		return op_end(c, done);
	case 0x0c: /* br */
	case 0x0d: /* br_if */
		if (!wasm_rd_u32(r, &a))
			return false;
		if (op == 0x0d && !pop(c, WASM_I32, NULL))
			return false;
		if (!flush_all(c))
			return false;
		f = label(c, a);
		if (!f)
			return false;
		{
			const enum wasm_valtype *ts;
			uint32_t n;
			label_types(f, &ts, &n);
			if (!peek_types(c, ts, n))
				return false;
			if (!emit_branch(c, f, op == 0x0d, false, &off_cell))
				return false;
			if (op == 0x0c)
				return pop_types(c, ts, n) && set_unreachable(c);
			/* br_if: the operands stay, typed as the label says */
			return check_top(c, ts, n);
		}
	case 0x0e:
		return op_br_table(c);
	case 0x0f: /* return */
		if (!flush_all(c) || !peek_types(c, c->type->results, c->type->nresults))
			return false;
		if (live(c) && !put_return(c, home(c, c->nvs) - c->type->nresults,
					    c->type->nresults))
			return false;
		return set_unreachable(c);
	case 0x10: /* call */
		if (!wasm_rd_u32(r, &a))
			return false;
		if (a >= m->nfuncs)
			return invalid(c, "unknown function");
		return op_call(c, m->types[m->func_types[a]], IOP_CALL, a, 0, false);
	case 0x11: /* call_indirect */
		if (!wasm_rd_u32(r, &a) || !wasm_rd_u32(r, &b))
			return false;
		if (b >= m->ntables)
			return invalid(c, "unknown table");
		if (a >= m->ntypes)
			return invalid(c, "unknown type");
		if (m->tables[b].elem != WASM_FUNCREF)
			return invalid(c, "type mismatch: call_indirect on a non-funcref table");
		return op_call(c, m->types[a], IOP_CALL_INDIRECT, a, b, true);
	case 0x1a: /* drop */
		return pop(c, 0, NULL);
	case 0x1b:
	case 0x1c:
		return op_select(c, op == 0x1c);
	case 0x20:
		if (!local_idx(c, &a))
			return false;
		return push_loc(c, (uint8_t)c->locals[a], LOC_LOCAL, a);
	case 0x21:
	case 0x22:
		if (!local_idx(c, &a) || !pop(c, (uint8_t)c->locals[a], NULL))
			return false;
		return op_local_set(c, a, op == 0x22);
	case 0x23:
		if (!global_idx(c, &a) || !push(c, (uint8_t)m->globals[a].type))
			return false;
		return emit_op(c, 0x23, 0, true, 1, a, 0);
	case 0x24:
		if (!global_idx(c, &a))
			return false;
		if (!m->globals[a].mut)
			return invalid(c, "global is immutable");
		if (!pop(c, (uint8_t)m->globals[a].type, NULL))
			return false;
		return emit_op(c, 0x24, 1, false, 1, a, 0);
	case 0x25: /* table.get */
		if (!table_idx(c, &a) || !pop(c, WASM_I32, NULL) ||
		    !push(c, (uint8_t)m->tables[a].elem))
			return false;
		return emit_op(c, 0x25, 1, true, 1, a, 0);
	case 0x26: /* table.set */
		if (!table_idx(c, &a) || !pop(c, (uint8_t)m->tables[a].elem, NULL) ||
		    !pop(c, WASM_I32, NULL))
			return false;
		return emit_op(c, 0x26, 2, false, 1, a, 0);
	case 0x3f: /* memory.size */
	case 0x40: /* memory.grow */
		if (!zero_byte(c) || !need_memory(c))
			return false;
		if (op == 0x40 && !pop(c, WASM_I32, NULL))
			return false;
		if (!push(c, WASM_I32))
			return false;
		return emit_op(c, op, op == 0x40 ? 1 : 0, true, 0, 0, 0);
	case 0x41:
		if (!wasm_rd_s32(r, &i32))
			return false;
		return push_loc(c, WASM_I32, LOC_CONST, (uint32_t)i32);
	case 0x42:
		if (!wasm_rd_s64(r, &i64))
			return false;
		return push_loc(c, WASM_I64, LOC_CONST, (uint64_t)i64);
	case 0x43:
		if (!wasm_rd_bytes(r, 4, &bytes))
			return false;
		v = (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
		    (uint32_t)bytes[3] << 24;
		return push_loc(c, WASM_F32, LOC_CONST, v);
	case 0x44:
		if (!wasm_rd_bytes(r, 8, &bytes))
			return false;
		v = 0;
		for (int k = 7; k >= 0; k--)
			v = v << 8 | bytes[k];
		return push_loc(c, WASM_F64, LOC_CONST, v);
	case 0xd0: /* ref.null t */
		if (!wasm_rd_u8(r, &got))
			return false;
		if (got != WASM_FUNCREF && got != WASM_EXTERNREF)
			return fail(c, WASM_ERR_MALFORMED, "malformed reference type");
		return push_loc(c, got, LOC_CONST, 0);
	case 0xd1: /* ref.is_null */
		if (!pop(c, 0, &got))
			return false;
		if (got && got != WASM_FUNCREF && got != WASM_EXTERNREF)
			return invalid(c, "type mismatch: ref.is_null on a non-reference");
		if (!push(c, WASM_I32))
			return false;
		return emit_op(c, 0xd1, 1, true, 0, 0, 0);
	case 0xd2: /* ref.func */
		if (!wasm_rd_u32(r, &a))
			return false;
		if (a >= m->nfuncs)
			return invalid(c, "unknown function");
		if (!m->func_declared[a])
			return invalid(c, "undeclared function reference");
		if (!push(c, WASM_FUNCREF))
			return false;
		return emit_op(c, 0xd2, 0, true, 1, a, 0);
	case 0xfc:
		return op_fc(c);
	case 0xfd:
		return invalid(c, "simd is not supported");
	default:
		return fail(c, WASM_ERR_MALFORMED, "illegal opcode");
	}
}

static bool read_locals(struct comp *c)
{
	struct wasm_reader *r = c->r;
	uint32_t ngroups, i, n;
	uint64_t total = c->type->nparams;
	const uint8_t *start;
	enum wasm_valtype t;

	if (!wasm_rd_u32(r, &ngroups))
		return false;
	start = r->p;
	for (i = 0; i < ngroups; i++) {
		if (!wasm_rd_u32(r, &n))
			return false;
		if (r->p >= r->end)
			return fail(c, WASM_ERR_MALFORMED, "unexpected end");
		if (*r->p == 0x7b)
			return invalid(c, "simd is not supported (v128 local)");
		if (!wasm_is_valtype(*r->p))
			return fail(c, WASM_ERR_MALFORMED, "malformed value type");
		r->p++;
		total += n;
		if (total > c->m->lim.max_locals)
			return fail(c, total > UINT32_MAX ? WASM_ERR_MALFORMED : WASM_ERR_LIMIT,
				    "too many locals");
	}
	c->nlocals = (uint32_t)total;
	c->locals = malloc(((size_t)total + 1) * sizeof(*c->locals));
	c->written = calloc((size_t)total + 1, 1);
	if (!c->locals || !c->written)
		return fail(c, WASM_ERR_NOMEM, "out of memory");
	memcpy(c->locals, c->type->params, c->type->nparams * sizeof(*c->locals));
	total = c->type->nparams;
	r->p = start;
	for (i = 0; i < ngroups; i++) {
		if (!wasm_rd_u32(r, &n))
			return false;
		t = (enum wasm_valtype)*r->p++;
		while (n--)
			c->locals[total++] = t;
	}
	return true;
}

int wasm_compile_function(struct wasm_reader *r, const struct wasm_module *m, uint32_t funcidx,
			  struct wasm_code *code)
{
	struct comp c = { .r = r, .m = m, .lbl = wasm_interp_labels(), .last_op = NOLINK,
			  .last_dst = NOLINK, .last_copy = NOLINK, .add_at = NOLINK,
			  .add_save = NOLINK, .entry = true,
			  .acc_idx = { NOIDX, NOIDX } };
	bool done = false;
	uint8_t op;

	c.type = m->types[m->func_types[funcidx]];
	c.funcidx = funcidx;
	if (!read_locals(&c))
		goto out;
	/* the function frame: its operands start above the locals */
	if (!push_ctl(&c, 0, NULL, 0, false))
		goto out;
	c.cs[0].nresults = c.type->nresults;
	c.cs[0].results = c.type->results;
	while (!done) {
		if (!wasm_rd_u8(r, &op))
			goto out;
		if (!instr(&c, op, &done))
			goto out;
	}
	if (r->p != r->end) {
		fail(&c, WASM_ERR_MALFORMED, "section size mismatch: code after function end");
		goto out;
	}
	code->nparams = c.type->nparams;
	code->nlocals = c.nlocals;
	code->max_slots = c.nlocals + c.maxvs + 2;
	/* the call charges for the whole body and for zeroing the locals
	 * (one unit per 8) */
	code->entry_fuel = c.ticks + (c.nlocals - c.type->nparams) / 8;
	code->cells = c.code;
	code->ncells = c.n;
	code->calls = c.calls;
	code->ncalls = c.ncalls;
	c.code = NULL;
	c.calls = NULL;
out:
	free(c.code);
	free(c.calls);
	free(c.vs);
	free(c.ls);
	free(c.cs);
	free(c.locals);
	free(c.written);
	return r->failed;
}
