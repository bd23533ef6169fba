package dev.hangcheck.frameworks;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/**
 * Non-blocking code that takes a lock which other code holds while it blocks waits as long as that
 * blocking call: reported at the acquisition, or at the call leading to it.
 */
final class LockWaitTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass());

  @Test
  void aListenerWaitsForTheMonitorALoaderHoldsWhileItReadsAFile() {
    helper
        .addSourceLines(
            "Catalog.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.ArrayList;
            import java.util.List;
            import javax.swing.JButton;

            class Catalog {
              private final List<String> items = new ArrayList<>();

              synchronized void reload(Path file) throws java.io.IOException {
                items.clear();
                items.addAll(Files.readAllLines(file));
              }

              synchronized int size() {
                return items.size();
              }

              void wire(JButton count) {
                // BUG: Diagnostic contains: a lambda in Catalog.wire(JButton) (a Swing/AWT listener callback, run on the event dispatch thread) calls Catalog.size(), which takes the monitor of a Catalog (Catalog.java:15), which Catalog.reload(Path) holds while it calls Files.readAllLines(Path) (Catalog.java:12), which blocks on file I/O (holding the monitor of a Catalog taken at Catalog.java:10): this thread waits as long
                count.addActionListener(e -> System.out.println(size()));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aHandlerTakingALockDirectlyIsReportedAtTheAcquisition() {
    helper
        .addSourceLines(
            "Journal.java",
            """
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.ChannelInboundHandlerAdapter;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class Journal {
              static final Object FILE_LOCK = new Object();

              static void append(String line) throws java.io.IOException {
                synchronized (FILE_LOCK) {
                  Files.writeString(Path.of("journal"), line);
                }
              }
            }

            class Counter extends ChannelInboundHandlerAdapter {
              private static int count;

              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // BUG: Diagnostic contains: (a Netty channel handler callback, run on the event loop) takes Journal.FILE_LOCK, which Journal.append(String) holds while it calls Files.writeString
                synchronized (Journal.FILE_LOCK) {
                  count++;
                }
                ctx.fireChannelRead(msg);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLockTakenOnlyByAnOverrideTheReceiverCannotHaveIsNotWaitedFor() {
    helper
        .addSourceLines(
            "Caches.java",
            """
            import javax.swing.JButton;

            class Local<T> {
              T get() {
                return initialValue();
              }

              protected T initialValue() {
                return null;
              }
            }

            class PoolCache extends Local<String> {
              private String value = "pool";

              @Override
              protected synchronized String initialValue() {
                return value;
              }

              synchronized void refresh() throws InterruptedException {
                Thread.sleep(100);
                value = "fresh";
              }
            }

            class Caches {
              static final Local<StringBuilder> BUILDERS =
                  new Local<>() {
                    @Override
                    protected StringBuilder initialValue() {
                      return new StringBuilder();
                    }
                  };
              static final PoolCache POOL = new PoolCache();

              void wire(JButton show, JButton refill) {
                show.addActionListener(e -> System.out.println(BUILDERS.get()));
                // BUG: Diagnostic contains: calls Local.get() -> PoolCache.initialValue(), which takes the monitor of a PoolCache (Caches.java:17), which PoolCache.refresh() holds while it calls Thread.sleep(long)
                refill.addActionListener(e -> System.out.println(POOL.get()));
              }
            }
            """)
        .doTest();
  }

  @Test
  void noWaitWhenTheHolderDoesNotBlockUnderTheLockOrDeclaresItSo() {
    helper
        .addSourceLines(
            "Store.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import javax.swing.JButton;

            class Store {
              private final Object state = new Object();
              private final Object diskLock = new Object();
              private String value = "";

              void save(Path file) throws java.io.IOException {
                String copy;
                synchronized (state) {
                  copy = value;
                }
                Files.writeString(file, copy);
              }

              @SuppressWarnings("BlockingCallUnderLock") // only this method ever takes diskLock
              void flush(Path file) throws java.io.IOException {
                synchronized (diskLock) {
                  Files.writeString(file, value);
                }
              }

              void wire(JButton show) {
                show.addActionListener(
                    e -> {
                      synchronized (state) {
                        System.out.println(value);
                      }
                      synchronized (diskLock) {
                        System.out.println("flushed");
                      }
                    });
              }
            }
            """)
        .doTest();
  }
}
