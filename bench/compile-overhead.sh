#!/usr/bin/env bash
# What Hangcheck adds to a real compilation, in wall time and peak memory.
#
# Compiles the same released sources (eval/projects.txt; default guava) three ways, alternating
# within one session (A B C A B C ...) so that drift in machine load hits every mode alike:
#   A  javac + Error Prone with all checks off (-XepDisableAllChecks), no Hangcheck jar: baseline
#   B  A + the Hangcheck jar + its checks at WARN (the checks the jar registers, or --checks),
#      plus the project's Hangcheck flags from eval/projects.txt (field 5, as eval/run.sh does)
#   C  Error Prone with its default checks, errors demoted to warnings (for scale)
# Every run is a fresh javac (JDK 17 + Error Prone 2.42.0 by default) with eval/run.sh's flags:
# -J-Xmx4g -XDcompilePolicy=simple --should-stop=ifError=FLOW and the -J--add-exports/opens.
# Measures wall time, user+sys CPU, peak RSS (GNU time -v), the peak heap after GC (GC log), and
# Error Prone's own per-check timings (bench/timing-plugin: the time spent inside each check), and
# Hangcheck's own CPU time (the checks print it with -J-Dhangcheck.timing=true, which every run gets).
# Prints medians per mode and the ratios B/A (target: at most 1.10 in time and memory).
#
# Usage: bench/compile-overhead.sh [options] [NAME... | all]      (default: guava)
#   --runs N          measured runs per mode (default 5)
#   --warmup N        unmeasured runs of A first, to warm the file cache (default 1)
#   --modes ABC       which modes to run (default ABC; e.g. AB to skip the slow default checks)
#   --checks A,B      Hangcheck checks to enable in B (default: every check the jar registers)
#   --checks-jar PATH use this checks jar (default checks/target/hangcheck-checks-*.jar)
#   --hangcheck-flags "F..."  more -XepOpt:Hangcheck:... flags for B, after the project's own
#   --build           first build the checks jar (as eval/run.sh --build)
#   --jdk 17|25       JDK to compile with (17: Error Prone 2.42.0; 25: 2.52.0)
#   --xmx SIZE        javac heap (default 4g)
#   --timeout S       kill a javac run after S seconds (default 1800)
#   --no-ep-timings   leave out the timing plugin
# Writes bench/work/results/overhead-<time>.tsv (every run) and .txt (the report); the javac
# logs of the last run of each mode stay in bench/work/overhead/NAME/.
# Exit status: 0 if every run compiled cleanly, 1 if any run failed, 2 on setup errors.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runs=5; warmup=1; modes=ABC; checks_opt=""; checks_jar_opt=""; build=0; jdk=17; xmx=4g
tmo=1800; ep_timings=1; extra_flags=""; names=()
usage() { awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=${2:?}; shift ;;          --runs=*) runs=${1#*=} ;;
    --warmup) warmup=${2:?}; shift ;;      --warmup=*) warmup=${1#*=} ;;
    --modes) modes=${2:?}; shift ;;        --modes=*) modes=${1#*=} ;;
    --checks) checks_opt=${2:?}; shift ;;  --checks=*) checks_opt=${1#*=} ;;
    --checks-jar) checks_jar_opt=${2:?}; shift ;; --checks-jar=*) checks_jar_opt=${1#*=} ;;
    --hangcheck-flags) extra_flags=${2?}; shift ;; --hangcheck-flags=*) extra_flags=${1#*=} ;;
    --build) build=1 ;;
    --jdk) jdk=${2:?}; shift ;;            --jdk=*) jdk=${1#*=} ;;
    --xmx) xmx=${2:?}; shift ;;            --xmx=*) xmx=${1#*=} ;;
    --timeout) tmo=${2:?}; shift ;;        --timeout=*) tmo=${1#*=} ;;
    --no-ep-timings) ep_timings=0 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) names+=("$1") ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive number"
[[ $warmup =~ ^[0-9]+$ ]] || die "--warmup wants a number"
[[ $modes =~ ^[ABC]+$ ]] || die "--modes wants letters from ABC"
[[ ${#names[@]} -gt 0 ]] || names=(guava)
list=$(expand_projects "${names[@]}") || exit 2
mapfile -t projects <<< "$list"

ensure_gnu_time
setup_toolchain "$jdk"
[[ $build == 1 ]] && build_checks
if [[ $modes == *B* ]]; then setup_checks "$checks_jar_opt" "$checks_opt"; else CHECKS=(); fi
[[ $ep_timings == 1 ]] && ensure_timing_plugin

mkdir -p "$BENCH_WORK/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tsv="$BENCH_WORK/results/overhead-$stamp.tsv"
report="$BENCH_WORK/results/overhead-$stamp.txt"
printf "project\tmode\trun\t$TSV_RUN_COLUMNS\n" > "$tsv"

exec > >(tee "$report") 2>&1
echo "== bench/compile-overhead.sh $(date -u +%FT%TZ)"
machine_info
echo "runs:         $runs per mode (+ $warmup warm-up of A), modes $modes, alternating; -J-Xmx$xmx"
any_fail=0

declare -A MODE_DESC=(
  [A]="Error Prone, all checks off"
  [B]="A + Hangcheck (${#CHECKS[@]} checks at WARN)"
  [C]="Error Prone default checks"
)

bench_project() {
  local name=$1
  "$EVAL_DIR/fetch.sh" "$name" >&2
  parse_project "$name"
  # The project's Hangcheck flags (projects.txt field 5, when eval/common.sh knows it) + --hangcheck-flags
  B_EXTRA_FLAGS="${P_FLAGS:-}${extra_flags:+ $extra_flags}"; B_EXTRA_FLAGS=${B_EXTRA_FLAGS# }
  local d="$BENCH_WORK/overhead/$name" src="$WORK_DIR/$name/src"
  mkdir -p "$d"
  find "$src" -name '*.java' ! -name module-info.java | LC_ALL=C sort > "$d/sources.txt"
  local nfiles nlines cp="" j
  nfiles=$(wc -l < "$d/sources.txt")
  nlines=$(tr '\n' '\0' < "$d/sources.txt" | xargs -0 cat | wc -l)
  for j in "$WORK_DIR/$name"/deps/*.jar; do [[ -f $j ]] && cp+="${cp:+:}$j"; done
  local outdir
  outdir=$(mktemp -d "${TMPDIR:-/tmp}/hangcheck-bench-$name.XXXXXX")
  local m
  for m in $(grep -o . <<< "$modes"); do
    write_argfile "$d/javac-$m.args" "$m" "$d/sources.txt" "$cp" "$outdir/classes" \
      "$([[ $ep_timings == 1 ]] && echo "$d/javac-$m.timings")" "${P_OPTS[@]}"
  done
  echo
  echo "== $name: $nfiles files, $nlines lines; javac options: ${P_OPTS[*]:-(none)}"
  [[ -n $B_EXTRA_FLAGS && $modes == *B* ]] && echo "   Hangcheck flags in B: $(cut -c1-150 <<< "$B_EXTRA_FLAGS")$([[ ${#B_EXTRA_FLAGS} -gt 150 ]] && echo ...)"

  local i rec
  for ((i = 1; i <= warmup; i++)); do
    rec=$(timed_javac "$d/javac-A.args" "$d/javac-A" "$xmx" "$tmo")
    echo "  warm-up A: $(cut -f2 <<< "$rec") s ($(cut -f10 <<< "$rec"))"
  done
  local r len=${#modes}
  for ((r = 1; r <= runs; r++)); do
    local line="  run $r/$runs:"
    for ((i = 0; i < len; i++)); do
      m=${modes:i:1}
      rec=$(timed_javac "$d/javac-$m.args" "$d/javac-$m" "$xmx" "$tmo")
      printf '%s\t%s\t%s\t%s\n' "$name" "$m" "$r" "$rec" >> "$tsv"
      local st wall rss hc
      wall=$(cut -f2 <<< "$rec"); rss=$(cut -f5 <<< "$rec"); hc=$(cut -f7 <<< "$rec")
      hcpu=$(cut -f8 <<< "$rec"); st=$(cut -f10 <<< "$rec")
      line+="  $m ${wall}s ${rss}MB"
      [[ $m == B && -n $hc ]] && line+=" hangcheck=${hc}ms"
      [[ $m == B && -n $hcpu ]] && line+=" (cpu ${hcpu}ms)"
      [[ $st != ok ]] && { line+=" [$st: $d/javac-$m.log]"; any_fail=1; }
    done
    echo "$line"
  done
  rm -rf "$outdir"

  # Findings of the last B run: a sanity check that the checks really ran.
  if [[ $modes == *B* ]]; then
    local c counts=""
    for c in "${CHECKS[@]}"; do
      counts+="$c=$(grep -cE "\.java:[0-9]+: (warning|error): \[$c\]" "$d/javac-B.log" || true) "
    done
    echo "  findings (last B run): $counts"
  fi

  # Medians.
  echo
  printf '  %-44s %5s %9s %13s %8s %9s %10s %9s\n' "mode" "runs" "wall s" "(min-max)" "CPU s" "RSS MB" "heap MB*" "checks s"
  declare -A MW MC MR MG MH MP ME
  for ((i = 0; i < len; i++)); do
    m=${modes:i:1}
    local n mn mx
    MW[$m]=$(col "$tsv" "$name" "$m" wall_s | median)
    MC[$m]=$(paste <(col "$tsv" "$name" "$m" user_s) <(col "$tsv" "$name" "$m" sys_s) | awk 'NF == 2 { print $1 + $2 }' | median)
    MR[$m]=$(col "$tsv" "$name" "$m" rss_mb | median)
    MG[$m]=$(col "$tsv" "$name" "$m" gc_peak_mb | median)
    MH[$m]=$(col "$tsv" "$name" "$m" hangcheck_ms | median)
    MP[$m]=$(col "$tsv" "$name" "$m" hangcheck_cpu_ms | median)
    ME[$m]=$(col "$tsv" "$name" "$m" ep_checks_ms | median)
    n=$(col "$tsv" "$name" "$m" wall_s | wc -l)
    mn=$(col "$tsv" "$name" "$m" wall_s | sort -g | head -1)
    mx=$(col "$tsv" "$name" "$m" wall_s | sort -g | tail -1)
    printf '  %-44s %5s %9.2f %13s %8.2f %9.0f %10.0f %9s\n' "$m  ${MODE_DESC[$m]}" "$n" "${MW[$m]:-0}" "($mn-$mx)" \
      "${MC[$m]:-0}" "${MR[$m]:-0}" "${MG[$m]:-0}" "$(awk -v x="${ME[$m]}" 'BEGIN { if (x == "") print "-"; else printf "%.2f", x / 1000 }')"
  done
  echo "  (* heap MB: the largest heap occupancy after a GC, about the peak live data; checks s: time"
  echo "   inside Error Prone checks by Error Prone's own timings, all checks of that mode)"
  if [[ $modes == *A* && $modes == *B* ]]; then
    local rw rc rr rg verdict_t verdict_m
    rw=$(ratio "${MW[B]}" "${MW[A]}"); rc=$(ratio "${MC[B]}" "${MC[A]}")
    rr=$(ratio "${MR[B]}" "${MR[A]}"); rg=$(ratio "${MG[B]}" "${MG[A]}")
    verdict_t=$(awk -v r="$rw" 'BEGIN { if (r == "n/a") print "n/a"; else print (r <= 1.10 ? "within" : "OVER") }')
    verdict_m=$(awk -v r="$rr" 'BEGIN { if (r == "n/a") print "n/a"; else print (r <= 1.10 ? "within" : "OVER") }')
    echo
    echo "  B/A wall time      $rw   ($verdict_t the 1.10 target)"
    echo "  B/A peak RSS       $rr   ($verdict_m the 1.10 target)"
    echo "  B/A CPU time       $rc"
    echo "  B/A heap after GC  $rg"
    local share='BEGIN { printf "%.2f s = %.1f%% of A'"'"'s median wall time", h / 1000, 100 * h / 1000 / a }'
    if [[ -n ${MP[B]} ]]; then
      echo "  Hangcheck's own CPU time (-Dhangcheck.timing, median of B):  $(awk -v h="${MP[B]}" -v a="${MW[A]}" "$share") (target: 10%)"
      echo "    phases (last B run, CPU): $(hangcheck_phases "$d/javac-B.log")"
    fi
    if [[ -n ${MH[B]} ]]; then
      echo "  Hangcheck's time inside its checks (Error Prone timings, wall, median of B): $(awk -v h="${MH[B]}" -v a="${MW[A]}" "$share")"
      echo "    per check (last B run): $(awk -F'\t' -v want=" ${CHECKS[*]} " 'index(want, " " $1 " ") { printf "%s %.2f s  ", $1, $2 / 1000 }' "$d/javac-B.timings" 2>/dev/null)"
    fi
  fi
  if [[ $modes == *A* && $modes == *C* ]]; then
    echo "  C/A wall time      $(ratio "${MW[C]}" "${MW[A]}")   (Error Prone's default checks, for scale)"
    if [[ -f $d/javac-C.timings ]]; then
      echo "    slowest default checks (last C run): $(grep -v '^_' "$d/javac-C.timings" | head -5 | awk -F'\t' '{ printf "%s %.2f s  ", $1, $2 / 1000 }')"
    fi
  fi
}

for p in "${projects[@]}"; do bench_project "$p"; done
echo
echo "runs: $tsv"
echo "report: $report"
exit $any_fail
