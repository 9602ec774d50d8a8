package io.raftkv.raft.scenario;

import io.raftkv.raft.Message;
import io.raftkv.raft.Ready;
import java.util.List;

/** Prints the non-empty parts of a Ready, indented under the "> N handling Ready" header. */
final class ReadyPrinter {

  private ReadyPrinter() {}

  static void print(Ready rd, List<String> out) {
    if (rd.softState() != null) {
      out.add("  soft state: role=" + rd.softState().role() + " leader=" + rd.softState().leader());
    }
    if (rd.hardState() != null) out.add("  hard state: " + Format.hardState(rd.hardState()));
    if (rd.confState() != null) out.add("  conf: " + Format.conf(rd.confState()));
    if (rd.snapshot() != null) out.add("  install snapshot: " + Format.snapshot(rd.snapshot()));
    section(out, "entries:", rd.entries().stream().map(Format::entry).toList());
    section(out, "messages:", rd.messages().stream().map(Message::toString).toList());
    section(out, "committed:", rd.committedEntries().stream().map(Format::entry).toList());
    section(out, "read states:", rd.readStates().stream().map(Format::readState).toList());
  }

  private static void section(List<String> out, String title, List<String> lines) {
    if (lines.isEmpty()) return;
    out.add("  " + title);
    for (String line : lines) out.add("    " + line);
  }
}
