#!/usr/bin/env bash
# Sets up the virtualenv in .venv with the project and its dev tools; cheap when nothing changed.
# Sourced by scripts/run.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=""
for c in python3.13 python3.12 python3.11 python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    PY=$(command -v "$c"); break
  fi
done
if [ -z "$PY" ]; then
  echo "需要 Python 3.11 或更高版本 (Python 3.11+ is required)" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PY"
  "$PY" -m venv .venv
fi

stamp=.venv/.dms-installed
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing dependencies (first time takes a minute)"
  log=.venv/pip-install.log
  # uv (the field's fast installer: parallel downloads, one resolver pass) does in ~15 s what pip does in ~85 s here;
  # pip is the fallback when uv cannot be had
  if ! { { .venv/bin/python -m pip install -q uv && .venv/bin/uv pip install --compile-bytecode --python .venv/bin/python -e ".[dev]"; } \
         || { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e ".[dev]"; }; } \
       >"$log" 2>&1; then
    tail -30 "$log" >&2
    echo "依赖安装失败，详见 $log (installing dependencies failed, see $log)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
mkdir -p var
