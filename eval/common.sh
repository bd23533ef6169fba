# Shared helpers for eval/fetch.sh and eval/run.sh (sourced, not run).

EVAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$EVAL_DIR/.." && pwd)
WORK_DIR="$EVAL_DIR/work"          # git-ignored: poms, jars, unpacked sources, logs
PROJECTS_FILE="$EVAL_DIR/projects.txt"
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MVN=(mvn -B -ntp -q -Dstyle.color=never)
# mvnq ARGS: quiet maven, without the stray colour codes Maven 3.8.7 prints even under -B -q
mvnq() { "${MVN[@]}" "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; return "${PIPESTATUS[0]}"; }

die() { echo "eval: $*" >&2; exit 2; }
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

# project_line NAME -> prints the projects.txt line of NAME (fails if unknown)
project_line() {
  local line name
  while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    name=$(trim "${line%%|*}")
    if [[ $name == "$1" ]]; then printf '%s\n' "$line"; return 0; fi
  done < "$PROJECTS_FILE"
  return 1
}

# all_projects -> names in file order
all_projects() {
  local line
  while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    trim "${line%%|*}"; echo
  done < "$PROJECTS_FILE"
}

# parse_project NAME: sets P_NAME, P_RELEASES (array), P_EXTRAS (array), P_OPTS (array),
# P_FLAGS (string: the Hangcheck flags, to go inside the -Xplugin:ErrorProne argument, or empty)
# and P_FETCH_KEY (the fields that decide what eval/fetch.sh fetches)
parse_project() {
  local line name rels extras opts flags rest
  line=$(project_line "$1") || die "unknown project '$1' (see $PROJECTS_FILE)"
  IFS='|' read -r name rels extras opts flags rest <<< "$line"
  [[ -z ${rest// /} ]] || die "project '$1' has more than five '|'-separated fields in $PROJECTS_FILE"
  P_NAME=$(trim "$name"); rels=$(trim "$rels"); extras=$(trim "$extras"); opts=$(trim "$opts")
  flags=$(trim "$flags")
  P_LINE=$line
  P_FETCH_KEY="$P_NAME|$rels|$extras"
  IFS=',' read -r -a P_RELEASES <<< "$rels"
  P_EXTRAS=()
  [[ $extras != "-" && -n $extras ]] && IFS=',' read -r -a P_EXTRAS <<< "$extras"
  P_OPTS=()
  [[ $opts != "-" && -n $opts ]] && read -r -a P_OPTS <<< "$opts"
  P_FLAGS=""
  if [[ $flags != "-" && -n $flags ]]; then
    # They go inside one quoted argument of a javac @argfile: no quotes or backslashes.
    [[ $flags != *[\"\'\\]* ]] || die "project '$1': the Hangcheck flags field must not contain quotes or backslashes"
    local f fs
    read -r -a fs <<< "$flags"
    for f in "${fs[@]}"; do
      [[ $f == -XepOpt:Hangcheck:* ]] || die "project '$1': '$f' in the Hangcheck flags field is not a -XepOpt:Hangcheck:... flag"
    done
    P_FLAGS=$flags
  fi
  local i
  for i in "${!P_RELEASES[@]}"; do P_RELEASES[$i]=$(trim "${P_RELEASES[$i]}"); done
  for i in "${!P_EXTRAS[@]}"; do P_EXTRAS[$i]=$(trim "${P_EXTRAS[$i]}"); done
  return 0
}

# expand NAME|all ... -> project names, one per line
expand_projects() {
  local a
  for a in "$@"; do
    if [[ $a == all ]]; then all_projects
    else project_line "$a" > /dev/null || die "unknown project '$a' (known: $(all_projects | tr '\n' ' '))"; echo "$a"
    fi
  done
}

# dep_xml g:a:v [classifier] -> a <dependency> element
dep_xml() {
  local g a v
  IFS=':' read -r g a v <<< "$1"
  [[ -n $g && -n $a && -n $v ]] || die "bad coordinates '$1' (want groupId:artifactId:version)"
  printf '    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>\n' "$g" "$a" "$v"
}

# pom_head ARTIFACT_ID -> opening of a throwaway pom
pom_head() {
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Throwaway pom written by eval/; only used to resolve jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.hangcheck.eval</groupId>
  <artifactId>$1</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
EOF
}

# java_home_for JDK -> JAVA_HOME for 17 or 25
java_home_for() {
  case $1 in
    17) for d in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-17-jdk-amd64; do
          [[ -x $d/bin/javac ]] && { echo "$d"; return 0; }; done ;;
    25) for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
          [[ -x $d/bin/javac ]] && { echo "$d"; return 0; }; done ;;
    *) die "unsupported --jdk '$1' (17 or 25)" ;;
  esac
  die "no JDK $1 found under /usr/lib/jvm"
}

# ep_version_for JDK -> Error Prone version that runs on it
ep_version_for() {
  case $1 in
    17) echo 2.42.0 ;;   # 2.43.0+ are Java 21 class files
    *)  echo 2.52.0 ;;
  esac
}

# ensure_errorprone VERSION -> resolves error_prone_core + deps into $WORK_DIR/_errorprone/VERSION/lib
ensure_errorprone() {
  local v=$1 d="$WORK_DIR/_errorprone/$1"
  if [[ -f $d/.done ]]; then return 0; fi
  mkdir -p "$d"
  { pom_head "errorprone-$v"
    echo "  <dependencies>"
    dep_xml "com.google.errorprone:error_prone_core:$v"
    echo "  </dependencies>"
    echo "</project>"; } > "$d/pom.xml"
  rm -rf "$d/lib"
  echo "eval: resolving error_prone_core $v ..." >&2
  (cd "$d" && mvnq "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory=lib) \
    || die "could not resolve error_prone_core $v"
  ls "$d"/lib/error_prone_core-*.jar > /dev/null 2>&1 || die "error_prone_core jar missing in $d/lib"
  touch "$d/.done"
}

# The ten exports/opens Error Prone needs from jdk.compiler, as javac -J flags.
JAVAC_J_FLAGS=()
for p in api file main model parser processing tree util; do
  JAVAC_J_FLAGS+=("-J--add-exports=jdk.compiler/com.sun.tools.javac.$p=ALL-UNNAMED")
done
for p in code comp; do
  JAVAC_J_FLAGS+=("-J--add-opens=jdk.compiler/com.sun.tools.javac.$p=ALL-UNNAMED")
done
unset p

HANGCHECK_CHECKS=(LockOrderInversion BlockingCallInNonBlockingContext BlockingCallUnderLock LockOrderViolation)
