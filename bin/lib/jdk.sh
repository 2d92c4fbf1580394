# shellcheck shell=bash
# Finds the newest JDK >= HORAE_JDK_MIN on this machine, the same places Maven's toolchains
# plugin looks: JAVA_HOME, the java on PATH, and the usual install folders.
# Usage: home=$(horae_find_jdk) || exit 1   (prints one clear line on stderr when none is found)

HORAE_JDK_MIN=21

horae_jdk_major() { # $1 = JDK home; prints its major version or nothing
  local home=$1 v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case "$v" in
    1.*) v=${v#1.} ;;
  esac
  printf '%s\n' "${v%%[.+-]*}"
}

horae_find_jdk() {
  local candidates=() best="" best_major=0 home major java_on_path
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java_on_path=$(command -v java 2>/dev/null); then
    candidates+=("$(cd "$(dirname "$(readlink -f "$java_on_path")")/.." && pwd)")
  fi
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/java/* "$HOME"/.sdkman/candidates/java/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    major=$(horae_jdk_major "$home")
    [ -n "$major" ] || continue
    if [ "$major" -ge "$HORAE_JDK_MIN" ] && [ "$major" -gt "$best_major" ]; then
      best=$home
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "horae: no JDK $HORAE_JDK_MIN or newer found (looked in JAVA_HOME, PATH, /usr/lib/jvm, /opt/java); install one, e.g. 'apt-get install openjdk-21-jdk' or Eclipse Temurin 21+, or set JAVA_HOME to it." >&2
    return 1
  fi
  printf '%s\n' "$best"
}

horae_jdk_id() { # $1 = JDK home; prints a number naming that JDK build (for files tied to it)
  { printf '%s\n' "$1"; cat "$1/release" 2>/dev/null; } | cksum | cut -d' ' -f1
}
