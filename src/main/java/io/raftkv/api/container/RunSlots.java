package io.raftkv.api.container;

import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorBody;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many request threads <em>run</em> at once, not how many exist. The HTTP pool keeps 64
 * threads so that writes waiting for their commit (RequestRunner#answer) do not starve reads, but 64
 * runnable threads on 2 cores make the kernel time-slice them: a request preempted half-way waits for
 * every other runnable thread's slice, which is where the stale follower read's p99 of 70-170 ms came
 * from while its median was 3 ms (docs/benchmarks.md, sixth and seventh sessions). A thread takes a
 * slot before the application handles its request and gives it back when done, or when it starts
 * waiting for Raft ({@link #yieldSlot}): a waiting write holds a thread but no slot, and finishes its
 * answer without one. Slots are handed over first come, first served.
 *
 * <p>A request that finds no slot within {@code raftkv.http.running.wait.ms} is refused with 503 +
 * Retry-After by the front filter (io.raftkv.boot.FrontFilter): overload is refused, not absorbed.
 * Static like {@code io.raftkv.boot.ServingGate}'s state: the front filter and RequestRunner share it
 * without CDI, which is torn down at shutdown while requests still arrive.
 */
public final class RunSlots {
  /**
   * The container's request threads (system property raftkv.http.running.max; 0, the default, is no
   * limit). Off by default: in the same-run comparison the slots cut the tails (stale p99 ~90 -> 10 ms,
   * lease 20 -> 11 ms) but cost reads ~30% of their req/s in slot hand-offs (docs/benchmarks.md, seventh
   * session); a read-heavy deployment that cares for its tail turns them on, e.g. 2 per core.
   */
  public static final RunSlots HTTP = new RunSlots(
      Integer.getInteger("raftkv.http.running.max", 0), Long.getLong("raftkv.http.running.wait.ms", 5_000));

  private final Semaphore slots;
  private final int size;
  private final long entryWaitMillis;
  /** This thread's nesting depth inside slots (a nested filter chain enters again): 0 = holds none. */
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  /** {@code size} 0: no limit (every call returns at once); else at most {@code size} threads at once. */
  RunSlots(int size, long entryWaitMillis) {
    if (size < 0) throw new IllegalArgumentException("raftkv.http.running.max must be >= 0, was " + size);
    this.size = size;
    this.slots = new Semaphore(Math.max(size, 1), true);
    this.entryWaitMillis = entryWaitMillis;
  }

  /** Whether slots limit anything (raftkv.http.running.max > 0). */
  boolean limited() {
    return size > 0;
  }

  /** Takes a slot for this thread, waiting up to the entry wait; false if none came (refuse the request). */
  boolean enter() throws InterruptedException {
    if (!limited()) return true;
    int[] d = depth.get();
    if (d[0] == 0 && !slots.tryAcquire(entryWaitMillis, TimeUnit.MILLISECONDS)) return false;
    d[0]++;
    return true;
  }

  /** {@link #enter}, with an interrupt taken as no slot (the interrupt stays set). */
  public boolean tryEnter() {
    try {
      return enter();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The answer to a request that found no slot: 503 + Retry-After. */
  public ApiError overloaded() {
    return new ApiError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, ErrorBody.of("unavailable",
        "overloaded: no request slot free within " + entryWaitMillis + " ms"), Map.of("Retry-After", "1"));
  }

  /** Leaves what {@link #enter} entered; the outermost leave gives the slot back. */
  public void leave() {
    if (!limited()) return;
    int[] d = depth.get();
    if (d[0] > 0 && --d[0] == 0) slots.release();
  }

  /**
   * Gives up this thread's slot for the rest of its request, before it blocks waiting for Raft (waiting
   * uses no CPU); the front filter's leave is then a no-op. Returns whether it held one. A thread outside the
   * front filter (a test, a completer) holds none.
   */
  public boolean yieldSlot() {
    if (!limited()) return false;
    int[] d = depth.get();
    if (d[0] == 0) return false;
    d[0] = 0;
    slots.release();
    return true;
  }

  int size() {
    return size;
  }

  int free() {
    return slots.availablePermits();
  }

  long entryWaitMillis() {
    return entryWaitMillis;
  }
}
