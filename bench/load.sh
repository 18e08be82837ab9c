#!/usr/bin/env bash
# Load test of the running gateway (docs/benchmarks.md, "Gateway under load"). Builds what is missing,
# starts the platform simulator and the gateway in the background on their own ports and state under
# var/bench/ (a developer's var/ and bin/run are not touched), runs GatewayLoadGenerator at each rate of
# RATES for DURATION, stops both and prints the figures. Everything stops by itself.
#
#   bench/load.sh                                  # 200, 500 and max messages/s, 30 s each
#   RATES="500" DURATION=PT60S bench/load.sh
#   GATEWAY_JFR=1 RATES=max bench/load.sh         # + a JFR recording of the gateway: var/bench/gateway-<rate>.jfr
#   WARMUP=PT240S RATES=max bench/load.sh         # the same load for 4 minutes first (the JIT's time), drained, not counted
#
# Environment: RATES ("200 500 max"), DURATION (PT30S), CONCURRENCY for max (16), CONNECTIONS for the
# open model (32), WARMUP (none; a duration of the same load before the measured run), LOAD_ARGS (extra
# arguments of the load generator); the ports, heap, JFR and state options of bench/gateway-bench.sh (KEEP_STATE=1: keep the ledger and broker between rates).
set -euo pipefail
RATES="${RATES:-200 500 max}"
DURATION="${DURATION:-PT30S}"
CONCURRENCY="${CONCURRENCY:-16}"
CONNECTIONS="${CONNECTIONS:-32}"
source "$(dirname "${BASH_SOURCE[0]}")/gateway-bench.sh"

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!var' 2>/dev/null || echo '+changes')"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
summary="$dir/results/$stamp.txt"
echo "load: commit $commit, $(nproc) cores, $(java -version 2>&1 | head -1), gateway heap $GATEWAY_HEAP" | tee "$summary"
for rate in $RATES; do
  start "$rate"
  echo "== rate $rate, $DURATION; before: $(load_average)" | tee -a "$summary"
  args=(--gateway="https://localhost:$GW_PORT" --management="http://127.0.0.1:$MGMT_PORT" --simulator="https://localhost:$SIM_PORT" --pki="$pki" --rate="$rate" --duration="$DURATION")
  if [[ "$rate" == max ]]; then args+=(--concurrency="$CONCURRENCY"); else args+=(--connections="$CONNECTIONS"); fi
  if [[ -n "${WARMUP:-}" ]]; then args+=(--warmup-duration="$WARMUP"); fi
  java -Xmx512m -cp "$bench_jar" io.yibao.bench.load.GatewayLoadGenerator "${args[@]}" ${LOAD_ARGS:-} | tee "$dir/results/$stamp-$rate.txt" \
      | grep --line-buffered -v '^RESULT' | tee -a "$summary"
  echo "   after: $(load_average)" | tee -a "$summary"
  grep '^RESULT' "$dir/results/$stamp-$rate.txt" >> "$summary"
  jfr_dump "$rate" | tee -a "$summary"
  stop
done
echo "load: figures in $summary; logs in $dir/" >&2
