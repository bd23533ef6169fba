package com.example.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An append-only audit trail on local disk, shared by the services of the shop. */
public final class AuditLog {

  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  /** Records one event, one line each. */
  public void record(String event) throws IOException {
    append(event + System.lineSeparator());
  }

  private void append(String line) throws IOException {
    Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
