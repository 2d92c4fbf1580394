package io.horae.server.fuzz;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Random;

/**
 * Values at and past the edges of what a field accepts, drawn from one seeded {@link Random}: empty
 * and huge strings, control and non-BMP characters, look-alikes of valid ids, extreme numbers, NaN
 * and infinities, unknown enum numbers, long repeated fields.
 *
 * <p>Huge values are bounded twice: one value is at most {@link #hugeCharsMax} characters, and all
 * huge values of a run together at most the budget given to the constructor, so a run of 10,000
 * cases stays in the memory and time of a CI machine.
 */
public final class Extremes {
  /** Longest huge string or bytes value: just under and over the server's 4 MiB message limit. */
  static final int hugeCharsMax = 5 * 1024 * 1024;

  /**
   * Short strings that look like something the API knows (ids, schedules, URLs) but are not quite.
   */
  private static final List<String> NEAR_MISSES =
      List.of(
          "",
          " ",
          "\t",
          "\n",
          "\u0000",
          "a",
          "-",
          ".",
          "..",
          "/",
          "@",
          "*",
          "default",
          "fuzz",
          "DEFAULT",
          "a b",
          "a/b",
          "a@b",
          "fuzz/seed-0@",
          "fuzz/seed-0@0",
          "fuzz/seed-0@-1",
          "fuzz/seed-0@99999999999999999999",
          "fuzz/seed-0@1.m.c.c",
          "/@1",
          "../../etc/passwd",
          "%00",
          "%s%s%s%n",
          "${jndi:ldap://127.0.0.1:1/x}",
          "' OR 1=1 --",
          "<script>",
          "\u202Eevil",
          "\u200B",
          "\uFEFF",
          "\uD83D\uDE00",
          "\uD800",
          "e\u0301",
          "Ω≈ç√",
          "*/5 * * * *",
          "61 * * * *",
          "* * * * * * *",
          "0 0 30 2 *",
          "@yearly",
          "@every 1s",
          "@reboot",
          "0 0 29 2 1",
          "Europe/Berlin",
          "Mars/Olympus",
          "UTC+25",
          "GMT+14:00",
          "http://",
          "http://127.0.0.1:9/hook",
          "http://127.0.0.1:99999/",
          "http://[::1",
          "http://[::ffff:169.254.169.254]/",
          "http://169.254.169.254/latest",
          "https://user:pass@127.0.0.1:9/x?y=z#f",
          "file:///etc/passwd",
          "ftp://127.0.0.1/x",
          "javascript:alert(1)",
          "whsec_",
          "whsec_!!!!",
          "whsec_AAAA",
          "whsec_" + "A".repeat(200),
          "00-00000000000000000000000000000000-0000000000000000-00",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "a=b,,c",
          "!",
          "==",
          "a!=",
          "example.com/",
          "x=" + "y".repeat(64),
          "schedule",
          "target.url",
          "job.name",
          "labels.x",
          "name",
          "GET",
          "get",
          "CONNECT",
          "TRACE",
          "Host",
          "Content-Length",
          "Idempotency-Key",
          "Authorization",
          "n1",
          "n99",
          "127.0.0.1:1",
          "127.0.0.1:0",
          "localhost:-1",
          "[::1]:99999",
          "AAAA",
          "____",
          "eyJ9",
          "-1",
          "0",
          "9223372036854775808",
          "NaN");

  private static final List<Long> LONGS =
      List.of(
          0L,
          1L,
          -1L,
          2L,
          999L,
          1000L,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          Long.MAX_VALUE - 1,
          Long.MIN_VALUE + 1,
          (long) Integer.MAX_VALUE,
          (long) Integer.MIN_VALUE,
          1L << 53,
          253_402_300_799_999L,
          253_402_300_800_000L,
          -62_135_596_800_001L,
          86_400_000L,
          3_600_000L);

  private static final List<Double> DOUBLES =
      List.of(
          0.0,
          -0.0,
          1.0,
          0.5,
          -1.0,
          2.0,
          Double.NaN,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          Double.MAX_VALUE,
          Double.MIN_VALUE,
          -Double.MAX_VALUE,
          1e308,
          1e-308);

  private final Random random;
  private long hugeCharsLeft;

  /**
   * @param hugeCharsBudget all huge strings and bytes of the run together, in characters or bytes
   */
  public Extremes(Random random, long hugeCharsBudget) {
    this.random = random;
    this.hugeCharsLeft = hugeCharsBudget;
  }

  public Random random() {
    return random;
  }

  public String string() {
    int pick = random.nextInt(100);
    if (pick < 55) {
      return NEAR_MISSES.get(random.nextInt(NEAR_MISSES.size()));
    }
    if (pick < 70) {
      return randomChars(1 + random.nextInt(40));
    }
    if (pick < 85) {
      // Around the limits the validators name: 63, 64, 128, 256, 2048, 4096 characters.
      int[] edges = {
        63, 64, 65, 127, 128, 129, 255, 256, 257, 2047, 2048, 2049, 4096, 4097, 8193, 65_537
      };
      int n = edges[random.nextInt(edges.length)];
      return random.nextBoolean() ? "a".repeat(n) : randomChars(n);
    }
    if (pick < 87) {
      int n = hugeLength();
      return n == 0 ? "" : "h".repeat(n);
    }
    return NEAR_MISSES.get(random.nextInt(NEAR_MISSES.size())) + randomChars(1 + random.nextInt(5));
  }

  /** Any UTF-16 code unit but lone surrogates, biased to ASCII controls and punctuation. */
  private String randomChars(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      char c =
          switch (kind) {
            case 0 -> (char) random.nextInt(0x20);
            case 1, 2, 3, 4 -> (char) (0x20 + random.nextInt(0x5F));
            case 5 -> (char) (0x80 + random.nextInt(0x780));
            default -> (char) random.nextInt(0xD800);
          };
      b.append(c);
    }
    return b.toString();
  }

  /** A huge length within the per-value cap and the run's budget; 0 once the budget is spent. */
  private int hugeLength() {
    int want = 64 * 1024 + random.nextInt(hugeCharsMax - 64 * 1024);
    if (want > hugeCharsLeft) {
      return 0;
    }
    hugeCharsLeft -= want;
    return want;
  }

  public long int64() {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextLong();
      case 1 -> random.nextInt(2000) - 1000;
      default -> LONGS.get(random.nextInt(LONGS.size()));
    };
  }

  public int int32() {
    return switch (random.nextInt(5)) {
      case 0 -> random.nextInt();
      case 1 -> Integer.MAX_VALUE;
      case 2 -> Integer.MIN_VALUE;
      default -> random.nextInt(1200) - 100;
    };
  }

  public double float64() {
    return random.nextInt(4) == 0
        ? random.nextDouble() * 1e6 - 5e5
        : DOUBLES.get(random.nextInt(DOUBLES.size()));
  }

  public ByteString bytes() {
    int pick = random.nextInt(20);
    if (pick == 0) {
      int n = hugeLength();
      return ByteString.copyFrom(new byte[n]);
    }
    byte[] b = new byte[pick < 10 ? random.nextInt(16) : random.nextInt(70_000)];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  /**
   * An enum number: a known one, or one the enum does not have (negative, large, just past the
   * end).
   */
  public int enumNumber(int knownMax) {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextInt(knownMax + 1);
      case 1 -> knownMax + 1;
      case 2 -> -1 - random.nextInt(3);
      default -> int32();
    };
  }

  /** How many elements a repeated field gets: mostly few, sometimes thousands. */
  public int repeatCount() {
    int pick = random.nextInt(100);
    if (pick < 30) {
      return 0;
    }
    if (pick < 80) {
      return 1 + random.nextInt(3);
    }
    if (pick < 95) {
      return 30 + random.nextInt(40);
    }
    return 1000 + random.nextInt(9000);
  }
}
