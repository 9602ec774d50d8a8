package io.raftkv.cli;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/** Turns an error answer into the one line the CLI prints: "404 key not found: detail". */
final class ErrorLine {
  private ErrorLine() {}

  static String of(NodeClient.Reply reply) {
    JsonObject body = reply.object();
    StringBuilder line = new StringBuilder().append(reply.status());
    String error = text(body, "error");
    String detail = text(body, "detail");
    line.append(' ').append(error == null ? "error" : error);
    if (detail != null && !detail.isBlank()) {
      line.append(": ").append(detail);
    }
    return line.toString();
  }

  static CliException failure(NodeClient.Reply reply) {
    return new CliException(ExitCodes.forStatus(reply.status()), ErrorLine.of(reply));
  }

  private static String text(JsonObject body, String field) {
    return body.get(field) instanceof JsonString s ? s.getString() : null;
  }
}
