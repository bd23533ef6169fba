package com.example.orders;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads settings from disk. Fine on a worker thread; not on the event loop. */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static int load(String path) throws IOException {
    return readFirstByte(path);
  }

  private static int readFirstByte(String path) throws IOException {
    try (InputStream in = new FileInputStream(path)) {
      return in.read();
    }
  }
}
