package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.sun.source.tree.CompilationUnitTree;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The findings of one check over a whole compilation, handed out per file: at most one per site,
 * the best ranked (the shortest cycle, the shortest chain), which says how many others were there.
 */
public final class Findings {

  private final Map<CompilationUnitTree, TreeMap<Site, TreeSet<Ranked>>> byUnit =
      new IdentityHashMap<>();
  private final IntFunction<String> othersNote;
  private boolean incomplete;

  private record Ranked(int rank, String message) implements Comparable<Ranked> {
    @Override
    public int compareTo(Ranked other) {
      return rank != other.rank ? Integer.compare(rank, other.rank) : message.compareTo(other.message);
    }
  }

  /** @param othersNote what to add to a finding with {@code n} others at its site */
  public Findings(IntFunction<String> othersNote) {
    this.othersNote = othersNote;
  }

  public Findings() {
    this(others -> "");
  }

  public void add(Finding finding) {
    add(finding, 0);
  }

  /** Adds a finding; of those at one site, the lowest rank is reported. */
  public void add(Finding finding, int rank) {
    byUnit
        .computeIfAbsent(finding.site().unit(), k -> new TreeMap<>())
        .computeIfAbsent(finding.site(), k -> new TreeSet<>())
        .add(new Ranked(rank, finding.message()));
  }

  /** Marks the findings as those found before the work budget was spent. */
  public void markIncomplete() {
    incomplete = true;
  }

  public boolean isIncomplete() {
    return incomplete;
  }

  /** The findings in {@code unit}, in source order, one per site. */
  public ImmutableList<Finding> in(CompilationUnitTree unit) {
    TreeMap<Site, TreeSet<Ranked>> sites = byUnit.get(unit);
    if (sites == null) {
      return ImmutableList.of();
    }
    ImmutableList.Builder<Finding> out = ImmutableList.builder();
    sites.forEach(
        (site, ranked) -> {
          String message = ranked.first().message();
          if (ranked.size() > 1) {
            message += othersNote.apply(ranked.size() - 1);
          }
          out.add(new Finding(site, message));
        });
    return out.build();
  }
}
