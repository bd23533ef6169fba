package dev.hangcheck.frameworks;

import static dev.hangcheck.frameworks.JavaFxAndAndroidStubs.withStubs;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/** Android's main thread: lifecycle and UI callbacks, runOnUiThread, main-looper handlers. */
final class AndroidContextTest {

  private final CompilationTestHelper helper =
      withStubs(
          CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass()),
          JavaFxAndAndroidStubs.ANDROID);

  @Test
  void lifecycleCallbacksListenersAndPostsRunOnTheMainThread() {
    helper
        .addSourceLines(
            "NotesActivity.java",
            """
            import android.app.Activity;
            import android.os.Bundle;
            import android.os.Handler;
            import android.os.Looper;
            import android.view.View;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class NotesActivity extends Activity {
              private final Handler main = new Handler(Looper.getMainLooper());
              View saveButton;

              @Override
              protected void onCreate(Bundle savedInstanceState) {
                super.onCreate(savedInstanceState);
                // BUG: Diagnostic contains: NotesActivity.onCreate(Bundle) (an Android lifecycle callback, run on the main thread) calls NotesActivity.read() -> Files.readString(Path)
                String notes = read();
                // BUG: Diagnostic contains: a lambda in NotesActivity.onCreate(Bundle) (an Android UI listener, run on the main thread) calls NotesActivity.read()
                saveButton.setOnClickListener(view -> read());
                // BUG: Diagnostic contains: a lambda in NotesActivity.onCreate(Bundle) (a task run on the Android main thread) calls NotesActivity.read()
                runOnUiThread(() -> read());
                // BUG: Diagnostic contains: a method reference in NotesActivity.onCreate(Bundle) (a task run on the Android main thread) calls NotesActivity.read()
                main.post(this::read);
              }

              String read() {
                try {
                  return Files.readString(Path.of("notes.txt"));
                } catch (java.io.IOException e) {
                  return "";
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void workerThreadWorkerLoopersAndIntentServicesMayBlock() {
    helper
        .addSourceLines(
            "Sync.java",
            """
            import android.app.Activity;
            import android.app.IntentService;
            import android.os.Bundle;
            import android.os.Handler;
            import android.os.Looper;
            import androidx.annotation.WorkerThread;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class SyncActivity extends Activity {
              @Override
              @WorkerThread
              protected void onResume() {
                Sync.read();
              }

              void onWorker(Looper workerLooper) {
                new Handler(workerLooper).post(() -> Sync.read());
              }
            }

            abstract class SyncService extends IntentService {
              @Override
              protected void onHandleIntent(Object intent) {
                Sync.read();
              }
            }

            class Sync {
              static String read() {
                try {
                  return Files.readString(Path.of("notes.txt"));
                } catch (java.io.IOException e) {
                  return "";
                }
              }
            }
            """)
        .doTest();
  }
}
