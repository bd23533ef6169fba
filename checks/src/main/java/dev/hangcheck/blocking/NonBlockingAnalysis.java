package dev.hangcheck.blocking;

import com.google.common.collect.ImmutableList;

import com.google.errorprone.VisitorState;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.catalog.NonBlockingContexts;
import dev.hangcheck.engine.BlockingCallSite;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.Finding;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.TransitiveFacts;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Finds blocking calls made by non-blocking code, directly or through calls at any depth, and
 * reports each at the call site inside the non-blocking method.
 */
public final class NonBlockingAnalysis {

  public static final String CHECK_NAME = "BlockingCallInNonBlockingContext";

  private final SourceIndex index;
  private final NonBlockingContexts contexts;
  private final VisitorState state;
  private final TransitiveFacts<BlockingFact> blocks;
  private final Findings findings = new Findings();
  private final LockWaits lockWaits;
  /** Why each body asked about must not block; empty when it may. */
  private final Map<Body, Optional<String>> reasons = new IdentityHashMap<>();

  private NonBlockingAnalysis(SourceIndex index, NonBlockingContexts contexts, VisitorState state) {
    this.index = index;
    this.contexts = contexts;
    this.state = state;
    // A callee that is non-blocking itself is checked on its own; a suppressed one is declared
    // fine to call from non-blocking code. Neither passes its blocking calls up.
    this.blocks =
        new TransitiveFacts<>(
            index,
            BlockingFact::direct,
            body -> !body.isSuppressed(CHECK_NAME) && !isNonBlocking(body),
            (call, callee, fact) -> BlockingFact.guardedThrough(call, callee, fact, index));
    this.lockWaits =
        new LockWaits(index, body -> !body.isSuppressed(CHECK_NAME) && !isNonBlocking(body));
  }

  public static Findings analyze(SourceIndex index, NonBlockingContexts contexts, VisitorState state) {
    NonBlockingAnalysis analysis = new NonBlockingAnalysis(index, contexts, state);
    for (Body body : index.bodies()) {
      if (analysis.isNonBlocking(body) && !body.isSuppressed(CHECK_NAME)) {
        analysis.check(body);
      }
    }
    return analysis.findings;
  }

  private boolean isNonBlocking(Body body) {
    return reason(body) != null;
  }

  private @Nullable String reason(Body body) {
    return reasons
        .computeIfAbsent(
            body,
            b ->
                Optional.ofNullable(
                    switch (b.kind()) {
                      case METHOD -> contexts.reason(b.symbol(), b.path(), state);
                      case DEFERRED_LAMBDA -> contexts.functionReason(b.path(), state);
                      case INITIALIZER -> null;
                    }))
        .orElse(null);
  }

  private void check(Body body) {
    String context = body.display() + " (" + reason(body) + ")";
    lockWaits.check(body, context, findings);
    for (BlockingCallSite call : body.blockingCalls()) {
      findings.add(
          new Finding(call.site(), message(context, call.callDisplay(), call, /* throughCalls= */ false)));
    }
    Predicate<Body> descendInto = b -> !b.isSuppressed(CHECK_NAME) && !isNonBlocking(b);
    for (CallSite call : body.calls()) {
      Set<BlockingCategory> reported = new HashSet<>();
      for (Body target : index.targets(call, descendInto)) {
        for (BlockingFact fact : blocks.of(target).keySet()) {
          if (!BlockingFact.mayRunThrough(call, target, fact, index)
              || !reported.add(fact.category())) {
            continue;
          }
          TransitiveFacts.Chain chain = blocks.chain(target, fact);
          BlockingCallSite blocking = BlockingFact.callAt(chain.origin());
          String path =
              chain.calleesTextAfter(target)
                  + " -> "
                  + blocking.callDisplay()
                  + " ("
                  + chain.origin().fileAndLine()
                  + ")";
          ImmutableList.Builder<Finding.Place> flow = ImmutableList.builder();
          flow.add(new Finding.Place(call.site(), "calls " + target.display()));
          flow.addAll(Finding.Place.callsOf(chain));
          flow.add(new Finding.Place(chain.origin(), blocking.callDisplay() + ", which blocks"));
          findings.add(
              new Finding(
                  call.site(),
                  message(context, path, blocking, /* throughCalls= */ true),
                  ImmutableList.of(),
                  flow.build()));
        }
      }
    }
  }

  private static String message(
      String context, String calls, BlockingCallSite blocking, boolean throughCalls) {
    return "Blocking call in non-blocking code: "
        + context
        + " calls "
        + calls
        + ", which "
        + blocking.describe(throughCalls)
        + ". Fix: "
        + Remedies.forNonBlockingCode(blocking.method())
        + ".";
  }
}
