# shellcheck shell=bash
# The class-data archive (AppCDS) that makes client commands (horae job ls, ...) start in a
# fraction of the time: the classes of a training run (io.horae.cli.ArchiveTraining), parsed and
# verified once, are mapped from the archive at start. An archive belongs to one JDK build and one
# set of jars: it is named after the JDK and made again when a jar is newer than it. A JVM that
# cannot use it anyway (another JDK under the same name, a damaged file) runs without it; the
# flags below keep that silent.
# Usage: . bin/lib/cds.sh; archive=$(horae_cds_archive "$JDK" "$DIST"); horae_cds_make "$JDK" "$ROOT" "$archive"
# As a command (the build runs it at package): bin/lib/cds.sh ROOT

# JVM flags of client commands: C1 only (a run of a second never profits from C2) and the serial
# collector (no GC threads to start); CDS messages off, since the JVM prints them on stdout.
HORAE_CLIENT_JVM=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off)

horae_cds_archive() { # $1 = JDK home, $2 = dist dir; prints the archive path of that JDK
  printf '%s\n' "$2/cds/jdk-$(horae_jdk_id "$1").jsa"
}

horae_cds_fresh() { # $1 = archive, $2 = root; true when it exists and no jar is newer
  [ -f "$1" ] && [ -z "$(find "$2/cli/target/horae-cli.jar" "$2/cli/target/dist/lib" -newer "$1" -print -quit 2>/dev/null)" ]
}

horae_cds_make() { # $1 = JDK home, $2 = root, $3 = archive; best effort, quiet
  local tmp="$3.$$.tmp"
  mkdir -p "$(dirname "$3")" || return 0
  "$1/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "${HORAE_CLIENT_JVM[@]}" \
    -XX:ArchiveClassesAtExit="$tmp" -cp "$2/cli/target/horae-cli.jar:$2/cli/target/dist/lib/*" \
    io.horae.cli.ArchiveTraining >/dev/null 2>&1 && [ -s "$tmp" ] && mv -f "$tmp" "$3"
  rm -f "$tmp"
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  root=$(cd "${1:?usage: cds.sh ROOT}" && pwd)
  # shellcheck source=jdk.sh
  . "$root/bin/lib/jdk.sh"
  jdk=$(horae_find_jdk) || exit 0 # the build has its own JDK check; no archive then
  archive=$(horae_cds_archive "$jdk" "$root/cli/target/dist")
  rm -f "$(dirname "$archive")"/*.jsa
  horae_cds_make "$jdk" "$root" "$archive"
fi
