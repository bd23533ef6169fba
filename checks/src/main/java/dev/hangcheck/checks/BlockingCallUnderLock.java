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
import dev.hangcheck.blocking.UnderLockAnalysis;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/**
 * Reports blocking calls (by default: sleeping, waiting for other threads, network and database
 * calls) made while a lock is held, directly or through calls, at the call in the locked region.
 */
@AutoService(BugChecker.class)
@BugPattern(
    name = UnderLockAnalysis.CHECK_NAME,
    summary = "A blocking call made while holding a lock makes every thread that needs it wait",
    explanation =
        "While one thread sleeps, waits or does I/O under a lock, every other thread that needs"
            + " the lock waits too; if what it waits for needs the lock, it deadlocks. Move the"
            + " call out of the locked region.",
    severity = WARNING,
    linkType = BugPattern.LinkType.NONE)
public final class BlockingCallUnderLock extends BugChecker implements CompilationUnitTreeMatcher {

  private final @Nullable String flagError;

  /** For ServiceLoader, which needs a no-argument constructor. */
  public BlockingCallUnderLock() {
    this(ErrorProneFlags.empty());
  }

  @Inject
  BlockingCallUnderLock(ErrorProneFlags flags) {
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
            UnderLockAnalysis.analyze(
                index,
                engine.config().underLockCategories(),
                engine.config().underLockMaxCallDepth()));
  }
}
