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
import dev.hangcheck.blocking.NonBlockingAnalysis;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/**
 * Reports blocking calls in code that must never block (event loops, async callbacks, UI threads),
 * made directly or through calls at any depth, at the call site in the non-blocking method.
 */
@AutoService(BugChecker.class)
@BugPattern(
    name = NonBlockingAnalysis.CHECK_NAME,
    summary = "A blocking call on a thread that must never block stalls everything it serves",
    explanation =
        "Code marked non-blocking runs on a thread shared by many tasks (an event loop, a UI"
            + " thread); one blocking call there freezes them all. Offload the work or use an"
            + " asynchronous API.",
    severity = WARNING,
    linkType = BugPattern.LinkType.NONE)
public final class BlockingCallInNonBlockingContext extends BugChecker
    implements CompilationUnitTreeMatcher {

  private final @Nullable String flagError;

  /** For ServiceLoader, which needs a no-argument constructor. */
  public BlockingCallInNonBlockingContext() {
    this(ErrorProneFlags.empty());
  }

  @Inject
  BlockingCallInNonBlockingContext(ErrorProneFlags flags) {
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
            NonBlockingAnalysis.analyze(index, engine.nonBlockingContexts(), state));
  }
}
