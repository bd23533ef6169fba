package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/** Edges made by calls: a lock held while calling code that acquires another, at any depth. */
final class LockOrderThroughCallsTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void inversionThroughThreeLevelsOfCalls() {
    helper
        .addSourceLines(
            "Orders.java",
            """
            class Orders {
              private final Object orders = new Object();
              private final Ledger ledger = new Ledger();

              void place() {
                synchronized (orders) {
                  // BUG: Diagnostic contains: Here Orders.place() acquires `ledger.entries` (Ledger.entries) while holding Orders.orders, through calls Ledger.post() -> Ledger.append() -> Ledger.write() (which acquires it at Orders.java:32)
                  ledger.post();
                }
              }

              void cancel() {
                synchronized (orders) {}
              }
            }

            class Ledger {
              private final Object entries = new Object();
              Orders orders;

              void post() {
                append();
              }

              private void append() {
                if (entries != null) {
                  write();
                }
              }

              void write() {
                synchronized (entries) {
                  // BUG: Diagnostic contains: Elsewhere: Orders.place() (Orders.java:8) acquires `ledger.entries` (Ledger.entries) while holding Orders.orders, through calls Ledger.post() -> Ledger.append() -> Ledger.write()
                  orders.cancel();
                }
              }

              // Also called holding nothing: write() does not always run under Orders.orders.
              void flush() {
                post();
              }
            }
            """)
        .doTest();
  }

  @Test
  void recursionAndCallCyclesTerminate() {
    helper
        .addSourceLines(
            "Tree.java",
            """
            class Tree {
              static final Object STRUCTURE = new Object();
              static final Object STATS = new Object();

              int depth(int n) {
                return n == 0 ? 0 : 1 + width(n - 1);
              }

              int width(int n) {
                synchronized (STATS) {
                  return depth(n);
                }
              }

              void rebalance() {
                synchronized (STRUCTURE) {
                  // BUG: Diagnostic contains: acquires Tree.STATS while holding Tree.STRUCTURE, through calls Tree.depth(int) -> Tree.width(int)
                  depth(3);
                }
              }

              void compact() {
                rebalance(); // rebalance() also runs without STATS held
              }

              void count() {
                synchronized (STATS) {
                  // BUG: Diagnostic contains: acquires Tree.STRUCTURE while holding Tree.STATS
                  rebalance();
                }
              }

              void self(int n) {
                if (n > 0) {
                  self(n - 1);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void virtualCallCountsOverridesCompiledTogether() {
    helper
        .addSourceLines(
            "Listeners.java",
            """
            interface Listener {
              void onChange();
            }

            class Bus {
              static final Object DISPATCH = new Object();
              Listener listener = new AuditListener();

              void publish() {
                fire(); // fire() also runs without AuditListener.LOG held
              }

              void fire() {
                synchronized (DISPATCH) {
                  // BUG: Diagnostic contains: acquires AuditListener.LOG while holding Bus.DISPATCH, through calls AuditListener.onChange()
                  listener.onChange();
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
                  // BUG: Diagnostic contains: acquires Bus.DISPATCH while holding AuditListener.LOG
                  new Bus().fire();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void overridesOutsideTheReceiverTypeDoNotCount() {
    helper
        .addSourceLines(
            "Shapes.java",
            """
            abstract class Shape {
              abstract void draw();
            }

            class Circle extends Shape {
              static final Object CANVAS = new Object();

              @Override
              void draw() {
                synchronized (CANVAS) {}
              }
            }

            class Square extends Shape {
              static final Object CANVAS = new Object();
              Square next;

              @Override
              void draw() {
                synchronized (CANVAS) {}
              }

              void drawNext() {
                synchronized (Circle.CANVAS) {
                  next.draw();
                }
              }

              void drawCircle(Circle circle) {
                synchronized (CANVAS) {}
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void sameNodeReachedThroughCallsIsNotAnEdge() {
    helper
        .addSourceLines(
            "Parent.java",
            """
            class Parent {
              final Object lock = new Object();
              Parent child;

              void update() {
                synchronized (lock) {
                  if (child != null) {
                    child.update();
                  }
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void constructorsAreCalls() {
    helper
        .addSourceLines(
            "Session.java",
            """
            class Session {
              static final Object SESSIONS = new Object();
              static final Object IDS = new Object();

              Session() {
                synchronized (IDS) {}
              }

              static Session open() {
                synchronized (SESSIONS) {
                  // BUG: Diagnostic contains: acquires Session.IDS while holding Session.SESSIONS, through calls new Session()
                  return new Session();
                }
              }

              static void renumber() {
                synchronized (IDS) {
                  // BUG: Diagnostic contains: acquires Session.SESSIONS while holding Session.IDS
                  synchronized (SESSIONS) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void locksAlreadyHeldByTheCallerAreReentrantInTheCallee() {
    helper
        .addSourceLines(
            "Queue.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Queue {
              private final ReentrantLock tail = new ReentrantLock();
              private final ReentrantLock head = new ReentrantLock();

              boolean offer() {
                tail.lock();
                try {
                  head.lock();
                  try {
                    return grow();
                  } finally {
                    head.unlock();
                  }
                } finally {
                  tail.unlock();
                }
              }

              private boolean grow() {
                tail.lock();
                try {
                  head.lock();
                  try {
                    return true;
                  } finally {
                    head.unlock();
                  }
                } finally {
                  tail.unlock();
                }
              }

              void clear() {
                tail.lock();
                try {
                  head.lock();
                  head.unlock();
                } finally {
                  tail.unlock();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void thisIsOneMonitorAcrossItsClassHierarchy() {
    helper
        .addSourceLines(
            "Resources.java",
            """
            class UrlResource {
              synchronized void close() {}

              synchronized boolean exists() {
                return check();
              }

              synchronized boolean check() {
                return true;
              }
            }

            class JarResource extends UrlResource {
              @Override
              synchronized void close() {
                super.close();
              }

              @Override
              synchronized boolean check() {
                close();
                return super.check();
              }
            }

            class JarFileResource extends JarResource {
              @Override
              synchronized void close() {
                super.close();
                exists();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void virtualCallWithManyOverridesIsTreatedAsUnknownCode() {
    helper
        .addSourceLines(
            "Plugins.java",
            """
            interface Plugin {
              void start();
            }

            class Host {
              static final Object PLUGINS = new Object();

              void startAll(Plugin plugin) {
                synchronized (PLUGINS) {
                  plugin.start();
                }
              }
            }

            class A implements Plugin {
              public void start() {
                synchronized (A.class) {}
              }
            }

            class B implements Plugin {
              public void start() {}
            }

            class C implements Plugin {
              public void start() {}
            }

            class D implements Plugin {
              public void start() {}
            }

            class Reverse {
              void run() {
                synchronized (A.class) {
                  synchronized (Host.PLUGINS) {}
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void siblingClassesHaveMonitorsOfTheirOwn() {
    helper
        .addSourceLines(
            "Workers.java",
            """
            abstract class Worker {
              abstract void stop();
            }

            final class Sender extends Worker {
              Receiver peer;

              @Override
              synchronized void stop() {
                // BUG: Diagnostic contains: Lock-order cycle the monitor of a Sender -> the monitor of a Receiver -> the monitor of a Sender
                peer.drain();
              }

              synchronized void flush() {}
            }

            final class Receiver extends Worker {
              Sender peer;

              @Override
              synchronized void stop() {
                // BUG: Diagnostic contains: acquires `peer` (the monitor of a Sender) while holding the monitor of a Receiver
                peer.flush();
              }

              synchronized void drain() {}
            }
            """)
        .doTest();
  }

  @Test
  void anInheritedImplementationOfAnInterfaceMethodIsFollowed() {
    helper
        .addSourceLines(
            "Registry.java",
            """
            interface Extensions {
              Object extensions();
            }

            class Base {
              static final Object REGISTRY = new Object();

              public Object extensions() {
                synchronized (REGISTRY) {
                  return null;
                }
              }
            }

            class Source extends Base implements Extensions {}

            class Pool {
              static final Object POOL = new Object();
              Extensions source = new Source();

              Object lookup() {
                synchronized (POOL) {
                  // BUG: Diagnostic contains: acquires Base.REGISTRY while holding Pool.POOL, through calls Base.extensions()
                  return source.extensions();
                }
              }

              static void register() {
                synchronized (Base.REGISTRY) {
                  // BUG: Diagnostic contains: acquires Pool.POOL while holding Base.REGISTRY
                  synchronized (POOL) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void theMonitorOfAnObjectUnderConstructionIsNotContended() {
    helper
        .addSourceLines(
            "Factory.java",
            """
            class Factory {
              synchronized Pool create() {
                return new Pool(this);
              }

              synchronized void closed(Pool pool) {}
            }

            class Pool {
              private final Factory factory;

              Pool(Factory factory) {
                this.factory = factory;
                init();
                synchronized (this) {}
              }

              private synchronized void init() {}

              synchronized void close() {
                factory.closed(this);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aLockChosenByAConditionMayBeEitherAndIsReentrantForBoth() {
    helper
        .addSourceLines(
            "Peer.java",
            """
            class Manager {
              Peer peer;

              synchronized void connect() {
                synchronized (Peer.QV_LOCK) {}
              }
            }

            class Peer {
              static final Object QV_LOCK = new Object();
              Manager manager;

              void connectAll() {
                Manager m = manager;
                Object outer = (m != null) ? m : QV_LOCK;
                synchronized (outer) {
                  synchronized (QV_LOCK) {
                    if (m != null) {
                      m.connect();
                    }
                  }
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }
}
