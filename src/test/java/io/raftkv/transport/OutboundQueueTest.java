package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.Entry;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

  private static Message withPayload(long index, int bytes) {
    return Message.builder(MessageType.APPEND, 1, 2, 1).index(index)
        .entries(bytes == 0 ? List.of() : List.of(Entry.normal(1, index + 1, new byte[bytes]))).build();
  }

  @Test
  void refusesMessagesBeyondTheCountBound() {
    OutboundQueue q = new OutboundQueue(3, Long.MAX_VALUE);

    assertThat(q.offer(withPayload(1, 0))).isTrue();
    assertThat(q.offer(withPayload(2, 0))).isTrue();
    assertThat(q.offer(withPayload(3, 0))).isTrue();
    assertThat(q.offer(withPayload(4, 0))).isFalse();
    assertThat(q.size()).isEqualTo(3);
  }

  @Test
  void refusesMessagesBeyondTheByteBoundButAlwaysTakesOneIntoAnEmptyQueue() {
    OutboundQueue q = new OutboundQueue(100, 10_000);

    assertThat(q.offer(withPayload(1, 50_000))).as("oversized into empty queue").isTrue();
    assertThat(q.offer(withPayload(2, 10))).as("anything after it").isFalse();
    q.clear();
    assertThat(q.offer(withPayload(3, 6_000))).isTrue();
    assertThat(q.offer(withPayload(4, 6_000))).isFalse();
    assertThat(q.offer(withPayload(5, 100))).isTrue();
  }

  @Test
  void pollingFreesSpaceAndKeepsFifoOrder() throws Exception {
    OutboundQueue q = new OutboundQueue(2, Long.MAX_VALUE);
    q.offer(withPayload(1, 0));
    q.offer(withPayload(2, 0));

    List<Message> batch = q.pollBatch(Long.MAX_VALUE, 0, TimeUnit.MILLISECONDS);

    assertThat(batch).extracting(Message::index).containsExactly(1L, 2L);
    assertThat(q.offer(withPayload(3, 0))).isTrue();
  }

  @Test
  void batchStopsAtTheByteLimitButAlwaysHoldsAtLeastOne() throws Exception {
    OutboundQueue q = new OutboundQueue(100, Long.MAX_VALUE);
    for (int i = 1; i <= 5; i++) q.offer(withPayload(i, 1000));
    long one = OutboundQueue.estimatedSize(withPayload(1, 1000));

    assertThat(q.pollBatch(2 * one, 0, TimeUnit.MILLISECONDS)).extracting(Message::index)
        .containsExactly(1L, 2L);
    assertThat(q.pollBatch(1, 0, TimeUnit.MILLISECONDS)).extracting(Message::index).containsExactly(3L);
    assertThat(q.pollBatch(Long.MAX_VALUE, 0, TimeUnit.MILLISECONDS)).extracting(Message::index)
        .containsExactly(4L, 5L);
  }

  @Test
  void pollOnEmptyQueueTimesOutWithNothing() throws Exception {
    OutboundQueue q = new OutboundQueue(10, 1000);
    long start = System.nanoTime();

    assertThat(q.pollBatch(1000, 50, TimeUnit.MILLISECONDS)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(45));
  }

  @Test
  void backoffDoublesUpToTheCapAndResets() {
    Backoff b = new Backoff(Duration.ofMillis(50), Duration.ofMillis(300));

    assertThat(List.of(b.next(), b.next(), b.next(), b.next(), b.next())).extracting(Duration::toMillis)
        .containsExactly(50L, 100L, 200L, 300L, 300L);
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(50));
  }
}
