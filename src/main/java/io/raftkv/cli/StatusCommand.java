package io.raftkv.cli;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * status: every member's own view as one table. The member list comes from the first endpoint that
 * answers; each member's row comes from GET /cluster on that member's own HTTP address (storage
 * figures are per node, docs/api.md "Cluster"). Lag is the highest commit index seen minus the
 * member's applied index.
 */
@Command(name = "status", description = "The whole cluster as a table: id, role, term, commit, applied, lag, snapshot, disk.")
final class StatusCommand extends CliCommand {
  static final List<String> HEADER =
      List.of("ID", "ENDPOINT", "ROLE", "TERM", "COMMIT", "APPLIED", "LAG", "SNAPSHOT", "DISK");

  @Override
  public Integer call() {
    NodeClient client = client();
    JsonObject view = expectOk(client.send("GET", "/cluster", null));
    List<NodeRow> rows = new ArrayList<>();
    for (JsonValue member : view.getJsonArray("members")) {
      rows.add(fetch(client, member.asJsonObject()));
    }
    long maxCommit = rows.stream().mapToLong(r -> Output.number(r.view, "commitIndex", 0)).max().orElse(0);
    if (output() == Output.json) {
      JsonArrayBuilder array = Json.createArrayBuilder();
      rows.forEach(r -> array.add(r.toJson(maxCommit)));
      Output.print(out(), Output.json(array.build()));
    } else {
      Table table = new Table(HEADER);
      rows.forEach(r -> table.row(r.cells(maxCommit)));
      Output.print(out(), table.render());
    }
    return rows.stream().allMatch(r -> r.error == null) ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
  }

  private static NodeRow fetch(NodeClient client, JsonObject member) {
    String http = member.containsKey("http") && !member.isNull("http") ? member.getString("http") : null;
    if (http == null) {
      return new NodeRow(member, null, JsonValue.EMPTY_JSON_OBJECT, "no http address");
    }
    URI endpoint = URI.create(http.contains("://") ? http : "http://" + http);
    try {
      NodeClient.Reply reply = client.sendTo(endpoint, "GET", "/cluster", null);
      return reply.ok()
          ? new NodeRow(member, endpoint, reply.object(), null)
          : new NodeRow(member, endpoint, JsonValue.EMPTY_JSON_OBJECT, ErrorLine.of(reply));
    } catch (IOException e) {
      return new NodeRow(member, endpoint, JsonValue.EMPTY_JSON_OBJECT, "unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
    }
  }

  /** One member: as listed, and its own view (empty when it could not be asked). */
  record NodeRow(JsonObject member, URI endpoint, JsonObject view, String error) {
    String role() {
      if (error != null) {
        return error;
      }
      long self = Output.number(view, "self", -1);
      for (JsonValue m : view.getJsonArray("members")) {
        if (Output.number(m.asJsonObject(), "id", -2) == self) {
          return Output.cell(m.asJsonObject(), "role");
        }
      }
      return Output.cell(view, "membership");
    }

    long lag(long maxCommit) {
      return error == null ? maxCommit - Output.number(view, "appliedIndex", maxCommit) : -1;
    }

    List<String> cells(long maxCommit) {
      return List.of(
          Output.cell(member, "id"),
          endpoint == null ? "-" : endpoint.toString(),
          role(),
          Output.cell(view, "term"),
          Output.cell(view, "commitIndex"),
          Output.cell(view, "appliedIndex"),
          error == null ? Long.toString(lag(maxCommit)) : "-",
          Output.cell(view, "snapshotIndex"),
          Output.bytes(Output.number(view, "dataBytes", -1)));
    }

    JsonObject toJson(long maxCommit) {
      var row = Json.createObjectBuilder().add("id", member.get("id")).add("role", role());
      for (String field : List.of("term", "commitIndex", "appliedIndex", "snapshotIndex", "dataBytes")) {
        if (view.containsKey(field)) {
          row.add(field, view.get(field));
        }
      }
      if (error == null) {
        row.add("lag", lag(maxCommit));
      } else {
        row.add("error", error);
      }
      return row.build();
    }
  }
}
