#!/bin/sh
# national.sh measures `reparto plan` and `reparto import` (SQLite and, when
# DATABASE_URL is set, PostgreSQL) of the synthetic national campaign:
# 2,500 cities and 1,000,000 venues (issue #13 targets: plan < 4 s, import
# into SQLite < 8 s, into PostgreSQL < 15 s, each < 700 MB peak RSS), then
# serves the imported SQLite database and views its plan page as a viewer:
# the first view of a fresh server (< 2 s), a view after (< 100 ms), the
# page's weight (< 1 MB) and the server's peak RSS after them (< 1 GB).
#
#	cmd/gendemo/national.sh [WORKDIR]
#	DATABASE_URL='postgres://…/empty_db?sslmode=disable' cmd/gendemo/national.sh
#
# Run it from the repository root on an idle machine. It prints, per step,
# wall time, user + system CPU time and peak RSS ("Maximum resident set
# size" of GNU time); for the server, the time and bytes curl saw and the
# kernel's high-water mark of the server's memory (VmHWM). VENUES (default 1000000) changes the size; the file
# is generated once per size (gendemo -national, deterministic). The
# PostgreSQL database gets one more campaign per run: use a scratch one.
set -eu

dir=${1:-${TMPDIR:-/tmp}/reparto-national}
venues=${VENUES:-1000000}
mkdir -p "$dir"
go build -o "$dir/reparto" ./cmd/reparto
go build -o "$dir/gendemo" ./cmd/gendemo
file="$dir/national-$venues.json"
if [ ! -f "$file" ]; then
	"$dir/gendemo" -national -venues "$venues" -out "$file"
fi
echo "file: $file ($(wc -c <"$file") bytes)"

measure() { # measure NAME COMMAND...: one line of figures
	name=$1
	shift
	/usr/bin/time -f "$name: %e s wall, %U s user + %S s system, %M KB peak RSS" "$@" >/dev/null
}

measure plan "$dir/reparto" plan --campaign "$file" --out "$dir/out"
rm -f "$dir/national.db"
"$dir/reparto" migrate --db "$dir/national.db" >/dev/null
measure "import sqlite" "$dir/reparto" import "$file" --db "$dir/national.db"

# The server on the imported SQLite database (no demo), a viewer signed in.
# DATABASE_URL, which would take precedence, is kept from both. The
# viewer is added before the server starts, which creates the first admin
# account at the same time otherwise.
pw='national viewer password 2009'
echo "$pw" | env -u DATABASE_URL REPARTO_DB="$dir/national.db" "$dir/reparto" user add --email national-viewer@example.org \
	--role viewer --password-stdin >/dev/null
port=${PORT:-18280}
base="http://127.0.0.1:$port"
env -u DATABASE_URL REPARTO_DB="$dir/national.db" "$dir/reparto" serve --addr "127.0.0.1:$port" --demo=0 >"$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
i=0
until curl -fs "$base/readyz" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "national.sh: the server did not start:" >&2
		cat "$dir/serve.log" >&2
		exit 1
	fi
	sleep 0.2
done
curl -fs -c "$dir/jar" -o /dev/null --data-urlencode email=national-viewer@example.org \
	--data-urlencode "password=$pw" "$base/login"
view() { # view NAME PATH: one GET as the viewer
	curl -fs -b "$dir/jar" -H 'Accept-Encoding: gzip' -o /dev/null \
		-w "$1: %{time_total} s, %{size_download} bytes gzipped, status %{http_code}\n" "$base$2"
	curl -fs -b "$dir/jar" -o /dev/null -w "$1: %{size_download} bytes of HTML\n" "$base$2"
}
view "plan page, first view" /campaigns/1/plan
view "plan page, view after" /campaigns/1/plan
view "plan page by city, page 13, first" "/campaigns/1/plan?view=cities&page=13"
view "plan page by city, page 13, after" "/campaigns/1/plan?view=cities&page=13"
echo "server: $(awk '/VmHWM/ {print $2, $3}' "/proc/$server/status") peak RSS after those views"
kill $server 2>/dev/null || true
wait $server 2>/dev/null || true

# PostgreSQL last: its checkpoint after a million rows keeps a core busy
# for seconds after the import, and the views above would measure it.
if [ -n "${DATABASE_URL:-}" ]; then
	"$dir/reparto" migrate --database-url "$DATABASE_URL" >/dev/null
	measure "import postgres" "$dir/reparto" import "$file" --database-url "$DATABASE_URL"
fi
