package io.horae.server.fuzz;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.Random;

/**
 * Turns a seed into a sequence of malformed requests over every public method. Case {@code i}
 * depends only on the seed and the cases before it, so a seed replays a run exactly.
 *
 * <p>Kinds, in these shares: a message generated from the descriptor (30%), a valid request with a
 * few fields mutated (40%; half of them name a job that exists), a string field holding invalid
 * UTF-8 (12%), random bytes (10%), a valid request's bytes corrupted (8%).
 */
public final class CaseGenerator {
  /**
   * One request to send: its number in the run, the method, how it was made, its bytes, whether a
   * write was poisoned.
   */
  public record Case(
      int number, MethodDescriptor<?, ?> method, String kind, byte[] bytes, boolean poisoned) {
    @Override
    public String toString() {
      return "case "
          + number
          + " "
          + method.getBareMethodName()
          + " ("
          + kind
          + ", "
          + bytes.length
          + " bytes)";
    }
  }

  private final Random random;
  private final MessageFuzzer fuzzer;
  private final List<MethodDescriptor<?, ?>> methods = Catalog.methods();
  private int next;

  public CaseGenerator(long seed, long hugeCharsBudget) {
    this.random = new Random(seed);
    this.fuzzer = new MessageFuzzer(new Extremes(random, hugeCharsBudget));
  }

  public Random random() {
    return random;
  }

  public MessageFuzzer fuzzer() {
    return fuzzer;
  }

  /**
   * The next malformed request, to any method. A write carries its poison, so that no case of this
   * generator may change the cluster's state.
   */
  public Case next() {
    MethodDescriptor<?, ?> method = methods.get(random.nextInt(methods.size()));
    return poisoned(method);
  }

  /** A malformed request to {@code method}, poisoned if it is a write. */
  public Case poisoned(MethodDescriptor<?, ?> method) {
    Case c = unpoisoned(method);
    byte[] poison = Catalog.poison(method, random);
    return poison.length == 0
        ? c
        : new Case(c.number, method, c.kind, withPoison(method, c.bytes, poison), true);
  }

  /**
   * {@code bytes} with {@code poison} appended, when the poison then holds; otherwise the bytes as
   * the server would parse them, re-encoded with the poison merged in. Appending alone is not
   * enough for random bytes: their last field may claim a length that swallows the poison. Bytes
   * that do not parse at all are refused whatever follows them.
   */
  private static byte[] withPoison(MethodDescriptor<?, ?> method, byte[] bytes, byte[] poison) {
    byte[] appended = WireBytes.concat(bytes, poison);
    Message parsed;
    try {
      parsed = Catalog.prototype(method).getParserForType().parseFrom(appended);
    } catch (InvalidProtocolBufferException e) {
      return appended;
    }
    try {
      Message repoisoned = parsed.toBuilder().mergeFrom(poison).build();
      return repoisoned.equals(parsed) ? appended : repoisoned.toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "a poison of " + method.getFullMethodName() + " does not parse", e);
    }
  }

  /** A malformed (possibly, by chance, valid) request to {@code method}, without poison. */
  public Case unpoisoned(MethodDescriptor<?, ?> method) {
    int number = next++;
    Message prototype = Catalog.prototype(method);
    String job =
        random.nextBoolean()
            ? Catalog.SEED_JOBS.get(random.nextInt(Catalog.SEED_JOBS.size()))
            : "job-" + random.nextInt(1000);
    Message template = Catalog.template(method, job, random);
    int pick = random.nextInt(100);
    if (pick < 30) {
      return new Case(
          number,
          method,
          "generated",
          fuzzer.random(prototype.getDescriptorForType()).toByteArray(),
          false);
    }
    if (pick < 70) {
      int mutations = 1 + random.nextInt(pick < 65 ? 3 : 8);
      return new Case(
          number,
          method,
          "mutated x" + mutations,
          fuzzer.mutate(template, mutations).toByteArray(),
          false);
    }
    if (pick < 82) {
      Message base =
          random.nextBoolean() ? template : fuzzer.random(prototype.getDescriptorForType());
      return new Case(
          number, method, "invalid utf-8", WireBytes.withInvalidUtf8(base, random), false);
    }
    if (pick < 92) {
      int n = random.nextInt(10) == 0 ? random.nextInt(70_000) : random.nextInt(64);
      return new Case(number, method, "random bytes", WireBytes.random(random, n), false);
    }
    return new Case(
        number, method, "corrupted", WireBytes.corrupt(template.toByteArray(), random), false);
  }
}
