package dev.hangcheck.checks;

import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.ErrorProneOptions;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Log;
import dev.hangcheck.blocking.SummaryWriter;
import dev.hangcheck.config.HangcheckConfig;
import dev.hangcheck.config.InvalidHangcheckFlagException;
import dev.hangcheck.engine.Finding;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.HangcheckEngine;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.lockgraph.LockGraphFiles;
import java.nio.file.Path;
import java.util.function.BiFunction;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.jspecify.annotations.Nullable;

/** What the checks share: flag validation, and turning findings into diagnostics. */
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
  private static void reportFlagError(VisitorState state, String error) {
    if (state.context.get(FLAG_ERROR_REPORTED) != null) {
      return;
    }
    state.context.put(FLAG_ERROR_REPORTED, true);
    printUnattached(state.context, Diagnostic.Kind.ERROR, "Hangcheck: " + error);
  }

  /**
   * Prints a message about the whole compilation, attached to no source file: javac would give it
   * the file being analysed, which build tools then print as if the file were at fault.
   */
  static void printUnattached(Context context, Diagnostic.Kind kind, String message) {
    Log log = Log.instance(context);
    JavaFileObject current = log.useSource(null);
    try {
      JavacProcessingEnvironment.instance(context).getMessager().printMessage(kind, message);
    } finally {
      log.useSource(current);
    }
  }

  /** The level of the check's findings in this run, as SARIF names it. */
  static String sarifLevel(BugChecker checker, VisitorState state) {
    ErrorProneOptions.Severity override =
        state.errorProneOptions().getSeverityMap().get(checker.canonicalName());
    if (override == ErrorProneOptions.Severity.ERROR) {
      return "error";
    }
    if (override == ErrorProneOptions.Severity.WARN) {
      return "warning";
    }
    return switch (checker.defaultSeverity()) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case SUGGESTION -> "note";
    };
  }

  /**
   * What every check's {@code matchCompilationUnit} does: stop on a flag error, else report the
   * check's findings in this file, computing them for the whole compilation on first use.
   */
  static Description reportFindings(
      BugChecker checker,
      @Nullable String flagError,
      CompilationUnitTree unit,
      VisitorState state,
      BiFunction<HangcheckEngine, SourceIndex, Findings> analysis) {
    if (flagError != null) {
      reportFlagError(state, flagError);
      return Description.NO_MATCH;
    }
    HangcheckEngine engine = HangcheckEngine.instance(state);
    String compilationError = CompilationFlagChecks.errorOf(state, engine.config());
    if (compilationError != null) {
      reportFlagError(state, compilationError);
      return Description.NO_MATCH;
    }
    if (engine.config().summaries()) {
      engine.afterIndex("summaries", SummaryWriter::write);
    }
    engine.describeCheck(checker.canonicalName(), checker.message(), sarifLevel(checker, state));
    String lockGraph = engine.config().lockGraphPath();
    if (lockGraph != null) {
      engine.afterIndex(
          "lock graph",
          (index, fileManager) ->
              LockGraphFiles.write(
                  index,
                  engine.config().lockOrderMaxCallDepth(),
                  engine.config().lockOrderMaxCycleCalls(),
                  DeclaredOrderOfRun.of(state).of(index, engine),
                  DeclaredOrderOfRun.violationsReported(state),
                  Path.of(lockGraph)));
    }
    for (Finding finding :
        engine.findings(
            checker.canonicalName(), unit, state, index -> analysis.apply(engine, index))) {
      state.reportMatch(
          checker
              .buildDescription(finding.site().tree())
              .setMessage(finding.message())
              .build());
    }
    return Description.NO_MATCH;
  }
}
