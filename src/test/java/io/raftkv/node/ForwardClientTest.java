package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.Message;
import io.raftkv.transport.InboundHandler;
import io.raftkv.transport.PeerTransport;
import io.raftkv.transport.PeerUnavailableException;
import io.raftkv.transport.PeerUnavailableException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How a forwarding failure is reported (issue 14.2): a forwarded write answers 503 ("nothing written")
 * only when it provably never left this node; once it may have reached the leader it is 504.
 */
class ForwardClientTest {

  /** Fails every forward with {@link #reason}. */
  static final class FailingTransport implements PeerTransport {
    Reason reason;

    @Override public void start(InboundHandler handler) { }
    @Override public void updatePeers(Map<Long, String> peers) { }
    @Override public void send(Message m) { }
    @Override public void sendSnapshot(Message m, Path file, Consumer<Boolean> done) { done.accept(false); }
    @Override public CompletableFuture<byte[]> forward(long leader, byte[] request, Duration timeout) {
      return CompletableFuture.failedFuture(new PeerUnavailableException(leader, reason, "test", null));
    }
    @Override public void close() { }
  }

  /** What the client is told when no retry helps: the verdict carried by {@link ForwardClient.Unreachable}. */
  private static Throwable verdictOf(CompletableFuture<?> f) throws Exception {
    Throwable failure = f.handle((v, e) -> NodeException.unwrap(e)).get(5, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(ForwardClient.Unreachable.class);
    return ((ForwardClient.Unreachable) failure).verdict();
  }

  @Test
  void aForwardedWriteIs503OnlyWhenItNeverLeftThisNode() throws Exception {
    FailingTransport transport = new FailingTransport();
    ForwardClient client = new ForwardClient(transport, 1000);
    for (Reason r : new Reason[] {Reason.CANCELLED, Reason.TIMEOUT, Reason.UNREACHABLE}) {
      transport.reason = r;
      assertThat(verdictOf(client.proposeVia(1, new byte[] {1}, Duration.ofSeconds(1)))).as(r.name())
          .isInstanceOf(NodeException.OutcomeUnknown.class);
    }
    for (Reason r : new Reason[] {Reason.CLOSED, Reason.UNKNOWN_PEER}) {
      transport.reason = r;
      assertThat(verdictOf(client.proposeVia(1, new byte[] {1}, Duration.ofSeconds(1)))).as(r.name())
          .isInstanceOf(NodeException.Unavailable.class);
    }
  }
}
