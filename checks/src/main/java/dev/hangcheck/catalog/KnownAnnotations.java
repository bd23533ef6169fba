package dev.hangcheck.catalog;

import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.CompletionFailure;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The annotations Hangcheck recognises, by fully qualified name.
 *
 * <p>They are matched by name so that no annotation library needs to be on the classpath of the
 * checker, and so that an annotation on a class from a jar counts as much as one in source: their
 * retention is {@code CLASS} (or more), so javac reads them from the class file.
 */
public final class KnownAnnotations {

  /** A method, constructor or type carrying one of these blocks. */
  public static final ImmutableSet<String> BLOCKING =
      ImmutableSet.of(
          "dev.hangcheck.annotations.Blocking",
          "org.jetbrains.annotations.Blocking",
          "io.smallrye.common.annotation.Blocking",
          "io.micronaut.core.annotation.Blocking");

  /**
   * Code carrying one of these runs on a worker thread: it may block, whatever a framework rule
   * says; calling it is no blocking call.
   */
  public static final ImmutableSet<String> WORKER_THREAD =
      ImmutableSet.of(
          "androidx.annotation.WorkerThread",
          "android.support.annotation.WorkerThread",
          "android.annotation.WorkerThread");

  /**
   * Code carrying one of these runs on a thread that must not block. More can be added with {@code
   * -XepOpt:Hangcheck:NonBlockingAnnotations}.
   */
  public static final ImmutableSet<String> NON_BLOCKING =
      ImmutableSet.of(
          "dev.hangcheck.annotations.NonBlocking",
          "org.jetbrains.annotations.NonBlocking",
          "io.smallrye.common.annotation.NonBlocking",
          "io.micronaut.core.annotation.NonBlocking",
          "androidx.annotation.UiThread",
          "androidx.annotation.MainThread",
          "android.support.annotation.UiThread",
          "android.support.annotation.MainThread",
          "android.annotation.UiThread",
          "android.annotation.MainThread");

  private KnownAnnotations() {}

  /**
   * The fully qualified name of the first annotation directly on {@code symbol} (not inherited)
   * whose name is in {@code annotationNames}, or null.
   */
  public static @Nullable String findAnnotation(Symbol symbol, Set<String> annotationNames) {
    try {
      for (Attribute.Compound annotation : symbol.getAnnotationMirrors()) {
        String name = annotation.type.tsym.getQualifiedName().toString();
        if (annotationNames.contains(name)) {
          return name;
        }
      }
    } catch (CompletionFailure e) {
      // A class missing from the classpath carries no annotation we can see; javac itself
      // reports the missing class where it matters.
    }
    return null;
  }

  /** {@code @Blocking} for {@code dev.hangcheck.annotations.Blocking}: how messages name it. */
  public static String display(String annotationName) {
    return "@" + annotationName.substring(annotationName.lastIndexOf('.') + 1);
  }
}
