package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import dev.hangcheck.catalog.NonBlockingContexts.Creation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Name;
import org.jspecify.annotations.Nullable;

/**
 * A cheap look at a method or initializer, made for all code of the compilation: can it hold a
 * lock (a {@code synchronized} block, a call named like {@code lock()} or {@code tryLock()}),
 * which local and anonymous classes does it declare, which classes does it instantiate, what does
 * it assign to fields, and which methods does it call. Only code that may hold a lock is analysed
 * up front; the rest tells the analysis which objects exist and who calls whom without a lock.
 */
final class RootFinder extends TreeScanner<Void, Void> {

  private static final Set<String> LOCKING_CALLS =
      Set.of("lock", "lockInterruptibly", "tryLock", "unlock");

  /** What the scans of a whole compilation tell about its fields, classes and calls. */
  interface Observer {
    void fieldAssigned(VarSymbol field, @Nullable ClassSymbol allocatedClass);

    /**
     * Any assignment to a field: {@code onThis} when it is this object's field ({@code f = v},
     * {@code this.f = v}), made in {@code method} (null in an initializer) of {@code inClass}.
     */
    void fieldWritten(
        VarSymbol field,
        ExpressionTree value,
        boolean onThis,
        @Nullable MethodSymbol method,
        @Nullable ClassSymbol inClass);

    void instantiated(ClassSymbol cls);

    /** A call or method reference, and whether the code making it may hold a lock. */
    void called(MethodSymbol method, boolean byMethodReference, @Nullable MethodSymbol caller);
  }

  private final Observer observer;
  private final @Nullable MethodSymbol method;
  private final @Nullable ClassSymbol inClass;
  private boolean mayHoldLock;
  private boolean callsLockApi;
  private final List<ClassTree> classes = new ArrayList<>();
  private final List<MethodSymbol> called = new ArrayList<>();
  private final List<MethodSymbol> referenced = new ArrayList<>();
  private final List<MethodSymbol> calledInLambdas = new ArrayList<>();
  private final List<Function> functions = new ArrayList<>();
  private final List<Creation> creations = new ArrayList<>();
  private final Set<ExpressionTree> functionArguments = new HashSet<>();
  private int lambdaDepth;
  private final List<Write> pendingWrites = new ArrayList<>();
  private final Map<VarSymbol, ExpressionTree> newLocals = new HashMap<>();
  private final Set<VarSymbol> reassignedLocals = new HashSet<>();

  private RootFinder(
      Observer observer, @Nullable MethodSymbol method, @Nullable ClassSymbol inClass) {
    this.observer = observer;
    this.method = method;
    this.inClass = inClass;
  }

  /**
   * @param method the method whose body {@code code} is, or null for an initializer
   * @param inClass the class declaring that code
   */
  static RootFinder look(
      Tree code, Observer observer, @Nullable MethodSymbol method, @Nullable ClassSymbol inClass) {
    RootFinder finder = new RootFinder(observer, method, inClass);
    finder.scan(code, null);
    finder.reportWrites();
    return finder;
  }

  /** A field write, told once the whole code is seen: a local's value is known only then. */
  private void reportWrites() {
    for (Write write : pendingWrites) {
      ExpressionTree value = write.value();
      Symbol symbol = value instanceof IdentifierTree ? TreeInfo.symbol((JCTree) value) : null;
      if (symbol instanceof VarSymbol local
          && newLocals.containsKey(local)
          && !reassignedLocals.contains(local)) {
        value = newLocals.get(local); // conn = new Connection(...); this.conn = conn;
      }
      observer.fieldWritten(write.field(), value, write.onThis(), method, inClass);
    }
  }

  private record Write(VarSymbol field, ExpressionTree value, boolean onThis) {}

  @Override
  public Void visitVariable(VariableTree tree, Void unused) {
    VarSymbol symbol = ASTHelpers.getSymbol(tree);
    if (symbol != null
        && symbol.getKind() == ElementKind.LOCAL_VARIABLE
        && allocatedClass(tree.getInitializer()) != null) {
      newLocals.put(symbol, tree.getInitializer());
    }
    return super.visitVariable(tree, null);
  }

  boolean mayHoldLock() {
    return mayHoldLock;
  }

  /** Whether it calls {@code lock()} or {@code unlock()} (by name): it may be a lock helper. */
  boolean callsLockApi() {
    return callsLockApi;
  }

  /**
   * A lambda or method reference of the code, with the call it is an argument of (null when it is
   * none): where it runs may be forbidden to block.
   */
  record Function(ExpressionTree tree, @Nullable MethodInvocationTree enclosingCall) {}

  /** The lambdas and method references of the code, inner ones included. */
  List<Function> functions() {
    return functions;
  }

  /** The objects the code creates as arguments of calls (anonymous classes too). */
  List<Creation> creations() {
    return creations;
  }

  /** The local and anonymous classes declared in the code, outermost only. */
  List<ClassTree> classes() {
    return classes;
  }

  /** Whether this code calls (outside its lambdas) a method {@code test} accepts. */
  boolean callsAny(java.util.function.Predicate<MethodSymbol> test) {
    for (MethodSymbol callee : called) {
      if (test.test(callee)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this code calls one of {@code methods}. */
  boolean calls(Set<MethodSymbol> methods) {
    for (List<MethodSymbol> calls : List.of(called, calledInLambdas)) {
      for (MethodSymbol callee : calls) {
        if (methods.contains(callee)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Tells the observer the calls made here, once it is known whether this code holds locks. */
  void reportCalls(boolean analysedWithLocks) {
    if (!analysedWithLocks) {
      called.forEach(callee -> observer.called(callee, false, method));
      // A lambda may run later, on another thread: what this code runs under says nothing of
      // what its calls hold.
      calledInLambdas.forEach(callee -> observer.called(callee, false, null));
    }
    referenced.forEach(callee -> observer.called(callee, true, method));
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
    if (name != null && !callsLockApi && isLockingCall(name)) {
      mayHoldLock = true;
      callsLockApi = true;
    }
    Symbol symbol = TreeInfo.symbol((JCTree) select);
    if (symbol instanceof MethodSymbol) {
      (lambdaDepth > 0 ? calledInLambdas : called).add((MethodSymbol) symbol);
    }
    List<? extends ExpressionTree> arguments = tree.getArguments();
    for (int i = 0; i < arguments.size(); i++) {
      ExpressionTree argument = arguments.get(i);
      if (argument instanceof LambdaExpressionTree || argument instanceof MemberReferenceTree) {
        functions.add(new Function(argument, tree));
        functionArguments.add(argument);
      } else if (argument instanceof NewClassTree creation
          && RootFinder.allocatedClass(creation) != null) {
        creations.add(new Creation(tree, i, RootFinder.allocatedClass(creation)));
      }
    }
    return super.visitMethodInvocation(tree, null);
  }

  /** By name, without making a String of every method name of the compilation. */
  private static boolean isLockingCall(Name name) {
    for (String locking : LOCKING_CALLS) {
      if (name.contentEquals(locking)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
    if (!functionArguments.contains(tree)) {
      functions.add(new Function(tree, null));
    }
    lambdaDepth++;
    try {
      return super.visitLambdaExpression(tree, null);
    } finally {
      lambdaDepth--;
    }
  }

  @Override
  public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
    Symbol symbol = ((JCTree.JCMemberReference) tree).sym;
    if (symbol instanceof MethodSymbol) {
      referenced.add((MethodSymbol) symbol);
    }
    if (!functionArguments.contains(tree)) {
      functions.add(new Function(tree, null));
    }
    return super.visitMemberReference(tree, null);
  }

  @Override
  public Void visitNewClass(NewClassTree tree, Void unused) {
    JCTree.JCNewClass newClass = (JCTree.JCNewClass) tree;
    if (newClass.def != null && newClass.def.sym != null) {
      observer.instantiated(newClass.def.sym);
    } else if (newClass.type != null && newClass.type.tsym instanceof ClassSymbol) {
      observer.instantiated((ClassSymbol) newClass.type.tsym);
    }
    if (newClass.constructor instanceof MethodSymbol) {
      called.add((MethodSymbol) newClass.constructor);
    }
    return super.visitNewClass(tree, null);
  }

  @Override
  public Void visitAssignment(AssignmentTree tree, Void unused) {
    Symbol target = TreeInfo.symbol((JCTree) tree.getVariable());
    if (target instanceof VarSymbol && target.owner instanceof ClassSymbol) {
      observer.fieldAssigned((VarSymbol) target, allocatedClass(tree.getExpression()));
      pendingWrites.add(
          new Write((VarSymbol) target, tree.getExpression(), isOnThis(tree.getVariable())));
    } else if (target instanceof VarSymbol local) {
      reassignedLocals.add(local);
    }
    return super.visitAssignment(tree, null);
  }

  private static boolean isOnThis(ExpressionTree variable) {
    if (variable instanceof IdentifierTree) {
      return true;
    }
    return variable instanceof MemberSelectTree select
        && select.getExpression() instanceof IdentifierTree receiver
        && receiver.getName().contentEquals("this");
  }

  /** The class {@code value} allocates, if it is a {@code new} expression; else null. */
  static @Nullable ClassSymbol allocatedClass(@Nullable ExpressionTree value) {
    while (value instanceof ParenthesizedTree) {
      value = ((ParenthesizedTree) value).getExpression();
    }
    if (value instanceof NewClassTree) {
      JCTree.JCNewClass newClass = (JCTree.JCNewClass) value;
      if (newClass.def != null && newClass.def.sym != null) {
        return newClass.def.sym;
      }
      if (newClass.type != null && newClass.type.tsym instanceof ClassSymbol) {
        return (ClassSymbol) newClass.type.tsym;
      }
    }
    return null;
  }

  @Override
  public Void visitClass(ClassTree tree, Void unused) {
    classes.add(tree); // its methods are code of their own
    return null;
  }
}
