/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compile.h - function-body validation and compilation to internal code.
 */
#ifndef CCCTL_WASM_COMPILE_H
#define CCCTL_WASM_COMPILE_H

#include "reader.h"

/* Validate the body at r (locals + expression, exactly filling r) of
 * function funcidx and compile it into *code.  0 or the error code (the
 * message is recorded through r). */
int wasm_compile_function(struct wasm_reader *r, const struct wasm_module *m, uint32_t funcidx,
			  struct wasm_code *code);

/* Whether op is a defined single-byte opcode (validation vs. malformed). */
bool wasm_opcode_known(uint8_t op);
bool wasm_is_valtype(uint8_t t);

#endif
