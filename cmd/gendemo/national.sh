#!/bin/sh
# national.sh measures `reparto plan` and `reparto import` (SQLite and, when
# DATABASE_URL is set, PostgreSQL) of the synthetic national campaign:
# 2,500 cities and 1,000,000 venues (issue #13 targets: plan < 4 s, import
# into SQLite < 8 s, into PostgreSQL < 15 s, each < 700 MB peak RSS).
#
#	cmd/gendemo/national.sh [WORKDIR]
#	DATABASE_URL='postgres://…/empty_db?sslmode=disable' cmd/gendemo/national.sh
#
# Run it from the repository root on an idle machine. It prints, per step,
# wall time, user + system CPU time and peak RSS ("Maximum resident set
# size" of GNU time). VENUES (default 1000000) changes the size; the file
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
if [ -n "${DATABASE_URL:-}" ]; then
	"$dir/reparto" migrate --database-url "$DATABASE_URL" >/dev/null
	measure "import postgres" "$dir/reparto" import "$file" --database-url "$DATABASE_URL"
fi
