package io.horae.statemachine.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key codecs of DESIGN §5. Numbers are big-endian so that byte order equals numeric order; names
 * never contain 0x00 (the API restricts their characters), so 0x00 separates fields.
 */
public final class Keys {
  public static final byte[] META_APPLIED = ascii("applied");
  public static final byte[] META_SHARD_MAP = ascii("shard-map");
  public static final byte[] META_SCHEMA = ascii("schema");
  public static final byte[] META_MEMBERS = ascii("members");

  /** Prefix of the per-namespace usage records (NamespaceUsage) in the meta family. */
  public static final byte[] META_NS_USAGE_PREFIX = ascii("ns-usage/");

  public static byte[] nsUsage(String namespace) {
    byte[] ns = utf8(namespace);
    return ByteBuffer.allocate(META_NS_USAGE_PREFIX.length + ns.length)
        .put(META_NS_USAGE_PREFIX)
        .put(ns)
        .array();
  }

  /** The namespace of a usage record's key. */
  public static String nsUsageNamespace(byte[] key) {
    return new String(
        key,
        META_NS_USAGE_PREFIX.length,
        key.length - META_NS_USAGE_PREFIX.length,
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private static final int SHARD_BYTES = 2;
  private static final int MILLIS_BYTES = 8;
  private static final byte REQUEST_EXPIRY_TAG = 1;

  private Keys() {}

  public static byte[] job(String namespace, String name) {
    return concat(utf8(namespace), new byte[] {0}, utf8(name));
  }

  /** First key of a namespace's jobs. */
  public static byte[] jobsOf(String namespace) {
    return concat(utf8(namespace), new byte[] {0});
  }

  /** First key after all of a namespace's jobs. */
  public static byte[] jobsEnd(String namespace) {
    return concat(utf8(namespace), new byte[] {1});
  }

  public static String jobName(byte[] jobKey) {
    int sep = indexOf(jobKey, (byte) 0);
    return new String(jobKey, sep + 1, jobKey.length - sep - 1, StandardCharsets.UTF_8);
  }

  public static byte[] due(int shard, long dueMillis, String executionId) {
    byte[] id = utf8(executionId);
    return ByteBuffer.allocate(SHARD_BYTES + MILLIS_BYTES + id.length)
        .putShort((short) shard)
        .putLong(dueMillis)
        .put(id)
        .array();
  }

  /** First due key of a shard at or after dueMillis. */
  public static byte[] dueFrom(int shard, long dueMillis) {
    return ByteBuffer.allocate(SHARD_BYTES + MILLIS_BYTES)
        .putShort((short) shard)
        .putLong(dueMillis)
        .array();
  }

  public static int dueShard(byte[] dueKey) {
    return ByteBuffer.wrap(dueKey).getShort() & 0xffff;
  }

  public static long dueMillis(byte[] dueKey) {
    return ByteBuffer.wrap(dueKey, SHARD_BYTES, MILLIS_BYTES).getLong();
  }

  public static String dueExecutionId(byte[] dueKey) {
    int offset = SHARD_BYTES + MILLIS_BYTES;
    return new String(dueKey, offset, dueKey.length - offset, StandardCharsets.UTF_8);
  }

  public static byte[] execution(String executionId) {
    return utf8(executionId);
  }

  public static byte[] dead(String namespace, long deadAtMillis, String executionId) {
    byte[] ns = utf8(namespace);
    byte[] id = utf8(executionId);
    return ByteBuffer.allocate(ns.length + 1 + MILLIS_BYTES + id.length)
        .put(ns)
        .put((byte) 0)
        .putLong(deadAtMillis)
        .put(id)
        .array();
  }

  /** First dead key of a namespace at or after deadAtMillis. */
  public static byte[] deadFrom(String namespace, long deadAtMillis) {
    return dead(namespace, deadAtMillis, "");
  }

  /** First key after all of a namespace's dead letters. */
  public static byte[] deadEnd(String namespace) {
    return concat(utf8(namespace), new byte[] {1});
  }

  public static long deadMillis(String namespace, byte[] deadKey) {
    return ByteBuffer.wrap(deadKey, utf8(namespace).length + 1, MILLIS_BYTES).getLong();
  }

  public static byte[] live(String namespace, String name, String executionId) {
    return concat(utf8(namespace), new byte[] {0}, utf8(name), new byte[] {0}, utf8(executionId));
  }

  /** Prefix of one job's live index entries. */
  public static byte[] liveOf(String namespace, String name) {
    return concat(utf8(namespace), new byte[] {0}, utf8(name), new byte[] {0});
  }

  /**
   * The namespace of a job key or a live index key (both start with the namespace and a 0 byte).
   */
  public static String jobNamespace(byte[] key) {
    return new String(key, 0, indexOf(key, (byte) 0), StandardCharsets.UTF_8);
  }

  public static String liveNamespace(byte[] liveKey) {
    return jobNamespace(liveKey);
  }

  /** The execution id a live index key names. */
  public static String liveExecutionId(byte[] liveKey) {
    int first = indexOf(liveKey, (byte) 0);
    int second =
        first + 1 + indexOf(Arrays.copyOfRange(liveKey, first + 1, liveKey.length), (byte) 0);
    return new String(liveKey, second + 1, liveKey.length - second - 1, StandardCharsets.UTF_8);
  }

  /**
   * Chain index key: {@code follower} runs after each success of {@code job} (the layout of {@link
   * #live}).
   */
  public static byte[] chain(String namespace, String job, String follower) {
    return live(namespace, job, follower);
  }

  /** Prefix of the chain index entries of one job's followers. */
  public static byte[] chainsOf(String namespace, String job) {
    return liveOf(namespace, job);
  }

  /** History index key; the layout of {@link #dead} (namespace · finish time · id). */
  public static byte[] history(String namespace, long finishedMillis, String executionId) {
    return dead(namespace, finishedMillis, executionId);
  }

  /** The namespace a history (or dead) key starts with. */
  public static String namespaceOf(byte[] key) {
    return new String(key, 0, indexOf(key, (byte) 0), StandardCharsets.UTF_8);
  }

  /** The execution id at the end of a history (or dead) key of the namespace. */
  public static String historyExecutionId(String namespace, byte[] key) {
    int offset = utf8(namespace).length + 1 + MILLIS_BYTES;
    return new String(key, offset, key.length - offset, StandardCharsets.UTF_8);
  }

  public static byte[] request(String namespace, String requestId) {
    return concat(utf8(namespace), new byte[] {0}, utf8(requestId));
  }

  /**
   * Expiry index of request records, in the same family: 0x01 · expiresMillis · namespace 0x00
   * requestId. Namespaces start with a letter or digit, so these keys never meet record keys.
   */
  public static byte[] requestExpiry(long expiresMillis, String namespace, String requestId) {
    return concat(requestExpiryUpTo(expiresMillis), request(namespace, requestId));
  }

  /** First key of the expiry index. */
  public static byte[] requestExpiryStart() {
    return new byte[] {REQUEST_EXPIRY_TAG};
  }

  /** First key after the expiry index. */
  public static byte[] requestExpiryEnd() {
    return new byte[] {REQUEST_EXPIRY_TAG + 1};
  }

  /** The record key an expiry-index key points at. */
  public static byte[] requestOfExpiry(byte[] expiryKey) {
    return Arrays.copyOfRange(expiryKey, 1 + MILLIS_BYTES, expiryKey.length);
  }

  public static long requestExpiryMillis(byte[] expiryKey) {
    return ByteBuffer.wrap(expiryKey, 1, MILLIS_BYTES).getLong();
  }

  private static byte[] requestExpiryUpTo(long expiresMillis) {
    return ByteBuffer.allocate(1 + MILLIS_BYTES)
        .put(REQUEST_EXPIRY_TAG)
        .putLong(expiresMillis)
        .array();
  }

  /** The smallest key greater than every key that starts with prefix. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    throw new IllegalArgumentException("prefix of only 0xff bytes has no end");
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    for (byte[] p : parts) {
      out.put(p);
    }
    return out.array();
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new IllegalArgumentException("separator not found in key");
  }
}
