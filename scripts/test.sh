#!/usr/bin/env bash
# Quick start 2: set up and pass the tests: import contracts, lint, types, then pytest on
# SQLite and the real PostgreSQL (started here when it is installed but down).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

# services the tests talk to
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "==> starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if command -v redis-server >/dev/null 2>&1 && ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1); then
  echo "==> starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  sleep 1
fi

# the browser tests (tests/browser) drive Debian's Chromium through Playwright (never a downloaded browser);
# installed here when missing, where we may (root or CI); elsewhere those tests are skipped with the reason
if ! command -v chromium >/dev/null 2>&1 && ! [ -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 \
    && { [ "$(id -u)" = 0 ] || [ -n "${CI:-}" ]; }; then
  echo "==> installing Chromium for the browser tests (apt-get install chromium)"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo -n"
  { $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
    || { $sudo_ apt-get update -qq >/dev/null 2>&1 \
         && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; }; } \
    || echo "    (Chromium could not be installed: the browser tests will be skipped)"
fi

# the voice-note tests speak Mandarin with espeak-ng (Debian package); installed here where we may, else skipped
if ! command -v espeak-ng >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
    && { [ "$(id -u)" = 0 ] || [ -n "${CI:-}" ]; }; then
  echo "==> installing espeak-ng for the voice-note tests"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo -n"
  { $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null 2>&1 \
    || { $sudo_ apt-get update -qq >/dev/null 2>&1 \
         && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null 2>&1; }; } \
    || echo "    (espeak-ng could not be installed: the voice-note tests will be skipped)"
fi

echo "==> import-linter (dependency direction)"
.venv/bin/lint-imports
echo "==> ruff"
.venv/bin/ruff check .
echo "==> mypy (strict for core/ and nlu/)"
.venv/bin/mypy
echo "==> pytest"
if [ $# -gt 0 ]; then
  # options or paths given (e.g. -k orders -x): one plain run, as asked
  .venv/bin/python -m pytest -q "$@"
else
  # the whole suite on every core (at most 4; pytest-xdist, a test file stays on one worker, so each module
  # keeps its own PostgreSQL schema), then the schemathesis file on its own: its generated cases share one test
  # id, which xdist would run only once
  # one worker more than cores: a good part of the suite waits (PostgreSQL, the stand-ins' HTTP, subprocesses), and on
  # a 2-core machine two workers left a core idle while both waited (pytest 644 s -> see the commit)
  workers=$(( $(nproc 2>/dev/null || echo 1) + 1 ))
  [ "$workers" -gt 4 ] && workers=4
  [ "$workers" -lt 2 ] && workers=2
  .venv/bin/python -m pytest -q -n "$workers" --dist loadfile --ignore=tests/e2e/test_api_fuzz.py
  .venv/bin/python -m pytest -q tests/e2e/test_api_fuzz.py
fi
