#!/bin/sh
# Every WASI function called with hostile arguments (pointers and lengths
# at and past the end of memory, huge counts, bad descriptors, odd paths):
# the program must run to its end, nothing may crash (the sanitizer build
# runs this too), and nothing may appear outside the mapped folder.
. "$top_srcdir/tests/cli/lib.sh"

WAT2WASM=$(command -v wat2wasm) || skip "wat2wasm (wabt) not found"

# name and core signature (i = i32, I = i64) of the 45 functions that
# return an errno; proc_exit ends the program.
SIGS="args_get:ii args_sizes_get:ii environ_get:ii environ_sizes_get:ii clock_res_get:ii
clock_time_get:iIi fd_advise:iIIi fd_allocate:iII fd_close:i fd_datasync:i fd_fdstat_get:ii
fd_fdstat_set_flags:ii fd_fdstat_set_rights:iII fd_filestat_get:ii fd_filestat_set_size:iI
fd_filestat_set_times:iIIi fd_pread:iiiIi fd_prestat_get:ii fd_prestat_dir_name:iii
fd_pwrite:iiiIi fd_read:iiii fd_readdir:iiiIi fd_renumber:ii fd_seek:iIii fd_sync:i fd_tell:ii
fd_write:iiii path_create_directory:iii path_filestat_get:iiiii
path_filestat_set_times:iiiiIIi path_link:iiiiiii path_open:iiiiiIIii path_readlink:iiiiii
path_remove_directory:iii path_rename:iiiiii path_symlink:iiiii path_unlink_file:iii
poll_oneoff:iiii proc_raise:i sched_yield: random_get:ii sock_accept:iii sock_recv:iiiiii
sock_send:iiiii sock_shutdown:ii"

# i32 values: small descriptors (3 = the mapped folder), pointers to the
# path strings below, the last bytes of the one page, past it, the top.
I32="3 0 1 2 4 16 24 65535 65528 65536 2147483647 4294967295 7 31"
I64="0 1 -1 9223372036854775807 4096"
{
	echo '(module'
	echo '  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))'
	for s in $SIGS; do
		name=${s%%:*}
		sig=${s#*:}
		params=$(echo "$sig" | sed 's/I/ L/g; s/i/ i32/g; s/L/i64/g')
		echo "  (import \"wasi_snapshot_preview1\" \"$name\" (func \$$name (param$params) (result i32)))"
	done
	echo '  (memory (export "memory") 1)'
	# path strings at 0 ("a"), 4 ("../x"), 16 ("/etc"), 24 ("d/"), 31 ("")
	echo '  (data (i32.const 0) "a\00\00\00../x\00\00\00\00\00\00\00\00/etc\00\00\00\00d/\00")'
	echo '  (func (export "_start")'
	for s in $SIGS; do
		name=${s%%:*}
		sig=${s#*:}
		n=${#sig}
		r=0
		while [ "$r" -lt 14 ]; do
			args=
			k=0
			while [ "$k" -lt "$n" ]; do
				t=$(echo "$sig" | cut -c$((k + 1)))
				if [ "$t" = I ]; then
					set -- $I64
					shift $(((r + k) % 5))
					args="$args (i64.const $1)"
				else
					set -- $I32
					shift $(((r + k) % 14))
					args="$args (i32.const $1)"
				fi
				k=$((k + 1))
			done
			echo "    (drop (call \$$name$args))"
			r=$((r + 1))
		done
	done
	echo '    (call $exit (i32.const 0)))'
	echo ')'
} >"$T/hostile.wat"
"$WAT2WASM" -o "$T/hostile.wasm" "$T/hostile.wat" 2>"$T/wat.err" ||
	{ cat "$T/wat.err"; fail "cannot assemble hostile.wat"; finish; }
CHECKS=$((CHECKS + 1))
[ "$(grep -c '(call \$' "$T/hostile.wat")" -ge 600 ] || fail "too few calls generated"

mkdir -p "$T/box" "$T/outside"
printf 'x' >"$T/box/a"
ln -s "$T/outside" "$T/box/d"
expect_exit 0 "$CCCTL" exec --dir "$T/box::/box" --env K=V "$T/hostile.wasm" -- arg
expect_no_grep "$T/err" "ccctl:"
CHECKS=$((CHECKS + 1))
[ -z "$(ls -A "$T/outside")" ] || fail "something was created outside the folder"
CHECKS=$((CHECKS + 1))
[ ! -e "$T/x" ] && [ ! -e "$T/box/../x" ] || fail "a file appeared next to the folder"
finish
