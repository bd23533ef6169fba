package dev.hangcheck.checks;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.bugpatterns.BugChecker;
import org.junit.jupiter.api.Test;

/**
 * Locks held through a handle closed by try-with-resources: Jetty's {@code Locker} and {@code
 * AutoLock} ({@code try (Locker.Lock lock = locker.lock()) {...}}), Hadoop's {@code
 * AutoCloseableLock}. The lock is held for the try block and released when it ends.
 */
final class LockHandlesTest {

  /** Jetty 9.4's Locker, by name only: what matters is the type and the method called. */
  private static final String JETTY_LOCKER =
      """
      package org.eclipse.jetty.util.thread;

      import java.util.concurrent.locks.ReentrantLock;

      public class Locker {
        private final ReentrantLock lock = new ReentrantLock();

        public Lock lock() {
          lock.lock();
          return new Lock();
        }

        public java.util.concurrent.locks.Condition newCondition() {
          return lock.newCondition();
        }

        public class Lock implements AutoCloseable {
          @Override
          public void close() {
            lock.unlock();
          }
        }
      }
      """;

  @Test
  void aSleepInsideTheTryOfALockerIsUnderItsLock() {
    withJettyLocker(BlockingCallUnderLock.class)
        .addSourceLines(
            "SessionCache.java",
            """
            import org.eclipse.jetty.util.thread.Locker;

            class SessionCache {
              private final Locker locker = new Locker();
              private int size;

              void store() throws InterruptedException {
                try (Locker.Lock lock = locker.lock()) {
                  // BUG: Diagnostic contains: SessionCache.store() holds SessionCache.locker (taken at SessionCache.java:8)
                  Thread.sleep(100);
                }
              }

              void storeOutside() throws InterruptedException {
                try (Locker.Lock lock = locker.lock()) {
                  size++;
                }
                Thread.sleep(100);
              }

              int size() {
                try (Locker.Lock lock = locker.lock()) {
                  return size;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void waitingOnALockersConditionReleasesTheLocker() {
    withJettyLocker(BlockingCallUnderLock.class)
        .addSourceLines(
            "Session.java",
            """
            import java.util.concurrent.locks.Condition;
            import org.eclipse.jetty.util.thread.Locker;

            class Session {
              private final Locker lock = new Locker();
              private final Condition changed = lock.newCondition();
              private boolean changing;

              void invalidate() throws InterruptedException {
                try (Locker.Lock held = lock.lock()) {
                  while (changing) {
                    changed.await();
                  }
                }
              }

              void access() throws InterruptedException {
                try (Locker.Lock held = lock.lock()) {
                  invalidate();
                }
              }

              boolean isChanging() {
                try (Locker.Lock held = lock.lock()) {
                  return changing;
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void twoLockersTakenInBothOrdersAreALockOrderCycle() {
    withJettyLocker(LockOrderInversion.class)
        .addSourceLines(
            "Server.java",
            """
            import org.eclipse.jetty.util.thread.Locker;

            class Server {
              private final Locker sessions = new Locker();
              private final Locker connectors = new Locker();

              void start() {
                try (Locker.Lock s = sessions.lock()) {
                  // BUG: Diagnostic contains: Server.start() acquires Server.connectors while holding Server.sessions
                  try (Locker.Lock c = connectors.lock()) {}
                }
              }

              void stop() {
                try (Locker.Lock c = connectors.lock()) {
                  // BUG: Diagnostic contains: Lock-order cycle Server.connectors -> Server.sessions -> Server.connectors
                  try (Locker.Lock s = sessions.lock()) {}
                }
              }

              void sequential() {
                try (Locker.Lock c = connectors.lock()) {}
                try (Locker.Lock s = sessions.lock()) {}
              }
            }
            """)
        .doTest();
  }

  private CompilationTestHelper withJettyLocker(Class<? extends BugChecker> check) {
    return CompilationTestHelper.newInstance(check, getClass())
        .addSourceLines("Locker.java", JETTY_LOCKER);
  }
}
