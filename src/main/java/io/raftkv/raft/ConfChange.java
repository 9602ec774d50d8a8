package io.raftkv.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * A single-server membership change. {@code context} is opaque to the core; the application uses it
 * to carry the new member's addresses. Encoded into a {@link EntryType#CONF_CHANGE} entry.
 */
public record ConfChange(Type type, long nodeId, byte[] context) {

  public enum Type { ADD_VOTER, ADD_LEARNER, REMOVE_NODE }

  public ConfChange {
    Objects.requireNonNull(type, "type");
    context = context == null ? new byte[0] : context;
    if (nodeId <= 0) throw new IllegalArgumentException("node id must be positive: " + nodeId);
  }

  /** Layout: 1 byte type ordinal, 8 bytes node id (big-endian), then the context bytes. */
  public byte[] encode() {
    byte[] out = new byte[9 + context.length];
    out[0] = (byte) type.ordinal();
    for (int i = 0; i < 8; i++) out[1 + i] = (byte) (nodeId >>> (56 - 8 * i));
    System.arraycopy(context, 0, out, 9, context.length);
    return out;
  }

  public static ConfChange decode(byte[] data) {
    if (data.length < 9 || data[0] < 0 || data[0] >= Type.values().length) {
      throw new IllegalArgumentException("malformed conf change (" + data.length + " bytes)");
    }
    long id = 0;
    for (int i = 0; i < 8; i++) id = (id << 8) | (data[1 + i] & 0xffL);
    return new ConfChange(Type.values()[data[0]], id, Arrays.copyOfRange(data, 9, data.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfChange c && c.type == type && c.nodeId == nodeId && Arrays.equals(c.context, context);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, nodeId, Arrays.hashCode(context));
  }

  @Override
  public String toString() {
    return type + " " + nodeId;
  }
}
