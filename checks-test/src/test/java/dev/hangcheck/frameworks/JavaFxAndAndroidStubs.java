package dev.hangcheck.frameworks;

import com.google.errorprone.CompilationTestHelper;

/**
 * Name-only stand-ins for the JavaFX and Android types the contexts are recognised by: neither is
 * on Maven Central in a form this build can put on a test classpath, and only the names matter.
 */
final class JavaFxAndAndroidStubs {

  static final String[] JAVAFX = {
    "javafx/event/Event.java",
    """
    package javafx.event;
    public class Event {}
    """,
    "javafx/event/ActionEvent.java",
    """
    package javafx.event;
    public class ActionEvent extends Event {}
    """,
    "javafx/event/EventHandler.java",
    """
    package javafx.event;
    @FunctionalInterface
    public interface EventHandler<T extends Event> extends java.util.EventListener {
      void handle(T event);
    }
    """,
    "javafx/scene/control/Button.java",
    """
    package javafx.scene.control;
    public class Button {
      public void setOnAction(javafx.event.EventHandler<javafx.event.ActionEvent> handler) {}
    }
    """,
    "javafx/application/Platform.java",
    """
    package javafx.application;
    public final class Platform {
      public static void runLater(Runnable runnable) {}
    }
    """,
    "javafx/application/Application.java",
    """
    package javafx.application;
    public abstract class Application {
      public void init() throws Exception {}
      public abstract void start(javafx.stage.Stage stage) throws Exception;
      public void stop() throws Exception {}
    }
    """,
    "javafx/stage/Stage.java",
    """
    package javafx.stage;
    public class Stage {}
    """,
    "javafx/concurrent/Task.java",
    """
    package javafx.concurrent;
    public abstract class Task<V> implements Runnable {
      protected abstract V call() throws Exception;
      @Override public void run() {}
    }
    """,
  };

  static final String[] ANDROID = {
    "android/os/Bundle.java",
    """
    package android.os;
    public class Bundle {}
    """,
    "android/os/Looper.java",
    """
    package android.os;
    public final class Looper {
      public static Looper getMainLooper() { return null; }
      public static Looper myLooper() { return null; }
    }
    """,
    "android/os/Handler.java",
    """
    package android.os;
    public class Handler {
      public Handler(Looper looper) {}
      public final boolean post(Runnable r) { return true; }
      public final boolean postDelayed(Runnable r, long delayMillis) { return true; }
    }
    """,
    "android/content/Context.java",
    """
    package android.content;
    public abstract class Context {}
    """,
    "android/view/View.java",
    """
    package android.view;
    public class View {
      public View(android.content.Context context) {}
      public interface OnClickListener { void onClick(View v); }
      public void setOnClickListener(OnClickListener l) {}
      public boolean post(Runnable action) { return true; }
      protected void onDraw(Object canvas) {}
    }
    """,
    "android/app/Activity.java",
    """
    package android.app;
    public class Activity extends android.content.Context {
      protected void onCreate(android.os.Bundle savedInstanceState) {}
      protected void onResume() {}
      public final void runOnUiThread(Runnable action) {}
    }
    """,
    "android/app/IntentService.java",
    """
    package android.app;
    public abstract class IntentService extends Service {
      protected abstract void onHandleIntent(Object intent);
    }
    """,
    "android/app/Service.java",
    """
    package android.app;
    public abstract class Service extends android.content.Context {
      public void onCreate() {}
    }
    """,
    "androidx/annotation/WorkerThread.java",
    """
    package androidx.annotation;
    public @interface WorkerThread {}
    """,
  };

  /** Adds the stubs, given as file name and source pairs, to a compilation. */
  static CompilationTestHelper withStubs(CompilationTestHelper helper, String[] stubs) {
    for (int i = 0; i < stubs.length; i += 2) {
      helper = helper.addSourceLines(stubs[i], stubs[i + 1]);
    }
    return helper;
  }

  private JavaFxAndAndroidStubs() {}
}
