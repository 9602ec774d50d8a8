package io.raftkv.kv;

import io.raftkv.node.AddressBook;
import io.raftkv.node.HostPort;
import io.raftkv.node.NodeStatus;
import io.raftkv.node.RaftLoop;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link KvService} over the Raft loop. Writes become {@link KvCommand}s tagged with a client request
 * id (a {@link WriteLanes} lane's random client id and its next sequence), so a forwarded or internally
 * retried write applies at most once; followers forward them to the leader. Reads: LINEARIZABLE obtains a ReadIndex read point (works on
 * followers), LEASE lets the leader answer from its lease, STALE reads local state at once.
 */
public final class RaftKvService implements KvService {
  private final RaftLoop loop;
  private final KvStateMachine stateMachine;
  private final WriteLanes lanes = new WriteLanes();

  public RaftKvService(RaftLoop loop, KvStateMachine stateMachine) {
    this.loop = loop;
    this.stateMachine = stateMachine;
  }

  @Override
  public CompletionStage<KvEntry> put(String key, String value, Condition condition, long ttlSeconds, String idempotencyKey) {
    Condition c = condition == null ? Condition.NONE : condition;
    return write(idempotencyKey, lane -> new KvCommand.Put(lane.clientId, lane.nextSequence(), key, value, c, ttlSeconds))
        .thenApply(result -> okOrThrow(key, result).entry());
  }

  @Override
  public CompletionStage<Long> delete(String key, String idempotencyKey) {
    return write(idempotencyKey, lane -> new KvCommand.Delete(lane.clientId, lane.nextSequence(), key))
        .thenApply(result -> okOrThrow(key, result).revision());
  }

  @Override
  public CompletionStage<TxnOutcome> txn(Txn txn, String idempotencyKey) {
    return write(idempotencyKey, lane -> new KvCommand.Transaction(lane.clientId, lane.nextSequence(), txn))
        .thenApply(result -> {
          if (result instanceof KvResult.TxnDone done) return done.outcome();
          throw failure("", result);
        });
  }

  private CompletableFuture<KvResult> write(String idempotencyKey, Function<WriteLanes.Lane, KvCommand> command) {
    WriteLanes.Lane lane = lanes.acquire();
    byte[] encoded;
    KvCommand cmd;
    try {
      cmd = command.apply(lane);
      encoded = KvCommandCodec.encode(idempotencyKey == null ? cmd : new KvCommand.Idempotent(idempotencyKey, cmd));
    } catch (RuntimeException e) {
      lanes.release(lane);
      return CompletableFuture.failedFuture(new KvException.BadRequest(e.getMessage()));
    }
    return loop.propose(encoded)
        .whenComplete((bytes, error) -> lanes.release(lane))
        .handle((bytes, error) -> {
          if (error != null) throw KvErrors.translate(error);
          return KvResultCodec.decodeFor(cmd, bytes); // a put's value comes back from the command
        });
  }

  private static KvResult.Ok okOrThrow(String key, KvResult result) {
    if (result instanceof KvResult.Ok ok) return ok;
    throw failure(key, result);
  }

  private static KvException failure(String key, KvResult result) {
    if (result instanceof KvResult.NotFound) return new KvException.NotFound("key not found: " + key);
    if (result instanceof KvResult.PreconditionFailed pf) {
      return new KvException.PreconditionFailed("precondition failed for key " + key, pf.current());
    }
    if (result instanceof KvResult.Expired) {
      return new KvException.OutcomeUnknown("the write was retried too late to learn whether it was applied");
    }
    if (result instanceof KvResult.IdempotencyMismatch) {
      return new KvException.IdempotencyMismatch(
          "this Idempotency-Key was already used for a different request; use a new key for a new request");
    }
    if (result instanceof KvResult.Rejected rejected) return new KvException.BadRequest(rejected.reason());
    // A txn key's put/delete result, or the reverse: the key was used for another kind of request.
    return new KvException.IdempotencyMismatch("this Idempotency-Key was already used for a different kind of request");
  }

  @Override
  public CompletionStage<Optional<KvEntry>> get(String key, ReadConsistency consistency) {
    return read(consistency, () -> stateMachine.get(key).map(stateMachine.expiries()::withRemaining));
  }

  @Override
  public CompletionStage<RangeResult> range(RangeQuery query, ReadConsistency consistency) {
    return read(consistency, () -> withRemaining(stateMachine.range(query)));
  }

  /** The range's entries with the TTL seconds remaining (in place of the granted TTL), like {@link #get}. */
  private RangeResult withRemaining(RangeResult result) {
    if (result.entries().stream().noneMatch(KvEntry::hasTtl)) return result;
    List<KvEntry> entries = result.entries().stream().map(stateMachine.expiries()::withRemaining).toList();
    return new RangeResult(result.revision(), entries, result.more(), result.count());
  }

  /** Reads local state once it is fresh enough: at once (stale), or past a lease or ReadIndex read point. */
  private <T> CompletionStage<T> read(ReadConsistency consistency, Supplier<T> localRead) {
    ReadConsistency c = consistency == null ? ReadConsistency.LINEARIZABLE : consistency;
    if (c == ReadConsistency.STALE) return CompletableFuture.completedFuture(localRead.get());
    return loop.readIndex(c == ReadConsistency.LEASE).handle((index, error) -> {
      if (error != null) throw KvErrors.translate(error);
      return localRead.get();
    });
  }

  @Override
  public ClusterView cluster() {
    NodeStatus ns = loop.status();
    if (ns == null) throw new KvException.Unavailable("node is starting", 1);
    Status s = ns.raft();
    List<ClusterView.Member> members = new ArrayList<>();
    ConfState conf = s.conf();
    for (long id : conf.members()) {
      AddressBook.Member a = ns.addresses().get(id);
      Status.PeerProgress p = s.progress().get(id);
      String role = id == s.leader() ? "leader" : conf.learners().contains(id) ? "learner" : "follower";
      boolean self = id == s.id();
      members.add(new ClusterView.Member(id, role, a == null ? null : a.peer(), a == null ? null : a.http(),
          p == null ? null : p.match(), self ? ns.snapshotIndex() : null, self ? ns.logEntries() : null));
    }
    return new ClusterView(s.id(), s.leader() == 0 ? null : s.leader(), s.term(), s.commitIndex(),
        stateMachine.appliedIndex(), ns.snapshotIndex(), members, local(ns));
  }

  private ClusterView.Local local(NodeStatus ns) {
    return new ClusterView.Local(ns.membership(), ns.logFirstIndex(), ns.logLastIndex(), ns.logEntries(),
        ns.snapshotsInstalled(), DiskUsage.raftBytes(loop.config().dataDir()));
  }

  @Override
  public CompletionStage<ClusterView> addMember(long id, String peerAddress, String httpAddress) {
    if (id <= 0) return CompletableFuture.failedFuture(new KvException.BadRequest("member id must be positive"));
    String peer;
    String http;
    try {
      peer = HostPort.parse(peerAddress).toString();
      http = httpAddress == null || httpAddress.isBlank() ? null : HostPort.parse(httpAddress).toString();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new KvException.BadRequest(e.getMessage()));
    }
    return afterMembership(loop.membership().addMember(id, peer, http));
  }

  @Override
  public CompletionStage<ClusterView> removeMember(long id) {
    if (id <= 0) return CompletableFuture.failedFuture(new KvException.BadRequest("member id must be positive"));
    return afterMembership(loop.membership().removeMember(id));
  }

  @Override
  public CompletionStage<ClusterView> transferLeader(OptionalLong to) {
    long target = to.orElse(0);
    if (to.isPresent() && target <= 0) {
      return CompletableFuture.failedFuture(new KvException.BadRequest("member id must be positive"));
    }
    return afterMembership(loop.membership().transferLeader(target));
  }

  private CompletionStage<ClusterView> afterMembership(CompletableFuture<Void> op) {
    return op.handle((v, error) -> {
      if (error != null) throw KvErrors.translate(error);
      return cluster();
    });
  }
}
