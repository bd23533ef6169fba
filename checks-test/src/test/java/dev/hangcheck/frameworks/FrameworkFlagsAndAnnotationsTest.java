package dev.hangcheck.frameworks;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/**
 * What switches contexts on and off: the annotations of SmallRye (Quarkus) and Micronaut, by name;
 * NonBlockingMethods for lambdas and method references; FrameworkContexts=none.
 */
final class FrameworkFlagsAndAnnotationsTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass());

  @Test
  void smallRyeAndMicronautAnnotationsAreKnownByName() {
    helper
        .addSourceLines(
            "io/smallrye/common/annotation/NonBlocking.java",
            "package io.smallrye.common.annotation; public @interface NonBlocking {}")
        .addSourceLines(
            "io/smallrye/common/annotation/Blocking.java",
            "package io.smallrye.common.annotation; public @interface Blocking {}")
        .addSourceLines(
            "io/micronaut/core/annotation/NonBlocking.java",
            "package io.micronaut.core.annotation; public @interface NonBlocking {}")
        .addSourceLines(
            "Resource.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;

            class Resource {
              @io.smallrye.common.annotation.NonBlocking
              String hello() {
                // BUG: Diagnostic contains: Resource.hello() (annotated @NonBlocking) calls Resource.report(), which is declared blocking
                return report();
              }

              @io.micronaut.core.annotation.NonBlocking
              String file() throws Exception {
                // BUG: Diagnostic contains: Resource.file() (annotated @NonBlocking) calls Files.readString(Path)
                return Files.readString(Path.of("x"));
              }

              @io.smallrye.common.annotation.Blocking
              String report() {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void nonBlockingMethodsCoversLambdasAndMethodReferences() {
    helper
        .addSourceLines(
            "com/acme/EventHandler.java",
            """
            package com.acme;

            public interface EventHandler {
              void onEvent(String event);
            }
            """)
        .addSourceLines(
            "Bus.java",
            """
            import com.acme.EventHandler;

            class Bus {
              void register(EventHandler handler) {}

              void wire() {
                // BUG: Diagnostic contains: a lambda in Bus.wire() (matches -XepOpt:Hangcheck:NonBlockingMethods=com.acme.EventHandler#onEvent) calls Bus.pause(String) -> Thread.sleep(long)
                register(event -> pause(event));
                // BUG: Diagnostic contains: a method reference in Bus.wire() (matches -XepOpt:Hangcheck:NonBlockingMethods=com.acme.EventHandler#onEvent) calls Bus.pause(String)
                register(this::pause);
                Runnable notAHandler = () -> pause("later");
              }

              void pause(String event) {
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
            """)
        .setArgs("-XepOpt:Hangcheck:NonBlockingMethods=com.acme.EventHandler#onEvent")
        .doTest();
  }

  @Test
  void noneTurnsEveryFrameworkOffButAnnotationsStillCount() {
    helper
        .addSourceLines(
            "Quiet.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
            import javax.swing.SwingUtilities;

            class Quiet {
              void later() {
                SwingUtilities.invokeLater(Quiet::pause);
              }

              @NonBlocking
              void annotated() {
                // BUG: Diagnostic contains: Quiet.annotated() (annotated @NonBlocking) calls Quiet.pause()
                pause();
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
        .setArgs("-XepOpt:Hangcheck:FrameworkContexts=none")
        .doTest();
  }
}
