package dev.hangcheck.catalog;

import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.matchers.Matchers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;

/** Library methods that run the lambdas passed to them on the calling thread, before returning. */
public final class ImmediateCallbacks {

  /**
   * APIs that run the lambdas they are given before they return, on the calling thread (or while
   * the calling thread waits for them): locks held at the call are held in the lambda.
   */
  private static final Matcher<ExpressionTree> RUNS_ARGUMENTS_NOW =
      Matchers.anyOf(
          instanceMethod().onDescendantOf("java.lang.Iterable").named("forEach"),
          instanceMethod().onDescendantOf("java.util.Iterator").named("forEachRemaining"),
          instanceMethod().onDescendantOf("java.util.Spliterator").namedAnyOf("forEachRemaining", "tryAdvance"),
          instanceMethod()
              .onDescendantOf("java.util.Map")
              .namedAnyOf(
                  "forEach", "compute", "computeIfAbsent", "computeIfPresent", "merge",
                  "replaceAll"),
          instanceMethod().onDescendantOf("java.util.Collection").named("removeIf"),
          instanceMethod().onDescendantOf("java.util.List").namedAnyOf("replaceAll", "sort"),
          instanceMethod()
              .onExactClassAny("java.util.Optional", "java.util.OptionalInt",
                  "java.util.OptionalLong", "java.util.OptionalDouble")
              .namedAnyOf(
                  "ifPresent", "ifPresentOrElse", "map", "flatMap", "filter", "or", "orElseGet",
                  "orElseThrow"),
          instanceMethod().onDescendantOf("java.util.stream.BaseStream"),
          instanceMethod()
              .onDescendantOfAny(
                  "java.util.concurrent.atomic.AtomicReference",
                  "java.util.concurrent.atomic.AtomicInteger",
                  "java.util.concurrent.atomic.AtomicLong")
              .namedAnyOf("updateAndGet", "getAndUpdate", "accumulateAndGet", "getAndAccumulate"),
          staticMethod().onClass("java.util.Collections").named("sort"),
          staticMethod()
              .onClass("java.util.Arrays")
              .namedAnyOf("sort", "setAll", "parallelSetAll", "parallelPrefix"),
          staticMethod().onClass("java.util.Objects").named("requireNonNullElseGet"));

  private ImmediateCallbacks() {}

  /** Whether {@code call} runs the lambdas and method references among its arguments now. */
  public static boolean runsArgumentsNow(MethodInvocationTree call, VisitorState state) {
    return RUNS_ARGUMENTS_NOW.matches(call, state);
  }
}
