package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.tree.JCTree;
import org.jspecify.annotations.Nullable;

/** What a method returns when every one of its {@code return}s is a {@code new} of one class. */
final class FactoryReturns extends TreeScanner<Void, Void> {

  private @Nullable ClassSymbol made;
  private boolean other;

  private FactoryReturns() {}

  /** That class, or null when some return is anything else (or there is none). */
  static @Nullable ClassSymbol classOf(MethodTree method) {
    if (method.getBody() == null) {
      return null;
    }
    FactoryReturns scan = new FactoryReturns();
    scan.scan(method.getBody(), null);
    return scan.other ? null : scan.made;
  }

  @Override
  public Void visitReturn(ReturnTree tree, Void unused) {
    ExpressionTree value =
        tree.getExpression() == null ? null : ASTHelpers.stripParentheses(tree.getExpression());
    // Only a plain new X(...): an anonymous class body is left out.
    ClassSymbol cls =
        value instanceof NewClassTree && ((JCTree.JCNewClass) value).def == null
            ? RootFinder.allocatedClass(value)
            : null;
    if (cls == null || (made != null && made != cls)) {
      other = true;
    } else {
      made = cls;
    }
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
}
