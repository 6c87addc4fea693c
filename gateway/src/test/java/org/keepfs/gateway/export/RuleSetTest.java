package org.keepfs.gateway.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keepfs.fs123.CacheControl;

class RuleSetTest {
  static RuleSet parse(String json) {
    return RuleSet.parse(json.getBytes(StandardCharsets.UTF_8), CacheControl.maxAge(99));
  }

  @Test
  void firstMatchingRuleWinsAndMatchesTheWholePath() {
    RuleSet r = parse("""
        {"rulesfile-maxage": 5, "cc": "max-age=10",
         "re-rules": [{"re": "a/.*", "cc": "max-age=1"}, {"re": ".*", "cc": "max-age=2"}]}""");
    assertEquals(OptionalLong.of(5), r.maxAgeSeconds());
    assertEquals(1, r.cacheControlFor("a/b").maxAgeOrZero());
    assertEquals(2, r.cacheControlFor("xa/b").maxAgeOrZero(), "full match, not find");
  }

  @Test
  void withoutCcTheInheritedOneApplies() {
    assertEquals(99, parse("{}").cacheControlFor("x").maxAgeOrZero());
    assertTrue(parse("{}").maxAgeSeconds().isEmpty());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{|not valid JSON",
    "[]|JSON object",
    "{\"cc\": 5}|cc must be a string",
    "{\"cc\": \"public\"}|has no max-age",
    "{\"cc\": \"max-age=x\"}|cc:",
    "{\"rulesfile-maxage\": -1}|rulesfile-maxage",
    "{\"rulesfile-maxage\": 1.5}|rulesfile-maxage",
    "{\"re-rules\": {}}|must be an array",
    "{\"re-rules\": [{\"cc\": \"max-age=1\"}]}|re-rules[0]",
    "{\"re-rules\": [{\"re\": \"(\", \"cc\": \"max-age=1\"}]}|not a valid regular expression",
    "{\"re-rules\": [{\"re\": \"x\"}]}|re-rules[0].cc",
    "{\"surprise\": 1}|unknown key 'surprise'",
  })
  void brokenFilesAreRejectedWithTheReason(String json, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
