package dev.hangcheck.checks;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * BlockingCallUnderLock reports a blocking call under a lock only when other code takes that lock
 * without blocking, and names that code; and it follows blocking calls only so many calls deep.
 */
final class HeldUpTakersTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallUnderLock.class, getClass());

  @Test
  void aLockThatOnlyBlockingWorkTakesSerialisesThatWorkAndIsNotReported() {
    helper
        .addSourceLines(
            "Connection.java",
            """
            import java.io.InputStream;
            import java.io.OutputStream;
            import java.net.Socket;

            class Connection {
              private final Socket socket;
              private final Object lifecycle = new Object();
              private Thread reader;

              Connection(Socket socket) {
                this.socket = socket;
              }

              synchronized byte[] request(byte[] message) throws Exception {
                OutputStream out = socket.getOutputStream();
                out.write(message);
                InputStream in = socket.getInputStream();
                return in.readNBytes(16);
              }

              synchronized void ping() throws Exception {
                socket.getOutputStream().write(0);
                socket.getInputStream().read();
              }

              void stop() throws InterruptedException {
                synchronized (lifecycle) {
                  reader.interrupt();
                  reader.join();
                }
              }

              void start() throws InterruptedException {
                synchronized (lifecycle) {
                  if (reader != null) {
                    reader.join();
                  }
                  reader = new Thread(() -> {});
                  reader.start();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void quickCodeTakingTheLockIsNamedAsHeldUp() {
    helper
        .addSourceLines(
            "Registry.java",
            """
            import java.sql.Connection;
            import java.sql.SQLException;
            import java.util.ArrayList;
            import java.util.List;

            class Registry {
              private final List<String> names = new ArrayList<>();
              private Connection connection;

              synchronized void save(String name) throws SQLException {
                names.add(name);
                try (var statement = connection.createStatement()) {
                  // BUG: Diagnostic contains: Every thread that needs the monitor of a Registry waits as long, such as Registry.size() (Registry.java:18), which takes it without blocking
                  statement.executeUpdate("insert " + name);
                }
              }

              synchronized int size() {
                return names.size();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitThatReleasesTheLockMakesItsThreadATakerHeldUpAfterWakingUp() {
    helper
        .addSourceLines(
            "Mailbox.java",
            """
            class Mailbox {
              private String message;

              synchronized void deliver(String next) throws InterruptedException {
                // BUG: Diagnostic contains: such as Mailbox.receive() (Mailbox.java:11)
                Thread.sleep(100);
                message = next;
                notifyAll();
              }

              synchronized String receive() throws InterruptedException {
                while (message == null) {
                  wait();
                }
                return message;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTakerOfTheMonitorInASubclassOrThroughAnInterfaceIsHeldUpToo() {
    helper
        .addSourceLines(
            "Pools.java",
            """
            interface Pooled {
              void touch();
            }

            abstract class Slot implements Pooled {
              synchronized void refill() throws InterruptedException {
                // BUG: Diagnostic contains: such as FastSlot.touch() (Pools.java:16)
                Thread.sleep(50);
              }
            }

            class FastSlot extends Slot {
              private long lastUse;

              @Override
              public synchronized void touch() {
                lastUse = System.nanoTime();
              }
            }

            class Pool {
              void release(Pooled pooled) throws InterruptedException {
                synchronized (pooled) {
                  // BUG: Diagnostic contains: holds `pooled` (the monitor of a Pooled)
                  Thread.sleep(10);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLockChosenByAConditionalHasTheTakersOfEitherBranch() {
    helper
        .addSourceLines(
            "Pool.java",
            """
            import java.util.HashMap;
            import java.util.Map;

            class Pool {
              private final Map<String, Slot> slots = new HashMap<>();

              void invalidate(String key) throws InterruptedException {
                Slot slot = key != null ? slots.get(key) : null;
                if (slot == null) {
                  return;
                }
                synchronized (slot) {
                  // BUG: Diagnostic contains: such as Slot.state() (Pool.java:20)
                  Thread.sleep(10);
                }
              }
            }

            class Slot {
              synchronized int state() {
                return 0;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aConstructorIsNoTakerAndAMethodOthersCallIsNamedBeforeAPrivateHelper() {
    helper
        .addSourceLines(
            "Feeds.java",
            """
            class Journal {
              private final Object lock = new Object();
              private int lines;

              Journal() {
                synchronized (lock) {
                  lines = 0;
                }
              }

              void append() throws InterruptedException {
                synchronized (lock) {
                  Thread.sleep(5);
                  lines++;
                }
              }
            }

            class Feed {
              private int items;

              private synchronized void reset() {
                items = 0;
              }

              synchronized void refresh() throws InterruptedException {
                // BUG: Diagnostic contains: such as Feed.count() (Feeds.java:32)
                Thread.sleep(100);
                reset();
              }

              synchronized int count() {
                return items;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTakerThatBlocksOnlyFarDownItsCallsCountsAsQuick() {
    helper
        .addSourceLines(
            "Catalog.java",
            """
            class Catalog {
              private final Object lock = new Object();
              private final Index index = new Index();

              void reload() throws InterruptedException {
                synchronized (lock) {
                  // BUG: Diagnostic contains: such as Catalog.lookup(String) (Catalog.java:13)
                  Thread.sleep(100);
                }
              }

              String lookup(String key) throws InterruptedException {
                synchronized (lock) {
                  return index.find(key);
                }
              }
            }

            class Index {
              String find(String key) throws InterruptedException {
                return a(key);
              }

              String a(String key) throws InterruptedException {
                return b(key);
              }

              String b(String key) throws InterruptedException {
                return c(key);
              }

              String c(String key) throws InterruptedException {
                if (key.isEmpty()) {
                  Thread.sleep(1);
                }
                return key;
              }
            }
            """)
        .doTest();
  }

  @Test
  void blockingMoreThanTwoCallsBelowTheLockIsFollowedOnlyWhenTheFlagSaysSo() {
    String source =
        """
        class Cache {
          private final Loader loader = new Loader();

          synchronized String get(String key) throws InterruptedException {
            // BUG: Diagnostic contains: Loader.load(String) -> Loader.fetch(String) -> Loader.retry(String) -> Thread.sleep(long)
            return loader.load(key);
          }

          synchronized int size() {
            return 0;
          }
        }

        class Loader {
          String load(String key) throws InterruptedException {
            return fetch(key);
          }

          String fetch(String key) throws InterruptedException {
            return retry(key);
          }

          String retry(String key) throws InterruptedException {
            Thread.sleep(10);
            return key;
          }
        }
        """;
    CompilationTestHelper.newInstance(BlockingCallUnderLock.class, getClass())
        .addSourceLines("Cache.java", source.replace("// BUG: Diagnostic contains:", "//"))
        .expectNoDiagnostics()
        .doTest();
    helper
        .setArgs("-XepOpt:Hangcheck:UnderLockMaxCallDepth=3")
        .addSourceLines("Cache.java", source)
        .doTest();
  }

  @Test
  void depthZeroReportsOnlyBlockingCallsInTheLockedRegionItself() {
    helper
        .setArgs("-XepOpt:Hangcheck:UnderLockMaxCallDepth=0")
        .addSourceLines(
            "Ticker.java",
            """
            class Ticker {
              synchronized void tick() throws InterruptedException {
                // BUG: Diagnostic contains: calls Thread.sleep(long), which sleeps
                Thread.sleep(1);
                pause();
              }

              void pause() throws InterruptedException {
                Thread.sleep(1);
              }

              synchronized long count() {
                return 0;
              }
            }
            """)
        .doTest();
  }

  private static final String TIMER =
      """
      class Timer implements Runnable {
        private Thread runner;

        public synchronized void start() {
          runner = new Thread(this);
          runner.start();
        }

        public synchronized void stop() throws InterruptedException {
          Thread old = runner;
          runner = null;
          if (old != null) {
            old.interrupt();
            %s
            old.join(500);
          }
        }

        @Override
        public void run() {}
      %s}
      """;

  @Test
  void stopWaitingUnderALockThatOnlyStartAndStopTakeHoldsUpNobody() {
    helper.addSourceLines("Timer.java", TIMER.formatted("", "")).expectNoDiagnostics().doTest();
  }

  @Test
  void aTakerThatDoesTheComponentsWorkIsHeldUpAndNamedBeforeTheLifecycleOnes() {
    helper
        .addSourceLines(
            "Timer.java",
            TIMER.formatted(
                "// BUG: Diagnostic contains: such as Timer.isRunning() (Timer.java:21), which takes"
                    + " it without blocking",
                """
                  public synchronized boolean isRunning() {
                    return runner != null;
                  }
                """))
        .doTest();
  }

  @Test
  void lifecycleMethodsNamedForThePartTheyStartAndStopHoldUpNobody() {
    // startTimer()/stopTimer(), startService(): a start or stop word followed by what it starts.
    helper
        .addSourceLines(
            "Timer.java",
            TIMER
                .formatted("", "")
                .replace("public synchronized void start()", "public synchronized void startTimer()")
                .replace("public synchronized void stop()", "public synchronized void stopTimer()"))
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aWordThatOnlyBeginsLikeALifecycleOneIsNoLifecycleMethod() {
    // stopwatch() and starter() begin with "stop" and "start" but are not named for a part.
    helper
        .addSourceLines(
            "Timer.java",
            TIMER
                .formatted("// BUG: Diagnostic contains: such as Timer.starter()", "")
                .replace("public synchronized void start()", "public synchronized void starter()")
                .replace("public synchronized void stop()", "public synchronized void stopwatch()"))
        .doTest();
  }
}
