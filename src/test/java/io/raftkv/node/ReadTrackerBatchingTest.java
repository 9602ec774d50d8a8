package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.raft.ReadState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One ReadIndex round in flight at a time: reads arriving meanwhile share the next round. */
class ReadTrackerBatchingTest {
  final Completer completer = new Completer("test");
  final ReadTracker t = new ReadTracker(completer);
  /** The rounds the tracker asked the core for: (context, lease). */
  final List<byte[]> plainRounds = new ArrayList<>();
  final List<byte[]> leaseRounds = new ArrayList<>();
  final ReadTracker.ReadIndexCall core = (ctx, lease) -> (lease ? leaseRounds : plainRounds).add(ctx);
  static final long T0 = 1_000_000_000L;
  static final long FAR = System.nanoTime() + 60_000_000_000L;

  @AfterEach
  void close() {
    completer.close();
  }

  static List<ReadTracker.Pending> reads(List<CompletableFuture<Long>> futures, int n) {
    List<ReadTracker.Pending> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CompletableFuture<Long> f = new CompletableFuture<>();
      futures.add(f);
      batch.add(new ReadTracker.Pending(f, FAR, T0)); // may not wait for a leader after T0
    }
    return batch;
  }

  @Test
  void readsArrivingWhileARoundIsInFlightWaitForItAndThenShareOneRound() {
    List<CompletableFuture<Long>> first = new ArrayList<>();
    List<CompletableFuture<Long>> later = new ArrayList<>();
    t.request(core, reads(first, 2), false, T0);
    for (int pass = 1; pass <= 5; pass++) t.request(core, reads(later, 3), false, T0 + pass * 1_000L);
    assertThat(plainRounds).hasSize(1);
    assertThat(t.canSendHeld(T0 + 10_000L)).isFalse();

    t.onReadState(new ReadState(9, plainRounds.get(0)), 9);
    assertThat(t.canSendHeld(T0 + 20_000L)).as("the answer releases the held reads").isTrue();
    t.request(core, List.of(), false, T0 + 20_000L);
    assertThat(plainRounds).hasSize(2);
    assertThat(t.hasHeldReads()).isFalse();
    t.onReadState(new ReadState(11, plainRounds.get(1)), 11);

    await().until(() -> first.stream().allMatch(CompletableFuture::isDone) && later.stream().allMatch(CompletableFuture::isDone));
    assertThat(first).allSatisfy(f -> assertThat(f.join()).isEqualTo(9));
    // Held reads never take the earlier round's read point: it was chosen before they arrived.
    assertThat(later).hasSize(15).allSatisfy(f -> assertThat(f.join()).isEqualTo(11));
  }

  @Test
  void aRoundUnansweredForTooLongNoLongerHoldsTheNextBack() {
    t.request(core, reads(new ArrayList<>(), 1), false, T0);
    t.request(core, reads(new ArrayList<>(), 1), false, T0 + ReadTracker.ROUND_STALE_NANOS - 1);
    assertThat(plainRounds).hasSize(1);
    t.request(core, List.of(), false, T0 + ReadTracker.ROUND_STALE_NANOS);
    assertThat(plainRounds).hasSize(2);
  }

  @Test
  void leaseReadsGoOutAtOnceEvenWithAPlainRoundInFlight() {
    t.request(core, reads(new ArrayList<>(), 1), false, T0);
    t.request(core, reads(new ArrayList<>(), 2), true, T0 + 1);
    t.request(core, reads(new ArrayList<>(), 2), true, T0 + 2);
    assertThat(plainRounds).hasSize(1);
    assertThat(leaseRounds).hasSize(2);
  }

  @Test
  void heldReadsFailOnStopAndTimeOutLikeOthers() {
    List<CompletableFuture<Long>> held = new ArrayList<>();
    t.request(core, reads(new ArrayList<>(), 1), false, T0);
    CompletableFuture<Long> expiring = new CompletableFuture<>();
    t.request(core, List.of(new ReadTracker.Pending(expiring, System.nanoTime() - 1, T0)), false, T0 + 1);
    t.expire(System.nanoTime());
    assertThat(TrackersTest.failure(expiring)).isInstanceOf(NodeException.Unavailable.class);

    t.request(core, reads(held, 2), false, T0 + 2);
    t.failAll("node stopped");
    assertThat(held).allSatisfy(f -> assertThat(TrackersTest.failure(f)).isInstanceOf(NodeException.Unavailable.class));
    assertThat(t.hasHeldReads()).isFalse();
  }

  static final ReadTracker.ReadIndexCall NO_LEADER = (ctx, lease) -> {
    throw new io.raftkv.raft.ProposalRejectedException(io.raftkv.raft.ProposalRejectedException.Reason.NOT_LEADER, 0, "no leader");
  };

  @Test
  void withoutALeaderReadsThatMayWaitNoLongerFailAtOnceAndHoldNothingBack() {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    t.request(NO_LEADER, reads(futures, 2), false, T0);
    assertThat(futures).allSatisfy(f -> assertThat(TrackersTest.failure(f)).isInstanceOf(NodeException.Unavailable.class));
    assertThat(t.hasReadsAwaitingLeader()).isFalse();
    t.request(core, reads(new ArrayList<>(), 1), false, T0 + 1);
    assertThat(plainRounds).hasSize(1);
  }

  @Test
  void withoutALeaderReadsWaitForOneAndGoOutWithTheFirstRoundAfterIt() {
    CompletableFuture<Long> read = new CompletableFuture<>();
    long second = 1_000_000_000L;
    t.request(NO_LEADER, List.of(new ReadTracker.Pending(read, T0 + 10 * second, T0 + second)), false, T0);
    assertThat(read).isNotDone();
    assertThat(t.hasReadsAwaitingLeader()).isTrue();
    assertThat(t.canSendHeld(T0 + 1)).as("no busy loop while no leader is known").isFalse();
    t.expire(T0 + second / 2);
    assertThat(read).isNotDone();

    t.leaderKnown();
    t.request(core, List.of(), false, T0 + second / 2);
    assertThat(plainRounds).hasSize(1);
    t.onReadState(new ReadState(4, plainRounds.get(0)), 4);
    await().until(read::isDone);
    assertThat(read.join()).isEqualTo(4);
  }

  @Test
  void aReadWaitingForALeaderFailsOnceItMayWaitNoLonger() {
    CompletableFuture<Long> read = new CompletableFuture<>();
    long second = 1_000_000_000L;
    t.request(NO_LEADER, List.of(new ReadTracker.Pending(read, T0 + 10 * second, T0 + second)), false, T0);
    t.expire(T0 + second);
    assertThat(TrackersTest.failure(read)).isInstanceOf(NodeException.Unavailable.class).hasMessageContaining("no leader");
    assertThat(t.hasReadsAwaitingLeader()).isFalse();
  }
}
