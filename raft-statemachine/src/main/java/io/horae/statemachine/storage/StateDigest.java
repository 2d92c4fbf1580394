package io.horae.statemachine.storage;

import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** A digest of a replica's state for comparing replicas: equal state, equal digest. */
final class StateDigest {
  private StateDigest() {}

  static byte[] of(StoreReader reader) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    for (Family f : Family.values()) {
      sha.update((byte) f.ordinal());
      reader.scan(
          f,
          new byte[0],
          null,
          Integer.MAX_VALUE,
          (key, value) -> {
            if (f == Family.META && Arrays.equals(key, Keys.META_APPLIED)) {
              return true;
            }
            sha.update(ByteBuffer.allocate(4).putInt(key.length).array());
            sha.update(key);
            sha.update(ByteBuffer.allocate(4).putInt(value.length).array());
            sha.update(value);
            return true;
          });
    }
    return sha.digest();
  }
}
