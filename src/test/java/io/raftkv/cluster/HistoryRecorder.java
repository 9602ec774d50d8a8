package io.raftkv.cluster;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Records what concurrent clients did to the cluster: each operation's invocation and completion,
 * stamped from one shared atomic counter. The counter is linearizable, so "a completed before b was
 * invoked" in real time always shows as a smaller completion stamp than b's invocation stamp; an
 * operation's interval is taken slightly wider than the request's, which keeps the check sound.
 */
public final class HistoryRecorder {

  /**
   * What an operation was. A RANGE records its URL query (without {@code consistency}) as its key; a
   * TXN its JSON request body as its value (key empty). Their JSON answers are in the result's detail.
   */
  public enum Kind {
    PUT, GET, DELETE, RANGE, TXN;

    public boolean isRead() {
      return this == GET || this == RANGE;
    }
  }

  /**
   * One operation. {@code completedAt} is meaningless for UNKNOWN results (the write may take effect at
   * any later time); {@code node} is the node the request went to (null when not recorded);
   * {@code invokedAtMillis} is the wall clock at invocation, to match an operation with the node logs.
   */
  public record Op(int client, Kind kind, String key, String value, long invokedAt, long completedAt,
      KvResult result, URI node, long invokedAtMillis) {}

  /** An operation in flight, handed back by {@link #invoke}. */
  public final class Pending {
    private final int client;
    private final Kind kind;
    private final String key;
    private final String value;
    private final long invokedAt;
    private final URI node;
    private final long invokedAtMillis = System.currentTimeMillis();

    private Pending(int client, Kind kind, String key, String value, long invokedAt, URI node) {
      this.client = client;
      this.kind = kind;
      this.key = key;
      this.value = value;
      this.invokedAt = invokedAt;
      this.node = node;
    }
  }

  private final AtomicLong clock = new AtomicLong();
  private final List<Op> completed = new ArrayList<>();

  public Pending invoke(int client, Kind kind, String key, String value) {
    return invoke(client, kind, key, value, null);
  }

  public Pending invoke(int client, Kind kind, String key, String value, URI node) {
    return new Pending(client, kind, key, value, clock.incrementAndGet(), node);
  }

  public void complete(Pending pending, KvResult result) {
    long at = clock.incrementAndGet();
    synchronized (completed) {
      completed.add(new Op(pending.client, pending.kind, pending.key, pending.value, pending.invokedAt, at,
          result, pending.node, pending.invokedAtMillis));
    }
  }

  /** Convenience for single-threaded callers: records one operation that ran between now and now. */
  public KvResult record(int client, Kind kind, String key, String value,
      Supplier<KvResult> call) {
    return record(client, kind, key, value, null, call);
  }

  /** As {@link #record(int, Kind, String, String, Supplier)}, remembering the node asked. */
  public KvResult record(int client, Kind kind, String key, String value, URI node,
      Supplier<KvResult> call) {
    Pending pending = invoke(client, kind, key, value, node);
    KvResult result = call.get();
    complete(pending, result);
    return result;
  }

  public List<Op> operations() {
    synchronized (completed) {
      return List.copyOf(completed);
    }
  }

  /** Acknowledged puts: each key's acknowledged values, for the durability check. */
  public List<Op> acknowledgedWrites() {
    List<Op> acked = new ArrayList<>();
    for (Op op : operations()) {
      if (!op.kind().isRead() && op.result().isOk()) {
        acked.add(op);
      }
    }
    return acked;
  }

  /** Counts by kind and outcome, for the test log. */
  public String summary() {
    List<Op> ops = operations();
    StringBuilder out = new StringBuilder(ops.size() + " operations");
    for (Kind kind : Kind.values()) {
      out.append("; ").append(kind).append(':');
      for (KvResult.Outcome outcome : KvResult.Outcome.values()) {
        long n = ops.stream().filter(o -> o.kind() == kind && o.result().outcome() == outcome).count();
        if (n > 0) {
          out.append(' ').append(outcome).append('=').append(n);
        }
      }
    }
    return out.toString();
  }
}
