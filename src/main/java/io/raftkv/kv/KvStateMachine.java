package io.raftkv.kv;

import io.raftkv.node.StateMachine;
import io.raftkv.raft.ConfChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The replicated key-value state: a sorted map key → {@link KvEntry} (value, create/mod revision,
 * version) where a revision is the Raft index of the write, plus the client deduplication table and the
 * member address book.
 *
 * <p><b>Threads.</b> {@link #apply}, {@link #applyNoop}, {@link #applyMemberChange},
 * {@link #captureSnapshot} and {@link #restore} are called by the Raft loop thread only, in log order.
 * {@link #get}, {@link #range}, {@link #size}, {@link #appliedIndex} and {@link #members} may be called
 * from any thread: the map is an immutable persistent tree published together with its applied index
 * through one volatile field, so readers never block and always see the state after some applied index
 * (a range read names that index as its revision).
 *
 * <p><b>Deduplication</b> (Raft thesis §6.3). A command with {@code clientId != 0} is looked up by
 * {@code (clientId, sequence)}: if its result is remembered, that result is returned and nothing is
 * applied; if the sequence is below the client's floor (more than {@link Limits#window()} newer commands
 * of that client were applied since) the result is {@link KvResult.Expired} and nothing is applied;
 * otherwise it is applied and its result remembered. Tables are bounded by {@link Limits}; eviction
 * is by oldest last-applied index, identical on every replica. A client evicted entirely loses
 * deduplication for its older requests (as in the thesis' expiring sessions), so the limits should
 * cover the longest time a proposer keeps retrying. A command wrapped in {@link KvCommand.Idempotent}
 * is further deduplicated by its client's idempotency key ({@link IdempotencyRecords}): a retry with
 * a new request id but the same key and content answers the first result without being applied.
 *
 * <p><b>TTL.</b> A put may give its key a TTL ({@link KvEntry#ttlSeconds()}); any other write of the key
 * (a put without one, a txn put, a delete) clears it. The state machine never looks at a clock: it
 * reports TTLs to this node's {@link ExpiryTracker}, and a key is removed only by a
 * {@link KvCommand.Expire} in the log, and only if it still has the TTL and revision the leader saw
 * (docs/ttl.md).
 *
 * <p><b>Snapshots.</b> {@link #captureSnapshot()} is O(number of clients), independent of the number of
 * keys: it keeps a reference to the current tree. The stream format is in {@link KvSnapshotFormat}
 * (versioned, CRC32C, includes both dedup tables and the address book).
 */
public final class KvStateMachine implements StateMachine {

  /**
   * Bounds of the deduplication table.
   *
   * @param maxClients     clients remembered
   * @param maxResultBytes total bytes of remembered results (Ok results are stored without the value)
   * @param window         results remembered per client (its maximum useful number of requests in flight)
   */
  public record Limits(int maxClients, long maxResultBytes, int window) {
    public static final Limits DEFAULT = new Limits(100_000, 64L << 20, 64);

    public Limits {
      if (maxClients < 1 || maxResultBytes < 1 || window < 1) throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** A state readers may see: the tree exactly as it was after applying {@code index}. */
  private record Applied(KvTree tree, long index) {}

  private final ClientSessions sessions;
  private final IdempotencyRecords idempotency;
  private final ExpiryTracker expiries;
  private KvTree tree = KvTree.EMPTY; // the apply thread's working state; readers use `applied`
  private volatile Applied applied = new Applied(KvTree.EMPTY, 0);
  private volatile Map<Long, String> members = Map.of();
  private volatile DeferredChanges changes = new DeferredChanges(ChangeListener.NONE);

  public KvStateMachine() {
    this(Limits.DEFAULT);
  }

  public KvStateMachine(Limits limits) {
    this(limits, IdempotencyRecords.Limits.DEFAULT);
  }

  KvStateMachine(Limits limits, IdempotencyRecords.Limits idempotencyLimits) {
    this(limits, idempotencyLimits, new ExpiryTracker());
  }

  /** With this node's tracker of TTL deadlines (tests inject one with a fake clock). */
  public KvStateMachine(ExpiryTracker expiries) {
    this(Limits.DEFAULT, IdempotencyRecords.Limits.DEFAULT, expiries);
  }

  KvStateMachine(Limits limits, IdempotencyRecords.Limits idempotencyLimits, ExpiryTracker expiries) {
    this.sessions = new ClientSessions(limits);
    this.idempotency = new IdempotencyRecords(idempotencyLimits);
    this.expiries = expiries;
  }

  /**
   * Applies the command at {@code index} and returns its {@link KvResultCodec}-encoded {@link KvResult}.
   * A put's {@link KvResult.Ok} carries the key's new state <em>without its value</em>: the proposer
   * has the value in its command ({@link KvResultCodec#decodeFor} puts it back), and every replica
   * applies every write, so encoding 256 bytes of value per write on all of them for one reader cost
   * ~12% of a follower's loop (docs/benchmarks.md, seventh session). The same bytes are what the
   * client session remembers, so a retry is answered from them as they are.
   * Undecodable bytes are not fatal: every replica answers {@link KvResult.Rejected} identically.
   * Empty data (a leader's no-op entry) is treated like {@link #applyNoop} and returns an empty array.
   *
   * @throws IllegalStateException if {@code index} is not above {@link #appliedIndex()}
   */
  @Override
  public byte[] apply(long index, byte[] command) {
    checkNext(index);
    byte[] result = applyCommand(index, command);
    publish(index);
    return result;
  }

  private byte[] applyCommand(long index, byte[] command) {
    if (command.length == 0) return command;
    KvCommand cmd;
    try {
      cmd = KvCommandCodec.decode(command);
    } catch (IllegalArgumentException e) {
      return KvResultCodec.encode(new KvResult.Rejected("undecodable command: " + e.getMessage()));
    }
    if (cmd.clientId() == 0) return KvResultCodec.encode(withoutValue(executeOnce(index, cmd)));
    byte[] remembered = sessions.lookup(cmd.clientId(), cmd.sequence());
    if (remembered == ClientSessions.EXPIRED) return KvResultCodec.encode(new KvResult.Expired());
    if (remembered != null) return remembered;
    byte[] result = KvResultCodec.encode(withoutValue(executeOnce(index, cmd)));
    sessions.record(cmd.clientId(), cmd.sequence(), index, result);
    return result;
  }

  /**
   * Executes {@code cmd}, unless it carries an idempotency key already used within the window: then
   * the first request's result (same content) or {@link KvResult.IdempotencyMismatch} (other content).
   */
  private KvResult executeOnce(long index, KvCommand cmd) {
    if (!(cmd instanceof KvCommand.Idempotent idem)) return execute(index, cmd);
    long digest = KvCommandCodec.contentDigest(idem.command());
    IdempotencyRecords.Record first = idempotency.lookup(idem.idempotencyKey(), index);
    if (first != null) {
      return first.digest() == digest ? KvResultCodec.decode(first.result()) : new KvResult.IdempotencyMismatch();
    }
    KvResult result = execute(index, idem.command());
    idempotency.record(idem.idempotencyKey(), digest, index, KvResultCodec.encode(withoutValue(result)));
    return result;
  }

  @Override
  public void applyNoop(long index) {
    checkNext(index);
    publish(index);
  }

  /**
   * Applies a membership entry: consumes {@code index} like {@link #applyNoop} and updates the address
   * book. For ADD_VOTER / ADD_LEARNER a non-empty {@code context} (UTF-8, format chosen by the node) is
   * stored as the member's address; an empty one keeps the existing address (e.g. a learner promotion).
   * REMOVE_NODE forgets the member. The book travels inside snapshots.
   */
  @Override
  public void applyMemberChange(long index, ConfChange change) {
    checkNext(index);
    TreeMap<Long, String> book = new TreeMap<>(members);
    if (change.type() == ConfChange.Type.REMOVE_NODE) {
      book.remove(change.nodeId());
    } else if (change.context().length > 0) {
      book.put(change.nodeId(), new String(change.context(), StandardCharsets.UTF_8));
    }
    members = Map.copyOf(book);
    publish(index);
  }

  /**
   * Who hears about every applied put/delete (the watch feed); set once at startup, before the first
   * apply or restore. The listener is told about an entry's changes only after the state containing
   * them is visible to {@link #get} and {@link #range} (see {@link DeferredChanges}).
   */
  public void setChangeListener(ChangeListener listener) {
    this.changes = new DeferredChanges(listener);
  }

  /** This node's deadlines of the keys with a TTL (what the {@link ExpiryTicker} proposes from). */
  public ExpiryTracker expiries() {
    return expiries;
  }

  /** Member id → address string, as recorded by {@link #applyMemberChange}. */
  @Override
  public Map<Long, String> memberAddresses() {
    return members;
  }

  /** The key's current state, read without blocking the apply thread. */
  public Optional<KvEntry> get(String key) {
    return Optional.ofNullable(applied.tree().get(key));
  }

  /** A range of keys, all read from one applied state, whose index is the result's revision. */
  public RangeResult range(RangeQuery query) {
    Applied state = applied;
    return query.over(state.tree(), state.index());
  }

  /** Number of keys. */
  public int size() {
    return applied.tree().size();
  }

  @Override
  public long appliedIndex() {
    return applied.index();
  }

  private void publish(long index) {
    applied = new Applied(tree, index);
    changes.flush();
  }

  /** Number of clients in the deduplication table (apply thread only; for tests and metrics). */
  int clientCount() {
    return sessions.size();
  }

  /** Number of remembered idempotency keys (apply thread only; for tests). */
  int idempotencyKeyCount() {
    return idempotency.size();
  }

  @Override
  public SnapshotWriter captureSnapshot() {
    KvSnapshotFormat.Contents contents =
        new KvSnapshotFormat.Contents(applied.index(), members, tree, sessions.copy(), idempotency.copy());
    return new SnapshotWriter() {
      @Override
      public long index() {
        return contents.appliedIndex();
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        KvSnapshotFormat.write(out, contents);
      }
    };
  }

  /**
   * Replaces the whole state with a snapshot written by {@link #captureSnapshot()}. The stream is read
   * and verified completely before anything changes.
   *
   * @throws IOException if the stream is truncated, corrupt (CRC) or of an unknown version
   */
  @Override
  public void restore(InputStream in) throws IOException {
    KvSnapshotFormat.Contents contents = KvSnapshotFormat.read(in);
    sessions.replaceWith(contents.sessions());
    idempotency.replaceWith(contents.idempotency());
    members = contents.members();
    tree = contents.tree();
    expiries.reset(tree);
    publish(contents.appliedIndex());
    changes.restored(contents.appliedIndex());
  }

  private KvResult execute(long index, KvCommand cmd) {
    if (cmd instanceof KvCommand.Transaction t) {
      TxnApply.Done done = TxnApply.run(tree, index, t.txn(), txnChanges);
      tree = done.tree();
      return done.result();
    }
    if (cmd instanceof KvCommand.Expire expire) return expire(index, expire);
    if (cmd instanceof KvCommand.Delete delete) {
      if (tree.get(delete.key()) == null) return new KvResult.NotFound();
      tree = tree.without(delete.key());
      expiries.remove(delete.key());
      changes.changed(index, delete.key(), null);
      return KvResult.Ok.deleted(index);
    }
    KvCommand.Put put = (KvCommand.Put) cmd;
    KvEntry current = tree.get(put.key());
    if (!holds(put.condition(), current)) return new KvResult.PreconditionFailed(current);
    KvEntry next = TxnApply.written(current, put.key(), put.value(), index).withTtl(put.ttlSeconds());
    tree = tree.with(next);
    expiries.set(next.key(), index, next.ttlSeconds());
    changes.changed(index, next.key(), next.value());
    return KvResult.Ok.put(next);
  }

  /**
   * Deletes the listed keys that still have a TTL and the mod revision the leader saw run out; a key
   * written again since (with or without a TTL) or deleted is left alone. Each deletion is a delete
   * event at this entry's index, marked as an expiry.
   */
  private KvResult expire(long index, KvCommand.Expire expire) {
    for (KvCommand.Due due : expire.keys()) {
      KvEntry current = tree.get(due.key());
      if (current == null || !current.hasTtl() || current.modRevision() != due.modRevision()) continue;
      tree = tree.without(due.key());
      expiries.remove(due.key());
      changes.expired(index, due.key());
    }
    return KvResult.Ok.deleted(index);
  }

  /** A txn's writes: each clears its key's TTL (a txn put gives none), then goes to the watch feed. */
  private final ChangeListener txnChanges = new ChangeListener() {
    @Override
    public void changed(long revision, String key, String valueOrNull) {
      expiries.remove(key);
      changes.changed(revision, key, valueOrNull);
    }

    @Override
    public void restored(long snapshotIndex) {
      throw new IllegalStateException("a txn does not restore");
    }
  };

  /** An absent key has mod revision 0, so {@code modRevision(0)} means "create only" (as in etcd). */
  private static boolean holds(Condition condition, KvEntry current) {
    return switch (condition.kind()) {
      case NONE -> true;
      case ABSENT -> current == null;
      case MOD_REVISION_EQUALS -> (current == null ? 0 : current.modRevision()) == condition.revision();
      case VALUE_EQUALS -> current != null && current.value().equals(condition.value());
    };
  }

  /** Put results drop the value (the proposer and a retry carry it), so big values cost no memory or encoding twice. */
  private static KvResult withoutValue(KvResult result) {
    if (result instanceof KvResult.Ok ok && ok.entry() != null) {
      return new KvResult.Ok(ok.entry().withValue(""), ok.revision());
    }
    return result;
  }


  /** Applying an entry twice would break determinism; a gap is tolerated (not every index need reach us). */
  private void checkNext(long index) {
    long appliedIndex = applied.index();
    if (index <= appliedIndex) {
      throw new IllegalStateException("entry " + index + " is not after applied index " + appliedIndex);
    }
  }
}
