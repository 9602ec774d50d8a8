package io.raftkv.api;

import io.raftkv.kv.ClusterView;
import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.KvException;
import io.raftkv.kv.KvService;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.RangeResult;
import io.raftkv.kv.ReadConsistency;
import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An in-memory, single-node stand-in for the replicated store: revisions count writes like Raft
 * indexes, conditions are checked like the real state machine. {@link #failNext} makes the next
 * call fail with a given exception.
 */
public final class FakeKvService implements KvService {

  private final TreeMap<String, KvEntry> entries = new TreeMap<>();
  private final List<ClusterView.Member> members = new ArrayList<>(
      List.of(new ClusterView.Member(1, "leader", "127.0.0.1:9090", "127.0.0.1:8080", 0L)));
  private long revision;
  private Long leader = 1L;
  private RuntimeException nextFailure;
  public ReadConsistency lastConsistency;
  public RangeQuery lastRangeQuery;
  public OptionalLong lastTransferTarget;
  public String lastIdempotencyKey;
  public Txn lastTxn;

  public void failNext(RuntimeException failure) {
    nextFailure = failure;
  }

  public void setLeader(Long leader) {
    this.leader = leader;
  }

  @Override
  public synchronized CompletionStage<KvEntry> put(String key, String value, Condition condition, long ttlSeconds,
      String idempotencyKey) {
    lastIdempotencyKey = idempotencyKey;
    if (nextFailure != null) {
      return failed();
    }
    KvEntry current = entries.get(key);
    if (!holds(condition, current)) {
      return CompletableFuture.failedFuture(new KvException.PreconditionFailed("condition " + condition.kind() + " failed", current));
    }
    revision++;
    KvEntry next = current == null
        ? new KvEntry(key, value, revision, revision, 1)
        : new KvEntry(key, value, current.createRevision(), revision, current.version() + 1);
    next = next.withTtl(ttlSeconds); // a fake: the TTL is kept, never counted down
    entries.put(key, next);
    return CompletableFuture.completedFuture(next);
  }

  private static boolean holds(Condition condition, KvEntry current) {
    return switch (condition.kind()) {
      case NONE -> true;
      case ABSENT -> current == null;
      case MOD_REVISION_EQUALS -> current != null && current.modRevision() == condition.revision();
      case VALUE_EQUALS -> current != null && current.value().equals(condition.value());
    };
  }

  @Override
  public synchronized CompletionStage<Long> delete(String key, String idempotencyKey) {
    lastIdempotencyKey = idempotencyKey;
    if (nextFailure != null) {
      return failed();
    }
    if (entries.remove(key) == null) {
      return CompletableFuture.failedFuture(new KvException.NotFound("no key " + key));
    }
    return CompletableFuture.completedFuture(++revision);
  }

  /** Records the txn; runs its success branch without checking compares (the kv package tests apply). */
  @Override
  public synchronized CompletionStage<TxnOutcome> txn(Txn txn, String idempotencyKey) {
    lastTxn = txn;
    lastIdempotencyKey = idempotencyKey;
    if (nextFailure != null) {
      return failed();
    }
    long at = ++revision;
    List<TxnOutcome.OpResult> results = new ArrayList<>();
    for (Txn.Op op : txn.success()) {
      if (op instanceof Txn.Put put) {
        KvEntry current = entries.get(put.key());
        long version = current == null ? 1 : current.version() + 1;
        entries.put(put.key(), new KvEntry(put.key(), put.value(), current == null ? at : current.createRevision(), at, version));
        results.add(new TxnOutcome.PutResult(put.key(), at, version));
      } else if (op instanceof Txn.Delete) {
        results.add(new TxnOutcome.DeleteResult(op.key(), entries.remove(op.key()) != null));
      } else {
        results.add(new TxnOutcome.GetResult(op.key(), entries.get(op.key())));
      }
    }
    return CompletableFuture.completedFuture(new TxnOutcome(true, at, results));
  }

  @Override
  public synchronized CompletionStage<Optional<KvEntry>> get(String key, ReadConsistency consistency) {
    lastConsistency = consistency;
    if (nextFailure != null) {
      return failed();
    }
    return CompletableFuture.completedFuture(Optional.ofNullable(entries.get(key)));
  }

  /** The range by brute force over the sorted map; ignores the byte bound (the kv package's tests cover it). */
  @Override
  public synchronized CompletionStage<RangeResult> range(RangeQuery query, ReadConsistency consistency) {
    lastConsistency = consistency;
    lastRangeQuery = query;
    if (nextFailure != null) {
      return failed();
    }
    List<KvEntry> inRange = entries.tailMap(query.start(), true).values().stream()
        .filter(e -> query.end() == null || e.key().compareTo(query.end()) < 0)
        .filter(e -> query.after() == null || e.key().compareTo(query.after()) > 0)
        .toList();
    if (query.countOnly()) {
      return CompletableFuture.completedFuture(RangeResult.count(revision, inRange.size()));
    }
    List<KvEntry> page = inRange.subList(0, Math.min(query.limit(), inRange.size()));
    return CompletableFuture.completedFuture(RangeResult.items(revision, page, page.size() < inRange.size()));
  }

  @Override
  public synchronized ClusterView cluster() {
    return new ClusterView(1, leader, 3, revision, revision, 0, List.copyOf(members));
  }

  @Override
  public synchronized CompletionStage<ClusterView> addMember(long id, String peerAddress, String httpAddress) {
    if (nextFailure != null) {
      return failed();
    }
    members.add(new ClusterView.Member(id, "learner", peerAddress, httpAddress, 0L));
    return CompletableFuture.completedFuture(cluster());
  }

  @Override
  public synchronized CompletionStage<ClusterView> removeMember(long id) {
    if (nextFailure != null) {
      return failed();
    }
    if (!members.removeIf(m -> m.id() == id)) {
      return CompletableFuture.failedFuture(new KvException.NotFound("no member " + id));
    }
    return CompletableFuture.completedFuture(cluster());
  }

  @Override
  public synchronized CompletionStage<ClusterView> transferLeader(OptionalLong to) {
    lastTransferTarget = to;
    if (nextFailure != null) {
      return failed();
    }
    leader = to.orElse(1);
    return CompletableFuture.completedFuture(cluster());
  }

  private <T> CompletionStage<T> failed() {
    RuntimeException failure = nextFailure;
    nextFailure = null;
    return CompletableFuture.failedFuture(failure);
  }
}
