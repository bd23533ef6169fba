package dev.hangcheck.differential;

import dev.hangcheck.differential.ProgramGenerator.Acquire;
import dev.hangcheck.differential.ProgramGenerator.Call;
import dev.hangcheck.differential.ProgramGenerator.Lambda;
import dev.hangcheck.differential.ProgramGenerator.MethodModel;
import dev.hangcheck.differential.ProgramGenerator.Program;
import dev.hangcheck.differential.ProgramGenerator.Stmt;
import dev.hangcheck.differential.ProgramGenerator.Window;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The expected LockOrderInversion findings of a generated program, computed from the generator's
 * model only, straight from docs/LockOrderInversion.md:
 *
 * <ul>
 *   <li>a method acquires: its own monitor/class if synchronized, every lock it locks (not a
 *       tryLock), and what the methods it calls acquire, at any depth; lambdas run on the spot
 *       ({@code forEach}) count, lambdas handed to an executor do not;
 *   <li>edge X → Y at a site when Y is acquired there (lock or call) while X is held in that method
 *       (or, in a lambda run on the spot, in the enclosing code) and Y is not already held;
 *   <li>a method in no call cycle, all of whose calls are made holding some locks (or made by
 *       methods that always run under them), always runs under those locks: taking one of them
 *       there, directly or through calls, is reentrant. A monitor counts only for calls on this;
 *       calls from methods that take no lock at all, and from deferred lambdas, hold nothing;
 *   <li>an edge made at a site is reported iff it lies on a cycle (X is reachable from Y) and, for
 *       each lock held there besides X and Y (or always held by the method), some edge without
 *       that lock lies on a path from Y back to X: a lock held at every edge of a cycle is a gate;
 *   <li>at most one finding per site: any of the reported edges made there;
 *   <li>a release window ({@code x.unlock(); try { ... } finally { x.lock(); }}) runs its body
 *       without x, in its method and in every caller, and taking x back is an acquisition of x
 *       while the rest is held.
 * </ul>
 */
final class Oracle {

  /** One edge at one site: {@code from -> to} created at {@code file:line}. */
  record Site(String file, int line, String from, String to) {
    /** The place alone, for comparing one finding per site. */
    String place() {
      return file + ":" + line;
    }

    static final Comparator<Site> ORDER =
        Comparator.comparing(Site::file)
            .thenComparingInt(Site::line)
            .thenComparing(Site::from)
            .thenComparing(Site::to);

    @Override
    public String toString() {
      return file + ":" + line + " " + from + " -> " + to;
    }
  }

  private final Program program;
  private final boolean reacquiringMakesEdges;
  /** A lock a method acquires, after the locks of its callers released on the way. */
  private record Fact(String node, Set<String> released) {
    Fact releasing(Set<String> more) {
      if (more.isEmpty()) {
        return this;
      }
      Set<String> all = new TreeSet<>(released);
      all.addAll(more);
      return new Fact(node, Set.copyOf(all));
    }
  }

  private final Map<MethodModel, Set<Fact>> acquires = new HashMap<>();
  private final Map<MethodModel, Set<String>> entry = new HashMap<>();
  /** The locks held besides an edge's two at each site, by site and edge. */
  private final Map<Site, Set<String>> guards = new HashMap<>();

  private Oracle(Program program, boolean reacquiringMakesEdges) {
    this.program = program;
    this.reacquiringMakesEdges = reacquiringMakesEdges;
  }

  /** Every edge of the program, at every site. */
  static Set<Site> edges(Program program) {
    return edges(program, false);
  }

  /** The sites of the edges that lie on a cycle: the expected findings. */
  static Set<Site> expected(Program program) {
    Oracle oracle = new Oracle(program, false);
    return oracle.reported(oracle.allEdges());
  }

  /**
   * NOT the specification, only for triage of failures: the findings if taking a lock that is
   * already held (directly or through calls) made edges from the other held locks into it, as the
   * checker was seen to do. A failing seed whose findings equal these fails only for that reason.
   */
  static Set<Site> expectedIfReacquiringMadeEdges(Program program) {
    Oracle oracle = new Oracle(program, true);
    return oracle.reported(oracle.allEdges());
  }

  private static Set<Site> edges(Program program, boolean reacquiringMakesEdges) {
    return new Oracle(program, reacquiringMakesEdges).allEdges();
  }

  private Set<Site> allEdges() {
    computeAcquires();
    computeEntries();
    Set<Site> out = new TreeSet<>(Site.ORDER);
    for (MethodModel m : program.methods()) {
      Set<String> held = new LinkedHashSet<>();
      if (m.syncNode() != null) {
        held.add(m.syncNode());
      }
      walk(m, m, m.body, held, entry.get(m), out);
    }
    return out;
  }

  private static Set<String> without(Set<String> locks, Set<String> released) {
    if (released.isEmpty()) {
      return locks;
    }
    Set<String> rest = new LinkedHashSet<>(locks);
    rest.removeAll(released);
    return rest;
  }

  private static Set<String> with(Set<String> locks, String lock) {
    Set<String> all = new LinkedHashSet<>(locks);
    all.add(lock);
    return all;
  }

  /** The edges on a cycle that some cycle through them takes without each of their guards. */
  private Set<Site> reported(Set<Site> all) {
    Map<String, Set<String>> graph = new HashMap<>();
    for (Site s : all) {
      graph.computeIfAbsent(s.from(), k -> new HashSet<>()).add(s.to());
    }
    Set<Site> out = new TreeSet<>(Site.ORDER);
    for (Site s : all) {
      if (!reachable(graph, s.to(), s.from())) {
        continue;
      }
      boolean escapesAll = true;
      for (String guard : guards.getOrDefault(s, Set.of())) {
        boolean escapes = false;
        for (Site other : all) {
          if (!guards.getOrDefault(other, Set.of()).contains(guard)
              && reachable(graph, s.to(), other.from())
              && reachable(graph, other.to(), s.from())) {
            escapes = true;
            break;
          }
        }
        escapesAll &= escapes;
      }
      if (escapesAll) {
        out.add(s);
      }
    }
    return out;
  }

  /** Calls of each method, with the locks held at the call and whether they are on this. */
  private record Caller(
      MethodModel caller, Set<String> held, boolean onThis, boolean deferred, Set<String> released) {}

  /**
   * What each method always runs under. Methods in call cycles and methods with no caller run
   * under nothing; the others under what each of their calls holds, with what the caller itself
   * runs under, computed callers first.
   */
  private void computeEntries() {
    Map<MethodModel, List<Caller>> callers = new HashMap<>();
    for (MethodModel m : program.methods()) {
      Set<String> held = new LinkedHashSet<>();
      if (m.syncNode() != null) {
        held.add(m.syncNode());
      }
      collectCalls(m, m.body, held, false, Set.of(), callers);
    }
    Set<MethodModel> recursive = new HashSet<>();
    for (MethodModel m : program.methods()) {
      if (callsReach(m, m)) {
        recursive.add(m);
      }
    }
    boolean changed = true;
    for (MethodModel m : program.methods()) {
      entry.put(m, null);
    }
    while (changed) {
      changed = false;
      for (MethodModel m : program.methods()) {
        if (entry.get(m) != null) {
          continue;
        }
        List<Caller> calls = callers.getOrDefault(m, List.of());
        if (recursive.contains(m) || calls.isEmpty()) {
          entry.put(m, Set.of());
          changed = true;
          continue;
        }
        if (calls.stream().anyMatch(c -> !c.deferred() && entry.get(c.caller()) == null)) {
          continue; // a caller not known yet
        }
        Set<String> common = null;
        for (Caller c : calls) {
          Set<String> here = new HashSet<>();
          for (String lock : c.held()) {
            if (!isMonitor(lock) || c.onThis()) {
              here.add(lock);
            }
          }
          // A deferred lambda runs on its own: what its method runs under does not flow in. A
          // caller taking no lock itself passes on what it runs under.
          for (String lock : c.deferred() ? Set.<String>of() : without(entry.get(c.caller()), c.released())) {
            if (!isMonitor(lock) || c.onThis()) {
              here.add(lock);
            }
          }
          if (common == null) {
            common = here;
          } else {
            common.retainAll(here);
          }
        }
        entry.put(m, common);
        changed = true;
      }
    }
  }

  private static boolean isMonitor(String node) {
    return node.startsWith("the monitor of a ");
  }

  private void collectCalls(
      MethodModel m,
      List<Stmt> stmts,
      Set<String> held,
      boolean deferred,
      Set<String> released,
      Map<MethodModel, List<Caller>> into) {
    for (Stmt s : stmts) {
      if (s instanceof Acquire a) {
        Set<String> inner = new LinkedHashSet<>(held);
        inner.add(a.node);
        collectCalls(m, a.body, inner, deferred, released, into);
      } else if (s instanceof Window w) {
        collectCalls(m, w.body, without(held, Set.of(w.node)), deferred, with(released, w.node), into);
      } else if (s instanceof Call c) {
        boolean onThis = !c.target.isStatic && !c.text.contains(".");
        into.computeIfAbsent(c.target, k -> new java.util.ArrayList<>())
            .add(new Caller(m, new LinkedHashSet<>(held), onThis, deferred, released));
      } else if (s instanceof Lambda l) {
        collectCalls(
            m,
            l.body,
            l.deferred ? new LinkedHashSet<>() : held,
            deferred || l.deferred,
            l.deferred ? Set.of() : released,
            into);
      }
    }
  }

  /**
   * Whether a method visibly takes a lock itself, anywhere in its code (its lambdas included):
   * {@code synchronized}, a call of {@code lock()}/{@code tryLock()}, or of a method that calls
   * them itself (a lock helper, {@code touch_lock}, any method with a lock() in it). A method that only passes a monitor to another method
   * ({@code touch_sync}) does not count: the checker looks at such callers' calls only when they
   * matter for something else, and so knows less there.
   */
  private static boolean takesLocks(MethodModel m) {
    return m.isSynchronized
        || containsAcquire(m.body)
        || callees(m.body, true).stream().anyMatch(callee -> usesLockApi(callee.body));
  }

  /** Whether code calls {@code lock()}, {@code tryLock()} or {@code unlock()} itself. */
  private static boolean usesLockApi(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Window) {
        return true;
      }
      if (s instanceof Acquire a) {
        if (a.isLock && a.form != ProgramGenerator.Form.HELPER && a.form != ProgramGenerator.Form.TOUCH) {
          return true;
        }
        if (usesLockApi(a.body)) {
          return true;
        }
      } else if (s instanceof Lambda l && usesLockApi(l.body)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsAcquire(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Window) {
        return true; // taking its lock back
      }
      if (s instanceof Acquire a && (a.form != ProgramGenerator.Form.TOUCH || a.isLock)) {
        return true; // touch_lock() calls lock(), touch_sync() does not
      }
      if (s instanceof Acquire a && containsAcquire(a.body)) {
        return true;
      }
      if (s instanceof Lambda l && containsAcquire(l.body)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code from}'s calls reach {@code to} (a deferred lambda's calls are its own). */
  private boolean callsReach(MethodModel from, MethodModel to) {
    Set<MethodModel> seen = new HashSet<>();
    Deque<MethodModel> queue = new ArrayDeque<>();
    queue.add(from);
    while (!queue.isEmpty()) {
      MethodModel m = queue.poll();
      for (MethodModel callee : callees(m.body)) {
        if (callee == to) {
          return true;
        }
        if (seen.add(callee)) {
          queue.add(callee);
        }
      }
    }
    return false;
  }

  private static List<MethodModel> callees(List<Stmt> stmts) {
    return callees(stmts, false);
  }

  /** The methods called, in deferred lambdas too if {@code alsoDeferred}. */
  private static List<MethodModel> callees(List<Stmt> stmts, boolean alsoDeferred) {
    List<MethodModel> out = new java.util.ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Acquire a) {
        out.addAll(callees(a.body, alsoDeferred));
      } else if (s instanceof Window w) {
        out.addAll(callees(w.body, alsoDeferred));
      } else if (s instanceof Call c) {
        out.add(c.target);
      } else if (s instanceof Lambda l && (alsoDeferred || !l.deferred)) {
        out.addAll(callees(l.body, alsoDeferred)); // a deferred lambda is not called by its method
      }
    }
    return out;
  }

  /** Plain BFS. */
  static boolean reachable(Map<String, Set<String>> graph, String from, String to) {
    Set<String> seen = new HashSet<>();
    Deque<String> queue = new ArrayDeque<>();
    queue.add(from);
    seen.add(from);
    while (!queue.isEmpty()) {
      String node = queue.poll();
      if (node.equals(to)) {
        return true;
      }
      for (String next : graph.getOrDefault(node, Set.of())) {
        if (seen.add(next)) {
          queue.add(next);
        }
      }
    }
    return false;
  }

  /** Least fixpoint of "what a method acquires, through calls at any depth". */
  private void computeAcquires() {
    acquires.putAll(acquiresAvoiding(null));
  }

  /**
   * What each method acquires through calls that never run {@code avoided} (null: any calls). A
   * lock a method holding others reaches only by re-entering itself is no edge of the checker's.
   */
  private Map<MethodModel, Set<Fact>> acquiresAvoiding(MethodModel avoided) {
    List<MethodModel> methods = program.methods();
    Map<MethodModel, Set<Fact>> result = new HashMap<>();
    for (MethodModel m : methods) {
      result.put(m, new HashSet<>());
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (MethodModel m : methods) {
        if (m == avoided) {
          continue;
        }
        Set<Fact> set = new HashSet<>();
        if (m.syncNode() != null) {
          set.add(new Fact(m.syncNode(), Set.of()));
        }
        collect(m.body, set, result, avoided, Set.of());
        if (!set.equals(result.get(m))) {
          result.put(m, set);
          changed = true;
        }
      }
    }
    return result;
  }

  private final Map<MethodModel, Map<MethodModel, Set<Fact>>> acquiresWithout = new HashMap<>();

  private Set<Fact> acquiredByCallFrom(MethodModel caller, MethodModel target) {
    if (caller == null) {
      return acquires.get(target);
    }
    return acquiresWithout.computeIfAbsent(caller, this::acquiresAvoiding).get(target);
  }

  private void collect(
      List<Stmt> stmts,
      Set<Fact> into,
      Map<MethodModel, Set<Fact>> known,
      MethodModel avoided,
      Set<String> released) {
    for (Stmt s : stmts) {
      if (s instanceof Acquire a) {
        if (a.waits()) {
          into.add(new Fact(a.node, released));
        }
        collect(a.body, into, known, avoided, released);
      } else if (s instanceof Window w) {
        Set<String> inside = Set.copyOf(with(released, w.node));
        collect(w.body, into, known, avoided, inside);
        into.add(new Fact(w.node, inside)); // taking it back
      } else if (s instanceof Call c) {
        if (c.target != avoided) {
          for (Fact fact : known.get(c.target)) {
            into.add(fact.releasing(released));
          }
        }
      } else if (s instanceof Lambda l) {
        if (!l.deferred) {
          collect(l.body, into, known, avoided, released);
        }
      } else {
        throw new AssertionError(s);
      }
    }
  }

  /** @param body the body the statements are in, for re-entry: m, or null in a deferred lambda */
  private void walk(
      MethodModel m,
      MethodModel body,
      List<Stmt> stmts,
      Set<String> held,
      Set<String> always,
      Set<Site> out) {
    for (Stmt s : stmts) {
      if (s instanceof Acquire a) {
        if (a.waits()
            && (!(held.contains(a.node) || always.contains(a.node)) || reacquiringMakesEdges)) {
          addEdges(m, a.line, held, always, a.node, out);
        }
        Set<String> inner = new LinkedHashSet<>(held);
        inner.add(a.node);
        walk(m, body, a.body, inner, always, out);
      } else if (s instanceof Window w) {
        Set<String> heldInside = without(held, Set.of(w.node));
        Set<String> alwaysInside = without(always, Set.of(w.node));
        walk(m, body, w.body, heldInside, alwaysInside, out);
        addEdges(m, w.relockLine, heldInside, alwaysInside, w.node, out);
      } else if (s instanceof Call c) {
        for (Fact fact : acquiredByCallFrom(body, c.target)) {
          Set<String> stillHeld = without(held, fact.released());
          Set<String> stillAlways = without(always, fact.released());
          String target = fact.node();
          if (!(stillHeld.contains(target) || stillAlways.contains(target))
              || reacquiringMakesEdges) {
            addEdges(m, c.line, stillHeld, stillAlways, target, out);
          }
        }
      } else if (s instanceof Lambda l) {
        if (l.deferred) {
          walk(m, null, l.body, new LinkedHashSet<>(), Set.of(), out);
        } else {
          walk(m, body, l.body, held, always, out);
        }
      } else {
        throw new AssertionError(s);
      }
    }
  }

  private void addEdges(
      MethodModel m, int line, Set<String> held, Set<String> always, String target, Set<Site> out) {
    for (String h : held) {
      if (!h.equals(target)) {
        Site site = new Site(m.file(), line, h, target);
        out.add(site);
        Set<String> guard = new HashSet<>(always);
        for (String other : held) {
          if (!other.equals(h) && !other.equals(target)) {
            guard.add(other);
          }
        }
        // One site may make an edge twice (a loop, two paths): it is gated only if every time.
        guards.merge(site, guard, (a, b) -> { a.retainAll(b); return a; });
      }
    }
  }
}
