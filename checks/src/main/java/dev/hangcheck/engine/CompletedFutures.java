package dev.hangcheck.engine;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;

/** Whether a call that waits for a future's result is made where the future is complete. */
final class CompletedFutures {

  /** Calls that wait for a future's result, and return it at once when it is complete. */
  private static final ImmutableSet<String> RESULT_GETTERS =
      ImmutableSet.of(
          "get", "join", "getNow", "getUninterruptibly", "getUnchecked", "getChecked", "sync",
          "syncUninterruptibly", "await", "awaitUninterruptibly");

  /** Tests that, when true, tell a future is complete. */
  private static final ImmutableSet<String> COMPLETION_TESTS =
      ImmutableSet.of("isDone", "isSuccess", "isCancelled");

  private CompletedFutures() {}


  /**
   * Whether {@code tree} gets the result of a future under a test that it is complete ({@code if
   * (f.isDone()) return f.get();}, or after {@code if (!f.isDone()) return;}): then it returns at
   * once. The future is the receiver, or the first argument of a static helper
   * ({@code Uninterruptibles.getUninterruptibly(f)}).
   */
  static boolean isGetOfACompletedFuture(MethodSymbol method, Tree tree, TreePath path) {
    if (!(tree instanceof MethodInvocationTree)
        || !RESULT_GETTERS.contains(method.getSimpleName().toString())) {
      return false;
    }
    MethodInvocationTree call = (MethodInvocationTree) tree;
    ExpressionTree future = ASTHelpers.getReceiver(call);
    if (future == null && method.isStatic() && !call.getArguments().isEmpty()) {
      future = call.getArguments().get(0);
    }
    if (future == null) {
      return false;
    }
    String futureText = ASTHelpers.stripParentheses(future).toString();
    Tree child = tree;
    for (TreePath parent = path.getParentPath();
        parent != null && !isBoundary(parent.getLeaf());
        child = parent.getLeaf(), parent = parent.getParentPath()) {
      Tree leaf = parent.getLeaf();
      if (leaf instanceof IfTree) {
        IfTree ifTree = (IfTree) leaf;
        if ((child == ifTree.getThenStatement() && impliesComplete(ifTree.getCondition(), futureText, true))
            || (child == ifTree.getElseStatement()
                && impliesComplete(ifTree.getCondition(), futureText, false))) {
          return true;
        }
      } else if (leaf instanceof ConditionalExpressionTree) {
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) leaf;
        if ((child == conditional.getTrueExpression()
                && impliesComplete(conditional.getCondition(), futureText, true))
            || (child == conditional.getFalseExpression()
                && impliesComplete(conditional.getCondition(), futureText, false))) {
          return true;
        }
      } else if (leaf.getKind() == Tree.Kind.CONDITIONAL_AND
          && child == ((BinaryTree) leaf).getRightOperand()
          && impliesComplete(((BinaryTree) leaf).getLeftOperand(), futureText, true)) {
        return true;
      } else if (leaf instanceof BlockTree && isPrecededByExitUnlessComplete((BlockTree) leaf, child, futureText)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBoundary(Tree tree) {
    return tree instanceof MethodTree || tree instanceof LambdaExpressionTree || tree instanceof ClassTree;
  }

  /** {@code if (!f.isDone()) return;} before {@code statement} in {@code block}. */
  private static boolean isPrecededByExitUnlessComplete(
      BlockTree block, Tree statement, String futureText) {
    for (StatementTree earlier : block.getStatements()) {
      if (earlier == statement) {
        return false;
      }
      if (earlier instanceof IfTree
          && ((IfTree) earlier).getElseStatement() == null
          && BodyScanner.exits(((IfTree) earlier).getThenStatement())
          && impliesComplete(((IfTree) earlier).getCondition(), futureText, false)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code condition} having the value {@code whenTrue} implies the future is complete. */
  private static boolean impliesComplete(ExpressionTree condition, String futureText, boolean whenTrue) {
    ExpressionTree tree = ASTHelpers.stripParentheses(condition);
    switch (tree.getKind()) {
      case LOGICAL_COMPLEMENT:
        return impliesComplete(((UnaryTree) tree).getExpression(), futureText, !whenTrue);
      case CONDITIONAL_AND:
        // true: both operands true; false tells nothing about either.
        return whenTrue
            && (impliesComplete(((BinaryTree) tree).getLeftOperand(), futureText, true)
                || impliesComplete(((BinaryTree) tree).getRightOperand(), futureText, true));
      case CONDITIONAL_OR:
        return !whenTrue
            && (impliesComplete(((BinaryTree) tree).getLeftOperand(), futureText, false)
                || impliesComplete(((BinaryTree) tree).getRightOperand(), futureText, false));
      case METHOD_INVOCATION:
        MethodInvocationTree call = (MethodInvocationTree) tree;
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        Symbol test = TreeInfo.symbol((JCTree) call.getMethodSelect());
        return whenTrue
            && call.getArguments().isEmpty()
            && receiver != null
            && test != null
            && COMPLETION_TESTS.contains(test.getSimpleName().toString())
            && ASTHelpers.stripParentheses(receiver).toString().equals(futureText);
      default:
        return false;
    }
  }
}
