package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/**
 * A call on an object the code handed there (through parameters, fields, returns) runs only the
 * classes whose objects can reach it, not every implementation of the interface.
 */
final class ValueFlowDispatchTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  /** Three stores; the cache is given one of them through its constructor, by code of the run. */
  private static final String THREE_STORES =
      """
      interface Store {
        void put(String key);
      }

      class MemoryStore implements Store {
        public void put(String key) {}
      }

      class DiskStore implements Store {
        public void put(String key) {}
      }

      class IndexingStore implements Store {
        private final Index index;

        IndexingStore(Index index) {
          this.index = index;
        }

        public void put(String key) {
          index.add(key);
        }
      }

      class Index {
        private final Object entries = new Object();
        Cache cache;

        void add(String key) {
          synchronized (entries) {
            cache.touch(key);
          }
        }

        void rebuild() {
          add("*");
        }
      }

      class Cache {
        private final Object lock = new Object();
        private final Store store;

        Cache(Store store) {
          this.store = store;
        }

        void save(String key) {
          synchronized (lock) {
            %s
          }
        }

        void touch(String key) {
          synchronized (lock) {}
        }
      }

      class Wiring {
        static Cache indexed(Index index) {
          Store store = new IndexingStore(index);
          Cache cache = new Cache(store);
          index.cache = cache;
          return cache;
        }

        static Store[] all() {
          return new Store[] {new MemoryStore(), new DiskStore(), new IndexingStore(new Index())};
        }
      }
      """;

  @Test
  void aCallRunsTheImplementationHandedToTheReceiver() {
    // Cache.store is given an IndexingStore (through a local, a static method's parameter and the
    // constructor's): store.put runs IndexingStore.put, which calls back into the cache's lock.
    helper
        .addSourceLines(
            "Stores.java",
            THREE_STORES
                .formatted(
                    "// BUG: Diagnostic contains: through calls IndexingStore.put(String)\n"
                        + "store.put(key);")
                .replace(
                    "      cache.touch(key);",
                    "      // BUG: Diagnostic contains: Index.entries -> Cache.lock -> Index.entries\n"
                        + "      cache.touch(key);"))
        .doTest();
  }

  @Test
  void aCallOnAnObjectThatNeverHoldsTheCallingBackClassRunsNone() {
    // The same stores, but the cache built by this code gets a MemoryStore only: though an
    // IndexingStore is made elsewhere, store.put never runs IndexingStore.put.
    helper
        .addSourceLines(
            "Stores.java",
            THREE_STORES
                .formatted("store.put(key);")
                .replace("Store store = new IndexingStore(index);", "Store store = new MemoryStore();"))
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * A proxy whose connection is made by a factory of one class (through a package-private
   * method's parameter); a wrapper class that also implements the connection interface locks the
   * proxy back, but no wrapper ever reaches that parameter.
   */
  private static final String CONNECTIONS =
      """
            interface Connection {
        void realClose();
      }

      final class PhysicalConnection implements Connection {
        public void realClose() {}
      }

      final class WrapperConnection implements Connection {
        private final ConnectionProxy proxy;

        WrapperConnection(ConnectionProxy proxy) {
          this.proxy = proxy;
        }

        public void realClose() {
          synchronized (proxy) {}
        }
      }

      final class ConnectionProxy {
        private final Object hosts = new Object();
        private Connection current;

        static Connection connectTo(String host) {
          return new PhysicalConnection();
        }

        synchronized void switchTo(String host) {
          current = connectTo(host);
          invalidate(current);
        }

        void invalidate(Connection connection) {
          synchronized (hosts) {
            connection.realClose();
          }
        }

        Connection wrapper() {
          return new WrapperConnection(this);
        }

        void removeHost() {
          invalidate(current);
        }
      }
      """;

  @Test
  void aParameterGivenOnlyFactoryResultsRunsThatClassOnly() {
    helper
        .addSourceLines("Connections.java", CONNECTIONS)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void theSameParameterAlsoGivenTheWrapperRunsItsMethodToo() {
    helper
        .addSourceLines(
            "Connections.java",
            CONNECTIONS
                .replace(
                    "current = connectTo(host);",
                    "current = host.isEmpty() ? wrapper() : connectTo(host);")
                .replace(
                    "    invalidate(current);\n  }\n\n  void invalidate",
                    "    // BUG: Diagnostic contains: cycle\n"
                        + "    invalidate(current);\n  }\n\n  void invalidate")
                .replace(
                    "      connection.realClose();",
                    "      // BUG: Diagnostic contains: cycle\n      connection.realClose();"))
        .doTest();
  }

  /**
   * {@code ServiceSupport.stop()} calls the abstract {@code doStop()} on this: for the scheduler a
   * connection keeps (a local copy of a field given only what {@code start} is passed, a new
   * {@code Scheduler}), that is {@code Scheduler.doStop()}, never the transport's, which locks.
   */
  private static final String SERVICES =
      """
      abstract class ServiceSupport {
        final void stop() {
          doStop();
        }

        abstract void doStop();
      }

      class Scheduler extends ServiceSupport {
        void doStop() {}
      }

      class Transport extends ServiceSupport {
        private final Object writeLock = new Object();
        Connection connection;

        void doStop() {
          synchronized (writeLock) {
            connection.transportStopped();
          }
        }
      }

      class Connection {
        private volatile ServiceSupport scheduler;
        private final Transport transport = new Transport();

        Connection() {
          transport.connection = this;
        }

        synchronized void start(ServiceSupport timers) {
          scheduler = timers;
        }

        static Connection open() {
          Connection connection = new Connection();
          connection.start(new Scheduler());
          return connection;
        }

        synchronized void close() {
          ServiceSupport current = scheduler;
          if (current != null) {
            current.stop();
          }
        }

        synchronized void transportStopped() {}

        void shutdown() {
          transport.stop();
        }
      }
      """;

  @Test
  void inheritedCodeRunsTheOverrideOfTheClassTheReceiverHolds() {
    helper.addSourceLines("Services.java", SERVICES).expectNoDiagnostics().doTest();
  }

  @Test
  void inheritedCodeOnAReceiverThatMayBeTheOtherClassRunsItsOverride() {
    helper
        .addSourceLines(
            "Services.java",
            SERVICES
                .replace(
                    "connection.start(new Scheduler());",
                    "connection.start(new Scheduler());\n    connection.start(new Transport());")
                .replace(
                    "      current.stop();",
                    "      // BUG: Diagnostic contains: cycle\n      current.stop();")
                .replace(
                    "      connection.transportStopped();",
                    "      // BUG: Diagnostic contains: cycle\n      connection.transportStopped();"))
        .doTest();
  }

  @Test
  void anOverrideOfAGenericMethodMayBeGivenWhatTheInterfaceIsGiven() {
    // handle(Sink) overrides handle(T), whose parameter is an Object to the flow: what a call
    // through Handler<Sink> passes (a Loud) may reach sink.put(), besides the Quiet given directly.
    helper
        .addSourceLines(
            "Pipeline.java",
            """
            class Pipeline {
              static final Object LOCK = new Object();

              interface Sink {
                void put();
              }

              private static final class Quiet implements Sink {
                public void put() {}
              }

              private static final class Loud implements Sink {
                public synchronized void put() {
                  // BUG: Diagnostic contains: cycle
                  touch();
                }
              }

              interface Handler<T> {
                void handle(T value);
              }

              private static final class Forwarder implements Handler<Sink> {
                public void handle(Sink sink) {
                  synchronized (LOCK) {
                    // BUG: Diagnostic contains: cycle
                    sink.put();
                  }
                }
              }

              static void touch() {
                synchronized (LOCK) {}
              }

              static void run() {
                new Forwarder().handle(new Quiet());
                Handler<Sink> handler = new Forwarder();
                handler.handle(new Loud());
                new Loud().put(); // also without LOCK
              }
            }
            """)
        .doTest();
  }
}
