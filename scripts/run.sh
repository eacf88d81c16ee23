#!/usr/bin/env bash
# Quick start 1: set up and run everything on the embedded default (SQLite file in ./var,
# in-process scheduler and worker, admin web on 127.0.0.1:8000, demo data on first start).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
exec .venv/bin/dms run "$@"
