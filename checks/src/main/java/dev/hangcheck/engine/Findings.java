package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.sun.source.tree.CompilationUnitTree;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeSet;

/** The findings of one check over a whole compilation, handed out per file. */
public final class Findings {

  private final Map<CompilationUnitTree, TreeSet<Finding>> byUnit = new IdentityHashMap<>();

  public void add(Finding finding) {
    byUnit.computeIfAbsent(finding.site().unit(), k -> new TreeSet<>()).add(finding);
  }

  /** The findings in {@code unit}, in source order; a finding reported twice is kept once. */
  public ImmutableList<Finding> in(CompilationUnitTree unit) {
    TreeSet<Finding> findings = byUnit.get(unit);
    return findings == null ? ImmutableList.of() : ImmutableList.copyOf(findings);
  }
}
