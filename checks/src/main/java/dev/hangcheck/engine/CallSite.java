package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import org.jspecify.annotations.Nullable;

/**
 * A call (method, constructor, or method reference run on the spot) made by a body.
 *
 * @param callee the statically resolved target
 * @param receiverType the static type of the receiver, or null for static calls and constructors
 * @param dispatchesVirtually whether overrides of the callee may run instead
 * @param onThis whether the callee runs on the caller's own object ({@code m()}, {@code this.m()},
 *     {@code super.m()}): its monitor is then the caller's
 * @param held the locks held at the call, outermost first
 */
public record CallSite(
    MethodSymbol callee,
    @Nullable Type receiverType,
    boolean dispatchesVirtually,
    boolean onThis,
    ImmutableList<HeldLock> held,
    Site site) {}
