package dev.hangcheck.engine;

/**
 * How much work an analysis may do in one compilation. Past it, the analysis stops, its findings
 * so far are reported, and one note says the rest was not analysed: no input can make Hangcheck
 * take unbounded time or memory, or fail the build.
 *
 * <p>A unit is one step of the analysis (an edge added, a fact propagated). The default is far
 * above what real code needs (a compilation of 300,000 lines spends a few million);
 * {@code -Dhangcheck.workBudget=N} sets another.
 */
public final class WorkBudget {

  public static final String PROPERTY = "hangcheck.workBudget";
  static final long DEFAULT_UNITS = 50_000_000L;

  /** Thrown when the budget is spent; the analysis catches it and reports what it has. */
  public static final class Exhausted extends RuntimeException {
    private Exhausted() {
      super("work budget spent", null, false, false);
    }
  }

  private long left;

  private WorkBudget(long units) {
    this.left = units;
  }

  public static WorkBudget fromSystemProperty() {
    return new WorkBudget(Long.getLong(PROPERTY, DEFAULT_UNITS));
  }

  public void spend(long units) {
    left -= units;
    if (left < 0) {
      throw new Exhausted();
    }
  }

}
