package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/**
 * Which overrides a virtual call runs: those of the classes instantiated in the compilation that
 * the receiver can be, judged by where the receiver comes from.
 */
final class DispatchTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void inheritedCodeCallingAnOverrideOnThisRunsTheCallersOwnClass() {
    // checkClosed() in the base calls close() on this: for a CallableStatement that is
    // CallableStatement.close(), never its sibling PlainStatement.close().
    helper
        .addSourceLines(
            "Statements.java",
            """
            class Registry {
              static final Object REGISTRY = new Object();
              static final Object RESULTS = new Object();
            }

            abstract class StatementBase {
              void checkClosed() {
                close();
              }

              abstract void close();
            }

            class PlainStatement extends StatementBase {
              @Override
              void close() {
                synchronized (Registry.REGISTRY) {}
              }
            }

            class CallableStatement extends StatementBase {
              @Override
              void close() {}

              void execute() {
                synchronized (Registry.RESULTS) {
                  checkClosed();
                }
              }

              static void register() {
                synchronized (Registry.REGISTRY) {
                  synchronized (Registry.RESULTS) {}
                }
              }

              static final StatementBase[] ALL = {new PlainStatement(), new CallableStatement()};
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void inheritedCodeCallingAnOverrideOnThisRunsEveryOverrideForAnObjectOfTheBase() {
    helper
        .addSourceLines(
            "Statements.java",
            """
            class Registry {
              static final Object REGISTRY = new Object();
              static final Object RESULTS = new Object();
            }

            abstract class StatementBase {
              void checkClosed() {
                close();
              }

              abstract void close();

              void execute() {
                synchronized (Registry.RESULTS) {
                  // BUG: Diagnostic contains: acquires Registry.REGISTRY while holding Registry.RESULTS, through calls StatementBase.checkClosed() -> PlainStatement.close()
                  checkClosed();
                }
              }
            }

            class PlainStatement extends StatementBase {
              @Override
              void close() {
                synchronized (Registry.REGISTRY) {}
              }

              static void register() {
                synchronized (Registry.REGISTRY) {
                  // BUG: Diagnostic contains: acquires Registry.RESULTS while holding Registry.REGISTRY
                  synchronized (Registry.RESULTS) {}
                }
              }

              static final StatementBase ONE = new PlainStatement();
            }
            """)
        .doTest();
  }

  @Test
  void anImplementationNeverInstantiatedIsNotFollowed() {
    helper
        .addSourceLines(
            "Listeners.java",
            """
            interface Listener {
              void onChange();
            }

            class Bus {
              static final Object DISPATCH = new Object();
              Listener listener;

              void fire() {
                synchronized (DISPATCH) {
                  listener.onChange(); // no Listener is ever created here
                }
              }
            }

            class AuditListener implements Listener {
              static final Object LOG = new Object();

              @Override
              public void onChange() {
                synchronized (LOG) {}
              }

              void flush() {
                synchronized (LOG) {
                  new Bus().fire();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aFieldAllocatedAsOneClassRunsThatClassOnly() {
    helper
        .addSourceLines(
            "Stores.java",
            """
            interface Store {
              void put(String key);
            }

            class MemoryStore implements Store {
              public void put(String key) {}
            }

            class JournalStore implements Store {
              static final Object JOURNAL = new Object();
              Cache cache;

              public void put(String key) {
                synchronized (JOURNAL) {
                  cache.evict();
                }
              }
            }

            class Cache {
              private final Store store = new MemoryStore();
              private final Store journal = new JournalStore();

              synchronized void save(String key) {
                // A MemoryStore: taking no lock. Were it any Store, JournalStore.put would make
                // the cycle Cache -> JOURNAL -> Cache.
                store.put(key);
              }

              synchronized void evict() {}
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  private static String registry(String alsoGivenFromElsewhere) {
    return """
        interface Store {
          void put();
        }

        final class Quiet implements Store {
          public void put() {}
        }

        final class Loud implements Store {
          private final Registry registry;

          Loud(Registry registry) {
            this.registry = registry;
          }

          public synchronized void put() {
            registry.touch();
          }
        }

        final class Registry {
          private final Object lock = new Object();
          private Store store;

          Registry() {
            Store fresh = new Quiet();
            store = fresh;
          }

          void reset() {
            store = null;
          }

          void add() {
            synchronized (lock) {
              store.put();
            }
          }

          void touch() {
            synchronized (lock) {}
          }

          void flush() {
            store.put(); // without the lock: put() does not always run under it
          }

          Store loud() {
            return new Loud(this);
          }
        %s}
        """
        .formatted(alsoGivenFromElsewhere);
  }

  @Test
  void aFieldGivenOnlyNewObjectsRunsTheirClassesMethods() {
    // Registry.store only ever holds a Quiet (or null): store.put() cannot run Loud.put(), though
    // a Loud is made elsewhere, so there is no order lock -> Loud -> lock.
    helper.addSourceLines("Registry.java", registry("")).expectNoDiagnostics().doTest();
  }

  @Test
  void aFieldAlsoGivenAnObjectFromElsewhereMayHoldAnyOfItsClasses() {
    helper
        .addSourceLines(
            "Registry.java",
            registry(
                """

                  void use(Store other) {
                    store = other;
                  }
                """)
                .replace(
                    "      store.put();",
                    "      // BUG: Diagnostic contains: Lock-order cycle\n      store.put();")
                .replace(
                    "    registry.touch();",
                    "    // BUG: Diagnostic contains: Lock-order cycle\n    registry.touch();"))
        .doTest();
  }

  private static String sessions(String switchOff) {
    return """
        interface Command {
          void run();
        }

        final class LocalCommand implements Command {
          public void run() {
            synchronized (Database.LOCK) {}
          }
        }

        final class RemoteCommand implements Command {
          public void run() {}
        }

        abstract class Session {
          abstract Command prepare(String sql);
        }

        final class LocalSession extends Session {
          Command prepare(String sql) {
            return new LocalCommand();
          }
        }

        final class RemoteSession extends Session {
          private final Object lock = new Object();
          Session other;

          Command prepare(String sql) {
            synchronized (lock) {
              return new RemoteCommand();
            }
          }

          void switchOff() {
            synchronized (lock) {
              %s
            }
          }

          void touch() {
            synchronized (lock) {}
          }
        }

        final class Database {
          static final Object LOCK = new Object();

          static void close(RemoteSession session) {
            synchronized (LOCK) {
              session.touch();
            }
          }
        }
        """
        .formatted(switchOff);
  }

  @Test
  void aFactoryResultIsOfTheClassItMakes() {
    // prepare() on a RemoteSession only ever returns a new RemoteCommand: running it cannot run
    // LocalCommand.run(), so switchOff() takes no Database.LOCK under its lock.
    helper
        .addSourceLines("Sessions.java", sessions("prepare(\"SET CLUSTER ''\").run();"))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aResultOfFactoriesMakingDifferentClassesMayBeEither() {
    helper
        .addSourceLines(
            "Sessions.java",
            sessions(
                    """
                    // BUG: Diagnostic contains: acquires Database.LOCK while holding RemoteSession.lock
                          other.prepare("SET CLUSTER ''").run();""")
                .replace(
                    "      session.touch();",
                    "      // BUG: Diagnostic contains: Lock-order cycle\n      session.touch();"))
        .doTest();
  }

  @Test
  void aSiblingsOverrideIsNotRunForALockPassedToAnotherObject() {
    // setAuthenticated() calls signalEvent() on this. Only for a ClientSession does that hand the
    // session to Kex, which locks its kexState; a ServerSession never gets there. A client session
    // doing the same under encodeLock is a cycle.
    helper
        .addSourceLines(
            "Sessions.java",
            """
            abstract class Session {
              final Object encodeLock = new Object();
              final Object kexState = new Object();

              void setAuthenticated() {
                signalEvent();
              }

              void signalEvent() {}

              void sendKexInit() {
                synchronized (kexState) {
                  // BUG: Diagnostic contains: Lock-order cycle
                  write();
                }
              }

              void write() {
                synchronized (encodeLock) {}
              }
            }

            final class Kex {
              static void start(Session session) {
                synchronized (session.kexState) {}
              }
            }

            final class ClientSession extends Session {
              @Override
              void signalEvent() {
                Kex.start(this);
              }

              void reauthenticate() {
                synchronized (encodeLock) {
                  // BUG: Diagnostic contains: Lock-order cycle
                  setAuthenticated();
                }
              }
            }

            final class ServerSession extends Session {
              void signalAuthenticationSuccess() {
                synchronized (encodeLock) {
                  setAuthenticated();
                }
              }

              static final Session[] BOTH = {new ClientSession(), new ServerSession()};
            }
            """)
        .doTest();
  }
}
