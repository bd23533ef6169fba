package dev.hangcheck.engine;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The values a method's own {@code return} statements give (not those of lambdas or classes in it). */
final class Returns {

  private Returns() {}

  /** In source order; null for a {@code return;}. Empty for a method without a body. */
  static List<@Nullable ExpressionTree> of(MethodTree method) {
    List<@Nullable ExpressionTree> values = new ArrayList<>();
    if (method.getBody() == null) {
      return values;
    }
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitReturn(ReturnTree tree, Void unused) {
        values.add(tree.getExpression());
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        return null; // its returns are the lambda's
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        return null;
      }
    }.scan(method.getBody(), null);
    return values;
  }
}
