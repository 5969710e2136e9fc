#!/usr/bin/env bash
# Builds everything in Release and runs every test project, then prints one line: "N passed, N failed, N skipped".
#
# Network tests only ever use 127.0.0.1. Tests that multicast (mDNS) must never reach the machine's real
# interfaces, so when we are root the whole test run happens inside a private network namespace: loopback (with
# multicast, for IPv4) and a veth pair whose two ends are both in the namespace (for IPv6, which Linux cannot
# multicast over loopback; DAD off, so its link-local addresses are usable at once). Nothing there leads off the
# machine. Without root those tests skip themselves and print why (tests/Shared/PrivateNetwork.cs).
#
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --project tests/Helia.Multiformats.Tests]
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 TESTINGPLATFORM_TELEMETRY_OPTOUT=1

dotnet build Helia.slnx -c Release -warnaserror --nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_tests=(dotnet test --solution Helia.slnx -c Release --no-build --no-restore "$@")
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  echo "Running the tests inside a private network namespace (loopback and a contained veth pair only)."
  set +e
  unshare -n bash -c 'ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo &&
    { echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad && ip link add hv0 type veth peer name hv1 && ip link set hv0 up && ip link set hv1 up ||
      echo "No veth pair in the namespace: the IPv6 mDNS test will skip."; } && exec "$@"' _ "${run_tests[@]}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
else
  echo "Not root (or no unshare): tests that need a loopback-only network namespace will be skipped."
  set +e
  "${run_tests[@]}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
fi

# dotnet test's summary block ("total: N / failed: N / succeeded: N / skipped: N") is not a line CI reads,
# so restate it as the plain closing line.
count() { grep -E "^\s+$1: [0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
passed=$(count succeeded); failed=$(count failed); skipped=$(count skipped)
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then
  failed=1   # the runner itself failed (a crash, a build error, no tests found): never report that as green
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
