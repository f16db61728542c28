#!/usr/bin/env bash
# check_format: the given C files are formatted as .clang-format says.
#
#   check_format.sh SOURCE_ROOT FILE...     (FILEs relative to SOURCE_ROOT)
#
# Lists each file clang-format would change, with the first lines of the
# change, and exits 1; 0 when none would change. Skips (77) when
# clang-format is not installed: it is a developer tool, not needed to build.
# The tree as a whole is not checked yet (it would mean reformatting every
# folder at once); meson's 'format' test runs this on the files that follow
# .clang-format, and a file joins that list once it is formatted.
set -u
root=$1
shift
command -v clang-format >/dev/null || { echo "check_format: no clang-format: skipped"; exit 77; }
cd "$root" || exit 2
bad=0
for f in "$@"; do
    if [ ! -f "$f" ]; then
        echo "check_format: $f: no such file"
        bad=1
        continue
    fi
    if ! out=$(clang-format --style=file "$f" | diff -u "$f" -); then
        echo "$f: not formatted as .clang-format says (clang-format -i $f):"
        printf '%s\n' "$out" | sed -n '3,14p'
        bad=1
    fi
done
[ $bad -eq 0 ] && echo "check_format: $# files formatted"
exit $bad
