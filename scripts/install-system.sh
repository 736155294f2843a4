#!/usr/bin/env bash
# System packages the product and its tests need, from Debian. Installs only what is missing, so a
# second run costs a second. Runs apt-get through sudo when not root.
set -euo pipefail

packages=(
  postgresql redis-server dovecot-imapd
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa
  tesseract-ocr-ita tesseract-ocr-nld tesseract-ocr-osd
  chromium poppler-utils qpdf libgl1 libglib2.0-0 fonts-dejavu-core
  python3-venv
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged daemons; the tests start their own on loopback, so stop these.
for svc in redis-server dovecot postgresql; do
  $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
