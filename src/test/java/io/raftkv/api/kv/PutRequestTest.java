package io.raftkv.api.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.RequestBodies;
import io.raftkv.kv.Condition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PutRequestTest {

  private static final ApiLimits LIMITS = new ApiLimits(16, 10, 100);

  private static PutRequest parse(String json) {
    return PutRequest.parse(RequestBodies.parseObject(json.getBytes(StandardCharsets.UTF_8)), LIMITS);
  }

  private static void assertRejected(String json, int status, String detailPart) {
    assertThatThrownBy(() -> parse(json)).as(json)
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(status);
          assertThat(e.detail()).contains(detailPart);
        });
  }

  @Test
  void aTtlIsWholeSecondsFromOneToAYearAndAbsentMeansNone() {
    assertThat(parse("{\"value\":\"v\",\"ttl\":30}")).isEqualTo(new PutRequest("v", Condition.NONE, 30));
    assertThat(parse("{\"value\":\"v\",\"ttl\":31536000,\"prevRevision\":3}"))
        .isEqualTo(new PutRequest("v", Condition.modRevision(3), 31_536_000));
    assertThat(parse("{\"value\":\"v\"}").ttlSeconds()).isZero();
    assertThat(parse("{\"value\":\"v\",\"ttl\":null}").ttlSeconds()).isZero(); // null is absent, as for every field
    for (String bad : List.of("0", "-1", "1.5", "\"30\"", "31536001", "1e30", "true")) {
      assertRejected("{\"value\":\"v\",\"ttl\":" + bad + "}", 400, "'ttl' must be a whole number of seconds from 1 to 31536000");
    }
  }

  @Test
  void aPlainValueIsAnUnconditionalPut() {
    assertThat(parse("{\"value\":\"bar\"}")).isEqualTo(new PutRequest("bar", Condition.NONE));
    assertThat(parse("{\"value\":\"\"}").value()).isEmpty();
  }

  @Test
  void eachPreconditionMapsToItsCondition() {
    assertThat(parse("{\"value\":\"b\",\"prevRevision\":7}").condition()).isEqualTo(Condition.modRevision(7));
    assertThat(parse("{\"value\":\"b\",\"prevValue\":\"a\"}").condition()).isEqualTo(Condition.valueEquals("a"));
    assertThat(parse("{\"value\":\"b\",\"prevExist\":false}").condition()).isEqualTo(Condition.absent());
    assertThat(parse("{\"value\":\"b\",\"prevRevision\":null}").condition()).isEqualTo(Condition.NONE);
  }

  @Test
  void valueMustBePresentAndAString() {
    assertRejected("{}", 400, "'value' is required");
    assertRejected("{\"value\":null}", 400, "'value' is required");
    assertRejected("{\"value\":42}", 400, "'value' must be a string");
    assertRejected("{\"value\":{\"a\":1}}", 400, "'value' must be a string");
    assertRejected("{\"value\":true}", 400, "'value' must be a string");
  }

  @Test
  void unknownFieldsAreRejectedSoATypoCannotDropAPrecondition() {
    assertRejected("{\"value\":\"b\",\"prevRevison\":3}", 400, "prevRevison");
  }

  @Test
  void badPreconditionsAre400() {
    assertRejected("{\"value\":\"b\",\"prevRevision\":0}", 400, "prevRevision");
    assertRejected("{\"value\":\"b\",\"prevRevision\":1.5}", 400, "prevRevision");
    assertRejected("{\"value\":\"b\",\"prevRevision\":\"7\"}", 400, "prevRevision");
    assertRejected("{\"value\":\"b\",\"prevRevision\":99999999999999999999}", 400, "prevRevision");
    assertRejected("{\"value\":\"b\",\"prevExist\":\"no\"}", 400, "prevExist");
    assertRejected("{\"value\":\"b\",\"prevExist\":true}", 400, "not supported");
    assertRejected("{\"value\":\"b\",\"prevRevision\":3,\"prevValue\":\"a\"}", 400, "at most one");
  }

  @Test
  void aValueOverTheLimitIs413CountingUtf8Bytes() {
    assertThat(parse("{\"value\":\"0123456789\"}").value()).hasSize(10);
    assertRejected("{\"value\":\"01234567890\"}", 413, "11 bytes");
    // four characters, twelve bytes in UTF-8
    assertRejected("{\"value\":\"\u20ac\u20ac\u20ac\u20ac\"}", 413, "12 bytes");
    assertRejected("{\"value\":\"b\",\"prevValue\":\"01234567890\"}", 413, "11 bytes");
  }

  @Test
  void unpairedSurrogatesInValueOrPrevValueAre400() {
    assertRejected("{\"value\":\"\\ud800\"}", 400, "'value' is not valid Unicode");
    assertRejected("{\"value\":\"a\\udfff\"}", 400, "unpaired surrogate at char 1");
    assertRejected("{\"value\":\"b\",\"prevValue\":\"\\udc00x\"}", 400, "'prevValue' is not valid Unicode");
    assertThat(parse("{\"value\":\"\\ud83d\\ude00\"}").value()).isEqualTo("\ud83d\ude00");
  }
}
