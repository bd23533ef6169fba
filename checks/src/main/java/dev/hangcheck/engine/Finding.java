package dev.hangcheck.engine;

/** One diagnostic a check will report: where, and what it says. */
public record Finding(Site site, String message) implements Comparable<Finding> {
  @Override
  public int compareTo(Finding other) {
    int bySite = site.compareTo(other.site);
    return bySite != 0 ? bySite : message.compareTo(other.message);
  }
}
