# shellcheck shell=bash
# The client daemon (io.horae.cli.ClientDaemon, docs/cli-daemon.md): a warm JVM that runs client
# commands for bin/horae, so that `horae job ls` costs tens of milliseconds instead of a JVM start.
# The first client command starts it in the background and runs in a JVM of its own; the daemon
# exits after HORAE_DAEMON_IDLE (default 30m) without calls, or when the build changes.
# HORAE_DAEMON=off runs every command in a JVM of its own.
# Usage: . bin/lib/daemon.sh; dir=$(horae_daemon_dir "$ROOT"); horae_daemon_call "$dir" "$JDK" "$@"

# Seconds a caller waits for the daemon to take its call before running the command itself.
HORAE_DAEMON_TAKE_WAIT=3

horae_daemon_dir() { # $1 = root; prints the daemon directory of that checkout (private to the user)
  local base name=${1//[^A-Za-z0-9._-]/_}
  if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ] && [ -O "$XDG_RUNTIME_DIR" ]; then
    base=$XDG_RUNTIME_DIR/horae
  else
    base=${HOME:-/nonexistent}/.cache/horae/daemon
  fi
  if [ "${#name}" -gt 100 ]; then
    name=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
  fi
  printf '%s\n' "$base/$name"
}

horae_daemon_running() { # $1 = daemon dir; true when a daemon has announced itself there and lives
  local pid
  [ -p "$1/requests" ] && [ -O "$1" ] && [ -f "$1/pid" ] && read -r pid <"$1/pid" && kill -0 "$pid" 2>/dev/null
}

# Runs a client command in the daemon. Returns its exit code, or 255 when the daemon did not run it
# (none running, busy, another build, or the command reads stdin): then the caller runs it itself.
horae_daemon_call() { # $1 = daemon dir, $2 = JDK home, then the command's arguments
  local dir=$1 jdk=$2 call ack answer code out_pid err_pid
  shift 2
  horae_daemon_running "$dir" || return 255
  call=$(mktemp -d "$dir/call.XXXXXXXX" 2>/dev/null) || return 255
  if ! { printf '%s\0' horae-call-1 "$$" "$PWD" "$jdk" "$#" "$@" && env -0; } >"$call/req" ||
    ! mkfifo -m 600 "$call/ack" "$call/out" "$call/err"; then
    rm -rf "$call"
    return 255
  fi
  exec {ack}<>"$call/ack"
  printf '%s\n' "${call##*/}" 1<>"$dir/requests"
  if ! read -r -t "$HORAE_DAEMON_TAKE_WAIT" -u "$ack" answer; then
    # Not taken in time: take the request back; failing that, the daemon has just taken it.
    if mv "$call/req" "$call/given-up" 2>/dev/null; then
      exec {ack}<&-
      rm -rf "$call"
      return 255
    fi
    read -r -t 60 -u "$ack" answer || answer=lost
  fi
  if [ "$answer" != ok ]; then
    exec {ack}<&-
    [ "$answer" = lost ] && { echo "horae: the client daemon took the call and stopped answering; see $dir/daemon.log" >&2; return 1; }
    rm -rf "$call"
    return 255
  fi
  cat "$call/out" &
  out_pid=$!
  cat "$call/err" >&2 &
  err_pid=$!
  # Background jobs of a script ignore Ctrl-C, and wait would too: end the copies and the script,
  # and the daemon ends the command when it sees its caller gone.
  trap 'kill "$out_pid" "$err_pid" 2>/dev/null; exit 130' INT
  trap 'kill "$out_pid" "$err_pid" 2>/dev/null; exit 143' TERM
  trap 'kill "$out_pid" "$err_pid" 2>/dev/null; exit 129' HUP
  wait "$out_pid" "$err_pid" || true
  trap - INT TERM HUP
  # The daemon answers right after closing the output; a daemon that died mid-command does not.
  if ! read -r -t 10 -u "$ack" answer code; then
    exec {ack}<&-
    echo "horae: the client daemon stopped during the call; see $dir/daemon.log" >&2
    return 1
  fi
  exec {ack}<&-
  case "$answer" in
    rc) return "$code" ;;
    *) return 255 ;; # direct: the command reads stdin
  esac
}

horae_daemon_start() { # $1 = daemon dir, $2 = JDK home, $3 = class path, then JVM flags; background, best effort
  local dir=$1 jdk=$2 cp=$3
  shift 3
  command -v setsid >/dev/null 2>&1 || return 0 # without a session of its own, Ctrl-C would kill it
  mkdir -p -m 700 "$dir" 2>/dev/null && [ -O "$dir" ] || return 0
  (cd / && setsid "$jdk/bin/java" "$@" -cp "$cp" io.horae.cli.ClientDaemon "$dir" \
    --idle "${HORAE_DAEMON_IDLE:-30m}" </dev/null >/dev/null 2>&1 &)
}
