package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Symbol;
import dev.hangcheck.catalog.KnownAnnotations;
import dev.hangcheck.engine.Body;

/**
 * Code that runs on the one UI thread only: methods designated {@code @UiThread} or {@code
 * @MainThread} (on the method or an enclosing class). Two such methods never run at the same
 * time, so lock orders taken only there cannot deadlock each other.
 */
final class ThreadConfinement {

  static final ImmutableSet<String> UI_THREAD =
      ImmutableSet.of(
          "androidx.annotation.UiThread",
          "androidx.annotation.MainThread",
          "android.support.annotation.UiThread",
          "android.support.annotation.MainThread",
          "android.annotation.UiThread",
          "android.annotation.MainThread");

  private ThreadConfinement() {}

  static boolean runsOnUiThreadOnly(Body body) {
    if (body.kind() != Body.Kind.METHOD || body.symbol() == null) {
      return false; // a deferred lambda runs where it is handed to
    }
    for (Symbol symbol = body.symbol(); symbol != null; symbol = symbol.owner) {
      if (KnownAnnotations.findAnnotation(symbol, UI_THREAD) != null) {
        return true;
      }
      if (symbol instanceof Symbol.PackageSymbol) {
        break;
      }
    }
    return false;
  }
}
