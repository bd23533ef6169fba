package dev.hangcheck.lockgraph;

import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import dev.hangcheck.engine.Acquisition;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.Finding;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Two objects of one class locked one inside the other where they play symmetric roles: two
 * parameters, or the receiver and a parameter, reached by the same fields ({@code transfer(from,
 * to)}, {@code a.absorb(b)}), directly or through calls. Two threads calling the method with the
 * objects swapped deadlock. Objects reached from one another (a parent and its child,
 * hand-over-hand traversal), objects just created and objects taken from a collection are not such
 * a pair: their order is the structure's.
 */
final class SameClassPairs {

  private final SourceIndex index;
  private final RelativeLocks relative;
  private final WorkBudget budget;
  private final Findings findings;

  SameClassPairs(SourceIndex index, RelativeLocks relative, WorkBudget budget, Findings findings) {
    this.index = index;
    this.relative = relative;
    this.budget = budget;
    this.findings = findings;
  }

  void report(List<Body> bodies) {
    for (Body body : bodies) {
      if (body.isSuppressed(LockOrderAnalysis.CHECK_NAME)) {
        continue;
      }
      for (Acquisition acquisition : body.acquisitions()) {
        budget.spend(1 + acquisition.held().size());
        check(body, acquisition.held(), acquisition.lock().name(), acquisition.site(), null);
      }
      for (CallSite call : body.calls()) {
        if (call.held().isEmpty()) {
          continue;
        }
        for (RelativeLocks.AtCall at : relative.atCall(call)) {
          budget.spend(1 + call.held().size());
          check(body, call.held(), at.inCaller(), call.site(), at.callee());
        }
      }
    }
  }

  private void check(Body body, List<HeldLock> held, LockName inner, Site site, Body through) {
    if (HeldLock.anySameObject(held, inner) || body.isUncontended(inner)) {
      return;
    }
    for (HeldLock outer : held) {
      if (outer.name().isSymmetricTo(inner)
          && rootsOfOneClass(body, outer.name(), inner)
          && maySameClass(outer.name().family(), inner.family())
          && !isOrderedByCondition(body, site, outer.name(), inner)) {
        findings.add(new Finding(site, message(body, outer, inner, through)), 0);
        return;
      }
    }
  }

  /**
   * Whether the two roots are objects of one class as the method declares them: two parameters
   * of one type, or the receiver and a parameter of its own class (or of a class it extends, but
   * not Object: {@code setAttribute(String, Object)} takes anything, not its own kind).
   */
  private boolean rootsOfOneClass(Body body, LockName a, LockName b) {
    Symbol.TypeSymbol first = rootClass(body, a);
    Symbol.TypeSymbol second = rootClass(body, b);
    if (first == null || second == null) {
      return false;
    }
    if (first == second) {
      return true;
    }
    Symbol.TypeSymbol receiver = a.root() == LockName.Root.THIS ? first : second;
    Symbol.TypeSymbol parameter = receiver == first ? second : first;
    return (a.root() == LockName.Root.THIS || b.root() == LockName.Root.THIS)
        && !parameter.getQualifiedName().contentEquals("java.lang.Object")
        && receiver.isSubClass(parameter, index.types());
  }

  private Symbol.@Nullable TypeSymbol rootClass(Body body, LockName name) {
    MethodSymbol method = body.symbol();
    if (method == null) {
      return null;
    }
    if (name.root() == LockName.Root.THIS) {
      return method.enclClass();
    }
    if (name.root() == LockName.Root.PARAMETER && name.parameter() < method.getParameters().size()) {
      Type type = index.types().erasure(method.getParameters().get(name.parameter()).type);
      return type.tsym;
    }
    return null;
  }

  private boolean maySameClass(LockId a, LockId b) {
    if (a == null || b == null) {
      return a == b; // two objects of no useful class (Object): either may be the other
    }
    return index.mayBeSameObject(a, b);
  }

  /**
   * Whether the nesting sits under a condition that mentions both lock expressions, as in {@code
   * if (a.id < b.id) { synchronized (a) { synchronized (b) ... } } else ...}: the order is chosen.
   */
  private static boolean isOrderedByCondition(Body body, Site site, LockName outer, LockName inner) {
    Set<String> roots = new HashSet<>();
    for (LockName lock : List.of(outer, inner)) {
      if (lock.root() != LockName.Root.THIS) {
        roots.add(lock.text().split("\\.")[0]);
      }
    }
    TreePath path = TreePath.getPath(body.path(), site.tree());
    for (TreePath p = path; p != null && p.getLeaf() != body.path().getLeaf(); p = p.getParentPath()) {
      ExpressionTree condition = null;
      if (p.getLeaf() instanceof IfTree) {
        condition = ((IfTree) p.getLeaf()).getCondition();
      } else if (p.getLeaf() instanceof ConditionalExpressionTree) {
        condition = ((ConditionalExpressionTree) p.getLeaf()).getCondition();
      }
      if (condition != null && identifiersIn(condition).containsAll(roots)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> identifiersIn(ExpressionTree tree) {
    Set<String> names = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        names.add(identifier.getName().toString());
        return null;
      }
    }.scan(tree, null);
    return names;
  }

  private static String message(Body body, HeldLock outer, LockName inner, Body through) {
    String type = inner.family() != null ? classOf(inner.family()) : "Object";
    return "Lock-order inversion within one method: "
        + body.display()
        + " acquires the lock of `"
        + inner.text()
        + "`"
        + (through == null ? "" : " (through " + through.display() + ")")
        + " while holding the lock of `"
        + outer.name().text()
        + "` ("
        + outer.site().fileAndLine()
        + "), two locks of the same class "
        + type
        + ". Two threads running it with the objects swapped (transfer(a, b) and transfer(b,"
        + " a)) deadlock. Acquire the two in one global order (for example by a unique id),"
        + " or guard both with one lock.";
  }

  private static String classOf(LockId family) {
    String display = family.display();
    int space = display.lastIndexOf(' ');
    return family.kind() == LockId.Kind.OBJECT ? display.substring(space + 1) : display;
  }
}
