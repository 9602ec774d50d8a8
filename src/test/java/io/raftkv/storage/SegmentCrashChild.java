package io.raftkv.storage;

import static io.raftkv.storage.LogFixtures.entries;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.MetaCodec.LogStart;
import java.nio.file.Path;

/**
 * Child-JVM main for {@link SegmentCrashTest}: builds a store, then halts the JVM ({@code Runtime.halt},
 * like SIGKILL: no shutdown hook, no JE close) at one step of a segment creation, removal or truncation.
 * Exits with {@link #HALTED} at the step, 0 if the step was never reached.
 */
public final class SegmentCrashChild {
  static final int HALTED = 77;
  static final StoreOptions SMALL = LogFixtures.SMALL;
  static final int SPAN = 10;
  static final int LEGACY_SPAN = 100;

  private SegmentCrashChild() {}

  /** Arguments: data directory, scenario ({@code remove}, {@code create}, {@code truncate}, {@code legacy}), step, segment first. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String scenario = args[1];
    LogSegments.Step step = LogSegments.Step.valueOf(args[2]);
    long segment = Long.parseLong(args[3]);
    LogSegments.Hook halt = (s, first) -> {
      if (s == step && first == segment) Runtime.getRuntime().halt(HALTED);
    };
    if (scenario.equals("legacy")) {
      LegacyLayout.write(dir, entries(1, 500, 1), new HardState(1, 1, 480),
          new SnapshotMeta(50, 1, ConfState.ofVoters(1L)), new LogStart(50, 1));
    }
    try (JeLogStore store = JeLogStore.open(dir, SMALL, scenario.equals("legacy") ? LEGACY_SPAN : SPAN)) {
      switch (scenario) {
        case "remove" -> {
          store.save(new HardState(1, 1, 95), entries(1, 95, 1), true);
          store.setSegmentHook(halt);
          store.compact(new SnapshotMeta(95, 1, ConfState.ofVoters(1L)), 47);
        }
        case "create" -> {
          store.save(new HardState(1, 1, 25), entries(1, 25, 1), true);
          store.setSegmentHook(halt);
          store.save(new HardState(1, 1, 40), entries(26, 40, 1), true);
        }
        case "truncate" -> {
          store.save(new HardState(1, 1, 10), entries(1, 35, 1), true);
          store.setWriteHook(index -> {
            if (index == segment) Runtime.getRuntime().halt(HALTED);
          });
          store.save(new HardState(2, 2, 10), entries(12, 20, 2), true);
        }
        case "legacy" -> {
          store.save(null, entries(501, 650, 1), true);
          store.setSegmentHook(halt);
          store.compact(new SnapshotMeta(640, 1, ConfState.ofVoters(1L)), 600);
        }
        default -> throw new IllegalArgumentException(scenario);
      }
      store.segmentFirsts(); // waits for the trimmer: the step may come on its thread
    }
  }
}
