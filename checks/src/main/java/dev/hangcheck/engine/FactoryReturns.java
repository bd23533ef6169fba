package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.tree.JCTree;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a method returns when every one of its {@code return}s is a {@code new} of one class. */
final class FactoryReturns {

  private FactoryReturns() {}

  /** That class, or null when some return is anything else (or there is none). */
  static @Nullable ClassSymbol classOf(MethodTree method) {
    List<@Nullable ExpressionTree> values = Returns.of(method);
    ClassSymbol made = null;
    for (ExpressionTree value : values) {
      ExpressionTree stripped = value == null ? null : ASTHelpers.stripParentheses(value);
      // Only a plain new X(...): an anonymous class body is left out.
      ClassSymbol cls =
          stripped instanceof NewClassTree && ((JCTree.JCNewClass) stripped).def == null
              ? RootFinder.allocatedClass(stripped)
              : null;
      if (cls == null || (made != null && made != cls)) {
        return null;
      }
      made = cls;
    }
    return made;
  }
}
