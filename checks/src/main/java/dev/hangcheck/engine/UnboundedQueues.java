package dev.hangcheck.engine;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Blocking queues without a capacity, on which {@code put} and a timed {@code offer} return at
 * once: the queue is never full. A field counts when every value the compilation writes to it is
 * such a queue made there ({@code new LinkedBlockingQueue<>()}), a local when its initializer is.
 */
final class UnboundedQueues {

  /** Queues that have no capacity at all. */
  private static final ImmutableSet<String> ALWAYS_UNBOUNDED =
      ImmutableSet.of(
          "java.util.concurrent.PriorityBlockingQueue",
          "java.util.concurrent.DelayQueue",
          "java.util.concurrent.LinkedTransferQueue");

  /** Queues bounded only when made with an {@code int} capacity. */
  private static final ImmutableSet<String> UNBOUNDED_WITHOUT_CAPACITY =
      ImmutableSet.of(
          "java.util.concurrent.LinkedBlockingQueue", "java.util.concurrent.LinkedBlockingDeque");

  private static final ImmutableSet<String> INSERTIONS =
      ImmutableSet.of("put", "putFirst", "putLast", "offer", "offerFirst", "offerLast");

  /** For each field written in the compilation: whether every write was an unbounded queue. */
  private final Map<VarSymbol, Boolean> onlyUnbounded = new IdentityHashMap<>();

  /** A write of {@code value} to {@code field}, seen by the first look at all code. */
  void written(VarSymbol field, ExpressionTree value) {
    if (ASTHelpers.stripParentheses(value).getKind() == Tree.Kind.NULL_LITERAL) {
      return;
    }
    onlyUnbounded.merge(field, isUnboundedQueue(value), Boolean::logicalAnd);
  }

  /**
   * Whether {@code call}, a blocking insertion ({@code put}, a timed {@code offer}), is made on a
   * queue that is never full.
   */
  boolean isInsertionIntoUnbounded(
      MethodInvocationTree call, Function<VarSymbol, @Nullable ExpressionTree> localInitializer) {
    Symbol method = ASTHelpers.getSymbol(call);
    if (method == null || !INSERTIONS.contains(method.getSimpleName().toString())) {
      return false;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    if (receiver == null) {
      return false; // a queue class of the compilation calling its own put: judged by its body
    }
    Type type = ASTHelpers.getType(receiver);
    if (type != null && ALWAYS_UNBOUNDED.contains(type.tsym.getQualifiedName().toString())) {
      return true;
    }
    if (!(ASTHelpers.getSymbol(receiver) instanceof VarSymbol variable)) {
      return false;
    }
    if (variable.getKind().isField()) {
      return Boolean.TRUE.equals(onlyUnbounded.get(variable));
    }
    if ((variable.flags() & (Flags.EFFECTIVELY_FINAL | Flags.FINAL)) == 0) {
      return false;
    }
    ExpressionTree initializer = localInitializer.apply(variable);
    return initializer != null && isUnboundedQueue(initializer);
  }

  private static boolean isUnboundedQueue(ExpressionTree value) {
    if (!(ASTHelpers.stripParentheses(value) instanceof NewClassTree allocation)
        || allocation.getClassBody() != null) {
      return false;
    }
    Type type = ASTHelpers.getType(allocation);
    if (type == null) {
      return false;
    }
    String name = type.tsym.getQualifiedName().toString();
    if (ALWAYS_UNBOUNDED.contains(name)) {
      return true;
    }
    if (!UNBOUNDED_WITHOUT_CAPACITY.contains(name)) {
      return false;
    }
    for (ExpressionTree argument : allocation.getArguments()) {
      Type argumentType = ASTHelpers.getType(argument);
      if (argumentType == null || argumentType.isPrimitive()) {
        return false; // a capacity
      }
    }
    return true;
  }
}
