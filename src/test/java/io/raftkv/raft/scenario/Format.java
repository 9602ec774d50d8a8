package io.raftkv.raft.scenario;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import io.raftkv.raft.HardState;
import io.raftkv.raft.ReadState;
import io.raftkv.raft.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/** Compact, stable text for the records the scenarios print. */
final class Format {

  private Format() {}

  /** {@code index/term "data"}, {@code index/term no-op} or {@code index/term CONF_CHANGE ADD_VOTER 4}. */
  static String entry(Entry e) {
    String head = e.index() + "/" + e.term() + " ";
    if (e.type() == EntryType.CONF_CHANGE) return head + "CONF_CHANGE " + confChange(e.data());
    if (e.data().length == 0) return head + "no-op";
    return head + "\"" + text(e.data()) + "\"";
  }

  private static String confChange(byte[] data) {
    try {
      return ConfChange.decode(data).toString();
    } catch (IllegalArgumentException e) {
      return "<malformed " + data.length + "B>";
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String hardState(HardState hs) {
    return "term=" + hs.term() + " vote=" + hs.vote() + " commit=" + hs.commit();
  }

  static String conf(ConfState conf) {
    return "voters=" + new TreeSet<>(conf.voters()) + " learners=" + new TreeSet<>(conf.learners());
  }

  static String snapshot(SnapshotMeta meta) {
    return meta.index() + "/" + meta.term() + " " + conf(meta.conf());
  }

  static String readState(ReadState rs) {
    return "index=" + rs.index() + " ctx=" + text(rs.context());
  }
}
