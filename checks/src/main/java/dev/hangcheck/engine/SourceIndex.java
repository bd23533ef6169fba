package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.catalog.BlockingCatalog;
import dev.hangcheck.locks.LockId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
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


  private final ImmutableList<CompilationUnitTree> units;
  private final Set<CompilationUnitTree> unitSet;
  private final List<Body> bodies = new ArrayList<>();
  /** Bodies analysed on demand, when a call reached them. */
  private final List<Body> lateBodies = new ArrayList<>();
  private final Map<MethodSymbol, Body> methodBodies = new IdentityHashMap<>();
  /**
   * The direct subclasses and implementations of each type, among the classes of this run.
   * Overrides are looked up on demand, for the few callees that matter, by walking down from the
   * receiver's type.
   */
  private final Map<Symbol.TypeSymbol, List<ClassSymbol>> subclasses = new HashMap<>();
  private final Map<VarSymbol, ExpressionTree> fieldInitializers =
      new IdentityHashMap<>();
  private final Map<MethodSymbol, Map<Symbol.TypeSymbol, List<Body>>> dispatchCache =
      new IdentityHashMap<>();
  private final Map<CompilationUnitTree, String> fileKeys = new IdentityHashMap<>();
  private final Suppressions suppressions = new Suppressions();
  private final Set<ClassSymbol> sourceClasses = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Types types;
  private final VisitorState state;
  private final BlockingCatalog catalog;
  private final boolean failOnInternalError;
  /** Methods not analysed yet, in source order: no call from where it matters has reached them. */
  private final Map<MethodSymbol, TreePath> unscanned = new LinkedHashMap<>();
  private int failures;
  private @Nullable Throwable firstFailure;

  private SourceIndex(
      Collection<CompilationUnitTree> units,
      VisitorState state,
      BlockingCatalog catalog,
      boolean failOnInternalError) {
    List<CompilationUnitTree> sorted = new ArrayList<>(units);
    for (CompilationUnitTree unit : sorted) {
      fileKeys.put(unit, unit.getSourceFile().getName());
    }
    sorted.sort(Comparator.comparing(fileKeys::get));
    this.units = ImmutableList.copyOf(sorted);
    this.unitSet = Collections.newSetFromMap(new IdentityHashMap<>());
    this.unitSet.addAll(sorted);
    this.types = state.getTypes();
    this.state = state;
    this.catalog = catalog;
    this.failOnInternalError = failOnInternalError;
  }

  /**
   * @param isRoot methods to analyse up front besides those that may hold a lock: the
   *     non-blocking ones
   */
  static SourceIndex build(
      Collection<CompilationUnitTree> units,
      VisitorState state,
      BlockingCatalog catalog,
      boolean failOnInternalError,
      Predicate<MethodSymbol> isRoot) {
    SourceIndex index = new SourceIndex(units, state, catalog, failOnInternalError);
    Deque<TreePath> classes = new ArrayDeque<>();
    for (CompilationUnitTree unit : index.units) {
      TreePath unitPath = new TreePath(unit);
      for (Tree declaration : unit.getTypeDecls()) {
        if (declaration instanceof ClassTree) {
          classes.add(new TreePath(unitPath, declaration));
        }
      }
    }
    // Classes first (members only, a shallow walk); the code that may hold a lock or must not
    // block is analysed now, the rest when a call reaches it. Local and anonymous classes found on
    // the way come round again.
    while (!classes.isEmpty()) {
      List<TreePath> methods = new ArrayList<>();
      List<TreePath> initializers = new ArrayList<>();
      while (!classes.isEmpty()) {
        index.collectMembers(classes.poll(), methods, initializers, classes);
      }
      for (TreePath method : methods) {
        MethodTree tree = (MethodTree) method.getLeaf();
        MethodSymbol symbol = ASTHelpers.getSymbol(tree);
        RootFinder finder = RootFinder.scan(tree.getBody());
        index.addLocalClasses(method, finder, classes);
        if (finder.mayHoldLock()
            || (symbol.flags() & Flags.SYNCHRONIZED) != 0
            || isRoot.test(symbol)) {
          index.guarded(() -> index.add(BodyScanner.scanMethod(index, state, catalog, method), true));
        } else {
          index.unscanned.put(symbol, method);
        }
      }
      for (TreePath initializer : initializers) {
        RootFinder finder = RootFinder.scan(initializer.getLeaf());
        index.addLocalClasses(initializer, finder, classes);
        if (finder.mayHoldLock()) {
          index.guarded(
              () -> {
                ClassSymbol owner =
                    ASTHelpers.getSymbol((ClassTree) initializer.getParentPath().getLeaf());
                index.add(
                    BodyScanner.scanInitializer(index, state, catalog, initializer, owner), true);
              });
        }
      }
    }
    return index;
  }

  private void addLocalClasses(TreePath code, RootFinder finder, Deque<TreePath> classes) {
    for (ClassTree local : finder.classes()) {
      TreePath path = TreePath.getPath(code, local);
      if (path != null) {
        classes.add(path);
      }
    }
  }

  /** Records the methods, initializers, fields and member classes of one class. */
  private void collectMembers(
      TreePath classPath,
      List<TreePath> methods,
      List<TreePath> initializers,
      Deque<TreePath> memberClasses) {
    ClassSymbol symbol = ASTHelpers.getSymbol((ClassTree) classPath.getLeaf());
    if (symbol != null) {
      sourceClasses.add(symbol);
      Type superclass = types.supertype(symbol.type);
      if (superclass != null && superclass.tsym != null) {
        subclasses.computeIfAbsent(superclass.tsym, k -> new ArrayList<>()).add(symbol);
      }
      for (Type implemented : types.interfaces(symbol.type)) {
        subclasses.computeIfAbsent(implemented.tsym, k -> new ArrayList<>()).add(symbol);
      }
    }
    for (Tree member : ((ClassTree) classPath.getLeaf()).getMembers()) {
      TreePath memberPath = new TreePath(classPath, member);
      if (member instanceof MethodTree) {
        MethodTree method = (MethodTree) member;
        MethodSymbol methodSymbol = ASTHelpers.getSymbol(method);
        if (methodSymbol != null && method.getBody() != null) {
          methods.add(memberPath);
        }
      } else if (member instanceof BlockTree) {
        initializers.add(memberPath);
      } else if (member instanceof VariableTree
          && ((VariableTree) member).getInitializer() != null) {
        initializers.add(memberPath);
        VarSymbol field = ASTHelpers.getSymbol((VariableTree) member);
        if (field != null) {
          fieldInitializers.put(field, ((VariableTree) member).getInitializer());
        }
      } else if (member instanceof ClassTree) {
        memberClasses.add(memberPath);
      }
    }
  }


  /**
   * Whether two monitor nodes may be the monitor of one object reached as {@code this}: the
   * monitors of a class and of its superclasses, which code on the same object takes.
   */
  public boolean isSameObjectMonitor(LockId held, LockId acquired) {
    ClassSymbol heldClass = held.monitorClass();
    ClassSymbol acquiredClass = acquired.monitorClass();
    return heldClass != null
        && acquiredClass != null
        && (heldClass.isSubClass(acquiredClass, types) || acquiredClass.isSubClass(heldClass, types));
  }

  /** The name (path) of a unit's source file, computed once per unit. */
  String fileKey(CompilationUnitTree unit) {
    return fileKeys.computeIfAbsent(unit, u -> u.getSourceFile().getName());
  }

  /** What {@code @SuppressWarnings} suppresses at {@code path}. */
  ImmutableSet<String> suppressions(TreePath path) {
    return suppressions.of(path);
  }

  /** Whether {@code cls} is compiled in this run (and not read from a class file). */
  public boolean isSourceClass(ClassSymbol cls) {
    return sourceClasses.contains(cls);
  }


  private void add(List<Body> scanned, boolean root) {
    for (Body body : scanned) {
      (root ? bodies : lateBodies).add(body);
      if (body.kind() == Body.Kind.METHOD) {
        methodBodies.put(body.symbol(), body);
      }
    }
  }

  /** A method that cannot be analysed is left out; javac must never fail because of Hangcheck. */
  private void guarded(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | StackOverflowError e) {
      if (failOnInternalError) {
        throw e;
      }
      failures++;
      if (firstFailure == null) {
        firstFailure = e;
      }
    }
  }

  public ImmutableList<CompilationUnitTree> units() {
    return units;
  }

  public boolean contains(CompilationUnitTree unit) {
    return unitSet.contains(unit);
  }

  /**
   * Every body that may hold a lock or must not block (the only ones with something to report), in
   * file-name order and then source order. Others are analysed when a call reaches them.
   */
  public List<Body> bodies() {
    return Collections.unmodifiableList(bodies);
  }

  /** Every body of the compilation, analysing the ones no call has reached yet (for tests). */
  public List<Body> allBodies() {
    List.copyOf(unscanned.keySet()).forEach(this::bodyOf);
    List<Body> all = new ArrayList<>(bodies);
    all.addAll(lateBodies);
    return all;
  }

  /** The body of a method compiled in this run, analysed on first request. */
  public @Nullable Body bodyOf(MethodSymbol method) {
    Body body = methodBodies.get(method);
    if (body == null) {
      TreePath path = unscanned.remove(method);
      if (path != null) {
        guarded(() -> add(BodyScanner.scanMethod(this, state, catalog, path), false));
        body = methodBodies.get(method);
      }
    }
    return body;
  }

  /** How many methods could not be analysed (an internal error, reported by no check). */
  public int failures() {
    return failures;
  }

  /** The first internal error met, for the note that tells the user. */
  public @Nullable Throwable firstFailure() {
    return firstFailure;
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

  /** A hierarchy wider than this below the receiver's type is an open world of its own. */
  static final int MAX_SUBCLASSES_WALKED = 256;

  /**
   * The bodies a call may run, compiled in this run: the statically resolved method and, for a
   * virtual call to a method declared in this run, the overrides of it in subtypes of the
   * receiver's static type, when there are at most {@link #MAX_DISPATCH_TARGETS} of them.
   */
  public List<Body> targets(CallSite call, Predicate<Body> include) {
    List<Body> targets = new ArrayList<>(1);
    Body direct = bodyOf(call.callee());
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
    if (!isSourceClass(callee.enclClass())) {
      // A method of a library type (Runnable.run, Object.equals, Collection.add) called through
      // that type: the object comes from anywhere, and the overrides compiled here are a guess.
      byReceiver.put(receiverClass, List.of());
      return List.of();
    }
    Symbol.TypeSymbol bound = receiverClass != null ? receiverClass : callee.enclClass();
    List<Body> overrides = overridesBelow(callee, bound);
    byReceiver.put(receiverClass, overrides);
    return overrides;
  }

  /**
   * The bodies of the overrides of {@code callee} in the source subclasses of {@code bound}, found
   * by walking down the class hierarchy: the cost is the size of that hierarchy, not of the
   * compilation. Past {@link #MAX_DISPATCH_TARGETS} overrides, or {@link #MAX_SUBCLASSES_WALKED}
   * subclasses, the target is unknown code and the answer is none.
   */
  private List<Body> overridesBelow(MethodSymbol callee, Symbol.TypeSymbol bound) {
    List<Body> overrides = new ArrayList<>();
    Deque<ClassSymbol> pending = new ArrayDeque<>(subclasses.getOrDefault(bound, List.of()));
    Set<ClassSymbol> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty()) {
      ClassSymbol subclass = pending.poll();
      if (!seen.add(subclass)) {
        continue; // reached through a class and an interface
      }
      if (seen.size() > MAX_SUBCLASSES_WALKED) {
        return List.of();
      }
      // What runs for an object of this class: its own override, or one it inherits from a
      // class that does not itself implement the callee's interface.
      MethodSymbol implementation = callee.implementation(subclass, types, true);
      if (implementation != null && implementation != callee) {
        Body body = bodyOf(implementation);
        if (body != null && !overrides.contains(body)) {
          overrides.add(body);
        }
      }
      if (overrides.size() > MAX_DISPATCH_TARGETS) {
        return List.of();
      }
      pending.addAll(subclasses.getOrDefault(subclass, List.of()));
    }
    return overrides;
  }
}
