package io.raftkv.cli;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** leader show|transfer. */
@Command(
    name = "leader",
    description = "Show the leader, or transfer leadership.",
    subcommands = {LeaderCommand.Show.class, LeaderCommand.Transfer.class})
final class LeaderCommand {

  static void printLeader(CliCommand command, JsonObject view) {
    if (command.output() == Output.json) {
      Output.print(
          command.out(),
          Output.json(Json.createObjectBuilder()
                  .add("leader", view.getOrDefault("leader", jakarta.json.JsonValue.NULL))
                  .add("term", view.getOrDefault("term", jakarta.json.JsonValue.NULL))
                  .build()));
    } else {
      Output.print(command.out(), "leader " + Output.cell(view, "leader") + " (term " + Output.cell(view, "term") + ")");
    }
  }

  @Command(name = "show", description = "The current leader and term (exit 5 if none is known).")
  static final class Show extends CliCommand {
    @Override
    public Integer call() {
      JsonObject view = expectOk(client().send("GET", "/cluster", null));
      printLeader(this, view);
      return Output.number(view, "leader", 0) > 0 ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }
  }

  @Command(name = "transfer", description = "Hand leadership to a voter (the most up to date one if none is given).")
  static final class Transfer extends CliCommand {
    @Parameters(index = "0", arity = "0..1", description = "the target member's id")
    Long to;

    @Override
    public Integer call() {
      JsonObjectBuilder body = Json.createObjectBuilder();
      if (to != null) {
        body.add("to", to);
      }
      JsonObject answer = expectOk(client().send("POST", "/cluster/leader", Output.json(body.build())));
      if (answer.containsKey("leader")) {
        printLeader(this, answer);
      } else {
        printLeader(this, expectOk(client().send("GET", "/cluster", null)));
      }
      return ExitCodes.OK;
    }
  }
}
