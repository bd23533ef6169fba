package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/**
 * Acquisitions judged in the caller's context, and the cycles that cannot deadlock: a lock every
 * caller holds, a gate lock, the UI thread, objects no other thread can reach yet, and two objects
 * of one class in symmetric roles or not.
 */
final class ContextTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void aCalleeRetakingALockEveryCallerHoldsMakesNoOrder() {
    // rollback() takes storeLock under its own monitor, but its only caller holds storeLock
    // already: the order is storeLock -> FileLayer everywhere.
    helper
        .addSourceLines(
            "Store.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Store {
              final ReentrantLock storeLock = new ReentrantLock();
              private final FileLayer layer = new FileLayer(this);

              void rollback() {
                storeLock.lock();
                try {
                  layer.rollback();
                } finally {
                  storeLock.unlock();
                }
              }
            }

            class FileLayer {
              private final Store store;

              FileLayer(Store store) {
                this.store = store;
              }

              synchronized void rollback() {
                store.storeLock.lock();
                store.storeLock.unlock();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aCalleeAlsoCalledWithoutTheLockIsAnOrderOfItsOwn() {
    helper
        .addSourceLines(
            "Store.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Store {
              final ReentrantLock storeLock = new ReentrantLock();
              private final FileLayer layer = new FileLayer(this);

              void rollback() {
                storeLock.lock();
                try {
                  // BUG: Diagnostic contains: acquires `layer` (the monitor of a FileLayer) while holding Store.storeLock
                  layer.rollback();
                } finally {
                  storeLock.unlock();
                }
              }

              void compact() {
                layer.rollback(); // without storeLock
              }
            }

            class FileLayer {
              private final Store store;

              FileLayer(Store store) {
                this.store = store;
              }

              synchronized void rollback() {
                // BUG: Diagnostic contains: acquires `store.storeLock` (Store.storeLock) while holding the monitor of a FileLayer
                store.storeLock.lock();
                store.storeLock.unlock();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCycleWhoseEveryEdgeIsTakenUnderOneGateLockIsNotReported() {
    helper
        .addSourceLines(
            "Gate.java",
            """
            class Gate {
              static final Object GATE = new Object();
              static final Object A = new Object();
              static final Object B = new Object();

              void one() {
                synchronized (GATE) {
                  synchronized (A) {
                    synchronized (B) {}
                  }
                }
              }

              void two() {
                synchronized (GATE) {
                  synchronized (B) {
                    synchronized (A) {}
                  }
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aCycleWithOneEdgeOutsideTheGateIsReported() {
    helper
        .addSourceLines(
            "Gate.java",
            """
            class Gate {
              static final Object GATE = new Object();
              static final Object A = new Object();
              static final Object B = new Object();

              void one() {
                synchronized (GATE) {
                  synchronized (A) {
                    // BUG: Diagnostic contains: acquires Gate.B while holding Gate.A
                    synchronized (B) {}
                  }
                }
              }

              void two() {
                synchronized (B) {
                  // BUG: Diagnostic contains: acquires Gate.A while holding Gate.B
                  synchronized (A) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void ordersTakenOnlyOnTheUiThreadDoNotDeadlock() {
    helper
        .addSourceLines(
            "UiThread.java",
            """
            package androidx.annotation;

            public @interface UiThread {}
            """)
        .addSourceLines(
            "Screen.java",
            """
            import androidx.annotation.UiThread;

            class Screen {
              static final Object MODEL = new Object();
              static final Object VIEW = new Object();

              @UiThread
              void render() {
                synchronized (MODEL) {
                  synchronized (VIEW) {}
                }
              }

              @UiThread
              void click() {
                synchronized (VIEW) {
                  synchronized (MODEL) {}
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aLockFieldOfAnObjectUnderConstructionIsNotContended() {
    helper
        .addSourceLines(
            "Journal.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Journal {
              static final Object REGISTRY = new Object();
              private final ReentrantLock storeLock = new ReentrantLock();

              Journal() {
                synchronized (REGISTRY) {
                  storeLock.lock(); // this object is not published yet
                  storeLock.unlock();
                }
              }

              void flush() {
                storeLock.lock();
                try {
                  synchronized (REGISTRY) {}
                } finally {
                  storeLock.unlock();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aFreshObjectsMonitorIsNotContended() {
    helper
        .addSourceLines(
            "Tally.java",
            """
            class Tally {
              static final Object TOTALS = new Object();

              synchronized void add() {
                synchronized (TOTALS) {}
              }

              static void seed() {
                synchronized (TOTALS) {
                  Tally fresh = new Tally();
                  fresh.add();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void theReceiverAndAParameterOfItsClassThroughACallAreASymmetricPair() {
    helper
        .addSourceLines(
            "Tally.java",
            """
            class Tally {
              private long total;

              synchronized long total() {
                return total;
              }

              synchronized void absorb(Tally other) {
                // BUG: Diagnostic contains: Tally.absorb(Tally) acquires the lock of `other` (through Tally.total()) while holding the lock of `this`
                total += other.total();
              }
            }
            """)
        .doTest();
  }

  @Test
  void parentAndChildOrHandOverHandAreNotASymmetricPair() {
    helper
        .addSourceLines(
            "Node.java",
            """
            class Node {
              Node parent;
              Node next;

              synchronized void touch() {}

              synchronized void bubble() {
                if (parent != null) {
                  parent.touch();
                }
              }

              static void walk(Node head) {
                Node node = head;
                synchronized (head) {
                  synchronized (head.next) {}
                }
              }

              synchronized void adopt() {
                Node child = new Node();
                child.touch();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  private static String model(String alsoCalledFrom) {
    return """
        import java.util.ArrayList;
        import java.util.List;

        public class Model {
          private final List<Object> records = new ArrayList<>();

          public synchronized void add(Object record) {
            records.add(record);
            trim();
          }

          public synchronized void refresh() {}

          protected void trim() {
            if (records.size() > 10) {
              trimOldest();
            }
          }

          protected void trimOldest() {
            synchronized (records) {
              records.remove(0);
              refresh();
            }
          }
        %s}
        """
        .formatted(alsoCalledFrom);
  }

  @Test
  void aCalleeReachedThroughAMethodTakingNoLockRunsUnderItsCallersLock() {
    // trimOldest() is called only by trim(), which takes no lock and is called only by the
    // synchronized add(): the model's monitor is held whenever trimOldest() runs, so taking it
    // again under records is reentrant, and records is always taken under it.
    helper.addSourceLines("Model.java", model("")).expectNoDiagnostics().doTest();
  }

  @Test
  void aCalleeAlsoReachedFromCodeHoldingNothingHasNoSuchContext() {
    helper
        .addSourceLines(
            "Model.java",
            model(
                    """

                  public void compact() {
                    trim();
                  }
                """)
                .replace(
                    "    trim();\n  }\n\n  public synchronized void refresh",
                    "    // BUG: Diagnostic contains: Lock-order cycle\n    trim();\n  }\n\n  public synchronized void refresh")
                .replace(
                    "      refresh();",
                    "      // BUG: Diagnostic contains: Lock-order cycle\n      refresh();"))
        .doTest();
  }

  private static final String FRAMED_CHANNEL =
      """
      abstract class Channel {
        synchronized void receive() {
          handle(1);
        }

        abstract void handle(int frame);
      }

      class Http2Channel extends Channel {
        final Object flowControl = new Object();

        Http2Channel() {
          updateSettings(); // before the channel is published: its monitor needs no holding
        }

        static Channel open() {
          return new Http2Channel();
        }

        @Override
        void handle(int frame) {
          updateSettings();
        }

        private void updateSettings() {
          synchronized (flowControl) {
            %s
            sendGoAway();
          }
        }

        synchronized void sendGoAway() {}

        void flush() {
          synchronized (this) {
            // %s
            synchronized (flowControl) {}
          }
        }
      %s}
      """;

  @Test
  void anOverrideCalledOnlyUnderTheMonitorRunsUnderIt() {
    // Undertow's framed channels: every frame is handled inside the synchronized receive(), which
    // calls the abstract handle(); a helper re-taking the monitor there makes no order.
    helper
        .addSourceLines("Http2Channel.java", FRAMED_CHANNEL.formatted("", "", ""))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void anOverrideAlsoCalledWithoutTheMonitorMakesTheOrder() {
    helper
        .addSourceLines(
            "Http2Channel.java",
            FRAMED_CHANNEL.formatted(
                "// BUG: Diagnostic contains: Lock-order cycle Http2Channel.flowControl",
                "BUG: Diagnostic contains: Lock-order cycle the monitor of a Http2Channel",
                """
                  void onTimeout() {
                    handle(0); // on a timer thread, without the monitor
                  }
                """))
        .doTest();
  }

  /** Four more channel classes: with Http2Channel, five overrides of handle(), too many to follow. */
  private static final String OTHER_CHANNELS =
      """
      class AjpChannel extends Channel {
        void handle(int frame) {}
        static Channel open() { return new AjpChannel(); }
      }

      class WebSocketChannel extends Channel {
        void handle(int frame) {}
        static Channel open() { return new WebSocketChannel(); }
      }

      class SpdyChannel extends Channel {
        void handle(int frame) {}
        static Channel open() { return new SpdyChannel(); }
      }

      class RawChannel extends Channel {
        void handle(int frame) {}
        static Channel open() { return new RawChannel(); }
      }
      """;

  @Test
  void aConstructorsCallThatMayRunTheOverrideUnfollowedKeepsItOutOfContext() {
    // The same as above, with the unfollowed call in a constructor, whose calls are added only
    // when a method it calls is judged.
    helper
        .addSourceLines(
            "Http2Channel.java",
            FRAMED_CHANNEL.formatted(
                "// BUG: Diagnostic contains: Lock-order cycle Http2Channel.flowControl",
                "BUG: Diagnostic contains: Lock-order cycle the monitor of a Http2Channel",
                """
                  static final class Poker {
                    Poker(Channel channel) {
                      channel.handle(0);
                    }
                  }
                """))
        .addSourceLines("Others.java", OTHER_CHANNELS)
        .doTest();
  }

  @Test
  void anOverrideIsNotJudgedInContextWhenACallOfItsMethodMayRunItUnfollowed() {
    // poke(c) may run any of five overrides, too many to follow: Http2Channel.handle() may run
    // there without the monitor.
    helper
        .addSourceLines(
            "Http2Channel.java",
            FRAMED_CHANNEL.formatted(
                "// BUG: Diagnostic contains: Lock-order cycle Http2Channel.flowControl",
                "BUG: Diagnostic contains: Lock-order cycle the monitor of a Http2Channel",
                """
                  static void poke(Channel channel) {
                    synchronized (Channel.class) { // analysed, holding another lock
                      channel.handle(0);
                    }
                  }
                """))
        .addSourceLines("Others.java", OTHER_CHANNELS)
        .doTest();
  }
}
