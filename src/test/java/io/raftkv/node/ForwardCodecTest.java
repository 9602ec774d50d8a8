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

  /** The numbers are the wire protocol: changing one breaks a cluster mid-upgrade, so this pins them. */
  @Test
  void wireNumbersArePinnedAndMatchTheProto() {
    java.util.Map<ErrorCode, Integer> pinned = new java.util.LinkedHashMap<>();
    pinned.put(ErrorCode.BAD_REQUEST, 1);
    pinned.put(ErrorCode.NOT_FOUND, 2);
    pinned.put(ErrorCode.CONFLICT, 3);
    pinned.put(ErrorCode.PRECONDITION_FAILED, 4);
    pinned.put(ErrorCode.TOO_LARGE, 5);
    pinned.put(ErrorCode.NOT_LEADER, 6);
    pinned.put(ErrorCode.UNAVAILABLE, 7);
    pinned.put(ErrorCode.OUTCOME_UNKNOWN, 8);
    pinned.put(ErrorCode.INTERNAL, 9);
    pinned.put(ErrorCode.IDEMPOTENCY_MISMATCH, 10);
    assertThat(pinned.keySet()).containsExactlyInAnyOrder(ErrorCode.values());
    pinned.forEach((code, wire) -> {
      assertThat(code.wire()).as(code.name()).isEqualTo(wire);
      assertThat(io.raftkv.transport.proto.ForwardErrorCode.valueOf("FORWARD_" + code.name()).getNumber())
          .as("proto number of " + code).isEqualTo(wire);
      assertThat(ErrorCode.fromWire(wire)).isEqualTo(code);
    });
    assertThat(ErrorCode.fromWire(77)).isEqualTo(ErrorCode.INTERNAL);
    assertThat(ForwardCodec.Kind.PROPOSE.wire).isZero();
    assertThat(ForwardCodec.Kind.ADD_MEMBER.wire).isEqualTo(1);
    assertThat(ForwardCodec.Kind.REMOVE_MEMBER.wire).isEqualTo(2);
    assertThat(ForwardCodec.Kind.TRANSFER.wire).isEqualTo(3);
    assertThat(ForwardCodec.request(ForwardCodec.Kind.REMOVE_MEMBER, new byte[0])).containsExactly(2);
    assertThat(ForwardCodec.error(new NodeException.NotFound("x"))[0]).isEqualTo(ForwardCodec.ERROR);
  }

  @Test
  void everyNodeErrorKeepsItsCodeAcrossTheWire() {
    NodeException[] errors = {new NodeException.NotLeader(2), new NodeException.Unavailable("busy", 3),
        new NodeException.OutcomeUnknown("lost"), new NodeException.NotFound("no 9"),
        new NodeException.Rejected(io.raftkv.raft.ProposalRejectedException.Reason.CONF_CHANGE_PENDING, "busy"),
        new NodeException.Rejected(io.raftkv.raft.ProposalRejectedException.Reason.INVALID, "bad")};
    for (NodeException sent : errors) {
      assertThatThrownBy(() -> ForwardCodec.decodeReply(ForwardCodec.error(sent)))
          .isInstanceOfSatisfying(NodeException.class, got -> {
            assertThat(got.code()).isEqualTo(sent.code());
            assertThat(got.getClass()).isEqualTo(sent.getClass());
          });
    }
  }

  @Test
  void anErrorCodeFromANewerVersionIsAnUnknownOutcomeNotACrash() {
    byte[] body = io.raftkv.transport.proto.ForwardError.newBuilder().setCodeValue(42).setMessage("new").build().toByteArray();
    byte[] frame = new byte[1 + body.length];
    frame[0] = ForwardCodec.ERROR;
    System.arraycopy(body, 0, frame, 1, body.length);
    assertThatThrownBy(() -> ForwardCodec.decodeReply(frame)).isInstanceOf(NodeException.OutcomeUnknown.class);
    assertThatThrownBy(() -> ForwardCodec.decodeReply(new byte[] {ForwardCodec.ERROR, (byte) 0xff}))
        .isInstanceOf(NodeException.OutcomeUnknown.class);
  }
}
