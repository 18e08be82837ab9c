#!/usr/bin/env bash
# Batch throughput of the running gateway (docs/benchmarks.md, "Batches"). Starts the platform simulator
# and the gateway as bench/load.sh does (bench/gateway-bench.sh: own ports, state under var/bench/),
# then for each size of RECORDS: a fresh gateway, one synthetic batch file of that many records uploaded
# over mutual TLS by BatchLoadGenerator, polled until the batch is final, every record is delivered or
# MAX_WAIT; stops both and prints the figures. Everything stops by itself.
#
#   bench/batch-load.sh                                            # 20,000 pharmacy CSV records (GBK)
#   RECORDS=1000000 GATEWAY_HEAP=512m MAX_WAIT=PT60M bench/batch-load.sh  # the heap target
#   RECORDS=1000000 GATEWAY_HEAP=512m LOAD_ARGS=--stop-after-split bench/batch-load.sh
#   LAYOUT=HOSPITAL_HL7V2 RECORDS=10000 bench/batch-load.sh       # an HL7 v2 batch (FHS/BHS … BTS/FTS)
#   GATEWAY_JFR=1 bench/batch-load.sh                              # + var/bench/gateway-batch-<records>.jfr
#   WARMUP_RECORDS=200000 bench/batch-load.sh                      # first 200,000 other records (~4 min, the JIT's time), not counted
#
# Environment: RECORDS ("20000"), LAYOUT (PHARMACY_CSV or HOSPITAL_HL7V2), ENCODING (GBK or UTF-8),
# MAX_WAIT (PT10M), WARMUP_RECORDS (none; a first file of that many records, delivered and not counted),
# LOAD_ARGS (extra arguments of BatchLoadGenerator, see its --help); the ports, heap, JFR and state options
# of bench/gateway-bench.sh.
set -euo pipefail
RECORDS="${RECORDS:-20000}"
LAYOUT="${LAYOUT:-PHARMACY_CSV}"
ENCODING="${ENCODING:-GBK}"
MAX_WAIT="${MAX_WAIT:-PT10M}"
source "$(dirname "${BASH_SOURCE[0]}")/gateway-bench.sh"

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!var' 2>/dev/null || echo '+changes')"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
summary="$dir/results/$stamp-batch.txt"
echo "batch-load: commit $commit, $(nproc) cores, $(java -version 2>&1 | head -1), gateway heap $GATEWAY_HEAP" | tee "$summary"
for records in $RECORDS; do
  start "batch-$records"
  echo "== $LAYOUT, $records records, $ENCODING; before: $(load_average)" | tee -a "$summary"
  java -Xmx256m -cp "$bench_jar" io.yibao.bench.load.BatchLoadGenerator --gateway="https://localhost:$GW_PORT" --management="http://127.0.0.1:$MGMT_PORT" \
      --simulator="https://localhost:$SIM_PORT" --pki="$pki" --layout="$LAYOUT" --records="$records" --encoding="$ENCODING" \
      --max-wait="$MAX_WAIT" --dir="$dir/batches" ${WARMUP_RECORDS:+--warmup-records="$WARMUP_RECORDS"} ${LOAD_ARGS:-} | tee "$dir/results/$stamp-batch-$records.txt" \
      | grep --line-buffered -v '^RESULT' | tee -a "$summary"
  echo "   after: $(load_average)" | tee -a "$summary"
  grep '^RESULT' "$dir/results/$stamp-batch-$records.txt" >> "$summary" || true
  jfr_dump "batch-$records" | tee -a "$summary"
  stop
done
echo "batch-load: figures in $summary; logs in $dir/" >&2
