package dev.hangcheck.differential;

import dev.hangcheck.differential.ProgramGenerator.Acquire;
import dev.hangcheck.differential.ProgramGenerator.Call;
import dev.hangcheck.differential.ProgramGenerator.Lambda;
import dev.hangcheck.differential.ProgramGenerator.MethodModel;
import dev.hangcheck.differential.ProgramGenerator.Program;
import dev.hangcheck.differential.ProgramGenerator.Stmt;
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
 *   <li>an edge is reported, at each of its sites, iff it lies on a cycle: X is reachable from Y.
 * </ul>
 */
final class Oracle {

  /** One edge at one site: {@code from -> to} created at {@code file:line}. */
  record Site(String file, int line, String from, String to) {
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
  private final Map<MethodModel, Set<String>> acquires = new HashMap<>();

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
    return onCycles(edges(program, false));
  }

  /**
   * NOT the specification, only for triage of failures: the findings if taking a lock that is
   * already held (directly or through calls) made edges from the other held locks into it, as the
   * checker was seen to do. A failing seed whose findings equal these fails only for that reason.
   */
  static Set<Site> expectedIfReacquiringMadeEdges(Program program) {
    return onCycles(edges(program, true));
  }

  private static Set<Site> edges(Program program, boolean reacquiringMakesEdges) {
    Oracle oracle = new Oracle(program, reacquiringMakesEdges);
    oracle.computeAcquires();
    Set<Site> out = new TreeSet<>(Site.ORDER);
    for (MethodModel m : program.methods()) {
      Set<String> held = new LinkedHashSet<>();
      if (m.syncNode() != null) {
        held.add(m.syncNode());
      }
      oracle.walk(m, m.body, held, out);
    }
    return out;
  }

  private static Set<Site> onCycles(Set<Site> all) {
    Map<String, Set<String>> graph = new HashMap<>();
    for (Site s : all) {
      graph.computeIfAbsent(s.from(), k -> new HashSet<>()).add(s.to());
    }
    Set<Site> out = new TreeSet<>(Site.ORDER);
    for (Site s : all) {
      if (reachable(graph, s.to(), s.from())) {
        out.add(s);
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
    List<MethodModel> methods = program.methods();
    for (MethodModel m : methods) {
      acquires.put(m, new HashSet<>());
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (MethodModel m : methods) {
        Set<String> set = new HashSet<>();
        if (m.syncNode() != null) {
          set.add(m.syncNode());
        }
        collect(m.body, set);
        if (!set.equals(acquires.get(m))) {
          acquires.put(m, set);
          changed = true;
        }
      }
    }
  }

  private void collect(List<Stmt> stmts, Set<String> into) {
    for (Stmt s : stmts) {
      if (s instanceof Acquire a) {
        if (a.waits()) {
          into.add(a.node);
        }
        collect(a.body, into);
      } else if (s instanceof Call c) {
        into.addAll(acquires.get(c.target));
      } else if (s instanceof Lambda l) {
        if (!l.deferred) {
          collect(l.body, into);
        }
      } else {
        throw new AssertionError(s);
      }
    }
  }

  private void walk(MethodModel m, List<Stmt> stmts, Set<String> held, Set<Site> out) {
    for (Stmt s : stmts) {
      if (s instanceof Acquire a) {
        if (a.waits() && (!held.contains(a.node) || reacquiringMakesEdges)) {
          for (String h : held) {
            if (!h.equals(a.node)) {
              out.add(new Site(m.file(), a.line, h, a.node));
            }
          }
        }
        Set<String> inner = new LinkedHashSet<>(held);
        inner.add(a.node);
        walk(m, a.body, inner, out);
      } else if (s instanceof Call c) {
        for (String target : acquires.get(c.target)) {
          if (!held.contains(target) || reacquiringMakesEdges) {
            for (String h : held) {
              if (!h.equals(target)) {
                out.add(new Site(m.file(), c.line, h, target));
              }
            }
          }
        }
      } else if (s instanceof Lambda l) {
        walk(m, l.body, l.deferred ? new LinkedHashSet<>() : held, out);
      } else {
        throw new AssertionError(s);
      }
    }
  }
}
