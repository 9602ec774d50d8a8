package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.transport.proto.RaftConfState;
import io.raftkv.transport.proto.RaftEntry;
import io.raftkv.transport.proto.RaftMessage;
import io.raftkv.transport.proto.RaftMessageType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  /** Encodes to wire bytes and back, as a real peer would see it. */
  private static Message roundTrip(Message m) throws InvalidProtocolBufferException {
    byte[] wire = MessageCodec.toProto(m).toByteArray();
    return MessageCodec.fromProto(RaftMessage.parseFrom(wire));
  }

  private static void assertSameMessage(Message actual, Message expected) {
    // Record equality compares the context array by identity, so compare field by field.
    assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    assertThat(actual.context()).isEqualTo(expected.context());
    assertThat(actual.entries()).containsExactlyElementsOf(expected.entries());
  }

  @ParameterizedTest
  @EnumSource(value = MessageType.class, mode = EnumSource.Mode.EXCLUDE, names = {"HUP", "UNREACHABLE", "SNAPSHOT_STATUS"})
  void everyTypeWithEveryFieldSurvivesTheWire(MessageType type) throws Exception {
    Message m = Message.builder(type, 3, 7, 42)
        .logTerm(41).index(1_000_000_007L).commit(999).reject(true).rejectHint(123_456)
        .entries(List.of(Entry.normal(41, 1_000_000_008L, "put a=b".getBytes(StandardCharsets.UTF_8)),
            new Entry(42, 1_000_000_009L, EntryType.CONF_CHANGE, new byte[] {1, 2, 3}),
            Entry.normal(42, 1_000_000_010L, new byte[0])))
        .snapshot(new SnapshotMeta(77, 5, new ConfState(Set.of(1L, 2L, 3L), Set.of(9L))))
        .context(new byte[] {0, -1, 127, -128})
        .build();

    assertSameMessage(roundTrip(m), m);
  }

  @Test
  void extremeValuesAreKept() throws Exception {
    Message m = Message.builder(MessageType.APPEND, Long.MAX_VALUE, 1, Long.MAX_VALUE)
        .logTerm(Long.MAX_VALUE).index(Long.MAX_VALUE).commit(Long.MAX_VALUE).rejectHint(Long.MAX_VALUE)
        .entries(List.of(new Entry(Long.MAX_VALUE, Long.MAX_VALUE, EntryType.NORMAL, new byte[] {5})))
        .build();

    assertSameMessage(roundTrip(m), m);
  }

  @Test
  void emptyMessageStaysEmpty() throws Exception {
    Message m = Message.builder(MessageType.HEARTBEAT, 1, 2, 0).build();

    Message back = roundTrip(m);

    assertSameMessage(back, m);
    assertThat(back.snapshot()).isSameAs(SnapshotMeta.EMPTY);
    assertThat(back.entries()).isEmpty();
    assertThat(back.context()).isEmpty();
    assertThat(MessageCodec.toProto(m).hasSnapshot()).isFalse();
  }

  @Test
  void snapshotWithMembershipButIndexZeroIsNotMistakenForEmpty() throws Exception {
    Message m = Message.builder(MessageType.SNAPSHOT, 1, 2, 3)
        .snapshot(new SnapshotMeta(0, 0, ConfState.ofVoters(1L, 2L)))
        .build();

    assertSameMessage(roundTrip(m), m);
  }

  @Test
  void largeEntryListKeepsOrderAndBytes() throws Exception {
    List<Entry> entries = new ArrayList<>();
    for (int i = 1; i <= 20_000; i++) {
      byte[] data = new byte[i % 97];
      for (int j = 0; j < data.length; j++) data[j] = (byte) (i * 31 + j);
      entries.add(new Entry(i / 1000 + 1, i, i % 50 == 0 ? EntryType.CONF_CHANGE : EntryType.NORMAL, data));
    }
    Message m = Message.builder(MessageType.APPEND, 1, 2, 21).index(0).logTerm(0).commit(19_999)
        .entries(entries).build();

    Message back = roundTrip(m);

    assertThat(back.entries()).hasSize(20_000).containsExactlyElementsOf(entries);
    assertThat(back.entryBytes()).isEqualTo(m.entryBytes());
  }

  @Test
  void membershipEncodingIsDeterministic() {
    ConfState a = new ConfState(Set.of(5L, 1L, 3L), Set.of(8L, 7L));
    ConfState b = new ConfState(Set.of(3L, 5L, 1L), Set.of(7L, 8L));

    assertThat(MessageCodec.toProto(a).toByteArray()).isEqualTo(MessageCodec.toProto(b).toByteArray());
    assertThat(MessageCodec.toProto(a).getVotersList()).containsExactly(1L, 3L, 5L);
  }

  @Test
  void missingMessageTypeIsRejected() {
    RaftMessage noType = RaftMessage.newBuilder().setFrom(1).setTo(2).build();

    assertThatThrownBy(() -> MessageCodec.fromProto(noType))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message type");
  }

  @Test
  void unknownEnumNumberIsRejected() {
    RaftMessage future = RaftMessage.newBuilder().setTypeValue(99).build();
    RaftEntry futureEntry = RaftEntry.newBuilder().setTypeValue(42).setIndex(1).build();

    assertThatThrownBy(() -> MessageCodec.fromProto(future)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageCodec.fromProto(futureEntry))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry type");
  }

  @Test
  void duplicateMemberIdsAreRejectedRatherThanSilentlyMerged() {
    RaftConfState dup = RaftConfState.newBuilder().addVoters(1).addVoters(1).build();

    assertThatThrownBy(() -> MessageCodec.fromProto(dup)).hasMessageContaining("duplicate voter");
  }

  @Test
  void localMessagesNeverGoOnTheWire() {
    for (MessageType t : MessageType.LOCAL) {
      assertThatThrownBy(() -> MessageCodec.toProto(Message.builder(t, 1, 2, 0).build()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("local");
    }
  }

  @Test
  void everyCoreMessageTypeHasAWireType() {
    for (MessageType t : MessageType.values()) {
      if (t.isLocal()) continue;
      assertThat(MessageCodec.toProto(Message.builder(t, 1, 2, 1).build()).getType())
          .isNotEqualTo(RaftMessageType.MESSAGE_TYPE_UNSPECIFIED)
          .extracting(Enum::name).isEqualTo(t.name());
    }
  }
}
