package dev.hangcheck.engine;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which bodies a call may run, and what a getter returns: the statically resolved method, and for
 * a virtual call the overrides in the classes instantiated in this run that the receiver's objects
 * may be of (rapid type analysis), judged by where the receiver comes from.
 */
final class Dispatch {

  private final SourceIndex index;
  private final Types types;
  private final Map<MethodSymbol, Map<Symbol.TypeSymbol, List<Body>>> dispatchCache =
      new IdentityHashMap<>();
  private final Map<MethodSymbol, Optional<LockName>> getterResults = new IdentityHashMap<>();
  private @Nullable Map<Symbol.TypeSymbol, List<ClassSymbol>> instantiatedBelow;

  Dispatch(SourceIndex index, Types types) {
    this.index = index;
    this.types = types;
  }

  /**
   * What a getter call may return, as lock names relative to its receiver: for each method the
   * call may run (the statically resolved one and the overrides in classes instantiated here), the
   * path its body returns ({@code return this.lock;}). Empty when one of them is no such getter.
   */
  List<LockName> gettersResults(MethodSymbol method, @Nullable Type receiverType, int depth) {
    List<MethodSymbol> runs = new ArrayList<>();
    if (index.methodPath(method) != null) {
      runs.add(method);
    }
    for (MethodSymbol implementation : overridesFor(method, receiverType)) {
      if (!runs.contains(implementation)) {
        runs.add(implementation);
      }
    }
    List<LockName> results = new ArrayList<>();
    for (MethodSymbol run : runs) {
      LockName result = getterResult(run, depth);
      if (result == null) {
        return List.of();
      }
      results.add(result);
    }
    return results;
  }

  /**
   * The one class of the objects a call returns when every method it may run is a factory: each
   * of its {@code return}s is {@code new X(...)} of that class ({@code prepareCommand} returning
   * {@code new CommandRemote(...)}); else null.
   */
  @Nullable ClassSymbol factoryClass(MethodSymbol method, @Nullable Type receiverType) {
    ClassSymbol made = factoryClass(method);
    if (made == null) {
      return null;
    }
    for (MethodSymbol implementation : overridesFor(method, receiverType)) {
      if (factoryClass(implementation) != made) {
        return null;
      }
    }
    return made;
  }

  /**
   * The overrides a call of {@code method} on a receiver of {@code receiverType} may run instead,
   * for a method declared in this run; none for a static or library method.
   */
  private List<MethodSymbol> overridesFor(MethodSymbol method, @Nullable Type receiverType) {
    if (method.isStatic() || !index.isSourceClass(method.enclClass())) {
      return List.of();
    }
    Type receiver = receiverType == null ? null : types.erasure(receiverType);
    return implementationsBelow(method, receiver == null ? method.enclClass() : receiver.tsym);
  }

  private @Nullable ClassSymbol factoryClass(MethodSymbol method) {
    Optional<ClassSymbol> known = factoryClasses.get(method);
    if (known == null) {
      TreePath path = index.methodPath(method);
      MethodTree tree = path == null ? null : (MethodTree) path.getLeaf();
      known = Optional.ofNullable(tree == null ? null : FactoryReturns.classOf(tree));
      factoryClasses.put(method, known);
    }
    return known.orElse(null);
  }

  private final Map<MethodSymbol, Optional<ClassSymbol>> factoryClasses = new IdentityHashMap<>();

  private @Nullable LockName getterResult(MethodSymbol method, int depth) {
    Optional<LockName> known = getterResults.get(method);
    if (known != null) {
      return known.orElse(null);
    }
    getterResults.put(method, Optional.empty()); // a getter that returns its own result
    LockName result = null;
    TreePath path = index.methodPath(method);
    MethodTree tree = path == null ? null : (MethodTree) path.getLeaf();
    com.sun.source.tree.ReturnTree onlyReturn = tree == null ? null : onlyReturn(tree.getBody());
    if (onlyReturn != null) {
      ExpressionTree returned = onlyReturn.getExpression();
      if (returned != null) {
        LockName name =
            new LockResolver(
                    index,
                    index.state(),
                    method.enclClass(),
                    method,
                    variable -> true,
                    (variable, use) -> true,
                    variable -> null)
                .resolve(returned);
        if (name.root() == LockName.Root.THIS || name.root() == LockName.Root.GLOBAL) {
          result = name;
        }
      }
    }
    getterResults.put(method, Optional.ofNullable(result));
    return result;
  }

  /** The one statement of a getter's body, {@code return x;}, also inside one {@code synchronized}. */
  private static com.sun.source.tree.@Nullable ReturnTree onlyReturn(@Nullable BlockTree body) {
    if (body == null || body.getStatements().size() != 1) {
      return null;
    }
    Tree only = body.getStatements().get(0);
    if (only instanceof com.sun.source.tree.SynchronizedTree) {
      return onlyReturn(((com.sun.source.tree.SynchronizedTree) only).getBlock());
    }
    return only instanceof com.sun.source.tree.ReturnTree ? (com.sun.source.tree.ReturnTree) only : null;
  }

  /** The overrides of each virtual call, asked by every stage of every check. */
  private final Map<CallSite, List<Body>> dispatchedByCall = new IdentityHashMap<>();

  /** A hierarchy with more instantiated classes than this below the receiver is open code. */
  static final int MAX_DISPATCH_CLASSES = 1024;

  /**
   * The bodies a call may run, compiled in this run: the statically resolved method and, for a
   * virtual call to a method declared in this run, its implementations in the classes
   * instantiated in this run below the receiver's static type (rapid type analysis).
   */
  public List<Body> targets(CallSite call, Predicate<Body> include) {
    List<Body> targets = new ArrayList<>(1);
    Body direct = index.bodyOf(call.callee());
    if (direct != null && include.test(direct)) {
      targets.add(direct);
    }
    if (call.dispatchesVirtually()) {
      List<Body> overrides = dispatchedByCall.get(call);
      if (overrides == null) {
        overrides = dispatchTargets(call);
        dispatchedByCall.put(call, overrides);
      }
      for (Body body : overrides) {
        if (body != direct && include.test(body)) {
          targets.add(body);
        }
      }
    }
    return targets;
  }

  /**
   * How many classes an object handed in from elsewhere (a parameter, a field assigned from one,
   * a method's result) may be of before a call on it counts as a call of unknown code: in a
   * library, such an object may be the user's, and following every class of the library that
   * could be it invents paths no program takes (a memoizing supplier calling any supplier).
   */
  static final int MAX_CLASSES_OF_AN_OBJECT_FROM_ELSEWHERE = 3;

  /**
   * The overrides a virtual call may run, by where its receiver comes from: an object allocated
   * as one class runs that class's method; this object, any class below its own that is
   * instantiated here; an object from elsewhere, the classes instantiated here below the
   * receiver's type, when there are few.
   */
  private List<Body> dispatchTargets(CallSite call) {
    MethodSymbol callee = call.callee();
    if (!index.isSourceClass(callee.enclClass())) {
      // A method of a library type (Runnable.run, Object.equals, Collection.add) called through
      // that type: the object comes from anywhere, and the overrides compiled here are a guess.
      return List.of();
    }
    LockName receiver = call.receiverName();
    Set<ClassSymbol> known = receiverClasses(call);
    if (known != null) {
      return implementationBodies(callee, known);
    }
    boolean onThisObject =
        receiver != null && receiver.root() == LockName.Root.THIS && receiver.fields().isEmpty();
    List<Body> overrides = dispatchTargets(callee, call.receiverType());
    if (!onThisObject && overrides.size() > MAX_CLASSES_OF_AN_OBJECT_FROM_ELSEWHERE) {
      return List.of();
    }
    ValueFlow.Values values =
        onThisObject || overrides.isEmpty() ? null : call.receiverValues();
    if (values == null) {
      return overrides;
    }
    // Only the classes whose objects can get there, by where the caller got the receiver.
    List<Body> reachable = new ArrayList<>(overrides);
    reachable.retainAll(
        implementationBodies(callee, classesOf(callee, call.receiverType(), values)));
    return reachable;
  }

  /** The classes instantiated here below the receiver's type that a value may be. */
  private Set<ClassSymbol> classesOf(
      MethodSymbol callee, @Nullable Type receiverType, ValueFlow.Values values) {
    Symbol.TypeSymbol bound =
        receiverType == null ? callee.enclClass() : types.erasure(receiverType).tsym;
    Set<ClassSymbol> classes = new LinkedHashSet<>();
    for (ClassSymbol cls : values.exact()) {
      if (cls.isSubClass(bound, types)) {
        classes.add(cls);
      }
    }
    for (ClassSymbol cls : instantiatedBelow().getOrDefault(bound, List.of())) {
      if (isBelowAny(cls, values.below())) {
        classes.add(cls);
      }
    }
    return classes;
  }

  /**
   * Whether a variable of this type can hold an object of a class instantiated here, and its
   * type says something of which: an {@code Object} may be anything.
   */
  boolean mayHoldAnInstantiatedClass(Symbol.TypeSymbol type) {
    return instantiatedBelow().containsKey(type)
        && !type.getQualifiedName().contentEquals("java.lang.Object");
  }

  private boolean isBelowAny(ClassSymbol cls, Set<Symbol.TypeSymbol> types) {
    for (Symbol.TypeSymbol type : types) {
      if (cls.isSubClass(type, this.types)) {
        return true;
      }
    }
    return false;
  }

  private List<Body> implementationBodies(MethodSymbol callee, Set<ClassSymbol> classes) {
    List<Body> bodies = new ArrayList<>();
    for (ClassSymbol cls : classes) {
      MethodSymbol implementation = callee.implementation(cls, types, true);
      Body body =
          implementation == null || implementation == callee ? null : index.bodyOf(implementation);
      if (body != null && !bodies.contains(body)) {
        bodies.add(body);
      }
    }
    return bodies;
  }

  /**
   * The classes the receiver of {@code call} can be, where the code says: an object allocated as
   * one class, a field given only new objects. Null where any class below its type may be it.
   */
  private @Nullable Set<ClassSymbol> receiverClasses(CallSite call) {
    LockName receiver = call.receiverName();
    if (receiver == null) {
      return null;
    }
    LockId family = receiver.family();
    if (family != null
        && family.isExactClass()
        && family.objectClass() != null
        && (receiver.root() == LockName.Root.FRESH || family.kind() != LockId.Kind.OBJECT)) {
      return Set.of(family.objectClass());
    }
    return classesTheFieldHolds(receiver);
  }

  /**
   * Whether the receiver of {@code call} may be a {@code cls} (or a subclass): always, unless the
   * code says which classes it is.
   */
  boolean receiverMayBeA(CallSite call, ClassSymbol cls) {
    Set<ClassSymbol> classes = receiverClasses(call);
    ValueFlow.Values values = classes == null ? call.receiverValues() : null;
    if (values != null) {
      // An object known by a type may also be of a class code outside the run instantiates.
      for (Symbol.TypeSymbol type : values.below()) {
        if (cls.isSubClass(type, types) || type.isSubClass(cls, types)) {
          return true;
        }
      }
      classes = values.exact();
    }
    if (classes == null) {
      return true;
    }
    for (ClassSymbol known : classes) {
      if (known.isSubClass(cls, types)) {
        return true;
      }
    }
    return false;
  }

  /** For a receiver read from a field given only new objects, their classes; else null. */
  private @Nullable Set<ClassSymbol> classesTheFieldHolds(LockName receiver) {
    if (!receiver.isRelative() || receiver.fields().isEmpty()) {
      return null;
    }
    return index.fieldClasses(receiver.fields().get(receiver.fields().size() - 1));
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
    Symbol.TypeSymbol bound = receiverClass != null ? receiverClass : callee.enclClass();
    List<Body> overrides = new ArrayList<>();
    for (MethodSymbol implementation : implementationsBelow(callee, bound)) {
      Body body = index.bodyOf(implementation);
      if (body != null && !overrides.contains(body)) {
        overrides.add(body);
      }
    }
    byReceiver.put(receiverClass, overrides);
    return overrides;
  }

  /**
   * The implementations of {@code callee} other than itself that run for objects of the classes
   * instantiated in this run below {@code bound}: their own override, or one inherited from a
   * superclass.
   */
  private List<MethodSymbol> implementationsBelow(MethodSymbol callee, Symbol.TypeSymbol bound) {
    List<ClassSymbol> classes = instantiatedBelow().getOrDefault(bound, List.of());
    if (classes.size() > MAX_DISPATCH_CLASSES) {
      return List.of();
    }
    List<MethodSymbol> implementations = new ArrayList<>();
    for (ClassSymbol cls : classes) {
      MethodSymbol implementation = callee.implementation(cls, types, true);
      if (implementation != null
          && implementation != callee
          && !implementations.contains(implementation)) {
        implementations.add(implementation);
      }
    }
    return implementations;
  }

  private Map<Symbol.TypeSymbol, List<ClassSymbol>> instantiatedBelow() {
    if (instantiatedBelow == null) {
      instantiatedBelow = new HashMap<>();
      for (ClassSymbol cls : index.instantiated()) {
        for (Type supertype : types.closure(cls.type)) {
          instantiatedBelow.computeIfAbsent(supertype.tsym, k -> new ArrayList<>()).add(cls);
        }
      }
    }
    return instantiatedBelow;
  }
}
