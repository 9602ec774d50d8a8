package io.raftkv.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docs/operations.md ("Metrics") lists exactly the metrics the node exports, and the example alert
 * rules and Grafana dashboard use only listed names.
 */
class MetricsDocsTest {
  private static final Path ALERTS = Path.of("docs", "alerts.yml");
  private static final Path DASHBOARD = Path.of("docs", "grafana-dashboard.json");
  /** The request timer and counter (MicroProfileRequestMetrics), as Payara prints them. */
  private static final Set<String> API = Set.of("raftkv_api_request_seconds", "raftkv_api_request_seconds_count",
      "raftkv_api_request_seconds_sum", "raftkv_api_request_seconds_max", "raftkv_api_request_seconds_mean",
      "raftkv_api_response_total");

  private static Set<String> exported() {
    FakeNodeMetrics node = new FakeNodeMetrics();
    Set<String> names = new TreeSet<>(API);
    RaftGauges.node(node, () -> 0).forEach(g -> names.add(g.name()));
    RaftGauges.peer(node, 2).forEach(g -> names.add(g.name()));
    return names;
  }

  @Test
  void theDocsListEveryExportedMetricAndNoOther() throws IOException {
    assertThat(MetricsDoc.documentedNames()).containsExactlyInAnyOrderElementsOf(exported());
  }

  @Test
  void alertRulesAreWellFormedAndUseOnlyDocumentedMetrics() throws IOException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Map<String, Object> root = yaml.load(Files.readString(ALERTS));
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : (List<?>) root.get("groups")) rules.addAll(listOfMaps(((Map<?, ?>) group).get("rules")));
    Set<String> alerts = rules.stream().map(r -> (String) r.get("alert")).collect(Collectors.toSet());
    assertThat(alerts).contains("RaftkvNoLeader", "RaftkvApplyLagGrowing", "RaftkvFsyncSlow", "RaftkvDiskNearlyFull");
    for (Map<String, Object> rule : rules) {
      assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
      assertThat((String) rule.get("expr")).contains("raftkv_");
      assertThat(((Map<?, ?>) rule.get("annotations")).get("summary")).as("summary of %s", rule.get("alert")).isNotNull();
    }
    assertThat(MetricsDoc.namesMentionedIn(ALERTS)).isNotEmpty().isSubsetOf(MetricsDoc.documentedNames());
  }

  @Test
  void theDashboardIsValidJsonWhosePanelsQueryOnlyDocumentedMetrics() throws IOException {
    JsonObject dashboard = Json.createReader(new StringReader(Files.readString(DASHBOARD))).readObject();
    assertThat(dashboard.getString("title")).isEqualTo("raftkv");
    Set<String> queried = new TreeSet<>();
    int panelsWithQueries = 0;
    for (JsonObject panel : dashboard.getJsonArray("panels").getValuesAs(JsonObject.class)) {
      JsonArray targets = panel.getJsonArray("targets");
      if (targets == null) continue;
      panelsWithQueries++;
      for (JsonValue t : targets) {
        String expr = t.asJsonObject().getString("expr");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\braftkv_[a-z_]+").matcher(expr);
        while (m.find()) queried.add(m.group());
      }
    }
    assertThat(panelsWithQueries).isGreaterThanOrEqualTo(10);
    assertThat(queried).isSubsetOf(MetricsDoc.documentedNames())
        .contains("raftkv_leader_id", "raftkv_fsync_seconds_bucket", "raftkv_peer_lag_entries");
    assertThat(MetricsDoc.namesMentionedIn(DASHBOARD)).isSubsetOf(MetricsDoc.documentedNames());
  }

  private static List<Map<String, Object>> listOfMaps(Object value) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<?>) value) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      ((Map<?, ?>) o).forEach((k, v) -> m.put((String) k, v));
      out.add(m);
    }
    return out;
  }
}
