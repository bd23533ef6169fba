package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableList;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.locks.LockId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The lock order the code declares ({@code @AcquiredBefore}, {@code @AcquiredAfter}, {@code
 * -XepOpt:Hangcheck:LockOrder}), taken transitively: which lock must be acquired before which. A
 * declared lock stands for its family; the monitor of a class's instances also for those of its
 * subclasses, which are instances too.
 */
public final class DeclaredOrder {

  /**
   * "{@code first} is acquired before {@code second}", as declared at {@code origin} (e.g. {@code
   * @AcquiredBefore on Bank.accounts (Bank.java:12)}).
   */
  public record Declaration(LockId first, LockId second, String origin) {}

  /** A declaration that cannot be used, reported where it is written. */
  public record Problem(CompilationUnitTree unit, Tree tree, String message) {}

  public static final DeclaredOrder NONE =
      new DeclaredOrder(ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), null);

  private final ImmutableList<Declaration> declarations;
  private final ImmutableList<Problem> problems;
  private final ImmutableList<String> flagProblems;
  private final @Nullable Types types;
  private final Map<LockId, List<Declaration>> after = new HashMap<>();
  /** Locks on a cycle of declarations: such an order cannot be kept, and is reported instead. */
  private final Set<LockId> onDeclaredCycle = new HashSet<>();
  private final TreeSet<LockId> declaredLocks = new TreeSet<>();
  private final Map<List<LockId>, Object> memo = new HashMap<>();
  private static final Object NOT_ORDERED = new Object();

  DeclaredOrder(
      ImmutableList<Declaration> declarations,
      ImmutableList<Problem> problems,
      ImmutableList<String> flagProblems,
      @Nullable Types types) {
    this.declarations = declarations;
    this.problems = problems;
    this.flagProblems = flagProblems;
    this.types = types;
    for (Declaration declaration : declarations) {
      after.computeIfAbsent(declaration.first(), k -> new ArrayList<>()).add(declaration);
      declaredLocks.add(declaration.first());
      declaredLocks.add(declaration.second());
    }
    for (List<Declaration> cycle : cycles(declarations)) {
      for (Declaration declaration : cycle) {
        onDeclaredCycle.add(declaration.first());
        onDeclaredCycle.add(declaration.second());
      }
    }
  }

  /**
   * The declarations of each cycle of the declared order (a strongly connected part of two locks
   * or more), in declaration order: an order no code can keep.
   */
  static List<List<Declaration>> cycles(List<Declaration> declarations) {
    LockGraph<Declaration> graph = new LockGraph<>();
    for (Declaration declaration : declarations) {
      graph.addEdge(declaration.first(), declaration.second(), declaration);
    }
    List<List<Declaration>> cycles = new ArrayList<>();
    for (Set<LockId> component : graph.cyclicComponents()) {
      List<Declaration> onCycle = new ArrayList<>();
      for (Declaration declaration : declarations) {
        if (component.contains(declaration.first()) && component.contains(declaration.second())) {
          onCycle.add(declaration);
        }
      }
      cycles.add(onCycle);
    }
    return cycles;
  }

  /** Whether nothing is declared: no lock order to hold the code to. */
  public boolean isEmpty() {
    return declarations.isEmpty();
  }

  public ImmutableList<Declaration> declarations() {
    return declarations;
  }

  /** Names that resolve to nothing, and declarations on a cycle, where they are written. */
  public ImmutableList<Problem> problems() {
    return problems;
  }

  /** What is wrong with the names of {@code -XepOpt:Hangcheck:LockOrder}. */
  public ImmutableList<String> flagProblems() {
    return flagProblems;
  }

  /** Whether the declared lock {@code declared} stands for {@code lock}. */
  boolean covers(LockId declared, LockId lock) {
    if (declared.equals(lock)) {
      return true;
    }
    if (isField(declared) && isField(lock) && declared.key().equals(lock.key())) {
      // One field, named from its own compilation (which saw it allocated) and from another's.
      return true;
    }
    return types != null
        && declared.kind() == LockId.Kind.OBJECT
        && lock.kind() == LockId.Kind.OBJECT
        && declared.objectClass() != null
        && lock.objectClass() != null
        && lock.objectClass().isSubClass(declared.objectClass(), types);
  }

  static boolean isField(LockId lock) {
    return lock.kind() == LockId.Kind.FIELD || lock.kind() == LockId.Kind.ASSIGNED_FIELD;
  }

  /** The declared locks that stand for {@code lock}, outside declared cycles. */
  private List<LockId> declaredFor(LockId lock) {
    List<LockId> found = new ArrayList<>();
    for (LockId declared : declaredLocks) {
      if (!onDeclaredCycle.contains(declared) && covers(declared, lock)) {
        found.add(declared);
      }
    }
    return found;
  }

  /**
   * The declarations that, one after another, put {@code acquired} before {@code held} (the
   * fewest), or null when the declared order does not: then taking {@code acquired} while {@code
   * held} is held keeps to it.
   */
  public @Nullable List<Declaration> putsBefore(LockId acquired, LockId held) {
    if (isEmpty()) {
      return null;
    }
    Object known = memo.computeIfAbsent(List.of(acquired, held), k -> search(acquired, held));
    @SuppressWarnings("unchecked")
    List<Declaration> path = known == NOT_ORDERED ? null : (List<Declaration>) known;
    return path;
  }

  /** Breadth-first over the declarations, so that the shortest chain of them is shown. */
  private Object search(LockId acquired, LockId held) {
    List<LockId> targets = declaredFor(held);
    if (targets.isEmpty()) {
      return NOT_ORDERED;
    }
    Map<LockId, Declaration> reachedBy = new HashMap<>();
    Deque<LockId> queue = new ArrayDeque<>();
    Set<LockId> starts = new HashSet<>(declaredFor(acquired));
    queue.addAll(new TreeSet<>(starts));
    while (!queue.isEmpty()) {
      LockId node = queue.poll();
      for (Declaration next : after.getOrDefault(node, List.of())) {
        LockId second = next.second();
        if (starts.contains(second) || reachedBy.containsKey(second) || onDeclaredCycle.contains(second)) {
          continue;
        }
        reachedBy.put(second, next);
        if (targets.contains(second)) {
          List<Declaration> path = new ArrayList<>();
          for (LockId at = second; !starts.contains(at); at = reachedBy.get(at).first()) {
            path.add(0, reachedBy.get(at));
          }
          return ImmutableList.copyOf(path);
        }
        queue.add(second);
      }
    }
    return NOT_ORDERED;
  }

  /**
   * The declared orders between the given locks of a graph, as edges "first, then second", taken
   * transitively: with the real edges, a cycle through one of them is a place that breaks the
   * declared order. Only the locks some declaration stands for are paired, a handful.
   */
  List<LockId[]> edgesAmong(Collection<LockId> locks) {
    List<LockId[]> edges = new ArrayList<>();
    if (isEmpty()) {
      return edges;
    }
    List<LockId> declared = new ArrayList<>();
    for (LockId lock : new TreeSet<>(locks)) {
      if (!declaredFor(lock).isEmpty()) {
        declared.add(lock);
      }
    }
    for (LockId first : declared) {
      for (LockId second : declared) {
        if (!first.equals(second) && putsBefore(first, second) != null) {
          edges.add(new LockId[] {first, second});
        }
      }
    }
    return edges;
  }
}
