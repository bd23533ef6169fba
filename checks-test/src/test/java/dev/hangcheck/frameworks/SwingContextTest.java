package dev.hangcheck.frameworks;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/** Swing and AWT: listeners, painting and invokeLater run on the event dispatch thread. */
final class SwingContextTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass());

  @Test
  void listenersPaintingAndInvokeLaterRunOnTheEventDispatchThread() {
    helper
        .addSourceLines(
            "Editor.java",
            """
            import java.awt.Graphics;
            import java.awt.event.MouseAdapter;
            import java.awt.event.MouseEvent;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import javax.swing.JButton;
            import javax.swing.JPanel;
            import javax.swing.SwingUtilities;

            class Editor extends JPanel {
              Editor(JButton save) {
                // BUG: Diagnostic contains: a lambda in new Editor(JButton) (a Swing/AWT listener callback, run on the event dispatch thread) calls Editor.save() -> Files.writeString
                save.addActionListener(e -> save());
                addMouseListener(
                    new MouseAdapter() {
                      @Override
                      public void mouseClicked(MouseEvent e) {
                        // BUG: Diagnostic contains: Editor.<anonymous MouseAdapter>.mouseClicked(MouseEvent) (a Swing/AWT listener callback, run on the event dispatch thread) calls Editor.pause() -> Thread.sleep(long)
                        pause();
                      }
                    });
                // BUG: Diagnostic contains: a lambda in new Editor(JButton) (a task run on the event dispatch thread) calls Editor.save()
                SwingUtilities.invokeLater(() -> save());
              }

              @Override
              protected void paintComponent(Graphics g) {
                super.paintComponent(g);
                // BUG: Diagnostic contains: Editor.paintComponent(Graphics) (painting code, run on the event dispatch thread) calls Editor.pause() -> Thread.sleep(long)
                pause();
              }

              void save() {
                try {
                  Files.writeString(Path.of("draft.txt"), "text");
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }

              static void pause() {
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aNamedRunnableGivenToInvokeLaterRunsOnTheEventDispatchThread() {
    helper
        .addSourceLines(
            "Refresh.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import javax.swing.SwingUtilities;

            class Refresh implements Runnable {
              @Override
              public void run() {
                try {
                  // BUG: Diagnostic contains: Refresh.run() (a task run on the event dispatch thread) calls Files.readString(Path)
                  Files.readString(Path.of("status"));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }

            class Screen {
              void later() {
                SwingUtilities.invokeLater(new Refresh());
                new Thread(new Refresh()).start();
              }
            }
            """)
        .doTest();
  }

  @Test
  void swingWorkerDoInBackgroundIsTheOffload() {
    helper
        .addSourceLines(
            "Saver.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import javax.swing.JLabel;
            import javax.swing.SwingWorker;

            class Saver extends SwingWorker<Void, Void> {
              private final JLabel status;

              Saver(JLabel status) {
                this.status = status;
              }

              @Override
              protected Void doInBackground() throws Exception {
                Files.writeString(Path.of("draft.txt"), "text");
                return null;
              }

              @Override
              protected void done() {
                status.setText("saved");
              }
            }
            """)
        .doTest();
  }
}
