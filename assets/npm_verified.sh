# npm_verified.sh — sourced by assets/vendor.sh and api/testdata/axe/fetch.sh,
# the two scripts that copy third-party files from npm into the repository.
# One copy of the download-and-verify step, so that both refuse an altered
# tarball the same way.

# sri_sha512 prints the Subresource-Integrity form (sha512-<base64>) of a
# file, the form npm records as dist.integrity.
sri_sha512() {
	if command -v openssl >/dev/null 2>&1; then
		printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')"
	else
		printf 'sha512-%s' "$(sha512sum "$1" | cut -d' ' -f1 | xxd -r -p | base64 | tr -d '\n')"
	fi
}

# npm_verified TAG NAME VERSION INTEGRITY DIR fetches the pinned npm tarball
# NAME@VERSION into DIR, refuses it unless its sha512 is INTEGRITY (the
# registry's dist.integrity), and unpacks it into DIR/package. TAG starts
# the lines it prints. Exits non-zero on any failure.
npm_verified() {
	local tag=$1 name=$2 version=$3 integrity=$4 dir=$5 tarball got
	mkdir -p "$dir"
	tarball=$(cd "$dir" && npm pack --silent "$name@$version" | tail -n 1)
	tarball="$dir/$tarball"
	if [[ ! -f "$tarball" ]]; then
		echo "$tag: npm pack produced no tarball for $name@$version" >&2
		exit 1
	fi
	got=$(sri_sha512 "$tarball")
	if [[ "$got" != "$integrity" ]]; then
		echo "$tag: CHECKSUM MISMATCH for $name@$version" >&2
		echo "  expected $integrity" >&2
		echo "  got      $got" >&2
		exit 1
	fi
	tar -xzf "$tarball" -C "$dir"
}
