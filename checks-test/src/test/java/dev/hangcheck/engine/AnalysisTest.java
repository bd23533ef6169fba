package dev.hangcheck.engine;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** The engine's acquisitions and transitive summaries, checked apart from any report. */
final class AnalysisTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(AnalysisPrinter.class, getClass());

  @Test
  void acquisitionsCarryTheLocksHeld() {
    helper
        .addSourceLines(
            "Service.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Service {
              static final Object A = new Object();
              final ReentrantLock b = new ReentrantLock();

              // BUG: Diagnostic contains: Service.outer() acquires [Service.b, the monitor of a Service, Service.A]
              void outer() {
                // BUG: Diagnostic contains: acquires Service.A holding []
                synchronized (A) {
                  // BUG: Diagnostic contains: acquires Service.b holding [Service.A]
                  b.lock();
                  try {
                    inner();
                  } finally {
                    b.unlock();
                  }
                }
              }

              // BUG: Diagnostic contains: Service.inner() acquires [the monitor of a Service]
              void inner() {
                // BUG: Diagnostic contains: acquires the monitor of a Service holding []
                synchronized (this) {}
              }

              // BUG: Diagnostic contains: Service.viaCalls() acquires [Service.b, the monitor of a Service, Service.A]
              void viaCalls() {
                outer();
              }

              // BUG: Diagnostic contains: Service.later(Executor) acquires []
              void later(java.util.concurrent.Executor executor) {
                // BUG: Diagnostic contains: deferred: a lambda in Service.later(Executor)
                executor.execute(() -> outer());
              }

              // BUG: Diagnostic contains: Service.param(Object) acquires []
              void param(Object lock) {
                // BUG: Diagnostic contains: acquires `lock` holding []
                synchronized (lock) {}
              }
            }
            """)
        .doTest();
  }
}
