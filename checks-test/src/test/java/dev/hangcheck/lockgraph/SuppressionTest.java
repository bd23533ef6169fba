package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/** {@code @SuppressWarnings("LockOrderInversion")} declares a method's orders intentional. */
final class SuppressionTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void suppressionOnOneSideRemovesTheCycleEverywhere() {
    helper
        .addSourceLines(
            "Pair.java",
            """
            class Pair {
              static final Object LEFT = new Object();
              static final Object RIGHT = new Object();

              void leftThenRight() {
                synchronized (LEFT) {
                  synchronized (RIGHT) {}
                }
              }

              @SuppressWarnings("LockOrderInversion") // only runs before the worker threads start
              void rightThenLeft() {
                synchronized (RIGHT) {
                  synchronized (LEFT) {}
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void suppressionOnTheClassCoversItsMethodsAndLambdas() {
    helper
        .addSourceLines(
            "Pair.java",
            """
            class Pair {
              static final Object LEFT = new Object();
              static final Object RIGHT = new Object();

              void leftThenRight() {
                synchronized (LEFT) {
                  synchronized (RIGHT) {}
                }
              }
            }

            @SuppressWarnings({"unchecked", "LockOrderInversion"})
            class Startup {
              void init(java.util.concurrent.Executor executor) {
                executor.execute(() -> {
                  synchronized (Pair.RIGHT) {
                    synchronized (Pair.LEFT) {}
                  }
                });
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void otherSuppressionsDoNotCount() {
    helper
        .addSourceLines(
            "Pair.java",
            """
            class Pair {
              static final Object LEFT = new Object();
              static final Object RIGHT = new Object();

              void leftThenRight() {
                synchronized (LEFT) {
                  // BUG: Diagnostic contains: Pair.LEFT -> Pair.RIGHT
                  synchronized (RIGHT) {}
                }
              }

              @SuppressWarnings("BlockingCallUnderLock")
              void rightThenLeft() {
                synchronized (RIGHT) {
                  // BUG: Diagnostic contains: Pair.RIGHT -> Pair.LEFT
                  synchronized (LEFT) {}
                }
              }
            }
            """)
        .doTest();
  }
}
