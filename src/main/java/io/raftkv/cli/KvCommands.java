package io.raftkv.cli;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** get, put, del, cas: the key commands (docs/api.md "Keys"). */
final class KvCommands {
  private static final String[] ENTRY_FIELDS = {"key", "value", "revision", "createRevision", "version"};

  private KvCommands() {}

  static String keyPath(String key) {
    if (key.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "the key must not be empty");
    }
    return "/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Command(name = "get", description = "Read a key (prints its value; -o json prints the whole entry).")
  static final class Get extends CliCommand {
    @Parameters(index = "0", description = "the key")
    String key;

    @Option(
        names = "--consistency",
        defaultValue = "linearizable",
        description = "linearizable (default), lease or stale")
    String consistency;

    @Override
    public Integer call() {
      JsonObject entry =
          expectOk(client().send("GET", keyPath(key) + "?consistency=" + consistency, null));
      if (output() == Output.json) {
        Output.print(out(), Output.json(entry));
      } else {
        Output.print(out(), Output.cell(entry, "value"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "put", description = "Write a key.")
  static final class Put extends CliCommand {
    @Parameters(index = "0", description = "the key")
    String key;

    @Parameters(index = "1", description = "the value")
    String value;

    @Override
    public Integer call() {
      String body = Output.json(Json.createObjectBuilder().add("value", value).build());
      printObject(expectOk(client().send("PUT", keyPath(key), body)), ENTRY_FIELDS);
      return ExitCodes.OK;
    }
  }

  @Command(name = "del", description = "Delete a key (exit 3 when it does not exist).")
  static final class Del extends CliCommand {
    @Parameters(index = "0", description = "the key")
    String key;

    @Override
    public Integer call() {
      JsonObject answer = expectOk(client().send("DELETE", keyPath(key), null));
      if (output() == Output.json) {
        Output.print(out(), Output.json(answer));
      } else {
        Output.print(out(), "deleted " + key);
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "cas",
      description = "Compare-and-set: write the key only if exactly one precondition holds (exit 4 if not).")
  static final class Cas extends CliCommand {
    @Parameters(index = "0", description = "the key")
    String key;

    @Parameters(index = "1", description = "the new value")
    String value;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Precondition precondition;

    static final class Precondition {
      @Option(names = "--prev-value", description = "the key's current value must be this")
      String prevValue;

      @Option(names = "--prev-revision", description = "the key's current revision must be this")
      Long prevRevision;

      @Option(names = "--create", description = "the key must not exist yet")
      boolean create;
    }

    @Override
    public Integer call() {
      JsonObjectBuilder body = Json.createObjectBuilder().add("value", value);
      if (precondition.prevValue != null) {
        body.add("prevValue", precondition.prevValue);
      } else if (precondition.prevRevision != null) {
        body.add("prevRevision", precondition.prevRevision);
      } else {
        body.add("prevExist", false);
      }
      printObject(expectOk(client().send("PUT", keyPath(key), Output.json(body.build()))), ENTRY_FIELDS);
      return ExitCodes.OK;
    }
  }
}
