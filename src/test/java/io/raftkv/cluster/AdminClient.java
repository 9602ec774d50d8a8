package io.raftkv.cluster;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The membership and status endpoints ({@code /cluster...}) of one node, for the membership and
 * snapshot tests: {@link #stats} parses the storage figures that {@link HttpKvClient} leaves out.
 */
final class AdminClient {
  /** An HTTP answer: status 0 when none came. */
  record Answer(int status, String body) {
    boolean ok() {
      return status == 200;
    }
  }

  /** One member as a node lists it. */
  record Member(long id, String role, String peer, String http) {}

  /** A node's {@code GET /cluster}: its view plus its own storage figures. */
  record NodeStats(long self, Long leader, long term, long commitIndex, long appliedIndex, long snapshotIndex,
      String membership, long logFirstIndex, long logLastIndex, long logEntries, long snapshotsInstalled,
      long dataBytes, List<Member> members) {

    List<Long> voters() {
      return members.stream().filter(m -> !m.role().equals("learner")).map(Member::id).sorted().toList();
    }
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofMillis(500)).build();

  /** The node's stats, or null if it does not answer 200. */
  NodeStats stats(URI node) {
    Answer a = send(HttpRequest.newBuilder(node.resolve("/cluster")).timeout(Duration.ofSeconds(3)).GET().build());
    return a.ok() ? parse(a.body()) : null;
  }

  Answer addMember(URI via, String body) {
    return send(json(via, "/cluster/members", Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  Answer removeMember(URI via, String id) {
    return send(HttpRequest.newBuilder(via.resolve("/cluster/members/" + id)).timeout(Duration.ofSeconds(60))
        .DELETE().build());
  }

  Answer transferLeader(URI via, String body) {
    return send(json(via, "/cluster/leader", Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpRequest.Builder json(URI via, String path, Duration timeout) {
    return HttpRequest.newBuilder(via.resolve(path)).timeout(timeout).header("Content-Type", "application/json");
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "interrupted");
    }
  }

  static NodeStats parse(String json) {
    JsonObject o;
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      o = reader.readObject();
    }
    List<Member> members = new ArrayList<>();
    for (JsonObject m : o.getJsonArray("members").getValuesAs(JsonObject.class)) {
      members.add(new Member(m.getJsonNumber("id").longValue(), m.getString("role", null),
          m.getString("peer", null), m.getString("http", null)));
    }
    return new NodeStats(num(o, "self"), o.get("leader") instanceof JsonNumber n ? n.longValue() : null,
        num(o, "term"), num(o, "commitIndex"), num(o, "appliedIndex"), num(o, "snapshotIndex"),
        o.getString("membership", null), num(o, "logFirstIndex"), num(o, "logLastIndex"), num(o, "logEntries"),
        num(o, "snapshotsInstalled"), num(o, "dataBytes"), members);
  }

  private static long num(JsonObject o, String name) {
    return o.get(name) instanceof JsonNumber n ? n.longValue() : -1;
  }
}
