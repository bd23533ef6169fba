package dev.hangcheck.checks;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.lockgraph.DeclaredOrder;
import dev.hangcheck.lockgraph.LockOrderAnalysis;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/**
 * Reports every edge of a cycle in the lock-acquisition graph of the compilation: two threads
 * taking the locks of a cycle in its orders can deadlock. The graph is built once per javac run by
 * the shared engine; this check only reports the edges that lie in the file at hand.
 */
@AutoService(BugChecker.class)
@BugPattern(
    name = LockOrderAnalysis.CHECK_NAME,
    summary = "Locks acquired in inconsistent orders can deadlock",
    explanation =
        "Two threads that take the same locks in different orders can each hold one and wait"
            + " forever for the other. Acquire locks in one global order everywhere.",
    severity = WARNING,
    linkType = BugPattern.LinkType.NONE)
public final class LockOrderInversion extends BugChecker implements CompilationUnitTreeMatcher {

  private final @Nullable String flagError;

  /** For ServiceLoader, which needs a no-argument constructor. */
  public LockOrderInversion() {
    this(ErrorProneFlags.empty());
  }

  @Inject
  LockOrderInversion(ErrorProneFlags flags) {
    this.flagError = Reporting.flagError(flags);
  }

  @Override
  public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    return Reporting.reportFindings(
        this,
        flagError,
        tree,
        state,
        (engine, index) ->
            LockOrderAnalysis.analyze(
                index,
                WorkBudget.fromSystemProperty(),
                engine.config().lockOrderMaxCallDepth(),
                engine.config().lockOrderMaxCycleCalls(),
                DeclaredOrderOfRun.violationsReported(state)
                    ? DeclaredOrderOfRun.of(state).of(index, engine)
                    : DeclaredOrder.NONE));
  }
}
