package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TortureReportTest {

  @Test
  void operationsAreAttributedToTheFaultsInProgressWhenTheyStarted() throws Exception {
    FaultLog log = new FaultLog();
    long before = System.currentTimeMillis() - 1;
    FaultLog.Window kill = log.open("kill9", "node 1");
    FaultLog.Window pause = log.open("pause", "node 2");
    long during = System.currentTimeMillis();
    Thread.sleep(5);
    kill.close();
    pause.close();
    Thread.sleep(5);
    long after = System.currentTimeMillis();

    assertThat(log.label(before)).isEqualTo(FaultLog.NONE);
    assertThat(log.label(during)).isEqualTo("kill9+pause");
    assertThat(log.label(after)).isEqualTo(FaultLog.NONE);

    TortureReport report = new TortureReport(List.of(
        new TortureClients.Attempted(before, before + 1, true, 1),
        new TortureClients.Attempted(during, during + 1, false, 3),
        new TortureClients.Attempted(during, during + 2, true, 2),
        new TortureClients.Attempted(after, after + 1, true, 1)), log);

    assertThat(report.overall()).isEqualTo(new TortureReport.Tally(3, 4));
    assertThat(report.byFault()).containsEntry("none", new TortureReport.Tally(2, 2))
        .containsEntry("kill9+pause", new TortureReport.Tally(1, 2)).hasSize(2);
    assertThat(report.episodes()).containsEntry("kill9", 1).containsEntry("pause", 1);
    assertThat(report.text()).contains("4, succeeded 3 (75.0%)").contains("kill9+pause");
  }

  @Test
  void timelineCountsOkAndFailedPerSecondAndDrawsThem(@TempDir Path dir) throws Exception {
    FaultLog log = new FaultLog();
    long t0 = 1_000_000L;
    TortureReport report = new TortureReport(List.of(
        new TortureClients.Attempted(t0, t0 + 10, true, 1),
        new TortureClients.Attempted(t0 + 500, t0 + 600, false, 1),
        new TortureClients.Attempted(t0 + 2100, t0 + 2200, true, 1)), log);

    long[][] perSecond = report.perSecond();
    assertThat(perSecond).hasDimensions(3, 2);
    assertThat(perSecond[0]).containsExactly(1, 1);
    assertThat(perSecond[1]).containsExactly(0, 0);
    assertThat(perSecond[2]).containsExactly(1, 0);

    report.writeTimeline(dir);
    assertThat(Files.readAllLines(dir.resolve("timeline.csv")))
        .containsExactly("second,ok,failed,faults", "0,1,1,none", "1,0,0,none", "2,1,0,none");
    assertThat(Files.readString(dir.resolve("timeline.svg"))).startsWith("<svg").contains("fill=\"#d22\"").endsWith("</svg>\n");
  }

  @Test
  void argumentsAreValidated() {
    TortureMain.Args args = TortureMain.parse(new String[] {"60", "--nodes=5", "--seed=7", "--faults=kill9,one-way"});
    assertThat(args.seconds()).isEqualTo(60);
    assertThat(args.nodes()).isEqualTo(5);
    assertThat(args.seed()).isEqualTo(7);
    assertThat(args.faults()).containsExactly("kill9", "one-way");
    assertThat(args.out().toString()).endsWith("target/torture/run-7");

    assertThatThrownBy(() -> TortureMain.parse(new String[] {"x"})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TortureMain.parse(new String[] {"60", "--nodes=4"})).hasMessageContaining("--nodes=4");
    assertThatThrownBy(() -> TortureMain.parse(new String[] {"60", "--faults=meteor"})).hasMessageContaining("meteor");
  }
}
