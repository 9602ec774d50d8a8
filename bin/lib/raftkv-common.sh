# Shared helpers for bin/raftkv-node and bin/raftkv-cluster. Source it; it defines functions only.
# RAFTKV_HOME is the repository root (the directory holding pom.xml and target/).

raftkv_die() {
  echo "raftkv: $*" >&2
  exit 1
}

raftkv_log() {
  echo "raftkv: $*" >&2
}

# The WAR bin/raftkv-node deploys (RAFTKV_THIN_WAR=false: the complete one). By default the thin
# target/raftkv-thin.war (no WEB-INF/lib), whose libraries (target/early-lib/*.jar, the same jars) the
# JVM already has: on its class path through the early-start agent's manifest, or given to Payara
# Micro with --addlibs when the agent is off. Payara then does not unpack and scan 22 MB of library
# classes at each deployment (docs/operations.md "Boot time").
raftkv_war() {
  if [ "${RAFTKV_THIN_WAR:-true}" = false ]; then echo "$RAFTKV_HOME/target/raftkv.war"; else echo "$RAFTKV_HOME/target/raftkv-thin.war"; fi
}

# Payara Micro's options for the deployment: --deploy WAR, and --addlibs for a thin WAR in a JVM without
# the agent ($1: whether the JVM runs the agent, true or false).
raftkv_deploy_options() {
  local agent="$1" war libs
  war=$(raftkv_war)
  echo "--deploy $war"
  if [ "$war" != "$RAFTKV_HOME/target/raftkv.war" ] && [ "$agent" = false ]; then
    libs=$(printf '%s:' "$RAFTKV_HOME"/target/early-lib/*.jar)
    echo "--addlibs ${libs%:}"
  fi
}

# The class path of the early HTTP API (raftkv.early.http.classpath): the deployed WAR (its WEB-INF/classes)
# and target/early-http-lib (JSON-P and the API jars those classes name), separated by ':'.
raftkv_early_http_classpath() {
  local cp
  cp="$(raftkv_war)$(printf ':%s' "$RAFTKV_HOME"/target/early-http-lib/*.jar)"
  echo "$cp"
}

# Builds target/raftkv.war (and raftkv-thin.war, raftkv-early.jar) and fetches target/payara-micro.jar
# through Maven when either is missing, and rebuilds when a source (src/main, proto, pom.xml) is newer
# than the WAR: a node started after an edit runs the edited code, not the last build.
raftkv_ensure_built() {
  local war="$RAFTKV_HOME/target/raftkv.war" jar="$RAFTKV_HOME/target/payara-micro.jar" why=""
  if [ ! -f "$war" ] || [ ! -f "$RAFTKV_HOME/target/raftkv-early.jar" ] || [ ! -f "$RAFTKV_HOME/target/raftkv-thin.war" ] || [ ! -d "$RAFTKV_HOME/target/early-http-lib" ]; then
    why="missing"
  elif [ -n "$(cd "$RAFTKV_HOME" && find src/main proto pom.xml -newer "$war" -type f -print -quit 2>/dev/null)" ]; then
    why="sources changed since the last build"
  fi
  if [ -n "$why" ]; then
    raftkv_log "building $war ($why: ./mvnw -q -DskipTests package)"
    (cd "$RAFTKV_HOME" && ./mvnw -B -q -DskipTests package) || raftkv_die "build failed"
  fi
  if [ ! -f "$jar" ]; then
    raftkv_log "fetching Payara Micro into $jar"
    (cd "$RAFTKV_HOME" && ./mvnw -B -q dependency:copy@payara-micro) || raftkv_die "could not fetch Payara Micro"
  fi
}

# True when PID is a live process. A zombie (exited, not yet reaped: a node started in the background
# is re-parented to PID 1, which may reap slowly) counts as gone.
raftkv_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# Prints the pid stored in a pid file if that process is alive.
raftkv_live_pid() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile" 2>/dev/null)
  raftkv_alive "$pid" && echo "$pid"
}

# Stops the process of a pid file: SIGTERM, then SIGKILL after GRACE seconds. Removes the pid file.
raftkv_stop_pidfile() {
  local pidfile="$1" grace="${2:-20}" pid i
  pid=$(raftkv_live_pid "$pidfile") || { rm -f "$pidfile"; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 5; i++)); do
    raftkv_alive "$pid" || break
    sleep 0.2
  done
  if raftkv_alive "$pid"; then
    raftkv_log "pid $pid did not stop in ${grace}s; killing it"
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$pidfile"
}

# GETs a URL; prints the body; fails on connection errors. Does not fail on HTTP error statuses
# because /health/ready answers 503 with a useful body. RAFTKV_CURL_CACERT: the CA to trust for https;
# RAFTKV_TOKEN: a bearer token to send (a cluster with tokens on, docs/security.md).
raftkv_http_get() {
  curl -s --max-time 5 ${RAFTKV_CURL_CACERT:+--cacert "$RAFTKV_CURL_CACERT"} \
    ${RAFTKV_TOKEN:+-H "Authorization: Bearer $RAFTKV_TOKEN"} "$1"
}

# The lines of a Payara Micro log that explain a failed deployment: the SEVERE lines, and the first
# exception messages (not their stack frames) that follow "Exception while loading the app :".
raftkv_deploy_failure() {
  grep -E 'SEVERE' "$1" 2>/dev/null | grep -v -E 'certificate.*expired' | head -n 10
  # WildFly (--server=wildfly) logs its failures as "ERROR [category]" with WFLY codes.
  grep -E ' ERROR \[' "$1" 2>/dev/null | cut -c1-400 | head -n 6
  grep -A 40 'Exception while loading the app :' "$1" 2>/dev/null \
    | grep -v -E '^\s+at |^\s*$|^--$|SEVERE' | head -n 12
}

# Waits until the node behind BASE_URL reports the raftkv readiness check UP.
# Fails (returns 1, cause on stderr) when the process dies, when Payara Micro finished booting
# without our application (a failed deployment leaves Micro running), or after TIMEOUT seconds.
# Waits until the node at $1 reports itself a voter in GET /cluster (a joining node, after the leader
# promoted it); fails when the process exits or after $4 seconds.
raftkv_wait_voter() {
  local base="$1" pid="$2" log="$3" timeout="$4" deadline=$((SECONDS + $4))
  while ((SECONDS < deadline)); do
    raftkv_alive "$pid" || { raftkv_log "the node process $pid exited while joining; see $log"; return 1; }
    [[ "$(raftkv_http_get "$base/cluster" || true)" == *'"membership":"voter"'* ]] && return 0
    sleep 1
  done
  raftkv_log "the node at $base did not become a voter within ${timeout}s (see $log)"
  return 1
}

raftkv_wait_ready() {
  local base="$1" pid="$2" log="$3" timeout="$4" body deadline=$((SECONDS + timeout)) booted_at=""
  while ((SECONDS < deadline)); do
    if ! raftkv_alive "$pid"; then
      raftkv_log "the node process $pid exited during startup; last lines of $log:"
      tail -n 30 "$log" >&2
      return 1
    fi
    body=$(raftkv_http_get "$base/health/ready" || true)
    # RAFTKV_READY_ALL=true (WildFly): the server's own checks (deployments, boot errors) must be UP too.
    if [[ "$body" == *'"name":"raftkv-api","status":"UP"'* ]] && { [ "${RAFTKV_READY_ALL:-false}" != true ] || [[ "$body" == '{"status":"UP"'* ]]; }; then
      return 0
    fi
    # Deployment happens before Payara Micro logs "ready in": after that line, our readiness check
    # must show up, or the deployment failed (and Micro stays up regardless). Grace period
    # RAFTKV_DEPLOY_GRACE (60 s; was 15): on a machine running ~9 nodes on 2 cores the health answer
    # can be slow. (The failures first blamed on the short grace turned out to be Payara's HTTP
    # listener never starting, "GrizzlyProxy is NULL", which no grace period cures.)
    if [ -z "$booted_at" ] && grep -q -E "${RAFTKV_BOOTED_PATTERN:-Payara Micro .* ready in}" "$log" 2>/dev/null; then
      booted_at=$SECONDS
    fi
    if [ -n "$booted_at" ] && [[ "$body" != *'"name":"raftkv-api"'* ]] && ((SECONDS - booted_at > ${RAFTKV_DEPLOY_GRACE:-60})); then
      raftkv_log "Payara Micro started but the raftkv application is not serving at $base. From $log:"
      raftkv_deploy_failure "$log" >&2
      return 1
    fi
    sleep 1
  done
  raftkv_log "the node at $base was not ready after ${timeout}s (see $log)"
  return 1
}

# Prints the JVM options for a class-data-sharing archive (AppCDS) of a node's classes, which cuts
# JVM + Payara start-up. The archive lives in target/cds/, named by a key of the WAR, Payara Micro
# jar and java binary (size + mtime, and `java -version`): a rebuilt WAR or another JVM gets a new
# archive, never a stale one (the JVM checks the class path jars itself too, and classes from
# Payara's own loaders only match when their bytes do). No archive yet: a separate training run makes
# it first (raftkv_cds_train; nodes starting at the same time wait for it under a lock), so no node
# ever writes the ~80 MB archive while it exits (that made the first SIGTERM after a build take 4-7 s).
# RAFTKV_CDS=off disables all of it; so does a machine without flock(1) or a training run that fails.
raftkv_cds_options() {
  local java_bin="$1" dir="$RAFTKV_HOME/target/cds" key archive
  [ "${RAFTKV_CDS:-on}" = off ] && return 0
  mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 0
  key=$( { stat -c '%n %s %Y' "$(raftkv_war)" "$RAFTKV_HOME/target/payara-micro.jar" "$RAFTKV_HOME/target/raftkv-early.jar"
    "$java_bin" -version 2>&1; } | cksum | cut -d' ' -f1)
  archive="$dir/raftkv-$key.jsa"
  if [ ! -f "$archive" ] && command -v flock >/dev/null; then
    (
      flock 9
      [ -f "$archive" ] || raftkv_cds_train "$java_bin" "$archive"
    ) 9> "$dir/.lock"
  fi
  [ -f "$archive" ] && echo "-XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
  return 0
}

# The training run for raftkv_cds_options: a throw-away node (a not-yet-member on a free loopback
# port, its own temporary root and data) boots like a real one, answers a few requests, and is
# stopped with SIGTERM; its JVM writes the archive at exit. Checked (-Xshare:on) before it is moved
# into place; archives of earlier builds are deleted. About the cost of one node start plus the
# dump (~15-25 s on 2 cores), once per build. Log: target/cds/training.log.
raftkv_cds_train() {
  local java_bin="$1" archive="$2" dir work port pid i
  dir=$(dirname "$archive")
  rm -rf "$dir"/train.* "$dir"/*.jsa.tmp-*
  work=$(mktemp -d "$dir/train.XXXXXX") || return 0
  mkdir -p "$work/tmp" "$work/data"
  port=$(raftkv_free_port) || { rm -rf "$work"; return 0; }
  printf '%s\n' "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
    "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.enabled=false" > "$work/pre-boot.txt"
  raftkv_log "no class-data-sharing archive for this build yet: training run first (log: $dir/training.log)"
  "$java_bin" -Xmx256m -XX:+UseSerialGC -Xss512k "-XX:ArchiveClassesAtExit=$archive.tmp-$$" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -Djava.net.preferIPv4Stack=true "-Djava.io.tmpdir=$work/tmp" -Draftkv.node.id=1 \
    "-Draftkv.peer.address=127.0.0.1:$((port + 1))" "-Draftkv.http.address=127.0.0.1:$port" "-Draftkv.data.dir=$work/data" \
    -jar "$RAFTKV_HOME/target/payara-micro.jar" $(raftkv_deploy_options false) --contextroot / --port "$port" \
    --nohazelcast --disablephonehome --rootdir "$work/payara" --prebootcommandfile "$work/pre-boot.txt" \
    --postbootcommandfile "$RAFTKV_HOME/server-config/post-boot.txt" \
    --postdeploycommandfile "$RAFTKV_HOME/server-config/post-deploy.txt" \
    --logproperties "$RAFTKV_HOME/server-config/logging.properties" > "$dir/training.log" 2>&1 < /dev/null &
  pid=$!
  for ((i = 0; i < 600; i++)); do
    raftkv_alive "$pid" || break
    [[ "$(curl -s --max-time 2 "http://127.0.0.1:$port/health/ready" || true)" == *'"name":"raftkv-'* ]] && break
    sleep 0.5
  done
  # The request path's classes too: reads and writes (answered 503: this node has no cluster).
  for ((i = 0; i < 20; i++)); do
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/kv/training" || true
    curl -s -o /dev/null --max-time 2 -X PUT -H 'Content-Type: application/json' -d '{"value":"x"}' "http://127.0.0.1:$port/kv/training" || true
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/cluster" || true
  done
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 1200; i++)); do raftkv_alive "$pid" || break; sleep 0.1; done
  raftkv_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -f "$archive.tmp-$$" ] && "$java_bin" "-XX:SharedArchiveFile=$archive.tmp-$$" -Xshare:on -cp "$RAFTKV_HOME/target/payara-micro.jar" -version >/dev/null 2>&1; then
    mv -f "$archive.tmp-$$" "$archive"
    # Archives trained before this build (RAFTKV_THIN_WAR=false keeps one of its own for the same build).
    find "$dir" -maxdepth 1 -name 'raftkv-*.jsa' ! -newer "$RAFTKV_HOME/target/raftkv-early.jar" -delete 2>/dev/null
    raftkv_log "class-data-sharing archive ready: $archive"
  else
    rm -f "$archive.tmp-$$"
    raftkv_log "the training run made no usable archive (see $dir/training.log); starting without one"
  fi
  rm -rf "$work"
}

# Prints a TCP port on 127.0.0.1 that nothing listens on (and the one above it free too), or fails.
raftkv_free_port() {
  local i p
  for ((i = 0; i < 50; i++)); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! (exec 3<> "/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}
