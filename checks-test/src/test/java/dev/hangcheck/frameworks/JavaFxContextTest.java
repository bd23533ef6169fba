package dev.hangcheck.frameworks;

import static dev.hangcheck.frameworks.JavaFxAndAndroidStubs.withStubs;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/** JavaFX: event handlers, Platform.runLater and the application's start run on the FX thread. */
final class JavaFxContextTest {

  private final CompilationTestHelper helper =
      withStubs(
          CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass()),
          JavaFxAndAndroidStubs.JAVAFX);

  @Test
  void handlersRunLaterAndStartRunOnTheApplicationThread() {
    helper
        .addSourceLines(
            "Viewer.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import javafx.application.Application;
            import javafx.application.Platform;
            import javafx.scene.control.Button;
            import javafx.stage.Stage;

            class Viewer extends Application {
              final Button open = new Button();

              @Override
              public void start(Stage stage) throws Exception {
                // BUG: Diagnostic contains: Viewer.start(Stage) (a JavaFX application's start or stop, run on the JavaFX application thread) calls Files.readString(Path)
                String recent = Files.readString(Path.of("recent.txt"));
                // BUG: Diagnostic contains: a lambda in Viewer.start(Stage) (a JavaFX event handler, run on the JavaFX application thread) calls Viewer.load() -> Files.readString(Path)
                open.setOnAction(event -> load());
                // BUG: Diagnostic contains: a method reference in Viewer.start(Stage) (a task run on the JavaFX application thread) calls Viewer.load()
                Platform.runLater(this::load);
              }

              void load() {
                try {
                  Files.readString(Path.of("document.txt"));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTaskIsTheOffloadAndInitRunsOnTheLauncherThread() {
    helper
        .addSourceLines(
            "Loader.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import javafx.application.Application;
            import javafx.concurrent.Task;
            import javafx.stage.Stage;

            class Loader extends Application {
              @Override
              public void init() throws Exception {
                Files.readString(Path.of("settings.txt"));
              }

              @Override
              public void start(Stage stage) {
                new Thread(
                        new Task<String>() {
                          @Override
                          protected String call() throws Exception {
                            return Files.readString(Path.of("document.txt"));
                          }
                        })
                    .start();
              }
            }
            """)
        .doTest();
  }
}
