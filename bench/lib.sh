# Shared helpers for bench/compile-overhead.sh and bench/scaling.sh (sourced, not run).
# Builds on eval/common.sh: the project list and fetch step (eval/fetch.sh), Error Prone's
# classpath (ensure_errorprone), the -J--add-exports/opens flags (JAVAC_J_FLAGS), the JDK and
# Error Prone version pairs (java_home_for, ep_version_for).

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../eval/common.sh"

BENCH_DIR="$ROOT_DIR/bench"
BENCH_WORK="$BENCH_DIR/work"        # git-ignored: timing plugin jar, synthetic sources, logs, results

die() { echo "bench: $*" >&2; exit 2; }
log() { echo "bench: $*" >&2; }

# ensure_gnu_time: /usr/bin/time must be GNU time (for -v: peak RSS, CPU times).
ensure_gnu_time() {
  if [[ -x /usr/bin/time ]] && /usr/bin/time -v true > /dev/null 2>&1; then return 0; fi
  log "GNU time is missing: apt-get install -y time"
  if [[ $(id -u) == 0 ]]; then
    (apt-get install -y -qq time > /dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time; }) > /dev/null 2>&1
  else
    sudo apt-get install -y -qq time > /dev/null 2>&1 || true
  fi
  [[ -x /usr/bin/time ]] && /usr/bin/time -v true > /dev/null 2>&1 || die "no GNU time at /usr/bin/time (apt-get install time)"
}

# find_checks_jar [JAR] -> the checks jar (default: checks/target/hangcheck-checks-*.jar)
find_checks_jar() {
  local j=${1:-}
  if [[ -z $j ]]; then
    j=$(ls "$ROOT_DIR"/checks/target/hangcheck-checks-*.jar 2>/dev/null | grep -v -e '-sources.jar$' -e '-javadoc.jar$' | head -1 || true)
  fi
  [[ -n $j && -f $j ]] || die "no checks jar (build it: mvn -B -ntp -q -pl annotations,checks install -DskipTests, or pass --build / --checks-jar)"
  (cd "$(dirname "$j")" && echo "$(pwd)/$(basename "$j")")
}

# annotations_jar_for CHECKS_JAR -> the annotations jar of the same build, if any
annotations_jar_for() {
  local root
  root=$(cd "$(dirname "$1")/../.." && pwd)
  ls "$root"/annotations/target/hangcheck-annotations-*.jar 2>/dev/null | grep -v -e '-sources.jar$' -e '-javadoc.jar$' | head -1 || true
}

# registered_checks JAR -> the check names the jar registers, one a line: the classes listed in
# META-INF/services/...BugChecker, each named by its @BugPattern(name = ...) (read with javap),
# or by its simple class name when the annotation has no name.
registered_checks() {
  local jar=$1 cls name
  unzip -p "$jar" META-INF/services/com.google.errorprone.bugpatterns.BugChecker 2>/dev/null \
    | sed 's/#.*//; s/[[:space:]]//g' | grep -v '^$' | while IFS= read -r cls; do
      name=$("$JAVA_HOME_RUN/bin/javap" -v -cp "$jar" "$cls" 2>/dev/null | awk '
        /^ *com\.google\.errorprone\.BugPattern\($/ { inbp = 1; next }
        inbp && /^ *\)$/ { exit }
        inbp && match($0, /^ *name="[^"]*"/) { s = substr($0, RSTART, RLENGTH); sub(/^ *name="/, "", s); sub(/"$/, "", s); print s; exit }')
      [[ -n $name ]] || name=${cls##*.}
      echo "$name"
    done
}

# build_checks: the same build as eval/run.sh --build
build_checks() {
  log "building the checks jar with JDK $JDK ..."
  (cd "$ROOT_DIR" && JAVA_HOME="$JAVA_HOME_RUN" mvnq -pl annotations,checks install -DskipTests) \
    || die "building the checks failed"
}

# ensure_timing_plugin -> sets TIMING_JAR (bench/timing-plugin compiled against Error Prone's jars)
ensure_timing_plugin() {
  local src="$BENCH_DIR/timing-plugin/src" out="$BENCH_WORK/timing-plugin-ep$EP_VERSION"
  TIMING_JAR="$out/ep-timings.jar"
  local stamp
  stamp=$(cat "$src"/dev/hangcheck/bench/*.java "$src"/META-INF/services/* | md5sum | cut -d' ' -f1)
  if [[ -f $TIMING_JAR && -f $out/.stamp && $(cat "$out/.stamp") == "$stamp" ]]; then return 0; fi
  rm -rf "$out"; mkdir -p "$out/classes/META-INF/services"
  "$JAVA_HOME_RUN/bin/javac" -d "$out/classes" -cp "$EP_CLASSPATH" \
    --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED \
    --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED \
    "$src"/dev/hangcheck/bench/*.java || die "cannot compile bench/timing-plugin"
  cp "$src"/META-INF/services/* "$out/classes/META-INF/services/"
  (cd "$out/classes" && "$JAVA_HOME_RUN/bin/jar" cf "$TIMING_JAR" .) || die "cannot package the timing plugin"
  echo "$stamp" > "$out/.stamp"
}

# setup_toolchain JDK: JAVA_HOME_RUN, EP_VERSION, EP_CLASSPATH (error_prone_core + deps)
setup_toolchain() {
  JDK=$1
  JAVA_HOME_RUN=$(java_home_for "$JDK")
  EP_VERSION=$(ep_version_for "$JDK")
  ensure_errorprone "$EP_VERSION"
  EP_CLASSPATH=""
  local j
  for j in "$WORK_DIR/_errorprone/$EP_VERSION"/lib/*.jar; do EP_CLASSPATH+="${EP_CLASSPATH:+:}$j"; done
}

# setup_checks CHECKS_JAR_OR_EMPTY CHECK_LIST_OR_EMPTY: CHECKS_JAR, ANN_JAR, CHECKS (array)
setup_checks() {
  CHECKS_JAR=$(find_checks_jar "$1")
  ANN_JAR=$(annotations_jar_for "$CHECKS_JAR")
  local registered
  registered=$(registered_checks "$CHECKS_JAR")
  [[ -n $registered ]] || die "$CHECKS_JAR registers no BugChecker (META-INF/services missing?)"
  if [[ -n $2 ]]; then
    IFS=',' read -r -a CHECKS <<< "$2"
    local c
    for c in "${CHECKS[@]}"; do
      grep -qx "$c" <<< "$registered" || die "check $c is not registered by $CHECKS_JAR (it has: $(paste -sd, <<< "$registered"))"
    done
  else
    mapfile -t CHECKS <<< "$registered"
  fi
}

# machine_info -> lines describing the machine and toolchain
machine_info() {
  local cpu mem
  cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
  echo "date:         $(date -u +%FT%TZ)"
  echo "machine:      $(nproc) cores ($(nproc --all) online), ${cpu:-unknown CPU}, $mem RAM, $(uname -sr)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (at start)"
  if awk '{ exit !($1 > 0.8) }' /proc/loadavg; then
    echo "WARNING:      other processes are using the CPU: wall times, and Error Prone's timings, will be noisy"
  fi
  echo "java:         $("$JAVA_HOME_RUN/bin/java" -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')"
  echo "Error Prone:  $EP_VERSION ($(ls "$WORK_DIR/_errorprone/$EP_VERSION"/lib/error_prone_core-*.jar | xargs basename))"
  if [[ -n ${CHECKS_JAR:-} ]]; then
    local built="built $(date -u -r "$CHECKS_JAR" +%FT%TZ)"
    if [[ $CHECKS_JAR == "$ROOT_DIR"/checks/target/* ]]; then
      built+=" from the working tree at git $(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null)"
      git -C "$ROOT_DIR" diff --quiet HEAD -- checks 2>/dev/null || built+=" (checks/ has uncommitted changes)"
    fi
    echo "Hangcheck:    $CHECKS_JAR ($built); checks: ${CHECKS[*]}"
  fi
  return 0
}

# write_argfile FILE MODE SRC_LIST_FILE CLASSPATH OUTDIR TIMINGS_FILE [javac options...]
#   MODE: A = Error Prone, all checks off, no Hangcheck jar
#         B = A + Hangcheck jar + the CHECKS at WARN + $B_EXTRA_FLAGS (-XepOpt:Hangcheck:... flags,
#             inside the same -Xplugin:ErrorProne argument)
#         C = Error Prone's default checks (errors demoted to warnings so every run goes to the end)
write_argfile() {
  local f=$1 mode=$2 srclist=$3 cp=$4 outdir=$5 timings=$6; shift 6
  local plugin pp=$EP_CLASSPATH c
  case $mode in
    A) plugin="-Xplugin:ErrorProne -XepDisableAllChecks" ;;
    B) plugin="-Xplugin:ErrorProne -XepDisableAllChecks"
       for c in "${CHECKS[@]}"; do plugin+=" -Xep:$c:WARN"; done
       [[ -n ${B_EXTRA_FLAGS:-} ]] && plugin+=" $B_EXTRA_FLAGS"
       pp+=":$CHECKS_JAR"; [[ -n $ANN_JAR ]] && pp+=":$ANN_JAR" ;;
    C) plugin="-Xplugin:ErrorProne -XepAllErrorsAsWarnings" ;;
    *) die "unknown mode $mode" ;;
  esac
  [[ -n $timings ]] && pp+=":$TIMING_JAR"
  {
    echo "-XDcompilePolicy=simple"
    echo "--should-stop=ifError=FLOW"
    echo "\"$plugin\""
    [[ -n $timings ]] && echo "\"-Xplugin:EpTimings $timings\""
    echo "-processorpath"; echo "\"$pp\""
    if [[ -n $cp ]]; then echo "-classpath"; echo "\"$cp\""; fi
    echo "-d"; echo "\"$outdir\""
    echo "-encoding"; echo "UTF-8"
    echo "-Xmaxwarns"; echo "100000"
    echo "-Xmaxerrs"; echo "1000"
    local o; for o in "$@"; do echo "$o"; done
    sed 's/.*/"&"/' "$srclist"
  } > "$f"
}

# TSV columns of a run (after the project/size, mode and run columns):
TSV_RUN_COLUMNS='exit\twall_s\tuser_s\tsys_s\trss_mb\tgc_peak_mb\thangcheck_ms\thangcheck_cpu_ms\tep_checks_ms\tstatus'

# timed_javac ARGFILE LOGPREFIX XMX TIMEOUT_S -> prints one TSV record ($TSV_RUN_COLUMNS):
#   exit  wall_s  user_s  sys_s  rss_mb  gc_peak_mb  hangcheck_ms  hangcheck_cpu_ms  ep_checks_ms  status
# LOGPREFIX.log (javac output), .time (GNU time -v), .gc (GC log), .timings (EpTimings) are kept.
# gc_peak_mb is the largest heap occupancy after a GC (about the peak live data); hangcheck_ms is
# the sum of Error Prone's timings for the CHECKS (wall time inside them); hangcheck_cpu_ms is
# Hangcheck's own CPU time ("total" of the "hangcheck-timing:" line that -J-Dhangcheck.timing=true
# makes the checks print at exit; empty for a jar without it); ep_checks_ms is the sum of Error
# Prone's timings over all checks.
timed_javac() {
  local argfile=$1 lp=$2 xmx=$3 tmo=$4
  local outdir rc=0 t0 t1
  outdir=$(sed -n '/^-d$/{n;p;q}' "$argfile" | tr -d '"')
  rm -rf "$outdir"; mkdir -p "$outdir"
  rm -f "$lp.log" "$lp.time" "$lp.gc" "$lp.timings"
  t0=$(date +%s%N)
  # time(1) waits for timeout(1), which waits for javac: -v reports javac's peak RSS and CPU.
  /usr/bin/time -v -o "$lp.time" timeout --signal=KILL "$tmo" \
    "$JAVA_HOME_RUN/bin/javac" "${JAVAC_J_FLAGS[@]}" "-J-Xmx$xmx" "-J-Xlog:gc:file=$lp.gc" -J-Dhangcheck.timing=true "@$argfile" \
    > "$lp.log" 2>&1 || rc=$?
  t1=$(date +%s%N)
  rm -rf "$outdir"
  local wall user sys rss gcpeak hc hcpu all status=ok
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  user=$(awk -F': ' '/User time \(seconds\)/ { print $2 }' "$lp.time" 2>/dev/null)
  sys=$(awk -F': ' '/System time \(seconds\)/ { print $2 }' "$lp.time" 2>/dev/null)
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$lp.time" 2>/dev/null)
  # "[0.123s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 300M->120M(512M) 4.5ms"
  gcpeak=$(awk 'match($0, /->[0-9]+M\(/) { v = substr($0, RSTART + 2, RLENGTH - 4) + 0; if (v > m) m = v } END { print m + 0 }' "$lp.gc" 2>/dev/null)
  hc=$(awk -F'\t' -v want=" ${CHECKS[*]:-} " 'index(want, " " $1 " ") { s += $2 } END { printf "%.0f", s }' "$lp.timings" 2>/dev/null || echo "")
  all=$(awk -F'\t' '$1 !~ /^_/ { s += $2 } END { printf "%.0f", s }' "$lp.timings" 2>/dev/null || echo "")
  [[ -f $lp.timings ]] || { hc=""; all=""; }
  # "hangcheck-timing: LockOrderInversion=12ms index=30ms total=50ms"
  hcpu=$(grep -m1 '^hangcheck-timing:' "$lp.log" 2>/dev/null | grep -oE '(^| )total=[0-9]+ms' | tr -dc '0-9' || true)
  if [[ $rc == 137 || $rc == 124 ]] && awk -v w="$wall" -v t="$tmo" 'BEGIN { exit !(w >= t - 1) }'; then status="TIMEOUT(${tmo}s)"
  elif [[ $rc != 0 ]]; then status="javac-exit-$rc"
  fi
  grep -q 'An unhandled exception was thrown by the Error Prone' "$lp.log" && status="EP-crash"
  grep -q 'OutOfMemoryError' "$lp.log" && status="OOM"
  grep -q 'is not a valid checker name' "$lp.log" && status="unknown-check"
  if [[ $status == ok ]] && grep -qE '\.java:[0-9]+: error: ' "$lp.log"; then status="compile-errors"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rc" "$wall" "${user:-}" "${sys:-}" "${rss:-}" "$gcpeak" "$hc" "$hcpu" "$all" "$status"
}

# hangcheck_phases LOG -> the "hangcheck-timing:" line's phases, or nothing
hangcheck_phases() { grep -m1 '^hangcheck-timing:' "$1" 2>/dev/null | sed 's/^hangcheck-timing: *//' || true; }

# median: of the numbers on stdin (empty lines ignored); prints "" if none
median() {
  sort -g | awk 'NF { a[n++] = $1 } END { if (n == 0) { print ""; exit } if (n % 2) printf "%.3f\n", a[(n - 1) / 2]; else printf "%.3f\n", (a[n / 2 - 1] + a[n / 2]) / 2 }'
}

# col TSV KEY MODE COLUMN: the values of COLUMN (a header name) for the ok runs of MODE whose
# first column (project or size) is KEY
col() {
  awk -F'\t' -v k="$2" -v m="$3" -v c="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == k && $h["mode"] == m && $h["status"] == "ok" && $h[c] != "" { print $h[c] }' "$1"
}

# ratio X Y -> X/Y with 3 decimals, or "n/a"
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (x == "" || y == "" || y + 0 == 0) print "n/a"; else printf "%.3f", x / y }'; }
