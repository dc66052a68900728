#!/usr/bin/env bash
# Concurrent echo calls with real RTP both ways. For each N in MEDIA_CALLS a fresh softswitch is started
# (app/target/softswitch.jar serve, echo assistant) and the bench jar's load generator (dev.softswitch.bench.load.EchoLoad)
# places N calls over SIP, streams 20 ms PCMU on each (marked packets, spread over the 20 ms period), and measures
# over a steady window of MEDIA_DURATION_S seconds: the softswitch's CPU, packets lost (the generator's own count of
# echoes that never came back, and the softswitch's call records), late outbound packets and send-interval
# percentiles (the softswitch's /metrics, when it has softswitch_rtp_send_interval_seconds), the pacer's wake-up
# lateness, the echo's added delay per packet, and heap per call (after a full GC: N calls up, minus once they hung up).
# Writes
#   bench/results/<date>-media.md          machine, settings, the table
#   bench/results/<date>-media.png         CPU, echo delay and send-interval p99 by N
#   bench/results/<date>-media-pacing.png  distribution of the echoed packets' spacing (distance from 20 ms) by N
#   bench/results/<date>-media-send.png    the softswitch's send intervals by N (when it measures them)
#   bench/results/<date>-media-timeline-N.png  per 100 ms step of the window: late echoes, the worst delay, steal, the
#                                          generator's lateness and the softswitch's GC pauses
# Settings (environment): MEDIA_CALLS ("100 250 500 1000"), MEDIA_DURATION_S (30), MEDIA_SETUP_RATE (100 calls/s),
# MEDIA_SETTLE_S (5), MEDIA_TAIL_S (3), MEDIA_LATE_MS (2: a send interval over 20 + this is a late packet),
# BENCH_JAVA_OPTS (softswitch JVM options), BENCH_LOAD_JAVA_OPTS (the load generator's), BENCH_TRIAL=1 (a short validation run, marked as such),
# BENCH_SKIP_BUILD=1 (use the jars as they are).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sizes=${MEDIA_CALLS:-100 250 500 1000}
duration_s=${MEDIA_DURATION_S:-30}
setup_rate=${MEDIA_SETUP_RATE:-100}
settle_s=${MEDIA_SETTLE_S:-5}
tail_s=${MEDIA_TAIL_S:-3}
late_ms=${MEDIA_LATE_MS:-2}
JCMD=$JAVA_HOME/bin/jcmd

bench_require ss iproute2
bench_require curl curl
[ -x "$JCMD" ] || bench_die "jcmd is missing from $JAVA_HOME (a full JDK is needed for the heap readings)"

total=0
for n in $sizes; do total=$(( total + 10 + n / setup_rate + settle_s + duration_s + tail_s + 8 )); done
echo "media: N = $sizes concurrent echo calls, ${duration_s} s measured each: about $(( total / 60 )) min $(( total % 60 )) s" \
  "(+ about 1 min to build)"

bench_build app,bench/jmh
work=$BENCH_DIR/target/media-$(date +%Y%m%d-%H%M%S)
mkdir -p "$work" "$RESULTS_DIR"
base=$(bench_results_base media)
rows=$work/rows.tsv
: > "$rows"
server_pid=
load_pid=
cleanup() {
  [ -n "$load_pid" ] && bench_stop "$load_pid"
  [ -n "$server_pid" ] && bench_stop "$server_pid"
  load_pid=
  server_pid=
}
trap cleanup EXIT

# heap_kb PID: heap used after a full GC, in KiB.
heap_kb() {
  "$JCMD" "$1" GC.run > /dev/null
  "$JCMD" "$1" GC.heap_info | grep -o 'used [0-9]*K' | head -n 1 | tr -dc '0-9' || true
}

# wait_line FILE TEXT SECONDS: waits until a line of FILE starts with TEXT.
wait_line() {
  local i
  for i in $(seq 1 $(( $3 * 10 ))); do
    grep -q "^$2" "$1" 2>/dev/null && return 0
    kill -0 "$load_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

r() { local v; v=$(sed -n "s/^RESULT $1=//p" "$dir/load.out"); echo "${v:-nan}"; }

for n in $sizes; do
  dir=$work/$n
  mkdir -p "$dir"
  sip=$(bench_free_port)
  http=$(bench_free_port)
  bench_log "N=$n: starting the softswitch on 127.0.0.1:$sip"
  server_pid=$(bench_start_softswitch "$dir" "$sip" "$http" 10000-29999)
  sleep 2
  heap_idle=$(heap_kb "$server_pid")
  bench_log "N=$n: idle heap ${heap_idle} KiB; placing $n calls at $setup_rate/s"
  # shellcheck disable=SC2086
  load_pid=$(bench_start "$dir/load.out" "$JAVA" -Xms512m "-Xlog:gc,safepoint:file=$dir/load-gc.log:timenanos" \
    ${BENCH_LOAD_JAVA_OPTS:-} -cp "$BENCH_JAR" dev.softswitch.bench.load.EchoLoad \
    --server "127.0.0.1:$sip" --calls "$n" --rate "$setup_rate" --settle "$settle_s" --duration "$duration_s" \
    --tail "$tail_s" --late-ms "$late_ms" --server-pid "$server_pid" --metrics "http://127.0.0.1:$http/metrics" \
    --out "$dir" --hold-file "$dir/heap-read" --gc-log "$dir/gc.log")
  wait_line "$dir/load.out" STEADY $(( n / setup_rate + settle_s + 30 )) \
    || { cat "$dir/load.out" >&2; bench_die "N=$n: the calls did not come up (see $dir)"; }
  g0=$(bench_group_ticks "$load_pid")
  t0=$(date +%s%N)
  bench_log "N=$n: $(grep '^UP' "$dir/load.out"); measuring for $duration_s s"
  wait_line "$dir/load.out" MEASURED $(( duration_s + 30 )) \
    || { cat "$dir/load.out" >&2; bench_die "N=$n: the load generator stopped (see $dir)"; }
  g1=$(bench_group_ticks "$load_pid")
  t1=$(date +%s%N)
  heap_up=$(heap_kb "$server_pid")
  active=$(curl -fsS "http://127.0.0.1:$http/metrics" | awk '/^softswitch_calls_active / { print $2 + 0 }' || true)
  touch "$dir/heap-read" # the generator hangs up now
  wait_line "$dir/load.out" "RESULT pacer_skipped_ticks" $(( tail_s + 40 )) \
    || { cat "$dir/load.out" >&2; bench_die "N=$n: the load generator did not finish (see $dir)"; }
  load_pid=
  sleep 2
  heap_after=$(heap_kb "$server_pid") # the calls ended: what stays is not theirs
  bench_stop "$server_pid"
  server_pid=
  # the softswitch's view of the callers' streams: RFC 3550 loss over every call's record
  records=$(wc -l < "$dir/calls.jsonl" 2>/dev/null || echo 0)
  read -r rec_lost rec_received < <({ grep -o '"packets_received":[0-9]*,"packets_lost":[0-9]*' "$dir/calls.jsonl" \
    || true; } | tr -dc '0-9:,\n' | awk -F'[:,]' '{ r += $2; l += $4 } END { print l + 0, r + 0 }')
  gen_cpu=$(awk -v c="$((g1 - g0))" -v t="$((t1 - t0))" 'BEGIN { printf "%.0f", c / (t / 1e9) }')
  cores=$(nproc)
  row=("$n" "$(r connected)" "$(r failed)" "$(r server_cpu_pct)" "$cores" "$(r rtp_sent)" "$(r rtp_lost)"
    "$(r loss_pct)" "$rec_lost" "$rec_received" "$(r late_packets)" "$(r send_intervals)" "$(r send_interval_p50_ms)"
    "$(r send_interval_p99_ms)" "$(r pacer_late_p50_ms)" "$(r pacer_late_p99_ms)" "$(r delay_p50_ms)"
    "$(r delay_p99_ms)" "${heap_idle:-0}" "${heap_up:-0}" "${active:-0}" "${heap_after:-0}" "$(r setup_p99_ms)"
    "$(r spacing_p99_ms)" "$(r generator_late_p99_ms)" "$gen_cpu" "$records" "$(r late_bound_ms)"
    "$(r pacer_skipped_ticks)" "$(r generator_late_p50_ms)" "$(r steal_pct)" "$(r late_steps)"
    "$(r late_in_worst_10_steps_pct)" "$(r gc_pauses)" "$(r gc_pause_total_ms)" "$(r gc_pause_max_ms)")
  echo "${row[*]}" >> "$rows"
  bench_log "N=$n: $(tail -n 1 "$rows")"
done

# ---- report ----
# columns of rows.tsv (space-separated; nan = not measured, inf = beyond the histogram's last bound):
#  1 N  2 connected  3 failed  4 cpu% (one core)  5 cores  6 sent  7 echo lost  8 echo loss %  9 rec lost
# 10 rec received  11 late packets  12 send intervals  13 interval p50  14 interval p99  15 pacer p50  16 pacer p99
# 17 delay p50  18 delay p99  19 heap idle KiB  20 heap up KiB  21 active  22 heap after hang-up KiB  23 setup p99
# 24 spacing p99  25 generator late p99  26 generator cpu%  27 records  28 late bound ms  29 pacer skipped
# 30 generator late p50  31 steal % of machine  32 100 ms steps with an echo over 21 ms
# 33 % of those echoes in the worst 10 steps  34 softswitch GC pauses  35 their total ms  36 the longest ms
AWK_FMT='function f(x) { return x == "nan" || x == "" ? "n/a" : x == "inf" ? "inf" : sprintf("%.1f", x) }'
table() {
  awk "$AWK_FMT"'{
    machine = $4 == "nan" ? "n/a" : sprintf("%.0f%%", $4 / $5)
    late = ($11 == "-1" || $11 == "nan") ? "n/a" : sprintf("%d (%.2f%%)", $11, $12 > 0 ? 100 * $11 / $12 : 0)
    beyond = $18 == "nan" ? "n/a" : sprintf("%.1f", $18 - 20)
    heap = $21 > 0 && $20 > 0 && $22 > 0 ? sprintf("%.1f", ($20 - $22) / $21) : "n/a"
    printf "| %d | %d | %d | %s | %d (%s%%) | %d of %d | %s | %s / %s | %s / %s | %s / %s | %s | %s |\n",
      $1, $2, $3, machine, $7, f($8), $9, $10, late, f($13), f($14), f($15), f($16), f($17), f($18), beyond, heap
  }' "$rows"
}
{
  echo "# Concurrent echo calls with RTP both ways, $BENCH_DATE"
  echo
  bench_trial_banner
  bench_machine
  echo "- calls: N = $sizes, set up at $setup_rate/s, measured $duration_s s once all were up, $settle_s s had passed and 3 s more after the first reading of the server;" \
    "PCMU 20 ms both ways, telephone-event offered, rtcp-mux"
  echo "- the load generator (bench jar, EchoLoad) runs on the same machine: its own CPU and timing noise are in the"
  echo "  second table"
  echo
  echo "| N | up | failed | CPU (% of machine) | echo lost (%) | lost (call records) of received | late packets (> 20+$late_ms ms) | send interval p50 / p99 ms | pacer wake late p50 / p99 ms | echo delay p50 / p99 ms | p99 beyond 20 ms | heap KiB/call |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  table
  echo
  echo "| N | setup p99 ms | echoed spacing, distance from 20 ms, p99 ms | generator late p50 / p99 ms | generator CPU (% of one core) | call records | pacer skipped ticks | heap idle / N up / after hang-up MiB | steal (% of machine) | 100 ms steps with an echo > 21 ms | of those echoes, in the worst 10 steps | softswitch GC pauses: count, total / longest ms |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk "$AWK_FMT"'{ gc = $34 == "nan" || $34 == "" ? "n/a" : sprintf("%d, %s / %s", $34, f($35), f($36))
    printf "| %d | %s | %s | %s / %s | %s | %d | %s | %.1f / %.1f / %.1f | %s | %s of %d | %s%% | %s |\n",
    $1, f($23), f($24), f($30), f($25), $26, $27, $29, $19 / 1024, $20 / 1024, $22 / 1024, f($31), $32,
    '"$duration_s"' * 10, f($33), gc }' "$rows"
  echo
  echo "How to read it:"
  echo
  echo "- *CPU*: the softswitch process's user + system time over the window, as a share of all $(nproc) cores."
  echo "- *echo lost*: packets the generator sent in the window whose echo never came back (lost either way, dropped"
  echo "  as late by the jitter buffer, or concealed/merged by it); *lost (call records)*: the softswitch's RFC 3550 count"
  echo "  of the callers' packets missing, summed over the calls' records."
  echo "- *late packets* and *send interval*: the softswitch's \`softswitch_rtp_send_interval_seconds\` histogram over the"
  echo "  window (time between consecutive packets of a call as they reached the socket; bucket upper bounds); n/a when"
  echo "  the softswitch does not have it. *pacer wake late*: the softswitch's \`softswitch_pacer_late_seconds\` histogram"
  echo "  over the window (bucket upper bounds; inf = over 20 ms); a softswitch without it gives its since-start"
  echo "  \`softswitch_pacer_late_p50/p99_seconds\` instead."
  echo "- *echo delay*: per packet, from the generator's send to the echoed packet's arrival; the target (issue 10) is"
  echo "  p99 within 1 ms beyond the 20 ms frame."
  echo "- *heap/call*: (heap used after a full GC with N calls up - the same once they have hung up) / calls up."
  echo "- *generator late*: how late the generator's own 1 ms send clock woke; when it is high the machine was too busy"
  echo "  for the other figures to mean much."
  echo "- *steal*: time the hypervisor gave the machine's virtual CPUs to something else during the window (\`/proc/stat\`),"
  echo "  as a share of all cores: the machine itself stopped for that long, whatever ran on it."
  echo "- *steps*: the window in 100 ms steps; a p99 made by a few moments when every call was late at once shows as few"
  echo "  steps holding most of the late echoes. Each run's \`timeline.tsv\` (under bench/target) has the steps, with the"
  echo "  worst echo delay, the generator's own lateness, the steal time and the softswitch's GC pause time of each."
  echo "- *GC pauses*: the softswitch's stop-the-world collector pauses that ended in the window (its \`-Xlog:gc\`, \`gc.log\`"
  echo "  beside the timeline; G1's pause lines): every call's packets wait that long, in both directions."
  echo
  echo "Charts: [$(basename "$base").png]($(basename "$base").png) (by N),"
  echo "[$(basename "$base")-pacing.png]($(basename "$base")-pacing.png) (echoed packets' spacing),"
  echo "[$(basename "$base")-send.png]($(basename "$base")-send.png) (the softswitch's send intervals, when measured)."
} > "$base.md"

# charts
{
  printf 'N\tCPU %% of machine\techo delay p99 (ms)\tsend interval p99 (ms)\techo lost %%\n'
  awk '{ printf "%d\t%.1f\t%s\t%s\t%s\n", $1, $4 / $5, $18, $14, $8 }' "$rows"
} > "$work/steps.tsv"
bench_chart line "$base.png" "Concurrent echo calls: CPU, echo delay p99, send interval p99, loss" "concurrent calls" \
  "value (see legend), log scale" "$work/steps.tsv" log
merge_bins() { # merge_bins FILE: one column per N of DIR/N/FILE
  local first=1 n
  for n in $sizes; do
    [ -s "$work/$n/$1" ] || return 1
    if [ $first = 1 ]; then
      awk -v n="$n" 'NR == 1 { print "bin\tN=" n; next } { print }' "$work/$n/$1" > "$work/merged-$1"
      first=0
    else
      paste "$work/merged-$1" <(awk -v n="$n" 'NR == 1 { print "N=" n; next } { print $2 }' "$work/$n/$1") \
        > "$work/merged-$1.tmp"
      mv "$work/merged-$1.tmp" "$work/merged-$1"
    fi
  done
}
merge_bins spacing.tsv && bench_chart bars "$base-pacing.png" \
  "Echoed packets' spacing: distance from 20 ms (as the caller sees it), fraction per bin" "ms" "fraction" \
  "$work/merged-spacing.tsv"
if merge_bins send-intervals.tsv; then
  bench_chart bars "$base-send.png" "Softswitch send intervals (softswitch_rtp_send_interval_seconds), fraction per bucket" \
    "interval upper bound (ms)" "fraction" "$work/merged-send-intervals.tsv"
else
  rm -f "$base-send.png"
fi
timeline_charts=()
for n in $sizes; do
  [ -s "$work/$n/timeline.tsv" ] || continue
  awk -F'\t' 'NR == 1 { print "s\tlate echoes %\tworst delay ms\tsteal ms\tgenerator late ms\tGC pause ms"; next }
    { p = $2 > 0 ? 100 * $3 / $2 : 0; printf "%s\t%.1f\t%s\t%s\t%s\t%s\n", $1, p, $4, $6, $5, $7 }' \
    "$work/$n/timeline.tsv" > "$work/$n/timeline-chart.tsv"
  bench_chart line "$base-timeline-$n.png" \
    "N=$n, per 100 ms step: late echoes and what stopped the machine" \
    "seconds from the window's opening" "value (see legend)" "$work/$n/timeline-chart.tsv"
  timeline_charts+=("[N=$n]($(basename "$base")-timeline-$n.png)")
done
if [ ${#timeline_charts[@]} -gt 0 ]; then
  {
    echo
    echo "Timelines (per 100 ms step: share of echoes over 21 ms, the worst echo delay, steal time of both cores, the"
    echo "generator's own lateness, the softswitch's GC pauses): ${timeline_charts[*]}."
  } >> "$base.md"
fi
bench_update_latest
sed -n '/^| N | up/,/^$/p' "$base.md"
echo "media: wrote $base.md and its charts; logs, call records and distributions under $work"
