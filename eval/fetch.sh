#!/usr/bin/env bash
# Fetches the real-code projects of eval/projects.txt into eval/work/NAME (git-ignored):
#   eval/work/NAME/pom.xml    throwaway pom (the releases + extra deps)
#   eval/work/NAME/deps/      runtime classpath jars, WITHOUT the releases' own binary jars
#   eval/work/NAME/srcjars/   the releases' -sources.jar files
#   eval/work/NAME/src/       the sources, unpacked
# Idempotent: a project whose releases and extra deps (fields 1-3 of its projects.txt line) are
# unchanged since its last fetch is skipped; javac options and Hangcheck flags do not matter here.
# Usage: eval/fetch.sh NAME... | all      (-f / --force: fetch again anyway)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

force=0
names=()
for a in "$@"; do
  case $a in
    -f|--force) force=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) names+=("$a") ;;
  esac
done
[[ ${#names[@]} -gt 0 ]] || { sed -n '2,9p' "$0"; exit 2; }
list=$(expand_projects "${names[@]}") || exit 2
mapfile -t projects <<< "$list"

fetch_one() {
  parse_project "$1"
  local d="$WORK_DIR/$P_NAME" stamp
  stamp=$(printf '%s\n' "$P_FETCH_KEY" | md5sum | cut -d' ' -f1)
  if [[ $force == 0 && -f $d/.fetched && $(cat "$d/.fetched") == "$stamp" ]]; then
    echo "fetch: $P_NAME already fetched ($(find "$d/src" -name '*.java' | wc -l) .java files, $(ls "$d/deps" | wc -l) jars)"
    return 0
  fi
  echo "fetch: $P_NAME ..."
  local t0=$SECONDS
  rm -rf "$d/deps" "$d/srcjars" "$d/src" "$d/target" "$d/.fetched"
  mkdir -p "$d"

  local c g a v
  { pom_head "eval-$P_NAME"
    echo "  <dependencies>"
    for c in "${P_RELEASES[@]}" "${P_EXTRAS[@]}"; do dep_xml "$c"; done
    echo "  </dependencies>"
    cat <<EOF
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>${DEP_PLUGIN##*:}</version>
        <executions>
          <execution>
            <id>sources</id>
            <configuration>
              <outputDirectory>\${project.basedir}/srcjars</outputDirectory>
              <artifactItems>
EOF
    for c in "${P_RELEASES[@]}"; do
      IFS=':' read -r g a v <<< "$c"
      printf '                <artifactItem><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version><type>jar</type><classifier>sources</classifier></artifactItem>\n' "$g" "$a" "$v"
    done
    cat <<EOF
              </artifactItems>
            </configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
EOF
  } > "$d/pom.xml"

  (cd "$d" && mvnq "$DEP_PLUGIN:copy@sources" \
      "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory=deps) \
    || die "maven could not resolve $P_NAME (see $d/pom.xml)"

  # The sources must compile alone: drop the releases' own binary jars from the classpath.
  for c in "${P_RELEASES[@]}"; do
    IFS=':' read -r g a v <<< "$c"
    [[ -f $d/deps/$a-$v.jar ]] || die "expected $d/deps/$a-$v.jar after copy-dependencies"
    rm -f "$d/deps/$a-$v.jar"
    if ls "$d/deps/$a"-[0-9]*.jar > /dev/null 2>&1; then
      die "another version of $a is still in $d/deps: $(ls "$d/deps/$a"-[0-9]*.jar)"
    fi
  done

  mkdir -p "$d/src"
  local j
  for j in "$d"/srcjars/*-sources.jar; do
    unzip -q -o "$j" -d "$d/src"
  done
  local n
  n=$(find "$d/src" -name '*.java' ! -name module-info.java | wc -l)
  [[ $n -gt 0 ]] || die "no .java files unpacked for $P_NAME"
  echo "$stamp" > "$d/.fetched"
  echo "fetch: $P_NAME done in $((SECONDS - t0)) s ($n .java files, $(ls "$d/deps" | wc -l) jars in deps/)"
}

for p in "${projects[@]}"; do fetch_one "$p"; done
