#!/usr/bin/env bash
# Makes a token signing key and issues bearer tokens (RS256 JWTs) for raftkv.auth (docs/security.md).
#
#   bin/lib/tokens.sh keygen DIR
#       writes DIR/token-signing.key (RSA 2048, PKCS#8; keep it secret, off the nodes) and
#       DIR/token-signing.pub (the public key the nodes verify with: mp.jwt.verify.publickey.location)
#   bin/lib/tokens.sh issue --key=FILE --sub=NAME --roles=read,write,admin [--ttl=SECONDS] \
#       [--prefixes=app1/,app2/] [--issuer=ISS] [--now=EPOCH]
#       prints a token: {"sub", "groups": roles, "iat", "exp" (default ttl 3600 s), "iss"?,
#       "raftkv_prefixes"?}. --now sets the issue time (tests make expired tokens with it).
# Needs openssl and base64. Names, roles, prefixes and issuer must not contain '"', '\' or ','.
set -euo pipefail
command -v openssl >/dev/null || { echo "tokens: openssl is missing (apt-get install openssl)" >&2; exit 1; }

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
json_list() { # a,b -> "a","b"
  local out="" item
  IFS=',' read -ra items <<< "$1"
  for item in "${items[@]}"; do out+="${out:+,}\"$item\""; done
  printf '%s' "$out"
}
die() { echo "tokens: $*" >&2; exit 2; }

cmd=${1:-}
shift || true
case "$cmd" in
  keygen)
    dir=${1:?usage: tokens.sh keygen DIR}
    mkdir -p "$dir"
    (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/token-signing.key" 2>/dev/null)
    openssl pkey -in "$dir/token-signing.key" -pubout -out "$dir/token-signing.pub"
    ;;
  issue)
    key="" sub="" roles="" ttl=3600 prefixes="" issuer="" now=$(date +%s)
    for arg in "$@"; do
      case "$arg" in
        --key=*) key="${arg#*=}" ;;
        --sub=*) sub="${arg#*=}" ;;
        --roles=*) roles="${arg#*=}" ;;
        --ttl=*) ttl="${arg#*=}" ;;
        --prefixes=*) prefixes="${arg#*=}" ;;
        --issuer=*) issuer="${arg#*=}" ;;
        --now=*) now="${arg#*=}" ;;
        *) die "unknown argument '$arg'" ;;
      esac
    done
    [ -r "$key" ] || die "--key=FILE (a private key from 'keygen') is required"
    [ -n "$sub" ] || die "--sub=NAME is required"
    [[ "$ttl$now" =~ ^[0-9]+$ ]] || die "--ttl and --now must be whole seconds"
    [[ "$sub$roles$prefixes$issuer" != *[\"\\]* ]] || die "no '\"' or '\\' in names"
    payload="{\"sub\":\"$sub\",\"groups\":[$(json_list "$roles")],\"iat\":$now,\"exp\":$((now + ttl))"
    [ -n "$issuer" ] && payload+=",\"iss\":\"$issuer\""
    [ -n "$prefixes" ] && payload+=",\"raftkv_prefixes\":[$(json_list "$prefixes")]"
    payload+="}"
    signing_input="$(printf '%s' '{"alg":"RS256","typ":"JWT"}' | b64url).$(printf '%s' "$payload" | b64url)"
    signature=$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$key" | b64url)
    printf '%s.%s\n' "$signing_input" "$signature"
    ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 2 ;;
esac
