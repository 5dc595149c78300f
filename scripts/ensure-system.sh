#!/usr/bin/env bash
# Make sure the Debian packages the project needs outside Python are installed.
# Idempotent: does nothing when they are all present. Safe to run by hand.
#   fonts-arphic-uming, fonts-wqy-zenhei  CJK TrueType fonts embedded in PDFs and tickets
# and with --for-tests (./test) also
#   poppler-utils, poppler-data           pdftoppm/pdftotext for checking rendered PDFs
#   chromium                              headless browser for the hall-display tests
#   cups, cups-client                     a private CUPS scheduler the A4 printing tests start
#   zbar-tools                            zbarimg, reading back the QR codes printed on papers
set -euo pipefail

packages=(fonts-arphic-uming fonts-wqy-zenhei)
if [ "${1:-}" = "--for-tests" ]; then
  packages+=(poppler-utils poppler-data chromium cups cups-client zbar-tools)
fi

missing=()
for pkg in "${packages[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package.
  if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包：${missing[*]}" >&2
  echo "请以管理员身份安装：sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "正在安装系统软件包：${missing[*]} …" >&2
log="${TMPDIR:-/tmp}/ensure-system.log"
# apt's progress output would bury the test results; keep it in a log for when it fails.
if ! {
  DEBIAN_FRONTEND=noninteractive apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
} >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "系统软件包安装失败，完整记录见 $log" >&2
  exit 1
fi
