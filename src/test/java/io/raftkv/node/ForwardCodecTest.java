package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.raft.ProposalRejectedException.Reason;
import org.junit.jupiter.api.Test;

class ForwardCodecTest {

  @Test
  void requestsRoundTrip() {
    ForwardCodec.Request r = ForwardCodec.decodeRequest(ForwardCodec.request(ForwardCodec.Kind.TRANSFER, new byte[] {1, 2}));
    assertThat(r.kind()).isEqualTo(ForwardCodec.Kind.TRANSFER);
    assertThat(r.payload()).containsExactly(1, 2);
    assertThatThrownBy(() -> ForwardCodec.decodeRequest(new byte[] {99})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void repliesCarryTheResultOrTheSameKindOfError() {
    assertThat(ForwardCodec.decodeReply(ForwardCodec.ok(new byte[] {9}))).containsExactly(9);
    assertThatThrownBy(() -> ForwardCodec.decodeReply(ForwardCodec.error(new NodeException.NotLeader(3))))
        .isInstanceOfSatisfying(NodeException.NotLeader.class, e -> assertThat(e.leaderHint()).isEqualTo(3));
    assertThatThrownBy(() -> ForwardCodec.decodeReply(ForwardCodec.error(new NodeException.Unavailable("busy", 4))))
        .isInstanceOfSatisfying(NodeException.Unavailable.class, e -> {
          assertThat(e.retryAfterSeconds()).isEqualTo(4);
          assertThat(e).hasMessage("busy");
        });
    assertThatThrownBy(() -> ForwardCodec.decodeReply(ForwardCodec.error(
        new NodeException.Rejected(Reason.CONF_CHANGE_PENDING, "later"))))
        .isInstanceOfSatisfying(NodeException.Rejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONF_CHANGE_PENDING));
    assertThatThrownBy(() -> ForwardCodec.decodeReply(ForwardCodec.error(new NodeException.NotFound("no 7"))))
        .isInstanceOf(NodeException.NotFound.class).hasMessage("no 7");
    // An unexpected failure on the leader after proposing must not be reported as "not written".
    assertThatThrownBy(() -> ForwardCodec.decodeReply(ForwardCodec.error(new IllegalStateException("boom"))))
        .isInstanceOf(NodeException.OutcomeUnknown.class).hasMessageContaining("boom");
  }
}
