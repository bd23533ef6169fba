package dev.hangcheck.catalog;

/** Why a call blocks, and so what fixes it. */
public enum BlockingCategory {
  SLEEP("sleeps"),
  WAIT("waits for another thread"),
  FILE("blocks on file I/O"),
  NETWORK("blocks on network I/O"),
  DATABASE("blocks on a database call"),
  PROCESS("blocks on starting or waiting for a process"),
  /** Declared blocking by {@code @Blocking} or {@code -XepOpt:Hangcheck:BlockingMethods}. */
  DECLARED("is declared blocking");

  private final String verb;

  BlockingCategory(String verb) {
    this.verb = verb;
  }

  /** Completes "..., which ___": {@code blocks on file I/O}. */
  public String verb() {
    return verb;
  }
}
