#!/usr/bin/env bash
# Does Hangcheck's cost grow linearly with the size of a compilation?
#
# For each size N, generates N synthetic classes (bench/generate-synthetic.py: the same shape
# and about the same size per class, so the code is linear in N) and compiles them, alternating
# A B A B ...:
#   A  javac + Error Prone with all checks off, no Hangcheck jar
#   B  A + the Hangcheck jar + its checks at WARN (the checks the jar registers, or --checks)
# and prints Hangcheck's time per class four ways:
#   (median B wall - median A wall) / N           end to end, but the difference of two noisy runs
#   (median B CPU - median A CPU) / N             the same with user+sys CPU time (GNU time):
#                                                 less hurt by other processes than wall time
#   median Error Prone timing of the checks / N   the time spent inside the Hangcheck checks, as
#                                                 Error Prone itself measures it (bench/timing-plugin;
#                                                 wall-clock time of javac's main thread, so it too
#                                                 grows when other processes compete for the cores)
#   median Hangcheck CPU time / N                 the CPU time of javac's main thread inside
#                                                 Hangcheck, as the checks print it with
#                                                 -J-Dhangcheck.timing=true (the steadiest measure)
# and the ratio of the per-class time at the largest N to that at the smallest (target: <= 1.3).
#
# Usage: bench/scaling.sh [options]
#   --sizes LIST      class counts, comma-separated (default 1000,2000,4000,8000,16000)
#   --runs N          runs per mode and size (default 3)
#   --warmup N        unmeasured runs of A at the smallest size first (default 1)
#   --modes AB|B      B alone: only the Error Prone timings, half the time (default AB)
#   --seed S          generator seed (default 1)
#   --interfaces K    interfaces the classes implement (default 10: each has about N/10 implementations)
#   --shape S         mixed (default: the realistic corpus) or a worst case of the analysis:
#                     lock-chain, deep-under-lock, lock-ring, nested (see bench/generate-synthetic.py)
#   --checks A,B      Hangcheck checks to enable in B (default: every check the jar registers)
#   --checks-jar PATH use this checks jar (default checks/target/hangcheck-checks-*.jar)
#   --hangcheck-flags "F..."  -XepOpt:Hangcheck:... flags for B (default: declares every
#                     synth.WorkerK#work non-blocking, -XepOpt:Hangcheck:NonBlockingMethods=...; - for none)
#   --build           first build the checks jar (as eval/run.sh --build)
#   --jdk 17|25       JDK to compile with (17: Error Prone 2.42.0; 25: 2.52.0)
#   --xmx SIZE        javac heap (default 8g)
#   --timeout S       kill a javac run after S seconds (default 3600); larger sizes are then skipped
#   --no-ep-timings   leave out the timing plugin
# Writes bench/work/results/scaling-<time>.tsv (every run) and .txt (the report). The generated
# sources stay in bench/work/synthetic/ (regenerated when the generator or its arguments change).
# Exit status: 0 if every run compiled cleanly, 1 if any run failed or timed out, 2 on setup errors.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sizes=1000,2000,4000,8000,16000; runs=3; warmup=1; modes=AB; seed=1; ifaces=10; checks_opt=""; checks_jar_opt=""
shape=mixed
build=0; jdk=17; xmx=8g; tmo=3600; ep_timings=1; flags_opt=default
usage() { awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --sizes) sizes=${2:?}; shift ;;        --sizes=*) sizes=${1#*=} ;;
    --runs) runs=${2:?}; shift ;;          --runs=*) runs=${1#*=} ;;
    --warmup) warmup=${2:?}; shift ;;      --warmup=*) warmup=${1#*=} ;;
    --modes) modes=${2:?}; shift ;;        --modes=*) modes=${1#*=} ;;
    --seed) seed=${2:?}; shift ;;          --seed=*) seed=${1#*=} ;;
    --interfaces) ifaces=${2:?}; shift ;;  --interfaces=*) ifaces=${1#*=} ;;
    --shape) shape=${2:?}; shift ;;        --shape=*) shape=${1#*=} ;;
    --checks) checks_opt=${2:?}; shift ;;  --checks=*) checks_opt=${1#*=} ;;
    --checks-jar) checks_jar_opt=${2:?}; shift ;; --checks-jar=*) checks_jar_opt=${1#*=} ;;
    --hangcheck-flags) flags_opt=${2?}; shift ;; --hangcheck-flags=*) flags_opt=${1#*=} ;;
    --build) build=1 ;;
    --jdk) jdk=${2:?}; shift ;;            --jdk=*) jdk=${1#*=} ;;
    --xmx) xmx=${2:?}; shift ;;            --xmx=*) xmx=${1#*=} ;;
    --timeout) tmo=${2:?}; shift ;;        --timeout=*) tmo=${1#*=} ;;
    --no-ep-timings) ep_timings=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument $1" ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive number"
[[ $warmup =~ ^[0-9]+$ ]] || die "--warmup wants a number"
[[ $modes == AB || $modes == B ]] || die "--modes wants AB or B"
[[ $modes == B && $ep_timings == 0 ]] && die "--modes B measures only the Error Prone timings: drop --no-ep-timings"
IFS=',' read -r -a NS <<< "$sizes"
for n in "${NS[@]}"; do [[ $n =~ ^[1-9][0-9]*$ && $n -ge 2 ]] || die "bad size '$n' in --sizes"; done
mapfile -t NS < <(printf '%s\n' "${NS[@]}" | sort -n -u)

ensure_gnu_time
setup_toolchain "$jdk"
[[ $build == 1 ]] && build_checks
setup_checks "$checks_jar_opt" "$checks_opt"
[[ $ep_timings == 1 ]] && ensure_timing_plugin
command -v python3 > /dev/null || die "python3 is needed for bench/generate-synthetic.py"

case $flags_opt in
  default)
    B_EXTRA_FLAGS="-XepOpt:Hangcheck:NonBlockingMethods="
    for ((k = 0; k < ifaces; k++)); do B_EXTRA_FLAGS+="synth.Worker$k#work,"; done
    B_EXTRA_FLAGS=${B_EXTRA_FLAGS%,} ;;
  -|"") B_EXTRA_FLAGS="" ;;
  *) B_EXTRA_FLAGS=$flags_opt ;;
esac

mkdir -p "$BENCH_WORK/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tsv="$BENCH_WORK/results/scaling-$stamp.tsv"
report="$BENCH_WORK/results/scaling-$stamp.txt"
printf "size\tmode\trun\t$TSV_RUN_COLUMNS\n" > "$tsv"

exec > >(tee "$report") 2>&1
echo "== bench/scaling.sh $(date -u +%FT%TZ)"
machine_info
echo "flags in B:   ${B_EXTRA_FLAGS:-(none)}" | cut -c1-160
echo "shape:        $shape"
echo "sizes:        ${NS[*]} classes; $runs run(s) per mode and size (+ $warmup warm-up of A), modes $modes; seed $seed; $ifaces interfaces; -J-Xmx$xmx"
any_fail=0

gen_stamp=$(md5sum "$BENCH_DIR/generate-synthetic.py" | cut -d' ' -f1)

# generate N -> sets SRC_DIR (cached)
generate() {
  local n=$1 key="n$1-s$seed-k$ifaces-$shape"
  SRC_DIR="$BENCH_WORK/synthetic/$key"
  local want="$gen_stamp $n $seed $ifaces $shape"
  if [[ -f $SRC_DIR/.stamp && $(cat "$SRC_DIR/.stamp") == "$want" ]]; then return 0; fi
  rm -rf "$SRC_DIR"; mkdir -p "$SRC_DIR"
  python3 "$BENCH_DIR/generate-synthetic.py" --classes "$n" --seed "$seed" --interfaces "$ifaces" --shape "$shape" "$SRC_DIR/src" >&2 \
    || die "the generator failed for N=$n"
  echo "$want" > "$SRC_DIR/.stamp"
}

declare -A LINES FINDINGS
stopped_at=""
for n in "${NS[@]}"; do
  generate "$n"
  d="$BENCH_WORK/scaling/n$n"; mkdir -p "$d"
  find "$SRC_DIR/src" -name '*.java' | LC_ALL=C sort > "$d/sources.txt"
  LINES[$n]=$(tr '\n' '\0' < "$d/sources.txt" | xargs -0 cat | wc -l)
  outdir=$(mktemp -d "${TMPDIR:-/tmp}/hangcheck-scaling-$n.XXXXXX")
  for m in A B; do
    write_argfile "$d/javac-$m.args" "$m" "$d/sources.txt" "" "$outdir/classes" \
      "$([[ $ep_timings == 1 ]] && echo "$d/javac-$m.timings")"
  done
  echo
  echo "== N=$n: $(wc -l < "$d/sources.txt") files, ${LINES[$n]} lines"
  timed_out=0
  if [[ $n == "${NS[0]}" && $modes == *A* ]]; then
    for ((i = 1; i <= warmup; i++)); do
      rec=$(timed_javac "$d/javac-A.args" "$d/javac-A" "$xmx" "$tmo")
      echo "  warm-up A: $(cut -f2 <<< "$rec") s ($(cut -f10 <<< "$rec"))"
    done
  fi
  for ((r = 1; r <= runs; r++)); do
    line="  run $r/$runs:"
    for m in $(grep -o . <<< "$modes"); do
      rec=$(timed_javac "$d/javac-$m.args" "$d/javac-$m" "$xmx" "$tmo")
      printf '%s\t%s\t%s\t%s\n' "$n" "$m" "$r" "$rec" >> "$tsv"
      wall=$(cut -f2 <<< "$rec"); rss=$(cut -f5 <<< "$rec"); hc=$(cut -f7 <<< "$rec")
      hcpu=$(cut -f8 <<< "$rec"); st=$(cut -f10 <<< "$rec")
      cpu=$(awk -v u="$(cut -f3 <<< "$rec")" -v s="$(cut -f4 <<< "$rec")" 'BEGIN { printf "%.1f", u + s }')
      line+="  $m ${wall}s cpu=${cpu}s ${rss}MB"
      [[ $m == B && -n $hc ]] && line+=" checks=${hc}ms"
      [[ $m == B && -n $hcpu ]] && line+=" hangcheck-cpu=${hcpu}ms"
      if [[ $st != ok ]]; then
        line+=" [$st: $d/javac-$m.log]"; any_fail=1
        [[ $st == TIMEOUT* ]] && timed_out=1
      fi
    done
    echo "$line"
    [[ $timed_out == 1 ]] && break
  done
  rm -rf "$outdir"
  f=""
  for c in "${CHECKS[@]}"; do
    f+="$c=$(grep -cE "\.java:[0-9]+: (warning|error): \[$c\]" "$d/javac-B.log" || true) "
  done
  FINDINGS[$n]=$f
  echo "  findings (last B run): $f"
  ph=$(hangcheck_phases "$d/javac-B.log"); [[ -n $ph ]] && echo "  Hangcheck CPU by phase (last B run): $ph"
  if [[ $timed_out == 1 ]]; then
    stopped_at=$n
    echo "  N=$n: a run took longer than ${tmo}s; larger sizes skipped"
    break
  fi
done

# Report.
echo
echo "== Hangcheck's time per class (checks: ${CHECKS[*]})"
printf '%6s %8s %7s %7s %8s %7s %7s %8s | %7s %7s | %7s %7s | %6s %6s %6s %6s\n' \
  "" "" "" "" "(B-A)/N" "" "" "(B-A)/N" "EP tim." "" "HC CPU" "" "" "" "" ""
printf '%6s %8s %7s %7s %8s %7s %7s %8s | %7s %7s | %7s %7s | %6s %6s %6s %6s\n' \
  N lines "A wall" "B wall" "wall ms" "A CPU" "B CPU" "CPU ms" "s" "/N ms" "s" "/N ms" "A RSS" "B RSS" "A heap" "B heap"
# med SIZE MODE COLUMN -> median of that TSV column over the ok runs
med() {
  awk -F'\t' -v n="$1" -v m="$2" -v c="$3" 'NR > 1 && $1 == n && $2 == m && $13 == "ok" && $c != "" { print $c }' "$tsv" | median
}
# medcpu SIZE MODE -> median of user+sys
medcpu() {
  awk -F'\t' -v n="$1" -v m="$2" 'NR > 1 && $1 == n && $2 == m && $13 == "ok" && $6 != "" { print $6 + $7 }' "$tsv" | median
}
first=""; last=""
declare -A PD PC PE PP
for n in "${NS[@]}"; do
  [[ -n $stopped_at && $n -gt $stopped_at ]] && break
  ma=$(med "$n" A 5); mb=$(med "$n" B 5); mh=$(med "$n" B 10); mp=$(med "$n" B 11)
  ra=$(med "$n" A 8); rb=$(med "$n" B 8); ga=$(med "$n" A 9); gb=$(med "$n" B 9)
  ca=$(medcpu "$n" A); cb=$(medcpu "$n" B)
  if [[ -z $mb ]]; then
    printf '%6s %8s   no successful run of B\n' "$n" "${LINES[$n]}"
    continue
  fi
  PD[$n]=""; PC[$n]=""
  if [[ -n $ma ]]; then
    PD[$n]=$(awk -v a="$ma" -v b="$mb" -v n="$n" 'BEGIN { printf "%.4f", (b - a) * 1000 / n }')
    PC[$n]=$(awk -v a="$ca" -v b="$cb" -v n="$n" 'BEGIN { printf "%.4f", (b - a) * 1000 / n }')
  fi
  PE[$n]=$(awk -v h="$mh" -v n="$n" 'BEGIN { if (h == "") print ""; else printf "%.4f", h / n }')
  PP[$n]=$(awk -v h="$mp" -v n="$n" 'BEGIN { if (h == "") print ""; else printf "%.4f", h / n }')
  fmt() { awk -v x="$1" -v f="$2" 'BEGIN { if (x == "") print "-"; else printf f, x }'; }
  printf '%6s %8s %7s %7s %8s %7s %7s %8s | %7s %7s | %7s %7s | %6s %6s %6s %6s\n' "$n" "${LINES[$n]}" \
    "$(fmt "$ma" %.2f)" "$(fmt "$mb" %.2f)" "$(fmt "${PD[$n]}" %.3f)" "$(fmt "$ca" %.2f)" "$(fmt "$cb" %.2f)" \
    "$(fmt "${PC[$n]}" %.3f)" "$(fmt "$(awk -v h="$mh" 'BEGIN { if (h != "") print h / 1000 }')" %.2f)" \
    "$(fmt "${PE[$n]}" %.3f)" "$(fmt "$(awk -v h="$mp" 'BEGIN { if (h != "") print h / 1000 }')" %.2f)" \
    "$(fmt "${PP[$n]}" %.3f)" "$(fmt "$ra" %.0f)" "$(fmt "$rb" %.0f)" "$(fmt "$ga" %.0f)" "$(fmt "$gb" %.0f)"
  [[ -z $first ]] && first=$n
  last=$n
done
echo "  (medians. wall, CPU (user+sys of the whole javac) in s; EP tim.: wall time inside the Hangcheck"
echo "   checks by Error Prone's own timings; HC CPU: Hangcheck's own CPU time (-Dhangcheck.timing);"
echo "   RSS: peak RSS, MB; heap: the largest heap occupancy after a GC, MB)"

# verdict LARGE SMALL -> ratio of per-class times and what it means
verdict() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "" || b == "") { print "n/a"; exit }
    if (a + 0 <= 0 || b + 0 <= 0) { print "n/a (B was not slower than A at some size: noise)"; exit }
    r = a / b
    if (r > 1.3) v = "SUPER-LINEAR: over the 1.3 target"
    else if (r >= 0.7) v = "linear: within the 1.3 target"
    else v = "below 0.7: fixed costs dominate at the small size, or noise"
    printf "%.2f   (%s)\n", r, v }'
}
# growth MAP_NAME FROM TO -> how much the total (per-class * N) grew
growth() {
  local -n mp=$1
  awk -v a="${mp[$2]:-}" -v b="${mp[$3]:-}" -v na="$2" -v nb="$3" 'BEGIN {
    if (a == "" || b == "" || a + 0 <= 0) print "n/a"; else printf "x%.2f", b * nb / (a * na) }'
}
if [[ -n $first && $last != "$first" ]]; then
  echo
  echo "  per-class time, N=$last vs N=$first:"
  [[ $modes == AB ]] && echo "    (B-A) wall / N:            $(verdict "${PD[$last]}" "${PD[$first]}")"
  [[ $modes == AB ]] && echo "    (B-A) CPU / N:             $(verdict "${PC[$last]}" "${PC[$first]}")"
  echo "    Error Prone timing / N:    $(verdict "${PE[$last]:-}" "${PE[$first]:-}")"
  echo "    Hangcheck CPU / N:         $(verdict "${PP[$last]:-}" "${PP[$first]:-}")"
  echo "  growth of Hangcheck's time from one size to the next (linear: the same factor as N):"
  prev=""
  for n in "${NS[@]}"; do
    [[ -n ${PE[$n]+x} ]] || continue
    if [[ -n $prev ]]; then
      printf '    N %6s -> %6s (x%.2f):' "$prev" "$n" "$(awk -v a="$prev" -v b="$n" 'BEGIN { print b / a }')"
      [[ $modes == AB ]] && printf '  B-A wall %s,  B-A CPU %s,' "$(growth PD "$prev" "$n")" "$(growth PC "$prev" "$n")"
      printf '  Error Prone timing %s,  Hangcheck CPU %s\n' "$(growth PE "$prev" "$n")" "$(growth PP "$prev" "$n")"
    fi
    prev=$n
  done
fi
[[ -n $stopped_at ]] && echo "  NOTE: stopped at N=$stopped_at (a run exceeded ${tmo}s)"
echo
echo "runs: $tsv"
echo "report: $report"
exit $any_fail
