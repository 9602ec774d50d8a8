package io.raftkv.cli;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code bin/raftkv}: the command-line client of a raftkv cluster (docs/cli.md). */
@Command(
    name = "raftkv",
    mixinStandardHelpOptions = true,
    version = "raftkv CLI 1",
    description = "Command-line client of a raftkv cluster.",
    subcommands = {
      KvCommands.Get.class,
      KvCommands.Put.class,
      KvCommands.Del.class,
      KvCommands.Cas.class,
      MembersCommand.class,
      LeaderCommand.class,
      StatusCommand.class,
      BenchCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:the server refused the request",
      "2:bad command line",
      "3:key or member not found (404)",
      "4:compare-and-set failed (412) or membership change in flight (409)",
      "5:no endpoint answered, or the cluster is unavailable (503)",
      "6:a write's outcome is unknown (504): read before retrying"
    })
public final class RaftKvCli {
  @Option(
      names = "--endpoints",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:RAFTKV_ENDPOINTS:-" + Endpoints.DEFAULT + "}",
      description = "Nodes' HTTP base URLs, tried in order (a bare port reuses the host before it). Default: ${DEFAULT-VALUE}")
  String endpoints;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  Output output;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Per-request timeout, e.g. 500ms, 10s (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:RAFTKV_TOKEN}",
      description = "Bearer token for a cluster with tokens on, or @FILE to read it from FILE (default: $RAFTKV_TOKEN)")
  String token;

  @Option(
      names = "--cacert",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:RAFTKV_CACERT}",
      description = "PEM file of the CA to trust for https endpoints (default: $RAFTKV_CACERT, else the JVM's trust store)")
  String cacert;

  NodeClient client() {
    return new NodeClient(Endpoints.parse(endpoints), timeout, Credentials.token(token), Credentials.tls(cacert));
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line; the seam the tests use. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new RaftKvCli());
    commandLine.setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof CliException failure) {
            cmd.getErr().println("raftkv: " + failure.getMessage());
            return failure.exitCode();
          }
          cmd.getErr().println("raftkv: unexpected " + e);
          return ExitCodes.SERVER_ERROR;
        });
    commandLine.setParameterExceptionHandler(
        (e, params) -> {
          String message = e.getMessage();
          if (e.getCause() instanceof CliException failure) {
            message = failure.getMessage();
          }
          e.getCommandLine().getErr().println("raftkv: " + message + " (see --help)");
          return ExitCodes.USAGE;
        });
    return commandLine.execute(args);
  }

  /** Parses 250ms, 10s, 2m into a Duration. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      var matcher = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(value.trim());
      if (!matcher.matches()) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 10s, 2m");
      }
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMinutes(amount);
      };
    }
  }
}
