package io.raftkv.transport;

import io.raftkv.raft.Message;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** An {@link InboundHandler} that records everything it is given. */
final class RecordingHandler implements InboundHandler {
  record ReceivedSnapshot(Message message, Path file) {}

  final List<Message> messages = new CopyOnWriteArrayList<>();
  final List<ReceivedSnapshot> snapshots = new CopyOnWriteArrayList<>();
  final Map<Long, AtomicInteger> unreachable = new ConcurrentHashMap<>();
  volatile Function<byte[], CompletableFuture<byte[]>> forwards =
      req -> CompletableFuture.failedFuture(new IllegalStateException("no forward handler"));

  @Override
  public void onMessage(Message m) {
    messages.add(m);
  }

  @Override
  public void onSnapshot(Message m, Path file) {
    snapshots.add(new ReceivedSnapshot(m, file));
  }

  @Override
  public CompletableFuture<byte[]> onForward(byte[] request) {
    return forwards.apply(request);
  }

  @Override
  public void onUnreachable(long peer) {
    unreachable.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet();
  }

  int unreachableCount(long peer) {
    AtomicInteger n = unreachable.get(peer);
    return n == null ? 0 : n.get();
  }

  List<Message> from(long sender) {
    return messages.stream().filter(m -> m.from() == sender).toList();
  }
}
