#!/bin/sh
# The template programs, built natively (-DCCCTL_NATIVE, /input and /output
# relocated under $CCCTL_ROOT): each reproduces its expected/ results byte for
# byte from its sample data, and rejects malformed input with exit status 3,
# a message naming the file on stderr, and no output at all.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/templates-lib.sh"

bin() {
	echo "$top_builddir/templates/$1/programs/$(tpl_prog "$1")"
}

# run CODE NAME ROOT ARG...: run NAME's program on ROOT, expect exit CODE.
run() {
	code=$1 name=$2 root=$3
	shift 3
	expect_exit "$code" env CCCTL_ROOT="$root" "$(bin "$name")" "$@"
}

# run_default CODE NAME ROOT: with the topology's args.
run_default() {
	old_ifs=$IFS
	IFS='
'
	# shellcheck disable=SC2046
	set -- "$1" "$2" "$3" $(tpl_args "$2")
	IFS=$old_ifs
	run "$@"
}

# invalid NAME ROOT WHAT: the program fails with status 3, says WHAT on
# stderr and writes nothing.
invalid() {
	run_default 3 "$1" "$2" && expect_grep "$T/err" "$3"
	CHECKS=$((CHECKS + 1))
	[ -z "$(ls "$2/output")" ] || fail "$1: output written despite invalid input: $(ls "$2/output")"
}

names=$(tpl_names)
[ "$(echo "$names" | wc -l)" -ge 5 ] || fail "expected at least 5 templates, found: $names"

for t in $names; do
	[ -x "$(bin "$t")" ] || { fail "$t: $(bin "$t") not built"; continue; }
	r="$T/$t"

	# The sample data gives exactly the expected results, nothing on stdout.
	tpl_root "$t" "$r"
	run_default 0 "$t" "$r" && tpl_compare "$t" "$r/output"
	CHECKS=$((CHECKS + 1))
	[ -s "$T/out" ] && fail "$t: unexpected stdout: $(head -c 200 "$T/out")"
	# ... and the same again (no state, no clock, no randomness).
	tpl_root "$t" "$r"
	run_default 0 "$t" "$r" && tpl_compare "$t" "$r/output"

	# Generic malformations of every input file.
	for f in "$TPL_SRC/$t"/data/*; do
		f=$(basename "$f")
		tpl_root "$t" "$r"; : >"$r/input/$f"
		invalid "$t" "$r" "/input/$f"
		tpl_root "$t" "$r"; sed '1s/.*/bogus,header/' "$TPL_SRC/$t/data/$f" >"$r/input/$f"
		invalid "$t" "$r" "/input/$f:"
		tpl_root "$t" "$r"; printf 'x\0y\n' >>"$r/input/$f"
		invalid "$t" "$r" "NUL byte"
		tpl_root "$t" "$r"; printf 'a,b,c,d,e,f,g,h,i,j,k\n' >>"$r/input/$f"
		invalid "$t" "$r" "/input/$f:"
		tpl_root "$t" "$r"; printf '\n' >>"$r/input/$f"
		invalid "$t" "$r" "empty line"
		tpl_root "$t" "$r"; printf '"quoted"\n' >>"$r/input/$f"
		invalid "$t" "$r" "/input/$f:"
		tpl_root "$t" "$r"; rm "$r/input/$f"
		run_default 1 "$t" "$r" && expect_grep "$T/err" "/input/$f"
	done

	# Results cannot be written: failure, not a silent success.
	tpl_root "$t" "$r"; rmdir "$r/output"
	run_default 1 "$t" "$r" && expect_grep "$T/err" "/output/"
	# Arguments naming files outside /input, or one file twice.
	tpl_root "$t" "$r"
	run 2 "$t" "$r" /etc/passwd /input/x.csv && expect_grep "$T/err" "/etc/passwd"
	run 2 "$t" "$r" /input/../etc/passwd /input/x.csv
done

# An input over the 16 MiB bound.
r="$T/big"; tpl_root psi "$r"
{ echo patient_id; head -c 17000000 /dev/zero | tr '\0' 'a'; echo; } >"$r/input/st-marys.csv"
invalid psi "$r" "larger than"

# psi: duplicates, bad identifiers, CRLF and N-way intersection.
r="$T/psi"
tpl_root psi "$r"; sed -n 2p "$r/input/st-marys.csv" >>"$r/input/st-marys.csv"
invalid psi "$r" "duplicate patient_id"
tpl_root psi "$r"; echo 'ab cd' >>"$r/input/city-general.csv"
invalid psi "$r" "/input/city-general.csv:29: patient_id \"ab cd\": unexpected character ' '"
tpl_root psi "$r"; echo "$(printf '%065d' 1)" >>"$r/input/city-general.csv"
invalid psi "$r" "longer than 64"
tpl_root psi "$r"; printf 'patient_id\n' >"$r/input/city-general.csv"
invalid psi "$r" "no patient ids"
tpl_root psi "$r"; sed 's/$/\r/' "$TPL_SRC/psi/data/st-marys.csv" >"$r/input/st-marys.csv"
run_default 0 psi "$r" && tpl_compare psi "$r/output"
tpl_root psi "$r"; printf 'patient_id\n979-181-1350\n000-000-0000\n' >"$r/input/third.csv"
run 0 psi "$r" /input/st-marys.csv /input/city-general.csv /input/third.csv &&
	printf 'patient_id\n979-181-1350\n' | cmp -s - "$r/output/intersection.csv" ||
	fail "psi: three-way intersection"
tpl_root psi "$r"
run 2 psi "$r" /input/st-marys.csv
run 2 psi "$r" /input/st-marys.csv /input/st-marys.csv && expect_grep "$T/err" "given twice"

# linreg: numbers, headers, degenerate data.
r="$T/linreg"
for v in 1e5 nan 0x10 +5 '' 1.1234567 . 1. 2000000 '- 5' 999999999999999.123456 \
	99999999999999999999; do
	tpl_root linreg "$r"; echo "50,25.0,3.0,$v" >>"$r/input/clinic-south.csv"
	invalid linreg "$r" "systolic_bp \"$v\""
done
tpl_root linreg "$r"; echo "-50.5,-25.0,0.000001,100" >>"$r/input/clinic-south.csv"
run_default 0 linreg "$r"
tpl_root linreg "$r"; sed '1s/bmi/weight/' "$TPL_SRC/linreg/data/clinic-south.csv" >"$r/input/clinic-south.csv"
invalid linreg "$r" "differs from the first input"
tpl_root linreg "$r"
awk -F, 'NR == 1 { print "age,age2,y"; next } { print $1 "," $1 * 2 "," $4 }' \
	"$TPL_SRC/linreg/data/clinic-north.csv" >"$r/input/only.csv"
run 3 linreg "$r" /input/only.csv && expect_grep "$T/err" "collinear"
printf 'x,y\n1,2\n2,3\n' >"$r/input/tiny.csv"
run 3 linreg "$r" /input/tiny.csv && expect_grep "$T/err" "need more than 2"
printf 'x,y\n1,2\n2,2\n3,2\n' >"$r/input/flat.csv"
run 3 linreg "$r" /input/flat.csv && expect_grep "$T/err" "is constant"
printf 'x,x,y\n1,1,2\n' >"$r/input/dup.csv"
run 3 linreg "$r" /input/dup.csv && expect_grep "$T/err" "duplicate column"
printf 'y\n1\n' >"$r/input/one.csv"
run 3 linreg "$r" /input/one.csv && expect_grep "$T/err" "feature columns"
# y = 1 + 2x exactly: the printed model is exact.
printf 'x,y\n0,1\n1,3\n2,5\n3,7\n' >"$r/input/line.csv"
run 0 linreg "$r" /input/line.csv &&
	printf 'term,coefficient\nintercept,1.000000\nx,2.000000\n' |
	cmp -s - "$r/output/model.csv" || fail "linreg: exact line"
expect_grep "$r/output/fit.csv" "4,1,1.000000"

# auction: one amount per file, prices and ties.
r="$T/auction"
for v in 0 -5 abc 1.001 1000000000001; do
	tpl_root auction "$r"; printf 'bid\n%s\n' "$v" >"$r/input/acme.csv"
	invalid auction "$r" "bid \"$v\""
done
tpl_root auction "$r"; echo 1 >>"$r/input/acme.csv"
invalid auction "$r" "found more"
tpl_root auction "$r"; echo bid >"$r/input/acme.csv"
invalid auction "$r" "found none"
# The reserve above every bid: unsold, everyone lost.
tpl_root auction "$r"; printf 'reserve_price\n200000\n' >"$r/input/reserve.csv"
run_default 0 auction "$r" && expect_grep "$r/output/result.csv" "unsold,,"
expect_grep "$r/output/globex.csv" "lost,"
# Reserve between the two highest bids: the winner pays the reserve.
tpl_root auction "$r"; printf 'reserve_price\n120000\n' >"$r/input/reserve.csv"
run_default 0 auction "$r" && expect_grep "$r/output/result.csv" "sold,globex,120000.00"
# A tie at the top: the first listed wins and pays the tied amount.
tpl_root auction "$r"; printf 'bid\n124250.5\n' >"$r/input/umbrella.csv"
run_default 0 auction "$r" && expect_grep "$r/output/result.csv" "sold,globex,124250.50"
expect_grep "$r/output/umbrella.csv" "lost,"
# A single bidder pays the reserve.
tpl_root auction "$r"
run 0 auction "$r" /input/reserve.csv /input/initech.csv &&
	expect_grep "$r/output/initech.csv" "won,95000.00"
run 2 auction "$r" /input/reserve.csv /input/reserve.csv
run 2 auction "$r" /input/reserve.csv /input/Acme.csv
cp "$r/input/acme.csv" "$r/input/result.csv"
run 2 auction "$r" /input/reserve.csv /input/result.csv
run 2 auction "$r" /input/reserve.csv

# survey: answers, thresholds and suppression.
r="$T/survey"
for l in '17-20,3,yes' '30-44,0,yes' '30-44,6,no' '30-44,3,maybe' '30-44,3.0,yes' '30-44,3'; do
	tpl_root survey "$r"; echo "$l" >>"$r/input/branch-york.csv"
	invalid survey "$r" "/input/branch-york.csv:"
done
tpl_root survey "$r"
for a in --min-group=0 --min-group=x --min-group=-1 --min-group=; do
	run 3 survey "$r" "$a" /input/branch-york.csv && expect_grep "$T/err" "--min-group"
done
# Below the threshold overall: everything suppressed.
run 0 survey "$r" --min-group=50 /input/branch-york.csv
CHECKS=$((CHECKS + 1))
[ "$(grep -c ',suppressed,' "$r/output/summary.csv")" = 5 ] || fail "survey: not all suppressed"
# Threshold 1: nothing suppressed; the total over the three branches is 40.
run 0 survey "$r" --min-group=1 /input/branch-leeds.csv /input/branch-york.csv \
	/input/branch-hull.csv && expect_no_grep "$r/output/summary.csv" "suppressed"
expect_grep "$r/output/summary.csv" "all,40,3.63,"
# Without the option the default threshold is 5.
run 0 survey "$r" /input/branch-leeds.csv /input/branch-york.csv /input/branch-hull.csv &&
	tpl_compare survey "$r/output"

# salary-bench: roles, salaries, thresholds.
r="$T/salary"
for l in 'Data-Analyst,50000' 'data analyst,50000' 'data-analyst,0' 'data-analyst,50000.5' \
	'data-analyst,100000001' ',50000'; do
	tpl_root salary-bench "$r"; echo "$l" >>"$r/input/globex.csv"
	invalid salary-bench "$r" "/input/globex.csv:"
done
tpl_root salary-bench "$r"
run 3 salary-bench "$r" --max-share=101 /input/acme.csv && expect_grep "$T/err" "--max-share"
# One company alone: everything suppressed by --min-companies=2.
run 0 salary-bench "$r" /input/acme.csv && expect_no_grep "$r/output/benchmark.csv" ",1,"
expect_grep "$r/output/benchmark.csv" "software-engineer,suppressed,,,,"
# Thresholds relaxed: the dominated role appears (6 nurses, all from globex).
run 0 salary-bench "$r" --min-companies=1 --max-share=100 /input/acme.csv /input/globex.csv \
	/input/initech.csv && expect_grep "$r/output/benchmark.csv" "nurse-practitioner,1,6,"

# sensor-fusion: readings, thresholds, order independence.
r="$T/fusion"
for l in 'Park,8,10.0,1.0' 'park,24,10.0,1.0' 'park,8,-1,1.0' 'park,8,10.0,0' 'park,8,10.0,0.001' \
	'park,8,1000.01,1.0' 'a-very-long-zone-name,8,1,1' ',8,1,1' 'park,8,10.0'; do
	tpl_root sensor-fusion "$r"; echo "$l" >>"$r/input/transit-co.csv"
	invalid sensor-fusion "$r" "/input/transit-co.csv:"
done
tpl_root sensor-fusion "$r"
run 3 sensor-fusion "$r" --min-parties=0 /input/university.csv && expect_grep "$T/err" "--min-parties"
# The order of the readings does not change a single bit of the result.
{ head -n 1 "$TPL_SRC/sensor-fusion/data/university.csv"
  tail -n +2 "$TPL_SRC/sensor-fusion/data/university.csv" | sort -r; } >"$r/input/university.csv"
run_default 0 sensor-fusion "$r" && tpl_compare sensor-fusion "$r/output"
# One operator alone is suppressed everywhere; with --min-parties=1 nothing is.
run 0 sensor-fusion "$r" /input/university.csv && expect_no_grep "$r/output/fused.csv" ".0"
run 0 sensor-fusion "$r" --min-parties=1 /input/university.csv &&
	expect_no_grep "$r/output/fused.csv" "suppressed"
# Two equally good readings of 10 and 20: 15 with standard error 1/sqrt(2).
printf 'zone,hour,pm25,stddev\nz,0,10,1\n' >"$r/input/a.csv"
printf 'zone,hour,pm25,stddev\nz,0,20,1\n' >"$r/input/b.csv"
run 0 sensor-fusion "$r" /input/a.csv /input/b.csv &&
	expect_grep "$r/output/fused.csv" "z,0,2,15.00,0.71"

finish
