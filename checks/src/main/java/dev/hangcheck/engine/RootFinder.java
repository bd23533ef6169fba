package dev.hangcheck.engine;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Name;

/**
 * A cheap, purely syntactic look at a method or initializer: can it hold a lock (a {@code
 * synchronized} block, a call named like {@code lock()} or {@code tryLock()}), and which local and
 * anonymous classes does it declare. Only such code is analysed up front; other methods are
 * analysed when a call from a locked region or from non-blocking code reaches them.
 */
final class RootFinder extends TreeScanner<Void, Void> {

  private static final Set<String> LOCKING_CALLS = Set.of("lock", "lockInterruptibly", "tryLock");

  private boolean mayHoldLock;
  private final List<ClassTree> classes = new ArrayList<>();

  static RootFinder scan(Tree code) {
    RootFinder finder = new RootFinder();
    finder.scan(code, null);
    return finder;
  }

  boolean mayHoldLock() {
    return mayHoldLock;
  }

  /** The local and anonymous classes declared in the code, outermost only. */
  List<ClassTree> classes() {
    return classes;
  }

  @Override
  public Void visitSynchronized(SynchronizedTree tree, Void unused) {
    mayHoldLock = true;
    return super.visitSynchronized(tree, null);
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
    Tree select = tree.getMethodSelect();
    Name name =
        select instanceof MemberSelectTree
            ? ((MemberSelectTree) select).getIdentifier()
            : select instanceof IdentifierTree ? ((IdentifierTree) select).getName() : null;
    if (name != null && !mayHoldLock && LOCKING_CALLS.contains(name.toString())) {
      mayHoldLock = true;
    }
    return super.visitMethodInvocation(tree, null);
  }

  @Override
  public Void visitClass(ClassTree tree, Void unused) {
    classes.add(tree); // its methods are code of their own
    return null;
  }
}
