package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/** Code written under a lock that runs later does not run under it; code run on the spot does. */
final class DeferredCodeTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void lambdaSubmittedToAnExecutorUnderALockIsNotAnEdge() {
    helper
        .addSourceLines(
            "Scheduler.java",
            """
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;

            class Scheduler {
              static final Object QUEUE = new Object();
              static final Object STATE = new Object();
              ExecutorService executor;

              void schedule() {
                synchronized (QUEUE) {
                  executor.submit(() -> {
                    synchronized (STATE) {}
                  });
                  executor.execute(this::touch);
                  CompletableFuture.runAsync(() -> touch());
                  Runnable later = () -> touch();
                  new Thread(new Runnable() {
                    @Override
                    public void run() {
                      synchronized (STATE) {}
                    }
                  }).start();
                  later.hashCode();
                }
              }

              void touch() {
                synchronized (STATE) {}
              }

              void inspect() {
                synchronized (STATE) {
                  synchronized (QUEUE) {}
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void forEachUnderALockRunsOnTheSpot() {
    helper
        .addSourceLines(
            "Registry.java",
            """
            import java.util.List;
            import java.util.Map;

            class Registry {
              static final Object MEMBERS = new Object();
              static final Object EVENTS = new Object();
              List<String> names;
              Map<String, Integer> counts;

              void notifyAll(String event) {
                synchronized (MEMBERS) {
                  names.forEach(name -> {
                    // BUG: Diagnostic contains: acquires Registry.EVENTS while holding Registry.MEMBERS
                    synchronized (EVENTS) {}
                  });
                }
              }

              void count(String key) {
                synchronized (EVENTS) {
                  // BUG: Diagnostic contains: acquires Registry.MEMBERS while holding Registry.EVENTS, through calls Registry.bump(String, Integer)
                  counts.compute(key, this::bump);
                }
              }

              Integer bump(String key, Integer value) {
                synchronized (MEMBERS) {
                  return value == null ? 1 : value + 1;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void deferredLambdasKeepTheirOwnEdges() {
    helper
        .addSourceLines(
            "Worker.java",
            """
            import java.util.concurrent.Executor;

            class Worker {
              static final Object A = new Object();
              static final Object B = new Object();

              void start(Executor executor) {
                executor.execute(() -> {
                  synchronized (A) {
                    // BUG: Diagnostic contains: Here a lambda in Worker.start(Executor) acquires Worker.B while holding Worker.A
                    synchronized (B) {}
                  }
                });
              }

              void stop() {
                synchronized (B) {
                  // BUG: Diagnostic contains: acquires Worker.A while holding Worker.B
                  synchronized (A) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void anonymousAndLocalClassesAreTheirOwnCode() {
    helper
        .addSourceLines(
            "Outer.java",
            """
            class Outer {
              static final Object A = new Object();
              static final Object B = new Object();

              Runnable make() {
                synchronized (A) {
                  class Local implements Runnable {
                    @Override
                    public void run() {
                      synchronized (B) {
                        // BUG: Diagnostic contains: acquires Outer.A while holding Outer.B
                        synchronized (A) {}
                      }
                    }
                  }
                  return new Local();
                }
              }

              Runnable other() {
                return new Runnable() {
                  @Override
                  public void run() {
                    synchronized (A) {
                      // BUG: Diagnostic contains: Here Outer.<anonymous Runnable>.run() acquires Outer.B while holding Outer.A
                      synchronized (B) {}
                    }
                  }
                };
              }
            }
            """)
        .doTest();
  }
}
