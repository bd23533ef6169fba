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
import dev.hangcheck.catalog.NonBlockingContexts;
import dev.hangcheck.locks.FieldAliases;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
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
import java.util.LinkedHashSet;
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
  private final Map<CompilationUnitTree, String> fileKeys = new IdentityHashMap<>();
  private final Suppressions suppressions = new Suppressions();
  private final Set<ClassSymbol> sourceClasses = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Types types;
  private final Dispatch dispatch;
  private final BackPointers backPointers;
  private final FieldClasses fieldClasses = new FieldClasses();
  private @Nullable ValueFlow valueFlow;
  private final UnboundedQueues unboundedQueues = new UnboundedQueues();
  private LibrarySummaries librarySummaries;
  private final Map<ClassSymbol, Boolean> hasLibrarySupertype = new IdentityHashMap<>();
  private final Map<MethodSymbol, List<LockName>> heldWhenLibraryCalls = new IdentityHashMap<>();
  private final FieldFamilies fieldFamilies = new FieldFamilies(this::isSourceClass);
  private final VisitorState state;
  private final BlockingCatalog catalog;
  private final boolean failOnInternalError;
  /** Every method with a body compiled in this run, in source order. */
  private final Map<MethodSymbol, TreePath> methodPaths = new LinkedHashMap<>();
  /** The methods analysed up front: they may hold a lock or must not block. */
  private final Set<MethodSymbol> roots = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The methods that call lock() or unlock() themselves (lock helpers among them). */
  private final Set<MethodSymbol> lockingMethods = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Methods being analysed now: a helper's summary asked for again during its own analysis. */
  private final Set<MethodSymbol> scanning = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Classes instantiated somewhere in the run: the receivers a virtual call can have. */
  private final Set<ClassSymbol> instantiated = new LinkedHashSet<>();
  /** For each method, the methods taking no lock themselves that call it. */
  private final Map<MethodSymbol, Set<MethodSymbol>> calledByLockFreeCode = new IdentityHashMap<>();
  /** Methods called from code whose held locks are not known, or named by a method reference. */
  private final Set<MethodSymbol> calledFromUnlockedCode =
      Collections.newSetFromMap(new IdentityHashMap<>());

  private final RootFinder.Observer observer =
      new RootFinder.Observer() {
        @Override
        public void fieldAssigned(VarSymbol field, @Nullable ClassSymbol allocatedClass) {
          fieldFamilies.assigned(field, allocatedClass);
        }

        @Override
        public void fieldWritten(
            VarSymbol field,
            ExpressionTree value,
            boolean onThis,
            @Nullable MethodSymbol method,
            @Nullable ClassSymbol inClass) {
          backPointers.written(field, value, onThis, method, inClass);
          if (onThis
              && method != null
              && method.isConstructor()
              && (field.flags() & Flags.FINAL) != 0) {
            fieldFamilies.writtenInConstructor(field, value);
          }
          fieldClasses.written(field, value);
          unboundedQueues.written(field, value);
        }

        @Override
        public void instantiated(ClassSymbol cls) {
          instantiated.add(cls);
        }

        @Override
        public void called(
            MethodSymbol method, boolean byMethodReference, @Nullable MethodSymbol caller) {
          if (byMethodReference || caller == null) {
            calledFromUnlockedCode.add(method);
          } else {
            // A method that takes no lock itself: its calls hold what its own callers hold.
            calledByLockFreeCode.computeIfAbsent(method, k -> new LinkedHashSet<>()).add(caller);
          }
        }
      };
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
    this.dispatch = new Dispatch(this, types);
    this.backPointers = new BackPointers(this, types);
    this.state = state;
    this.catalog = catalog;
    this.failOnInternalError = failOnInternalError;
  }

  /**
   * @param nonBlocking tells the code to analyse up front besides what may hold a lock: methods
   *     that must not block, and code with lambdas or method references that may run where
   *     blocking is forbidden
   */
  static SourceIndex build(
      Collection<CompilationUnitTree> units,
      VisitorState state,
      BlockingCatalog catalog,
      boolean failOnInternalError,
      NonBlockingContexts nonBlocking,
      LibrarySummaries librarySummaries) {
    SourceIndex index = new SourceIndex(units, state, catalog, failOnInternalError);
    index.librarySummaries = librarySummaries;
    librarySummaries.compiledInThisRun(index::isSourceClass);
    nonBlocking.prepare(index.units, state);
    Deque<TreePath> classes = new ArrayDeque<>();
    for (CompilationUnitTree unit : index.units) {
      TreePath unitPath = new TreePath(unit);
      for (Tree declaration : unit.getTypeDecls()) {
        if (declaration instanceof ClassTree) {
          classes.add(new TreePath(unitPath, declaration));
        }
      }
    }
    // First a cheap look at all code (members, then a syntactic walk of each body): which code
    // may hold a lock, what fields are assigned, which classes are instantiated, who calls whom.
    // Lock names depend on all of that, so the code that may hold a lock or must not block is
    // analysed only then; the rest when a call reaches it.
    List<TreePath> rootMethods = new ArrayList<>();
    List<NonBlockingContexts.Creation> creations = new ArrayList<>();
    List<TreePath> rootInitializers = new ArrayList<>();
    Map<TreePath, RootFinder> maybeRoots = new LinkedHashMap<>();
    while (!classes.isEmpty()) {
      List<TreePath> methods = new ArrayList<>();
      List<TreePath> initializers = new ArrayList<>();
      while (!classes.isEmpty()) {
        index.collectMembers(classes.poll(), methods, initializers, classes);
      }
      for (TreePath method : methods) {
        MethodTree tree = (MethodTree) method.getLeaf();
        MethodSymbol symbol = ASTHelpers.getSymbol(tree);
        RootFinder finder =
            RootFinder.look(tree.getBody(), index.observer, symbol, symbol.enclClass());
        creations.addAll(finder.creations());
        index.addLocalClasses(method, finder, classes);
        index.methodPaths.put(symbol, method);
        boolean root =
            finder.mayHoldLock()
                || (symbol.flags() & Flags.SYNCHRONIZED) != 0
                || nonBlocking.isNonBlocking(symbol, method, state)
                || hasNonBlockingFunction(finder, nonBlocking, state)
                || AnnotatedLocks.declaresHeldOnEntry(symbol)
                || !index.heldWhenLibraryCalls(symbol).isEmpty()
                || finder.callsAny(index::makesAnOrderByItsSummary);
        if (root) {
          finder.reportCalls(true);
          index.roots.add(symbol);
          rootMethods.add(method);
        } else {
          maybeRoots.put(method, finder);
        }
        if (finder.callsLockApi()) {
          index.lockingMethods.add(symbol);
        }
      }
      for (TreePath initializer : initializers) {
        RootFinder finder =
            RootFinder.look(
                initializer.getLeaf(),
                index.observer,
                null,
                ASTHelpers.getSymbol((ClassTree) initializer.getParentPath().getLeaf()));
        index.addLocalClasses(initializer, finder, classes);
        creations.addAll(finder.creations());
        boolean root = finder.mayHoldLock() || hasNonBlockingFunction(finder, nonBlocking, state);
        finder.reportCalls(root);
        if (root) {
          rootInitializers.add(initializer);
        }
      }
    }
    // Handler objects of named classes given to framework APIs: their methods may have become
    // non-blocking now that every call is seen.
    boolean learned = nonBlocking.learnHandlerClasses(creations, state);
    // A method that calls a lock helper holds that lock after the call: it may hold a lock too.
    maybeRoots.forEach(
        (method, finder) -> {
          boolean callsHelper = finder.calls(index.lockingMethods);
          boolean root =
              callsHelper
                  || (learned
                      && nonBlocking.isNonBlocking(
                          ASTHelpers.getSymbol((MethodTree) method.getLeaf()), method, state));
          finder.reportCalls(root);
          if (root) {
            index.roots.add(ASTHelpers.getSymbol((MethodTree) method.getLeaf()));
            rootMethods.add(method);
          }
        });
    for (TreePath method : rootMethods) {
      index.bodyOf(ASTHelpers.getSymbol((MethodTree) method.getLeaf()));
    }
    for (TreePath initializer : rootInitializers) {
      index.guarded(
          () -> {
            ClassSymbol owner =
                ASTHelpers.getSymbol((ClassTree) initializer.getParentPath().getLeaf());
            index.add(BodyScanner.scanInitializer(index, state, catalog, initializer, owner), true);
          });
    }
    return index;
  }

  private static boolean hasNonBlockingFunction(
      RootFinder finder, NonBlockingContexts nonBlocking, VisitorState state) {
    for (RootFinder.Function function : finder.functions()) {
      if (nonBlocking.mayBeNonBlockingFunction(function.tree(), function.enclosingCall(), state)) {
        return true;
      }
    }
    return false;
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
          fieldFamilies.initialized(field, ((VariableTree) member).getInitializer());
          observer.fieldAssigned(
              field, RootFinder.allocatedClass(((VariableTree) member).getInitializer()));
          if (symbol != null) {
            observer.fieldWritten(
                field, ((VariableTree) member).getInitializer(), true, null, symbol);
          }
        }
      } else if (member instanceof ClassTree) {
        memberClasses.add(memberPath);
      }
    }
  }


  /**
   * Whether a call of {@code callee} on a receiver of static type {@code receiverType} (null for
   * static calls and constructors) may be a blocking call by itself, without looking into a body:
   * the catalog says so, or a summary. A cheap over-approximation, for finding the few methods
   * worth analysing.
   */
  public boolean mayBlockByItself(MethodSymbol callee, @Nullable Type receiverType) {
    return catalog.classify(callee, receiverType, state) != null
        || (!isSourceClass(SummaryFormat.topLevelClass(callee))
            && !librarySummaries.of(callee).isEmpty());
  }

  /**
   * The locks held where the code of a library calls a method that {@code method} overrides, by
   * the library's summary ({@code listener.onEvent(e)} under the library's lock): its body runs
   * under them.
   */
  List<LockName> heldWhenLibraryCalls(MethodSymbol method) {
    if ((method.flags() & Flags.PRIVATE) != 0 || method.isConstructor()) {
      return List.of();
    }
    if (!hasLibrarySupertype(method.enclClass())
        && librarySummaries.contributedCalledUnder(method).isEmpty()) {
      return List.of();
    }
    // Asked when the roots are found and again when the method is analysed.
    return heldWhenLibraryCalls.computeIfAbsent(method, this::locksOfLibraryCallers);
  }

  private List<LockName> locksOfLibraryCallers(MethodSymbol method) {
    List<SummaryFormat.CalledUnder> entries = new ArrayList<>();
    if ((method.flags() & Flags.STATIC) == 0) {
      for (MethodSymbol overridden : ASTHelpers.findSuperMethods(method, types)) {
        if (!isSourceClass(SummaryFormat.topLevelClass(overridden))) {
          entries.addAll(librarySummaries.calledUnder(overridden));
        }
      }
    }
    // Calls of the method itself by classes compiled before, not now (an incremental build).
    entries.addAll(librarySummaries.contributedCalledUnder(method));
    List<LockName> held = new ArrayList<>();
    for (SummaryFormat.CalledUnder entry : entries) {
      LockName lock = entry.lock();
      String where =
          ", which " + entry.caller() + " holds when it calls this (" + entry.origin() + ")";
      held.add(
          new LockName(
              lock.root(),
              lock.parameter(),
              lock.fields(),
              lock.family(),
              lock.alternatives(),
              (lock.family() == null ? lock.text() : lock.family().display()) + where));
    }
    return held;
  }

  /**
   * Whether {@code method}, of a class compiled earlier, takes one lock while holding another by
   * its summary: its caller makes that order, holding nothing itself.
   */
  private boolean makesAnOrderByItsSummary(MethodSymbol method) {
    if (isSourceClass(SummaryFormat.topLevelClass(method))) {
      return false;
    }
    for (SummaryFormat.Acquires acquired : librarySummaries.acquisitionsOf(method)) {
      if (acquired.holding() != null) {
        return true;
      }
    }
    return false;
  }

  /** The methods that call {@code method} and take no lock themselves, in source order. */
  Set<MethodSymbol> lockFreeCallersOf(MethodSymbol method) {
    return Collections.unmodifiableSet(calledByLockFreeCode.getOrDefault(method, Set.of()));
  }

  /** Whether a class extends or implements a class of the class path (the JDK's aside). */
  private boolean hasLibrarySupertype(ClassSymbol cls) {
    return hasLibrarySupertype.computeIfAbsent(
        cls,
        c -> {
          for (Type supertype : types.closure(c.type)) {
            if (supertype.tsym instanceof ClassSymbol candidate
                && !isSourceClass(candidate)
                && !SummaryFormat.isPlatformClass(candidate)) {
              return true;
            }
          }
          return false;
        });
  }

  /** What methods of classes compiled in earlier runs block on, by their summaries. */
  public LibrarySummaries librarySummaries() {
    return librarySummaries;
  }

  /** Blocking queues that are never full. */
  UnboundedQueues unboundedQueues() {
    return unboundedQueues;
  }

  /** The classes of the objects field {@code key} can hold, if it is given only new ones. */
  @Nullable Set<ClassSymbol> fieldClasses(String key) {
    return fieldClasses.of(key);
  }

  /** Which paths are one object by what the fields hold (back-pointers). */
  public FieldAliases fieldAliases() {
    return backPointers;
  }

  /** Whether a lock of family {@code a} and one of {@code b} may be one object. */
  public boolean mayBeSameObject(LockId a, LockId b) {
    return a.mayBeSameObject(b, types);
  }

  public Types types() {
    return types;
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
  public boolean isSourceClass(@Nullable ClassSymbol cls) {
    return cls != null && sourceClasses.contains(cls);
  }


  private void add(List<Body> scanned, boolean root) {
    for (Body body : scanned) {
      (root ? bodies : lateBodies).add(body);
      if (body.kind() == Body.Kind.METHOD) {
        methodBodies.put(body.symbol(), body);
      }
    }
  }

  /**
   * Which objects values may be, by where the code got them: recorded over all code on the first
   * question (many compilations never ask one).
   */
  ValueFlow valueFlow() {
    if (valueFlow == null) {
      ValueFlow flow =
          new ValueFlow(types, this::isSourceClass, dispatch::mayHoldAnInstantiatedClass);
      for (CompilationUnitTree unit : units) {
        int failed = failures;
        guarded(() -> ValueFlowRecorder.record(unit, flow, types, this::isSourceClass));
        if (failures != failed) {
          flow.markIncomplete(); // a flow missed would make some answer too small
        }
      }
      valueFlow = flow;
    }
    return valueFlow;
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
    List.copyOf(methodPaths.keySet()).forEach(this::bodyOf);
    List<Body> all = new ArrayList<>(bodies);
    all.addAll(lateBodies);
    return all;
  }

  /**
   * The body of a method compiled in this run, analysed on first request; null for a method
   * without a body here, or one whose analysis is under way (a lock helper calling itself).
   */
  public @Nullable Body bodyOf(MethodSymbol method) {
    Body body = methodBodies.get(method);
    if (body == null) {
      TreePath path = methodPaths.get(method);
      if (path != null && scanning.add(method)) {
        try {
          guarded(() -> add(BodyScanner.scanMethod(this, state, catalog, path), roots.contains(method)));
        } finally {
          scanning.remove(method);
        }
        body = methodBodies.get(method);
        if (body == null) {
          methodPaths.remove(method); // it failed: do not try again
        }
      }
    }
    return body;
  }

  /** The body of a method if it has been analysed already; never analyses one. */
  public @Nullable Body analysedBodyOf(MethodSymbol method) {
    return methodBodies.get(method);
  }

  /**
   * The body of a method that takes or releases locks itself and may leave some held or release
   * some it did not take (a lock helper), for the analysis of its callers; else null.
   */
  @Nullable Body lockHelperBody(MethodSymbol method) {
    // Helpers calling helpers are analysed inside one another: a few levels, not a whole chain.
    return lockingMethods.contains(method) && scanning.size() < MAX_NESTED_HELPERS
        ? bodyOf(method)
        : null;
  }

  /** How deep lock helpers calling lock helpers are followed. */
  static final int MAX_NESTED_HELPERS = 8;

  /**
   * Whether every call of {@code method} is made by code whose held locks are known: analysed
   * code, or a method taking no lock itself that {@code isAnalysed} (whose calls then hold what
   * its callers hold); not by a method reference or an initializer run without locks.
   */
  public boolean hasOnlyAnalysedCallers(MethodSymbol method, Predicate<MethodSymbol> isAnalysed) {
    if (!methodPaths.containsKey(method) || method.isConstructor() || !callsAreKnown(method, isAnalysed)) {
      return false;
    }
    // An override also runs where the methods it overrides are called: those calls must be known
    // too, and a method of a class compiled elsewhere is called by code not seen here.
    for (MethodSymbol overridden : ASTHelpers.findSuperMethods(method, types)) {
      if (!isSourceClass(SummaryFormat.topLevelClass(overridden))
          || !callsAreKnown(overridden, isAnalysed)) {
        return false;
      }
    }
    return true;
  }

  private boolean callsAreKnown(MethodSymbol method, Predicate<MethodSymbol> isAnalysed) {
    return !calledFromUnlockedCode.contains(method)
        && calledByLockFreeCode.getOrDefault(method, Set.of()).stream().allMatch(isAnalysed);
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
    return fieldFamilies.initializer(field);
  }

  /**
   * The family of the locks a field holds: for a field its class only ever assigns objects it
   * allocates ({@code = new ReentrantLock()}), that field of each instance; for any other field,
   * whatever object it was given, known by the field's class.
   */
  public @Nullable LockId fieldFamily(VarSymbol field) {
    return fieldFamilies.of(field);
  }

  /**
   * For a field initialised with {@code lock.readLock()} or {@code lock.writeLock()} and never
   * assigned a new object, that initialiser: the field names a view of that read-write lock.
   */
  @Nullable ExpressionTree readWriteViewInitializer(VarSymbol field) {
    return fieldFamilies.readWriteViewInitializer(field);
  }

  /**
   * The one class a call's every possible method returns a new object of; else null.
   */
  @Nullable ClassSymbol factoryClass(MethodSymbol method, @Nullable Type receiverType) {
    return dispatch.factoryClass(method, receiverType);
  }

  /**
   * What a getter call may return, as lock names relative to its receiver: for each method the
   * call may run, the path its body returns. Empty when one of them is no such getter.
   */
  List<LockName> gettersResults(MethodSymbol method, @Nullable Type receiverType, int depth) {
    return dispatch.gettersResults(method, receiverType, depth);
  }

  /**
   * Whether the receiver of a call may be a {@code cls}: always, unless the code says which
   * classes it is (an object allocated as one class, a field given only new objects).
   */
  public boolean receiverMayBeA(CallSite call, ClassSymbol cls) {
    return dispatch.receiverMayBeA(call, cls);
  }

  /**
   * The bodies a call may run, compiled in this run: the statically resolved method and, for a
   * virtual call, the overrides the receiver's objects may run ({@link Dispatch}).
   */
  public List<Body> targets(CallSite call, Predicate<Body> include) {
    return dispatch.targets(call, include);
  }

  @Nullable TreePath methodPath(MethodSymbol method) {
    return methodPaths.get(method);
  }

  VisitorState state() {
    return state;
  }

  /** The classes instantiated somewhere in the run, in the order they were met. */
  Set<ClassSymbol> instantiated() {
    return instantiated;
  }
}
