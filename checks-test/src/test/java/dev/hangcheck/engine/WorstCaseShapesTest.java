package dev.hangcheck.engine;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.common.collect.ImmutableList;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.testing.EndToEnd;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Generated code of the shapes that once made the summaries grow much faster than the code (and
 * javac run out of memory): long chains of calls under locks, long cycles, deep nesting. Each must
 * compile, report at most one finding per site, and keep every message short. The sizes here take
 * seconds; bench/scaling.sh runs them larger and measures the cost.
 */
final class WorstCaseShapesTest {

  /** However long the chain or the cycle, a message stays readable. */
  private static final int MAX_MESSAGE_LENGTH = 2_500;

  @Test
  void aLongChainOfMethodsEachHoldingItsOwnLockHasNoCycleAndIsCheap() {
    int n = 600;
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < n; i++) {
      code.append("class C").append(i).append(" {\n")
          .append("  private final Object lock = new Object();\n");
      if (i + 1 < n) {
        code.append("  private final C").append(i + 1).append(" next = new C").append(i + 1)
            .append("();\n")
            .append("  void m() { synchronized (lock) { next.m(); } }\n");
      } else {
        code.append("  void m() { synchronized (lock) {} }\n");
      }
      code.append("}\n");
    }
    assertThat(findings(EndToEnd.LOCK_ORDER, "Chain", code)).isEmpty();
  }

  @Test
  void aCallChainThousandsDeepUnderOneLockIsOneShortFinding() {
    int n = 2_000;
    StringBuilder code = new StringBuilder();
    code.append("class Holder {\n  private final C0 first = new C0();\n")
        .append("  synchronized void start() throws InterruptedException { first.m(); }\n")
        .append("  synchronized boolean isStarted() { return first != null; }\n}\n");
    for (int i = 0; i < n; i++) {
      code.append("class C").append(i).append(" {\n");
      if (i + 1 < n) {
        code.append("  private final C").append(i + 1).append(" next = new C").append(i + 1)
            .append("();\n")
            .append("  void m() throws InterruptedException { next.m(); }\n");
      } else {
        code.append("  void m() throws InterruptedException { Thread.sleep(1); }\n");
      }
      code.append("}\n");
    }
    ImmutableList<String> findings = findings(UNDER_LOCK, "Deep", code);
    assertThat(findings).hasSize(1);
    assertThat(findings.get(0)).contains("more calls)");
    assertShort(findings);
  }

  @Test
  void everyMethodOfADeepChainHoldingALockIsOneShortFindingEach() {
    int n = 1_000;
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < n; i++) {
      code.append("class C").append(i).append(" {\n");
      if (i + 1 < n) {
        code.append("  private final C").append(i + 1).append(" next = new C").append(i + 1)
            .append("();\n")
            .append("  synchronized void m() throws InterruptedException { next.m(); }\n")
            .append("  synchronized boolean hasNext() { return next != null; }\n");
      } else {
        code.append("  void m() throws InterruptedException { Thread.sleep(1); }\n");
      }
      code.append("}\n");
    }
    ImmutableList<String> findings = findings(UNDER_LOCK, "Locked", code);
    assertThat(findings).hasSize(n - 1);
    assertShort(findings);
  }

  @Test
  void aRingTooLongToSearchEdgeByEdgeIsStillOneShortFindingPerSite() {
    // With calls followed six deep, each site of a ring of 600 classes closes a cycle of about a
    // hundred locks: longer than the cycles searched for edge by edge, so it is reported through
    // the way back built once for the ring.
    int n = 600;
    StringBuilder code = staticRing(n);
    ImmutableList<String> findings = findings(LOCK_ORDER_ANY_CYCLE, "LongRing", code);
    assertThat(findings).hasSize(n);
    assertThat(findings.get(0)).contains("locks) -> ");
    assertThat(findings.get(0)).contains("acquire the locks of this cycle in one global order");
    assertOnePerSite(findings);
    assertShort(findings);
  }

  @Test
  void byDefaultARingWhoseChainsHaveHundredsOfCallsIsLeftOutWithOneNote() {
    StringBuilder code = staticRing(600);
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.LOCK_ORDER, List.of(JavaFileObjects.forSourceString("LongRing", code.toString())));
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(EndToEnd.diagnostics(compilation)).isEmpty();
    assertThat(
            compilation.notes().stream()
                .map(note -> note.getMessage(java.util.Locale.ROOT))
                .filter(message -> message.contains("LockOrderInversion left out 600 places"))
                .count())
        .isEqualTo(1);
  }

  @Test
  void aCycleOfTwoHundredLocksThroughTwoHundredClassesIsOneFindingPerSite() {
    int n = 200;
    StringBuilder code = staticRing(n);
    // Followed however deep, so that the cycle is the whole ring of 200 and its chains are long.
    ImmutableList<String> findings =
        findings(
            LOCK_ORDER_ANY_CYCLE + " -XepOpt:Hangcheck:LockOrderMaxCallDepth=unlimited", "Ring", code);
    assertThat(findings).hasSize(n);
    assertThat(findings.get(0)).contains("more calls)");
    assertOnePerSite(findings);
    assertShort(findings);
  }

  @Test
  void fiveHundredNestedBlocksAndOneReversedPairAreOneFindingPerSite() {
    int n = 500;
    StringBuilder code = new StringBuilder("class Nest {\n");
    for (int i = 0; i < n; i++) {
      code.append("  static final Object L").append(i).append(" = new Object();\n");
    }
    code.append("  void deep() {\n");
    for (int i = 0; i < n; i++) {
      code.append("synchronized (L").append(i).append(") {\n");
    }
    code.append("}".repeat(n)).append("\n  }\n");
    code.append("  void reversed() { synchronized (L").append(n - 1)
        .append(") { synchronized (L0) {} } }\n}\n");
    ImmutableList<String> findings = findings(EndToEnd.LOCK_ORDER, "Nest", code);
    assertThat(findings.size()).isAtMost(n + 1);
    assertThat(findings).isNotEmpty();
    assertOnePerSite(findings);
    assertShort(findings);
  }

  @Test
  void pastItsWorkBudgetTheCheckStopsSaysSoAndTheBuildGoesOn() {
    StringBuilder code = staticRing(60);
    String before = System.getProperty(WorkBudget.PROPERTY);
    System.setProperty(WorkBudget.PROPERTY, "2000");
    try {
      Compilation compilation =
          EndToEnd.compile(
              EndToEnd.LOCK_ORDER, List.of(JavaFileObjects.forSourceString("Small", code.toString())));
      assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
      assertThat(
              compilation.notes().stream()
                  .map(note -> note.getMessage(java.util.Locale.ROOT))
                  .filter(message -> message.contains("stopped analysing this compilation after its work budget"))
                  .count())
          .isEqualTo(1);
    } finally {
      if (before == null) {
        System.clearProperty(WorkBudget.PROPERTY);
      } else {
        System.setProperty(WorkBudget.PROPERTY, before);
      }
    }
  }

  /** Classes C0 ... C(n-1), each holding its own static lock while it calls the next one's. */
  private static StringBuilder staticRing(int n) {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < n; i++) {
      code.append("class C").append(i).append(" {\n")
          .append("  static final Object LOCK = new Object();\n")
          .append("  static void m() { synchronized (LOCK) { C").append((i + 1) % n).append(".m(); } }\n")
          .append("}\n");
    }
    return code;
  }

  /** Cycles reported however many calls their chains have, to see how long ones are shown. */
  private static final String LOCK_ORDER_ANY_CYCLE =
      EndToEnd.LOCK_ORDER + " -XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited";

  /** Followed to any depth: the shapes where chains are longest. */
  private static final String UNDER_LOCK =
      "-XepDisableAllChecks -Xep:BlockingCallUnderLock:WARN"
          + " -XepOpt:Hangcheck:UnderLockMaxCallDepth=unlimited";

  private static ImmutableList<String> findings(String flags, String file, CharSequence code) {
    List<JavaFileObject> files = List.of(JavaFileObjects.forSourceString(file, code.toString()));
    return EndToEnd.diagnostics(EndToEnd.compile(flags, files));
  }

  private static void assertShort(List<String> findings) {
    for (String finding : findings) {
      assertWithMessage("a message of %s characters", finding.length())
          .that(finding.length())
          .isLessThan(MAX_MESSAGE_LENGTH);
    }
  }

  /** In these files every site is on a line of its own: one finding per line is one per site. */
  private static void assertOnePerSite(List<String> findings) {
    List<String> lines = findings.stream().map(f -> f.substring(0, f.indexOf(": ["))).toList();
    assertThat(lines).containsNoDuplicates();
  }
}
