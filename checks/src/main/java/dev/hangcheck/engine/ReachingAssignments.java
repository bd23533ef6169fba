package dev.hangcheck.engine;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.tree.JCTree;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether an assignment to a variable can have run before a use of it, in one method without
 * loops around the two: not when it comes later in the code, nor from the other branch of an
 * {@code if}, nor from a switch case the use's case cannot be fallen into from ({@code case OTHER:
 * o = wrap(o); break; case CLOB: setClob(i, o);}). Anything else is taken to reach.
 */
final class ReachingAssignments {

  private final Map<Tree, Tree> parents = new IdentityHashMap<>();

  ReachingAssignments(Tree code) {
    new TreeScanner<Void, Tree>() {
      @Override
      public Void scan(Tree tree, Tree parent) {
        if (tree != null && parent != null) {
          parents.put(tree, parent);
        }
        return super.scan(tree, tree);
      }

      @Override
      public Void visitClass(ClassTree tree, Tree parent) {
        return null; // a local class's code is its own
      }
    }.scan(code, null);
  }

  boolean reaches(Tree assignment, Tree use) {
    Set<Tree> aboveAssignment = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Tree t = assignment; t != null; t = parents.get(t)) {
      aboveAssignment.add(t);
    }
    Tree childOfUse = null;
    Tree common = use;
    while (common != null && !aboveAssignment.contains(common)) {
      childOfUse = common;
      common = parents.get(common);
    }
    if (common == null) {
      return true;
    }
    for (Tree t = common; t != null; t = parents.get(t)) {
      if (isLoop(t)) {
        return true; // a later iteration may run the assignment first
      }
    }
    if (common == assignment) {
      return false; // used in its own right side, before it is assigned
    }
    Tree childOfAssignment = null;
    for (Tree t = assignment; t != common; t = parents.get(t)) {
      childOfAssignment = t;
    }
    if (common instanceof IfTree ifTree && childOfUse != null) {
      boolean assignedInBranch = childOfAssignment != ifTree.getCondition();
      boolean usedInBranch = childOfUse != ifTree.getCondition();
      if (assignedInBranch && usedInBranch) {
        return false; // the other branch
      }
      return !usedInBranch; // the condition runs first
    }
    List<? extends CaseTree> cases = casesOf(common);
    if (cases != null && childOfUse instanceof CaseTree useCase && childOfAssignment instanceof CaseTree assignedCase) {
      int from = cases.indexOf(assignedCase);
      int to = cases.indexOf(useCase);
      if (from < 0 || to < 0 || from >= to) {
        return false;
      }
      for (int k = from; k < to; k++) {
        if (!fallsThrough(cases.get(k))) {
          return false;
        }
      }
      return true;
    }
    return start(assignment) < start(use);
  }

  private static @Nullable List<? extends CaseTree> casesOf(Tree tree) {
    if (tree instanceof SwitchTree switchTree) {
      return switchTree.getCases();
    }
    if (tree instanceof SwitchExpressionTree switchExpression) {
      return switchExpression.getCases();
    }
    return null;
  }

  private static boolean fallsThrough(CaseTree caseTree) {
    if (caseTree.getCaseKind() == CaseTree.CaseKind.RULE) {
      return false;
    }
    List<? extends StatementTree> statements = caseTree.getStatements();
    return statements == null || statements.isEmpty() || canCompleteNormally(statements.get(statements.size() - 1));
  }

  /** Conservative: true unless the statement surely ends in return, throw, break or continue. */
  private static boolean canCompleteNormally(StatementTree statement) {
    switch (statement.getKind()) {
      case RETURN:
      case THROW:
      case BREAK:
      case CONTINUE:
        return false;
      case BLOCK:
        List<? extends StatementTree> inner = ((BlockTree) statement).getStatements();
        return inner.isEmpty() || canCompleteNormally(inner.get(inner.size() - 1));
      case IF:
        IfTree ifTree = (IfTree) statement;
        return ifTree.getElseStatement() == null
            || canCompleteNormally(ifTree.getThenStatement())
            || canCompleteNormally(ifTree.getElseStatement());
      case TRY:
        TryTree tryTree = (TryTree) statement;
        if (tryTree.getFinallyBlock() != null && !canCompleteNormally(tryTree.getFinallyBlock())) {
          return false;
        }
        if (canCompleteNormally(tryTree.getBlock())) {
          return true;
        }
        return tryTree.getCatches().stream().anyMatch(c -> canCompleteNormally(c.getBlock()));
      default:
        return true;
    }
  }

  private static boolean isLoop(Tree tree) {
    return tree instanceof ForLoopTree
        || tree instanceof EnhancedForLoopTree
        || tree instanceof WhileLoopTree
        || tree instanceof DoWhileLoopTree;
  }

  private static int start(Tree tree) {
    return ((JCTree) tree).getStartPosition();
  }
}
