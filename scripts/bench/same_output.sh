#!/usr/bin/env bash
# Checks that a change left `zhibiao run` output byte-identical (issue 26):
# runs two binaries over the seeds, the dev reports, samples/ and the
# benchmark corpus of ../shared/bench/speed.sh, and compares their JSON
# Lines (and stderr summaries) file by file.
# usage: scripts/bench/same_output.sh OLD_BINARY NEW_BINARY [N_REPORTS]
# Exit 0 when every output is identical, 1 when one differs (it says
# which, with the first differing lines), 2 on a usage error.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 OLD_BINARY NEW_BINARY [N_REPORTS]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")/../.." && pwd)
old=$(realpath "$1"); new=$(realpath "$2"); n=${3:-2000}
shared=$here/../shared
bench=/tmp/zb-bench-$n
[ -d "$bench" ] || python3 "$shared/bench/make_corpus.py" "$bench" "$n" >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for dir in "$shared/corpus/seeds" "$shared/corpus/dev/reports" "$here/samples" "$bench"; do
    [ -d "$dir" ] || { echo "skipped (absent): $dir"; continue; }
    name=$(basename "$(dirname "$dir")")_$(basename "$dir")
    # Relative paths, so the two runs name reports alike.
    (cd "$dir" && "$old" run -q --format jsonl . >"$out/$name.old" 2>"$out/$name.old.err") || true
    (cd "$dir" && "$new" run -q --format jsonl . >"$out/$name.new" 2>"$out/$name.new.err") || true
    if cmp -s "$out/$name.old" "$out/$name.new" && cmp -s "$out/$name.old.err" "$out/$name.new.err"; then
        echo "same: $dir ($(wc -l <"$out/$name.new") facts)"
    else
        echo "DIFFERENT: $dir"
        # Only counts for the dev reports: their text stays unread.
        case $dir in
        */dev/*) echo "  $(diff "$out/$name.old" "$out/$name.new" | grep -c '^[<>]' || true) lines differ" ;;
        *) diff "$out/$name.old" "$out/$name.new" | head -6 | cut -c1-300 || true
           diff "$out/$name.old.err" "$out/$name.new.err" | head -4 | cut -c1-300 || true ;;
        esac
        status=1
    fi
done
exit $status
