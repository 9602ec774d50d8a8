package io.raftkv.node;

import io.raftkv.raft.ProposalRejectedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Frames of the follower → leader forwarding RPC (opaque bytes to the transport).
 * Request: 1 byte kind, then the payload. Reply: 1 byte status, then the payload; error statuses turn
 * back into the same {@link NodeException} on the follower.
 */
final class ForwardCodec {
  enum Kind { PROPOSE, ADD_MEMBER, REMOVE_MEMBER, TRANSFER }

  private static final byte OK = 0;
  private static final byte NOT_LEADER = 1;
  private static final byte UNAVAILABLE = 2;
  private static final byte OUTCOME_UNKNOWN = 3;
  private static final byte REJECTED = 4;
  private static final byte NOT_FOUND = 5;

  /** A decoded request: {@code payload} is the command, or the admin arguments. */
  record Request(Kind kind, byte[] payload) {}

  private ForwardCodec() {}

  static byte[] request(Kind kind, byte[] payload) {
    byte[] out = new byte[1 + payload.length];
    out[0] = (byte) kind.ordinal();
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }

  static Request decodeRequest(byte[] frame) {
    if (frame.length < 1 || frame[0] < 0 || frame[0] >= Kind.values().length) {
      throw new IllegalArgumentException("malformed forward request (" + frame.length + " bytes)");
    }
    byte[] payload = new byte[frame.length - 1];
    System.arraycopy(frame, 1, payload, 0, payload.length);
    return new Request(Kind.values()[frame[0]], payload);
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
    return write(out -> {
      if (t instanceof NodeException.NotLeader n) {
        out.writeByte(NOT_LEADER);
        out.writeLong(n.leaderHint());
      } else if (t instanceof NodeException.Unavailable u) {
        out.writeByte(UNAVAILABLE);
        out.writeInt(u.retryAfterSeconds());
        out.writeUTF(u.getMessage());
      } else if (t instanceof NodeException.Rejected r) {
        out.writeByte(REJECTED);
        out.writeByte(r.reason().ordinal());
        out.writeUTF(r.getMessage());
      } else if (t instanceof NodeException.NotFound n) {
        out.writeByte(NOT_FOUND);
        out.writeUTF(n.getMessage());
      } else {
        out.writeByte(OUTCOME_UNKNOWN);
        out.writeUTF(t instanceof NodeException.OutcomeUnknown ? t.getMessage() : "leader failed: " + t);
      }
    });
  }

  /** Returns the result bytes of an OK reply or throws the NodeException the reply carries. */
  static byte[] decodeReply(byte[] frame) {
    if (frame.length < 1) throw new NodeException.OutcomeUnknown("empty reply from the leader");
    if (frame[0] == OK) {
      byte[] result = new byte[frame.length - 1];
      System.arraycopy(frame, 1, result, 0, result.length);
      return result;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame, 1, frame.length - 1))) {
      switch (frame[0]) {
        case NOT_LEADER -> throw new NodeException.NotLeader(in.readLong());
        case UNAVAILABLE -> {
          int retry = in.readInt();
          throw new NodeException.Unavailable(in.readUTF(), retry);
        }
        case REJECTED -> {
          ProposalRejectedException.Reason reason = ProposalRejectedException.Reason.values()[in.readByte()];
          throw new NodeException.Rejected(reason, in.readUTF());
        }
        case NOT_FOUND -> throw new NodeException.NotFound(in.readUTF());
        case OUTCOME_UNKNOWN -> throw new NodeException.OutcomeUnknown(in.readUTF());
        default -> throw new NodeException.OutcomeUnknown("unknown reply status " + frame[0] + " from the leader");
      }
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      throw new NodeException.OutcomeUnknown("malformed reply from the leader");
    }
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
