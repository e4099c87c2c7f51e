#!/bin/sh
# ccctl exec: traps (134 + "trap: <reason>"), fuel, memory caps at
# instantiation, invalid modules and unresolvable imports (3), proc_exit,
# and raw WASI calls from hand-written modules.
. "$top_srcdir/tests/cli/lib.sh"

WAT2WASM=$(command -v wat2wasm) || skip "wat2wasm (wabt) not found"

# wat NAME [FLAG...]: assemble $T/NAME.wat into $T/NAME.wasm
wat() {
	name=$1
	shift
	"$WAT2WASM" "$@" -o "$T/$name.wasm" "$T/$name.wat" 2>"$T/wat.err" ||
		{ cat "$T/wat.err"; fail "cannot assemble $name.wat"; }
}

module() {
	cat >"$T/$1.wat"
	wat "$1"
}

module unreachable <<'W'
(module (memory (export "memory") 1)
  (func (export "_start") unreachable))
W
expect_exit 134 "$CCCTL" exec "$T/unreachable.wasm" && expect_grep "$T/err" "trap: " &&
	expect_grep "$T/err" "unreachable"

module divzero <<'W'
(module (memory (export "memory") 1)
  (func (export "_start") (drop (i32.div_s (i32.const 1) (i32.const 0)))))
W
expect_exit 134 "$CCCTL" exec "$T/divzero.wasm" && expect_grep "$T/err" "trap: " &&
	expect_grep "$T/err" "divide by zero"

module oob <<'W'
(module (memory (export "memory") 1)
  (func (export "_start") (drop (i32.load (i32.const 65535)))))
W
expect_exit 134 "$CCCTL" exec "$T/oob.wasm" && expect_grep "$T/err" "out of bounds memory access"

module recurse <<'W'
(module (memory (export "memory") 1)
  (func $f (call $f))
  (func (export "_start") (call $f)))
W
expect_exit 134 "$CCCTL" exec "$T/recurse.wasm" && expect_grep "$T/err" "trap: "

module loop <<'W'
(module (memory (export "memory") 1)
  (func (export "_start") (loop $l (br $l))))
W
expect_exit 134 "$CCCTL" exec --fuel 100000 "$T/loop.wasm" && expect_grep "$T/err" "trap: " &&
	expect_grep "$T/err" "fuel"
expect_exit 134 "$CCCTL" exec --stats --fuel 5000 "$T/loop.wasm" &&
	expect_grep "$T/err" "fuel used: "

# proc_exit with a code, and its errno results seen through exit codes
module exit7 <<'W'
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 7)) unreachable))
W
expect_exit 7 "$CCCTL" exec "$T/exit7.wasm"
CHECKS=$((CHECKS + 1))
[ ! -s "$T/err" ] || fail "proc_exit printed: $(cat "$T/err")"

# fd_write with an iovec whose length runs past the end of memory: EFAULT (21)
module efault <<'W'
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\f1\ff\00\00")
  (func (export "_start")
    (call $exit (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
W
expect_exit 21 "$CCCTL" exec "$T/efault.wasm"
CHECKS=$((CHECKS + 1))
[ ! -s "$T/out" ] || fail "a faulting write wrote something"

# path_open relative to stdout (not a folder, no rights): ENOTCAPABLE (76)
module notdir <<'W'
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "etc/passwd")
  (func (export "_start")
    (call $exit (call $open (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 10)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 64)))))
W
expect_exit 76 "$CCCTL" exec "$T/notdir.wasm"

# a program without memory calling fd_write: EFAULT, not a crash
module nomem <<'W'
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "_start")
    (call $exit (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
W
expect_exit 21 "$CCCTL" exec "$T/nomem.wasm"

# memory cap checked at instantiation
module bigmem <<'W'
(module (memory (export "memory") 100)
  (func (export "_start")))
W
expect_exit 0 "$CCCTL" exec "$T/bigmem.wasm"
expect_exit 134 "$CCCTL" exec --max-memory 1MiB "$T/bigmem.wasm" && expect_grep "$T/err" "trap: "

# memory.grow beyond the cap fails (-1) without trapping
module grow <<'W'
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $exit (i32.add (i32.const 10) (memory.grow (i32.const 100))))))
W
expect_exit 11 "$CCCTL" exec "$T/grow.wasm"
expect_exit 9 "$CCCTL" exec --max-memory 2MiB "$T/grow.wasm"

# invalid modules: 3 with the validator's message
printf 'not wasm at all' >"$T/garbage.wasm"
expect_exit 3 "$CCCTL" exec "$T/garbage.wasm" && expect_grep "$T/err" "invalid module"
printf '\000asm\001\000\000\000\001' >"$T/truncated.wasm"
expect_exit 3 "$CCCTL" exec "$T/truncated.wasm" && expect_grep "$T/err" "invalid module"
cat >"$T/typeerr.wat" <<'W'
(module (func (export "_start") (i32.add (i32.const 1) (i64.const 2)) drop))
W
wat typeerr --no-check
expect_exit 3 "$CCCTL" exec "$T/typeerr.wasm" && expect_grep "$T/err" "invalid module"

# imports that cannot be satisfied: 3
module unknown_import <<'W'
(module (import "env" "launch_missiles" (func))
  (func (export "_start")))
W
expect_exit 3 "$CCCTL" exec "$T/unknown_import.wasm" && expect_grep "$T/err" "launch_missiles"
module wrong_sig <<'W'
(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32)))
  (func (export "_start")))
W
expect_exit 3 "$CCCTL" exec "$T/wrong_sig.wasm"

# no _start
module nostart <<'W'
(module (func (export "main")))
W
expect_exit 3 "$CCCTL" exec "$T/nostart.wasm" && expect_grep "$T/err" "_start"
finish
