#!/usr/bin/env bash
# passwords.sh — rebuild assets/data/common-passwords.txt, the list of
# common passwords that Reparto refuses as new passwords (store/password.go).
#
# Source: the "passwords" frequency list of zxcvbn 4.4.2 (Dan Wheeler and
# Dropbox, Inc., MIT licence; 30,000 passwords ranked by how often they
# appear in leaked password sets). We keep its 10,000 most common entries,
# in rank order, one a line, unedited. The tarball is the pinned npm
# package, checked against the sha512 integrity below before anything is
# read; the licence is copied beside the list.
#
# Usage: assets/passwords.sh   (needs npm, node, tar, sha512sum or openssl)
set -euo pipefail

VERSION=4.4.2
INTEGRITY='sha512-Bq0B+ixT/DMyG8kgX2xWcI5jUvCwqrMxSFam7m0lAf78nf04hv6lNCsyLYdyYTrCVMqNDY/206K7eExYCeSyUQ=='
TOP=10000

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack "zxcvbn@$VERSION" >/dev/null 2>&1
tgz="zxcvbn-$VERSION.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | openssl base64 -A)"
if [[ "$got" != "$INTEGRITY" ]]; then
	echo "passwords.sh: $tgz integrity $got, want $INTEGRITY" >&2
	exit 1
fi
tar xzf "$tgz"
node -e 'const l = require(process.argv[1]).passwords; process.stdout.write(l.slice(0, +process.argv[2]).join("\n") + "\n");' \
	"$work/package/lib/frequency_lists.js" "$TOP" >common-passwords.txt
cp common-passwords.txt "$here/data/common-passwords.txt"
cp package/LICENSE.txt "$here/data/common-passwords.LICENSE.txt"
echo "wrote $(wc -l <"$here/data/common-passwords.txt") passwords from zxcvbn $VERSION"
