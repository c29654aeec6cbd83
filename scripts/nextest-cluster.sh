#!/bin/sh
# nextest setup script: starts one cluster (with the reference service) for the whole test run and hands its description to
# every test through YARNSEC_CLUSTER. The cluster is removed once nextest (our parent) exits.
# Its profile is `fast` (strict's checks, short lifetimes: the expiry and long-lived tests wait a
# third as long); YARNSEC_TEST_PROFILE=strict runs the suite on strict's lifetimes.
set -eu
# A cluster given by the caller (YARNSEC_CLUSTER=<yarnsec up --json output>) is used as is.
[ -z "${YARNSEC_CLUSTER:-}" ] || exit 0
dir="${CARGO_TARGET_DIR:-target}/yarnsec"
mkdir -p "$dir"
out="$dir/cluster-$PPID.json"
cargo run --quiet --bin yarnsec -- up --json --profile "${YARNSEC_TEST_PROFILE:-fast}" --down-when-gone "$PPID" > "$out"
echo "YARNSEC_CLUSTER=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")" >> "$NEXTEST_ENV"
