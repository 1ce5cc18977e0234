#!/usr/bin/env bash
# End-to-end throughput of `zhibiao run --format jsonl` with the shipped rules.
#
#   scripts/bench/run.sh [--reports N] [--big-mb M] [--samples DIR] [--out FILE] [--keep]
#
# Builds the release binary, generates a corpus from samples/ (or DIR) in a temp dir
# (N reports, default 2000; one M-MB file, default 50; numbers varied), and
# times the run on 1 and 2 threads (RAYON_NUM_THREADS). Reports MB/s,
# reports/s and peak memory (GNU time's maximum resident set size), and
# checks that memory stays flat in the number of reports (N/10 vs N
# reports) and that output is the same on 1 and 2 threads. Writes a
# markdown summary to FILE (default target/bench/summary.md).
set -euo pipefail

REPORTS=2000
BIG_MB=50
OUT=""
KEEP=0
SAMPLES=samples
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reports) REPORTS="$2"; shift 2 ;;
    --big-mb) BIG_MB="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --samples) SAMPLES="$(cd "$2" && pwd)"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 1 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/target/bench/summary.md}"
mkdir -p "$(dirname "$OUT")"

TIME=/usr/bin/time
if ! "$TIME" -v true >/dev/null 2>&1; then
  echo "GNU time is needed for peak memory: apt-get install time" >&2
  exit 1
fi

cargo build --release --quiet
BIN="$ROOT/target/release/zhibiao"

WORK="$(mktemp -d -t zhibiao-bench.XXXXXX)"
if [[ $KEEP -eq 0 ]]; then trap 'rm -rf "$WORK"' EXIT; else echo "corpus kept in $WORK"; fi

python3 "$ROOT/scripts/bench/gen_corpus.py" "$SAMPLES" "$WORK/corpus" --reports "$REPORTS" --big-mb "$BIG_MB"
SMALL=$(( REPORTS / 10 > 0 ? REPORTS / 10 : 1 ))
python3 "$ROOT/scripts/bench/gen_corpus.py" "$SAMPLES" "$WORK/corpus-small" --reports "$SMALL" --big-mb 0 >/dev/null
# A tenth of the big file, for the linearity check (10x input -> time).
TENTH_MB=$(awk -v m="$BIG_MB" 'BEGIN { printf "%g", m / 10 }')
python3 "$ROOT/scripts/bench/gen_corpus.py" "$SAMPLES" "$WORK/corpus-tenth" --reports 1 --big-mb "$TENTH_MB" >/dev/null

bytes_of() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s}'; }
files_of() { find "$1" -type f | wc -l; }

# run LABEL THREADS PATH → sets SECS, RSS_KB, FACTS
run() {
  local label="$1" threads="$2" path="$3"
  local log="$WORK/$label.time" out="$WORK/$label.jsonl"
  # Warm the page cache first so that disk speed does not count.
  cat $(find "$path" -type f) >/dev/null
  RAYON_NUM_THREADS="$threads" "$TIME" -v "$BIN" run -q --format jsonl -o "$out" "$path" 2>"$log" || {
    local rc=$?; [[ $rc -eq 2 ]] || { cat "$log" >&2; exit $rc; }
  }
  local wall
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  SECS=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
  RSS_KB=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  FACTS=$(wc -l <"$out")
}

NPROC=$(nproc)
CPU=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
MEM=$(free -h | awk '/^Mem:/ {print $2}')
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

CORPUS_BYTES=$(bytes_of "$WORK/corpus/reports")
CORPUS_FILES=$(files_of "$WORK/corpus/reports")
SMALL_FILES=$(files_of "$WORK/corpus-small/reports")
BIG_BYTES=$(bytes_of "$WORK/corpus/big")

mbs() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
per() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }      # KiB → MiB
mbytes() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }  # bytes → MB

run folder-1t 1 "$WORK/corpus/reports"; F1=$SECS; F1_RSS=$RSS_KB; F1_FACTS=$FACTS
run folder-2t 2 "$WORK/corpus/reports"; F2=$SECS; F2_RSS=$RSS_KB
run small-1t 1 "$WORK/corpus-small/reports"; S1_RSS=$RSS_KB
run big-1t 1 "$WORK/corpus/big/big.txt"; B1=$SECS; B1_RSS=$RSS_KB; B1_FACTS=$FACTS
run big-2t 2 "$WORK/corpus/big/big.txt"; B2=$SECS
run tenth-1t 1 "$WORK/corpus-tenth/big/big.txt"; T1=$SECS
TENTH_BYTES=$(bytes_of "$WORK/corpus-tenth/big")

if cmp -s "$WORK/folder-1t.jsonl" "$WORK/folder-2t.jsonl"; then SAME=yes; else SAME=NO; fi
SPEEDUP=$(awk -v a="$F1" -v b="$F2" 'BEGIN { printf "%.2f", a / b }')
BIG_RATIO=$(awk -v r="$B1_RSS" -v b="$BIG_BYTES" 'BEGIN { printf "%.1f", r * 1024 / b }')

{
  echo "# zhibiao run benchmark ($(date -u +%Y-%m-%d), $REV)"
  echo
  echo "MB = 10^6 bytes. Machine: $NPROC CPUs ($CPU), $MEM RAM. Corpus from $(basename "$SAMPLES")/. Release build, shipped rules, \`run --format jsonl -o FILE\`, page cache warm."
  echo
  echo "| input | threads | wall s | MB/s | reports/s | peak RSS MiB | facts |"
  echo "|---|---|---|---|---|---|---|"
  echo "| $CORPUS_FILES reports, $(mbytes "$CORPUS_BYTES") MB | 1 | $F1 | $(mbs "$CORPUS_BYTES" "$F1") | $(per "$CORPUS_FILES" "$F1") | $(mb "$F1_RSS") | $F1_FACTS |"
  echo "| $CORPUS_FILES reports, $(mbytes "$CORPUS_BYTES") MB | 2 | $F2 | $(mbs "$CORPUS_BYTES" "$F2") | $(per "$CORPUS_FILES" "$F2") | $(mb "$F2_RSS") | $F1_FACTS |"
  echo "| one file, $(mbytes "$BIG_BYTES") MB | 1 | $B1 | $(mbs "$BIG_BYTES" "$B1") | – | $(mb "$B1_RSS") | $B1_FACTS |"
  echo "| one file, $(mbytes "$BIG_BYTES") MB | 2 | $B2 | $(mbs "$BIG_BYTES" "$B2") | – | – | $B1_FACTS |"
  echo
  echo "- 2 threads vs 1 on the folder: ${SPEEDUP}× (target ≥ 1.7×); same output: $SAME"
  echo "- peak memory, $SMALL_FILES vs $CORPUS_FILES reports (1 thread): $(mb "$S1_RSS") MiB vs $(mb "$F1_RSS") MiB (target: flat)"
  echo "- peak memory for one $(mbytes "$BIG_BYTES") MB file: ${BIG_RATIO}× its size (target ≤ ~3×)"
  echo "- linearity, one file $(mbytes "$TENTH_BYTES") MB → $(mbytes "$BIG_BYTES") MB ($(awk -v a="$BIG_BYTES" -v b="$TENTH_BYTES" 'BEGIN { printf "%.1f", a / b }')× input): $T1 s → $B1 s, $(awk -v a="$B1" -v b="$T1" 'BEGIN { printf "%.1f", a / b }')× time (target ≤ ~11×; the small run includes ~10 ms of start-up)"
} | tee "$OUT"
echo "summary written to $OUT"
