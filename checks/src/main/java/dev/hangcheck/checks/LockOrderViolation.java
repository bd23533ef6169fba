package dev.hangcheck.checks;

import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import dev.hangcheck.engine.HangcheckEngine;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.lockgraph.DeclaredOrder;
import dev.hangcheck.lockgraph.LockOrderAnalysis;
import javax.inject.Inject;
import javax.tools.Diagnostic;
import org.jspecify.annotations.Nullable;

/**
 * Holds the code to the lock order it declares ({@code @AcquiredBefore}, {@code @AcquiredAfter},
 * {@code -XepOpt:Hangcheck:LockOrder}): reports every place that acquires a lock while holding
 * one declared to come after it, directly or through calls, with LockOrderInversion's lock model.
 * A name that denotes no lock, and an order that is itself cyclic, are reported where written.
 */
@AutoService(BugChecker.class)
@BugPattern(
    name = LockOrderAnalysis.VIOLATION_CHECK_NAME,
    summary = "A lock is acquired against the declared lock order",
    explanation =
        "The code declares that one lock is acquired before another. A place that takes them the"
            + " other way round deadlocks with any thread that keeps to the declared order.",
    severity = ERROR,
    linkType = BugPattern.LinkType.NONE)
public final class LockOrderViolation extends BugChecker implements CompilationUnitTreeMatcher {

  private final @Nullable String flagError;

  /** For ServiceLoader, which needs a no-argument constructor. */
  public LockOrderViolation() {
    this(ErrorProneFlags.empty());
  }

  @Inject
  LockOrderViolation(ErrorProneFlags flags) {
    this.flagError = Reporting.flagError(flags);
  }

  @Override
  public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    DeclaredOrderOfRun run = DeclaredOrderOfRun.of(state);
    Reporting.reportFindings(
        this,
        flagError,
        tree,
        state,
        (engine, index) ->
            LockOrderAnalysis.analyzeViolations(
                index, WorkBudget.fromSystemProperty(), run.of(index, engine)));
    DeclaredOrder order = run.last();
    if (order == null) {
      return Description.NO_MATCH;
    }
    for (DeclaredOrder.Problem problem : order.problems()) {
      if (problem.unit() == tree) {
        state.reportMatch(buildDescription(problem.tree()).setMessage(problem.message()).build());
        HangcheckEngine.instance(state)
            .recordDiagnostic(canonicalName(), tree, problem.tree(), problem.message());
      }
    }
    if (!order.flagProblems().isEmpty() && !run.flagProblemsReported) {
      run.flagProblemsReported = true;
      for (String problem : order.flagProblems()) {
        Reporting.printUnattached(state.context, Diagnostic.Kind.ERROR, "Hangcheck: " + problem);
      }
    }
    return Description.NO_MATCH;
  }
}
