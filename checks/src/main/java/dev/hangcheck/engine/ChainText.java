package dev.hangcheck.engine;

import java.util.List;

/** How messages show a chain of calls: in full when short, else its ends and how many between. */
public final class ChainText {

  /** A chain of more calls than this shows its first and last ones and how many lie between. */
  public static final int MAX_SHOWN = 6;

  /** How many of the first calls of a long chain are shown (and the last two). */
  public static final int HEAD_SHOWN = MAX_SHOWN - 2;

  private ChainText() {}

  /** {@code A.m() -> B.n() -> ... (12 more calls) -> Y.p() -> Z.q()} */
  public static String of(List<String> calls) {
    return of(calls, calls.size());
  }

  /**
   * The same for a chain of {@code length} calls of which {@code calls} holds all, or (for a long
   * one) at least the first {@link #HEAD_SHOWN} and the last two.
   */
  public static String of(List<String> calls, int length) {
    if (length <= MAX_SHOWN) {
      return String.join(" -> ", calls);
    }
    int head = HEAD_SHOWN;
    int between = length - head - 2;
    return String.join(" -> ", calls.subList(0, head))
        + " -> ... ("
        + between
        + (between == 1 ? " more call) -> " : " more calls) -> ")
        + String.join(" -> ", calls.subList(calls.size() - 2, calls.size()));
  }
}
