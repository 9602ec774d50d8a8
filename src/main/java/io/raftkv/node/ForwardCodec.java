package io.raftkv.node;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftkv.raft.ProposalRejectedException;
import io.raftkv.transport.proto.ForwardError;
import io.raftkv.transport.proto.ForwardErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Frames of the follower → leader forwarding RPC (opaque bytes to the transport).
 * Request: 1 byte kind ({@link Kind#wire}), then the payload. Reply: 1 byte status, then either the
 * result ({@link #OK}) or a {@code ForwardError} message of proto/raft.proto ({@link #ERROR}) whose
 * explicit {@link ErrorCode} number turns back into the same kind of {@link NodeException} on the
 * follower. Every number here is a protocol constant, never an {@code ordinal()}.
 */
final class ForwardCodec {

  /** What a forwarded request asks of the leader; {@link #wire} is its byte on the wire. */
  enum Kind {
    PROPOSE(0), ADD_MEMBER(1), REMOVE_MEMBER(2), TRANSFER(3);

    final int wire;

    Kind(int wire) {
      this.wire = wire;
    }

    static Kind fromWire(int wire) {
      for (Kind kind : values()) {
        if (kind.wire == wire) return kind;
      }
      throw new IllegalArgumentException("unknown forward request kind " + wire);
    }
  }

  static final byte OK = 0;
  /** Not 1..5: those were the status bytes of the earlier ad-hoc error format. */
  static final byte ERROR = 16;

  /** A decoded request: {@code payload} is the command, or the admin arguments. */
  record Request(Kind kind, byte[] payload) {}

  private ForwardCodec() {}

  static byte[] request(Kind kind, byte[] payload) {
    byte[] out = new byte[1 + payload.length];
    out[0] = (byte) kind.wire;
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }

  static Request decodeRequest(byte[] frame) {
    if (frame.length < 1) {
      throw new IllegalArgumentException("malformed forward request (" + frame.length + " bytes)");
    }
    byte[] payload = new byte[frame.length - 1];
    System.arraycopy(frame, 1, payload, 0, payload.length);
    return new Request(Kind.fromWire(frame[0]), payload);
  }

  static byte[] ok(byte[] result) {
    byte[] out = new byte[1 + result.length];
    out[0] = OK;
    System.arraycopy(result, 0, out, 1, result.length);
    return out;
  }

  /** Encodes a failure so the follower can rethrow the same kind of error. */
  static byte[] error(Throwable failure) {
    Throwable t = NodeException.unwrap(failure);
    ForwardError.Builder error = ForwardError.newBuilder();
    if (t instanceof NodeException n) {
      error.setCodeValue(n.code().wire()).setMessage(n.getMessage());
      if (n instanceof NodeException.NotLeader notLeader) error.setLeaderHint(notLeader.leaderHint());
      if (n instanceof NodeException.Unavailable u) error.setRetryAfterSeconds(Math.max(0, u.retryAfterSeconds()));
    } else {
      // Anything else may have happened after the write was proposed: the follower cannot say it was not.
      error.setCode(ForwardErrorCode.FORWARD_OUTCOME_UNKNOWN).setMessage("leader failed: " + t);
    }
    byte[] body = error.build().toByteArray();
    byte[] out = new byte[1 + body.length];
    out[0] = ERROR;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /** Returns the result bytes of an OK reply or throws the NodeException the reply carries. */
  static byte[] decodeReply(byte[] frame) {
    if (frame.length < 1) throw new NodeException.OutcomeUnknown("empty reply from the leader");
    if (frame[0] == OK) {
      byte[] result = new byte[frame.length - 1];
      System.arraycopy(frame, 1, result, 0, result.length);
      return result;
    }
    if (frame[0] != ERROR) {
      throw new NodeException.OutcomeUnknown("unknown reply status " + frame[0] + " from the leader");
    }
    ForwardError error;
    try {
      error = ForwardError.parseFrom(java.nio.ByteBuffer.wrap(frame, 1, frame.length - 1));
    } catch (InvalidProtocolBufferException e) {
      throw new NodeException.OutcomeUnknown("malformed reply from the leader");
    }
    throw toException(error);
  }

  private static NodeException toException(ForwardError error) {
    String message = error.getMessage();
    return switch (ErrorCode.fromWire(error.getCodeValue())) {
      case NOT_LEADER -> new NodeException.NotLeader(error.getLeaderHint());
      case UNAVAILABLE -> new NodeException.Unavailable(message, Math.max(1, error.getRetryAfterSeconds()));
      case CONFLICT -> new NodeException.Rejected(ProposalRejectedException.Reason.CONF_CHANGE_PENDING, message);
      case BAD_REQUEST -> new NodeException.Rejected(ProposalRejectedException.Reason.INVALID, message);
      case NOT_FOUND -> new NodeException.NotFound(message);
      // The leader never sends these for a forwarded request; none of them proves that nothing was written.
      case OUTCOME_UNKNOWN, PRECONDITION_FAILED, TOO_LARGE, INTERNAL, IDEMPOTENCY_MISMATCH ->
          new NodeException.OutcomeUnknown(message);
    };
  }

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
