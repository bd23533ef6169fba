package dev.hangcheck.catalog;

import com.google.errorprone.VisitorState;
import com.sun.tools.javac.util.Context;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A value valid within one javac compilation (symbols, memoized answers), made anew when a call
 * comes from another {@link Context}. Owned by one checker instance, which Error Prone uses on one
 * thread.
 */
final class CompilationScoped<T> {

  private final Function<VisitorState, T> make;
  private @Nullable Context context;
  private @Nullable T value;

  CompilationScoped(Function<VisitorState, T> make) {
    this.make = make;
  }

  T get(VisitorState state) {
    T current = value;
    if (current == null || context != state.context) {
      current = make.apply(state);
      value = current;
      context = state.context;
    }
    return current;
  }
}
