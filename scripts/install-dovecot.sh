#!/usr/bin/env bash
# Installs Dovecot's IMAP server (Debian package dovecot-imapd) for the test sandbox, only when it is
# missing. The tests never use the system instance: they start private ones on 127.0.0.1 (see
# tests/ImapRx.Sandbox/Server). This script stops, disables and reconfigures nothing.
set -euo pipefail

if [[ -x /usr/sbin/dovecot && -x /usr/bin/doveadm ]]; then
  echo "install-dovecot: $(/usr/sbin/dovecot --version 2>/dev/null || echo 'Dovecot') already installed."
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-dovecot: apt-get not found; install Dovecot 2.3 (dovecot-imapd) with your package manager." >&2
  exit 1
fi

as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-dovecot: run as root (or install sudo) to install dovecot-imapd." >&2
    exit 1
  fi
  as_root=(sudo)
fi

echo "install-dovecot: installing dovecot-imapd with apt-get..."
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd
echo "install-dovecot: $(/usr/sbin/dovecot --version) installed."
