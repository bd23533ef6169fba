package dev.hangcheck.blocking;

import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.Site;
import dev.hangcheck.lockgraph.LockId;
import java.util.Comparator;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * "This method may block, for this reason": what flows from a blocking call up to its callers.
 *
 * @param category why it blocks
 * @param releases the lock the wait releases while it waits ({@code lock.wait()}, {@code
 *     condition.await()}), when it is a named lock; callers holding only that lock do not block
 *     others with it
 */
public record BlockingFact(BlockingCategory category, @Nullable LockId releases)
    implements Comparable<BlockingFact> {

  private static final Comparator<BlockingFact> ORDER =
      Comparator.comparing(BlockingFact::category)
          .thenComparing(
              BlockingFact::releases, Comparator.nullsFirst(Comparator.naturalOrder()));

  @Override
  public int compareTo(BlockingFact other) {
    return ORDER.compare(this, other);
  }

  /** The blocking calls a body makes itself, first site per fact. */
  static SortedMap<BlockingFact, Site> direct(Body body) {
    SortedMap<BlockingFact, Site> facts = new TreeMap<>();
    for (BlockingCallSite call : body.blockingCalls()) {
      LockId released = call.releases() == null ? null : call.releases().id();
      facts.putIfAbsent(new BlockingFact(call.method().category(), released), call.site());
    }
    return facts;
  }

  /** The blocking call at a site that {@link #direct} recorded. */
  static BlockingCallSite callAt(Site site) {
    for (BlockingCallSite call : site.body().blockingCalls()) {
      if (call.site() == site) {
        return call;
      }
    }
    throw new IllegalStateException("no blocking call at " + site);
  }
}
