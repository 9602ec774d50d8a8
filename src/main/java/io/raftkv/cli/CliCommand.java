package io.raftkv.cli;

import jakarta.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every subcommand: reaches the root's shared options and prints answers. */
abstract class CliCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  RaftKvCli root() {
    return (RaftKvCli) spec.root().userObject();
  }

  NodeClient client() {
    return root().client();
  }

  Output output() {
    return root().output;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The body of a successful answer, or the error line as a CliException. */
  static JsonObject expectOk(NodeClient.Reply reply) {
    if (!reply.ok()) {
      throw ErrorLine.failure(reply);
    }
    return reply.object();
  }

  /** Prints an answer as JSON, or as a two-column field/value table. */
  void printObject(JsonObject object, String... fields) {
    if (output() == Output.json) {
      Output.print(out(), Output.json(object));
      return;
    }
    Table table = new Table(java.util.List.of("FIELD", "VALUE"));
    for (String field : fields) {
      if (object.containsKey(field)) {
        table.row(java.util.List.of(field, Output.cell(object, field)));
      }
    }
    Output.print(out(), table.render());
  }
}
