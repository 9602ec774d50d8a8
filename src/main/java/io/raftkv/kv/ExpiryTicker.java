package io.raftkv.kv;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The leader's side of TTL expiry: every {@link #PERIOD_MILLIS} it asks this node's {@link ExpiryTracker}
 * for the keys past their deadline and proposes one {@link KvCommand.Expire} for at most
 * {@link KvCommand.Expire#MAX_KEYS} of them, with the mod revision it saw for each, so a put that races
 * the expiry wins. Followers run the ticker too but propose nothing; their trackers keep their own
 * deadlines, ready for when they lead. One expire proposal at a time: the next waits until the last
 * one is applied or failed (a failed one, e.g. leadership lost, is simply proposed again later, by
 * whoever leads then).
 */
public final class ExpiryTicker implements AutoCloseable {
  public static final long PERIOD_MILLIS = 100;
  /** Bound on the key characters one expire carries (keys are at most 64 KiB each). */
  static final long MAX_KEY_CHARS = 256 << 10;
  private static final Logger LOG = Logger.getLogger(ExpiryTicker.class.getName());

  private final ExpiryTracker tracker;
  private final BooleanSupplier isLeader;
  private final Function<byte[], CompletableFuture<byte[]>> propose;
  private final ScheduledExecutorService timer;
  private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null); // guarded by this

  /**
   * @param isLeader whether this node leads now (a stale answer costs one failed or no-op proposal)
   * @param propose  proposes an encoded command through the log, completing with its apply result
   */
  public ExpiryTicker(ExpiryTracker tracker, BooleanSupplier isLeader, Function<byte[], CompletableFuture<byte[]>> propose) {
    this.tracker = tracker;
    this.isLeader = isLeader;
    this.propose = propose;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "raftkv-expiry");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::tickSafely, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) { // a failure must not cancel the schedule
      LOG.log(Level.WARNING, "expiry tick failed", e);
    }
  }

  /**
   * One round: proposes an expire for the keys due now, if this node leads and no expire of its own is
   * still in flight. Returns the proposal, or null when nothing was proposed.
   */
  synchronized CompletableFuture<?> tick() {
    if (!inFlight.isDone() || !isLeader.getAsBoolean()) return null;
    List<KvCommand.Due> due = tracker.due(KvCommand.Expire.MAX_KEYS, MAX_KEY_CHARS);
    if (due.isEmpty()) return null;
    CompletableFuture<byte[]> proposal = propose.apply(KvCommandCodec.encode(new KvCommand.Expire(due)));
    inFlight = proposal.handle((result, error) -> null);
    return proposal;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
