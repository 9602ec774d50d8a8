package io.raftkv.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JvmSignalsTest {

  @Test
  void aHandledSignalReachesTheHandlerWithItsNumberAndTheOldHandlerComesBack() throws Exception {
    AtomicInteger number = new AtomicInteger();
    CountDownLatch received = new CountDownLatch(1);
    Object previous = JvmSignals.handle("HUP", n -> {
      number.set(n);
      received.countDown();
    });
    try {
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(received.await(10, TimeUnit.SECONDS)).as("SIGHUP handled").isTrue();
      assertThat(number.get()).isEqualTo(1);
    } finally {
      JvmSignals.restore("HUP", previous);
    }
  }

  @Test
  void anUnknownSignalIsRefused() {
    assertThatThrownBy(() -> JvmSignals.handle("NOSUCHSIGNAL", n -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
