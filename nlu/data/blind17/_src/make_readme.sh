#!/bin/sh
# README = hand-written head + counts computed by counts.py
cd "$(dirname "$0")/.." && { cat _src/README_head.md; echo; echo '## Counts (computed by _src/counts.py)'; echo '```'; python3 _src/counts.py; echo '```'; } > README.md
