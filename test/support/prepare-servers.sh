#!/usr/bin/env bash
# Make sure the real servers the tests start are installed: nginx (chart repositories; Debian's
# nginx-light, else nginx), docker-registry (OCI registries), the openssl CLI (certificates) and
# PostgreSQL (the SQL storage driver; Debian's postgresql, whose binaries live in /usr/lib/postgresql).
# Idempotent: does nothing when all are present. Needs root (or sudo) on Debian/Ubuntu the first
# time. The packages' own system services are stopped: the tests run their own instances.
set -euo pipefail

have() { for p in "$@"; do [ -x "$p" ] && return 0; done; return 1; }
have_nginx() { have /usr/sbin/nginx /usr/bin/nginx /usr/local/sbin/nginx /usr/local/bin/nginx; }
have_registry() { have /usr/bin/docker-registry; }
have_openssl() { command -v openssl >/dev/null 2>&1; }
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; }

pkgs=()
have_nginx || pkgs+=(nginx-light)
have_registry || pkgs+=(docker-registry)
have_openssl || pkgs+=(openssl)
have_postgres || pkgs+=(postgresql)
[ ${#pkgs[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test/support/prepare-servers.sh: ${pkgs[*]} needed; install them with your package manager" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "test/support/prepare-servers.sh: run as root (or with sudo) to install ${pkgs[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Serialise with any other apt user on this machine.
$SUDO apt-get update -qq -o DPkg::Lock::Timeout=300
apt_install() { $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "$@"; }
if ! apt_install "${pkgs[@]}"; then
  apt_install "${pkgs[@]/nginx-light/nginx}" # some releases only have nginx
fi
for service in nginx docker-registry postgresql; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    $SUDO systemctl stop "$service" || true
  fi
done
if [ -f /run/nginx.pid ]; then $SUDO kill -QUIT "$(cat /run/nginx.pid)" 2>/dev/null || true; fi
# Debian's package starts a cluster on port 5432 even without systemd; the tests start their own.
if command -v pg_ctlcluster >/dev/null 2>&1; then
  for cluster in /etc/postgresql/*/*; do
    [ -d "$cluster" ] || continue
    $SUDO pg_ctlcluster "$(basename "$(dirname "$cluster")")" "$(basename "$cluster")" stop 2>/dev/null || true
  done
fi
have_nginx && have_registry && have_openssl && have_postgres
