package dev.hangcheck.checks;

import com.google.errorprone.ErrorProneOptions;
import com.google.errorprone.VisitorState;
import com.sun.tools.javac.util.Context;
import dev.hangcheck.engine.HangcheckEngine;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.lockgraph.DeclaredOrder;
import dev.hangcheck.lockgraph.DeclaredOrders;
import dev.hangcheck.lockgraph.LockOrderAnalysis;
import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * The declared lock order of one javac run, read once per source index and kept for the files
 * reported after it: LockOrderViolation reports its problems in each file, and LockOrderInversion
 * leaves its violations to LockOrderViolation.
 */
final class DeclaredOrderOfRun {

  private static final Context.Key<DeclaredOrderOfRun> KEY = new Context.Key<>();

  /** The index the order was read from, not kept alive by it: the engine drops its index. */
  private WeakReference<SourceIndex> readFrom = new WeakReference<>(null);
  private @Nullable DeclaredOrder order;
  boolean flagProblemsReported;

  static DeclaredOrderOfRun of(VisitorState state) {
    DeclaredOrderOfRun run = state.context.get(KEY);
    if (run == null) {
      run = new DeclaredOrderOfRun();
      state.context.put(KEY, run);
    }
    return run;
  }

  DeclaredOrder of(SourceIndex index, HangcheckEngine engine) {
    if (order == null || readFrom.get() != index) {
      order =
          DeclaredOrders.of(
              index, engine.config(), engine::classNamed, engine.completedLibraryClasses());
      readFrom = new WeakReference<>(index);
    }
    return order;
  }

  /** The order last read, or null before the first file is analysed. */
  @Nullable DeclaredOrder last() {
    return order;
  }

  /**
   * Whether LockOrderViolation runs in this compilation: on unless turned off, or all checks are
   * and it is not turned back on.
   */
  static boolean violationsReported(VisitorState state) {
    ErrorProneOptions options = state.errorProneOptions();
    ErrorProneOptions.Severity severity =
        options.getSeverityMap().get(LockOrderAnalysis.VIOLATION_CHECK_NAME);
    if (severity != null) {
      return severity != ErrorProneOptions.Severity.OFF;
    }
    return !options.isDisableAllChecks();
  }
}
