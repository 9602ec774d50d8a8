package io.raftkv.node;

import io.raftkv.storage.StoreOptions;
import io.raftkv.transport.PeerTls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything a node needs to start, validated. Built from {@code raftkv.*} keys by
 * {@link #fromLookup(Function)} so that it does not depend on MicroProfile Config (boot passes
 * {@code key -> config.getOptionalValue(key, String.class)}). See docs/operations.md for each key.
 *
 * @param cluster        initial voters ({@code raftkv.cluster}); empty for a node that joins later
 * @param joinExisting   {@code raftkv.cluster.state=existing}: {@code cluster} only lists addresses of
 *                       members of a running cluster, this node waits to be added (etcd style)
 * @param clusterHttp    advertised HTTP addresses of members (may be empty)
 * @param storeOptions   the log store's tuning; the disk limits come from {@code raftkv.storage.*}
 */
public record NodeConfig(
    long nodeId,
    HostPort peerAddress,
    HostPort httpAddress,
    ClusterSpec cluster,
    boolean joinExisting,
    ClusterSpec clusterHttp,
    Path dataDir,
    int electionTimeoutMs,
    int heartbeatMs,
    long snapshotThreshold,
    long logRetain,
    boolean readLease,
    int clockDriftMs,
    int requestTimeoutMs,
    int queueMax,
    int maxKeyBytes,
    int maxValueBytes,
    int maxBodyBytes,
    int catchUpTimeoutMs,
    Optional<PeerTls> peerTls,
    StoreOptions storeOptions) {

  public static final String NODE_ID = "raftkv.node.id";
  public static final String PEER_ADDRESS = "raftkv.peer.address";
  public static final String HTTP_ADDRESS = "raftkv.http.address";
  public static final String CLUSTER = "raftkv.cluster";
  public static final String CLUSTER_STATE = "raftkv.cluster.state";
  public static final String CLUSTER_HTTP = "raftkv.cluster.http";
  public static final String DATA_DIR = "raftkv.data.dir";
  public static final String ELECTION_TIMEOUT_MS = "raftkv.election.timeout.ms";
  public static final String HEARTBEAT_MS = "raftkv.heartbeat.ms";
  public static final String SNAPSHOT_THRESHOLD = "raftkv.snapshot.threshold";
  public static final String LOG_RETAIN = "raftkv.log.retain";
  public static final String READ_LEASE = "raftkv.read.lease";
  public static final String CLOCK_DRIFT_MS = "raftkv.clock.drift.ms";
  public static final String REQUEST_TIMEOUT_MS = "raftkv.request.timeout.ms";
  public static final String QUEUE_MAX = "raftkv.queue.max";
  public static final String KEY_BYTES = "raftkv.limits.key.bytes";
  public static final String VALUE_BYTES = "raftkv.limits.value.bytes";
  public static final String BODY_BYTES = "raftkv.limits.body.bytes";
  /** Caps of the replicated command format (kv Wire): larger configured limits are refused. */
  public static final int MAX_KEY_BYTES = 64 << 10;
  public static final int MAX_VALUE_BYTES = 64 << 20;
  /** How long a leader waits for a joining learner to catch up before it removes it again. */
  public static final String CATCH_UP_TIMEOUT_MS = "raftkv.membership.catchup.timeout.ms";
  /** Mutual TLS on the peer port: this node's certificate chain, its key and the cluster CA (PEM). */
  public static final String PEER_TLS_CERT = "raftkv.peer.tls.cert";
  public static final String PEER_TLS_KEY = "raftkv.peer.tls.key";
  public static final String PEER_TLS_CA = "raftkv.peer.tls.ca";
  /** JE refuses writes while the data directory's file system has less free (docs/operations.md, "Disk space"). */
  public static final String FREE_DISK_BYTES = "raftkv.storage.free.disk.bytes";
  /** Cap on JE's own files (0: none); writes are refused beyond it minus the free-disk limit. */
  public static final String MAX_DISK_BYTES = "raftkv.storage.max.disk.bytes";

  public NodeConfig {
    List<String> errors = new ArrayList<>();
    if (nodeId <= 0) errors.add(NODE_ID + " must be a positive number");
    if (peerAddress == null) errors.add(PEER_ADDRESS + " is required (host:port)");
    if (dataDir == null) errors.add(DATA_DIR + " is required");
    if (heartbeatMs < 1) errors.add(HEARTBEAT_MS + " must be >= 1");
    if (heartbeatMs >= 1 && electionTimeoutMs < 3 * heartbeatMs) {
      errors.add(ELECTION_TIMEOUT_MS + " (" + electionTimeoutMs + ") must be at least 3 x "
          + HEARTBEAT_MS + " (" + heartbeatMs + ")");
    }
    if (snapshotThreshold < 1) errors.add(SNAPSHOT_THRESHOLD + " must be >= 1");
    if (logRetain < 0) errors.add(LOG_RETAIN + " must be >= 0");
    if (clockDriftMs < 1) {
      errors.add(CLOCK_DRIFT_MS + " must be >= 1 (no two clocks run at exactly the same rate; 0 would let a"
          + " lease outlive the followers' promise)");
    }
    long leaseMs = heartbeatMs >= 1 ? (long) (electionTimeoutMs / heartbeatMs - 1) * heartbeatMs : 0;
    if (readLease && clockDriftMs >= leaseMs) {
      errors.add(CLOCK_DRIFT_MS + " must be below the lease of (election ticks - 1) x " + HEARTBEAT_MS + " = "
          + leaseMs + " ms when " + READ_LEASE + "=true");
    }
    if (requestTimeoutMs < 1) errors.add(REQUEST_TIMEOUT_MS + " must be >= 1");
    if (queueMax < 1) errors.add(QUEUE_MAX + " must be >= 1");
    if (maxKeyBytes < 1 || maxKeyBytes > MAX_KEY_BYTES) {
      errors.add(KEY_BYTES + " must be in 1.." + MAX_KEY_BYTES + " (the replicated format's cap)");
    }
    if (maxValueBytes < 0 || maxValueBytes > MAX_VALUE_BYTES) {
      errors.add(VALUE_BYTES + " must be in 0.." + MAX_VALUE_BYTES + " (the replicated format's cap)");
    }
    if (maxBodyBytes < 1) errors.add(BODY_BYTES + " must be >= 1");
    if (catchUpTimeoutMs < 1) errors.add(CATCH_UP_TIMEOUT_MS + " must be >= 1");
    peerTls = peerTls == null ? Optional.empty() : peerTls;
    storeOptions = storeOptions == null ? StoreOptions.DEFAULT : storeOptions;
    peerTls.ifPresent(tls -> errors.addAll(tls.problems()));
    cluster = cluster == null ? ClusterSpec.EMPTY : cluster;
    clusterHttp = clusterHttp == null ? ClusterSpec.EMPTY : clusterHttp;
    if (!cluster.isEmpty() && !joinExisting && nodeId > 0 && !cluster.ids().contains(nodeId)) {
      errors.add(CLUSTER + " must list this node (" + NODE_ID + "=" + nodeId + ") among the initial voters");
    }
    if (joinExisting && cluster.isEmpty()) {
      errors.add(CLUSTER + " must list existing members when " + CLUSTER_STATE + "=existing");
    }
    if (!errors.isEmpty()) throw new IllegalArgumentException("invalid configuration: " + String.join("; ", errors));
  }

  /** Reads and validates every key; all problems are reported together in one exception. */
  public static NodeConfig fromLookup(Function<String, Optional<String>> lookup) {
    ConfigReader r = new ConfigReader(lookup);
    long id = r.longValue(NODE_ID, null);
    HostPort peer = r.address(PEER_ADDRESS, true);
    HostPort http = r.address(HTTP_ADDRESS, false);
    ClusterSpec cluster = r.cluster(CLUSTER);
    boolean join = r.clusterState(CLUSTER_STATE);
    ClusterSpec clusterHttp = r.cluster(CLUSTER_HTTP);
    Path dir = r.path(DATA_DIR);
    int election = (int) r.longValue(ELECTION_TIMEOUT_MS, 300L);
    int heartbeat = (int) r.longValue(HEARTBEAT_MS, 50L);
    long threshold = r.longValue(SNAPSHOT_THRESHOLD, 10_000L);
    long retain = r.longValue(LOG_RETAIN, 5_000L);
    boolean lease = r.bool(READ_LEASE, false);
    int drift = (int) r.longValue(CLOCK_DRIFT_MS, 100L);
    int timeout = (int) r.longValue(REQUEST_TIMEOUT_MS, 5_000L);
    int queue = (int) r.longValue(QUEUE_MAX, 10_000L);
    int keyBytes = (int) r.longValue(KEY_BYTES, 4_096L);
    int valueBytes = (int) r.longValue(VALUE_BYTES, 1_048_576L);
    int bodyBytes = (int) r.longValue(BODY_BYTES, 1_572_864L);
    int catchUp = (int) r.longValue(CATCH_UP_TIMEOUT_MS, 60_000L);
    Optional<PeerTls> tls = r.peerTls(PEER_TLS_CERT, PEER_TLS_KEY, PEER_TLS_CA);
    StoreOptions store = r.diskLimits(FREE_DISK_BYTES, MAX_DISK_BYTES, StoreOptions.DEFAULT);
    r.throwIfErrors();
    return new NodeConfig(id, peer, http, cluster, join, clusterHttp, dir, election, heartbeat, threshold,
        retain, lease, drift, timeout, queue, keyBytes, valueBytes, bodyBytes, catchUp, tls, store);
  }

  /** The election timeout in ticks of one heartbeat interval. */
  public int electionTicks() {
    return electionTimeoutMs / heartbeatMs;
  }

  /** The clock-drift margin rounded up to whole ticks (lease reads end that much earlier). */
  public int leaseDriftTicks() {
    int ticks = (clockDriftMs + heartbeatMs - 1) / heartbeatMs;
    return Math.min(ticks, electionTicks() - 1);
  }

  /** True when this node founds a new cluster with the listed voters (not a joiner). */
  public boolean bootstrapsCluster() {
    return !joinExisting && !cluster.isEmpty();
  }
}
