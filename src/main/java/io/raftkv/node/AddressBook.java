package io.raftkv.node;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each member can be reached: peer (gRPC) and advertised HTTP address. Seeded from
 * configuration, extended by the addresses carried in membership-change entries (and by the replicated
 * book inside snapshots), and stored durably so that a restarted node whose early log was compacted
 * still knows every member.
 * Written on the loop thread; read from any thread.
 */
public final class AddressBook {

  /**
   * The context line of a learner that is to be promoted once caught up (not a permanent learner).
   * Not a number, so readers of the address lines skip it.
   */
  public static final String JOINING_AS_VOTER = "joining-as-voter";

  /** One member's addresses; {@code http} is null when unknown. */
  public record Member(String peer, String http) {}

  private final long self;
  private final Map<Long, Member> members = new ConcurrentHashMap<>();

  public AddressBook(long self) {
    this.self = self;
  }

  /** The node this book belongs to. */
  public long self() {
    return self;
  }

  /** Loads a stored book, then lets configuration override it (an operator may have moved a node). */
  public static AddressBook load(NodeConfig config, Map<Long, String> stored) {
    AddressBook book = new AddressBook(config.nodeId());
    stored.forEach((id, text) -> book.members.put(id, decodeStored(text)));
    config.cluster().members().forEach((id, hp) -> book.put(id, hp.toString(), null));
    config.clusterHttp().members().forEach((id, hp) -> {
      Member m = book.members.get(id);
      book.members.put(id, new Member(m == null ? null : m.peer(), hp.toString()));
    });
    book.put(config.nodeId(), config.peerAddress().toString(),
        config.httpAddress() == null ? null : config.httpAddress().toString());
    return book;
  }

  /** Sets a member's addresses; a null argument keeps what is known. */
  public void put(long id, String peer, String http) {
    Member old = members.get(id);
    members.put(id, new Member(peer != null ? peer : old == null ? null : old.peer,
        http != null ? http : old == null ? null : old.http));
  }

  public void remove(long id) {
    if (id != self) members.remove(id);
  }

  public Member get(long id) {
    return members.get(id);
  }

  public Map<Long, Member> all() {
    return new TreeMap<>(members);
  }

  /** Peer addresses of everyone but this node: what the transport should connect to. */
  public Map<Long, String> peersExceptSelf() {
    Map<Long, String> out = new HashMap<>();
    members.forEach((id, m) -> {
      if (id != self && m.peer != null) out.put(id, m.peer);
    });
    return out;
  }

  /** The form kept by the log store: {@code peer SPACE http} with {@code -} for unknown. */
  public Map<Long, String> toStored() {
    Map<Long, String> out = new HashMap<>();
    members.forEach((id, m) -> out.put(id, dash(m.peer) + " " + dash(m.http)));
    return out;
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  private static Member decodeStored(String text) {
    String firstLine = text.lines().findFirst().orElse("");
    String[] parts = firstLine.split(" ", 2);
    String peer = parts[0].isEmpty() || parts[0].equals("-") ? null : parts[0];
    String http = parts.length < 2 || parts[1].equals("-") ? null : parts[1];
    return new Member(peer, http);
  }

  /**
   * A membership change's context, UTF-8 text: first line the subject's {@code peer SPACE http}, then
   * one line {@code id SPACE peer SPACE http} per other member this node knows. Every node applying the
   * change (the new member included) thus learns every address, even those of the founding members
   * whose bootstrap entries carry none; the state machine keeps the text, so it travels in snapshots.
   * A learner added to become a voter carries the line {@value #JOINING_AS_VOTER}: the intent is then
   * replicated state, so any leader finishes (or rolls back) the promotion (docs/membership.md).
   */
  public byte[] encodeContext(long subject, String peer, String http, boolean joiningAsVoter) {
    StringBuilder sb = new StringBuilder(dash(peer)).append(' ').append(dash(http));
    if (joiningAsVoter) sb.append('\n').append(JOINING_AS_VOTER);
    new TreeMap<>(members).forEach((id, m) -> {
      if (id != subject && m.peer != null) sb.append('\n').append(id).append(' ').append(m.peer).append(' ').append(dash(m.http));
    });
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Whether a context (or the replicated text of a member) marks a learner that joins as a voter. */
  public static boolean marksJoiningAsVoter(String text) {
    return text != null && text.lines().skip(1).anyMatch(JOINING_AS_VOTER::equals);
  }

  /** Learns from a membership change's context (ignored when empty); see {@link #encodeContext}. */
  public void learn(long id, byte[] context) {
    if (context.length > 0) learnText(id, new String(context, StandardCharsets.UTF_8));
  }

  private void learnText(long id, String text) {
    List<String> lines = text.lines().toList();
    if (lines.isEmpty()) return;
    if (id != self) {
      Member m = decodeStored(lines.get(0));
      put(id, m.peer, m.http);
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] parts = line.split(" ", 2);
      try {
        long other = Long.parseLong(parts[0]);
        // Second-hand knowledge never overrides what this node was told directly.
        if (parts.length == 2 && other != self && !members.containsKey(other)) {
          Member m = decodeStored(parts[1]);
          put(other, m.peer, m.http);
        }
      } catch (NumberFormatException e) {
        // not a line this format writes: ignore
      }
    }
  }

  /** Merges a replicated address book (id → stored text), e.g. one restored from a snapshot. */
  public void mergeStored(Map<Long, String> stored) {
    stored.forEach(this::learnText);
  }
}
