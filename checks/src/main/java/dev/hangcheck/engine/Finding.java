package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;

/**
 * One diagnostic a check will report: where, and what it says; for reports that show more than
 * text (SARIF), the other places the message names and the path of code that leads to it.
 *
 * @param related the other places the message names (the other edges of a cycle)
 * @param flow the steps from where the lock is taken or the code starts to what it reports
 */
public record Finding(
    Site site, String message, ImmutableList<Place> related, ImmutableList<Place> flow)
    implements Comparable<Finding> {

  /** A place a finding points to, and what happens there. */
  public record Place(Site site, String message) {
    /** Each call of a chain, at its site: "calls Lib.read(String)". */
    public static ImmutableList<Place> callsOf(TransitiveFacts.Chain chain) {
      ImmutableList.Builder<Place> calls = ImmutableList.builder();
      for (TransitiveFacts.Step step : chain.steps()) {
        calls.add(new Place(step.call().site(), "calls " + step.callee().display()));
      }
      return calls.build();
    }
  }

  public Finding(Site site, String message) {
    this(site, message, ImmutableList.of(), ImmutableList.of());
  }

  Finding withMessage(String text) {
    return new Finding(site, text, related, flow);
  }

  @Override
  public int compareTo(Finding other) {
    int bySite = site.compareTo(other.site);
    return bySite != 0 ? bySite : message.compareTo(other.message);
  }
}
