#!/usr/bin/env bash
# Make sure the OCI registry tests can run: they start a real registry (Debian's
# docker-registry, the CNCF distribution registry) and make certificates with the openssl CLI;
# the provenance tests also use GnuPG's gpg when it is present. Idempotent: does nothing when
# the registry and openssl are present. Needs root (or sudo) on Debian/Ubuntu the first time.
set -euo pipefail

have_registry() { [ -x /usr/bin/docker-registry ]; }

if have_registry && command -v openssl >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test/oci/prepare.sh: docker-registry and openssl are needed; install them with your package manager" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "test/oci/prepare.sh: run as root (or with sudo) to install docker-registry and openssl" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
pkgs=()
have_registry || pkgs+=(docker-registry)
command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
# Serialise with any other apt user on this machine (other prepare scripts may run at once).
$SUDO apt-get update -qq -o DPkg::Lock::Timeout=300
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${pkgs[@]}"
# The package starts a system registry on port 5000; the tests run their own, so stop it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  $SUDO systemctl stop docker-registry || true
fi
have_registry
