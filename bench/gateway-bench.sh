# Sourced by bench/load.sh and bench/batch-load.sh: builds what is missing, then starts the platform
# simulator and the gateway in the background on their own ports, with their state under var/bench/
# (a developer's var/ and bin/run are not touched), and stops both on exit.
#
# Environment: SIM_PORT (28443), GW_PORT (28444), MLLP_PORT (28445), MGMT_PORT (28446: the gateway's
# health and metrics, plain HTTP on 127.0.0.1), GATEWAY_HEAP (1g: -Xms/-Xmx of the
# gateway), SIMULATOR_HEAP (1g: -Xmx of the simulator, which keeps each accepted message's receipt in
# memory, ~0.32 KB: 1g holds ~2.5 million), GATEWAY_JAVA_OPTS (extra), GATEWAY_JFR (a JFR
# recording once the gateway is up; jfr_dump writes it), SIMULATOR_JFR (the same for the simulator, which shares
# the cores: var/bench/simulator-<label>.jfr), GATEWAY_ARGS (extra Spring arguments of the
# gateway, for experiments), SIMULATOR_ARGS (the same for the simulator), KEEP_STATE=1 (keep the ledger, broker and spool between starts; default:
# fresh per start).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SIM_PORT="${SIM_PORT:-28443}"
GW_PORT="${GW_PORT:-28444}"
MLLP_PORT="${MLLP_PORT:-28445}"
MGMT_PORT="${MGMT_PORT:-28446}"
GATEWAY_HEAP="${GATEWAY_HEAP:-1g}"
SIMULATOR_HEAP="${SIMULATOR_HEAP:-1g}"
dir=var/bench
pki=$dir/pki
gateway_jar=gateway/target/yibao-gateway.jar
simulator_jar=tools/platform-simulator/target/yibao-platform-simulator-exec.jar
cli_jar=tools/cli/target/yibao.jar
bench_jar=bench/target/benchmarks.jar

if [[ ! -f "$gateway_jar" || ! -f "$simulator_jar" || ! -f "$cli_jar" || ! -f "$bench_jar" ]] || [[ -n "$(find pom.xml standards certs signatures adapters gateway tools bench \
      -newer "$bench_jar" \( -name '*.java' -o -name '*.json' -o -name '*.yaml' -o -name '*.properties' -o -name '*.sql' -o -name 'pom.xml' \) \
      -not -path '*/target/*' -not -path 'bench/hl7v2-fhir-converter/*' -print -quit)" ]]; then
  echo "bench: building the gateway, the simulator, the tool and the benchmarks..." >&2
  ./mvnw -q -B -pl bench,gateway,tools/platform-simulator,tools/cli -am install -DskipTests >&2
fi
for port in "$SIM_PORT" "$GW_PORT" "$MLLP_PORT" "$MGMT_PORT"; do
  if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "bench: port $port is in use (set SIM_PORT/GW_PORT/MLLP_PORT/MGMT_PORT)" >&2; exit 1; fi
done
mkdir -p "$dir/results"
if [[ ! -f "$pki/store-password" ]]; then
  java -jar "$cli_jar" certs init "$pki" >/dev/null
  echo "bench: created a development PKI in $pki" >&2
fi
P="$(cat "$pki/store-password")"
curl_mtls() { curl -s -o /dev/null -w '%{http_code}' --cacert "$pki/ec/root.pem" --cert-type P12 --cert "$pki/ec/client-H11010500001.p12:$P" "$@"; }

simulator=""; gateway=""
stop() {
  [[ -n "$gateway" ]] && kill "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null || true
  [[ -n "$simulator" ]] && kill "$simulator" 2>/dev/null && wait "$simulator" 2>/dev/null || true
  gateway=""; simulator=""
}
trap stop EXIT
trap 'stop; exit 143' INT TERM

wait_healthy() { # url pid what
  for _ in $(seq 1 240); do
    [[ "$(curl_mtls "$1" || true)" == 200 ]] && return 0
    kill -0 "$2" 2>/dev/null || { echo "bench: the $3 did not start, see $dir/$3.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "bench: the $3 did not answer $1 in 120 s" >&2; exit 1
}

start() { # label
  [[ "${KEEP_STATE:-0}" == 1 ]] || rm -rf "$dir/gateway"
  # Accepted Bundles go to files, not the simulator's heap (a long batch run holds hundreds of thousands).
  rm -rf "$dir/simulator-store"
  java "-Xmx$SIMULATOR_HEAP" -jar "$simulator_jar" --simulator.pki-dir="$pki" --simulator.port="$SIM_PORT" \
      --simulator.storage-dir="$dir/simulator-store" ${SIMULATOR_ARGS:-} > "$dir/simulator.log" 2>&1 &
  simulator=$!
  wait_healthy "https://localhost:$SIM_PORT/api/v1/stats" "$simulator" simulator
  # Durable persistence as shipped: H2 ledger on disk, Artemis' persistent journal and the fsynced batch
  # spool, under var/bench/gateway. The metrics endpoint is exposed for this run only (the heap figure);
  # nothing else differs from bin/run.
  java @gateway/jvm.options "-Xms$GATEWAY_HEAP" "-Xmx$GATEWAY_HEAP" ${GATEWAY_JAVA_OPTS:-} -jar "$gateway_jar" \
      --yibao.pki="$pki" --server.port="$GW_PORT" --yibao.mllp.port="$MLLP_PORT" --management.server.port="$MGMT_PORT" \
      --yibao.platform.url="https://localhost:$SIM_PORT/api/v1/messages" \
      --yibao.data-dir="./$dir/gateway" \
      --management.endpoints.web.exposure.include=health,info,prometheus,metrics ${GATEWAY_ARGS:-} \
      > "$dir/gateway-$1.log" 2>&1 &
  gateway=$!
  wait_healthy "http://127.0.0.1:$MGMT_PORT/actuator/health" "$gateway" "gateway-$1"
  # The recording starts once the gateway is up, so that it shows the load and not the start-up.
  if [[ -n "${GATEWAY_JFR:-}" ]]; then jcmd "$gateway" JFR.start name=load settings=profile >/dev/null; fi
  if [[ -n "${SIMULATOR_JFR:-}" ]]; then jcmd "$simulator" JFR.start name=load settings=profile >/dev/null; fi
}

jfr_dump() { # label: writes the recordings to var/bench/{gateway,simulator}-<label>.jfr and prints how to read them
  if [[ -n "${GATEWAY_JFR:-}" ]]; then
    jcmd "$gateway" JFR.dump name=load filename="$PWD/$dir/gateway-$1.jfr" >/dev/null 2>&1 || true
    echo "   profile: bench/jfr-summary.py $dir/gateway-$1.jfr"
  fi
  if [[ -n "${SIMULATOR_JFR:-}" ]]; then
    jcmd "$simulator" JFR.dump name=load filename="$PWD/$dir/simulator-$1.jfr" >/dev/null 2>&1 || true
    echo "   profile: bench/jfr-summary.py $dir/simulator-$1.jfr"
  fi
}

load_average() { uptime | sed 's/.*load average/load average/'; }
