#!/usr/bin/env bash
# Installs Debian's headless-capable chromium when it is missing, for the
# browser test of the HTML report (importer/htmlreport). Idempotent; needs
# root (as CI runs) or sudo. Prints the browser's version either way.
set -euo pipefail

bin="${CHROMIUM:-/usr/bin/chromium}"
if ! [ -x "$bin" ]; then
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
"$bin" --version 2>/dev/null || { echo "chromium.sh: $bin does not run" >&2; exit 1; }
