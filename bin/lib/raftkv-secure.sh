# shellcheck shell=bash
# bin/raftkv-node --secure=DIR (docs/security.md): HTTPS only on the client port, bearer tokens with
# roles, and mutual TLS on the peer port, from the files of DIR:
#   ca.pem, node-ID.pem, node-ID.key   (bin/lib/peer-certs.sh: the node's certificate serves both ports)
#   token-signing.pub                  (bin/lib/tokens.sh keygen: the key tokens are verified with)
# Sourced by bin/raftkv-node.

# Checks DIR and prints its absolute path.
raftkv_secure_dir() {
  local dir="$1" id="$2" f
  dir="$(cd "$dir" 2>/dev/null && pwd)" || raftkv_die "--secure: no directory $1"
  for f in ca.pem "node-$id.pem" "node-$id.key" token-signing.pub; do
    [ -r "$dir/$f" ] || raftkv_die "--secure: $dir/$f is missing (bin/raftkv-cluster --secure makes them)"
  done
  echo "$dir"
}

# The node's certificate and key as a PKCS#12 keystore under the Payara root ($3), alias "raftkv",
# password "changeit" (Payara's default master password, which it uses to open keystores). The root is
# made afresh at each start, so a replaced certificate is picked up by a restart.
raftkv_secure_keystore() {
  local dir="$1" id="$2" root="$3"
  (umask 077; openssl pkcs12 -export -in "$dir/node-$id.pem" -inkey "$dir/node-$id.key" -certfile "$dir/ca.pem" \
    -name raftkv -out "$root/keystore.p12" -passout pass:changeit) \
    || raftkv_die "--secure: openssl could not make a keystore from $dir/node-$id.pem"
}

# Pre-boot commands (appended to $1): the HTTPS listener on HOST:PORT, disabled until the deployment
# (as the HTTP one), and the HTTP settings post-boot.txt gives the plain listener; the plain HTTP
# listener stays disabled. The certificate is chosen by --sslcert raftkv; protocol versions and cipher
# suites are the JDK's defaults (TLS 1.3 and 1.2; 1.0/1.1 and non-AEAD suites disabled, docs/security.md).
raftkv_secure_pre_boot() {
  local file="$1" host="$2" port="$3"
  local nl=configs.config.server-config.network-config.network-listeners.network-listener.https-listener
  local proto=configs.config.server-config.network-config.protocols.protocol.https-listener
  printf '%s\n' "set $nl.address=$host" "set $nl.port=$port" "set $nl.enabled=false" \
    "set $proto.http.max-post-size-bytes=-1" "set $proto.http.allow-payload-for-undefined-http-methods=true" \
    "set $proto.http.trace-enabled=true" "set $proto.http.max-swallowing-input-bytes=4194304" \
    "set $proto.http.request-timeout-seconds=${RAFTKV_HTTPS_REQUEST_TIMEOUT_S:-60}" \
    "set $proto.http.timeout-seconds=${RAFTKV_HTTPS_KEEPALIVE_S:-30}" >> "$file"
}

# The post-deploy file that opens the HTTPS listener instead of the HTTP one.
raftkv_secure_post_deploy() {
  sed 's/network-listener\.http-listener\.enabled=true/network-listener.https-listener.enabled=true/' \
    "$RAFTKV_HOME/server-config/post-deploy.txt" > "$1"
}
