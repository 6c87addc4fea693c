package org.keepfs.gateway.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.Fs123FormatException;

/**
 * One parsed {@code .fs123_cc_rules} file, exportd's format:
 *
 * <pre>{"rulesfile-maxage": 60, "cc": "max-age=30", "re-rules": [{"re": "\\.log$", "cc": "max-age=5"}]}</pre>
 *
 * Each {@code re} is a regular expression (Java syntax, which agrees with POSIX ERE on the usual
 * constructs) matched against the whole path relative to the export root, without a leading '/';
 * the first match wins, otherwise {@code cc} applies. Every cc must carry a max-age.
 */
public record RuleSet(OptionalLong maxAgeSeconds, CacheControl defaultCacheControl, List<Rule> rules) {
  public static final String FILE_NAME = ".fs123_cc_rules";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYS = Set.of("rulesfile-maxage", "cc", "re-rules");

  public record Rule(Pattern pattern, CacheControl cacheControl) {}

  /** The Cache-Control for a path relative to the export root. */
  public CacheControl cacheControlFor(String relativePath) {
    for (Rule r : rules) {
      if (r.pattern().matcher(relativePath).matches()) {
        return r.cacheControl();
      }
    }
    return defaultCacheControl;
  }

  /**
   * Parses a rules file.
   *
   * @param inherited the Cache-Control that applies when the file has no {@code cc} of its own
   * @throws IllegalArgumentException naming what is wrong
   */
  public static RuleSet parse(byte[] json, CacheControl inherited) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("not readable as JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (expected rulesfile-maxage, cc, re-rules)");
      }
    }
    OptionalLong maxAge = OptionalLong.empty();
    JsonNode m = root.get("rulesfile-maxage");
    if (m != null) {
      if (!m.canConvertToLong() || !m.isIntegralNumber() || m.asLong() < 0) {
        throw new IllegalArgumentException("rulesfile-maxage must be a non-negative integer, is " + m);
      }
      maxAge = OptionalLong.of(m.asLong());
    }
    CacheControl cc = root.has("cc") ? cacheControl(root.get("cc"), "cc") : inherited;
    List<Rule> rules = new ArrayList<>();
    JsonNode rr = root.get("re-rules");
    if (rr != null) {
      if (!rr.isArray()) {
        throw new IllegalArgumentException("re-rules must be an array");
      }
      for (int i = 0; i < rr.size(); i++) {
        JsonNode r = rr.get(i);
        String where = "re-rules[" + i + "]";
        if (!r.isObject() || !r.path("re").isTextual()) {
          throw new IllegalArgumentException(where + " must be an object with a string 're'");
        }
        Pattern p;
        try {
          p = Pattern.compile(r.get("re").asText());
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(where + ".re is not a valid regular expression: " + e.getDescription());
        }
        rules.add(new Rule(p, cacheControl(r.get("cc"), where + ".cc")));
      }
    }
    return new RuleSet(maxAge, cc, List.copyOf(rules));
  }

  private static CacheControl cacheControl(JsonNode node, String where) {
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(where + " must be a string");
    }
    CacheControl cc;
    try {
      cc = CacheControl.parse(node.asText());
    } catch (Fs123FormatException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    if (cc.maxAge().isEmpty()) {
      throw new IllegalArgumentException(where + " '" + node.asText() + "' has no max-age");
    }
    return cc;
  }
}
