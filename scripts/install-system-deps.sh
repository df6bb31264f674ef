#!/usr/bin/env bash
# Installs what tei-tools needs beyond pip, from Debian and npm only.
#   Debian: a Java runtime (EPUBCheck, the Nu HTML checker, jing), jing (RELAX NG
#           reference validator), trang (RELAX NG compact syntax to XML), chromium (Ace and the browser tests), fonts-noto-cjk
#           (Chinese glyphs in the browser), hyperfine (benchmark timings),
#           calibre (ebook-meta: how a common reading app reads the EPUB's metadata),
#           pandoc (reads an EPUB's spine in order, as text-extracting clients do).
#   npm (into ./node_modules, pinned by package-lock.json): @daisy/ace-cli, vnu-jar.
# Idempotent: re-running installs nothing that is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v jing >/dev/null 2>&1 || need_apt+=(jing)
command -v trang >/dev/null 2>&1 || need_apt+=(trang)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v hyperfine >/dev/null 2>&1 || need_apt+=(hyperfine)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
command -v ebook-meta >/dev/null 2>&1 || need_apt+=(calibre)
command -v pandoc >/dev/null 2>&1 || need_apt+=(pandoc)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "install-system-deps: apt-get install ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x node_modules/.bin/ace-cli ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "install-system-deps: npm ci (@daisy/ace-cli, vnu-jar)" >&2
  PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
fi
