package io.raftkv.node;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each member can be reached: peer (gRPC) and advertised HTTP address. Seeded from
 * configuration, extended by the addresses carried in membership-change entries, and stored durably
 * so that a restarted node (whose early log may be compacted) still knows every member.
 * Written on the loop thread; read from any thread.
 */
public final class AddressBook {

  /** One member's addresses; {@code http} is null when unknown. */
  public record Member(String peer, String http) {}

  private final long self;
  private final Map<Long, Member> members = new ConcurrentHashMap<>();

  public AddressBook(long self) {
    this.self = self;
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
    String[] parts = text.split(" ", 2);
    String peer = parts[0].equals("-") ? null : parts[0];
    String http = parts.length < 2 || parts[1].equals("-") ? null : parts[1];
    return new Member(peer, http);
  }

  /**
   * Encodes the whole book as a membership change's context, so every node applying the change
   * (including the new member) learns every address.
   */
  public byte[] encodeContext() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(members.size());
      for (Map.Entry<Long, Member> e : new TreeMap<>(members).entrySet()) {
        out.writeLong(e.getKey());
        out.writeUTF(dash(e.getValue().peer));
        out.writeUTF(dash(e.getValue().http));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a context written by {@link #encodeContext()}; an empty or foreign context yields nothing. */
  public static Map<Long, Member> decodeContext(byte[] context) {
    Map<Long, Member> out = new TreeMap<>();
    if (context.length < 4) return out;
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(context))) {
      int n = in.readInt();
      for (int i = 0; i < n && i < 10_000; i++) {
        long id = in.readLong();
        String peer = in.readUTF();
        String http = in.readUTF();
        out.put(id, new Member(peer.equals("-") ? null : peer, http.equals("-") ? null : http));
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  /** Merges addresses from a membership change; this node's own entry stays as configured. */
  public void merge(Map<Long, Member> learned) {
    learned.forEach((id, m) -> {
      if (id != self) put(id, m.peer, m.http);
    });
  }
}
