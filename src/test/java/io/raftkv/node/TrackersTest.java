package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.raft.ReadState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrackersTest {
  final Completer completer = new Completer("test");
  static final long FAR = System.nanoTime() + 60_000_000_000L;

  @AfterEach
  void close() {
    completer.close();
  }

  static Throwable failure(CompletableFuture<?> f) {
    await().until(f::isDone);
    return f.handle((v, e) -> NodeException.unwrap(e)).join();
  }

  @Test
  void aProposalSucceedsOnlyWhenTheEntryAppliedAtItsIndexHasItsTerm() {
    ProposalTracker t = new ProposalTracker(completer);
    CompletableFuture<byte[]> same = new CompletableFuture<>();
    CompletableFuture<byte[]> overwritten = new CompletableFuture<>();
    t.add(5, 2, same, FAR);
    t.add(6, 2, overwritten, FAR);
    t.onApplied(5, 2, new byte[] {42});
    t.onApplied(6, 3, new byte[] {7}); // a later leader's entry took index 6
    assertThat(same.join()).containsExactly(42);
    assertThat(failure(overwritten)).isInstanceOf(NodeException.Unavailable.class).hasMessageContaining("not applied");
    assertThat(t.size()).isZero();
  }

  @Test
  void aProposalReplacedInTheLocalLogHasAnUnknownOutcomeNotAFailure() {
    // Truncated here, the old entry may survive on another node that commits it after an election:
    // answering "not applied" (503) would let a client wrongly assume nothing was written.
    ProposalTracker t = new ProposalTracker(completer);
    CompletableFuture<byte[]> replaced = new CompletableFuture<>();
    CompletableFuture<byte[]> newer = new CompletableFuture<>();
    t.add(7, 2, replaced, FAR);
    t.add(7, 4, newer, FAR);
    assertThat(failure(replaced)).isInstanceOf(NodeException.OutcomeUnknown.class);
    t.onApplied(7, 4, new byte[] {1});
    assertThat(newer.join()).containsExactly(1);
    assertThat(t.size()).isZero();
  }

  @Test
  void proposalsSkippedByASnapshotOrTimedOutHaveAnUnknownOutcome() {
    ProposalTracker t = new ProposalTracker(completer);
    CompletableFuture<byte[]> covered = new CompletableFuture<>();
    CompletableFuture<byte[]> late = new CompletableFuture<>();
    CompletableFuture<byte[]> waiting = new CompletableFuture<>();
    t.add(3, 1, covered, FAR);
    t.add(9, 1, late, System.nanoTime() - 1);
    t.add(10, 1, waiting, FAR);
    t.onSnapshotInstalled(4);
    t.expire(System.nanoTime());
    assertThat(failure(covered)).isInstanceOf(NodeException.OutcomeUnknown.class);
    assertThat(failure(late)).isInstanceOf(NodeException.OutcomeUnknown.class);
    assertThat(waiting).isNotDone();
  }

  @Test
  void readsCompleteOnlyOnceTheirReadIndexIsApplied() {
    ReadTracker t = new ReadTracker(completer);
    CompletableFuture<Long> a = new CompletableFuture<>();
    CompletableFuture<Long> b = new CompletableFuture<>();
    byte[] ctx = t.newBatch(List.of(new ReadTracker.Pending(a, FAR, FAR), new ReadTracker.Pending(b, FAR, FAR)));
    t.onReadState(new ReadState(12, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 20); // someone else's context
    t.onReadState(new ReadState(12, ctx), 11);
    assertThat(a).isNotDone();
    t.onApplied(12);
    await().until(() -> a.isDone() && b.isDone());
    assertThat(a.join()).isEqualTo(12);
    assertThat(b.join()).isEqualTo(12);
  }

  @Test
  void aLeaderChangeFailsReadsThatMayWaitNoLongerAndOnlyThoseWithoutAReadPoint() {
    ReadTracker t = new ReadTracker(completer);
    CompletableFuture<Long> hasPoint = new CompletableFuture<>();
    CompletableFuture<Long> waiting = new CompletableFuture<>();
    long now = System.nanoTime();
    byte[] ctx = t.newBatch(List.of(new ReadTracker.Pending(hasPoint, FAR, now - 1)));
    t.onReadState(new ReadState(7, ctx), 3);
    t.newBatch(List.of(new ReadTracker.Pending(waiting, FAR, now - 1)));
    t.onLeaderChange(0, now);
    assertThat(failure(waiting)).isInstanceOf(NodeException.Unavailable.class).hasMessageContaining("leader changed");
    t.onApplied(7);
    await().until(hasPoint::isDone);
    assertThat(hasPoint.join()).isEqualTo(7);
  }

  @Test
  void aReadWhoseRoundWentToAnOldLeaderIsSentAgainToTheNewOne() {
    ReadTracker t = new ReadTracker(completer);
    List<byte[]> rounds = new java.util.ArrayList<>();
    CompletableFuture<Long> read = new CompletableFuture<>();
    long now = System.nanoTime();
    t.request((c, lease) -> rounds.add(c), List.of(new ReadTracker.Pending(read, FAR, FAR)), false, now);
    t.onLeaderChange(0, now + 1); // the old leader is gone; no new one yet
    assertThat(t.hasReadsAwaitingLeader()).isTrue();
    assertThat(t.hasHeldReads()).as("nothing to send before a leader is known").isFalse();
    t.onLeaderChange(3, now + 2);
    t.request((c, lease) -> rounds.add(c), List.of(), false, now + 3);
    assertThat(rounds).hasSize(2);
    t.onReadState(new ReadState(5, rounds.get(0)), 5); // a late answer to the old round counts no more
    assertThat(read).isNotDone();
    t.onReadState(new ReadState(6, rounds.get(1)), 6);
    await().until(read::isDone);
    assertThat(read.join()).isEqualTo(6);
  }

  @Test
  void readsThatNeverGetAReadPointTimeOutAsUnavailable() {
    ReadTracker t = new ReadTracker(completer);
    CompletableFuture<Long> a = new CompletableFuture<>();
    t.newBatch(List.of(new ReadTracker.Pending(a, System.nanoTime() - 1, System.nanoTime() - 1)));
    t.expire(System.nanoTime());
    assertThat(failure(a)).isInstanceOf(NodeException.Unavailable.class);
  }

  @Test
  void theLimiterRefusesBeyondItsBoundAndFreesSlotsOnCompletion() {
    PendingLimiter limiter = new PendingLimiter(2);
    CompletableFuture<String> one = new CompletableFuture<>();
    CompletableFuture<String> visible = limiter.track(one);
    limiter.track(new CompletableFuture<>());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> limiter.track(new CompletableFuture<>()))
        .isInstanceOf(NodeException.Unavailable.class);
    // Whoever sees the answer can immediately use the slot it held.
    visible.thenRun(() -> limiter.track(new CompletableFuture<>()));
    one.complete("done");
    assertThat(visible.join()).isEqualTo("done");
    assertThat(limiter.inFlight()).isEqualTo(2);
  }
}
