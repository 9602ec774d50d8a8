package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardTest {
  @TempDir Path dir;
  private TransportFixture fixture;
  private RecordingHandler leaderHandler;
  private GrpcPeerTransport leader;
  private GrpcPeerTransport follower;

  @BeforeEach
  void setUp() {
    fixture = new TransportFixture(dir);
    leaderHandler = new RecordingHandler();
    leader = fixture.start(fixture.config(1, 0), leaderHandler);
    follower = fixture.start(fixture.config(2, 0), new RecordingHandler());
    follower.updatePeers(Map.of(1L, TransportFixture.address(leader)));
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private static PeerUnavailableException unavailable(CompletableFuture<byte[]> f) {
    Throwable cause = assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).actual().getCause();
    assertThat(cause).isInstanceOf(PeerUnavailableException.class);
    return (PeerUnavailableException) cause;
  }

  @Test
  void forwardReturnsTheLeadersReply() throws Exception {
    leaderHandler.forwards = req -> CompletableFuture.supplyAsync(
        () -> ("echo:" + new String(req, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));

    byte[] reply = follower.forward(1, "put x=1".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5))
        .get(10, TimeUnit.SECONDS);

    assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("echo:put x=1");
  }

  @Test
  void largeAndEmptyPayloadsGoThroughIntact() throws Exception {
    leaderHandler.forwards = CompletableFuture::completedFuture;
    byte[] big = new byte[2 << 20];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7);

    assertThat(follower.forward(1, big, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS)).isEqualTo(big);
    assertThat(follower.forward(1, new byte[0], Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void forwardTimesOutWhenTheLeaderNeverAnswers() {
    leaderHandler.forwards = req -> new CompletableFuture<>();
    long start = System.nanoTime();

    PeerUnavailableException e = unavailable(follower.forward(1, new byte[] {1}, Duration.ofMillis(200)));

    assertThat(e.reason()).isEqualTo(PeerUnavailableException.Reason.TIMEOUT);
    assertThat(e.peer()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150),
        Duration.ofSeconds(5));
  }

  @Test
  void handlerFailureComesBackAsForwardFailedWithItsMessage() {
    leaderHandler.forwards = req -> CompletableFuture.failedFuture(new IllegalStateException("not leader"));

    CompletableFuture<byte[]> f = follower.forward(1, new byte[] {1}, Duration.ofSeconds(5));

    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ForwardFailedException.class)
        .hasMessageContaining("IllegalStateException: not leader");
  }

  @Test
  void handlerThatThrowsSynchronouslyIsAlsoReported() {
    leaderHandler.forwards = req -> {
      throw new IllegalArgumentException("bad command");
    };

    CompletableFuture<byte[]> f = follower.forward(1, new byte[] {1}, Duration.ofSeconds(5));

    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ForwardFailedException.class).hasMessageContaining("bad command");
  }

  @Test
  void forwardToUnknownOrDeadPeerFailsFast() throws Exception {
    follower.updatePeers(Map.of(3L, "127.0.0.1:" + TransportFixture.closedPort()));

    assertThat(unavailable(follower.forward(1, new byte[] {1}, Duration.ofSeconds(5))).reason())
        .isEqualTo(PeerUnavailableException.Reason.UNKNOWN_PEER);
    assertThat(unavailable(follower.forward(3, new byte[] {1}, Duration.ofSeconds(5))).reason())
        .isEqualTo(PeerUnavailableException.Reason.UNREACHABLE);
  }

  @Test
  void aForwardInFlightWhenTheLeaderClosesIsNotReportedAsNeverSent() throws Exception {
    CompletableFuture<Void> received = new CompletableFuture<>();
    leaderHandler.forwards = req -> {
      received.complete(null); // the leader has the request and may propose it
      return new CompletableFuture<>();
    };
    CompletableFuture<byte[]> f = follower.forward(1, new byte[] {1}, Duration.ofSeconds(10));
    received.get(10, TimeUnit.SECONDS);
    leader.close();

    assertThat(unavailable(f).reason()).isNotEqualTo(PeerUnavailableException.Reason.CLOSED)
        .isNotEqualTo(PeerUnavailableException.Reason.UNKNOWN_PEER);
  }

  @Test
  void forwardAfterCloseFails() {
    follower.close();

    assertThat(unavailable(follower.forward(1, new byte[] {1}, Duration.ofSeconds(5))).reason())
        .isEqualTo(PeerUnavailableException.Reason.CLOSED);
  }
}
