#!/usr/bin/env bash
# A HammingIndex cluster of Orleans silo processes on this machine only (127.0.0.1).
#
#   scripts/cluster.sh start [N]   build hamming-silo, start N silos (default 3), wait until every one is up
#   scripts/cluster.sh stop        stop the silos this script started (SIGTERM, then SIGKILL after 30 s)
#   scripts/cluster.sh status      list them
#   scripts/cluster.sh kill I      SIGKILL silo I (a crash, for trying durability); `start` again restarts it
#
# Silo i listens on 127.0.0.1:(SILO_PORT+i) and takes clients on 127.0.0.1:(GATEWAY_PORT+i); silo 0 is
# the primary (localhost clustering). Every silo keeps its shards under one root folder, so a shard whose
# silo died reopens from disk on another. Each silo stops by itself after LIFETIME_MINUTES.
#
# Environment: HAMMING_CLUSTER_DIR (default .cluster: pids, logs, and shards/ unless HAMMING_SHARD_ROOT),
# SILO_PORT (11111), GATEWAY_PORT (30000), LIFETIME_MINUTES (120), HAMMING_SILO_DLL (skip the build).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dir=${HAMMING_CLUSTER_DIR:-.cluster}
root=${HAMMING_SHARD_ROOT:-$dir/shards}
silo_port=${SILO_PORT:-11111}
gateway_port=${GATEWAY_PORT:-30000}
lifetime=${LIFETIME_MINUTES:-120}
project=src/HammingIndex.Orleans.Silo/HammingIndex.Orleans.Silo.csproj
dll=${HAMMING_SILO_DLL:-src/HammingIndex.Orleans.Silo/bin/Release/net10.0/hamming-silo.dll}

alive() { [[ -f "$dir/silo-$1.pid" ]] && kill -0 "$(cat "$dir/silo-$1.pid")" 2>/dev/null; }

start_one() {
  local i=$1
  if alive "$i"; then echo "silo $i already running (pid $(cat "$dir/silo-$i.pid"))"; return; fi
  rm -f "$dir/silo-$i.ready"
  # setsid: the silo outlives this shell but is stopped by `stop` (or its own lifetime).
  setsid dotnet "$dll" --root "$root" --name "silo-$i" \
    --silo-port $((silo_port + i)) --gateway-port $((gateway_port + i)) --primary-port "$silo_port" \
    --lifetime-minutes "$lifetime" --ready-file "$dir/silo-$i.ready" \
    >>"$dir/silo-$i.log" 2>&1 < /dev/null &
  echo $! > "$dir/silo-$i.pid"
}

wait_ready() {
  local i=$1
  for _ in $(seq 1 240); do
    [[ -f "$dir/silo-$i.ready" ]] && { echo "silo $i up: 127.0.0.1:$((silo_port + i)), gateway 127.0.0.1:$((gateway_port + i)), pid $(cat "$dir/silo-$i.pid")"; return 0; }
    alive "$i" || { echo "silo $i exited; its log:" >&2; tail -20 "$dir/silo-$i.log" >&2; return 1; }
    sleep 0.5
  done
  echo "silo $i not up after 120 s; see $dir/silo-$i.log" >&2
  return 1
}

stop_all() {
  local pids=()
  for f in "$dir"/silo-*.pid; do
    [[ -f "$f" ]] || continue
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; pids+=("$pid"); fi
  done
  for _ in $(seq 1 60); do
    local left=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
    pids=("${left[@]}")
    [[ ${#pids[@]} -eq 0 ]] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$dir"/silo-*.pid "$dir"/silo-*.ready
  echo "stopped"
}

case "${1:-}" in
  start)
    n=${2:-3}
    [[ "$n" =~ ^[1-9][0-9]?$ ]] || { echo "usage: $0 start [N]  (1..99 silos)" >&2; exit 2; }
    mkdir -p "$dir" "$root"
    [[ -n "${HAMMING_SILO_DLL:-}" ]] || dotnet build "$project" -c Release -v quiet -nologo > "$dir/build.log" || { cat "$dir/build.log" >&2; exit 1; }
    start_one 0
    wait_ready 0 || { stop_all; exit 1; }
    for ((i = 1; i < n; i++)); do start_one "$i"; done
    for ((i = 1; i < n; i++)); do wait_ready "$i" || { stop_all; exit 1; }; done
    echo "cluster of $n silos up; query it with: hamming cluster search --gateway 127.0.0.1:$gateway_port ..."
    ;;
  stop) stop_all ;;
  status)
    for f in "$dir"/silo-*.pid; do
      [[ -f "$f" ]] || { echo "no silos"; break; }
      i=${f##*/silo-}; i=${i%.pid}
      if alive "$i"; then echo "silo $i running (pid $(cat "$f"))"; else echo "silo $i not running"; fi
    done
    ;;
  kill)
    i=${2:?usage: $0 kill I}
    alive "$i" || { echo "silo $i is not running" >&2; exit 1; }
    kill -KILL "$(cat "$dir/silo-$i.pid")"; rm -f "$dir/silo-$i.ready"
    echo "silo $i killed"
    ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
