package dev.hangcheck.catalog;

import dev.hangcheck.testing.CompiledLibrary;
import dev.hangcheck.catalog.NonBlockingContexts;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodTree;
import dev.hangcheck.config.HangcheckConfig;
import java.nio.file.Path;
import javax.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class NonBlockingContextsTest {

  /** Reports every non-blocking method and constructor: {@code non-blocking: <reason>}. */
  @BugPattern(
      name = "ReportNonBlocking",
      summary = "Reports non-blocking methods, for tests of NonBlockingContexts",
      severity = WARNING)
  public static final class ReportNonBlocking extends BugChecker implements MethodTreeMatcher {

    private final NonBlockingContexts contexts;

    @Inject
    public ReportNonBlocking(ErrorProneFlags flags) {
      this.contexts = HangcheckConfig.fromFlags(flags).nonBlockingContexts();
    }

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      if (ASTHelpers.isGeneratedConstructor(tree)) {
        return Description.NO_MATCH;
      }
      String reason = contexts.reason(ASTHelpers.getSymbol(tree), state);
      if (reason == null) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree).setMessage("non-blocking: " + reason).build();
    }
  }

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ReportNonBlocking.class, getClass());

  @Test
  void annotatedMethods() {
    helper
        .addSourceLines(
            "org/jetbrains/annotations/NonBlocking.java",
            "package org.jetbrains.annotations;",
            "public @interface NonBlocking {}")
        .addSourceLines(
            "Loop.java",
            "import dev.hangcheck.annotations.NonBlocking;",
            "class Loop {",
            "  @NonBlocking",
            "  // BUG: Diagnostic contains: non-blocking: annotated @NonBlocking",
            "  void onEvent() {}",
            "  @org.jetbrains.annotations.NonBlocking",
            "  // BUG: Diagnostic contains: non-blocking: annotated @NonBlocking",
            "  void onTick() {}",
            "  @NonBlocking",
            "  // BUG: Diagnostic contains: non-blocking: annotated @NonBlocking",
            "  Loop() {}",
            "  void run() {}",
            "  static void main() {}",
            "}")
        .doTest();
  }

  @Test
  void classAnnotation_coversItsMethodsAndConstructors() {
    helper
        .addSourceLines(
            "Loop.java",
            "import dev.hangcheck.annotations.Blocking;",
            "import dev.hangcheck.annotations.NonBlocking;",
            "@NonBlocking",
            "class Loop {",
            "  // BUG: Diagnostic contains: non-blocking: in a class annotated @NonBlocking",
            "  Loop() {}",
            "  // BUG: Diagnostic contains: non-blocking: in a class annotated @NonBlocking",
            "  void run() {}",
            "  // BUG: Diagnostic contains: non-blocking: in a class annotated @NonBlocking",
            "  static void helper() {}",
            "  // A method's own blocking annotation wins over its class's.",
            "  @Blocking void load() {}",
            "  @org.jetbrains.annotations.Blocking void save() {}",
            "}")
        .addSourceLines(
            "org/jetbrains/annotations/Blocking.java",
            "package org.jetbrains.annotations;",
            "public @interface Blocking {}")
        .doTest();
  }

  @Test
  void outerClassAnnotation_coversNestedClasses_notLocalOrAnonymousOnes() {
    helper
        .addSourceLines(
            "androidx/annotation/UiThread.java",
            "package androidx.annotation;",
            "public @interface UiThread {}")
        .addSourceLines(
            "Screen.java",
            "import androidx.annotation.UiThread;",
            "import dev.hangcheck.annotations.Blocking;",
            "@UiThread",
            "class Screen {",
            "  class Row {",
            "    // BUG: Diagnostic contains: non-blocking: in Screen, an enclosing class annotated"
                + " @UiThread",
            "    void bind() {}",
            "  }",
            "  static class Holder {",
            "    // BUG: Diagnostic contains: non-blocking: in Screen, an enclosing class annotated"
                + " @UiThread",
            "    void recycle() {}",
            "  }",
            "  @Blocking",
            "  static class Loader {",
            "    void load() {}",
            "    class Part {",
            "      void loadPart() {}",
            "    }",
            "  }",
            "  // BUG: Diagnostic contains: non-blocking: in a class annotated @UiThread",
            "  void show() {",
            "    class Local {",
            "      void later() {}",
            "    }",
            "    Object anonymous = new Object() {",
            "      @Override public String toString() { return \"\"; }",
            "    };",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void overridesOfNonBlockingMethods() {
    helper
        .addSourceLines(
            "com/acme/Event.java", //
            "package com.acme;",
            "public class Event {}")
        .addSourceLines(
            "com/acme/EventHandler.java",
            "package com.acme;",
            "import dev.hangcheck.annotations.NonBlocking;",
            "public interface EventHandler {",
            "  @NonBlocking",
            "  // BUG: Diagnostic contains: non-blocking: annotated @NonBlocking",
            "  void onEvent(Event event);",
            "  void onClose();",
            "}")
        .addSourceLines(
            "com/acme/Handler.java",
            "package com.acme;",
            "@dev.hangcheck.annotations.NonBlocking",
            "public interface Handler {",
            "  // BUG: Diagnostic contains: non-blocking: in a class annotated @NonBlocking",
            "  void handle(String[] lines, int count);",
            "}")
        .addSourceLines(
            "com/acme/Impl.java",
            "package com.acme;",
            "import dev.hangcheck.annotations.Blocking;",
            "class Impl implements EventHandler, Handler {",
            "  @Override",
            "  // BUG: Diagnostic contains: non-blocking: overrides EventHandler.onEvent(Event),"
                + " annotated @NonBlocking",
            "  public void onEvent(Event event) {}",
            "  @Override public void onClose() {}",
            "  @Override",
            "  // BUG: Diagnostic contains: non-blocking: overrides Handler.handle(String[], int),"
                + " in a class annotated @NonBlocking",
            "  public void handle(String[] lines, int count) {}",
            "  public void onEvent(String overload) {}",
            "}")
        .addSourceLines(
            "com/acme/SubImpl.java",
            "package com.acme;",
            "class SubImpl extends Impl {",
            "  @Override",
            "  // BUG: Diagnostic contains: non-blocking: overrides EventHandler.onEvent(Event)",
            "  public void onEvent(Event event) {}",
            "  // A method's own blocking annotation wins over the overridden method's contract.",
            "  @dev.hangcheck.annotations.Blocking",
            "  @Override public void handle(String[] lines, int count) {}",
            "}")
        .addSourceLines(
            "com/acme/Anonymous.java",
            "package com.acme;",
            "class Anonymous {",
            "  EventHandler handler = new EventHandler() {",
            "    @Override",
            "    // BUG: Diagnostic contains: non-blocking: overrides EventHandler.onEvent(Event)",
            "    public void onEvent(Event event) {}",
            "    @Override public void onClose() {}",
            "  };",
            "}")
        .doTest();
  }

  @Test
  void overridesOfNonBlockingMethodsFromClassFiles(@TempDir Path temporaryFolder) {
    String classpath =
        new CompiledLibrary(temporaryFolder)
            .addSourceLines(
                "com/acme/lib/Listener.java",
                "package com.acme.lib;",
                "import dev.hangcheck.annotations.NonBlocking;",
                "public interface Listener {",
                "  @NonBlocking void onMessage(String message);",
                "}")
            .addSourceLines(
                "com/acme/lib/Callbacks.java",
                "package com.acme.lib;",
                "@dev.hangcheck.annotations.NonBlocking",
                "public abstract class Callbacks {",
                "  public abstract void onDone();",
                "}")
            .compileToClasspath();
    helper
        .setArgs("-classpath", classpath)
        .addSourceLines(
            "Impl.java",
            "import com.acme.lib.Callbacks;",
            "import com.acme.lib.Listener;",
            "class Impl extends Callbacks implements Listener {",
            "  @Override",
            "  // BUG: Diagnostic contains: non-blocking: overrides Listener.onMessage(String),"
                + " annotated @NonBlocking",
            "  public void onMessage(String message) {}",
            "  @Override",
            "  // BUG: Diagnostic contains: non-blocking: overrides Callbacks.onDone(), in a class"
                + " annotated @NonBlocking",
            "  public void onDone() {}",
            "  void other() {}",
            "}")
        .doTest();
  }

  @Test
  void nonBlockingMethodsFlag_coversOverrides() {
    helper
        .setArgs("-XepOpt:Hangcheck:NonBlockingMethods=com.acme.Handler#handle")
        .addSourceLines(
            "com/acme/Handler.java",
            "package com.acme;",
            "public interface Handler {",
            "  // BUG: Diagnostic contains: non-blocking: matches"
                + " -XepOpt:Hangcheck:NonBlockingMethods=com.acme.Handler#handle",
            "  void handle(String message);",
            "  void close();",
            "}")
        .addSourceLines(
            "com/acme/Impl.java",
            "package com.acme;",
            "class Impl implements Handler {",
            "  @Override",
            "  // BUG: Diagnostic contains: non-blocking: matches"
                + " -XepOpt:Hangcheck:NonBlockingMethods=com.acme.Handler#handle",
            "  public void handle(String message) {}",
            "  @Override public void close() {}",
            "  @dev.hangcheck.annotations.Blocking void handle(int retries) {}",
            "}")
        .addSourceLines(
            "com/acme/Unrelated.java",
            "package com.acme;",
            "class Unrelated {",
            "  void handle(String message) {}",
            "}")
        .doTest();
  }

  @Test
  void nonBlockingAnnotationsFlag() {
    helper
        .setArgs("-XepOpt:Hangcheck:NonBlockingAnnotations=com.acme.EventLoopThread")
        .addSourceLines(
            "com/acme/EventLoopThread.java",
            "package com.acme;",
            "public @interface EventLoopThread {}")
        .addSourceLines(
            "com/acme/Server.java",
            "package com.acme;",
            "class Server {",
            "  @EventLoopThread",
            "  // BUG: Diagnostic contains: non-blocking: annotated @EventLoopThread",
            "  void accept() {}",
            "  void stop() {}",
            "}")
        .doTest();
  }

  @Test
  void androidAnnotations() {
    helper
        .addSourceLines(
            "androidx/annotation/MainThread.java",
            "package androidx.annotation;",
            "public @interface MainThread {}")
        .addSourceLines(
            "android/support/annotation/UiThread.java",
            "package android.support.annotation;",
            "public @interface UiThread {}")
        .addSourceLines(
            "Activity.java",
            "class Activity {",
            "  @androidx.annotation.MainThread",
            "  // BUG: Diagnostic contains: non-blocking: annotated @MainThread",
            "  void onCreate() {}",
            "  @android.support.annotation.UiThread",
            "  // BUG: Diagnostic contains: non-blocking: annotated @UiThread",
            "  void onResume() {}",
            "  void load() {}",
            "}")
        .doTest();
  }
}
