package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.sun.source.tree.CompilationUnitTree;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The findings of one check over a whole compilation, handed out per file: at most one per site,
 * the best ranked (the shortest cycle, the shortest chain), which says how many others were there.
 */
public final class Findings {

  private final Map<CompilationUnitTree, TreeMap<Site, Best>> byUnit = new IdentityHashMap<>();
  private final IntFunction<String> othersNote;
  private boolean incomplete;
  private @Nullable String note;

  /** The best finding at a site so far, and how many different findings were offered there. */
  private static final class Best {
    int rank;
    Finding finding;
    int offered;
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
    addFinding(finding.site(), rank, () -> finding);
  }

  /** {@link #addFinding} for a finding that is its message only. */
  public void add(Site site, int rank, java.util.function.Supplier<String> message) {
    addFinding(site, rank, () -> new Finding(site, message.get()));
  }

  /**
   * Offers a finding at {@code site}; it is made only if it ranks best there so far (of equal
   * ranks, the first message in text order), so that a site many cycles pass through costs one
   * message, not one each.
   */
  public void addFinding(Site site, int rank, java.util.function.Supplier<Finding> finding) {
    Best best = byUnit.computeIfAbsent(site.unit(), k -> new TreeMap<>()).get(site);
    if (best == null) {
      best = new Best();
      best.rank = rank;
      best.finding = finding.get();
      best.offered = 1;
      byUnit.get(site.unit()).put(site, best);
      return;
    }
    if (rank <= best.rank) {
      Finding offered = finding.get();
      if (offered.message().equals(best.finding.message())) {
        return; // the same finding again
      }
      if (rank < best.rank || offered.message().compareTo(best.finding.message()) < 0) {
        best.rank = rank;
        best.finding = offered;
      }
    }
    best.offered++;
  }

  /** Marks the findings as those found before the work budget was spent. */
  public void markIncomplete() {
    incomplete = true;
  }

  public boolean isIncomplete() {
    return incomplete;
  }

  /** Sets what the user is told once about this check's run besides its findings. */
  public void setNote(@Nullable String note) {
    this.note = note;
  }

  public @Nullable String note() {
    return note;
  }

  /** Whether a finding was offered at {@code site}. */
  public boolean hasAt(Site site) {
    TreeMap<Site, Best> sites = byUnit.get(site.unit());
    return sites != null && sites.containsKey(site);
  }

  /** The findings in {@code unit}, in source order, one per site. */
  public ImmutableList<Finding> in(CompilationUnitTree unit) {
    TreeMap<Site, Best> sites = byUnit.get(unit);
    if (sites == null) {
      return ImmutableList.of();
    }
    ImmutableList.Builder<Finding> out = ImmutableList.builder();
    sites.forEach(
        (site, best) ->
            out.add(
                best.offered > 1
                    ? best.finding.withMessage(
                        best.finding.message() + othersNote.apply(best.offered - 1))
                    : best.finding));
    return out.build();
  }
}
