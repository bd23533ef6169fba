package dev.hangcheck.engine;

import dev.hangcheck.catalog.BlockingMethod;
import com.google.common.collect.ImmutableList;
import dev.hangcheck.engine.Site;
import org.jspecify.annotations.Nullable;

/**
 * A call that blocks, as one body makes it.
 *
 * @param method what blocks and why
 * @param callDisplay how messages name the call: {@code new FileInputStream(String)}
 * @param timeout the timeout argument's source text for a timed wait, else null
 * @param releases the lock this wait releases while it waits ({@code lock.wait()}, {@code
 *     condition.await()}), else null
 * @param held the locks held at the call, outermost first
 */
public record BlockingCallSite(
    BlockingMethod method,
    String callDisplay,
    @Nullable String timeout,
    @Nullable HeldLock releases,
    ImmutableList<HeldLock> held,
    Site site) {}
