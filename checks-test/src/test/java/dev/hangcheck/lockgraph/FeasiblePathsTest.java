package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import dev.hangcheck.testing.EndToEnd;
import org.junit.jupiter.api.Test;

/**
 * Paths through calls that no execution takes: a callee reached with {@code null}, or with an
 * object of a class the lock's class can never be (also a boxed primitive, also a parameter
 * reassigned only where no path to the call comes from), and a path that gets to the lock only by
 * re-entering the method that holds it.
 */
final class FeasiblePathsTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  private static String statement(String setters) {
    return """
        interface Clob {}

        final class ClientClob implements Clob {
          private final Statement updater;

          ClientClob(Statement updater) {
            this.updater = updater;
          }

          synchronized long length() {
            return 0;
          }

          synchronized void truncate() {
            updater.clearParameters();
          }
        }

        final class Statement {
          synchronized void clearParameters() {}

          private void setParameter(int index, Object value) {
            if (value instanceof ClientClob) {
              ((ClientClob) value).length();
            }
          }
        %s}
        """
        .formatted(setters);
  }

  @Test
  void aCalleeGivenNullOrAStringNeverLocksItAsAClob() {
    // setParameter locks its argument only as a ClientClob; setNull passes null and setString a
    // String, which no ClientClob can be: neither takes a clob's monitor under the statement's.
    helper
        .addSourceLines(
            "Statement.java",
            statement(
                """

                  synchronized void setNull(int index) {
                    setParameter(index, null);
                  }

                  synchronized void setString(int index, String value) {
                    setParameter(index, value);
                  }

                  synchronized void setFlag(int index, boolean flag) {
                    setParameter(index, flag); // a Boolean
                  }
                """))
        .expectNoDiagnostics()
        .doTest();
  }

  private static String typedSetter(String afterConverting) {
    return statement(
        """

          private static Object convert(Object value) {
            return value;
          }

          private void setTyped(int type, int index, Object value) {
            switch (type) {
              case 1:
                value = convert(value);
                %s
              case 2:
                setParameter(index, value);
                return;
              default:
                break;
            }
          }

          synchronized void setText(int index, String text) {
            setTyped(2, index, text);
          }
        """
            .formatted(afterConverting));
  }

  @Test
  void aParameterReassignedOnlyInAnotherCaseIsStillTheCallersObject() {
    // In case 2 the value is still the caller's String (case 1 breaks before it): no clob.
    helper
        .addSourceLines("Statement.java", typedSetter("break;"))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aParameterReassignedInACaseThatFallsThroughMayBeAnything() {
    helper
        .addSourceLines(
            "Statement.java",
            typedSetter("// falls through")
                .replace(
                    "    setTyped(2, index, text);",
                    "    // BUG: Diagnostic contains: Lock-order cycle\n    setTyped(2, index, text);")
                .replace(
                    "    updater.clearParameters();",
                    "    // BUG: Diagnostic contains: Lock-order cycle\n    updater.clearParameters();"))
        .doTest();
  }

  @Test
  void aCalleeGivenAClobMayLockIt() {
    helper
        .addSourceLines(
            "Statement.java",
            statement(
                """

                  synchronized void setClob(int index, Clob value) {
                    // BUG: Diagnostic contains: acquires `value` (the monitor of a ClientClob) while holding the monitor of a Statement
                    setParameter(index, value);
                  }
                """)
                .replace(
                    "    updater.clearParameters();",
                    "    // BUG: Diagnostic contains: Lock-order cycle\n    updater.clearParameters();"))
        .doTest();
  }

  private static String session(String afterTheLock) {
    return """
        final class Registry {
          static final Object LOCK = new Object();

          static void closeAll(Session session) {
            synchronized (LOCK) {
              session.closeNow();
            }
          }
        }

        final class WriteQueue {
          void poll(Session session) {
            session.closeNow(); // a queued close request
          }
        }

        final class Session {
          private final Object lock = new Object();
          private final WriteQueue queue = new WriteQueue();
          private boolean closing;

          void closeNow() {
            synchronized (lock) {
              if (closing) {
                return;
              }
              closing = true;
              queue.poll(this);
              %s
            }
            notifyClosed();
          }

          void notifyClosed() {
            synchronized (Registry.LOCK) {}
          }
        }
        """
        .formatted(afterTheLock);
  }

  @Test
  void aLockReachedOnlyByReEnteringTheMethodIsNotAnOrder() {
    // Under its lock closeNow() polls the queue, which may call closeNow() again; only that inner
    // call, which returns at once because closing is set, would go on to notifyClosed() and the
    // registry's lock. No order lock -> Registry.LOCK is taken.
    helper.addSourceLines("Session.java", session("")).expectNoDiagnostics().doTest();
  }

  @Test
  void aLockTheMethodTakesItselfUnderItsLockIsAnOrder() {
    helper
        .addSourceLines(
            "Session.java",
            session(
                    """
                    // BUG: Diagnostic contains: acquires Registry.LOCK while holding Session.lock
                          notifyClosed();""")
                .replace(
                    "      session.closeNow();\n",
                    "      // BUG: Diagnostic contains: Lock-order cycle\n      session.closeNow();\n"))
        .doTest();
  }

  private static final String BUNDLE =
      """
      final class Framework {
        final Object installLock = new Object();

        void install(Bundle bundle) {
          synchronized (installLock) {
            // BUG: Diagnostic contains: Lock-order cycle
            bundle.touch();
          }
        }
      }

      final class Bundle {
        private final Framework framework = new Framework();

        synchronized void touch() {}

        synchronized void refresh() {
          // BUG: Diagnostic contains: Lock-order cycle
          adapt(%s);
        }

        Object adapt(Class<?> type) {
          if (type == String.class) {
            return "name";
          } else if (type == Integer.class) {
            return 1;
          } else if (Object.class.equals(type)) {
            return lockedLookup();
          }
          return null;
        }

        private Object lockedLookup() {
          synchronized (framework.installLock) {
            return this;
          }
        }
      }
      """;

  @Test
  void aClassLiteralArgumentRulesOutTheOtherBranchesOfATypeSwitch() {
    // adapt(String.class) returns at its first test: the branch that takes the framework's lock
    // needs type to be Object.class, and neither of the earlier ones.
    helper
        .addSourceLines(
            "Bundle.java",
            EndToEnd.withoutExpectations(BUNDLE.formatted("String.class")))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void theClassLiteralOfTheLockingBranchStillLocks() {
    helper.addSourceLines("Bundle.java", BUNDLE.formatted("Object.class")).doTest();
  }

  private static final String REVISION =
      """
      final class Wiring {
        private Bundle bundle;

        void bind(Bundle bundle) {
          this.bundle = bundle;
        }

        synchronized void attach() {}

        synchronized void update() {
          // BUG: Diagnostic contains: Lock-order cycle
          bundle.touch();
        }
      }

      final class Revision {
        void resolve(Wiring wiring) {
          if (wiring != null) {
            wiring.attach();
          }
        }
      }

      final class Bundle {
        private final Revision revision = new Revision();
        private Wiring wiring;

        void wire(Wiring wiring) {
          this.wiring = wiring;
        }

        synchronized void touch() {}

        synchronized void refresh() {
          // BUG: Diagnostic contains: Lock-order cycle
          revision.resolve(%s);
        }
      }
      """;

  @Test
  void aNullArgumentRulesOutTheBranchForANonNullParameter() {
    // refresh() resolves with null: the wiring's monitor is not taken under the bundle's.
    helper
        .addSourceLines(
            "Revision.java",
            EndToEnd.withoutExpectations(REVISION.formatted("null")))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void anArgumentThatMayNotBeNullTakesTheBranch() {
    helper.addSourceLines("Revision.java", REVISION.formatted("wiring")).doTest();
  }

  private static final String POOL =
      """
      final class Registry {
        static final Object LOCK = new Object();

        static void closeAll(Pool pool) {
          synchronized (LOCK) {
            // BUG: Diagnostic contains: Lock-order cycle
            pool.touch();
          }
        }
      }

      final class Pool {
        synchronized void touch() {}

        void close(boolean force) {
          release(force);
        }

        private void release(boolean now) {
          if (!now) {
            return;
          }
          synchronized (Registry.LOCK) {}
        }

        synchronized void shutdown() {
          // BUG: Diagnostic contains: Lock-order cycle
          close(%s);
        }
      }
      """;

  @Test
  void aConstantArgumentPassedOnThroughAParameterRulesTheBranchOut() {
    // shutdown() passes false to close(force), which passes force on to release(now); only
    // release(true) gets past its early return to the registry's lock.
    helper
        .addSourceLines(
            "Pool.java", EndToEnd.withoutExpectations(POOL.formatted("false")))
        .expectNoDiagnostics()
        .doTest();
    CompilationTestHelper.newInstance(LockOrderInversion.class, getClass())
        .addSourceLines("Pool.java", POOL.formatted("true"))
        .doTest();
  }

  private static final String DEPENDENCIES =
      """
      final class Dependencies {
        synchronized void wire() {}

        synchronized void refreshAll(Revision revision) {
          // BUG: Diagnostic contains: Lock-order cycle
          revision.touch();
        }
      }

      final class Revision {
        private final Dependencies dependencies = new Dependencies();
        private Object pending;

        void offer(Object wiring) {
          pending = wiring;
        }

        synchronized void touch() {}

        synchronized void resolve(Object wiring) {
          if (wiring != null) {
            // BUG: Diagnostic contains: Lock-order cycle
            dependencies.wire();
          }
        }

        synchronized void close() {
          resolve(null);
        }

        synchronized void refresh() {
          resolve(%s);
        }
      }
      """;

  @Test
  void aBranchThatEveryCallOfTheMethodRulesOutMakesNoOrder() {
    // resolve(...) is called only with null, by callers whose locks are known (as for the locks a
    // method always runs under): the order taken inside it only for a wiring never happens.
    helper
        .addSourceLines(
            "Revision.java",
            EndToEnd.withoutExpectations(DEPENDENCIES.formatted("null")))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void oneCallWithAnotherArgumentMakesTheOrder() {
    helper
        .addSourceLines(
            "Revision.java",
            DEPENDENCIES
                .formatted("pending")
                .replace(
                    "    resolve(pending);",
                    "    // BUG: Diagnostic contains: Lock-order cycle\n    resolve(pending);"))
        .doTest();
  }
}
