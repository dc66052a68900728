# Shared by bench/jmh.sh, bench/cps.sh and bench/media.sh (sourced, not run). Everything here stays on 127.0.0.1.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
BENCH_JAR=$BENCH_DIR/jmh/target/benchmarks.jar
SOFTSWITCH_JAR=$REPO_DIR/app/target/softswitch.jar
BENCH_DATE=$(date +%F)

# shellcheck source=../.mvn/find-jdk.sh
. "$REPO_DIR/.mvn/find-jdk.sh"
softswitch_find_jdk || exit 1
JAVA=$JAVA_HOME/bin/java
JAVA_OPTS_BASE=()
[ "$(softswitch_java_major "$JAVA")" -ge 23 ] && JAVA_OPTS_BASE+=(--sun-misc-unsafe-memory-access=allow)

bench_log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
# A command that fails under set -e says where, instead of ending the script without a word.
set -o errtrace
trap 'bench_log "bench: stopped: \"$BASH_COMMAND\" failed (line $LINENO of $(basename "$0"))"' ERR
bench_die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# bench_require COMMAND DEBIAN_PACKAGE: stops with the package to install when COMMAND is missing.
bench_require() {
  command -v "$1" >/dev/null 2>&1 || bench_die "$1 is missing: install it with 'apt-get install -y $2'"
}

# bench_build MODULES: builds the given reactor modules (and what they need) with the bench profile, tests skipped.
# BENCH_SKIP_BUILD=1 uses the jars as they are.
bench_build() {
  if [ "${BENCH_SKIP_BUILD:-0}" = 1 ]; then
    bench_log "build skipped (BENCH_SKIP_BUILD=1)"
  else
    bench_log "building $1 (./mvnw -Pbench -pl $1 -am package, tests skipped)..."
    (cd "$REPO_DIR" && ./mvnw -q -B -Pbench -DskipTests -Dspotless.skip=true -pl "$1" -am package) >&2 \
      || bench_die "the build failed; run: ./mvnw -Pbench -DskipTests -pl $1 -am package"
  fi
  [ -f "$BENCH_JAR" ] || bench_die "$BENCH_JAR is missing"
}

# bench_trial: "-trial" when BENCH_TRIAL=1 (a short validation run: its results say so and are not the latest).
bench_trial_suffix() { [ "${BENCH_TRIAL:-0}" = 1 ] && echo -trial || true; }

# bench_results_base NAME: bench/results/<date>-NAME[-trial] (without extension).
bench_results_base() { echo "$RESULTS_DIR/$BENCH_DATE-$1$(bench_trial_suffix)"; }

# bench_trial_banner: a warning line for the results file of a trial run.
bench_trial_banner() {
  if [ "${BENCH_TRIAL:-0}" = 1 ]; then
    echo "> **TRIAL RUN** (BENCH_TRIAL=1): short, small settings to check that the script works, on a machine that"
    echo "> was busy with other work. The numbers are not measurements; run it again on a quiet machine."
    echo
  fi
}

# bench_machine: a markdown list of what the numbers were measured on.
bench_machine() {
  local cpu cores mem commit
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  cores=$(nproc)
  mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  commit=$(cd "$REPO_DIR" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(cd "$REPO_DIR" && git status --porcelain -- . ':(exclude)bench/results' 2>/dev/null | awk 'NR == 1')" ]; then
    commit="$commit (with uncommitted changes)"
  fi
  echo "- date: $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo "- CPU: ${cpu:-unknown}, $cores cores; memory $mem"
  echo "- kernel: $(uname -sr)"
  echo "- JDK: $("$JAVA" -version 2>&1 | awk 'NR == 1') ($JAVA)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- softswitch commit: $commit"
}

# bench_free_port: an even port that neither UDP nor TCP uses on this host now, nor the one above it, from 61000-64998:
# above the kernel's ephemeral ports (32768-60999) and the softswitch's RTP range the scripts give it (10000-29999).
bench_free_port() {
  local port tries=0
  while [ $tries -lt 200 ]; do
    port=$(( (RANDOM % 2000) * 2 + 61000 ))
    if [ -z "$(ss -Hantu "( sport = :$port or sport = :$((port + 1)) )" 2>/dev/null)" ]; then
      echo "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  bench_die "no free port found"
}

# bench_group_ticks PGID: utime + stime (clock ticks, 1/100 s) of every live process in the process group PGID,
# threads included.
bench_group_ticks() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v g="$1" '{
    s = $0; sub(/^.*\) /, "", s); split(s, f, " ")
    # after the command: 1 state, 2 ppid, 3 pgrp, ..., 12 utime, 13 stime (proc(5) fields 3..15)
    if (f[3] == g) t += f[12] + f[13]
  } END { print t + 0 }'
}

# bench_start LOG COMMAND...: starts COMMAND in a session of its own (its pid is its process group), output to
# LOG; prints the pid.
bench_start() {
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 < /dev/null &
  echo $!
}

# bench_stop PID: SIGTERM to the process group PID, SIGKILL after 15 s.
bench_stop() {
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for i in $(seq 1 150); do
    kill -0 -- "-$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  bench_log "process group $pid did not stop in 15 s: killing it"
  kill -KILL -- "-$pid" 2>/dev/null || true
}

# bench_wait_udp PORT SECONDS: waits until something listens on UDP PORT.
bench_wait_udp() {
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do
    [ -n "$(ss -Hlun "sport = :$1" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  return 1
}

# bench_start_softswitch WORKDIR SIP_PORT HTTP_PORT RTP_LOW-RTP_HIGH: starts the packaged softswitch answering with
# its demo assistants (echo) on 127.0.0.1, logs and call records under WORKDIR; prints its pid once /health answers.
# Its collector's pauses go to WORKDIR/gc.log, stamped with System.nanoTime() (timenanos), the clock the load
# generator reads too. BENCH_JAVA_OPTS adds JVM options (e.g. -Xmx2g).
bench_start_softswitch() {
  local dir=$1 sip=$2 http=$3 rtp=$4 pid i
  [ -f "$SOFTSWITCH_JAR" ] || bench_die "$SOFTSWITCH_JAR is missing (build: ./mvnw -DskipTests -pl app -am package)"
  # shellcheck disable=SC2086
  pid=$(bench_start "$dir/softswitch.log" "$JAVA" "${JAVA_OPTS_BASE[@]}" "-Xlog:gc,safepoint:file=$dir/gc.log:timenanos" \
    ${BENCH_JAVA_OPTS:-} \
    -jar "$SOFTSWITCH_JAR" serve --bind 127.0.0.1 --sip-port "$sip" --http-port "$http" --rtp-ports "$rtp" \
    --call-records "$dir/calls.jsonl" --drain-timeout 5s)
  for i in $(seq 1 600); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$http/health" 2>/dev/null; then
      echo "$pid"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$dir/softswitch.log" >&2; bench_die "the softswitch did not start"; }
    sleep 0.1
  done
  bench_stop "$pid"
  bench_die "the softswitch did not answer /health in 60 s (log: $dir/softswitch.log)"
}

# bench_percentiles FILE: "p50 p99" of the numbers in FILE (one a line), nearest rank; "- -" when empty.
bench_percentiles() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- -"; exit }
    i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
    if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
    print v[i50], v[i99] }'
}

# bench_chart KIND OUT TITLE XLABEL YLABEL TSV [log]: draws a PNG with the bench jar's Chart tool.
bench_chart() {
  "$JAVA" -Djava.awt.headless=true -cp "$BENCH_JAR" dev.softswitch.bench.report.Chart "$@" \
    || bench_log "chart $2 failed"
}

# bench_update_latest: rewrites bench/results/latest.md, linking the newest results of each script (runs before trial
# runs of the same script).
bench_update_latest() {
  local name file out=$RESULTS_DIR/latest.md
  {
    echo "# Latest benchmark results"
    echo
    echo "Written by the bench scripts (see [bench/README.md](../README.md)); the newest result of each, a real run"
    echo "before a trial run (\`-trial\`, short settings that only check the script works)."
    echo
    echo "| suite | results | chart |"
    echo "|---|---|---|"
    for name in jmh cps media; do
      file=$(ls -1 "$RESULTS_DIR"/*-"$name".md 2>/dev/null | sort | tail -n 1 || true)
      [ -n "$file" ] || file=$(ls -1 "$RESULTS_DIR"/*-"$name"-trial.md 2>/dev/null | sort | tail -n 1 || true)
      if [ -n "$file" ]; then
        local base png
        base=$(basename "$file" .md)
        png=$(ls -1 "$RESULTS_DIR/$base".png 2>/dev/null || true)
        echo "| $name | [$base.md]($base.md) | ${png:+[$(basename "$png")]($(basename "$png"))} |"
      else
        echo "| $name | not run yet | |"
      fi
    done
  } > "$out"
}
