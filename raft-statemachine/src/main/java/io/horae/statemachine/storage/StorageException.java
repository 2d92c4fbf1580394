package io.horae.statemachine.storage;

/** The local store failed (disk, corruption). The node cannot go on applying entries. */
public final class StorageException extends RuntimeException
    implements io.horae.statemachine.core.StorageFault {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
