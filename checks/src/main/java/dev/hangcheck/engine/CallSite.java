package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedSet;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.locks.FieldAliases;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A call (method, constructor, or method reference run on the spot) made by a body, with the
 * locks held there. The caller's names for the receiver and the arguments, which rewrite the
 * callee's lock names into the caller's, are computed when first asked for: most calls never are.
 */
public final class CallSite {

  private final MethodSymbol callee;
  private final @Nullable Type receiverType;
  private final boolean dispatchesVirtually;
  private final boolean onThis;
  private final ImmutableList<HeldLock> held;
  private final ImmutableSortedSet<LockId> releasedBefore;
  private final Site site;
  private final @Nullable ParameterGuard guard;
  private final @Nullable Supplier<LockName> receiverNamer;
  private final Supplier<ImmutableList<LockName>> argumentNamer;
  private final @Nullable Supplier<ValueFlow.@Nullable Values> receiverValuer;
  private ValueFlow.@Nullable Values receiverValues;
  private boolean receiverValued;
  private @Nullable LockName receiverName;
  private @Nullable ImmutableList<LockName> argumentNames;

  /**
   * @param callee the statically resolved target
   * @param receiverType the static type of the receiver, or null for static calls and
   *     constructors
   * @param dispatchesVirtually whether overrides of the callee may run instead
   * @param onThis whether the callee runs on the caller's own object ({@code m()}, {@code
   *     this.m()}, {@code super.m()})
   * @param held the locks held at the call, outermost first
   * @param releasedBefore the families of the locks of the caller's caller that the caller released
   *     before the call ({@code lock.unlock(); try { store(); } finally { lock.lock(); }}): their
   *     hold is not held during the call, though the caller's caller took them
   * @param guard what the caller's parameters must be for the call to run, if anything
   * @param receiverNamer the caller's name of the object the callee runs on; null for static calls
   * @param receiverValuer which objects the receiver expression may be; null for calls on this
   *     object, static calls and constructors
   */
  CallSite(
      MethodSymbol callee,
      @Nullable Type receiverType,
      boolean dispatchesVirtually,
      boolean onThis,
      ImmutableList<HeldLock> held,
      ImmutableSortedSet<LockId> releasedBefore,
      Site site,
      @Nullable ParameterGuard guard,
      @Nullable Supplier<LockName> receiverNamer,
      Supplier<ImmutableList<LockName>> argumentNamer,
      @Nullable Supplier<ValueFlow.@Nullable Values> receiverValuer) {
    this.guard = guard;
    this.receiverValuer = receiverValuer;
    this.callee = callee;
    this.receiverType = receiverType;
    this.dispatchesVirtually = dispatchesVirtually;
    this.onThis = onThis;
    this.held = held;
    this.releasedBefore = releasedBefore;
    this.site = site;
    this.receiverNamer = receiverNamer;
    this.argumentNamer = argumentNamer;
  }

  public MethodSymbol callee() {
    return callee;
  }

  public @Nullable Type receiverType() {
    return receiverType;
  }

  public boolean dispatchesVirtually() {
    return dispatchesVirtually;
  }

  public boolean onThis() {
    return onThis;
  }

  public ImmutableList<HeldLock> held() {
    return held;
  }

  public ImmutableSortedSet<LockId> releasedBefore() {
    return releasedBefore;
  }

  public Site site() {
    return site;
  }

  /**
   * What the caller's parameters must be for this call to run ({@code if (wait) join(worker);}),
   * if anything.
   */
  public @Nullable ParameterGuard guard() {
    return guard;
  }

  /** The caller's name of the object the callee runs on, or null for a static method. */
  public @Nullable LockName receiverName() {
    if (receiverName == null && receiverNamer != null) {
      receiverName = receiverNamer.get();
    }
    return receiverName;
  }

  /** Which objects the receiver may be, by where the caller got it; null where not known. */
  ValueFlow.@Nullable Values receiverValues() {
    if (!receiverValued && receiverValuer != null) {
      receiverValues = receiverValuer.get();
      receiverValued = true;
    }
    return receiverValues;
  }

  /** The caller's names of the arguments, in order. */
  public List<LockName> argumentNames() {
    if (argumentNames == null) {
      argumentNames = argumentNamer.get();
    }
    return argumentNames;
  }

  /**
   * A lock named in the callee's terms (its {@code this}, its parameters) in the caller's: the
   * receiver and the arguments of this call substituted. A global lock is the same in both.
   */
  public LockName inCallersTerms(LockName calleeLock, Types types, FieldAliases aliases) {
    if (!calleeLock.isRelative()) {
      return calleeLock;
    }
    LockName receiver = receiverName();
    return calleeLock.substitute(
        receiver == null ? LockName.unknown(null, "?") : receiver, argumentNames(), types, aliases);
  }

  @Override
  public String toString() {
    return site.describe();
  }
}
