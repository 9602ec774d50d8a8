package io.raftkv.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.transport.proto.RaftConfState;
import io.raftkv.transport.proto.RaftEntry;
import io.raftkv.transport.proto.RaftEntryType;
import io.raftkv.transport.proto.RaftMessage;
import io.raftkv.transport.proto.RaftMessageType;
import io.raftkv.transport.proto.RaftSnapshotMeta;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lossless conversion between the Raft core's records and their protobuf mirror in raft.proto. */
public final class MessageCodec {

  // Built by name so that adding a constant on one side without the other fails at class load.
  // Local types (the driver's feedback to its own core) never go on the wire.
  private static final Map<MessageType, RaftMessageType> MESSAGE_TYPES = mapByName(MessageType.class,
      RaftMessageType.class, MessageType.LOCAL);
  private static final Map<RaftMessageType, MessageType> MESSAGE_TYPES_BACK = mapByName(
      RaftMessageType.class, MessageType.class,
      Set.of(RaftMessageType.MESSAGE_TYPE_UNSPECIFIED, RaftMessageType.UNRECOGNIZED));
  private static final Map<EntryType, RaftEntryType> ENTRY_TYPES = mapByName(EntryType.class,
      RaftEntryType.class, Set.of());
  private static final Map<RaftEntryType, EntryType> ENTRY_TYPES_BACK = mapByName(RaftEntryType.class,
      EntryType.class, Set.of(RaftEntryType.ENTRY_TYPE_UNSPECIFIED, RaftEntryType.UNRECOGNIZED));

  private MessageCodec() {}

  public static RaftMessage toProto(Message m) {
    if (m.type().isLocal()) throw new IllegalArgumentException("local message " + m.type() + " never goes on the wire");
    RaftMessage.Builder b = RaftMessage.newBuilder()
        .setType(MESSAGE_TYPES.get(m.type()))
        .setFrom(m.from())
        .setTo(m.to())
        .setTerm(m.term())
        .setLogTerm(m.logTerm())
        .setIndex(m.index())
        .setCommit(m.commit())
        .setReject(m.reject())
        .setRejectHint(m.rejectHint())
        .setContext(wrap(m.context()));
    for (Entry e : m.entries()) b.addEntries(toProto(e));
    if (!m.snapshot().equals(SnapshotMeta.EMPTY)) b.setSnapshot(toProto(m.snapshot()));
    return b.build();
  }

  /** @throws IllegalArgumentException when the proto is not a valid Raft message */
  public static Message fromProto(RaftMessage p) {
    List<Entry> entries = new ArrayList<>(p.getEntriesCount());
    for (RaftEntry e : p.getEntriesList()) entries.add(fromProto(e));
    SnapshotMeta snapshot = p.hasSnapshot() ? fromProto(p.getSnapshot()) : SnapshotMeta.EMPTY;
    return new Message(decode(MESSAGE_TYPES_BACK, p.getType(), "message type"), p.getFrom(), p.getTo(),
        p.getTerm(), p.getLogTerm(), p.getIndex(), entries, p.getCommit(), p.getReject(),
        p.getRejectHint(), snapshot, p.getContext().toByteArray());
  }

  public static RaftEntry toProto(Entry e) {
    return RaftEntry.newBuilder()
        .setTerm(e.term())
        .setIndex(e.index())
        .setType(ENTRY_TYPES.get(e.type()))
        .setData(wrap(e.data()))
        .build();
  }

  public static Entry fromProto(RaftEntry p) {
    return new Entry(p.getTerm(), p.getIndex(), decode(ENTRY_TYPES_BACK, p.getType(), "entry type"),
        p.getData().toByteArray());
  }

  public static RaftSnapshotMeta toProto(SnapshotMeta s) {
    return RaftSnapshotMeta.newBuilder()
        .setIndex(s.index())
        .setTerm(s.term())
        .setConf(toProto(s.conf()))
        .build();
  }

  public static SnapshotMeta fromProto(RaftSnapshotMeta p) {
    ConfState conf = p.hasConf() ? fromProto(p.getConf()) : ConfState.EMPTY;
    return new SnapshotMeta(p.getIndex(), p.getTerm(), conf);
  }

  public static RaftConfState toProto(ConfState c) {
    // Sorted so that equal memberships always encode to equal bytes.
    return RaftConfState.newBuilder()
        .addAllVoters(c.voters().stream().sorted().toList())
        .addAllLearners(c.learners().stream().sorted().toList())
        .build();
  }

  public static ConfState fromProto(RaftConfState p) {
    return new ConfState(uniqueIds(p.getVotersList(), "voter"), uniqueIds(p.getLearnersList(), "learner"));
  }

  private static Set<Long> uniqueIds(List<Long> ids, String what) {
    Set<Long> set = new HashSet<>(ids);
    if (set.size() != ids.size()) throw new IllegalArgumentException("duplicate " + what + " id in " + ids);
    return set;
  }

  /**
   * Wraps without copying: the core treats entry data and contexts as immutable once created, and the
   * proto is serialized before anyone could change the array.
   */
  private static ByteString wrap(byte[] bytes) {
    return bytes.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(bytes);
  }

  private static <A, B> B decode(Map<A, B> map, A value, String what) {
    B b = map.get(value);
    if (b == null) throw new IllegalArgumentException("unknown " + what + ": " + value);
    return b;
  }

  private static <A extends Enum<A>, B extends Enum<B>> Map<A, B> mapByName(Class<A> from, Class<B> to,
      Set<A> unmapped) {
    Map<A, B> map = new EnumMap<>(from);
    for (A a : from.getEnumConstants()) {
      if (!unmapped.contains(a)) map.put(a, Enum.valueOf(to, a.name()));
    }
    return map;
  }
}
