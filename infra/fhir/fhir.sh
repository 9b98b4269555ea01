#!/usr/bin/env bash
# HAPI FHIR test tools (validator, generic client) without Docker or a package server.
# The jars come from Maven Central via pom.xml; the Java sources in src/ are compiled against them.
# Everything generated lives in infra/fhir/.fhir/ (gitignored).
#
#   fhir.sh fetch             download the jars and compile src/ (once; markers make it idempotent)
#   fhir.sh classpath         print the classpath (jars + compiled classes), fetching first
#   fhir.sh run CLASS ARGS    run a class from src/ with that classpath
# Progress goes to stderr; stdout carries only what `classpath` or the class prints.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOME_DIR="${FHIR_TOOLS_DIR:-$SCRIPT_DIR/.fhir}"
LIB_DIR="$HOME_DIR/lib"
CLASSES="$HOME_DIR/classes"
LOCK_FILE="$HOME_DIR/.lock"

log() { echo "fhir.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found on PATH ($2)"; }

# Serialise fetch between concurrent callers (parallel jest workers, several checkouts).
with_lock() {
  mkdir -p "$HOME_DIR"
  exec 9>"$LOCK_FILE"
  flock 9
}

hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

fetch_jars() {
  local marker="$LIB_DIR/.fetched" want
  want="$(hash_of "$SCRIPT_DIR/pom.xml")"
  [[ -f "$marker" && "$(cat "$marker")" == "$want" ]] && return 0
  need mvn "install Maven 3.8+"
  log "fetching HAPI FHIR jars from Maven Central (first run only)..."
  local tmp="$HOME_DIR/lib.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -B -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$HOME_DIR/mvn.log" 2>&1; then
    rm -rf "$tmp"
    grep -E 'ERROR|FAIL' "$HOME_DIR/mvn.log" | head -n 20 >&2 || true
    die "mvn dependency:copy-dependencies failed (is Maven Central reachable?); full log: $HOME_DIR/mvn.log"
  fi
  echo "$want" >"$tmp/.fetched"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  log "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l) jars into $LIB_DIR"
}

compile_sources() {
  local marker="$CLASSES/.compiled" want sources
  [[ -d "$SCRIPT_DIR/src" ]] || return 0
  mapfile -t sources < <(find "$SCRIPT_DIR/src" -name '*.java' | sort)
  [[ ${#sources[@]} -gt 0 ]] || return 0
  want="$(hash_of "${sources[@]}" "$LIB_DIR/.fetched")"
  [[ -f "$marker" && "$(cat "$marker")" == "$want" ]] && return 0
  need javac "install a Java 17 JDK"
  local tmp="$HOME_DIR/classes.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  javac -nowarn -encoding UTF-8 --release 17 -cp "$LIB_DIR/*" -d "$tmp" "${sources[@]}" >&2 || {
    rm -rf "$tmp"
    die "javac failed"
  }
  echo "$want" >"$tmp/.compiled"
  rm -rf "$CLASSES"
  mv "$tmp" "$CLASSES"
}

ensure() {
  need java "install a Java 17 runtime"
  with_lock
  fetch_jars
  compile_sources
  exec 9>&-
}

cmd="${1:-}"
case "$cmd" in
  fetch) ensure ;;
  classpath)
    ensure
    echo "$CLASSES:$LIB_DIR/*"
    ;;
  run)
    shift
    [[ $# -ge 1 ]] || die "usage: fhir.sh run CLASS [ARGS]"
    ensure
    exec java -Xmx768m -cp "$CLASSES:$LIB_DIR/*" "$@"
    ;;
  *) die "usage: fhir.sh fetch | classpath | run CLASS [ARGS]" ;;
esac
