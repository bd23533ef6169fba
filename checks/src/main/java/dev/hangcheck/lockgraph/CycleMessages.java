package dev.hangcheck.lockgraph;

import dev.hangcheck.engine.TransitiveFacts;
import dev.hangcheck.locks.LockId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The text of lock-order findings: bounded in length, however long the cycle or the chain. */
final class CycleMessages {

  /** A cycle of more locks than this shows its first ones and how many more. */
  static final int MAX_CYCLE_SHOWN = 8;

  private CycleMessages() {}

  /**
   * The message of a cycle: {@code here}, then the way back ({@code back}, whole or known only by
   * its first locks, of {@code backLength} locks in all, ending at {@code here.from()}), with the
   * edges of its steps.
   */
  static String cycle(
      LockOrderAnalysis.Edge here,
      List<LockId> back,
      List<LockOrderAnalysis.Edge> others,
      int backLength) {
    boolean whole = back.size() == backLength;
    List<LockId> cycle = new ArrayList<>();
    cycle.add(here.from());
    cycle.addAll(back);
    StringBuilder message = new StringBuilder();
    message
        .append("Lock-order cycle ")
        .append(whole ? cycleText(cycle) : prefixText(cycle, backLength + 1, here.from()))
        .append(". Here ")
        .append(here.site().body().display())
        .append(" acquires ")
        .append(here.acquired())
        .append(" while holding ")
        .append(here.holding().display())
        .append(viaCalls(here.chain()))
        .append(". Elsewhere: ");
    List<String> elsewhere = new ArrayList<>();
    for (int i = 0; i < others.size() && i < MAX_CYCLE_SHOWN; i++) {
      LockOrderAnalysis.Edge other = others.get(i);
      elsewhere.add(
          other.site().body().display()
              + " ("
              + other.site().fileAndLine()
              + ") acquires "
              + other.acquired()
              + " while holding "
              + other.holding().display()
              + viaCalls(other.chain()));
    }
    message.append(String.join("; ", elsewhere));
    int steps = backLength - 1;
    if (steps > MAX_CYCLE_SHOWN) {
      message.append("; and ").append(steps - MAX_CYCLE_SHOWN).append(" more steps");
    }
    List<String> distinct = cycle.stream().distinct().map(LockId::display).toList();
    String locks =
        !whole
            ? "the locks of this cycle"
            : distinct.size() > MAX_CYCLE_SHOWN
                ? distinct.size() + " locks of this cycle"
                : String.join(", ", distinct.subList(0, distinct.size() - 1))
                    + " and "
                    + distinct.get(distinct.size() - 1);
    message
        .append(". Threads taking these paths at the same time deadlock: acquire ")
        .append(locks)
        .append(" in one global order everywhere.");
    return message.toString();
  }

  private static String cycleText(List<LockId> cycle) {
    if (cycle.size() <= MAX_CYCLE_SHOWN + 1) {
      return CycleReport.cycleDisplay(cycle);
    }
    return CycleReport.cycleDisplay(cycle.subList(0, MAX_CYCLE_SHOWN))
        + " -> ... ("
        + (cycle.size() - 1)
        + " locks) -> "
        + cycle.get(cycle.size() - 1).display();
  }

  /** The first locks of a cycle of {@code length} locks, which ends at {@code last}. */
  private static String prefixText(List<LockId> prefix, int length, LockId last) {
    return CycleReport.cycleDisplay(prefix.subList(0, Math.min(prefix.size(), MAX_CYCLE_SHOWN)))
        + " -> ... ("
        + (length - 1)
        + " locks) -> "
        + last.display();
  }

  /** {@code , through calls A.m() -> B.n() (which acquires it at B.java:12)}, or nothing. */
  static String viaCalls(TransitiveFacts.@Nullable Chain chain) {
    if (chain == null) {
      return "";
    }
    return ", through calls "
        + chainText(chain)
        + " (which acquires it at "
        + chain.origin().fileAndLine()
        + ")";
  }

  /** The callees of a chain, the middle of a long one left out. */
  static String chainText(TransitiveFacts.Chain chain) {
    return chain.calleesText();
  }
}
