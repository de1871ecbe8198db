#!/bin/sh
# lighthouse.sh — Lighthouse mobile performance of every page of Reparto.
#
# Builds reparto, starts it on a fresh SQLite database holding the 2009
# demo, adds an admin and a field account, commits a re-plan (so that the
# plan versions page has two versions to compare) and runs Lighthouse on
# each page of the list below: mobile form factor, Lighthouse's default
# simulated throttling (slow 4G, 4x CPU slowdown), performance category
# only, signed in by passing the session cookie as an extra header.
# Prints one Markdown row per page: score, FCP, LCP, TBT, CLS and bytes
# transferred, plus any request to a host other than the server (the app
# must work offline, so there should be none). Exits 1 if a page scores
# under MIN_SCORE or loads anything from another host.
#
#   cmd/reparto-load/lighthouse.sh                  # every page
#   PAGES='map|dashboard' cmd/reparto-load/lighthouse.sh  # names matching a regexp
#   KEEP=/tmp/lh cmd/reparto-load/lighthouse.sh     # keep the JSON reports
#
# Needs Go, Node (npx fetches the pinned Lighthouse into its cache; nothing
# is added to the repository), curl, python3 and Chromium. Loopback only;
# everything else lives in a temporary directory removed at the end.
set -eu
cd "$(dirname "$0")/../.."

LIGHTHOUSE=${LIGHTHOUSE:-lighthouse@12.8.2} # 12.x is the last line that runs on Node 20
CHROME=${CHROME:-/usr/bin/chromium}
PORT=${PORT:-18735}
MIN_SCORE=${MIN_SCORE:-95}
PAGES=${PAGES:-.}
base="http://127.0.0.1:$PORT"
for cmd in go npx curl python3 "$CHROME"; do
	command -v "$cmd" >/dev/null || { echo "lighthouse.sh: $cmd is not installed" >&2; exit 1; }
done

tmp=$(mktemp -d)
server=""
proxy=""
cleanup() {
	for p in $server $proxy; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

go build -o "$tmp/reparto" ./cmd/reparto
export REPARTO_DB="$tmp/lighthouse.db"
# The first start migrates and loads the demo; the accounts are added after.
"$tmp/reparto" serve --addr "127.0.0.1:$PORT" >"$tmp/server.log" 2>&1 &
server=$!
i=0
until curl -fs "$base/readyz" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "lighthouse.sh: server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1; }
	sleep 0.2
done

# signin ROLE: adds lighthouse-ROLE@example.org (field accounts limited to
# Jalisco) and prints its session cookie. Accounts created with
# --password-stdin need no password change before using the pages.
signin() {
	pw="lighthouse $1 password 2009"
	places=""
	[ "$1" = field ] && places="--states MX-JAL"
	# shellcheck disable=SC2086 # places is empty or two words
	echo "$pw" | "$tmp/reparto" user add --email "lighthouse-$1@example.org" --role "$1" $places --password-stdin >/dev/null
	# No form token: the server guards writes with Sec-Fetch-Site/Origin
	# (net/http CrossOriginProtection), which curl does not send.
	curl -fs -c "$tmp/jar-$1" -o /dev/null --data-urlencode "email=lighthouse-$1@example.org" \
		--data-urlencode "password=$pw" "$base/login"
	awk '(!/^#/ || /^#HttpOnly_/) && NF >= 7 {c = $6 "=" $7} END {print c}' "$tmp/jar-$1"
}
admin=$(signin admin)
field=$(signin field)
[ -n "$admin" ] && [ -n "$field" ] || { echo "lighthouse.sh: could not sign in" >&2; exit 1; }

# A second plan version, for the comparison of versions 1 and 2.
fp=$(curl -fs -H "Cookie: $admin" "$base/campaigns/1/plan" | sed -n 's/.*name="fingerprint" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -H "Cookie: $admin" -d mode=plan -d expected_version=1 -d campaign_version=1 \
	-d "fingerprint=$fp" -d note=lighthouse "$base/campaigns/1/plan/commit"
# A shipment to Jalisco, which the field account may receive and distribute.
ship=$(curl -fs -H "Cookie: $field" "$base/campaigns/1/shipments" | sed -n 's|.*href="/campaigns/1/shipments/\([0-9]*\)".*|\1|p' | head -1)
[ -n "$fp" ] && [ -n "$ship" ] || { echo "lighthouse.sh: no plan fingerprint or field shipment in the demo" >&2; exit 1; }

# Lighthouse refuses to measure a page answered with an error status. The
# not-found page is measured through this proxy, which hands everything on
# unchanged (compressed bodies included) but says 200 for a 404.
cat >"$tmp/proxy.py" <<'PY'
import http.server, sys, urllib.error, urllib.request
port, upstream = int(sys.argv[1]), sys.argv[2]
hop = {"connection", "keep-alive", "transfer-encoding", "content-length"}
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None
opener = urllib.request.build_opener(NoRedirect)
class Proxy(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        req = urllib.request.Request(upstream + self.path,
                                     headers={k: v for k, v in self.headers.items() if k.lower() not in hop | {"host"}})
        try:
            r = opener.open(req)
        except urllib.error.HTTPError as e:
            r = e
        body = r.read()
        self.send_response(200 if r.status == 404 else r.status)
        for k, v in r.headers.items():
            if k.lower() not in hop:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()
PY
python3 "$tmp/proxy.py" $((PORT + 1)) "$base" &
proxy=$!
i=0
until curl -fs "http://127.0.0.1:$((PORT + 1))/readyz" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 50 ] || { echo "lighthouse.sh: the not-found proxy did not start" >&2; exit 1; }
	sleep 0.2
done

# Every page a user reaches with GET (api/*/ routes; PDFs, CSVs and JSON
# left out): NAME ACCOUNT STATUS PATH. The undo-import form is reached only
# from an import's row and shares data_imports' layout; the delete forms
# share one template, so one stands for all.
c=/campaigns/1
pages="login none 200 /login
campaigns admin 200 /campaigns
campaign-new admin 200 /campaigns/new
dashboard admin 200 $c/dashboard
plan admin 200 $c/plan
plan-cities-jalisco admin 200 $c/plan?view=cities&state=MX-JAL
plan-replan admin 200 $c/plan?replan=1
plan-cell admin 200 $c/plan/cell?material=CAR-ALTO&city=GDL&category=HOSPITAL
plan-scenario admin 200 $c/plan/scenario
plan-scenario-apply admin 200 $c/plan/scenario/apply
plan-versions admin 200 $c/plan/versions
plan-versions-diff admin 200 $c/plan/versions?from=1&to=2
distribution-lists admin 200 $c/distribution-lists
map admin 200 $c/map
shipments admin 200 $c/shipments
shipments-at-risk admin 200 $c/shipments?status=at_risk
shipment admin 200 $c/shipments/$ship
exports admin 200 $c/exports
settings admin 200 $c/settings
data admin 200 $c/data
data-materials admin 200 $c/data/materials
data-material-new admin 200 $c/data/materials/new
data-material-edit admin 200 $c/data/materials/edit?key=CAR-ALTO
data-material-delete admin 200 $c/data/materials/delete?key=CAR-ALTO
data-categories admin 200 $c/data/categories
data-category-edit admin 200 $c/data/categories/edit?key=HOSPITAL
data-cities admin 200 $c/data/cities
data-city-edit admin 200 $c/data/cities/edit?key=GDL
data-venues admin 200 $c/data/venues
data-venue-edit admin 200 $c/data/venues/edit?key=v-0001
data-counts admin 200 $c/data/counts
data-count-edit admin 200 $c/data/counts/edit?key=GDL%2FHOSPITAL
data-locks admin 200 $c/data/locks
data-lock-new admin 200 $c/data/locks/new
data-targeting admin 200 $c/data/targeting
data-import admin 200 $c/data/venues/import
data-imports admin 200 $c/data/venues/imports
data-registry admin 200 $c/data/venues/registry
data-registry-rules admin 200 $c/data/venues/registry/rules
account admin 200 /account
admin-users admin 200 /admin/users
admin-audit admin 200 /admin/audit
not-found admin 404 /no-such-page
field-shipments field 200 $c/shipments
field-shipment field 200 $c/shipments/$ship
field-receive field 200 $c/shipments/$ship/receive
field-distribute field 200 $c/shipments/$ship/distribute
field-account field 200 /account"

# Each page must answer as listed before it is measured: a redirect to
# the login form or an error page would measure the wrong page.
bad=0
echo "$pages" | awk -v re="$PAGES" '$1 ~ re' >"$tmp/pages"
[ -s "$tmp/pages" ] || { echo "lighthouse.sh: no page matches PAGES=$PAGES" >&2; exit 1; }
while read -r name who want path; do
	cookie=""
	[ "$who" = admin ] && cookie=$admin
	[ "$who" = field ] && cookie=$field
	got=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
	[ "$got" = "$want" ] || { echo "lighthouse.sh: $name ($path) answers $got, not $want" >&2; bad=1; }
done <"$tmp/pages"
[ $bad = 0 ] || exit 1

version=$(npx --yes "$LIGHTHOUSE" --version)
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# Lighthouse $version, $("$CHROME" --version 2>/dev/null), mobile, simulated throttling, performance only; SQLite"
echo "| page | path | score | FCP | LCP | TBT | CLS | transferred | other hosts |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
status=0
while read -r name who want path; do
	cookie=""
	[ "$who" = admin ] && cookie=$admin
	[ "$who" = field ] && cookie=$field
	headers="{}"
	[ -n "$cookie" ] && headers="{\"Cookie\":\"$cookie\"}"
	at=$base
	[ "$want" = 200 ] || at="http://127.0.0.1:$((PORT + 1))"
	# A fresh profile per page: no cache, no service worker from the last.
	# Lighthouse sometimes loses the trace of a load on a busy machine
	# (NO_NAVSTART) and asks to be run again: up to three tries.
	try=0
	until rm -rf "$tmp/profile" "$tmp/$name.json" &&
		npx --yes "$LIGHTHOUSE" "$at$path" --quiet --only-categories=performance --form-factor=mobile \
			--output=json --output-path="$tmp/$name.json" --extra-headers="$headers" --chrome-path="$CHROME" \
			--chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$tmp/profile" \
			</dev/null >"$tmp/$name.log" 2>&1; do
		try=$((try + 1))
		[ $try -lt 3 ] || break
	done
	if [ $try -ge 3 ]; then
		echo "lighthouse.sh: Lighthouse failed three times on $name:" >&2
		cat "$tmp/$name.log" >&2
		status=1
		continue
	fi
	python3 - "$tmp/$name.json" "$name" "$path" "$at" "$MIN_SCORE" <<'PY' || status=1
import json, sys
from urllib.parse import urlsplit
report, name, path, base, minimum = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
d = json.load(open(report))
a = d["audits"]
if d.get("runtimeError"):
    sys.exit(f"lighthouse.sh: {name}: {d['runtimeError'].get('message')}")
score = round(100 * (d["categories"]["performance"]["score"] or 0))
here = urlsplit(base).netloc
others = sorted({urlsplit(r["url"]).netloc for r in a["network-requests"]["details"]["items"]
                 if urlsplit(r["url"]).scheme in ("http", "https") and urlsplit(r["url"]).netloc != here})
ms = lambda k: f"{a[k]['numericValue'] / 1000:.1f} s"
print(f"| {name} | `{path}` | {score} | {ms('first-contentful-paint')} | {ms('largest-contentful-paint')} | "
      f"{a['total-blocking-time']['numericValue']:.0f} ms | {a['cumulative-layout-shift']['numericValue']:.3f} | "
      f"{a['total-byte-weight']['numericValue'] / 1024:.0f} KiB | {', '.join(others) or 'none'} |")
if score < minimum or others:
    sys.exit(1)
PY
done <"$tmp/pages"
if [ -n "${KEEP:-}" ]; then
	mkdir -p "$KEEP"
	cp "$tmp"/*.json "$KEEP"/
fi
[ $status = 0 ] || echo "lighthouse.sh: some page scores under $MIN_SCORE, loads from another host or failed" >&2
exit $status
