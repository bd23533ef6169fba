#!/usr/bin/env bash
# Renders a lock graph written by -XepOpt:Hangcheck:LockGraph=path/name (name.dot) to SVG with
# Graphviz (Debian: apt-get install graphviz).
#
#   docs/render-lock-graph.sh [graph.dot] [out.svg]
#
# With no arguments it renders the sample's graph (sample-violations/expected-lock-graph.dot, which
# SampleGoldenTest keeps true) to docs/images/sample-lock-graph.svg, the picture in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
in="${1:-sample-violations/expected-lock-graph.dot}"
out="${2:-docs/images/sample-lock-graph.svg}"
if ! command -v dot > /dev/null; then
  echo "Graphviz's dot is not installed (Debian: apt-get install graphviz)" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
dot -Tsvg "$in" -o "$out"
echo "wrote $out"
