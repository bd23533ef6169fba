package dev.hangcheck.checks;

import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import dev.hangcheck.config.HangcheckConfig;
import dev.hangcheck.config.InvalidHangcheckFlagException;
import dev.hangcheck.engine.Finding;
import java.util.List;
import javax.tools.Diagnostic;
import org.jspecify.annotations.Nullable;

/** What the three checks share: flag validation, and turning findings into diagnostics. */
final class Reporting {

  /** Marks a javac run whose flag error was already reported, so it is reported once. */
  private static final Context.Key<Boolean> FLAG_ERROR_REPORTED = new Context.Key<>();

  private Reporting() {}

  /** The problem with the Hangcheck flags, or null when they are fine. */
  static @Nullable String flagError(ErrorProneFlags flags) {
    try {
      HangcheckConfig.fromFlags(flags);
      return null;
    } catch (InvalidHangcheckFlagException e) {
      return e.getMessage();
    }
  }

  /**
   * Fails the compilation with {@code error} as a plain javac error, once per run: a malformed
   * flag must stop the build with a message that says how to fix it, not with a stack trace.
   */
  static void reportFlagError(VisitorState state, String error) {
    if (state.context.get(FLAG_ERROR_REPORTED) != null) {
      return;
    }
    state.context.put(FLAG_ERROR_REPORTED, true);
    JavacProcessingEnvironment.instance(state.context)
        .getMessager()
        .printMessage(Diagnostic.Kind.ERROR, "Hangcheck: " + error);
  }

  static void report(BugChecker checker, VisitorState state, List<Finding> findings) {
    for (Finding finding : findings) {
      state.reportMatch(
          checker
              .buildDescription(finding.site().tree())
              .setMessage(finding.message())
              .build());
    }
  }
}
