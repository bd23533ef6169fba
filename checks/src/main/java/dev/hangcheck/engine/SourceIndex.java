package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.blocking.BlockingCatalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Everything the checks need to know about the source of one javac run, computed once: every
 * body (method, initializer, deferred lambda) with what it does, which method overrides which,
 * and the initialisers of fields. Units are processed in the order of their file names, so the
 * result does not depend on the order of files on the command line.
 */
public final class SourceIndex {

  private static final Comparator<CompilationUnitTree> UNIT_ORDER =
      Comparator.comparing(unit -> unit.getSourceFile().toUri().toString());

  private final ImmutableList<CompilationUnitTree> units;
  private final Set<CompilationUnitTree> unitSet;
  private final List<Body> bodies = new ArrayList<>();
  private final Map<MethodSymbol, Body> methodBodies = new IdentityHashMap<>();
  private final Map<MethodSymbol, List<MethodSymbol>> overriders = new IdentityHashMap<>();
  private final Map<VarSymbol, ExpressionTree> fieldInitializers =
      new IdentityHashMap<>();
  private final Map<MethodSymbol, Map<Symbol.TypeSymbol, List<Body>>> dispatchCache =
      new IdentityHashMap<>();
  private final Set<ClassSymbol> sourceClasses = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<VarSymbol> reassigned = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Types types;
  private int failures;

  private SourceIndex(Collection<CompilationUnitTree> units, Types types) {
    List<CompilationUnitTree> sorted = new ArrayList<>(units);
    sorted.sort(UNIT_ORDER);
    this.units = ImmutableList.copyOf(sorted);
    this.unitSet = Collections.newSetFromMap(new IdentityHashMap<>());
    this.unitSet.addAll(sorted);
    this.types = types;
  }

  static SourceIndex build(
      Collection<CompilationUnitTree> units,
      VisitorState state,
      BlockingCatalog catalog,
      boolean failOnInternalError) {
    SourceIndex index = new SourceIndex(units, state.getTypes());
    List<TreePath> methods = new ArrayList<>();
    List<TreePath> initializers = new ArrayList<>();
    for (CompilationUnitTree unit : index.units) {
      index.collect(unit, methods, initializers, state);
    }
    for (TreePath method : methods) {
      index.guarded(
          failOnInternalError,
          () -> index.add(BodyScanner.scanMethod(index, state, catalog, method)));
    }
    for (TreePath initializer : initializers) {
      index.guarded(
          failOnInternalError,
          () -> {
            ClassSymbol owner = ASTHelpers.getSymbol((ClassTree) initializer.getParentPath().getLeaf());
            index.add(BodyScanner.scanInitializer(index, state, catalog, initializer, owner));
          });
    }
    return index;
  }

  /** First pass: find every method, initializer and field of every class, nested ones included. */
  private void collect(
      CompilationUnitTree unit,
      List<TreePath> methods,
      List<TreePath> initializers,
      VisitorState state) {
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        ClassSymbol symbol = ASTHelpers.getSymbol(tree);
        if (symbol != null) {
          sourceClasses.add(symbol);
        }
        for (Tree member : tree.getMembers()) {
          TreePath memberPath = new TreePath(getCurrentPath(), member);
          if (member instanceof BlockTree) {
            initializers.add(memberPath);
          } else if (member instanceof VariableTree && ((VariableTree) member).getInitializer() != null) {
            initializers.add(memberPath);
            VarSymbol field = ASTHelpers.getSymbol((VariableTree) member);
            if (field != null) {
              fieldInitializers.put(field, ((VariableTree) member).getInitializer());
            }
          }
        }
        return super.visitClass(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        noteAssigned(tree.getVariable());
        return super.visitAssignment(tree, null);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
        noteAssigned(tree.getVariable());
        return super.visitCompoundAssignment(tree, null);
      }

      @Override
      public Void visitUnary(UnaryTree tree, Void unused) {
        switch (tree.getKind()) {
          case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
              noteAssigned(tree.getExpression());
          default -> {}
        }
        return super.visitUnary(tree, null);
      }

      @Override
      public Void visitMethod(MethodTree tree, Void unused) {
        MethodSymbol symbol = ASTHelpers.getSymbol(tree);
        if (symbol != null && tree.getBody() != null) {
          methods.add(getCurrentPath());
          for (MethodSymbol overridden : ASTHelpers.findSuperMethods(symbol, state.getTypes())) {
            overriders.computeIfAbsent(overridden, k -> new ArrayList<>()).add(symbol);
          }
        }
        return super.visitMethod(tree, null);
      }
    }.scan(unit, null);
  }

  private void noteAssigned(ExpressionTree variable) {
    if (variable instanceof IdentifierTree
        && ASTHelpers.getSymbol(variable) instanceof VarSymbol local
        && !(local.owner instanceof ClassSymbol)) {
      reassigned.add(local);
    }
  }

  /** Whether {@code cls} is compiled in this run (and not read from a class file). */
  public boolean isSourceClass(ClassSymbol cls) {
    return sourceClasses.contains(cls);
  }

  /** Whether a local variable or parameter is assigned anywhere after its declaration. */
  public boolean isReassigned(VarSymbol variable) {
    return reassigned.contains(variable);
  }

  private void add(List<Body> scanned) {
    for (Body body : scanned) {
      bodies.add(body);
      if (body.kind() == Body.Kind.METHOD) {
        methodBodies.put(body.symbol(), body);
      }
    }
  }

  /** A method that cannot be analysed is left out; javac must never fail because of Hangcheck. */
  private void guarded(boolean failOnInternalError, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | StackOverflowError e) {
      if (failOnInternalError) {
        throw e;
      }
      failures++;
    }
  }

  public ImmutableList<CompilationUnitTree> units() {
    return units;
  }

  public boolean contains(CompilationUnitTree unit) {
    return unitSet.contains(unit);
  }

  /** Every body, in file-name order and then source order. */
  public List<Body> bodies() {
    return bodies;
  }

  public @Nullable Body bodyOf(MethodSymbol method) {
    return methodBodies.get(method);
  }

  /** How many methods could not be analysed (an internal error, reported by no check). */
  public int failures() {
    return failures;
  }

  @Nullable ExpressionTree fieldInitializer(VarSymbol field) {
    return fieldInitializers.get(field);
  }

  /**
   * Beyond this many overrides a virtual call is taken to reach code the caller does not know
   * (a callback, a widely implemented interface): following every implementation would invent
   * paths that no program runs, and precision comes first.
   */
  static final int MAX_DISPATCH_TARGETS = 3;

  /**
   * The bodies a call may run, compiled in this run: the statically resolved method and, for a
   * virtual call, the overrides of it in subtypes of the receiver's static type, when there are
   * at most {@link #MAX_DISPATCH_TARGETS} of them.
   */
  public List<Body> targets(CallSite call, Predicate<Body> include) {
    List<Body> targets = new ArrayList<>(1);
    Body direct = methodBodies.get(call.callee());
    if (direct != null && include.test(direct)) {
      targets.add(direct);
    }
    if (call.dispatchesVirtually()) {
      for (Body body : dispatchTargets(call.callee(), call.receiverType())) {
        if (include.test(body)) {
          targets.add(body);
        }
      }
    }
    return targets;
  }

  /** The overrides a virtual call may reach, memoized per method and receiver type. */
  private List<Body> dispatchTargets(MethodSymbol callee, @Nullable Type receiverType) {
    Type receiver = receiverType == null ? null : types.erasure(receiverType);
    Symbol.TypeSymbol receiverClass = receiver == null ? null : receiver.tsym;
    Map<Symbol.TypeSymbol, List<Body>> byReceiver =
        dispatchCache.computeIfAbsent(callee, k -> new HashMap<>());
    List<Body> cached = byReceiver.get(receiverClass);
    if (cached != null) {
      return cached;
    }
    List<Body> overrides = new ArrayList<>();
    for (MethodSymbol override : overriders.getOrDefault(callee, List.of())) {
      Body body = methodBodies.get(override);
      if (body != null
          && (receiverClass == null || override.enclClass().isSubClass(receiverClass, types))) {
        overrides.add(body);
      }
    }
    List<Body> result = overrides.size() <= MAX_DISPATCH_TARGETS ? overrides : List.of();
    byReceiver.put(receiverClass, result);
    return result;
  }
}
