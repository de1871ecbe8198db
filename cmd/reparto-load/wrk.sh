#!/usr/bin/env bash
# wrk.sh — HTTP throughput of Reparto against a gin hello-world ceiling.
#
# Builds reparto and the ceiling server (cmd/reparto-load/ceiling), starts
# each pinned to core 0 with GOMAXPROCS=1 on a fresh SQLite database holding
# the 2009 demo, and runs wrk pinned to core 1: the ceiling, the dashboard
# page, the progress API and the shipment-list API (200 connections), then
# tracking-event writes with a fresh Idempotency-Key each (50 connections).
# Prints req/s, p50, p99, timeouts and errors per target, and each
# target's req/s as a share of the ceiling measured in the same run, so the
# figures can be compared across machines and across a busy or idle machine.
#
#   cmd/reparto-load/wrk.sh            # 15 s per target
#   DURATION=30s cmd/reparto-load/wrk.sh
#
# Needs wrk and taskset (Debian: wrk, util-linux) and two cores. Loopback
# only; everything lives in a temporary directory removed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

DURATION=${DURATION:-15s}
READ_CONNS=${READ_CONNS:-200}
WRITE_CONNS=${WRITE_CONNS:-50}
PORT=${PORT:-18180}
CEILING_PORT=${CEILING_PORT:-18190}
command -v wrk >/dev/null || { echo "wrk.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "wrk.sh: taskset is not installed (util-linux)" >&2; exit 1; }
[[ $(nproc) -ge 2 ]] || { echo "wrk.sh: needs two cores (server on one, wrk on the other)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/reparto" ./cmd/reparto
go build -o "$tmp/ceiling" ./cmd/reparto-load/ceiling

pw='wrk load password 2009'
export REPARTO_DB="$tmp/load.db"
# The first start migrates and loads the demo; the user is added after.
GOMAXPROCS=1 taskset -c 0 "$tmp/reparto" serve --addr "127.0.0.1:$PORT" >"$tmp/server.log" 2>&1 &
server=$!
pids+=("$server")
GOMAXPROCS=1 taskset -c 0 "$tmp/ceiling" --addr "127.0.0.1:$CEILING_PORT" >"$tmp/ceiling.log" 2>&1 &
pids+=("$!")
base="http://127.0.0.1:$PORT"
for _ in $(seq 100); do
	curl -fs "$base/readyz" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:$CEILING_PORT/hello" >/dev/null 2>&1 && break
	sleep 0.2
done
curl -fs "$base/readyz" >/dev/null || { echo "wrk.sh: server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1; }
echo "$pw" | "$tmp/reparto" user add --email load@example.org --role planner --password-stdin >/dev/null

# A session for the pages and a bearer token for the API.
curl -fs -c "$tmp/jar" -o /dev/null --data-urlencode email=load@example.org --data-urlencode "password=$pw" "$base/login"
cookie=$(awk '(!/^#/ || /^#HttpOnly_/) && NF >= 7 {c = $6 "=" $7} END {print c}' "$tmp/jar")
token=$(curl -fs -b "$tmp/jar" --data-urlencode name=wrk "$base/account/tokens" | grep -o 'rpt_[A-Za-z0-9_-]\{43\}' | head -1)
[[ -n $cookie && -n $token ]] || { echo "wrk.sh: could not sign in or create a token" >&2; exit 1; }

# Shipments on the road take in-transit checkpoints dated on the campaign's
# today. The writes go round all of them, as a field team's reports spread
# over the trucks out there: piling thousands of checkpoints on one
# shipment would measure the replay of one huge log, not the write path.
read -r ships today < <(curl -fs -H "Authorization: Bearer $token" "$base/api/v1/campaigns/1/shipments" |
	python3 -c 'import json,sys
d = json.load(sys.stdin)
ids = [str(s["id"]) for s in d["shipments"] if s["state"]["stage"] in ("dispatched", "in_transit")]
print(",".join(ids), d["today"])')
[[ -n ${ships:-} ]] || { echo "wrk.sh: no shipment on the road in the demo" >&2; exit 1; }
ship=${ships%%,*}

cat >"$tmp/event.lua" <<LUA
-- A fresh Idempotency-Key per request: every write is a new event, on the
-- shipments on the road in turn.
local counter, id = 0, 0
local run = os.time()
local ships = {$ships}
function setup(thread) id = id + 1; thread:set("tid", id) end
function init(args) tid = tid or 0 end
function request()
  counter = counter + 1
  local key = string.format("wrk-%d-%d-%d", run, tid, counter)
  local ship = ships[(counter + tid) % #ships + 1]
  return wrk.format("POST", "/api/v1/shipments/" .. ship .. "/events", {
    ["Authorization"] = "Bearer $token",
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key,
  }, '{"kind":"in_transit","date":"$today","checkpoint":"Caseta ' .. counter .. '"}')
end
LUA

# run NAME CONNS URL [wrk args...]: one wrk run pinned to core 1; prints a row.
ceiling_rps=""
run() {
	local name=$1 conns=$2 url=$3
	shift 3
	local out code
	# A read that does not answer 200 would measure error pages.
	if [[ ${1:-} == -H ]]; then
		code=$(curl -s -o /dev/null -w '%{http_code}' -H "$2" "$url" || true)
		[[ $code == 200 ]] || { echo "wrk.sh: $name answers $code, not 200" >&2; exit 1; }
	fi
	out=$(taskset -c 1 wrk -t2 -c"$conns" -d"$DURATION" --timeout 2s --latency "$@" "$url")
	local rps p50 p99 timeouts non2xx share
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	timeouts=$(awk -F'timeout ' '/Socket errors/ {print $2+0}' <<<"$out")
	non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
	[[ -z $ceiling_rps ]] && ceiling_rps=$rps
	share=$(awk -v a="$rps" -v b="$ceiling_rps" 'BEGIN {printf "%.1f %%", 100 * a / b}')
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$conns" "$rps" "$p50" "$p99" "${timeouts:-0}" "${non2xx:-0}" "$share"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# server and ceiling: GOMAXPROCS=1 taskset -c 0; wrk -t2 taskset -c 1; $DURATION per target; SQLite"
echo "| target | connections | req/s | p50 | p99 | timeouts | non-2xx | share of ceiling |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
run "gin hello world (ceiling)" "$READ_CONNS" "http://127.0.0.1:$CEILING_PORT/hello"
run "dashboard page" "$READ_CONNS" "$base/campaigns/1/dashboard" -H "Cookie: $cookie"
run "progress API" "$READ_CONNS" "$base/api/v1/campaigns/1/progress" -H "Authorization: Bearer $token"
run "shipment list API" "$READ_CONNS" "$base/api/v1/campaigns/1/shipments" -H "Authorization: Bearer $token"
run "tracking event writes" "$WRITE_CONNS" "$base" -s "$tmp/event.lua"
stored=$(curl -fs -H "Authorization: Bearer $token" "$base/api/v1/shipments/$ship" | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("events", [])))' 2>/dev/null || echo "?")
echo "# shipments on the road taking the writes: $(tr , ' ' <<<"$ships" | wc -w); events on shipment $ship after the run: $stored; server RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status) peak"
