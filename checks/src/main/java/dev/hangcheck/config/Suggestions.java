package dev.hangcheck.config;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** "Did you mean": the known name a misspelled one most likely stands for. */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The known name closest to {@code name} ignoring case, if it is close enough to be what was
   * meant (a few letters off, or one a prefix of the other); else null.
   */
  public static @Nullable String closest(String name, Iterable<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = name.toLowerCase(Locale.ROOT);
    for (String candidate : known) {
      String other = candidate.toLowerCase(Locale.ROOT);
      int distance =
          other.startsWith(lower) || lower.startsWith(other) ? 1 : editDistance(lower, other);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 4) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
