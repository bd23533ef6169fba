#!/usr/bin/env bash
# Compiles each project's unpacked sources with javac + Error Prone running ONLY the Hangcheck
# checks (at WARN) and collects their findings.
#
# Usage: eval/run.sh [options] NAME... | all
#   --quick            the CI-sized run: commons-pool2 only (a few seconds of javac)
#   --jdk 17|25        JDK to compile with (default 17; Error Prone 2.42.0 on 17, 2.52.0 on 25)
#   --build            first build the checks jar: mvn -B -ntp -q -pl annotations,checks install
#                      -DskipTests (with the same JDK as --jdk)
#   --checks-jar PATH  use this checks jar (default checks/target/hangcheck-checks-*.jar)
#   --checks A,B       enable only these of the four checks (default: all four)
#   --baseline         Error Prone with all checks off and no Hangcheck jar: for timing only,
#                      writes no results file
#   --flags "F ..."    more -XepOpt:Hangcheck:... flags for every project, after its own
#                      (e.g. --flags -XepOpt:Hangcheck:LockOrderMaxCallDepth=unlimited)
#   --out DIR          where NAME.txt goes (default eval/results, or eval/results/jdk25 on 25)
#
# Each project's Hangcheck flags (field 5 of projects.txt, e.g. -XepOpt:Hangcheck:NonBlockingMethods=
# ...) are appended inside the -Xplugin:ErrorProne argument.
#
# Writes OUT/NAME.txt: one line per finding, "Check<TAB>path/File.java:LINE<TAB>message"
# (path relative to the unpacked sources), sorted. The full javac output is kept in
# eval/work/NAME/javac-<mode>-jdk<N>.log. Prints one summary line per project.
# Exit status: 0 if all compiled cleanly, 1 if any project crashed (javac exit code non-zero,
# an unhandled Error Prone exception, or a stack trace through dev.hangcheck), 2 on setup errors.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

jdk=17; build=0; baseline=0; checks_jar=""; checks_sha=""; out=""; extra_flags=""; names=()
usage() { sed -n '2,23p' "$0"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) names+=(commons-pool2) ;;
    --jdk) jdk=${2:?--jdk needs 17 or 25}; shift ;;
    --jdk=*) jdk=${1#*=} ;;
    --build) build=1 ;;
    --checks-jar) checks_jar=${2:?}; shift ;;
    --checks-jar=*) checks_jar=${1#*=} ;;
    --checks) IFS=',' read -r -a HANGCHECK_CHECKS <<< "${2:?}"; shift ;;
    --checks=*) IFS=',' read -r -a HANGCHECK_CHECKS <<< "${1#*=}" ;;
    --baseline) baseline=1 ;;
    --flags) extra_flags=${2:?}; shift ;;
    --flags=*) extra_flags=${1#*=} ;;
    --out) out=${2:?}; shift ;;
    --out=*) out=${1#*=} ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) names+=("$1") ;;
  esac
  shift
done
[[ ${#names[@]} -gt 0 ]] || { usage >&2; exit 2; }
list=$(expand_projects "${names[@]}") || exit 2
mapfile -t projects <<< "$list"

JAVA_HOME_RUN=$(java_home_for "$jdk")
ep_version=$(ep_version_for "$jdk")
if [[ -z $out ]]; then
  if [[ $jdk == 17 ]]; then out="$EVAL_DIR/results"; else out="$EVAL_DIR/results/jdk$jdk"; fi
fi

if [[ $build == 1 ]]; then
  echo "run: building the checks jar with JDK $jdk ..."
  (cd "$ROOT_DIR" && JAVA_HOME="$JAVA_HOME_RUN" mvnq -pl annotations,checks install -DskipTests) \
    || die "building the checks failed"
fi

processorpath=""
ensure_errorprone "$ep_version"
for j in "$WORK_DIR/_errorprone/$ep_version"/lib/*.jar; do processorpath+="${processorpath:+:}$j"; done

if [[ $baseline == 1 ]]; then
  mode=baseline
  plugin_arg="-Xplugin:ErrorProne -XepDisableAllChecks"
else
  mode=hangcheck
  if [[ -z $checks_jar ]]; then
    checks_jar=$(ls "$ROOT_DIR"/checks/target/hangcheck-checks-*.jar 2>/dev/null | grep -v -e '-sources.jar$' -e '-javadoc.jar$' | head -1 || true)
  fi
  [[ -n $checks_jar && -f $checks_jar ]] || die "no checks jar (build it: mvn -B -ntp -q -pl annotations,checks install -DskipTests, or pass --build)"
  # grep -c reads all of unzip's output: with pipefail, grep -q could end unzip by SIGPIPE.
  unzip -l "$checks_jar" 2>/dev/null | grep -c 'META-INF/services/com.google.errorprone.bugpatterns.BugChecker' > /dev/null \
    || echo "run: WARNING: $checks_jar registers no BugChecker (META-INF/services missing)" >&2
  ann_jar=$(ls "$ROOT_DIR"/annotations/target/hangcheck-annotations-*.jar 2>/dev/null | grep -v -e '-sources.jar$' -e '-javadoc.jar$' | head -1 || true)
  # javac reads the jars lazily: a build that rewrites checks/target during the run (another
  # mvn in the same tree) would make it fail with "ZipFile invalid LOC header". Run on copies.
  jar_dir=$(mktemp -d "${TMPDIR:-/tmp}/hangcheck-eval-jars.XXXXXX")
  trap 'rm -rf "$jar_dir"' EXIT
  cp "$checks_jar" "$jar_dir/" || die "cannot copy $checks_jar"
  checks_sha=$(sha256sum "$jar_dir/$(basename "$checks_jar")" | cut -c1-12)
  processorpath+=":$jar_dir/$(basename "$checks_jar")"
  if [[ -n $ann_jar ]]; then
    cp "$ann_jar" "$jar_dir/" || die "cannot copy $ann_jar"
    processorpath+=":$jar_dir/$(basename "$ann_jar")"
  fi
  plugin_arg="-Xplugin:ErrorProne -XepDisableAllChecks"
  for c in "${HANGCHECK_CHECKS[@]}"; do plugin_arg+=" -Xep:$c:WARN"; done
  mkdir -p "$out"
fi

echo "run: JDK $jdk ($JAVA_HOME_RUN), Error Prone $ep_version, mode $mode${checks_jar:+, checks $checks_jar (sha256 $checks_sha...)}"

summaries=()
any_crash=0

run_one() {
  local name=$1
  "$EVAL_DIR/fetch.sh" "$name" > /dev/null
  parse_project "$name"
  local d="$WORK_DIR/$name" src="$WORK_DIR/$name/src"
  local tag="$mode-jdk$jdk"
  local log="$d/javac-$tag.log" argfile="$d/javac-$tag.args" classes
  classes=$(mktemp -d "${TMPDIR:-/tmp}/hangcheck-eval-$name.XXXXXX")

  local cp="" j
  for j in "$d"/deps/*.jar; do [[ -f $j ]] && cp+="${cp:+:}$j"; done

  # The project's Hangcheck flags (projects.txt, field 5) go inside the one -Xplugin:ErrorProne
  # argument; a separate -XepOpt argument would be an invalid javac flag. Not in --baseline,
  # which runs no Hangcheck check.
  local project_plugin_arg=$plugin_arg
  [[ $mode == hangcheck && -n $P_FLAGS ]] && project_plugin_arg+=" $P_FLAGS"
  [[ $mode == hangcheck && -n $extra_flags ]] && project_plugin_arg+=" $extra_flags"

  # Everything except the -J launcher flags goes into an @argfile (no -nowarn, no -Xlint:none:
  # they would hide Error Prone's warnings).
  {
    echo "-XDcompilePolicy=simple"
    echo "--should-stop=ifError=FLOW"
    echo "\"$project_plugin_arg\""
    echo "-processorpath"; echo "\"$processorpath\""
    if [[ -n $cp ]]; then echo "-classpath"; echo "\"$cp\""; fi
    echo "-d"; echo "\"$classes\""
    echo "-encoding"; echo "UTF-8"
    echo "-Xmaxwarns"; echo "100000"
    echo "-Xmaxerrs"; echo "1000"
    local o; for o in "${P_OPTS[@]}"; do echo "$o"; done
    find "$src" -name '*.java' ! -name module-info.java | LC_ALL=C sort | sed 's/.*/"&"/'
  } > "$argfile"

  local t0 t1 rc=0
  t0=$(date +%s%N)
  local timer=()
  rm -f "$d/javac-$tag.rss"
  [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f '%M' -o "$d/javac-$tag.rss")
  "${timer[@]}" "$JAVA_HOME_RUN/bin/javac" "${JAVAC_J_FLAGS[@]}" -J-Xmx4g "@$argfile" > "$log" 2>&1 || rc=$?
  t1=$(date +%s%N)
  rm -rf "$classes"
  local wall rss_mb
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  rss_mb=$(awk '/^[0-9]+$/ { printf "%d", $1 / 1024 }' "$d/javac-$tag.rss" 2>/dev/null || true)

  # Crash detection.
  local reasons=()
  [[ $rc != 0 ]] && reasons+=("javac exit $rc")
  if grep -q 'An unhandled exception was thrown by the Error Prone' "$log"; then
    reasons+=("unhandled Error Prone exception in $(grep -oE 'BugPattern: [A-Za-z0-9_]+' "$log" | cut -d' ' -f2 | sort -u | paste -sd, -)")
  fi
  grep -qE '^[[:space:]]+at dev\.hangcheck\.' "$log" && reasons+=("stack trace through dev.hangcheck")
  grep -q 'OutOfMemoryError' "$log" && reasons+=("OutOfMemoryError")
  local bad_name
  bad_name=$(grep -oE '[A-Za-z0-9_]+ is not a valid checker name' "$log" | head -1 || true)
  [[ -n $bad_name ]] && reasons+=("$bad_name (is the checks jar complete?)")
  local nerr
  nerr=$(grep -E '\.java:[0-9]+: error: ' "$log" | grep -vc 'An unhandled exception was thrown by the Error Prone' || true)
  [[ $nerr -gt 0 ]] && reasons+=("$nerr compile errors")

  local crash=no
  if [[ ${#reasons[@]} -gt 0 ]]; then
    crash="YES ($(IFS=';'; echo "${reasons[*]}" | sed 's/;/; /g'))"
    any_crash=1
  fi

  local line
  if [[ $mode == hangcheck && -n $bad_name ]]; then
    # The checks never ran: an empty results file would read as "no findings".
    line=$(printf '%-14s no results (checks not loaded)  crash=%s  wall=%ss' "$name" "$crash" "$wall")
  elif [[ $mode == hangcheck ]]; then
    local res="$out/$name.txt"
    # A diagnostic line: /abs/.../src/pkg/File.java:LINE: warning: [Check] message
    # (continuation lines -- source snippet, caret, "(see ...)" -- are not findings).
    awk -v pre="$src/" -v wanted="${HANGCHECK_CHECKS[*]}" '
      BEGIN { n = split(wanted, w, " "); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
      match($0, /\.java:[0-9]+: (warning|error): \[[A-Za-z0-9_]+\] ?/) {
        path = substr($0, 1, RSTART + 4)
        rest = substr($0, RSTART + 6)                    # LINE: warning: [Check] message
        c = index(rest, ":"); lineno = substr(rest, 1, c - 1)
        rest = substr(rest, c + 1)
        b = index(rest, "["); e = index(rest, "]")
        check = substr(rest, b + 1, e - b - 1)
        msg = substr(rest, e + 1); sub(/^ /, "", msg); sub(/\r$/, "", msg)
        if (!(check in ok)) next
        if (index(path, pre) == 1) path = substr(path, length(pre) + 1)
        print check "\t" path ":" lineno "\t" msg
      }' "$log" | LC_ALL=C sort > "$res"
    local counts="" c total
    total=$(wc -l < "$res")
    for c in "${HANGCHECK_CHECKS[@]}"; do
      counts+="$c=$(awk -F'\t' -v c="$c" '$1 == c { n++ } END { print n + 0 }' "$res") "
    done
    line=$(printf '%-14s %s total=%d  crash=%s  wall=%ss  rss=%sMB' "$name" "$counts" "$total" "$crash" "$wall" "${rss_mb:-?}")
  else
    local nwarn
    nwarn=$(grep -cE '\.java:[0-9]+: warning: ' "$log" || true)
    line=$(printf '%-14s baseline (all checks off) warnings=%d  crash=%s  wall=%ss  rss=%sMB' "$name" "$nwarn" "$crash" "$wall" "${rss_mb:-?}")
  fi
  echo "$line"
  summaries+=("$line")
  if [[ $crash != no ]]; then
    echo "  log: $log" >&2
    grep -m 20 -E 'error:|Exception|at dev\.hangcheck\.' "$log" | sed 's/^/  | /' >&2 || true
  fi
}

for p in "${projects[@]}"; do run_one "$p"; done

if [[ ${#projects[@]} -gt 1 ]]; then
  echo "---- summary (JDK $jdk, Error Prone $ep_version, $mode) ----"
  printf '%s\n' "${summaries[@]}"
fi
printf '%s\n' "# $(date -u +%FT%TZ) JDK $jdk, Error Prone $ep_version, $mode${checks_sha:+, checks jar sha256 $checks_sha...}" "${summaries[@]}" \
  > "$WORK_DIR/last-summary-$mode-jdk$jdk.txt"
[[ $mode == hangcheck ]] && echo "results: $out/"
exit $any_crash
