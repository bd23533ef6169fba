package dev.hangcheck.engine;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether a fact reaches a method's caller only by re-entering the caller: every chain of calls
 * from the callee down to where the fact holds runs the caller again. Such recursion ends because
 * the first entry changed some state the second one checks ({@code closing = true} before {@code
 * destroy()}), so the path the second entry would take is almost never taken.
 */
public final class Reentry {

  /** How far the known chain is followed: longer chains are taken not to come back. */
  private static final int MAX_CHAIN_WALK = 64;

  /** How many callee facts the search for a chain around the caller looks at before giving up. */
  private static final int MAX_SEARCH = 2_000;

  private Reentry() {}

  /**
   * Whether {@code fact} holds for {@code callee} only by chains that run {@code caller}. The
   * search is charged to {@code work}; past its bound it answers no, as if it had found a way round.
   */
  public static <F extends Comparable<F>> boolean onlyByReentering(
      TransitiveFacts<F> facts, Body callee, F fact, Body caller, WorkBudget work) {
    if (!facts.isInCallCycle(caller) || !knownChainRuns(facts, callee, fact, caller, work)) {
      return false;
    }
    int[] left = {MAX_SEARCH};
    try {
      return !holdsWithout(facts, callee, fact, caller, new HashSet<>(), left);
    } finally {
      work.spend(MAX_SEARCH - Math.max(left[0], 0));
    }
  }

  /** Whether the witnessed chain (a shortest one, which visits no method twice) runs {@code body}. */
  @SuppressWarnings("unchecked") // calleeFact is an F: TransitiveFacts makes the witnesses
  private static <F extends Comparable<F>> boolean knownChainRuns(
      TransitiveFacts<F> facts, Body method, F fact, Body body, WorkBudget work) {
    Body current = method;
    F currentFact = fact;
    for (int steps = 0; steps <= MAX_CHAIN_WALK; steps++) {
      work.spend(1);
      if (current == body) {
        return true;
      }
      if (!(facts.of(current).get(currentFact) instanceof TransitiveFacts.ViaCall via)) {
        return false;
      }
      current = via.callee();
      currentFact = (F) via.calleeFact();
    }
    return false;
  }

  private static <F extends Comparable<F>> boolean holdsWithout(
      TransitiveFacts<F> facts,
      Body method,
      F fact,
      Body avoided,
      Set<Map.Entry<Body, F>> seen,
      int[] left) {
    if (method == avoided || !seen.add(Map.entry(method, fact))) {
      return false;
    }
    TransitiveFacts.Witness witness = facts.of(method).get(fact);
    if (witness == null) {
      return false;
    }
    if (witness instanceof TransitiveFacts.Direct) {
      return true; // a body's own facts are its witnesses first
    }
    for (TransitiveFacts.Step step : facts.callees(method)) {
      if (step.callee() == avoided) {
        continue;
      }
      for (F calleeFact : facts.of(step.callee()).keySet()) {
        if (--left[0] < 0) {
          return true;
        }
        if (fact.equals(facts.through(step, calleeFact))
            && holdsWithout(facts, step.callee(), calleeFact, avoided, seen, left)) {
          return true;
        }
      }
    }
    return false;
  }
}
