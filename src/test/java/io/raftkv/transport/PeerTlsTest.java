package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS on the peer port: only holders of a certificate from the cluster CA get through. */
class PeerTlsTest {
  @TempDir Path dir;
  private TransportFixture fixture;
  private TestCertificates certs;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new TransportFixture(dir);
    certs = new TestCertificates(dir);
    certs.authority("cluster");
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private static Message heartbeat(long from, long to, long commit) {
    return Message.builder(MessageType.HEARTBEAT, from, to, 1).commit(commit).build();
  }

  private GrpcPeerTransport start(long id, PeerTls tls, RecordingHandler handler) {
    TransportConfig config = fixture.config(id, 0);
    return fixture.start(tls == null ? config : config.withTls(tls), handler);
  }

  /** Sends from {@code from} to {@code to} for a while, so reconnect attempts get their chance. */
  private static void sendFor(GrpcPeerTransport from, long fromId, long toId, Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    for (long i = 1; System.nanoTime() < end && i < 1_000; i++) {
      from.send(heartbeat(fromId, toId, i));
      Thread.sleep(20);
    }
  }

  @Test
  void nodesWithCertificatesFromTheClusterCaExchangeMessages() throws Exception {
    RecordingHandler h1 = new RecordingHandler();
    RecordingHandler h2 = new RecordingHandler();
    GrpcPeerTransport t1 = start(1, certs.node("node1", "cluster", "cluster"), h1);
    GrpcPeerTransport t2 = start(2, certs.node("node2", "cluster", "cluster"), h2);
    TransportFixture.connectAll(Map.of(1L, t1, 2L, t2));

    t1.send(heartbeat(1, 2, 7));
    t2.send(heartbeat(2, 1, 9));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(h2.from(1)).extracting(Message::commit).contains(7L);
      assertThat(h1.from(2)).extracting(Message::commit).contains(9L);
    });
  }

  @Test
  void aPeerWithACertificateFromAnotherCaOrWithoutTlsCannotDeliverAnything() throws Exception {
    certs.authority("foreign");
    RecordingHandler member = new RecordingHandler();
    GrpcPeerTransport secured = start(1, certs.node("node1", "cluster", "cluster"), member);
    // The intruder trusts the cluster CA (it could have downloaded it) but its own certificate is not
    // signed by it.
    GrpcPeerTransport foreign = start(2, certs.node("intruder", "foreign", "cluster"), new RecordingHandler());
    GrpcPeerTransport plaintext = start(3, null, new RecordingHandler());
    GrpcPeerTransport legitimate = start(4, certs.node("node4", "cluster", "cluster"), new RecordingHandler());
    Map<Long, String> toSecured = Map.of(1L, TransportFixture.address(secured));
    foreign.updatePeers(toSecured);
    plaintext.updatePeers(toSecured);
    legitimate.updatePeers(toSecured);

    sendFor(foreign, 2, 1, Duration.ofSeconds(2));
    sendFor(plaintext, 3, 1, Duration.ofSeconds(1));
    legitimate.send(heartbeat(4, 1, 42));

    // The legitimate member's message proves the node was listening and serving all along.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(member.from(4)).extracting(Message::commit).contains(42L));
    assertThat(member.from(2)).isEmpty();
    assertThat(member.from(3)).isEmpty();
  }

  @Test
  void unreadableTlsFilesAreReportedOneByOne() {
    PeerTls missing = new PeerTls(dir.resolve("no.pem"), dir.resolve("no.key"), dir.resolve("cluster").resolve("ca.pem"));
    assertThat(missing.problems()).hasSize(2).allMatch(p -> p.contains("does not exist or is not readable"));
  }
}
