package io.raftkv.cli;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** members list|add|remove (docs/api.md "Cluster"). */
@Command(
    name = "members",
    description = "List, add or remove cluster members.",
    subcommands = {MembersCommand.ListMembers.class, MembersCommand.Add.class, MembersCommand.Remove.class})
final class MembersCommand {

  static void printMembers(CliCommand command, JsonObject view) {
    if (command.output() == Output.json) {
      Output.print(command.out(), Output.json(view.getJsonArray("members")));
      return;
    }
    Table table = new Table(List.of("ID", "ROLE", "PEER", "HTTP"));
    JsonArray members = view.containsKey("members") ? view.getJsonArray("members") : JsonValue.EMPTY_JSON_ARRAY;
    for (JsonValue member : members) {
      JsonObject m = member.asJsonObject();
      table.row(List.of(Output.cell(m, "id"), Output.cell(m, "role"), Output.cell(m, "peer"), Output.cell(m, "http")));
    }
    Output.print(command.out(), table.render());
  }

  @Command(name = "list", description = "The members and their roles, as the answering node sees them.")
  static final class ListMembers extends CliCommand {
    @Override
    public Integer call() {
      printMembers(this, expectOk(client().send("GET", "/cluster", null)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "add", description = "Add a member (a learner, promoted once caught up).")
  static final class Add extends CliCommand {
    @Parameters(index = "0", description = "the new member's id (>= 1)")
    long id;

    @Option(names = "--peer", required = true, description = "its Raft peer address host:port")
    String peer;

    @Option(names = "--http", description = "its HTTP address host:port")
    String http;

    @Override
    public Integer call() {
      JsonObjectBuilder body = Json.createObjectBuilder().add("id", id).add("peer", peer);
      if (http != null) {
        body.add("http", http);
      }
      printMembers(this, expectOk(client().send("POST", "/cluster/members", Output.json(body.build()))));
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", description = "Remove a member (answers once the removal is committed).")
  static final class Remove extends CliCommand {
    @Parameters(index = "0", description = "the member's id")
    long id;

    @Override
    public Integer call() {
      JsonObject answer = expectOk(client().send("DELETE", "/cluster/members/" + id, null));
      if (answer.containsKey("members")) {
        printMembers(this, answer);
      } else {
        Output.print(out(), output() == Output.json ? Output.json(answer) : "removed " + id);
      }
      return ExitCodes.OK;
    }
  }
}
