package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/**
 * How deep LockOrderInversion follows calls made under a lock: six calls by default
 * ({@code -XepOpt:Hangcheck:LockOrderMaxCallDepth}), counted along the shortest chain.
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
        .addSourceLines("Ledger.java", LEDGER_THROUGH_SEVEN_CALLS.replace("// BUG: Diagnostic contains:", "// was:"))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void theFlagFollowsDeeperChains() {
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .setArgs("-XepOpt:Hangcheck:LockOrderMaxCallDepth=7")
        .addSourceLines("Ledger.java", LEDGER_THROUGH_SEVEN_CALLS)
        .doTest();
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .setArgs("-XepOpt:Hangcheck:LockOrderMaxCallDepth=unlimited")
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
}
