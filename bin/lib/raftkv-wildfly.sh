# bin/raftkv-node --server=wildfly: runs the complete target/raftkv.war on WildFly (unpacked by the build
# into target/wildfly-VERSION, see pom.xml) instead of Payara Micro. Source it; it defines functions only.
# docs/operations.md "WildFly" says what differs from Payara.

# The unpacked WildFly distribution (fetched through Maven when missing).
raftkv_wildfly_home() {
  local home
  home=$(ls -d "$RAFTKV_HOME"/target/wildfly-*/ 2>/dev/null | head -n 1)
  if [ -z "$home" ] || [ ! -f "$home/jboss-modules.jar" ]; then
    raftkv_log "unpacking WildFly into $RAFTKV_HOME/target (./mvnw dependency:unpack@wildfly)"
    (cd "$RAFTKV_HOME" && ./mvnw -B -q dependency:unpack@wildfly) || raftkv_die "could not fetch WildFly"
    home=$(ls -d "$RAFTKV_HOME"/target/wildfly-*/ | head -n 1)
  fi
  echo "${home%/}"
}

# WildFly's ports all move by one offset: HTTP 8080+offset, management (where MicroProfile Health lives)
# 9990+offset. The offset comes from the HTTP port, so --http=:8081 gives management port 9991.
raftkv_wildfly_offset() {
  local port="$1"
  ((port >= 8080)) || raftkv_die "--server=wildfly needs an HTTP port >= 8080 (WildFly moves all its ports by port-8080)"
  echo $((port - 8080))
}

# A fresh server base directory for one node in $1 (its data directory): WildFly's configuration, with
# the WAR deployed as ROOT.war (the API at /kv, /cluster) and undertow's welcome page, which would hold
# the context root "/", removed.
raftkv_wildfly_base() {
  local data="$1" home="$2" base="$1/wildfly"
  rm -rf "$base"
  mkdir -p "$base/deployments" "$base/tmp"
  cp -r "$home/standalone/configuration" "$base/configuration"
  sed -i '/<location name="\/" handler="welcome-content"\/>/d' "$base/configuration/standalone-microprofile.xml"
  cp "$RAFTKV_HOME/target/raftkv.war" "$base/deployments/ROOT.war"
  echo "$base"
}

# --secure=DIR on WildFly (docs/security.md "HTTPS on WildFly"): the node's certificate as the Elytron
# key store of the existing https-listener, which moves to the --http port; the plain HTTP listener is
# removed (remoting's HTTP upgrade connector moves to the https one), and Undertow gets a deadline for a
# request head (slow clients) and for an idle connection. Edits the copied standalone-microprofile.xml of
# $1 (the base directory) with the keystore made by raftkv_secure_keystore in $1/configuration.
raftkv_wildfly_secure() {
  local base="$1" dir="$2" id="$3" xml="$1/configuration/standalone-microprofile.xml"
  raftkv_secure_keystore "$dir" "$id" "$base/configuration"
  sed -i -e 's|<credential-reference clear-text="password"/>|<credential-reference clear-text="changeit"/>|g' \
    -e 's|<implementation type="JKS"/>|<implementation type="PKCS12"/>|' \
    -e 's|<file path="application.keystore" relative-to="jboss.server.config.dir"/>|<file path="keystore.p12" relative-to="jboss.server.config.dir"/>|' \
    -e 's| generate-self-signed-certificate-host="localhost"||' \
    -e 's|<server-ssl-context name="applicationSSC" key-manager="applicationKM"/>|<server-ssl-context name="applicationSSC" key-manager="applicationKM" protocols="TLSv1.3 TLSv1.2"/>|' \
    -e '/<http-listener name="default" socket-binding="http"/d' \
    -e 's|<https-listener name="https" socket-binding="https" ssl-context="applicationSSC" enable-http2="true"/>|<https-listener name="https" socket-binding="https" ssl-context="applicationSSC" enable-http2="false" request-parse-timeout="${env.RAFTKV_HTTPS_PARSE_TIMEOUT_MS:10000}" no-request-timeout="${env.RAFTKV_HTTPS_IDLE_TIMEOUT_MS:30000}"/>|' \
    -e 's|connector-ref="default"|connector-ref="https"|' \
    -e 's|<socket-binding name="https" port="${jboss.https.port:8443}"/>|<socket-binding name="https" port="${jboss.https.port:8080}"/>|' \
    -e 's|<socket-binding name="http" port="${jboss.http.port:8080}"/>|<socket-binding name="http" port="${jboss.http.port:8443}"/>|' \
    "$xml"
  grep -q 'keystore.p12' "$xml" && grep -q 'port="${jboss.https.port:8080}"' "$xml" && ! grep -q '<http-listener ' "$xml" \
    || raftkv_die "--secure on WildFly: $xml is not the layout these edits expect (WildFly version changed?)"
}

# Sets java_cmd (the command that starts WildFly) and WILDFLY_MANAGEMENT (its management URL, where
# /health/ready is). The java process writes its own pid to PIDFILE through bin/lib/raftkv-exec-java,
# which then execs java: the pid file names the JVM, as with Payara. Arguments: id host http-port
# data-dir heap pidfile, then the raftkv system properties.
raftkv_wildfly_command() {
  local node_id="$1" host="$2" port="$3" data="$4" heap="$5" pidfile="$6" home base offset
  shift 6
  home=$(raftkv_wildfly_home)
  base=$(raftkv_wildfly_base "$data" "$home")
  if [ -n "${secure:-}" ]; then raftkv_wildfly_secure "$base" "$secure" "$node_id"; fi
  offset=$(raftkv_wildfly_offset "$port")
  WILDFLY_MANAGEMENT="http://$host:$((9990 + offset))"
  # standalone.sh adds the --add-opens/--add-exports WildFly needs on Java 17 to JAVA_OPTS.
  export JAVA_OPTS="-Xmx$heap ${RAFTKV_GC_OPTS-"-XX:+UseSerialGC"} -Djava.net.preferIPv4Stack=true \
-Djava.awt.headless=true -Djboss.modules.system.pkgs=org.jboss.byteman -Djava.io.tmpdir=$base/tmp \
${RAFTKV_JAVA_OPTS:-} $*"
  export JAVA="$RAFTKV_HOME/bin/lib/raftkv-exec-java" RAFTKV_REAL_JAVA="${RAFTKV_JAVA:-java}" RAFTKV_PID_FILE="$pidfile"
  java_cmd=("$home/bin/standalone.sh" -c standalone-microprofile.xml "-Djboss.server.base.dir=$base"
    "-Djboss.socket.binding.port-offset=$offset" -b "$host" -bmanagement "$host")
}

# bin/raftkv-node's start for --server=wildfly, with its variables (id, self_http, self_raft, data, heap,
# timeout, foreground, join, cluster_state, secure, scheme, extra_props, RAFTKV_CLUSTER, RAFTKV_CLUSTER_HTTP).
raftkv_run_wildfly() {
  local props pid log="$data/node.log" http_host="${self_http%:*}"
  props=("-Draftkv.node.id=$id" "-Draftkv.peer.address=$self_raft" "-Draftkv.http.address=$self_http"
    "-Draftkv.cluster=$RAFTKV_CLUSTER" "-Draftkv.cluster.http=$RAFTKV_CLUSTER_HTTP" "-Draftkv.data.dir=$data")
  [ -n "$join" ] && props+=("-Draftkv.join=$join")
  [ -n "$cluster_state" ] && props+=("-Draftkv.cluster.state=$cluster_state")
  raftkv_wildfly_command "$id" "$http_host" "${self_http##*:}" "$data" "$heap" "$data/pid" \
    "${props[@]}" ${extra_props[@]+"${extra_props[@]}"}
  if ((foreground)); then
    exec "${java_cmd[@]}"
  fi
  rm -f "$data/pid"
  if command -v setsid >/dev/null; then
    setsid "${java_cmd[@]}" > "$log" 2>&1 < /dev/null &
  else
    nohup "${java_cmd[@]}" > "$log" 2>&1 < /dev/null &
  fi
  pid=$!
  raftkv_log "node $id starting on WildFly (launcher pid $pid, http $self_http, management $WILDFLY_MANAGEMENT, raft $self_raft, data $data, log $log)"
  if ! RAFTKV_READY_ALL=true RAFTKV_BOOTED_PATTERN='WFLYSRV0025|WFLYSRV0026' raftkv_wait_ready "$WILDFLY_MANAGEMENT" "$pid" "$log" "$timeout"; then
    raftkv_stop_pidfile "$data/pid" 10
    kill "$pid" 2>/dev/null
    return 1
  fi
  if [ -n "$join" ] && ! raftkv_wait_voter "$scheme://$self_http" "$pid" "$log" "$timeout"; then
    raftkv_stop_pidfile "$data/pid" 10
    return 1
  fi
  raftkv_log "node $id ready at $scheme://$self_http (WildFly)"
  cat "$data/pid"
}
