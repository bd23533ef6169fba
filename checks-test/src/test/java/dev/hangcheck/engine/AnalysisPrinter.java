package dev.hangcheck.engine;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import dev.hangcheck.locks.LockId;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A test-only check that prints what the engine computed, so the analysis can be tested apart
 * from any reporting: at each acquisition the lock and the locks held; at each method, the locks it
 * acquires through calls at any depth.
 */
@BugPattern(name = "AnalysisPrinter", summary = "Prints the engine's summaries", severity = WARNING)
public final class AnalysisPrinter extends BugChecker implements CompilationUnitTreeMatcher {

  @Override
  public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    for (Finding finding :
        HangcheckEngine.instance(state).findings("AnalysisPrinter", tree, state, AnalysisPrinter::print)) {
      state.reportMatch(buildDescription(finding.site().tree()).setMessage(finding.message()).build());
    }
    return Description.NO_MATCH;
  }

  private static Findings print(SourceIndex index) {
    Findings findings = new Findings();
    TransitiveFacts<LockId> acquires =
        new TransitiveFacts<>(
            index,
            body -> {
              SortedMap<LockId, Site> direct = new TreeMap<>();
              for (Acquisition acquisition : body.acquisitions()) {
                if (acquisition.lock().id() != null) {
                  direct.putIfAbsent(acquisition.lock().id(), acquisition.site());
                }
              }
              return direct;
            },
            body -> true);
    for (Body body : index.allBodies()) {
      for (Acquisition acquisition : body.acquisitions()) {
        findings.add(
            new Finding(
                acquisition.site(),
                "acquires " + acquisition.lock().display() + " holding " + names(acquisition.held())));
      }
      if (body.kind() == Body.Kind.METHOD
          && !ASTHelpers.isGeneratedConstructor((MethodTree) body.path().getLeaf())) {
        findings.add(
            new Finding(
                new Site(body.path().getLeaf(), body),
                body.display()
                    + " acquires "
                    + acquires.of(body).keySet().stream()
                        .map(LockId::display)
                        .collect(Collectors.joining(", ", "[", "]"))));
      } else if (body.kind() == Body.Kind.DEFERRED_LAMBDA) {
        findings.add(new Finding(new Site(body.path().getLeaf(), body), "deferred: " + body.display()));
      }
    }
    return findings;
  }

  private static String names(List<HeldLock> held) {
    return held.stream().map(HeldLock::display).collect(Collectors.joining(", ", "[", "]"));
  }
}
