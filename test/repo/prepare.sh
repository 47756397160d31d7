#!/usr/bin/env bash
# Make sure the repository tests can run: they serve charts with a real nginx (Debian's
# nginx-light, or nginx) and make certificates with the openssl CLI. Idempotent: does nothing
# when both are present. Needs root (or sudo) on Debian/Ubuntu the first time.
set -euo pipefail

have_nginx() {
  for p in /usr/sbin/nginx /usr/bin/nginx /usr/local/sbin/nginx /usr/local/bin/nginx; do
    [ -x "$p" ] && return 0
  done
  return 1
}

if have_nginx && command -v openssl >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test/repo/prepare.sh: nginx and openssl are needed; install them with your package manager" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "test/repo/prepare.sh: run as root (or with sudo) to install nginx and openssl" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Only what is missing (installing an installed package would upgrade it).
pkgs=()
have_nginx || pkgs+=(nginx-light)
command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
# Serialise with any other apt user on this machine (other prepare scripts may run at once).
$SUDO apt-get update -qq -o DPkg::Lock::Timeout=300
if ! $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${pkgs[@]}"; then
  pkgs=("${pkgs[@]/nginx-light/nginx}")
  $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${pkgs[@]}"
fi
# The package starts a system nginx on port 80; the tests run their own, so stop it if it runs.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  $SUDO systemctl stop nginx || true
elif [ -f /run/nginx.pid ]; then
  $SUDO kill -QUIT "$(cat /run/nginx.pid)" 2>/dev/null || true
fi
have_nginx
