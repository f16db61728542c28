# cli_expect: the shared helpers of the shell CLI tests; source it after
# setting T (a scratch directory) and fails=0.
#   expect CODE LINES-ON-STDERR PATTERN -- command...
#     runs the command, then checks its exit code, the number of lines on
#     stderr, and that PATTERN (grep) occurs in its stdout or stderr.
#   check DESCRIPTION command...
#     a condition (e.g. test ...) that must hold.
# Each failure prints one FAIL line and increments $fails.
expect() {
    code=$1; lines=$2; pattern=$3; shift 4
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    n=$(wc -l <"$T/err")
    if [ "$got" -ne "$code" ] || [ "$n" -ne "$lines" ] || ! grep -q -- "$pattern" "$T/err" "$T/out"; then
        echo "FAIL: $* -> exit $got (want $code), $n stderr lines (want $lines), pattern '$pattern'"
        sed 's/^/  | /' "$T/err"
        fails=$((fails + 1))
    fi
}

check() {
    d=$1; shift
    if ! "$@"; then echo "FAIL: $d"; fails=$((fails + 1)); fi
}
