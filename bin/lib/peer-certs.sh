#!/usr/bin/env bash
# Makes a cluster CA and peer certificates for mutual TLS on the peer port (docs/security.md):
#   bin/lib/peer-certs.sh DIR ID=HOST [ID=HOST ...]
# writes DIR/ca.pem + DIR/ca.key (kept if they exist, so new nodes join the same CA) and, per node,
# DIR/node-ID.pem + DIR/node-ID.key (PKCS#8) with HOST as subject alternative name (an IP or a DNS
# name), as bin/raftkv-node --peer-tls=DIR expects. EC P-256 keys, valid 365 days. Needs openssl.
set -euo pipefail
dir=${1:?usage: peer-certs.sh DIR ID=HOST...}
shift
command -v openssl >/dev/null || { echo "peer-certs: openssl is missing (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
umask 077
if [ ! -s ca.pem ] || [ ! -s ca.key ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
    -days 365 -subj "/CN=raftkv cluster CA" 2>/dev/null
fi
for spec in "$@"; do
  id=${spec%%=*} host=${spec#*=}
  case "$host" in
    *[!0-9.]*) san="DNS:$host" ;;
    *) san="IP:$host" ;;
  esac
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "node-$id.key" \
    -out "node-$id.csr" -subj "/CN=raftkv node $id" 2>/dev/null
  printf 'subjectAltName=%s\n' "$san" > "node-$id.ext"
  openssl x509 -req -in "node-$id.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "node-$id.pem" \
    -days 365 -extfile "node-$id.ext" 2>/dev/null
  rm -f "node-$id.csr" "node-$id.ext"
done
