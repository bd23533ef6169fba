package dev.hangcheck.lockgraph;

import static com.google.common.truth.Truth.assertThat;

import com.google.errorprone.CompilationTestHelper;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.checks.LockOrderInversion;
import dev.hangcheck.testing.EndToEnd;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How deep LockOrderInversion follows calls made under a lock: six calls by default
 * ({@code -XepOpt:Hangcheck:LockOrderMaxCallDepth}), counted along the shortest chain; and how
 * many calls the chains of a reported cycle may have together: five by default ({@code
 * -XepOpt:Hangcheck:LockOrderMaxCycleCalls}).
 */
final class CallDepthTest {

  private static final String LEDGER_THROUGH_SEVEN_CALLS =
      """
      class Ledger {
        static final Object BOOKS = new Object();
        static final Object AUDIT = new Object();

        static void post() {
          synchronized (BOOKS) {
            // BUG: Diagnostic contains: (which acquires it at Ledger.java:34)
            Steps.one();
          }
        }

        static void audit() {
          synchronized (AUDIT) {
            // BUG: Diagnostic contains: Lock-order cycle Ledger.AUDIT -> Ledger.BOOKS -> Ledger.AUDIT
            synchronized (BOOKS) {}
          }
        }
      }

      class Steps {
        static void one() { two(); }

        static void two() { three(); }

        static void three() { four(); }

        static void four() { five(); }

        static void five() { six(); }

        static void six() { seven(); }

        static void seven() {
          synchronized (Ledger.AUDIT) {}
        }
      }
      """;

  @Test
  void aLockTakenSevenCallsDownIsNotFollowedByDefault() {
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .addSourceLines("Ledger.java", EndToEnd.withoutExpectations(LEDGER_THROUGH_SEVEN_CALLS))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void theFlagFollowsDeeperChains() {
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .setArgs(
            "-XepOpt:Hangcheck:LockOrderMaxCallDepth=7",
            "-XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited")
        .addSourceLines("Ledger.java", LEDGER_THROUGH_SEVEN_CALLS)
        .doTest();
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .setArgs(
            "-XepOpt:Hangcheck:LockOrderMaxCallDepth=unlimited",
            "-XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited")
        .addSourceLines("Ledger.java", LEDGER_THROUGH_SEVEN_CALLS)
        .doTest();
  }

  @Test
  void theShortestChainCountsAndIsTheOneShown() {
    // post() reaches AUDIT through eight calls first in the source, and through two calls after:
    // the two-call chain is within the bound, and is what the message shows.
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .addSourceLines(
            "Ledger.java",
            """
            class Ledger {
              static final Object BOOKS = new Object();
              static final Object AUDIT = new Object();

              static void post() {
                synchronized (BOOKS) {
                  // BUG: Diagnostic contains: through calls Steps.entry() -> Steps.close()
                  Steps.entry();
                }
              }

              static void audit() {
                synchronized (AUDIT) {
                  // BUG: Diagnostic contains: Lock-order cycle
                  synchronized (BOOKS) {}
                }
              }
            }

            class Steps {
              static void entry() {
                one();
                close();
              }

              static void one() { two(); }

              static void two() { three(); }

              static void three() { four(); }

              static void four() { five(); }

              static void five() { six(); }

              static void six() { seven(); }

              static void seven() { close(); }

              static void close() {
                synchronized (Ledger.AUDIT) {}
              }
            }
            """)
        .doTest();
  }

  @Test
  void theShortestChainIsFoundInsideRecursion() {
    // walk() and step() call each other; walk() also reaches AUDIT directly through finish().
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .addSourceLines(
            "Ledger.java",
            """
            class Ledger {
              static final Object BOOKS = new Object();
              static final Object AUDIT = new Object();

              static void post() {
                synchronized (BOOKS) {
                  // BUG: Diagnostic contains: through calls Walker.step(int) -> Walker.walk(int) -> Walker.finish()
                  Walker.step(3);
                }
              }

              static void audit() {
                synchronized (AUDIT) {
                  // BUG: Diagnostic contains: Lock-order cycle
                  synchronized (BOOKS) {}
                }
              }
            }

            class Walker {
              static void step(int n) {
                if (n > 0) {
                  deeper(n);
                }
                walk(n);
              }

              static void deeper(int n) { deeperStill(n); }

              static void deeperStill(int n) { walk(n - 1); }

              static void walk(int n) {
                if (n > 0) {
                  step(n - 1);
                }
                finish();
              }

              static void finish() {
                synchronized (Ledger.AUDIT) {}
              }
            }
            """)
        .doTest();
  }

  private static final String TILL_THROUGH_THREE_CALLS_EACH_WAY =
      """
      class Till {
        static final Object DRAWER = new Object();
        static final Object JOURNAL = new Object();

        static void sell() {
          synchronized (DRAWER) {
            // BUG: Diagnostic contains: through calls Till.record() -> Till.append() -> Till.write()
            record();
          }
        }

        static void record() { append(); }

        static void append() { write(); }

        static void write() {
          synchronized (JOURNAL) {}
        }

        static void reconcile() {
          synchronized (JOURNAL) {
            // BUG: Diagnostic contains: Lock-order cycle Till.JOURNAL -> Till.DRAWER -> Till.JOURNAL
            count();
          }
        }

        static void count() { open(); }

        static void open() { take(); }

        static void take() {
          synchronized (DRAWER) {}
        }
      }
      """;

  @Test
  void aCycleWhoseChainsHaveSixCallsTogetherIsLeftOutByDefaultWithOneNote() {
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.LOCK_ORDER,
            List.of(JavaFileObjects.forSourceString("Till", TILL_THROUGH_THREE_CALLS_EACH_WAY)));
    assertThat(EndToEnd.diagnostics(compilation)).isEmpty();
    assertThat(compilation.notes().stream().map(note -> note.getMessage(Locale.ROOT)))
        .containsExactly(
            "Hangcheck: LockOrderInversion left out 2 places on lock-order cycles whose call chains"
                + " have more than 5 calls together (such long paths are mostly ones the program"
                + " cannot take); -XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited reports them"
                + " too.");
  }

  @Test
  void theCycleFlagReportsCyclesWithMoreCalls() {
    for (String bound : new String[] {"6", "unlimited"}) {
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
          .setArgs("-XepOpt:Hangcheck:LockOrderMaxCycleCalls=" + bound)
          .addSourceLines("Till.java", TILL_THROUGH_THREE_CALLS_EACH_WAY)
          .doTest();
    }
  }

  @Test
  void aWayBackWithFewerCallsIsReportedThoughItHasMoreLocks() {
    // DRAWER -> JOURNAL directly in sell(); back from JOURNAL to DRAWER through six calls (past
    // the bound), or through SAFE with no call at all: that three-lock cycle is the one reported.
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .addSourceLines(
            "Till.java",
            """
            class Till {
              static final Object DRAWER = new Object();
              static final Object JOURNAL = new Object();
              static final Object SAFE = new Object();

              static void sell() {
                synchronized (DRAWER) {
                  // BUG: Diagnostic contains: Lock-order cycle Till.DRAWER -> Till.JOURNAL -> Till.SAFE -> Till.DRAWER
                  synchronized (JOURNAL) {}
                }
              }

              static void reconcile() {
                synchronized (JOURNAL) {
                  a();
                }
              }

              static void a() { b(); }
              static void b() { c(); }
              static void c() { d(); }
              static void d() { e(); }
              static void e() { f(); }

              static void f() {
                synchronized (DRAWER) {}
              }

              static void lockUp() {
                synchronized (JOURNAL) {
                  // BUG: Diagnostic contains: Lock-order cycle Till.JOURNAL -> Till.SAFE -> Till.DRAWER -> Till.JOURNAL
                  synchronized (SAFE) {}
                }
              }

              static void empty() {
                synchronized (SAFE) {
                  // BUG: Diagnostic contains: Lock-order cycle Till.SAFE -> Till.DRAWER -> Till.JOURNAL -> Till.SAFE
                  synchronized (DRAWER) {}
                }
              }
            }
            """)
        .doTest();
  }
}
