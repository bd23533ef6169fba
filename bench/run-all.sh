#!/usr/bin/env bash
# The full performance measurement in one command (run it on a quiet machine):
#   1. bench/compile-overhead.sh --runs 5 PROJECTS   (default: guava; A B C alternating)
#   2. bench/scaling.sh --runs 3                     (N = 1000 ... 16000 synthetic classes)
#
# Usage: bench/run-all.sh [--build] [--checks-jar PATH] [--checks A,B] [--jdk 17|25]
#                         [--projects NAME,NAME | all] [--overhead-runs N] [--scaling-runs N]
#                         [--sizes LIST]
# --build builds the checks jar first (mvn -B -ntp -q -pl annotations,checks install -DskipTests).
# The reports are written to bench/work/results/ (their paths are printed at the end); copy the
# figures into docs/performance.md.
# Roughly 10 min for guava and 45-60 min for the scaling series on 2 quiet cores.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

common=(); projects=guava; overhead_runs=5; scaling_runs=3; sizes=""; build=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=1 ;;
    --checks-jar|--checks|--jdk) common+=("$1" "${2:?$1 needs a value}"); shift ;;
    --checks-jar=*|--checks=*|--jdk=*) common+=("$1") ;;
    --projects) projects=${2:?}; shift ;;            --projects=*) projects=${1#*=} ;;
    --overhead-runs) overhead_runs=${2:?}; shift ;;  --overhead-runs=*) overhead_runs=${1#*=} ;;
    --scaling-runs) scaling_runs=${2:?}; shift ;;    --scaling-runs=*) scaling_runs=${1#*=} ;;
    --sizes) sizes=${2:?}; shift ;;                  --sizes=*) sizes=${1#*=} ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) sed -n '2,13p' "$0" >&2; echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
IFS=',' read -r -a plist <<< "$projects"

echo "bench: load average before starting: $(cut -d' ' -f1-3 /proc/loadavg) (should be well below 1 for final figures)"
rc=0
build_opt=(); [[ $build == 1 ]] && build_opt=(--build)
"$here/compile-overhead.sh" "${build_opt[@]}" "${common[@]}" --runs "$overhead_runs" "${plist[@]}" || rc=$?
[[ $rc == 2 ]] && exit 2
size_opt=(); [[ -n $sizes ]] && size_opt=(--sizes "$sizes")
"$here/scaling.sh" "${common[@]}" --runs "$scaling_runs" "${size_opt[@]}" || rc=$?
echo
echo "bench: reports:"
ls -t "$here"/work/results/overhead-*.txt | head -1
ls -t "$here"/work/results/scaling-*.txt | head -1
exit $rc
