# Sourced by ./run and ./test: make .venv and install the pinned packages when
# pyproject.toml changed since the last install, so a newcomer needs no other step.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.pyproject.sha256"
want="$(sha256sum "$here/pyproject.toml" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ]; then
  echo "正在创建虚拟环境 .venv（首次运行需要几分钟）…" >&2
  "$python" -m venv "$venv"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "正在安装依赖包…" >&2
  log="$venv/install.log"
  # pip's own chatter would scroll over the clerk's screen; keep it for when it fails.
  if ! { "$venv/bin/python" -m pip install --upgrade pip \
         && "$venv/bin/python" -m pip install -e "$here[dev]"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "依赖包安装失败，完整记录见 $log" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
