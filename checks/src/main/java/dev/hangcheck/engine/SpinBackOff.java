package dev.hangcheck.engine;

import com.google.common.collect.ImmutableSet;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import org.jspecify.annotations.Nullable;

/**
 * The back-off of a spin lock: a sleep inside the loop that tries to take a lock until it
 * succeeds ({@code while (!lock.tryLock()) Thread.sleep(1);}, {@code for (;;) { if
 * (state.compareAndSet(0, 1)) break; Thread.sleep(1); }}). Waiting there is acquiring that lock,
 * which the lock-order analysis sees; it is no blocking work done under the locks held.
 */
final class SpinBackOff {

  /** Calls that try to take a lock, or an atomic flag used as one, without waiting. */
  private static final ImmutableSet<String> ATTEMPTS =
      ImmutableSet.of(
          "tryLock",
          "tryAcquire",
          "compareAndSet",
          "weakCompareAndSet",
          "weakCompareAndSetVolatile",
          "weakCompareAndSetAcquire",
          "compareAndExchange",
          "compareAndExchangeAcquire",
          "getAndSet");

  private SpinBackOff() {}

  /** Whether the call at {@code path} is the back-off of the loop around it. */
  static boolean isBackOff(TreePath path) {
    for (TreePath parent = path.getParentPath(); parent != null; parent = parent.getParentPath()) {
      Tree leaf = parent.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof ClassTree || leaf instanceof LambdaExpressionTree) {
        return false;
      }
      if (leaf instanceof WhileLoopTree loop) {
        return tries(loop.getCondition()) || triesAndExits(loop.getStatement());
      }
      if (leaf instanceof DoWhileLoopTree loop) {
        return tries(loop.getCondition()) || triesAndExits(loop.getStatement());
      }
      if (leaf instanceof ForLoopTree loop) {
        return (loop.getCondition() != null && tries(loop.getCondition()))
            || triesAndExits(loop.getStatement());
      }
    }
    return false;
  }

  /** A statement of the loop's body that leaves the loop when an attempt succeeds. */
  private static boolean triesAndExits(StatementTree body) {
    if (!(body instanceof BlockTree block)) {
      return false;
    }
    for (StatementTree statement : block.getStatements()) {
      if (statement instanceof IfTree ifTree
          && tries(ifTree.getCondition())
          && exits(ifTree.getThenStatement())) {
        return true;
      }
    }
    return false;
  }

  private static boolean exits(@Nullable StatementTree statement) {
    if (statement instanceof BlockTree block && !block.getStatements().isEmpty()) {
      statement = block.getStatements().get(block.getStatements().size() - 1);
    }
    return statement instanceof BreakTree || statement instanceof ReturnTree;
  }

  private static boolean tries(ExpressionTree condition) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (tree.getMethodSelect() instanceof MemberSelectTree select
            && ATTEMPTS.contains(select.getIdentifier().toString())) {
          found[0] = true;
        }
        return super.visitMethodInvocation(tree, null);
      }
    }.scan(condition, null);
    return found[0];
  }
}
