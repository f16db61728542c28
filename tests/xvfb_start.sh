# xvfb_start: sourced by the long-running explorer checks (soak, valgrind).
#
#   xvfb_start WHO SCREEN OUTDIR [XVFB_OPTION...]
#
# starts a private Xvfb (with the options given, e.g. -dpi 192) (it picks a free display and reports it through
# fd 5), stops it when the calling script exits or is killed (meson and
# timeout send TERM), and exports DISPLAY. Without a server after 10 s it
# prints "WHO: Xvfb did not start" and exits 77 (skip).
xvfb_start() {
    local who=$1 screen=$2 dir=$3
    shift 3
    Xvfb -displayfd 5 -screen 0 "$screen" -nolisten tcp "$@" 5>"$dir/display" 2>"$dir/xvfb.log" &
    xvfb_pid=$!
    trap 'kill $xvfb_pid 2>/dev/null; wait $xvfb_pid 2>/dev/null' EXIT
    trap 'exit 1' TERM INT
    for _ in $(seq 100); do [ -s "$dir/display" ] && break; sleep 0.1; done
    [ -s "$dir/display" ] || { echo "$who: Xvfb did not start"; exit 77; }
    export DISPLAY=:$(head -n1 "$dir/display")
}
