package io.horae.statemachine.core.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses Unix cron expressions with cron-utils, and memoizes the results: five fields (minute hour
 * day-of-month month day-of-week), six fields (the same preceded by second), or a nickname.
 *
 * <p>Semantics are cron-utils' UNIX definition: when both day-of-month and day-of-week are
 * restricted, a day matches if either matches. A field counts as unrestricted only when it is
 * {@code *} (or {@code *}{@code /1}); unlike Vixie cron, a stepped star such as {@code *}{@code /2}
 * counts as restricted (robfig/cron and Kubernetes behave like cron-utils here).
 *
 * <p>Thread-safe. The cache only memoizes a pure function, so it cannot change any result.
 */
final class CronExpressions {

  /** Distinct expressions kept parsed; least recently used ones are dropped beyond this. */
  static final int PARSED_CAPACITY = 1024;

  /** Longest expression accepted; also bounds the memory the cache can hold. */
  static final int EXPRESSION_CHARS_MAX = 256;

  /**
   * The UNIX definition of cron-utils 9.2.1 rejects every nickname ("Nicknames not supported!"), so
   * they are mapped here to their Vixie cron five-field meaning. {@code @reboot} has no time.
   */
  private static final Map<String, String> NICKNAMES =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  /** Any start works: cron matches repeat every 400 years (146097 days, whole weeks). */
  private static final LocalDateTime FIRES_EVER_PROBE_START = LocalDateTime.of(2000, 1, 1, 0, 0);

  /** Names of the fields of a five-field expression, in order. */
  private static final List<String> FIELD_NAMES =
      List.of("minute", "hour", "day-of-month", "month", "day-of-week");

  /** Names of the fields of a six-field expression, in order. */
  private static final List<String> SECONDS_FIELD_NAMES =
      List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");

  private static final String FIELDS_EXPECTED =
      "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second, then those"
          + " five)";

  /** Guarded by itself. */
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** Guarded by itself. */
  private static final CronParser SECONDS_PARSER = new CronParser(unixWithSeconds());

  /** Access-ordered LRU. Guarded by itself. */
  private static final Map<String, ParsedCron> PARSED =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParsedCron> eldest) {
          return size() > PARSED_CAPACITY;
        }
      };

  private CronExpressions() {}

  /**
   * Parses {@code expression}.
   *
   * @throws IllegalArgumentException with the reason, if the expression is not valid Unix cron
   */
  static ParsedCron parse(String expression) {
    synchronized (PARSED) {
      ParsedCron cached = PARSED.get(expression);
      if (cached != null) {
        return cached;
      }
    }
    ParsedCron parsed = parseUncached(expression);
    synchronized (PARSED) {
      PARSED.put(expression, parsed);
    }
    return parsed;
  }

  /** Number of expressions currently cached; for tests of the bound. */
  static int cachedCount() {
    synchronized (PARSED) {
      return PARSED.size();
    }
  }

  private static ParsedCron parseUncached(String expression) {
    if (expression.length() > EXPRESSION_CHARS_MAX) {
      throw new IllegalArgumentException(
          "is " + expression.length() + " characters long; at most " + EXPRESSION_CHARS_MAX);
    }
    String stripped = expression.strip();
    if (stripped.isEmpty()) {
      throw new IllegalArgumentException("Empty expression; " + FIELDS_EXPECTED);
    }
    String[] fields = expandNickname(stripped).split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      throw new IllegalArgumentException(
          "contains " + fields.length + " parts; " + FIELDS_EXPECTED);
    }
    ExecutionTime wallTimes;
    try {
      wallTimes = ExecutionTime.forCron(parseFields(fields));
    } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
      // cron-utils reports syntax errors as IllegalArgumentException; the others are defensive.
      throw new IllegalArgumentException(culprit(fields) + reason(e), e);
    }
    boolean firesEver =
        wallTimes.nextExecution(FIRES_EVER_PROBE_START.atZone(ZoneOffset.UTC)).isPresent();
    return new ParsedCron(wallTimes, firesEver);
  }

  private static com.cronutils.model.Cron parseFields(String[] fields) {
    CronParser parser = fields.length == 6 ? SECONDS_PARSER : PARSER;
    synchronized (parser) {
      // CronParser keeps no per-call state as far as we can tell, but it does not promise to be
      // thread-safe, and a parse costs only tens of microseconds.
      return parser.parse(String.join(" ", fields)).validate();
    }
  }

  /**
   * "minute field '61': " for the first field that fails on its own (the others replaced by *), or
   * "" when none does. Runs only on the error path.
   */
  private static String culprit(String[] fields) {
    List<String> names = fields.length == 6 ? SECONDS_FIELD_NAMES : FIELD_NAMES;
    for (int i = 0; i < fields.length; i++) {
      String[] alone = new String[fields.length];
      Arrays.fill(alone, "*");
      alone[i] = fields[i];
      try {
        parseFields(alone);
      } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
        return names.get(i) + " field '" + fields[i] + "': ";
      }
    }
    return "";
  }

  /**
   * cron-utils' UNIX definition (checked against 9.2.1's bytecode) with a leading seconds field.
   * Its QUARTZ and SPRING definitions have seconds too, but number the days of the week 1-7 from
   * Sunday and want '?' in a day field, so a six-field expression would not mean what the same five
   * fields mean.
   */
  private static CronDefinition unixWithSeconds() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withMinutes()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withHours()
        .withValidRange(0, 23)
        .withStrictRange()
        .and()
        .withDayOfMonth()
        .withValidRange(1, 31)
        .withStrictRange()
        .and()
        .withMonth()
        .withValidRange(1, 12)
        .withStrictRange()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 7)
        .withMondayDoWValue(1)
        .withIntMapping(7, 0)
        .withStrictRange()
        .and()
        .instance();
  }

  private static String expandNickname(String expression) {
    if (!expression.startsWith("@")) {
      return expression;
    }
    String fields = NICKNAMES.get(expression.toLowerCase(Locale.ROOT));
    if (fields == null) {
      throw new IllegalArgumentException(
          "unknown nickname '"
              + expression
              + "'; supported: @yearly @annually @monthly @weekly @daily @midnight @hourly");
    }
    return fields;
  }

  private static String reason(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceFirst("^Failed to parse cron expression\\. ", "");
  }
}
