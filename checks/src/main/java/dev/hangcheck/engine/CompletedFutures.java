package dev.hangcheck.engine;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssertTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Whether a call that waits for a future's result is made where the future is complete. */
final class CompletedFutures {

  /** Calls that wait for a future's result, and return it at once when it is complete. */
  private static final ImmutableSet<String> RESULT_GETTERS =
      ImmutableSet.of(
          "get", "join", "getNow", "getUninterruptibly", "getUnchecked", "getChecked", "sync",
          "syncUninterruptibly", "await", "awaitUninterruptibly");

  /** Calls on a future after which it is complete, whether or not they completed it. */
  private static final ImmutableSet<String> COMPLETERS =
      ImmutableSet.of(
          "complete", "completeExceptionally", "obtrudeValue", "obtrudeException", "set",
          "setException", "setFuture", "cancel", "trySuccess", "tryFailure", "setSuccess",
          "setFailure");

  /** Static factories of futures that are complete when made. */
  private static final ImmutableSet<String> COMPLETE_FACTORIES =
      ImmutableSet.of(
          "completedFuture", "failedFuture", "completedStage", "failedStage", "immediateFuture",
          "immediateFailedFuture", "immediateCancelledFuture", "immediateVoidFuture");

  /** Checks that throw unless their condition holds ({@code Preconditions.checkState}). */
  private static final ImmutableSet<String> CHECKS =
      ImmutableSet.of("checkState", "checkArgument", "verify", "assertTrue");

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
  static boolean isGetOfACompletedFuture(
      MethodSymbol method,
      Tree tree,
      TreePath path,
      SourceIndex index,
      Function<VarSymbol, @Nullable ExpressionTree> localInitializer) {
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
    if (isMadeComplete(future, path, index, localInitializer)) {
      return true;
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

  /**
   * Before {@code statement} in {@code block}, a statement after which the future is complete:
   * {@code if (!f.isDone()) return;}, {@code checkState(f.isDone())}, {@code assert f.isDone()},
   * {@code f.complete(value)}; and no assignment to the future in between.
   */
  private static boolean isPrecededByExitUnlessComplete(
      BlockTree block, Tree statement, String futureText) {
    boolean complete = false;
    for (StatementTree earlier : block.getStatements()) {
      if (earlier == statement) {
        return complete;
      }
      if (earlier instanceof IfTree
          && ((IfTree) earlier).getElseStatement() == null
          && BodyScanner.exits(((IfTree) earlier).getThenStatement())
          && impliesComplete(((IfTree) earlier).getCondition(), futureText, false)) {
        complete = true;
      } else if (earlier instanceof AssertTree assertion
          && impliesComplete(assertion.getCondition(), futureText, true)) {
        complete = true;
      } else if (earlier instanceof ExpressionStatementTree expression) {
        ExpressionTree done = ASTHelpers.stripParentheses(expression.getExpression());
        if (done instanceof AssignmentTree assignment
            && assignment.getVariable().toString().equals(futureText)) {
          complete = isCompleteFactory(assignment.getExpression());
        } else if (done instanceof MethodInvocationTree call && completes(call, futureText)) {
          complete = true;
        }
      }
    }
    return false;
  }

  /** {@code f.complete(v)}, or {@code checkState(f.isDone())}. */
  private static boolean completes(MethodInvocationTree call, String futureText) {
    Symbol method = ASTHelpers.getSymbol(call);
    if (method == null) {
      return false;
    }
    String name = method.getSimpleName().toString();
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    if (COMPLETERS.contains(name)
        && receiver != null
        && ASTHelpers.stripParentheses(receiver).toString().equals(futureText)) {
      return true;
    }
    return CHECKS.contains(name)
        && !call.getArguments().isEmpty()
        && impliesComplete(call.getArguments().get(0), futureText, true);
  }

  /**
   * Whether {@code future} is made complete: {@code CompletableFuture.completedFuture(v)}, or a
   * local variable initialised with one and never assigned.
   */
  private static boolean isMadeComplete(
      ExpressionTree future,
      TreePath path,
      SourceIndex index,
      Function<VarSymbol, @Nullable ExpressionTree> localInitializer) {
    ExpressionTree expression = ASTHelpers.stripParentheses(future);
    if (isCompleteFactory(expression) || returnsComplete(expression, index)) {
      return true;
    }
    Symbol symbol = ASTHelpers.getSymbol(expression);
    if (!(expression instanceof IdentifierTree)
        || !(symbol instanceof VarSymbol local)
        || local.owner instanceof ClassSymbol
        || (local.flags() & (Flags.FINAL | Flags.EFFECTIVELY_FINAL)) == 0) {
      return false;
    }
    TreePath method = path;
    while (method != null && !(method.getLeaf() instanceof MethodTree)) {
      method = method.getParentPath();
    }
    if (method == null) {
      return false;
    }
    ExpressionTree initializer = localInitializer.apply(local);
    return initializer != null
        && (isCompleteFactory(initializer) || returnsComplete(initializer, index));
  }

  /**
   * A call of a method compiled here, which no override can replace, whose every {@code return}
   * is a future made complete ({@code return CompletableFuture.completedFuture(cached);}).
   */
  private static boolean returnsComplete(ExpressionTree expression, SourceIndex index) {
    ExpressionTree stripped = ASTHelpers.stripParentheses(expression);
    if (!(stripped instanceof MethodInvocationTree)
        || !(ASTHelpers.getSymbol(stripped) instanceof MethodSymbol callee)
        || !(callee.isStatic()
            || (callee.flags() & (Flags.PRIVATE | Flags.FINAL)) != 0
            || (callee.enclClass().flags() & Flags.FINAL) != 0)) {
      return false;
    }
    TreePath calleePath = index.methodPath(callee);
    if (calleePath == null) {
      return false;
    }
    List<@Nullable ExpressionTree> values = Returns.of((MethodTree) calleePath.getLeaf());
    return !values.isEmpty()
        && values.stream().allMatch(value -> value != null && isCompleteFactory(value));
  }

  private static boolean isCompleteFactory(ExpressionTree expression) {
    ExpressionTree stripped = ASTHelpers.stripParentheses(expression);
    if (!(stripped instanceof MethodInvocationTree)) {
      return false;
    }
    Symbol factory = ASTHelpers.getSymbol(stripped);
    return factory instanceof MethodSymbol method
        && method.isStatic()
        && COMPLETE_FACTORIES.contains(method.getSimpleName().toString());
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
