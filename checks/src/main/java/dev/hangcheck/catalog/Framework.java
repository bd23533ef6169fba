package dev.hangcheck.catalog;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The frameworks whose non-blocking code Hangcheck recognises by type names, without annotations
 * and without depending on the frameworks ({@code -XepOpt:Hangcheck:FrameworkContexts}).
 */
public enum Framework {
  NETTY,
  VERTX,
  REACTOR,
  WEBFLUX,
  SWING,
  JAVAFX,
  ANDROID;

  /** How the flag names it: {@code netty}, {@code vertx}, ... */
  public String flagName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The framework a flag element names (ignoring case), or null. */
  public static @Nullable Framework fromFlagName(String name) {
    for (Framework framework : values()) {
      if (framework.flagName().equalsIgnoreCase(name)) {
        return framework;
      }
    }
    return null;
  }
}
