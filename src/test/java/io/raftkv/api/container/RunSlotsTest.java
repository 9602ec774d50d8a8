package io.raftkv.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunSlotsTest {

  @Test
  void atMostSizeThreadsRunAtOnceAndTheRestWaitTheirTurn() throws Exception {
    RunSlots slots = new RunSlots(2, 10_000);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CompletableFuture<?>[] requests = new CompletableFuture<?>[8];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = CompletableFuture.runAsync(() -> {
        try {
          assertThat(slots.enter()).isTrue();
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          Thread.sleep(20);
          running.decrementAndGet();
          slots.leave();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, runnable -> new Thread(runnable).start());
    }
    CompletableFuture.allOf(requests).get(10, TimeUnit.SECONDS);
    assertThat(most.get()).isEqualTo(2);
    assertThat(slots.free()).isEqualTo(2);
  }

  @Test
  void aRequestThatFindsNoSlotWithinTheWaitIsRefused() throws Exception {
    RunSlots slots = new RunSlots(1, 50);
    assertThat(slots.enter()).isTrue();
    CompletableFuture<Boolean> other = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        other.complete(slots.enter());
      } catch (InterruptedException e) {
        other.completeExceptionally(e);
      }
    });
    t.start();
    assertThat(other.get(5, TimeUnit.SECONDS)).isFalse();
    slots.leave();
    assertThat(slots.free()).isEqualTo(1);
  }

  @Test
  void aThreadWaitingForRaftGivesItsSlotToAnotherRequestForTheRestOfItsRequest() throws Exception {
    RunSlots slots = new RunSlots(1, 5_000);
    assertThat(slots.enter()).isTrue();
    assertThat(slots.yieldSlot()).isTrue();
    CountDownLatch otherRan = new CountDownLatch(1);
    Thread other = new Thread(() -> {
      try {
        if (slots.enter()) {
          otherRan.countDown();
          slots.leave();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    other.start();
    assertThat(otherRan.await(5, TimeUnit.SECONDS)).isTrue();
    other.join(5_000);
    slots.leave(); // the yielding request ends: nothing more to give back
    assertThat(slots.free()).isEqualTo(1);
  }

  @Test
  void nestedEntriesOnOneThreadHoldOneSlotAndTheOutermostLeaveReturnsIt() throws Exception {
    RunSlots slots = new RunSlots(2, 1_000);
    assertThat(slots.enter()).isTrue();
    assertThat(slots.enter()).isTrue();
    assertThat(slots.free()).isEqualTo(1);
    slots.leave();
    assertThat(slots.free()).isEqualTo(1);
    slots.leave();
    assertThat(slots.free()).isEqualTo(2);
    slots.leave(); // an unmatched leave gives back nothing
    assertThat(slots.free()).isEqualTo(2);
  }

  @Test
  void sizeZeroLimitsNothing() throws Exception {
    RunSlots off = new RunSlots(0, 10);
    for (int i = 0; i < 100; i++) assertThat(off.enter()).isTrue();
    assertThat(off.yieldSlot()).isFalse();
    off.leave();
    assertThat(off.limited()).isFalse();
  }

  @Test
  void aThreadOutsideAnySlotYieldsNothing() {
    RunSlots slots = new RunSlots(1, 1_000);
    assertThat(slots.yieldSlot()).isFalse();
    assertThat(slots.free()).isEqualTo(1);
  }
}
