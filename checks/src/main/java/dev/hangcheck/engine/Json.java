package dev.hangcheck.engine;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes JSON, indented two spaces, with the commas placed for the caller: {@code open('{')},
 * {@code field("a").string("x")}, {@code close('}')}. Enough for the reports Hangcheck writes,
 * without a dependency in the user's compiler.
 */
public final class Json {

  private final StringBuilder out = new StringBuilder();
  /** Per open object or array: whether it has an element yet. */
  private final Deque<boolean[]> levels = new ArrayDeque<>();
  private boolean afterField;

  public Json open(char bracket) {
    beforeValue();
    out.append(bracket);
    levels.push(new boolean[] {false});
    return this;
  }

  public Json close(char bracket) {
    boolean[] level = levels.pop();
    if (level[0]) {
      newline();
    }
    out.append(bracket);
    return this;
  }

  public Json field(String name) {
    beforeValue();
    quote(name);
    out.append(": ");
    afterField = true;
    return this;
  }

  public Json string(String value) {
    beforeValue();
    quote(value);
    return this;
  }

  public Json number(long value) {
    beforeValue();
    out.append(value);
    return this;
  }

  public Json bool(boolean value) {
    beforeValue();
    out.append(value);
    return this;
  }

  public String text() {
    return out.toString();
  }

  private void beforeValue() {
    if (afterField) {
      afterField = false;
      return;
    }
    boolean[] level = levels.peek();
    if (level != null) {
      if (level[0]) {
        out.append(',');
      }
      level[0] = true;
      newline();
    }
  }

  private void newline() {
    out.append('\n');
    out.append("  ".repeat(levels.size()));
  }

  private void quote(String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
