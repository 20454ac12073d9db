#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter: PATH first, then pyenv's latest 3.10.
# Rasa 3.6 installs on Python 3.10 only (not 3.11+).
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

if [ -n "${PYTHON:-}" ] && is_310 "$PYTHON"; then echo "$PYTHON"; exit 0; fi
for candidate in python3.10 python3 python; do
  path=$(command -v "$candidate" 2>/dev/null || true)
  # pyenv shims answer for versions that are not active; check they really run 3.10
  if [ -n "$path" ] && is_310 "$path"; then echo "$path"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  version=$(pyenv latest 3.10 2>/dev/null || true)
  if [ -n "$version" ]; then
    prefix=$(pyenv prefix "$version" 2>/dev/null || true)
    if [ -n "$prefix" ] && is_310 "$prefix/bin/python3.10"; then echo "$prefix/bin/python3.10"; exit 0; fi
  fi
fi
cat >&2 <<'MSG'
エラー: Python 3.10 が見つかりません。/ Error: Python 3.10 was not found.
Rasa 3.6 は Python 3.10 でのみ動作します（3.11 以降は不可）。
次のどちらかで Python 3.10 を入れてから、もう一度 make run / make test を実行してください。
  - pyenv:  pyenv install 3.10
  - Debian/Ubuntu: apt-get install python3.10 python3.10-venv （配布元にある場合）
すでに入っている場合は PYTHON=/path/to/python3.10 make run のように指定できます。
MSG
exit 1
