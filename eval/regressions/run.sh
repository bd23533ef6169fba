#!/usr/bin/env bash
# Regression check of LockOrderInversion on documented lock-order deadlocks in released libraries:
# compiles the buggy and the fixed release of each bug (cases.txt) with eval/run.sh, restricted to
# LockOrderInversion, and checks its findings against expected.txt (see docs/deadlock-regressions.md).
#
# Usage: eval/regressions/run.sh [options] [BUG...]      (default: every bug in expected.txt)
#   --build            first build the checks jar (mvn -B -ntp -q -pl annotations,checks install
#                      -DskipTests), with the JDK of --jdk
#   --jdk 17|25        passed to eval/run.sh (default 17)
#   --checks-jar PATH  passed to eval/run.sh
#   --flags "F ..."    passed to eval/run.sh (more -XepOpt:Hangcheck:... flags)
#   --list             print the bugs and releases, compile nothing
#
# eval/run.sh and eval/fetch.sh read their projects from eval/projects.txt, next to them. To make
# them read cases.txt instead, without a copy of either, this script lays out a tree of symbolic
# links under eval/work/regressions/root (git-ignored): eval/{common,fetch,run}.sh point to the real
# scripts, eval/projects.txt to cases.txt, checks/ and annotations/ to the real modules (for the
# default checks jar), and eval/work/_errorprone to the main eval's Error Prone download. The
# releases are fetched into eval/work/regressions/root/eval/work/NAME, the findings written to
# eval/work/regressions/results[/jdk25]/NAME.txt.
#
# Exit status: 0 if every 'reported' expectation matched and no 'absent' one did; 1 if one failed;
# 2 on a setup error or if a release did not compile cleanly (its expectations then fail too).
set -uo pipefail
REG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$REG_DIR/../common.sh"   # EVAL_DIR, ROOT_DIR, WORK_DIR, die, trim, java_home_for, mvnq

CASES="$REG_DIR/cases.txt"
EXPECTED="$REG_DIR/expected.txt"
SHADOW="$WORK_DIR/regressions/root"

jdk=17; build=0; list=0; run_args=(); bugs=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=1 ;;
    --jdk) jdk=${2:?--jdk needs 17 or 25}; run_args+=(--jdk "$2"); shift ;;
    --jdk=*) jdk=${1#*=}; run_args+=("$1") ;;
    --checks-jar) run_args+=(--checks-jar "$(realpath "${2:?}")"); shift ;;
    --checks-jar=*) run_args+=(--checks-jar "$(realpath "${1#*=}")") ;;
    --flags) run_args+=(--flags "${2:?}"); shift ;;
    --flags=*) run_args+=("$1") ;;
    --list) list=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    -*) sed -n '2,22p' "$0" >&2; die "unknown option $1" ;;
    *) bugs+=("$1") ;;
  esac
  shift
done
RESULTS="$WORK_DIR/regressions/results"
[[ $jdk == 17 ]] || RESULTS+="/jdk$jdk"

# expected.txt -> parallel arrays, filtered by the BUG arguments.
E_BUG=(); E_REL=(); E_KIND=(); E_TEXT=()
while IFS= read -r line; do
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  IFS='|' read -r b r k t <<< "$line"
  b=$(trim "$b"); r=$(trim "$r"); k=$(trim "$k"); t=$(trim "$t")
  case $k in reported|absent|known-fp|known-fn) ;; *) die "bad kind '$k' in $EXPECTED: $line" ;; esac
  [[ -n $b && -n $r && -n $t ]] || die "incomplete line in $EXPECTED: $line"
  grep -qE "^[[:space:]]*$(printf '%s' "$r" | sed 's/[.[\*^$]/\\&/g')[[:space:]]*\|" "$CASES" \
    || die "release '$r' of $EXPECTED is not in $CASES"
  if [[ ${#bugs[@]} -gt 0 ]]; then
    wanted=0; for x in "${bugs[@]}"; do [[ $x == "$b" ]] && wanted=1; done
    [[ $wanted == 1 ]] || continue
  fi
  E_BUG+=("$b"); E_REL+=("$r"); E_KIND+=("$k"); E_TEXT+=("$t")
done < "$EXPECTED"
[[ ${#E_BUG[@]} -gt 0 ]] || die "no expectation for: ${bugs[*]} (bugs: $(grep -vE '^[[:space:]]*(#|$)' "$EXPECTED" | cut -d'|' -f1 | sed 's/ *$//' | sort -u | tr '\n' ' '))"
mapfile -t releases < <(printf '%s\n' "${E_REL[@]}" | awk '!seen[$0]++')

if [[ $list == 1 ]]; then
  for i in "${!E_BUG[@]}"; do printf '%-18s %-26s %-9s %s\n' "${E_BUG[$i]}" "${E_REL[$i]}" "${E_KIND[$i]}" "${E_TEXT[$i]}"; done
  exit 0
fi

# The tree of links that makes eval/run.sh read cases.txt.
mkdir -p "$SHADOW/eval/work" || die "cannot create $SHADOW"
for f in common.sh fetch.sh run.sh; do ln -sfn "$EVAL_DIR/$f" "$SHADOW/eval/$f"; done
ln -sfn "$CASES" "$SHADOW/eval/projects.txt"
ln -sfn "$ROOT_DIR/checks" "$SHADOW/checks"
ln -sfn "$ROOT_DIR/annotations" "$SHADOW/annotations"
mkdir -p "$WORK_DIR/_errorprone"
ln -sfn "$WORK_DIR/_errorprone" "$SHADOW/eval/work/_errorprone"

if [[ $build == 1 ]]; then
  echo "regressions: building the checks jar with JDK $jdk ..."
  (cd "$ROOT_DIR" && JAVA_HOME="$(java_home_for "$jdk")" mvnq -pl annotations,checks install -DskipTests) \
    || die "building the checks failed"
fi

# Compile (one javac at a time: eval/run.sh runs the releases in turn).
for r in "${releases[@]}"; do rm -f "$RESULTS/$r.txt"; done
t0=$SECONDS
"$SHADOW/eval/run.sh" --checks LockOrderInversion --out "$RESULTS" "${run_args[@]}" "${releases[@]}"
run_rc=$?
echo "regressions: compiled ${#releases[@]} releases in $((SECONDS - t0)) s"
[[ $run_rc == 2 ]] && die "eval/run.sh failed to set up (exit 2)"

# Check the expectations.
fails=0
echo "---- expectations (LockOrderInversion, JDK $jdk) ----"
for i in "${!E_BUG[@]}"; do
  b=${E_BUG[$i]}; r=${E_REL[$i]}; k=${E_KIND[$i]}; t=${E_TEXT[$i]}
  res="$RESULTS/$r.txt"
  if [[ ! -f $res ]]; then
    printf 'FAIL  %-18s %-24s %-9s no results (the release did not compile, see above)\n' "$b" "$r" "$k"
    fails=$((fails + 1)); continue
  fi
  # Count the findings that contain every ' && '-separated piece of text.
  n=$(awk -v spec="$t" 'BEGIN { np = split(spec, p, / && /) }
        { ok = 1; for (j = 1; j <= np; j++) if (index($0, p[j]) == 0) { ok = 0; break } ; if (ok) c++ }
        END { print c + 0 }' "$res")
  case $k in
    reported) if [[ $n -gt 0 ]]; then st=ok; else st=FAIL; fails=$((fails + 1)); fi
              msg="$n matching findings (must be > 0)" ;;
    absent)   if [[ $n -eq 0 ]]; then st=ok; else st=FAIL; fails=$((fails + 1)); fi
              msg="$n matching findings (must be 0)" ;;
    known-fp) st=info; if [[ $n -gt 0 ]]; then msg="still reported ($n findings): known false positive"
              else msg="no longer reported: make this line 'absent'"; fi ;;
    known-fn) st=info; if [[ $n -eq 0 ]]; then msg="still not reported: known miss"
              else msg="now reported ($n findings): check them, then make this line 'reported'"; fi ;;
  esac
  printf '%-5s %-18s %-24s %-9s %s\n' "$st" "$b" "$r" "$k" "$msg"
done

if [[ $run_rc != 0 ]]; then
  echo "regressions: a release did not compile cleanly (eval/run.sh exit $run_rc): results incomplete" >&2
  exit 2
fi
if [[ $fails -gt 0 ]]; then
  echo "regressions: $fails expectation(s) failed" >&2
  exit 1
fi
echo "regressions: all expectations hold"
exit 0
