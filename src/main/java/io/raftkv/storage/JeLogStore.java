package io.raftkv.storage;

import com.sleepycat.je.DatabaseEntry;
import io.raftkv.raft.CompactedException;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.LogView;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.MetaCodec.LogStart;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The durable Raft log, hard state and snapshot metadata of one node, in a transactional Berkeley DB
 * JE environment under {@code dataDir/je} (layout in {@code docs/storage.md}). The log is a sequence of
 * segment databases ({@link LogSegments}) so that compaction drops whole databases.
 *
 * <p><b>Threads.</b> Writes ({@link #save}, {@link #installSnapshot}, {@link #compact},
 * {@link #saveMembers}) are meant for the Raft loop thread. All methods are thread-safe: reads of
 * {@link #firstIndex()}, {@link #lastIndex()}, {@link #hardState()}, {@link #snapshot()} and
 * {@link #members()} never block; {@link #term} and {@link #entries} take the store's lock.
 *
 * <p><b>Index range.</b> {@link #firstIndex()} is the first index still stored. After
 * {@link #compact(SnapshotMeta, long)} with a retained tail it is <em>below</em> the snapshot index + 1
 * (entries between it and the snapshot index stay readable for slow followers); after
 * {@link #installSnapshot} it is snapshot index + 1. {@link #term(long)} answers for every index in
 * {@code [firstIndex() - 1, lastIndex()]} (the term just below the first stored entry is remembered,
 * as etcd does), which always includes the snapshot index. Records below {@link #firstIndex()} may
 * still lie in a partly compacted segment: they are unreachable and go with their segment.
 *
 * <p><b>Hot path.</b> Terms of all stored entries are kept in memory as runs, and the most recent
 * entries (bounded by {@link StoreOptions#entryCacheBytes()}) are cached, so the leader's
 * {@code term()} / {@code entries()} calls rarely read JE.
 *
 * <p><b>Integrity.</b> Every record carries a CRC32C. Opening the store reads and verifies the whole
 * log; any later read that fails verification throws {@link CorruptLogException}, which the node must
 * treat as fatal.
 */
public final class JeLogStore implements LogView, AutoCloseable {
  /** Test seam: called after each entry put inside a save transaction. */
  interface WriteHook {
    void afterPut(long index);
  }

  /** Package-private so DiskLimitTest can change JE's mutable disk limits, as an operator freeing space would. */
  final JeEnvironment je;
  private final LogSegments segments;
  private final MetaRecords metaRecords;
  private final TermIndex terms = new TermIndex();
  private final EntryCache cache;
  private volatile WriteHook writeHook = index -> { };

  private volatile HardState hardState = HardState.EMPTY;
  private volatile SnapshotMeta snapshot = SnapshotMeta.EMPTY;
  private volatile Map<Long, String> members = Map.of();
  private volatile long firstIndex = 1;
  private volatile long lastIndex = 0;
  private boolean closed;

  private JeLogStore(JeEnvironment je, LogSegments segments, StoreOptions options) {
    this.je = je;
    this.segments = segments;
    this.metaRecords = new MetaRecords(je);
    this.cache = new EntryCache(options.entryCacheBytes());
  }

  /** Opens (creating if needed) the store of the node whose data directory is {@code dataDir}. */
  public static JeLogStore open(Path dataDir) throws IOException {
    return open(dataDir, StoreOptions.DEFAULT);
  }

  /**
   * Opens (creating if needed) the store under {@code dataDir/je}, reads the meta records and verifies
   * every stored entry.
   *
   * @throws CorruptLogException if any record fails its checks; the environment is closed again
   */
  public static JeLogStore open(Path dataDir, StoreOptions options) throws IOException {
    return open(dataDir, options, LogSegments.DEFAULT_SPAN);
  }

  /** With segments of {@code segmentSpan} indexes (tests use small ones to cross segments often). */
  static JeLogStore open(Path dataDir, StoreOptions options, int segmentSpan) throws IOException {
    JeEnvironment je = JeEnvironment.open(dataDir.resolve("je"), options);
    LogSegments segments;
    try {
      segments = LogSegments.open(je, segmentSpan);
    } catch (RuntimeException e) {
      je.close();
      throw e;
    }
    JeLogStore store = new JeLogStore(je, segments, options);
    try {
      store.recover();
      return store;
    } catch (RuntimeException e) {
      segments.close();
      je.close();
      throw e;
    }
  }

  /** Directory of the JE environment. */
  public Path directory() {
    return je.home;
  }

  // ---------------------------------------------------------------- LogView

  @Override
  public HardState hardState() {
    return hardState;
  }

  @Override
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  @Override
  public long firstIndex() {
    return firstIndex;
  }

  @Override
  public long lastIndex() {
    return lastIndex;
  }

  @Override
  public synchronized long term(long index) {
    if (index > lastIndex) throw new IllegalArgumentException("index " + index + " is beyond last index " + lastIndex);
    if (index == snapshot.index()) return snapshot.term();
    if (index < firstIndex - 1) throw new CompactedException(index, firstIndex);
    return terms.term(index);
  }

  @Override
  public synchronized List<Entry> entries(long lo, long hi, long maxBytes) {
    if (lo < firstIndex) throw new CompactedException(lo, firstIndex);
    if (hi > lastIndex + 1) throw new IllegalArgumentException("hi " + hi + " is beyond last index " + lastIndex);
    List<Entry> out = new ArrayList<>();
    long[] total = {0};
    long cachedFrom = Math.max(lo, Math.min(hi, cache.firstIndex()));
    if (lo < cachedFrom) {
      segments.scan(lo, cachedFrom, e -> take(out, total, e, maxBytes));
      if (out.size() < cachedFrom - lo) return out;
    }
    for (long i = cachedFrom; i < hi && take(out, total, cache.get(i), maxBytes); i++) {
      // take() appends while the byte budget allows
    }
    return out;
  }

  /** Appends {@code e} if it is the first entry or still fits in {@code maxBytes}; false when full. */
  private static boolean take(List<Entry> out, long[] total, Entry e, long maxBytes) {
    if (!out.isEmpty() && total[0] + e.sizeBytes() > maxBytes) return false;
    out.add(e);
    total[0] += e.sizeBytes();
    return true;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Persists a Ready's entries and hard state in one JE transaction. Entries must be contiguous; the
   * first may overwrite stored ones (conflict truncation: every stored entry from its index on is
   * deleted first) but not compacted ones, and may not leave a gap after {@link #lastIndex()}.
   *
   * @param hsOrNull the new hard state, or null when unchanged
   * @param entries  entries to append (may be empty)
   * @param sync     {@code true} commits with {@code COMMIT_SYNC} (fsync; JE group-commits concurrent
   *                 syncs), {@code false} with {@code COMMIT_NO_SYNC} (e.g. commit-index-only changes)
   */
  public synchronized void save(HardState hsOrNull, List<Entry> entries, boolean sync) {
    checkOpen();
    checkAppendable(entries);
    if (hsOrNull == null && entries.isEmpty()) return;
    long first = entries.isEmpty() ? lastIndex + 1 : entries.get(0).index();
    long created = segments.created();
    je.inTransaction(sync, txn -> {
      if (first <= lastIndex) segments.deleteRange(txn, first, lastIndex + 1);
      for (Entry e : entries) {
        segments.forAppend(e.index(), lastIndex)
            .put(txn, new DatabaseEntry(EntryCodec.key(e.index())), new DatabaseEntry(EntryCodec.encode(e)));
        writeHook.afterPut(e.index());
      }
      if (hsOrNull != null) metaRecords.put(txn, MetaCodec.HARD_STATE, MetaCodec.encodeHardState(hsOrNull));
      return null;
    });
    if (!entries.isEmpty()) {
      terms.truncateFrom(first);
      cache.truncateFrom(first);
      for (Entry e : entries) terms.append(e.index(), e.term());
      cache.append(entries);
      lastIndex = entries.get(entries.size() - 1).index();
    }
    if (hsOrNull != null) hardState = hsOrNull;
    // a segment left last (so kept) by an earlier trim may now be followed by the new one: look again
    if (segments.created() != created) segments.trimBelow(firstIndex);
  }

  /**
   * Records a snapshot received from the leader and drops the whole log: afterwards
   * {@code firstIndex() == meta.index() + 1} and {@code lastIndex() == meta.index()}. The stored commit
   * index is raised to {@code meta.index()} in the same (synced) transaction, since a snapshot only
   * holds committed entries. Write the snapshot file (see {@link SnapshotFiles#commit}) first.
   */
  public synchronized void installSnapshot(SnapshotMeta meta) {
    checkOpen();
    if (meta.index() < snapshot.index()) {
      throw new IllegalArgumentException("snapshot " + meta.index() + " is older than current " + snapshot.index());
    }
    HardState hs = hardState;
    HardState raised = hs.commit() >= meta.index() ? null : new HardState(hs.term(), hs.vote(), meta.index());
    je.inTransaction(true, txn -> {
      // Entries after the snapshot must go atomically with the meta: they may contradict it.
      segments.deleteRange(txn, meta.index() + 1, Long.MAX_VALUE);
      metaRecords.put(txn, MetaCodec.SNAPSHOT, MetaCodec.encodeSnapshot(meta));
      metaRecords.put(txn, MetaCodec.LOG_START, MetaCodec.encodeLogStart(new LogStart(meta.index(), meta.term())));
      if (raised != null) metaRecords.put(txn, MetaCodec.HARD_STATE, MetaCodec.encodeHardState(raised));
      return null;
    });
    snapshot = meta;
    if (raised != null) hardState = raised;
    terms.reset(meta.index(), meta.term());
    cache.clear();
    firstIndex = meta.index() + 1;
    lastIndex = meta.index();
    segments.trimBelow(meta.index() + 1);
  }

  /**
   * Records a snapshot taken locally at {@code meta.index()} and deletes the entries below
   * {@code retainFrom}; entries in {@code [retainFrom, lastIndex()]} stay (a tail for slow followers).
   * Afterwards {@code firstIndex() == max(old firstIndex, retainFrom)}. Synced. Write the snapshot file
   * (see {@link SnapshotFiles#commit}) first.
   *
   * <p>A snapshot older than the current one (e.g. a local snapshot that finished after a newer one was
   * installed from the leader) is ignored and {@code false} returned.
   *
   * @param retainFrom at most {@code meta.index() + 1}
   * @return true if recorded, false if {@code meta} is older than {@link #snapshot()}
   * @throws IllegalArgumentException if meta is beyond the log or its term disagrees with the stored
   *                                  entry at its index
   */
  public synchronized boolean compact(SnapshotMeta meta, long retainFrom) {
    checkOpen();
    if (meta.index() < snapshot.index()) return false;
    if (meta.index() > lastIndex) {
      throw new IllegalArgumentException("cannot compact to " + meta.index() + " beyond last index " + lastIndex);
    }
    if (retainFrom > meta.index() + 1) throw new IllegalArgumentException("retainFrom " + retainFrom + " > snapshot index + 1");
    if (term(meta.index()) != meta.term()) {
      throw new IllegalArgumentException("snapshot term " + meta.term() + " differs from log term at " + meta.index());
    }
    long newFirst = Math.max(firstIndex, retainFrom);
    LogStart start = new LogStart(newFirst - 1, term(newFirst - 1));
    je.inTransaction(true, txn -> {
      metaRecords.put(txn, MetaCodec.SNAPSHOT, MetaCodec.encodeSnapshot(meta));
      metaRecords.put(txn, MetaCodec.LOG_START, MetaCodec.encodeLogStart(start));
      return null;
    });
    snapshot = meta;
    terms.dropBelow(start.index());
    cache.dropBelow(newFirst);
    firstIndex = newFirst;
    segments.trimBelow(newFirst);
    return true;
  }

  /** Stores the member address book (node id → addresses, format chosen by the caller). Synced. */
  public synchronized void saveMembers(Map<Long, String> newMembers) {
    checkOpen();
    Map<Long, String> copy = Map.copyOf(newMembers);
    je.inTransaction(true, txn -> {
      metaRecords.put(txn, MetaCodec.MEMBERS, MetaCodec.encodeMembers(copy));
      return null;
    });
    members = copy;
  }

  /** The address book last stored by {@link #saveMembers}; empty if never saved. */
  public Map<Long, String> members() {
    return members;
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Number of entry records at or above {@link #firstIndex()}, counted by JE cursors (not a cached
   * value), once the segment removals requested so far are done (waits up to 30 s).
   */
  public long storedEntryCount() {
    awaitTrimmed();
    synchronized (this) {
      checkOpen();
      return segments.countFrom(firstIndex);
    }
  }

  /** Every record of every segment, unreachable leftovers below the first index included (JE's counts). */
  long storedRecordCount() {
    awaitTrimmed();
    synchronized (this) {
      checkOpen();
      return segments.recordCount();
    }
  }

  /** First indexes of the stored segments, once the requested removals are done. */
  List<Long> segmentFirsts() {
    awaitTrimmed();
    return segments.firsts();
  }

  private void awaitTrimmed() {
    segments.awaitTrimmed(Duration.ofSeconds(30));
  }

  /**
   * Runs the JE cleaner until it finds nothing more to clean (bounded), then a forced checkpoint so the
   * cleaned files are deleted. JE's background cleaner does the same over time; this makes it immediate.
   *
   * @return the number of log files cleaned
   */
  public int reclaimSpace() {
    awaitTrimmed(); // the cleaner can only reclaim what is already deleted
    return cleanAndCheckpoint();
  }

  private synchronized int cleanAndCheckpoint() {
    checkOpen();
    return je.cleanAndCheckpoint();
  }

  @Override
  public void close() {
    segments.stopTrimming(); // first, and outside the lock: a removal may be under way
    synchronized (this) {
      if (closed) return;
      closed = true;
      try {
        segments.close();
      } finally {
        je.close();
      }
    }
  }

  void setWriteHook(WriteHook hook) {
    this.writeHook = hook;
  }

  void setSegmentHook(LogSegments.Hook hook) {
    segments.setHook(hook);
  }

  /** Bytes of entries held in the in-memory tail cache. */
  synchronized long cachedBytes() {
    return cache.bytes();
  }

  // ---------------------------------------------------------------- internals

  private void recover() {
    MetaRecords.Stored stored = metaRecords.readAll();
    hardState = stored.hardState();
    snapshot = stored.snapshot();
    members = stored.members();
    LogStart logStart = stored.logStart();
    terms.reset(logStart.index(), logStart.term());
    long[] last = {logStart.index()};
    segments.scan(logStart.index() + 1, Long.MAX_VALUE, e -> {
      terms.append(e.index(), e.term());
      cache.append(List.of(e));
      last[0] = e.index();
      return true;
    });
    firstIndex = logStart.index() + 1;
    lastIndex = last[0];
    if (snapshot.index() < logStart.index() || snapshot.index() > lastIndex) {
      throw new CorruptLogException(je.home, "meta", "snapshot index " + snapshot.index()
          + " outside stored log [" + logStart.index() + ", " + lastIndex + "]");
    }
    // Segments entirely at or below the log start are leftovers of an interrupted compaction.
    segments.trimBelow(firstIndex);
  }

  private void checkAppendable(List<Entry> entries) {
    if (entries.isEmpty()) return;
    long first = entries.get(0).index();
    if (first < firstIndex) {
      throw new IllegalArgumentException("entry " + first + " is compacted (first index " + firstIndex + ")");
    }
    if (first > lastIndex + 1) {
      throw new IllegalArgumentException("entry " + first + " leaves a gap after last index " + lastIndex);
    }
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).index() != first + i) throw new IllegalArgumentException("entries are not contiguous at " + i);
    }
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("store " + je.home + " is closed");
  }
}
