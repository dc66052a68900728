#!/usr/bin/env bash
# Calls per second, stepped: SIPp places calls (INVITE with SDP, 200, ACK, a short hold, BYE: bench/sipp/uac-call.xml)
# at rising rates against three answerers on 127.0.0.1, one after the other in the same run:
#   softswitch  the packaged softswitch (app/target/softswitch.jar serve), answering with the echo assistant
#   kamailio    Kamailio as a stateful responder (bench/kamailio-responder.cfg: t_newtran + t_reply 200)
#   sipp        SIPp's built-in UAS (sipp -sn uas)
# Each step runs CPS_STEP_S seconds of calls at one rate; an answerer's stepping stops after its first failing step
# (a failed call, retransmissions at or over CPS_MAX_RETRANS_PCT % of calls, or under CPS_MIN_REACHED of the rate
# reached). Reports per step: attempted and achieved rate, failed calls, retransmissions, setup time p50/p99 (INVITE
# to 200), the answerer's CPU; then each answerer's highest passing rate side by side, with ratios. Writes
#   bench/results/<date>-cps.md    machine, settings, the tables
#   bench/results/<date>-cps.png   achieved against attempted rate, per answerer
#   bench/results/<date>-cps-setup.png   setup time p99 against rate
# Settings (environment): CPS_RATES ("200 400 800 1200 1600 2000 3000 4000 6000 8000 12000"), CPS_STEP_S (10),
# CPS_HOLD_MS (1000), CPS_WARMUP_S (30: the softswitch's JIT warm-up at CPS_WARMUP_RATE 100, not reported),
# CPS_WARMUP_NATIVE_S (3: Kamailio's and SIPp's, which compile nothing), CPS_GAP_S (1), CPS_TARGETS
# ("softswitch kamailio sipp"), CPS_MAX_RETRANS_PCT (0.1), CPS_MIN_REACHED (0.9), KAMAILIO_CHILDREN (4),
# BENCH_JAVA_OPTS (softswitch JVM options), BENCH_TRIAL=1 (a short validation run, marked as such),
# BENCH_SKIP_BUILD=1 (use the jars as they are).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rates=${CPS_RATES:-200 400 800 1200 1600 2000 3000 4000 6000 8000 12000}
step_s=${CPS_STEP_S:-10}
hold_ms=${CPS_HOLD_MS:-1000}
warmup_s=${CPS_WARMUP_S:-30}
warmup_native_s=${CPS_WARMUP_NATIVE_S:-3}
warmup_rate=${CPS_WARMUP_RATE:-100}
gap_s=${CPS_GAP_S:-1}
targets=${CPS_TARGETS:-softswitch kamailio sipp}
max_retrans_pct=${CPS_MAX_RETRANS_PCT:-0.1}
min_reached=${CPS_MIN_REACHED:-0.9}
kamailio_children=${KAMAILIO_CHILDREN:-4}

for t in $targets; do
  case $t in softswitch | kamailio | sipp) ;; *) bench_die "CPS_TARGETS: unknown answerer $t (softswitch, kamailio, sipp)" ;; esac
done
bench_require sipp sip-tester
bench_require ss iproute2
bench_require curl curl
case " $targets " in *" kamailio "*) bench_require kamailio kamailio ;; esac

nsteps=$(wc -w <<<"$rates")
ntargets=$(wc -w <<<"$targets")
hold_s=$(( (hold_ms + 999) / 1000 ))
per_step=$(( step_s + hold_s + gap_s + 2 ))
worst=$(( ntargets * (8 + warmup_native_s + hold_s + gap_s + nsteps * per_step) ))
case " $targets " in *" softswitch "*) worst=$(( worst + warmup_s - warmup_native_s )) ;; esac
echo "cps: $ntargets answerers ($targets) x up to $nsteps steps ($rates calls/s) of ${step_s} s, hold ${hold_ms} ms:" \
  "at most $(( worst / 60 )) min $(( worst % 60 )) s, less when an answerer fails a step (+ about 1 min to build)"

case " $targets " in *" softswitch "*) bench_build app,bench/jmh ;; *) bench_build bench/jmh ;; esac
work=$BENCH_DIR/target/cps-$(date +%Y%m%d-%H%M%S)
mkdir -p "$work" "$RESULTS_DIR"
base=$(bench_results_base cps)
steps_tsv=$work/steps.tsv
: > "$steps_tsv"
server_pid=

cleanup() { [ -n "$server_pid" ] && bench_stop "$server_pid"; server_pid=; }
trap cleanup EXIT

# start_target NAME DIR PORT: starts an answerer listening on UDP 127.0.0.1:PORT; sets server_pid.
start_target() {
  local name=$1 dir=$2 port=$3
  mkdir -p "$dir"
  case $name in
    softswitch)
      server_pid=$(bench_start_softswitch "$dir" "$port" "$(bench_free_port)" 10000-29999)
      ;;
    kamailio)
      mkdir -p "$dir/run"
      server_pid=$(bench_start "$dir/kamailio.log" kamailio -f "$BENCH_DIR/kamailio-responder.cfg" -DD -E \
        -x tlsf -X tlsf -T -S -l "udp:127.0.0.1:$port" -n "$kamailio_children" -m 512 -M 16 -Y "$dir/run")
      ;;
    sipp)
      server_pid=$(cd "$dir" && bench_start "$dir/sipp-uas.log" sipp -sn uas -i 127.0.0.1 -p "$port" \
        -mp "$(bench_free_port)" -buff_size 4194304 -nostdin -timeout "$(( worst + 60 ))s")
      ;;
    *) bench_die "unknown answerer $name (softswitch, kamailio or sipp)" ;;
  esac
  bench_wait_udp "$port" 30 || bench_die "$name did not listen on UDP $port (see $dir)"
}

# stat_of FILE COLUMN: a column of the last line of a SIPp -trace_stat file, by its header name.
stat_of() {
  awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i } { last = $0 }
    END { if (!c) { print 0; exit } split(last, f, ";"); print f[c] + 0 }' "$1"
}

# run_calls DIR PORT RATE CALLS: one SIPp run of CALLS calls at RATE per second; output under DIR.
run_calls() {
  local dir=$1 port=$2 rate=$3 calls=$4 rc=0
  mkdir -p "$dir"
  (cd "$dir" && timeout $(( calls / rate + hold_s + 90 )) sipp -sf "$BENCH_DIR/sipp/uac-call.xml" -s echo \
    -i 127.0.0.1 -p "$(bench_free_port)" -mi 127.0.0.1 -mp "$(bench_free_port)" -r "$rate" -m "$calls" \
    -d "$hold_ms" -timeout "$(( calls / rate + hold_s + 30 ))s" -recv_timeout 10000 -buff_size 4194304 -nostdin \
    -trace_stat -stf stat.csv -trace_rtt -rtt_freq 1 -trace_err "127.0.0.1:$port" > sipp.out 2>&1) || rc=$?
  [ -s "$dir/stat.csv" ] || { tail -n 5 "$dir/sipp.out" >&2; bench_die "SIPp did not run (exit $rc, see $dir)"; }
}

for target in $targets; do
  tdir=$work/$target
  port=$(bench_free_port)
  bench_log "$target: starting on 127.0.0.1:$port"
  start_target "$target" "$tdir" "$port"
  warm=$warmup_s
  [ "$target" = softswitch ] || warm=$warmup_native_s
  bench_log "$target: warm-up, $warm s at $warmup_rate calls/s"
  run_calls "$tdir/warmup" "$port" "$warmup_rate" $(( warmup_rate * warm ))
  sleep "$gap_s"
  for rate in $rates; do
    calls=$(( rate * step_s ))
    sdir=$tdir/$rate
    c0=$(bench_group_ticks "$server_pid")
    t0=$(date +%s%N)
    run_calls "$sdir" "$port" "$rate" "$calls"
    t1=$(date +%s%N)
    c1=$(bench_group_ticks "$server_pid")
    attempted=$(stat_of "$sdir/stat.csv" 'OutgoingCall(C)')
    ok=$(stat_of "$sdir/stat.csv" 'SuccessfulCall(C)')
    retrans=$(stat_of "$sdir/stat.csv" 'Retransmissions(C)')
    failed=$(( calls - ok ))
    { cat "$sdir"/*_rtt.csv 2>/dev/null || true; } | awk -F';' '$3 == 1 { print $2 }' > "$sdir/setup.txt"
    read -r p50 p99 < <(bench_percentiles "$sdir/setup.txt")
    # achieved: calls answered per second over the span in which their answers came
    achieved=$({ cat "$sdir"/*_rtt.csv 2>/dev/null || true; } | awk -F';' -v r="$rate" '$3 == 1 {
        t = $1 + 0; if (n == 0 || t < lo) lo = t; if (n == 0 || t > hi) hi = t; n++ }
      END { if (n == 0) print 0; else printf "%.0f", n / ((hi - lo) / 1000 + 1 / r) }')
    awk -v c="$((c1 - c0))" -v ok="$ok" -v t="$((t1 - t0))" -v a="$achieved" -v r="$rate" -v re="$retrans" \
      -v f="$failed" -v mr="$max_retrans_pct" -v mn="$min_reached" 'BEGIN {
        cpu_pct = c / (t / 1e9); ms_call = ok > 0 ? c * 10 / ok : 0
        re_pct = ok + f > 0 ? 100 * re / (ok + f) : 0
        verdict = f > 0 ? "FAIL: failed calls" : re_pct >= mr ? "FAIL: retransmissions" : a < mn * r ? "FAIL: rate not reached" : "ok"
        printf "%.0f\t%.3f\t%.3f\t%s\n", cpu_pct, ms_call, re_pct, verdict }' > "$sdir/derived.txt"
    IFS=$'\t' read -r cpu_pct ms_call retrans_pct verdict < "$sdir/derived.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$rate" "$attempted" "$ok" "$failed" \
      "$retrans" "$retrans_pct" "$achieved" "$p50" "$p99" "$cpu_pct" "$ms_call" >> "$steps_tsv"
    printf '%s\n' "$verdict" >> "$work/verdicts.txt"
    bench_log "$target @ $rate/s: $ok/$attempted ok, $failed failed, $retrans retrans, achieved $achieved/s," \
      "setup p50 $p50 ms p99 $p99 ms, CPU $cpu_pct% ($ms_call ms/call): $verdict"
    sleep "$gap_s"
    [ "$verdict" = ok ] || break
  done
  bench_stop "$server_pid"
  server_pid=
done

# ---- report ----
paste "$steps_tsv" "$work/verdicts.txt" > "$work/steps-verdicts.tsv"
best() { # best TARGET: the row of its highest passing step, or nothing
  awk -F'\t' -v t="$1" '$1 == t && $13 == "ok" { row = $0 } END { print row }' "$work/steps-verdicts.tsv"
}
{
  echo "# Calls per second, stepped: softswitch, Kamailio, SIPp UAS, $BENCH_DATE"
  echo
  bench_trial_banner
  bench_machine
  echo "- SIPp: $(sipp -v 2>&1 | awk 'match($0, /SIPp v[^ ]*/) && !f { print substr($0, RSTART, RLENGTH); f = 1 }' || true);" \
    "Kamailio: $( (kamailio -v 2>/dev/null || true) | awk 'NR == 1 { sub(/^version: /, ""); print }')"
  echo "- steps: $rates calls/s, $step_s s each (calls = rate x $step_s), hold $hold_ms ms; warm-up at $warmup_rate/s," \
    "$warmup_s s for the softswitch (JIT), $warmup_native_s s for the others;" \
    "Kamailio with $kamailio_children children, tlsf memory"
  echo "- pass: no failed call, retransmissions under $max_retrans_pct % of calls, at least $min_reached of the rate reached"
  echo
  echo "Each call: INVITE with SDP (PCMU, telephone-event), 200 with SDP, ACK, $hold_ms ms, BYE, 200"
  echo "([sipp/uac-call.xml](../sipp/uac-call.xml)). SIPp and the answerer share the machine's cores, as in the issue."
  echo "*achieved*: calls answered per second over the span their answers came in; *setup*: INVITE sent to 200 received"
  echo "(SIPp's response time, whole milliseconds: 0 means under 1 ms); *CPU*: the answerer's processes' user + system"
  echo "time over the step (% of one core) and per successful call."
  echo
  echo "## Highest rate with no failed call"
  echo
  echo "| answerer | highest passing rate (calls/s) | achieved | setup p50 / p99 (ms) | CPU % | CPU ms per call | rate vs softswitch |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  ss_rate=$(best softswitch | cut -f2)
  for t in $targets; do
    row=$(best "$t")
    if [ -z "$row" ]; then
      echo "| $t | none passed | | | | | |"
      continue
    fi
    IFS=$'\t' read -r _ rate _ _ _ _ _ achieved p50 p99 cpu ms _ <<<"$row"
    ratio=-
    [ -n "$ss_rate" ] && [ "$ss_rate" -gt 0 ] && ratio=$(awk -v a="$rate" -v b="$ss_rate" 'BEGIN { printf "%.2fx", a / b }')
    echo "| $t | $rate | $achieved | $p50 / $p99 | $cpu | $ms | $ratio |"
  done
  echo
  common=$(for t in $targets; do awk -F'\t' -v t="$t" '$1 == t { print $2 }' "$work/steps-verdicts.tsv" | sort -n | tail -n 1; done | sort -n | head -n 1)
  if [ -n "$common" ] && [ "$(wc -w <<<"$targets")" -gt 1 ]; then
    echo "CPU per call at $common calls/s, the highest rate every answerer was run at (passed or not):"
    echo
    echo "| answerer | CPU ms per call | vs softswitch |"
    echo "|---|---:|---:|"
    ss_ms=$(awk -F'\t' -v r="$common" '$1 == "softswitch" && $2 == r { print $12 }' "$work/steps-verdicts.tsv")
    for t in $targets; do
      ms=$(awk -F'\t' -v t="$t" -v r="$common" '$1 == t && $2 == r { print $12 }' "$work/steps-verdicts.tsv")
      ratio=$(awk -v a="$ms" -v b="${ss_ms:-0}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
      echo "| $t | $ms | $ratio |"
    done
    echo
  fi
  echo "## Every step"
  echo
  echo "| answerer | rate | calls | ok | failed | retrans | retrans % | achieved/s | setup p50 ms | setup p99 ms | CPU % | CPU ms/call | verdict |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  awk -F'\t' '{ printf "| %s |", $1; for (i = 2; i <= 13; i++) printf " %s |", $i; print "" }' "$work/steps-verdicts.tsv"
  echo
  echo "Charts: [$(basename "$base").png]($(basename "$base").png) (achieved against attempted rate),"
  echo "[$(basename "$base")-setup.png]($(basename "$base")-setup.png) (setup time p99)."
} > "$base.md"

# charts: one column per answerer, one row per attempted rate
chart_tsv() { # chart_tsv COLUMN: rate, then that column per answerer
  awk -F'\t' -v col="$1" -v targets="$targets" 'BEGIN { n = split(targets, t, " ") }
    { v[$2, $1] = $col; if (!($2 in seen)) { seen[$2] = 1; rates[++m] = $2 } }
    END {
      printf "rate"; for (i = 1; i <= n; i++) printf "\t%s", t[i]; if (col == 8) printf "\tattempted (reference)"; print ""
      for (j = 1; j <= m; j++) { r = rates[j]; printf "%s", r
        for (i = 1; i <= n; i++) printf "\t%s", ((r, t[i]) in v) ? v[r, t[i]] : "-"
        if (col == 8) printf "\t%s", r; print "" } }' "$work/steps-verdicts.tsv"
}
chart_tsv 8 | sort -t$'\t' -k1,1n > "$work/achieved.tsv"
chart_tsv 10 | sort -t$'\t' -k1,1n > "$work/setup.tsv"
bench_chart line "$base.png" "Calls per second: achieved vs attempted (steps of ${step_s} s, hold ${hold_ms} ms)" \
  "attempted calls/s" "achieved calls/s" "$work/achieved.tsv"
bench_chart line "$base-setup.png" "Setup time p99 (INVITE to 200) by call rate" "attempted calls/s" \
  "setup p99 (ms)" "$work/setup.tsv"
bench_update_latest
sed -n '/^## Highest/,/^## Every/p' "$base.md" | sed '$d'
echo "cps: wrote $base.md and its charts; SIPp traces and logs under $work"
