# shellcheck shell=bash
# The nodes' ahead-of-time cache (JDK 25+: JEP 483, 514 and 515): the classes a node loads and
# links, and the profiles of its methods, from a training run of a local cluster under load, so
# that a node that has just started serves its share on time sooner (docs/bench.md, "Cold start").
# `horae bench` makes it when it is missing or older than the jars or this file (two to three
# minutes, once per build and JDK); the bench's nodes, `horae server` and `horae dev` start from it
# when it is there. A JVM whose JDK or jars do not fit the cache runs without it, silently.
# HORAE_AOT=off: neither made nor used. Needs bin/lib/jdk.sh and bin/lib/cds.sh (horae_cds_fresh)
# sourced first.
# Usage: . bin/lib/aot.sh; cache=$(horae_aot_cache "$JDK" "$DIST"); horae_aot_make "$JDK" "$ROOT" "$cache"

# JVM flags of a node that starts from the cache $1.
horae_aot_flags() {
  printf '%s\n' "-XX:AOTCache=$1" -Xlog:aot=off -Xlog:cds=off
}

horae_aot_cache() { # $1 = JDK home, $2 = dist dir; prints the cache path of that JDK
  printf '%s\n' "$2/aot/node-jdk-$(horae_jdk_id "$1").aot"
}

horae_aot_usable() { # $1 = cache, $2 = root; true when on and fresh (newer than the jars and
  # than this file, whose training run it was made by)
  [ "${HORAE_AOT:-on}" != off ] && horae_cds_fresh "$1" "$2" && [ ! "$2/bin/lib/aot.sh" -nt "$1" ]
}

horae_aot_make() { # $1 = JDK home, $2 = root, $3 = cache; best effort
  local major tmp out
  [ "${HORAE_AOT:-on}" != off ] || return 0
  major=$(horae_jdk_major "$1")
  [ -n "$major" ] && [ "$major" -ge 25 ] || return 0 # -XX:AOTCacheOutput came with JDK 25
  echo "horae: training the nodes' ahead-of-time cache (once per build and JDK, two to three minutes; HORAE_AOT=off skips it) ..." >&2
  mkdir -p "$(dirname "$3")" || return 0
  rm -f "$(dirname "$3")"/*.aot
  tmp="$3.$$.tmp"
  out=$(mktemp -d) || return 0
  # The bench's warm-up (a steady load, then a burst), a full burst and one ladder step at 300/s:
  # creates, deliveries, leader and follower work. The full burst is there for the JIT: a method
  # the training saw compiled only by C1 waits in production for 250 times the usual calls before
  # it is profiled for C2 (JDK 25's Tier2ProfileDelayFactor, for methods with training data), so
  # the delivery path, C1-only at the end of a training without it, reached C2 only in the
  # measured burst, whose compilers took a sixth of the nodes' CPU (docs/bench.md, "The training
  # made the compilers wait"). The training's log is kept beside the cache.
  "$1/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    "-Dhorae.node.jvmOptionsFile=$2/config/jvm.options" "-Dhorae.node.logback=$2/config/logback.xml" \
    "-Dhorae.nativeDir=$2/cli/target/dist/native" \
    -cp "$2/cli/target/horae-cli.jar:$2/cli/target/dist/lib/*" io.horae.cli.HoraeCommand \
    bench --scenarios burst,ladder --ladder-rates 300 --ladder-step 10s --no-cold-start \
    --out "$out" --aot-cache-output "$tmp" >"$out/training.log" 2>&1 &&
    [ -s "$tmp" ] && mv -f "$tmp" "$3" ||
    echo "horae: no ahead-of-time cache; the nodes start without it (training log kept in $out)" >&2
  rm -f "$tmp"
  [ -f "$3" ] && cp "$out/training.log" "${3%.aot}.training.log" && rm -rf "$out"
  return 0
}
