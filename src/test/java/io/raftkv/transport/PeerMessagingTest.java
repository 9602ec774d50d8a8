package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.raft.Entry;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerMessagingTest {
  @TempDir Path dir;
  private TransportFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new TransportFixture(dir);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private static Message append(long from, long to, long index, int payloadBytes) {
    return Message.builder(MessageType.APPEND, from, to, 1).index(index).commit(index)
        .entries(payloadBytes == 0 ? List.of() : List.of(Entry.normal(1, index + 1, new byte[payloadBytes])))
        .context(new byte[] {(byte) index})
        .build();
  }

  @Test
  void threeNodesExchangeMessagesInOrderPerSender() {
    RecordingHandler h1 = new RecordingHandler();
    RecordingHandler h2 = new RecordingHandler();
    RecordingHandler h3 = new RecordingHandler();
    GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0), h1);
    GrpcPeerTransport t2 = fixture.start(fixture.config(2, 0), h2);
    GrpcPeerTransport t3 = fixture.start(fixture.config(3, 0), h3);
    TransportFixture.connectAll(Map.of(1L, t1, 2L, t2, 3L, t3));
    int n = 500;

    for (long i = 1; i <= n; i++) {
      t1.send(append(1, 2, i, 16));
      t1.send(append(1, 3, i, 16));
      t2.send(append(2, 3, i, 0));
      t3.send(append(3, 1, i, 100));
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(h2.from(1)).hasSize(n);
      assertThat(h3.from(1)).hasSize(n);
      assertThat(h3.from(2)).hasSize(n);
      assertThat(h1.from(3)).hasSize(n);
    });
    List<Long> expected = LongStream.rangeClosed(1, n).boxed().toList();
    assertThat(h2.from(1)).extracting(Message::index).containsExactlyElementsOf(expected);
    assertThat(h3.from(1)).extracting(Message::index).containsExactlyElementsOf(expected);
    assertThat(h3.from(2)).extracting(Message::index).containsExactlyElementsOf(expected);
    assertThat(h1.from(3)).extracting(Message::index).containsExactlyElementsOf(expected);
    Message sample = h1.from(3).get(41);
    assertThat(sample.to()).isEqualTo(1);
    assertThat(sample.entries()).containsExactly(Entry.normal(1, 43, new byte[100]));
    assertThat(sample.context()).containsExactly(42);
    assertThat(h1.unreachable).isEmpty();
  }

  @Test
  void batchesStayUnderTheReceiversMessageLimit() {
    // The smallest allowed limit; 300 messages of 4 KiB need many batches to get through it.
    RecordingHandler h2 = new RecordingHandler();
    RecordingHandler h1 = new RecordingHandler();
    GrpcPeerTransport t2 = fixture.start(fixture.config(2, 0).withSnapshotChunkBytes(16 << 10)
        .withMaxMessageBytes(64 << 10), h2);
    GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0).withSnapshotChunkBytes(16 << 10)
        .withMaxMessageBytes(64 << 10), h1);
    t1.updatePeers(Map.of(2L, TransportFixture.address(t2)));

    for (long i = 1; i <= 300; i++) t1.send(append(1, 2, i, 4096));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h2.messages).hasSize(300));
    assertThat(h2.messages).extracting(Message::index)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
    assertThat(h1.unreachable).isEmpty();
  }

  @Test
  void sendingToADeadPeerNeverBlocksAndReportsDropsOnceTheQueueIsFull() throws Exception {
    RecordingHandler h1 = new RecordingHandler();
    int queueLimit = 100;
    GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0).withPeerQueue(queueLimit, 1 << 20), h1);
    t1.updatePeers(Map.of(2L, "127.0.0.1:" + TransportFixture.closedPort()));
    int burst = 20_000;

    long start = System.nanoTime();
    for (long i = 1; i <= burst; i++) t1.send(append(1, 2, i, 32));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(elapsed).isLessThan(Duration.ofSeconds(1));
    // Nothing can drain to a peer that never becomes ready, so all but the queued ones are dropped.
    assertThat(h1.unreachableCount(2)).isGreaterThanOrEqualTo(burst - queueLimit);
  }

  @Test
  void sendingToAnUnknownPeerReportsItUnreachable() {
    RecordingHandler h1 = new RecordingHandler();
    GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0), h1);

    t1.send(append(1, 9, 1, 0));

    assertThat(h1.unreachableCount(9)).isEqualTo(1);
  }

  @Test
  void reconnectsAfterThePeerRestartsOnTheSamePort() {
    RecordingHandler h1 = new RecordingHandler();
    RecordingHandler h2 = new RecordingHandler();
    GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0), h1);
    GrpcPeerTransport t2 = fixture.start(fixture.config(2, 0), h2);
    int port = t2.port();
    t1.updatePeers(Map.of(2L, TransportFixture.address(t2)));
    t1.send(append(1, 2, 1, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> h2.messages.size() == 1);

    t2.close();
    // The broken stream is noticed and reported, while send() keeps queueing without blocking.
    await().atMost(Duration.ofSeconds(10)).until(() -> h1.unreachableCount(2) > 0);
    RecordingHandler restarted = new RecordingHandler();
    fixture.start(fixture.config(2, port), restarted);

    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      t1.send(append(1, 2, 2, 0));
      assertThat(restarted.messages).isNotEmpty();
    });
    assertThat(restarted.messages).allSatisfy(m -> assertThat(m.index()).isEqualTo(2));
  }

  @Test
  void aRestartedPeerThatConnectsBackEndsTheSendersLongBackOff() {
    RecordingHandler h1 = new RecordingHandler();
    // Back-off 1 s, 2 s, 4 s, ...: without the greeting, the third wait alone outlasts the bound below.
    GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0)
        .withReconnect(Duration.ofSeconds(1), Duration.ofSeconds(30)), h1);
    GrpcPeerTransport t2 = fixture.start(fixture.config(2, 0), new RecordingHandler());
    int port = t2.port();
    t1.updatePeers(Map.of(2L, TransportFixture.address(t2)));
    t2.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> h1.unreachableCount(2) >= 3); // now in the 4 s wait

    RecordingHandler restarted = new RecordingHandler();
    GrpcPeerTransport t2Again = fixture.start(fixture.config(2, port), restarted);
    long restartedAt = System.nanoTime();
    t2Again.updatePeers(Map.of(1L, TransportFixture.address(t1))); // its stream to t1 greets t1
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
      t1.send(append(1, 2, 3, 0));
      assertThat(restarted.messages).isNotEmpty();
    });
    assertThat(Duration.ofNanos(System.nanoTime() - restartedAt)).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void updatePeersRedirectsAndRemovesConnections() {
    RecordingHandler h1 = new RecordingHandler();
    RecordingHandler hA = new RecordingHandler();
    RecordingHandler hB = new RecordingHandler();
    GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0), h1);
    GrpcPeerTransport a = fixture.start(fixture.config(2, 0), hA);
    GrpcPeerTransport b = fixture.start(fixture.config(2, 0), hB);

    t1.updatePeers(Map.of(1L, TransportFixture.address(t1), 2L, TransportFixture.address(a)));
    t1.send(append(1, 2, 1, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> hA.messages.size() == 1);

    t1.updatePeers(Map.of(2L, TransportFixture.address(b)));
    t1.send(append(1, 2, 2, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> hB.messages.size() == 1);
    assertThat(hA.messages).hasSize(1);

    t1.updatePeers(Map.of());
    t1.send(append(1, 2, 3, 0));
    assertThat(h1.unreachableCount(2)).isEqualTo(1);
    assertThat(h1.unreachable).doesNotContainKey(1L);
  }

  @Test
  void outgoingConnectionsComeFromTheConfiguredSourceAddress() throws Exception {
    InetAddress listen = InetAddress.getByName("127.0.0.1");
    try (ServerSocket fakePeer = new ServerSocket(0, 10, listen)) {
      fakePeer.setSoTimeout(10_000);
      GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0).withSourceAddress("127.0.0.3"),
          new RecordingHandler());
      t1.updatePeers(Map.of(2L, "127.0.0.1:" + fakePeer.getLocalPort()));
      t1.send(append(1, 2, 1, 0));

      try (Socket accepted = fakePeer.accept(); InputStream in = accepted.getInputStream()) {
        assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("127.0.0.3");
        assertThat(in.read()).as("the client speaks first (HTTP/2 preface)").isNotNegative();
      }
    }
  }

  @Test
  void closeIsPromptEvenWithOpenStreamsAndAnUnreachablePeer() throws Exception {
    RecordingHandler h2 = new RecordingHandler();
    GrpcPeerTransport t1 = fixture.start(fixture.config(1, 0), new RecordingHandler());
    GrpcPeerTransport t2 = fixture.start(fixture.config(2, 0), h2);
    TransportFixture.connectAll(Map.of(1L, t1, 2L, t2));
    t1.updatePeers(Map.of(2L, TransportFixture.address(t2), 3L, "127.0.0.1:" + TransportFixture.closedPort()));
    t1.send(append(1, 2, 1, 0));
    t2.send(append(2, 1, 1, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> h2.messages.size() == 1);

    long start = System.nanoTime();
    t1.close();
    t2.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    t1.send(append(1, 2, 2, 0)); // after close: silently dropped, no exception
  }
}
