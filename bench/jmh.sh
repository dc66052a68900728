#!/usr/bin/env bash
# JMH benchmarks of the hot paths (codecs, resampling, RTP packet view, SDP, SIP pre-parse check), one 20 ms frame or
# one message per operation, beside the targets of issue 10. Builds bench/jmh/target/benchmarks.jar, runs it, writes
#   bench/results/<date>-jmh.json   JMH's own results (-rf json)
#   bench/results/<date>-jmh.md     machine, settings and the table
#   bench/results/<date>-jmh.png    each targeted benchmark as a percentage of its target
# Settings (environment): JMH_FORKS (1), JMH_WARMUP_ITERATIONS (3), JMH_WARMUP_TIME (2s), JMH_ITERATIONS (5),
# JMH_TIME (2s), JMH_FILTER (regexp of benchmarks, default all), JMH_PROF (gc: bytes allocated per operation; empty for
# none), JMH_ARGS (more JMH options), BENCH_TRIAL=1 (a short validation run, marked as such), BENCH_SKIP_BUILD=1 (use
# the jar as it is).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

forks=${JMH_FORKS:-1}
wi=${JMH_WARMUP_ITERATIONS:-3}
w=${JMH_WARMUP_TIME:-2s}
i=${JMH_ITERATIONS:-5}
r=${JMH_TIME:-2s}
filter=${JMH_FILTER:-dev.softswitch.bench.jmh}
prof=${JMH_PROF-gc}
prof_args=()
[ -z "$prof" ] || prof_args=(-prof "$prof")

secs() { local v=${1%s}; echo "${v%.*}"; }
count=15
[ "$filter" = dev.softswitch.bench.jmh ] || count="up to 15"
per=$(( forks * (wi * $(secs "$w") + i * $(secs "$r")) + forks ))
echo "jmh: $count benchmarks x $forks fork(s) x ($wi x $w warmup + $i x $r measured): about $(( per * 15 / 60 + 1 )) min" \
  "(+ about 1 min to build)"

bench_build bench/jmh
mkdir -p "$RESULTS_DIR"
base=$(bench_results_base jmh)
json=$base.json

# shellcheck disable=SC2086
"$JAVA" "${JAVA_OPTS_BASE[@]}" -jar "$BENCH_JAR" "$filter" -f "$forks" -wi "$wi" -w "$w" -i "$i" -r "$r" \
  "${prof_args[@]}" -rf json -rff "$json" ${JMH_ARGS:-} | tee "$base.log" | grep -E '^(# Run progress|Benchmark|[A-Z][A-Za-z0-9]+Benchmark)' | grep -v -E ':gc\.(count|time|alloc\.rate )' >&2 || true
[ -s "$json" ] || bench_die "JMH wrote no results (see $base.log)"
rm -f "$base.log"

table=$("$JAVA" -cp "$BENCH_JAR" dev.softswitch.bench.report.JmhTable "$json" "$base.tsv")
{
  echo "# JMH benchmarks, $BENCH_DATE"
  echo
  bench_trial_banner
  bench_machine
  echo "- JMH: forks $forks, warmup $wi x $w, measurement $i x $r, mode average time, 1 thread${prof:+, -prof $prof}"
  echo
  echo "One operation is one 20 ms frame (codecs, resampling, RTP packet) or one message (SDP, SIP); the targets are"
  echo "those of issue 10. +/- is JMH's 99.9% confidence half-interval (n/a with a single iteration); allocated is"
  echo "JMH's gc.alloc.rate.norm (heap bytes allocated per operation: garbage the GC collects, per frame or message)."
  echo "Charted in"
  echo "[$(basename "$base").png]($(basename "$base").png) as a percentage of each target. Raw results:"
  echo "[$(basename "$json")]($(basename "$json"))."
  echo
  echo "$table"
} > "$base.md"
bench_chart bars "$base.png" "JMH: time per 20 ms frame as % of the issue 10 target (100% = target)" \
  "benchmark" "% of target" "$base.tsv"
rm -f "$base.tsv"
bench_update_latest
echo "$table"
echo "jmh: wrote $base.md, $(basename "$json") and $(basename "$base").png"
