# Sourced by ./run and ./test: make .venv and install exactly the packages of uv.lock when
# the lock (or pyproject.toml) changed since the last install, so a newcomer needs no other
# step. uv installs from the lock in seconds where pip took a minute; it is pinned here and
# in the lock's dev extra (so `uv sync`, which removes what the lock lacks, keeps it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
uv_version="0.13.8"
stamp="$venv/.uv-lock.sha256"
want="$(cat "$here/uv.lock" "$here/pyproject.toml" | sha256sum | cut -d' ' -f1)"
log="$venv/install.log"

_say() { echo "$*" >&2; }

_failed() {
  tail -n 40 "$log" >&2
  _say "依赖包安装失败，完整记录见 $log"
  exit 1
}

# uv's own lines, kept in the log, told to the clerk in Chinese as they come.
_tell_progress() {
  local line
  while IFS= read -r line; do
    echo "$line" >>"$log"
    case "$line" in
      Prepared*) _say "  已下载 $(grep -o '[0-9]\+ package' <<<"$line" | cut -d' ' -f1) 个包" ;;
      Installed*) _say "  已安装 $(grep -o '[0-9]\+ package' <<<"$line" | cut -d' ' -f1) 个包" ;;
      Uninstalled*) _say "  已移除 $(grep -o '[0-9]\+ package' <<<"$line" | cut -d' ' -f1) 个不在锁文件中的包" ;;
    esac
  done
}

if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  started=$SECONDS
  if [ ! -x "$venv/bin/python" ]; then
    _say "[1/3] 正在创建虚拟环境 .venv …"
    "$python" -m venv "$venv"
  fi
  : >"$log"
  if [ "$("$venv/bin/uv" --version 2>/dev/null | cut -d' ' -f2)" != "$uv_version" ]; then
    _say "[2/3] 正在安装安装工具 uv $uv_version …"
    "$venv/bin/python" -m pip install --disable-pip-version-check "uv==$uv_version" >>"$log" 2>&1 || _failed
  fi
  packages="$(grep -c '^\[\[package\]\]' "$here/uv.lock")"
  _say "[3/3] 正在按 uv.lock 下载并安装依赖包（共 $packages 个，首次约需半分钟）…"
  # --frozen: install what the lock says, never re-resolve; the venv's own Python, no download.
  if ! UV_PROJECT_ENVIRONMENT="$venv" UV_PYTHON_DOWNLOADS=never \
       "$venv/bin/uv" sync --frozen --extra dev --project "$here" --python "$venv/bin/python" \
       --color never --no-progress 2>&1 | _tell_progress; then
    _failed
  fi
  echo "$want" >"$stamp"
  _say "依赖包已就绪（用时 $((SECONDS - started)) 秒）"
fi
