package io.raftkv.storage;

import com.sleepycat.je.Database;
import com.sleepycat.je.Transaction;
import io.raftkv.raft.Entry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * The log as a sequence of JE databases, one per segment of indexes, so that a compacted prefix goes
 * away one database at a time ({@code Environment.removeDatabase}) instead of one record delete per
 * entry (docs/storage.md, "Log segments").
 *
 * <p>A segment is named by the first index it may hold, {@code log-<first:20>}, and holds the indexes
 * from there up to the next segment's first index (the last segment: up to the end of the log). A new
 * segment is started when an append reaches {@code span} indexes past the last segment's first one, so
 * the span only decides where segments are cut, never how a stored one is read. The database {@code log}
 * of the single-database layout is read as the segment starting at index 0.
 *
 * <p>Threads: the Raft loop appends and deletes records (conflict truncation) under the store's lock;
 * readers hold the store's lock too; this class's {@link PrefixTrimmer} thread removes whole segments.
 * They never meet on a segment: the trimmer only removes segments entirely below the first index, which
 * nobody else reads or writes, and the map is a concurrent one.
 */
final class LogSegments implements AutoCloseable {
  /** Indexes per segment (see docs/storage.md, "Log segments", for the choice). */
  static final int DEFAULT_SPAN = 4_096;
  /** The one log database of the layout before segments; read as the segment starting at index 0. */
  static final String LEGACY_NAME = "log";
  private static final String PREFIX = "log-";

  /** Test seam: the steps of creating and removing a segment. */
  enum Step { CREATED, REMOVING, REMOVE_UNCOMMITTED, REMOVED }

  interface Hook {
    void at(Step step, long segmentFirst);
  }

  record Segment(long first, String name, Database db) {}

  private final JeEnvironment je;
  private final LogRecords records;
  private final int span;
  private final PrefixTrimmer trimmer;
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private volatile Hook hook = (step, first) -> { };
  private long created; // segments created since open (guarded by this)

  private LogSegments(JeEnvironment je, int span) {
    if (span < 1) throw new IllegalArgumentException("segment span must be positive: " + span);
    this.je = je;
    this.records = new LogRecords(je.home);
    this.span = span;
    this.trimmer = new PrefixTrimmer(this::removeLowestBelow, "raftkv-log-trimmer");
  }

  /** Opens every segment database of the environment (legacy {@code log} included). */
  static LogSegments open(JeEnvironment je, int span) {
    LogSegments out = new LogSegments(je, span);
    try {
      for (String name : je.env.getDatabaseNames()) {
        long first = firstIndexOf(je, name);
        if (first >= 0) out.segments.put(first, new Segment(first, name, je.openDatabase(name)));
      }
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /** The first index of the segment database {@code name}, or -1 if it is not a log database. */
  private static long firstIndexOf(JeEnvironment je, String name) {
    if (name.equals(LEGACY_NAME)) return 0;
    if (!name.startsWith(PREFIX)) return -1;
    try {
      long first = Long.parseLong(name.substring(PREFIX.length()));
      if (first < 1 || !name.equals(nameOf(first))) throw new NumberFormatException(name);
      return first;
    } catch (NumberFormatException e) {
      throw new CorruptLogException(je.home, "database '" + name + "'", "not a log segment name", e);
    }
  }

  static String nameOf(long first) {
    return String.format("%s%020d", PREFIX, first);
  }

  void setHook(Hook hook) {
    this.hook = hook;
  }

  /**
   * Feeds {@code sink} the entries in {@code [from, to)} in index order, across segments, until it
   * returns false or the records run out. Indexes must be contiguous: a gap is corruption, and so is a
   * missing record below a finite {@code to}.
   */
  void scan(long from, long to, Predicate<Entry> sink) {
    List<Segment> list = from(from);
    long expected = from;
    for (int i = 0; i < list.size() && expected < to; i++) {
      long end = i + 1 < list.size() ? list.get(i + 1).first() : Long.MAX_VALUE;
      expected = records.scan(list.get(i).db(), expected, to, end, sink);
      if (expected == LogRecords.STOPPED) return;
    }
    if (expected < to && to != Long.MAX_VALUE) throw records.missing(expected, "no later record");
  }

  /** Deletes the records with {@code from <= index < to} of every segment inside {@code txn}. */
  void deleteRange(Transaction txn, long from, long to) {
    for (Segment s : from(from)) {
      if (s.first() >= to) return;
      records.deleteRange(txn, s.db(), from, to);
    }
  }

  /**
   * The database to put {@code index} into: the segment holding it, or a new one when the append runs
   * {@code span} past the last segment's start. A segment is never started at or below an index still
   * stored ({@code lastStored}), so a rewrite of the legacy database's long tail (conflict truncation)
   * stays in it and every segment's records stay below the next segment's first index even if the
   * transaction aborts. Creation is its own JE transaction ({@link JeEnvironment#createDatabase}): an
   * aborted save leaves an empty segment after every record, which the next append at that index uses.
   */
  synchronized Database forAppend(long index, long lastStored) {
    Map.Entry<Long, Segment> floor = segments.floorEntry(index);
    if (floor != null) {
      boolean last = segments.higherKey(floor.getKey()) == null;
      if (!last || index - floor.getKey() < span || index <= lastStored) return floor.getValue().db();
    }
    String name = nameOf(index);
    Segment s = new Segment(index, name, je.createDatabase(name));
    segments.put(index, s);
    created++;
    hook.at(Step.CREATED, index);
    return s.db();
  }

  /** Has every segment entirely below {@code to} removed on the trimmer's thread; returns at once. */
  void trimBelow(long to) {
    trimmer.trimBelow(to);
  }

  /** Waits (at most {@code timeout}) for the removals asked for so far. */
  void awaitTrimmed(Duration timeout) {
    try {
      trimmer.awaitTrimmed(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the trimmer after the removal in progress (idempotent); the rest is left to the next open. */
  void stopTrimming() {
    trimmer.close();
  }

  synchronized long created() {
    return created;
  }

  /**
   * Removes the lowest segment if it lies entirely below {@code to} (the next segment starts at or below
   * {@code to}; the last segment is never removed: appends go there), in one no-sync transaction. A
   * crash before the commit leaves it to the next open; it is unreachable either way.
   *
   * @return true if one was removed (more may follow)
   */
  boolean removeLowestBelow(long to) {
    Segment victim;
    synchronized (this) {
      Map.Entry<Long, Segment> lowest = segments.firstEntry();
      Long next = lowest == null ? null : segments.higherKey(lowest.getKey());
      if (next == null || next > to) return false;
      victim = lowest.getValue();
    }
    Transaction txn = je.begin(false); // may be refused (disk limits) before anything changed
    try {
      segments.remove(victim.first());
      victim.db().close();
      hook.at(Step.REMOVING, victim.first());
      je.env.removeDatabase(txn, victim.name());
      hook.at(Step.REMOVE_UNCOMMITTED, victim.first());
      txn.commit();
    } catch (RuntimeException | Error e) {
      txn.abort();
      reinstate(victim, e);
      throw e;
    }
    hook.at(Step.REMOVED, victim.first());
    return true;
  }

  /** After a failed removal (rolled back): reopens the segment so that a retry finds it again. */
  private void reinstate(Segment victim, Throwable failure) {
    try {
      segments.put(victim.first(), new Segment(victim.first(), victim.name(), je.openDatabase(victim.name())));
    } catch (RuntimeException e) {
      failure.addSuppressed(e); // the next open finds it
    }
  }

  /** Records at or above {@code index}, counted by JE cursors. */
  long countFrom(long index) {
    long n = 0;
    for (Segment s : from(index)) n += records.countFrom(s.db(), index);
    return n;
  }

  /** Every record of every segment, compacted leftovers included (JE's counts). */
  long recordCount() {
    long n = 0;
    for (Segment s : segments.values()) n += s.db().count();
    return n;
  }

  /** First indexes of the segments, in order. */
  List<Long> firsts() {
    return List.copyOf(segments.keySet());
  }

  /** The segments that may hold {@code index} or later ones, in order. */
  private List<Segment> from(long index) {
    Long floor = segments.floorKey(index);
    return new ArrayList<>((floor == null ? segments : segments.tailMap(floor, true)).values());
  }

  /** Stops the trimmer, then closes every segment's handle. */
  @Override
  public void close() {
    stopTrimming();
    RuntimeException failure = null;
    for (Segment s : segments.values()) {
      try {
        s.db().close();
      } catch (RuntimeException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
    }
    segments.clear();
    if (failure != null) throw failure;
  }
}
