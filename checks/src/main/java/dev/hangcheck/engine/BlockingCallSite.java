package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import dev.hangcheck.catalog.BlockingMethod;
import dev.hangcheck.engine.Site;
import org.jspecify.annotations.Nullable;

/**
 * A call that blocks, as one body makes it.
 *
 * @param method what blocks and why
 * @param callDisplay how messages name the call: {@code new FileInputStream(String)}
 * @param timeout the timeout argument's source text for a timed wait, else null
 * @param timeoutIsConstant whether that timeout is made of constants only ({@code 5,
 *     TimeUnit.SECONDS}): it means the same to a reader of any caller
 * @param releases the lock this wait releases while it waits ({@code lock.wait()}, {@code
 *     condition.await()}), else null
 * @param held the locks held at the call, outermost first
 * @param guard what the method's parameters must be for the call to run, if anything
 */
public record BlockingCallSite(
    BlockingMethod method,
    String callDisplay,
    @Nullable String timeout,
    boolean timeoutIsConstant,
    @Nullable HeldLock releases,
    ImmutableList<HeldLock> held,
    Site site,
    @Nullable ParameterGuard guard) {

  /**
   * {@code sleeps}, or {@code waits for another thread (for up to 2, SECONDS)}; reached through
   * calls, a timeout that the method making the wait computes is named as its, not as a bound the
   * reader's code sets ({@code Future.get()} may wait through {@code await0(Long.MAX_VALUE)}).
   */
  public String describe(boolean throughCalls) {
    String verb = method.category().verb();
    if (timeout == null) {
      return verb;
    }
    if (!throughCalls || timeoutIsConstant) {
      return verb + " (for up to " + timeout + ")";
    }
    return verb + " (timed by " + timeout + " as computed in " + site.body().display() + ")";
  }
}
